"""The Faust app: topics, tables and agents, a thin shell around the pure pipeline and ledger.

:func:`create_app` builds everything from a :class:`~streams.settings.Settings`; nothing lives at module
level. Agents only move bytes: parsing, placing, de-duplication, extraction and bounds happen in
:func:`streams.pipeline.ingest`; every output goes through :mod:`streams.delivery` (retried until the broker
acknowledges it), and a message that cannot be processed goes to the dead-letter topic
(:mod:`streams.deadletter`), so an agent never crashes and never commits past an unfinished message.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import Any

import faust
import orjson
from faust.types import TP
from faust.web import Request, Response, View
from mode import BaseSignalT

from streams._exceptions import BrokerError, OutputRefused
from streams.claims import Claim
from streams.codecs import OrjsonCodec
from streams.deadletter import MIN_LIMIT, Origin, dead_letter, dlq_key, encode
from streams.delivery import Delivery
from streams.errors import ProcessingErrorCallback, skip_and_log
from streams.hierarchy import Hierarchy
from streams.kafkaio import GroupLag
from streams.ledger import Ledger, LedgerSettings, MappingStore, Outcome
from streams.logs import get_logger, logging_config
from streams.metrics import Metrics
from streams.pipeline import Accepted, Bounds, Duplicate, Extract, Misplaced, Rejected, ingest, plausible_latency
from streams.security import faust_credentials
from streams.settings import Settings
from streams.topics import (
    CLAIMS,
    DLQ_RECORD_BYTES,
    FIGURES_CHANGES,
    FIGURES_CURRENT,
    MAX_REQUEST_BYTES,
    NEWS_ITEMS,
    NEWS_ITEMS_DLQ,
    claim_address,
    item_partition,
    replication_configs,
    series_partition,
)
from streams.watchdog import Watchdog
from streams.writebuffer import WriteBuffer

log = get_logger("app")
ARRIVAL_HEADER = "figurewatch-arrival-ms"
GAUGE_INTERVAL_SECONDS = 5.0
BROKER_TIMEOUT_SECONDS = 4.0
"""A lag query the broker has not answered in this time counts as the broker unreachable."""
MAX_LATENCY_SECONDS = NEWS_ITEMS.retention_ms / 1000
"""An arrival older than news.items' retention cannot be true (a timestamp of 1 ms, in 1970)."""
CLOCK_SKEW_SECONDS = 300.0


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
        topic_replication_factor=settings.replication_factor,
        processing_guarantee=settings.processing_guarantee,
        producer_max_request_size=MAX_REQUEST_BYTES,
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
    dlq = app.topic(settings.topic(NEWS_ITEMS_DLQ.name), key_serializer="raw", value_serializer="raw")
    # Values we encode ourselves (inside the error handling) travel as raw bytes.
    claims = app.topic(settings.topic(CLAIMS.name), key_serializer="raw", value_serializer="raw")
    current = app.topic(settings.topic(FIGURES_CURRENT.name), key_serializer="raw", value_serializer="raw")
    changes = app.topic(settings.topic(FIGURES_CHANGES.name), key_serializer="raw", value_serializer="raw")
    # Table writes go through write buffers, committed only once the message's outputs are acknowledged.
    replicated = replication_configs(settings)  # the changelogs' min.insync.replicas
    seen: WriteBuffer[str, str] = WriteBuffer(app.Table("item-versions", partitions=settings.partitions,
                                                        key_type=str, extra_topic_configs=replicated))
    series: WriteBuffer[str, dict[str, Any]] = WriteBuffer(app.Table("series", partitions=settings.partitions,
                                                                     key_type=str, extra_topic_configs=replicated))
    bounds = item_bounds(settings)
    ledger = Ledger(MappingStore(series), metric_kinds, ledger_settings(settings), hierarchy)
    news_items_name = news_items.get_topic_name()
    sources = {news_items_name, claims.get_topic_name()}
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

    delivery = Delivery()

    def _owned(message: Any) -> bool:
        """True while this worker still holds the message's partition in the generation that fetched it."""
        return bool(message.tp in app.consumer.assignment()
                    and message.generation_id == app.consumer_generation_id)

    async def _publish(agent: str, message: Any, outputs: list[tuple[Any, bytes | None, bytes | None, int | None]],
                       headers: dict[str, bytes] | None = None, timestamp: float | None = None) -> bool:
        """Send ``outputs`` (topic, key, value, partition) and wait for the broker's acks, retrying what fails
        (see :mod:`streams.delivery`); False when the partition was lost meanwhile."""

        async def send() -> None:
            await _deliver([await topic.send(key=key, value=value, partition=partition, headers=headers,
                                             timestamp=timestamp, force=True)
                            for topic, key, value, partition in outputs])

        def failed(exc: Exception, attempt: int) -> None:
            metrics.send_failures.labels(agent).inc()
            log.error("output not acknowledged; retrying", extra={
                "agent": agent, "topic": message.topic, "partition": message.partition, "offset": message.offset,
                "attempt": attempt, "error": f"{type(exc).__name__}: {exc}"[:300]})

        return await delivery.deliver(send, (message.topic, message.partition), lambda: _owned(message), failed)

    async def _dead_letter(agent: str, message: Any, raw: bytes, reason: str, detail: str) -> bool:
        """Put the message on the dead-letter topic, as a smaller (truncated) record each time the broker refuses
        one as too large; False when the partition was lost meanwhile."""
        origin = Origin(message.topic, message.partition, message.offset, _timestamp_ms(message))
        limit = DLQ_RECORD_BYTES
        while True:
            record = dead_letter(raw, reason, detail, origin, message.key, stage=agent, limit=limit)
            value = encode(record)
            try:
                done = await _publish(agent, message, [(dlq, dlq_key(message.key), value, None)])
            except OutputRefused as exc:
                log.error("dead-letter record refused as too large; truncating", extra={
                    "size": len(value), "partition": message.partition, "offset": message.offset, "error": str(exc)})
                if limit <= MIN_LIMIT:
                    await asyncio.sleep(delivery.max_retry_seconds)
                limit = max(MIN_LIMIT, len(value) // 2)
                continue
            if done:
                metrics.dead_lettered.labels(agent, reason).inc()
                if record["truncated"]:
                    metrics.dead_letters_truncated.inc()
                log.warning("dead-lettered", extra={
                    "stage": agent, "reason": reason, "detail": detail[:300], "topic": message.topic,
                    "partition": message.partition, "offset": message.offset, "truncated": record["truncated"]})
            return done

    def _home(item_id: str) -> int:
        """The partition of news.items an item id lives on, among the topic's partitions as the broker has them."""
        return item_partition(item_id, app.consumer.topic_partitions(news_items_name) or settings.partitions)

    def _here(message: Any) -> Callable[[str], bool]:
        """Whether an item id lives where ``message`` was read: its key is the id, on the id's partition."""
        return lambda item_id: message.key == item_id.encode() and message.partition == _home(item_id)

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
            outputs: list[tuple[Any, bytes | None, bytes | None, int | None]] = []
            try:
                with metrics.extraction_seconds.time():
                    result = ingest(raw, seen, max_bytes=settings.max_item_bytes, extract=extract, bounds=bounds,
                                    here=_here(message))
                if isinstance(result, Accepted):  # encode here, so a claim that cannot be sent is caught too
                    outputs = [(claims, key, orjson.dumps(c.to_dict()), partition) for c in result.claims
                               for key, partition in [claim_address(c, settings.partitions)]]
            except Exception as exc:
                seen.rollback()
                if not on_error(exc, origin):
                    raise
                result = Rejected("processing_error", f"{type(exc).__name__}: {exc}")
            done = True
            if isinstance(result, Misplaced):
                home = _home(result.item_id)
                done = await _publish("ingest", message, [(news_items, result.item_id.encode(), raw, home)],
                                      timestamp=message.timestamp)
                if done:
                    metrics.items_forwarded.inc()
                    log.info("item forwarded to the partition of its id", extra={
                        "item_id": result.item_id[:200], "partition": message.partition, "offset": message.offset,
                        "to": home})
            elif isinstance(result, Accepted):
                arrival = str(origin.timestamp_ms or int(time.time() * 1000)).encode()
                try:
                    done = await _publish("ingest", message, outputs, {ARRIVAL_HEADER: arrival})
                except OutputRefused as exc:
                    seen.rollback()
                    result = Rejected("output_too_large", str(exc))
                else:
                    if done:
                        metrics.items_accepted.inc()
                        _count_cuts(result)
                        for claim in result.claims:
                            metrics.claims_extracted.labels(claim.conflict, claim.metric).inc()
                        await _commit(seen)
            elif isinstance(result, Duplicate):
                metrics.items_duplicate.inc()
            if isinstance(result, Rejected):
                done = await _dead_letter("ingest", message, raw, result.reason, result.detail)
                if done:
                    metrics.items_rejected.labels(result.reason).inc()
            if not done:  # the partition moved to another worker, which reads this message again
                seen.rollback()
                continue
            metrics.processing_seconds.labels("ingest").observe(time.perf_counter() - started)
            _progress("ingest", message)
            yield None

    def _count_cuts(result: Accepted) -> None:
        for bound in result.cut:
            metrics.bounds_cut.labels(bound).inc()
        if result.claims_cut:
            log.warning("claims per item cut", extra={"item_id": result.item.id[:200], "kept": len(result.claims),
                                                      "cut": result.claims_cut})

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
            raw: bytes = event.value if isinstance(event.value, bytes) else bytes(event.value or b"")
            try:
                outcome = ledger.apply(Claim.from_dict(orjson.loads(raw)))
                outputs = _encode(outcome)
            except Exception as exc:
                _discard()
                if not on_error(exc, Origin(message.topic, message.partition, message.offset,
                                            _timestamp_ms(message))):
                    raise
                done = await _dead_letter("ledger", message, raw, "processing_error", f"{type(exc).__name__}: {exc}")
            else:
                try:
                    done = await _publish("ledger", message, outputs)
                except OutputRefused as exc:
                    _discard()
                    done = await _dead_letter("ledger", message, raw, "output_too_large", str(exc))
                else:
                    if done:
                        _count(outcome.event, _arrival_ms(message))
                        await _commit(series)
            if not done:
                _discard()
                continue
            metrics.processing_seconds.labels("ledger").observe(time.perf_counter() - started)
            _progress("ledger", message)
            yield None

    def _discard() -> None:
        """Forget the message's held series writes; the ledger counted them, so it counts the store again."""
        if series.rollback():
            ledger.recount()

    def _encode(outcome: Outcome) -> list[tuple[Any, bytes | None, bytes | None, int | None]]:
        """The outcome's messages, encoded: tombstones for evicted series, the new state, the event."""
        partition = _partition_of(outcome.series_key)
        key = outcome.series_key.encode()
        outputs: list[tuple[Any, bytes | None, bytes | None, int | None]] = [
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
        if arrival_ms is None:
            return
        latency = plausible_latency(time.time(), arrival_ms, max_seconds=MAX_LATENCY_SECONDS,
                                    skew_seconds=CLOCK_SKEW_SECONDS)
        if latency is None:
            metrics.implausible_arrivals.inc()
        else:
            metrics.end_to_end_seconds.observe(latency)

    def _partition_of(series_key: str) -> int:
        return series_partition(series_key, settings.partitions)

    recovery: Any = app.tables.recovery  # type: ignore[attr-defined]  # on TableManager, not its interface
    watchdog = Watchdog(after_seconds=settings.stall_seconds)
    group_lag = GroupLag(settings, BROKER_TIMEOUT_SECONDS)
    broker_ok = [False]
    lag_query: list[asyncio.Future[Any] | None] = [None]

    def _consuming() -> bool:
        return bool(recovery.completed.is_set() and not app.rebalancing)

    def _ready() -> bool:
        """Consuming, the broker answering, no partition (or recovery) stalled, no output waiting on a retry."""
        return _consuming() and broker_ok[0] and not watchdog.stalled and not delivery.waiting

    async def _broker_offsets(assigned: list[Any]) -> dict[tuple[str, int], tuple[int, int]] | None:
        """The broker's (committed offset, high watermark) per assigned partition; None when the broker does not
        answer in time (a query still hanging from the last sample counts as no answer)."""
        if lag_query[0] is not None and not lag_query[0].done():
            return None
        query = asyncio.ensure_future(asyncio.to_thread(
            group_lag.offsets, settings.app_id, [(tp.topic, tp.partition) for tp in assigned]))
        lag_query[0] = query
        query.add_done_callback(lambda done: done.cancelled() or done.exception())  # retrieved even after a timeout
        try:
            return await asyncio.wait_for(asyncio.shield(query), BROKER_TIMEOUT_SECONDS)
        except (BrokerError, TimeoutError) as exc:
            if broker_ok[0]:
                log.error("broker unreachable; not ready", extra={"error": str(exc)[:300]})
            return None

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
        """Lag per assigned source partition as the broker states it (cleared first: nothing stale after a
        rebalance; kept as last known while the broker does not answer), sizes, readiness."""
        assigned = [tp for tp in app.consumer.assignment() if tp.topic in sources]
        offsets = await _broker_offsets(assigned)
        if offsets is not None and not broker_ok[0]:
            log.info("broker reachable", extra={"partitions": len(offsets)})
        broker_ok[0] = offsets is not None
        metrics.broker_reachable.set(1 if broker_ok[0] else 0)
        positions = {}
        progress: dict[Any, tuple[int, int]] = {}
        if offsets is not None:
            metrics.consumer_lag.clear()
            for tp in assigned:
                committed, highwater = offsets[(tp.topic, tp.partition)]
                lag = max(0, highwater - committed)
                metrics.consumer_lag.labels(tp.topic, str(tp.partition)).set(lag)
                positions[tp] = processed.get((tp.topic, tp.partition)) or committed
                # A partition stalls only while the worker finishes nothing at all: one busy with a slow
                # message of another partition is not stalled (the agents serve all partitions in turn).
                progress[tp] = (handled[0], lag if _consuming() else 0)
        for key in [key for key in processed if key not in {(tp.topic, tp.partition) for tp in assigned}]:
            del processed[key]
        remaining = recovery.active_remaining_total()
        metrics.recovery_remaining.set(remaining)
        progress["recovery"] = (remaining, remaining)
        await _unstall(watchdog.observe(time.monotonic(), progress), positions)
        metrics.worker_ready.set(1 if _ready() else 0)
        if _consuming():  # counted once per assignment (after recovery), then kept by the ledger: no scan
            series_count, history_count = ledger.sizes()
            metrics.table_series.set(series_count)
            metrics.table_history.set(history_count)

    async def on_assigned(sender: Any, /, *args: Any, signal: BaseSignalT[Any], **kwargs: Any) -> None:
        metrics.rebalances.inc()
        processed.clear()  # positions start again from the committed offsets of the new assignment
        ledger.recount()  # the series table now holds the partitions of the new assignment

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


def item_bounds(settings: Settings) -> Bounds:
    """What one item may cost, as the settings state it."""
    return Bounds(settings.max_claims_per_item, settings.max_body_chars, settings.max_sentence_chars)


def ledger_settings(settings: Settings) -> LedgerSettings:
    """The ledger's rules and bounds as the settings state them."""
    return LedgerSettings(same_period_days=settings.same_period_days, restatement_days=settings.restatement_days)


def _arrival_ms(message: Any) -> int | None:
    headers = message.headers or {}
    pairs = headers.items() if isinstance(headers, dict) else headers
    for name, value in pairs:
        if name == ARRIVAL_HEADER and value:
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _timestamp_ms(message: Any) -> int | None:
    ts = getattr(message, "timestamp", None)
    return int(ts * 1000) if ts else None
