"""``figurewatch serve``: the read side's process. An aiokafka consumer feeds ``figures.current`` and
``figures.changes`` into the :class:`~streams.readstore.ReadStore`; an aiohttp server answers the JSON
API (``schemas/openapi.json``), the CSV exports, the live stream of changes (Server-Sent Events), the
page (``streams/web/``) and ``/metrics``. Both are thin: queries and formats are in ``streams.readmodel``.

The consumer belongs to no group: it assigns itself every partition of both topics and resumes from the
offsets stored in the database with the data, so a restart reads only what it has not stored yet.
"""

from __future__ import annotations

import asyncio
import dataclasses
import os
import signal
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

import orjson
from aiohttp import web
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from streams._exceptions import BrokerError, QueryError
from streams.extraction.vocabulary import load_gazetteer
from streams.kafkaio import topic_partitions
from streams.logs import get_logger
from streams.metrics import ServeMetrics
from streams.readmodel import (
    CHANGE_COLUMNS,
    CSV_CHANGES_LIMIT,
    FIGURE_COLUMNS,
    ChangeQuery,
    FigureQuery,
    change_record,
    conflict_summaries,
    figure_record,
    figure_rows,
    openapi_document,
    parse_cursor,
    series_view,
    sse_frame,
    to_csv,
)
from streams.readstore import ReadStore, Record
from streams.security import kafka_python_options
from streams.settings import Settings
from streams.topics import FIGURES_CHANGES, FIGURES_CURRENT

log = get_logger("serve")

WEB_DIR = Path(__file__).resolve().parent / "web"
MAX_SSE_CLIENTS = 100
SSE_BATCH = 500
HEARTBEAT_SECONDS = 15.0
REQUEST_TIMEOUT_SECONDS = 10.0
LAG_EVERY_SECONDS = 5.0
STREAM_ROUTE = "/api/changes/stream"
UNTIMED = frozenset({STREAM_ROUTE, "/api/changes.csv"})
"""Routes that write as they go (the live stream, the chunked export): no overall time limit."""
CSV_CHUNK = 1000
_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
}

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


class ChangeHub:
    """Wakes the live streams when the store gets new changes or states. ``version`` grows with every
    publish; a stream notes it before reading the store and waits only if nothing was published since,
    so no publish falls between its read and its wait."""

    def __init__(self) -> None:
        self._published = asyncio.Event()
        self.version = 0
        self.ready = False
        self.clients = 0
        self.closing = False

    async def close(self, app: web.Application | None = None) -> None:
        """End every live stream (on shutdown, so it does not wait for the streams' clients to leave)."""
        self.closing = True
        self.publish()

    def publish(self) -> None:
        self.version += 1
        self._published.set()
        self._published = asyncio.Event()

    async def wait(self, version: int, timeout: float) -> bool:
        """Wait for a publish after ``version``; False when ``timeout`` passed first."""
        if self.version != version:
            return True
        try:
            async with asyncio.timeout(timeout):
                await self._published.wait()
        except TimeoutError:
            return False
        return True


STORE: web.AppKey[ReadStore] = web.AppKey("store", ReadStore)
HUB: web.AppKey[ChangeHub] = web.AppKey("hub", ChangeHub)
METRICS: web.AppKey[ServeMetrics] = web.AppKey("metrics", ServeMetrics)
OPENAPI: web.AppKey[bytes] = web.AppKey("openapi", bytes)
NAMES: web.AppKey[dict[str, str]] = web.AppKey("names", dict[str, str])


def _json(data: Any, status: int = 200) -> web.Response:
    return web.Response(body=orjson.dumps(data), status=status, content_type="application/json")


def _error(status: int, message: str, parameter: str | None = None) -> web.Response:
    body: dict[str, Any] = {"error": message}
    if parameter is not None:
        body["parameter"] = parameter
    return _json(body, status)


@web.middleware
async def _observe(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Errors as JSON (400 naming the parameter, 404, 500 logged), a time limit, security headers, metrics."""
    metrics = request.app[METRICS]
    route = request.match_info.route.resource
    name = route.canonical if route is not None else "unmatched"
    started = time.perf_counter()
    response: web.StreamResponse
    try:
        if name in UNTIMED:
            response = await handler(request)
        else:
            async with asyncio.timeout(REQUEST_TIMEOUT_SECONDS):
                response = await handler(request)
    except QueryError as exc:
        response = _error(400, str(exc), exc.parameter)
    except web.HTTPException as exc:
        if exc.status < 400:
            raise
        response = _error(exc.status, exc.reason)
        if "Allow" in exc.headers:
            response.headers["Allow"] = exc.headers["Allow"]
    except TimeoutError:
        response = _error(503, f"the request took longer than {REQUEST_TIMEOUT_SECONDS:g} seconds")
    except Exception:
        log.exception("request failed", extra={"route": name, "path": request.path})
        response = _error(500, "internal error")
    if not response.prepared:
        response.headers.update(_HEADERS)
    metrics.requests.labels(name, str(response.status)).inc()
    if name != STREAM_ROUTE:  # a stream lasts as long as its client stays: not a latency
        metrics.request_seconds.labels(name).observe(time.perf_counter() - started)
    return response


def _params(request: web.Request) -> dict[str, str]:
    """The query string as one value per name; a repeated name is a bad parameter."""
    params: dict[str, str] = {}
    for name, value in request.query.items():
        if name in params:
            raise QueryError(name, "given more than once")
        params[name] = value
    return params


async def conflicts(request: web.Request) -> web.Response:
    store = request.app[STORE]
    _params_none(request)
    stats, last = store.conflict_stats()
    names: dict[str, str] = request.app[NAMES]
    return _json({"conflicts": conflict_summaries(store.states.values(), stats, last, names)})


def _params_none(request: web.Request) -> None:
    if request.query:
        raise QueryError(next(iter(request.query)), "unknown parameter; this route takes none")


async def figures(request: web.Request) -> web.Response:
    query = FigureQuery.parse(_params(request))
    rows, matched = figure_rows(request.app[STORE].states.values(), query)
    return _json({"figures": rows, "matched": matched, "truncated": matched > len(rows)})


async def figures_csv(request: web.Request) -> web.Response:
    query = FigureQuery.parse(_params(request))
    rows, _ = figure_rows(request.app[STORE].states.values(), query)
    return _csv(to_csv(FIGURE_COLUMNS, map(figure_record, rows)), "figures.csv")


async def series(request: web.Request) -> web.Response:
    _params_none(request)
    store = request.app[STORE]
    key = request.match_info["key"]
    view = series_view(store.states.get(key), store.series_changes(key))
    if view is None:
        raise web.HTTPNotFound(reason=f"no series {key[:200]!r}")
    return _json(view)


async def changes(request: web.Request) -> web.Response:
    page, cursor = request.app[STORE].changes(ChangeQuery.parse(_params(request)))
    return _json({"changes": page, "next_cursor": None if cursor is None else str(cursor)})


async def changes_csv(request: web.Request) -> web.StreamResponse:
    """Sent in chunks of :data:`CSV_CHUNK` changes, each read and written before the next, so a large export
    holds the event loop for one chunk at a time, never for the whole file."""
    query = ChangeQuery.parse(_params(request), CSV_CHANGES_LIMIT, ("conflict", "kind", "since", "limit"))
    response = web.StreamResponse(headers={**_HEADERS, **_csv_headers("changes.csv")})
    await response.prepare(request)
    remaining, cursor, first = query.limit, query.cursor, True
    while first or (remaining > 0 and cursor is not None):
        page, cursor = request.app[STORE].changes(dataclasses.replace(query, limit=min(CSV_CHUNK, remaining),
                                                                      cursor=cursor))
        await response.write(to_csv(CHANGE_COLUMNS, map(change_record, page), first=first))
        remaining -= len(page)
        first = False
    await response.write_eof()
    return response


def _csv_headers(filename: str) -> dict[str, str]:
    return {"Content-Type": "text/csv; charset=utf-8", "Content-Disposition": f'attachment; filename="{filename}"'}


def _csv(body: bytes, filename: str) -> web.Response:
    return web.Response(body=body, headers=_csv_headers(filename))


async def stream(request: web.Request) -> web.StreamResponse:
    """Changes as they arrive; with ``Last-Event-ID`` first every change after that id. A ``figures``
    event (no id) says the current states changed. At most :data:`MAX_SSE_CLIENTS` at once."""
    store, hub, metrics = request.app[STORE], request.app[HUB], request.app[METRICS]
    query = ChangeQuery.parse(_params(request), known=("conflict", "kind"))
    after = parse_cursor(request.headers.get("Last-Event-ID"), "Last-Event-ID")
    if hub.clients >= MAX_SSE_CLIENTS:
        return web.Response(status=503, headers={"Retry-After": "10"}, content_type="application/json",
                            body=orjson.dumps({"error": f"more than {MAX_SSE_CLIENTS} live clients; retry later"}))
    seen = store.last_id() if after is None else after
    states = store.state_version
    response = web.StreamResponse(headers={**_HEADERS, "Content-Type": "text/event-stream",
                                           "Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    await response.prepare(request)
    hub.clients += 1
    metrics.sse_clients.set(hub.clients)
    try:
        await response.write(b"retry: 3000\n\n")
        while not hub.closing:
            version = hub.version
            batch = store.changes_after(seen, query, SSE_BATCH)
            for change in batch:
                await response.write(sse_frame(change))
                seen = int(change["id"])
            if store.state_version != states:
                states = store.state_version
                await response.write(b"event: figures\ndata: {}\n\n")
            if len(batch) == SSE_BATCH:
                continue
            if not await hub.wait(version, HEARTBEAT_SECONDS):
                await response.write(b": keep-alive\n\n")
    except ConnectionResetError:
        pass  # the client left; it is noticed at the next write, a keep-alive at the latest
    finally:
        hub.clients -= 1
        metrics.sse_clients.set(hub.clients)
    return response


async def index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(WEB_DIR / "index.html")


async def openapi(request: web.Request) -> web.Response:
    return web.Response(body=request.app[OPENAPI], content_type="application/json")


async def metrics_page(request: web.Request) -> web.Response:
    metrics, store = request.app[METRICS], request.app[STORE]
    metrics.series.set(len(store.states))
    metrics.changes_stored.set(store.event_count())
    return web.Response(body=metrics.exposition(), content_type="text/plain", charset="utf-8")


async def healthz(request: web.Request) -> web.Response:
    return _json({"status": "ok"})


async def readyz(request: web.Request) -> web.Response:
    ready = request.app[HUB].ready
    return _json({"ready": ready}, 200 if ready else 503)


def create_web_app(store: ReadStore, hub: ChangeHub, metrics: ServeMetrics,
                   names: dict[str, str] | None = None) -> web.Application:
    """The aiohttp application over a store, with conflicts' ``names`` by slug; the consumer (if any) is
    attached by :func:`run_serve`."""
    app = web.Application(middlewares=[_observe], client_max_size=64 * 1024)
    app[STORE], app[HUB], app[METRICS], app[NAMES] = store, hub, metrics, names or {}
    app[OPENAPI] = orjson.dumps(openapi_document())
    routes = [
        ("/", index), ("/api/openapi.json", openapi), ("/api/conflicts", conflicts), ("/api/figures", figures),
        ("/api/figures.csv", figures_csv), ("/api/series/{key}", series), ("/api/changes", changes),
        ("/api/changes.csv", changes_csv), (STREAM_ROUTE, stream), ("/metrics", metrics_page),
        ("/healthz", healthz), ("/readyz", readyz),
    ]
    for path, handler in routes:
        app.router.add_get(path, handler, allow_head=False)
    app.router.add_static("/static", WEB_DIR, append_version=False)
    app.on_shutdown.append(hub.close)
    return app


def origin(settings: Settings) -> str:
    """What the database is built from: the broker and the two topics."""
    names = (settings.topic(FIGURES_CURRENT.name), settings.topic(FIGURES_CHANGES.name))
    return f"{settings.broker} {' '.join(names)}"


async def consume(settings: Settings, store: ReadStore, hub: ChangeHub, metrics: ServeMetrics) -> None:
    """Read both topics from the stored offsets (else the beginning) into the store, forever."""
    names = {settings.topic(FIGURES_CURRENT.name): True, settings.topic(FIGURES_CHANGES.name): False}
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers, group_id=None, enable_auto_commit=False,
        auto_offset_reset="earliest", **kafka_python_options(settings),
    )
    try:
        await consumer.start()
    except KafkaError as exc:
        await consumer.stop()
        raise BrokerError(f"cannot reach Kafka at {settings.broker}: {exc}") from exc
    try:
        assigned = await _assign(settings, consumer, list(names), store.offsets())
        caught_up_at = await consumer.end_offsets(assigned)
        last_lag = 0.0
        while True:
            batch = await consumer.getmany(timeout_ms=1000, max_records=1000)
            records = [Record(tp.topic, tp.partition, r.offset, r.key, r.value, names[tp.topic])
                       for tp, rs in batch.items() for r in rs]
            if records:
                metrics.records_read.inc(len(records))
                before = store.skipped
                store.apply(records)
                metrics.records_skipped.inc(store.skipped - before)
                hub.publish()
            if time.monotonic() - last_lag > LAG_EVERY_SECONDS or not hub.ready:
                last_lag = time.monotonic()
                ends = await consumer.end_offsets(assigned)
                positions = {tp: await consumer.position(tp) for tp in assigned}
                for tp in assigned:
                    metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(max(0, ends[tp] - positions[tp]))
                if not hub.ready and all(positions[tp] >= caught_up_at[tp] for tp in assigned):
                    hub.ready = True
                    metrics.ready.set(1)
                    log.info("caught up", extra={"series": len(store.states), "changes": store.event_count()})
    except KafkaError as exc:
        raise BrokerError(f"reading the figures topics failed: {exc}") from exc
    finally:
        await consumer.stop()


async def _assign(settings: Settings, consumer: AIOKafkaConsumer, topics: list[str],
                  offsets: dict[tuple[str, int], int]) -> list[TopicPartition]:
    """Every partition of ``topics`` (waiting until a worker has created them), positioned at the stored
    offsets, or at the beginning where none is stored."""
    while True:
        found = await asyncio.to_thread(topic_partitions, settings, topics)
        if all(found.values()):
            break
        log.info("waiting for the figures topics", extra={"missing": [t for t, p in found.items() if not p]})
        await asyncio.sleep(2)
    assigned = [TopicPartition(t, p) for t in topics for p in sorted(found[t])]
    consumer.assign(assigned)
    for tp in assigned:
        if (tp.topic, tp.partition) in offsets:
            consumer.seek(tp, offsets[(tp.topic, tp.partition)])
        else:
            await consumer.seek_to_beginning(tp)
    return assigned


def run_serve(settings: Settings) -> int:
    """Run ``figurewatch serve`` until SIGINT or SIGTERM."""
    store = ReadStore(settings.serve_db_path, origin(settings))
    hub, metrics = ChangeHub(), ServeMetrics()
    gazetteer = load_gazetteer(settings.gazetteer)
    app = create_web_app(store, hub, metrics, {slug: c.name for slug, c in gazetteer.conflicts.items()})

    async def consumer_task(app: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(consume(settings, store, hub, metrics))
        task.add_done_callback(_stop_on_failure)
        yield
        task.cancel()
        with suppress(asyncio.CancelledError):
            await task
        store.close()

    app.cleanup_ctx.append(consumer_task)
    log.info("serving", extra={"address": f"http://{settings.serve_host}:{settings.serve_port}/",
                               "database": str(settings.serve_db_path), "series": len(store.states)})
    web.run_app(app, host=settings.serve_host, port=settings.serve_port, print=None, access_log=None)
    return 0


def _stop_on_failure(task: asyncio.Task[None]) -> None:
    """A consumer that fails (the broker gone for good) stops the process, so a supervisor restarts it."""
    if not task.cancelled() and task.exception() is not None:
        log.error("the consumer stopped", extra={"error": str(task.exception())})
        os.kill(os.getpid(), signal.SIGTERM)
