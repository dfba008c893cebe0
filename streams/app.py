"""The Faust app: topics, tables and agents, a thin shell around the pure pipeline and ledger.

:func:`create_app` builds everything from a :class:`~streams.settings.Settings`; nothing lives at module
level. Agents only move bytes: parsing, de-duplication and extraction happen in
:func:`streams.pipeline.ingest`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Awaitable, Mapping
from typing import Any

import faust
import orjson
from faust.types import TP
from faust.web import Request, Response, View
from mode import BaseSignalT

from streams.claims import Claim
from streams.codecs import OrjsonCodec
from streams.deadletter import Origin, dead_letter
from streams.errors import ProcessingErrorCallback, skip_and_log
from streams.hierarchy import Hierarchy
from streams.ledger import Ledger, LedgerSettings, MappingStore, Outcome
from streams.logs import get_logger, logging_config
from streams.metrics import Metrics
from streams.pipeline import Accepted, Duplicate, Extract, Rejected, ingest
from streams.security import faust_credentials
from streams.settings import Settings
from streams.topics import CLAIMS, FIGURES_CHANGES, FIGURES_CURRENT, NEWS_ITEMS, NEWS_ITEMS_DLQ, partition_for
from streams.watchdog import Watchdog
from streams.writebuffer import WriteBuffer

log = get_logger("app")
ARRIVAL_HEADER = "figurewatch-arrival-ms"
GAUGE_INTERVAL_SECONDS = 5.0


def create_app(
    settings: Settings,
    extract: Extract,
    metric_kinds: Mapping[str, str],
    *,
    on_error: ProcessingErrorCallback = skip_and_log,
    hierarchy: Hierarchy | None = None,
) -> faust.App:
    """Build the Faust app for ``settings``: ``extract`` finds claims, ``metric_kinds`` and ``hierarchy``
    (canonical populations and places) drive the ledger."""
    metrics = Metrics()
    codec = OrjsonCodec()
    app = faust.App(
        settings.app_id,
        broker=[f"kafka://{server}" for server in settings.bootstrap_servers],
        store=settings.store,
        datadir=str(settings.state_dir),
        value_serializer=codec,
        key_serializer="raw",
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        processing_guarantee=settings.processing_guarantee,
        consumer_auto_offset_reset="earliest",
        web_bind=settings.web_host,
        web_host=settings.web_host,
        web_port=settings.web_port,
        web_tables_enabled=settings.web_tables,
        web_router_enabled=False,  # Faust's /router/ views tell which worker holds a key: nothing we serve
        autodiscover=False,
        table_standby_replicas=0,
        broker_credentials=faust_credentials(settings),
        broker_session_timeout=settings.session_timeout,
        broker_heartbeat_interval=min(3.0, settings.session_timeout / 3),
        logging_config=logging_config(settings.log_level, [settings.sasl_secret()]),
    )
    news_items = app.topic(settings.topic(NEWS_ITEMS.name), key_serializer="raw", value_serializer="raw")
    dlq = app.topic(settings.topic(NEWS_ITEMS_DLQ.name), key_serializer="raw")
    # Values we encode ourselves (inside the error handling) travel as raw bytes.
    claims = app.topic(settings.topic(CLAIMS.name), key_serializer="raw", value_serializer="raw")
    current = app.topic(settings.topic(FIGURES_CURRENT.name), key_serializer="raw", value_serializer="raw")
    changes = app.topic(settings.topic(FIGURES_CHANGES.name), key_serializer="raw", value_serializer="raw")
    # Table writes go through write buffers, committed only once the message's outputs are acknowledged.
    seen: WriteBuffer[str, str] = WriteBuffer(app.Table("item-versions", partitions=settings.partitions,
                                                        key_type=str))
    series: WriteBuffer[str, dict[str, Any]] = WriteBuffer(app.Table("series", partitions=settings.partitions,
                                                                     key_type=str))
    ledger = Ledger(MappingStore(series), metric_kinds, ledger_settings(settings), hierarchy)
    sources = {news_items.get_topic_name(), claims.get_topic_name()}
    processed: dict[tuple[str, int], int] = {}  # (topic, partition) -> next offset to process

    handled = [0]  # messages finished by this worker, all agents and partitions

    def _progress(agent: str, message: Any) -> None:
        processed[(message.topic, message.partition)] = message.offset + 1
        handled[0] += 1
        metrics.last_progress.labels(agent).set(time.time())

    async def _skipped_ahead(message: Any) -> bool:
        """True when ``message`` lies past the next offset this partition owes us: earlier records were
        dropped unseen (Faust discards fetched records of a partition it left out of its active set, and then
        treats the jump as a gap). The partition is sought back to the missing offset and the message is left
        for the re-fetch, so nothing is lost. Our topics are never compacted, so a real gap cannot occur."""
        key = (message.topic, message.partition)
        committed = getattr(app.consumer, "_committed_offset", {})
        expected = processed.get(key)
        if expected is None:
            expected = committed.get(TP(message.topic, message.partition))
        if expected is None or message.offset <= expected:
            return False
        log.error("records skipped; seeking back", extra={"topic": message.topic, "partition": message.partition,
                                                          "expected": expected, "got": message.offset})
        metrics.stalls.labels(message.topic, str(message.partition)).inc()
        app.consumer.resume_partitions({TP(message.topic, message.partition)})
        await app.consumer.seek(TP(message.topic, message.partition), expected)
        processed[key] = expected
        return True

    @app.agent(news_items, name="ingest")
    async def ingest_agent(stream: faust.StreamT[bytes]) -> AsyncIterator[None]:
        async for event in stream.events():
            started = time.perf_counter()
            raw: bytes = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
            message = event.message
            if await _skipped_ahead(message):
                continue
            origin = Origin(message.topic, message.partition, message.offset, _timestamp_ms(message))
            metrics.items_received.inc()
            outputs: list[tuple[bytes, bytes]] = []
            try:
                with metrics.extraction_seconds.time():
                    result = ingest(raw, seen, max_bytes=settings.max_item_bytes, extract=extract)
                if isinstance(result, Accepted):  # encode here, so a claim that cannot be sent is caught too
                    outputs = [(c.conflict.encode(), orjson.dumps(c.to_dict())) for c in result.claims]
            except Exception as exc:
                seen.rollback()
                if not on_error(exc, origin):
                    raise
                result = Rejected("processing_error", f"{type(exc).__name__}: {exc}")
            if isinstance(result, Rejected):
                metrics.items_rejected.labels(result.reason).inc()
                log.warning("item rejected", extra={"reason": result.reason, "detail": result.detail[:300],
                                                    "partition": origin.partition, "offset": origin.offset})
                # No state changes with a rejection: Faust publishes it before the offset commits.
                await dlq.send(key=message.key, value=dead_letter(raw, result.reason, result.detail, origin,
                                                                  message.key))
            elif isinstance(result, Duplicate):
                metrics.items_duplicate.inc()
            else:
                metrics.items_accepted.inc()
                arrival = str(origin.timestamp_ms or int(time.time() * 1000)).encode()
                await _deliver([await claims.send(key=key, value=value, headers={ARRIVAL_HEADER: arrival}, force=True)
                                for key, value in outputs])
                for claim in result.claims:
                    metrics.claims_extracted.labels(claim.conflict, claim.metric).inc()
                await _commit(seen)
            metrics.processing_seconds.labels("ingest").observe(time.perf_counter() - started)
            _progress("ingest", message)
            yield None

    async def _deliver(futures: list[Awaitable[Any]]) -> None:
        """Wait until the broker has acknowledged every output of the current message."""
        for future in futures:
            await future

    async def _commit(buffer: WriteBuffer[Any, Any]) -> None:
        """Write the message's state change and flush it to the changelog before its offset can commit."""
        if buffer.commit():
            await app.producer.flush()

    @app.agent(claims, name="ledger")
    async def ledger_agent(stream: faust.StreamT[Any]) -> AsyncIterator[None]:
        async for event in stream.events():
            started = time.perf_counter()
            message = event.message
            if await _skipped_ahead(message):
                continue
            try:
                outcome = ledger.apply(Claim.from_dict(orjson.loads(event.value)))
                outputs = _encode(outcome)
            except Exception as exc:
                series.rollback()
                if not on_error(exc, Origin(message.topic, message.partition, message.offset,
                                            _timestamp_ms(message))):
                    raise
                _progress("ledger", message)
                continue
            await _deliver([await topic.send(key=key, value=value, partition=partition, force=True)
                            for topic, key, value, partition in outputs])
            _count(outcome.event, _arrival_ms(message))
            await _commit(series)
            metrics.processing_seconds.labels("ledger").observe(time.perf_counter() - started)
            _progress("ledger", message)
            yield None

    def _encode(outcome: Outcome) -> list[tuple[Any, bytes, bytes | None, int]]:
        """The outcome's messages, encoded: tombstones for evicted series, the new state, the event."""
        partition = _partition_of(outcome.series_key)
        key = outcome.series_key.encode()
        outputs: list[tuple[Any, bytes, bytes | None, int]] = [
            (current, evicted.encode(), None, _partition_of(evicted)) for evicted in outcome.evicted
        ]
        if outcome.state is not None:
            outputs.append((current, key, orjson.dumps(outcome.state), partition))
        if outcome.event is not None:
            outputs.append((changes, key, orjson.dumps(outcome.event), partition))
        return outputs

    def _count(event: dict[str, Any] | None, arrival_ms: int | None) -> None:
        if event is None:
            return
        metrics.change_events.labels(event["kind"], event["conflict"]).inc()
        if event["kind"] == "contradiction":
            metrics.contradictions.labels(event["conflict"], event["metric"]).inc()
        if arrival_ms is not None:
            metrics.end_to_end_seconds.observe(max(0.0, time.time() - arrival_ms / 1000))

    def _partition_of(series_key: str) -> int:
        return partition_for(series_key.split("|", 1)[0], settings.partitions)

    recovery: Any = app.tables.recovery  # type: ignore[attr-defined]  # on TableManager, not its interface

    def _ready() -> bool:
        return bool(recovery.completed.is_set() and not app.rebalancing)

    watchdog = Watchdog(after_seconds=settings.stall_seconds)

    async def _unstall(stalled: list[Any], positions: Mapping[Any, int]) -> None:
        """Say loudly what stalled; re-activate and re-seek stalled partitions (a Faust consumer can leave a
        newly assigned partition out of its active set after a rebalance and never fetch it again)."""
        for key in stalled:
            strikes = watchdog.strikes[key]
            if key == "recovery":
                log.error("table recovery stalled", extra={"strikes": strikes})
                continue
            metrics.stalls.labels(key.topic, str(key.partition)).inc()
            log.error("partition stalled; resuming it", extra={"topic": key.topic, "partition": key.partition,
                                                              "position": positions[key], "strikes": strikes})
            app.consumer.resume_partitions({key})
            await app.consumer.seek(key, positions[key])

    async def sample_gauges() -> None:
        """Lag per assigned source partition (cleared first: nothing stale after a rebalance), sizes, state."""
        assigned = [tp for tp in app.consumer.assignment() if tp.topic in sources]
        highwaters = await app.consumer.highwaters(*assigned) if assigned else {}
        # Faust has no public accessor for committed offsets; they are the position until we process one.
        committed = getattr(app.consumer, "_committed_offset", {})
        metrics.consumer_lag.clear()
        positions = {}
        progress: dict[Any, tuple[int, int]] = {}
        for tp in assigned:
            position = processed.get((tp.topic, tp.partition)) or committed.get(tp) or 0
            highwater = highwaters.get(tp)
            if highwater is not None and highwater >= 0:
                lag = max(0, highwater - position)
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)
                positions[tp] = position
                # A partition stalls only while the worker finishes nothing at all: one busy with a slow
                # message of another partition is not stalled (the agents serve all partitions in turn).
                progress[tp] = (handled[0], lag if _ready() else 0)
        for key in [key for key in processed if key not in {(tp.topic, tp.partition) for tp in assigned}]:
            del processed[key]
        remaining = recovery.active_remaining_total()
        metrics.recovery_remaining.set(remaining)
        progress["recovery"] = (remaining, remaining)
        await _unstall(watchdog.observe(time.monotonic(), progress), positions)
        metrics.worker_ready.set(1 if _ready() else 0)
        states = [state for _, state in ledger.store.items()]
        metrics.table_series.set(len(states))
        metrics.table_history.set(sum(len(state["history"]) for state in states))

    async def on_assigned(sender: Any, /, *args: Any, signal: BaseSignalT[Any], **kwargs: Any) -> None:
        metrics.rebalances.inc()
        processed.clear()  # positions start again from the committed offsets of the new assignment

    app.timer(interval=GAUGE_INTERVAL_SECONDS)(sample_gauges)
    app.on_partitions_assigned.connect(on_assigned)

    @app.page("/metrics")
    async def metrics_page(web: View, request: Request) -> Response:
        return web.bytes(metrics.exposition(), content_type="text/plain")

    @app.page("/readyz")
    async def readyz(web: View, request: Request) -> Response:
        ready = _ready()
        return web.json({"status": "ready" if ready else "not ready"}, status=200 if ready else 503)

    @app.page("/healthz")
    async def healthz(web: View, request: Request) -> Response:
        return web.json({"status": "alive"})

    return app


def ledger_settings(settings: Settings) -> LedgerSettings:
    """The ledger's rules and bounds as the settings state them."""
    return LedgerSettings(same_period_days=settings.same_period_days, restatement_days=settings.restatement_days)


def _arrival_ms(message: Any) -> int | None:
    headers = message.headers or {}
    pairs = headers.items() if isinstance(headers, dict) else headers
    for name, value in pairs:
        if name == ARRIVAL_HEADER and value:
            return int(value)
    return None


def _timestamp_ms(message: Any) -> int | None:
    ts = getattr(message, "timestamp", None)
    return int(ts * 1000) if ts else None
