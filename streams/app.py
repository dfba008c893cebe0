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
import weakref
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

import faust
import orjson
from faust.streams import _current_event, current_event
from faust.types import TP
from faust.web import Request, Response, View
from mode import BaseSignalT

from streams._exceptions import BrokerError, OutputRefused
from streams.claims import Claim
from streams.codecs import JsonValues, OrjsonCodec
from streams.deadletter import MIN_LIMIT, Origin, dead_letter, dlq_key, encode
from streams.delivery import Delivery
from streams.errors import ProcessingErrorCallback, skip_and_log
from streams.hierarchy import Hierarchy
from streams.kafkaio import GroupLag
from streams.ledger import Ledger, LedgerSettings, MappingStore, Outcome
from streams.logs import get_logger, logging_config
from streams.metrics import Metrics
from streams.pipeline import (
    Accepted,
    Bounds,
    Duplicate,
    Extract,
    IngestResult,
    Misplaced,
    Rejected,
    ingest,
    plausible_latency,
)
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
    # Table writes go through write buffers, committed only once the batch's outputs are acknowledged.
    replicated = replication_configs(settings)  # the changelogs' min.insync.replicas
    seen_table = _table(app, "item-versions", settings.partitions, replicated)
    series_table = _table(app, "series", settings.partitions, replicated)
    seen: WriteBuffer[str, str] = WriteBuffer(JsonValues(seen_table))
    series: WriteBuffer[str, dict[str, Any]] = WriteBuffer(JsonValues(series_table))
    bounds = item_bounds(settings)
    ledger = Ledger(MappingStore(series), metric_kinds, ledger_settings(settings), hierarchy)
    news_items_name, claims_name = news_items.get_topic_name(), claims.get_topic_name()
    dlq_name, current_name, changes_name = (topic.get_topic_name() for topic in (dlq, current, changes))
    sources = {news_items_name, claims_name}
    processed: dict[tuple[str, int], int] = {}  # (topic, partition) -> next offset to process

    handled = [0]  # messages finished by this worker, all agents and partitions

    async def _skipped_ahead(message: Any, expected: int | None) -> bool:
        """True when ``message`` lies past the next offset this partition owes us: earlier records were
        dropped unseen (Faust discards fetched records of a partition it left out of its active set, and then
        treats the jump as a gap). The partition is sought back to the missing offset and the message is left
        for the re-fetch, so nothing is lost. Our topics are never compacted, so a real gap cannot occur."""
        key = (message.topic, message.partition)
        committed = getattr(app.consumer, "_committed_offset", {})
        if expected is None:
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

    def _all_owned(messages: Sequence[Any]) -> Callable[[], bool]:
        return lambda: all(_owned(message) for message in messages)

    def _failed(agent: str, messages: Sequence[Any], what: str) -> Callable[[Exception, int], None]:
        def failed(exc: Exception, attempt: int) -> None:
            metrics.send_failures.labels(agent).inc()
            first = messages[0]
            log.error(f"{what} not acknowledged; retrying", extra={
                "agent": agent, "topic": first.topic, "partition": first.partition, "offset": first.offset,
                "messages": len(messages), "attempt": attempt, "error": f"{type(exc).__name__}: {exc}"[:300]})
        return failed

    async def _publish(agent: str, messages: Sequence[Any], outputs: Sequence[Output],
                       acked: set[Output] | None = None) -> bool:
        """Send ``outputs`` (the messages' records, in order) without waiting between them, then wait for every
        acknowledgement, retrying what failed (see :mod:`streams.delivery`); False when a message's partition
        was lost meanwhile. Raises OutputRefused when a record is too large for good. Records already in
        ``acked`` are not sent again, and each record the broker acknowledges is added to it."""
        acked = set() if acked is None else acked
        if all(out in acked for out in outputs):
            return True

        async def send() -> None:
            pending = [out for out in outputs if out not in acked]
            futures = [await app.producer.send(out.topic, out.key, out.value, out.partition, out.timestamp,
                                               list(out.headers) if out.headers else None) for out in pending]
            results = await asyncio.gather(*futures, return_exceptions=True)
            failures = [result for result in results if isinstance(result, BaseException)]
            acked.update(out for out, result in zip(pending, results, strict=True)
                         if not isinstance(result, BaseException))
            if failures:
                raise failures[0]

        return await delivery.deliver(send, agent, _all_owned(messages), _failed(agent, messages, "output"))

    async def _commit(agent: str, buffer: WriteBuffer[str, Any], table: ChangelogTable,
                      messages: Sequence[Any]) -> bool:
        """Write the held state changes, each as its message's event, and wait for the broker to acknowledge
        their changelog records (made again when one fails); only then may the messages' offsets commit."""
        writes = buffer.commit(_as_event)
        if not writes:
            return True
        attempts = [0]

        async def flush() -> None:
            if attempts[0]:
                buffer.apply(writes, _as_event)
            attempts[0] += 1
            await table.flush()

        return await delivery.deliver(flush, agent, _all_owned(messages), _failed(agent, messages, "state change"))

    def _dead_letter_output(stage: str, message: Any, raw: bytes, rejected: Rejected,
                            limit: int = DLQ_RECORD_BYTES) -> tuple[Output, bool]:
        """The dead-letter record of ``message`` at most ``limit`` bytes, and whether it had to be truncated."""
        origin = Origin(message.topic, message.partition, message.offset, _timestamp_ms(message))
        record = dead_letter(raw, rejected.reason, rejected.detail, origin, message.key, stage=stage, limit=limit)
        return Output(dlq_name, dlq_key(message.key), encode(record), None), bool(record["truncated"])

    def _dead_lettered(stage: str, message: Any, rejected: Rejected, truncated: bool) -> None:
        metrics.dead_lettered.labels(stage, rejected.reason).inc()
        if truncated:
            metrics.dead_letters_truncated.inc()
        log.warning("dead-lettered", extra={
            "stage": stage, "reason": rejected.reason, "detail": rejected.detail[:300], "topic": message.topic,
            "partition": message.partition, "offset": message.offset, "truncated": truncated})

    async def _dead_letter(stage: str, message: Any, raw: bytes, rejected: Rejected, acked: set[Output]) -> bool:
        """Put one message on the dead-letter topic (unless its record is in ``acked``), as a smaller
        (truncated) record each time the broker refuses one as too large; False when the partition was lost."""
        limit = DLQ_RECORD_BYTES
        while True:
            output, truncated = _dead_letter_output(stage, message, raw, rejected, limit)
            try:
                done = await _publish(stage, [message], [output], acked)
            except OutputRefused as exc:
                log.error("dead-letter record refused as too large; truncating", extra={
                    "size": len(output.value or b""), "partition": message.partition, "offset": message.offset,
                    "error": str(exc)})
                if limit <= MIN_LIMIT:
                    await asyncio.sleep(delivery.max_retry_seconds)
                limit = max(MIN_LIMIT, len(output.value or b"") // 2)
                continue
            if done:
                _dead_lettered(stage, message, rejected, truncated)
            return done

    def _home(item_id: str) -> int:
        """The partition of news.items an item id lives on, among the topic's partitions as the broker has them."""
        return item_partition(item_id, app.consumer.topic_partitions(news_items_name) or settings.partitions)

    def _here(message: Any) -> Callable[[str], bool]:
        """Whether an item id lives where ``message`` was read: its key is the id, on the id's partition."""
        return lambda item_id: message.key == item_id.encode() and message.partition == _home(item_id)

    def _ingest_step(event: Any) -> Step:
        """Ingest one item (its ``seen`` write held in the buffer, kept under its event): what it publishes."""
        message = event.message
        raw = _raw(event)
        try:
            with _as_event(event), metrics.extraction_seconds.time():
                result = ingest(raw, seen, max_bytes=settings.max_item_bytes, extract=extract, bounds=bounds,
                                here=_here(message))
            outputs: list[Output] = []
            if isinstance(result, Accepted):  # encode here, so a claim that cannot be sent is caught too
                arrival = ((ARRIVAL_HEADER, str(_timestamp_ms(message) or int(time.time() * 1000)).encode()),)
                outputs = [Output(claims_name, key, orjson.dumps(c.to_dict()), partition, arrival)
                           for c in result.claims for key, partition in [claim_address(c, settings.partitions)]]
        except Exception as exc:
            seen.rollback()
            if not on_error(exc, Origin(message.topic, message.partition, message.offset, _timestamp_ms(message))):
                raise
            result = Rejected("processing_error", f"{type(exc).__name__}: {exc}")
        seen.keep(event)
        if isinstance(result, Misplaced):
            outputs = [Output(news_items_name, result.item_id.encode(), raw, _home(result.item_id), None,
                              message.timestamp)]
        elif isinstance(result, Rejected):
            output, truncated = _dead_letter_output("ingest", message, raw, result)
            return Step(event, raw, [output], result, truncated)
        return Step(event, raw, outputs, result)

    def _ingest_done(step: Step) -> None:
        """Count what one finished item did."""
        result, message = step.result, step.event.message
        if isinstance(result, Misplaced):
            metrics.items_forwarded.inc()
            log.info("item forwarded to the partition of its id", extra={
                "item_id": result.item_id[:200], "partition": message.partition, "offset": message.offset,
                "to": _home(result.item_id)})
        elif isinstance(result, Accepted):
            metrics.items_accepted.inc()
            _count_cuts(result)
            for claim in result.claims:
                metrics.claims_extracted.labels(claim.conflict, claim.metric).inc()
        elif isinstance(result, Duplicate):
            metrics.items_duplicate.inc()
        elif isinstance(result, Rejected):
            metrics.items_rejected.labels(result.reason).inc()
            _dead_lettered("ingest", message, result, step.truncated)

    async def _ingest_alone(step: Step, acked: set[Output]) -> bool:
        """Publish one item's outputs (those not in ``acked``) and commit its state on its own: an output refused
        as too large makes the item a dead letter (truncated as needed). False when its partition was lost."""
        message = step.event.message
        result = step.result
        if isinstance(result, Rejected):
            done = await _dead_letter("ingest", message, step.raw, result, acked)
            if done:
                metrics.items_rejected.labels(result.reason).inc()
            return done
        try:
            done = await _publish("ingest", [message], step.outputs, acked)
        except OutputRefused as exc:
            seen.discard()
            rejected = Rejected("output_too_large", str(exc))
            done = await _dead_letter("ingest", message, step.raw, rejected, acked)
            if done:
                metrics.items_rejected.labels(rejected.reason).inc()
            return done
        if done and await _commit("ingest", seen, seen_table, [message]):
            _ingest_done(step)
            return True
        seen.discard()
        return False

    ingesting = Stage("ingest", _ingest_step, _ingest_done, _ingest_alone, seen, seen_table)

    @app.agent(news_items, name="ingest")
    async def ingest_agent(stream: Any) -> None:
        async for events in stream.take_events(settings.batch_max, settings.batch_seconds):
            metrics.items_received.inc(len(events))
            await _in_batch(ingesting, events)

    def _count_cuts(result: Accepted) -> None:
        for bound in result.cut:
            metrics.bounds_cut.labels(bound).inc()
        if result.claims_cut:
            log.warning("claims per item cut", extra={"item_id": result.item.id[:200], "kept": len(result.claims),
                                                      "cut": result.claims_cut})

    async def _in_batch(stage: Stage, events: Sequence[Any]) -> None:
        """Process a batch: every message's step (state changes held), then all their outputs sent at once and
        acknowledged, then the state changes written and their changelog records acknowledged; only then are
        the messages done (``take_events`` acks them after this returns). When a record is refused as too
        large or a partition is lost, the batch is done again a message at a time (``alone``), so only the
        message at fault is dead-lettered and only the lost partition's messages are left to their new owner."""
        agent, buffer = stage.name, stage.buffer
        started = time.perf_counter()
        batch, advanced = await _in_order(events)
        if not batch:
            return
        steps = [stage.step(event) for event in batch]
        messages = [event.message for event in batch]
        outputs = _latest_states([output for step in steps for output in step.outputs])
        acked: set[Output] = set()
        try:
            published = await _publish(agent, messages, outputs, acked)
        except OutputRefused as exc:
            log.warning("a record of the batch refused as too large; one message at a time", extra={
                "agent": agent, "messages": len(batch), "error": str(exc)[:300]})
            published = False
        if published and await _commit(agent, buffer, stage.table, messages):
            for step in steps:
                stage.done(step)
            _finish(agent, len(batch), started, advanced)
            return
        if buffer.discard() and buffer is series:
            ledger.recount()
        for step in steps:
            if not _owned(step.event.message):
                advanced.pop((step.event.message.topic, step.event.message.partition), None)
                continue
            if await stage.alone(stage.step(step.event), acked):  # once more, from the state the batch left unchanged
                _finish(agent, 1, started, {})
            else:
                advanced.pop((step.event.message.topic, step.event.message.partition), None)
        processed.update(advanced)

    def _finish(agent: str, count: int, started: float, advanced: dict[tuple[str, int], int]) -> None:
        """Each message of the batch took the batch's time, from its start to its outputs' acknowledgement."""
        processed.update(advanced)
        elapsed = time.perf_counter() - started
        histogram = metrics.processing_seconds.labels(agent)
        for _ in range(count):
            histogram.observe(elapsed)
        handled[0] += count
        metrics.last_progress.labels(agent).set(time.time())

    async def _in_order(events: Sequence[Any]) -> tuple[list[Any], dict[tuple[str, int], int]]:
        """The batch's events to process (none of a partition past the next offset it owes us), and the next
        offset of each partition once they are done (``processed`` moves only when the batch is settled)."""
        kept: list[Any] = []
        sought: set[tuple[str, int]] = set()
        advanced: dict[tuple[str, int], int] = {}
        for event in events:
            message = event.message
            key = (message.topic, message.partition)
            if key in sought or await _skipped_ahead(message, advanced.get(key)):
                sought.add(key)
                continue
            advanced[key] = message.offset + 1
            kept.append(event)
        return kept, advanced

    def _ledger_step(event: Any) -> Step:
        """Apply one claim (its series writes held in the buffer, kept under its event): what it publishes."""
        message = event.message
        raw = _raw(event)
        try:
            with _as_event(event):
                outcome = ledger.apply(Claim.from_dict(orjson.loads(raw)))
            outputs = _encode(outcome)
        except Exception as exc:
            if series.rollback():
                ledger.recount()  # the ledger counted the forgotten writes
            if not on_error(exc, Origin(message.topic, message.partition, message.offset, _timestamp_ms(message))):
                raise
            rejected = Rejected("processing_error", f"{type(exc).__name__}: {exc}")
            series.keep(event)
            output, truncated = _dead_letter_output("ledger", message, raw, rejected)
            return Step(event, raw, [output], rejected, truncated)
        series.keep(event)
        return Step(event, raw, outputs, outcome)

    def _ledger_done(step: Step) -> None:
        if isinstance(step.result, Rejected):
            _dead_lettered("ledger", step.event.message, step.result, step.truncated)
        elif isinstance(step.result, Outcome):
            _count(step.result.event, _arrival_ms(step.event.message))

    async def _ledger_alone(step: Step, acked: set[Output]) -> bool:
        message = step.event.message
        if isinstance(step.result, Rejected):
            return await _dead_letter("ledger", message, step.raw, step.result, acked)
        try:
            done = await _publish("ledger", [message], step.outputs, acked)
        except OutputRefused as exc:
            if series.discard():
                ledger.recount()
            return await _dead_letter("ledger", message, step.raw, Rejected("output_too_large", str(exc)), acked)
        if done and await _commit("ledger", series, series_table, [message]):
            _ledger_done(step)
            return True
        if series.discard():
            ledger.recount()
        return False

    applying = Stage("ledger", _ledger_step, _ledger_done, _ledger_alone, series, series_table)

    @app.agent(claims, name="ledger")
    async def ledger_agent(stream: Any) -> None:
        async for events in stream.take_events(settings.batch_max, settings.batch_seconds):
            await _in_batch(applying, events)

    def _encode(outcome: Outcome) -> list[Output]:
        """The outcome's messages, encoded: tombstones for evicted series, the new state, the event."""
        partition = _partition_of(outcome.series_key)
        key = outcome.series_key.encode()
        outputs = [Output(current_name, evicted.encode(), None, _partition_of(evicted))
                   for evicted in outcome.evicted]
        if outcome.state is not None:
            outputs.append(Output(current_name, key, orjson.dumps(outcome.state), partition))
        if outcome.event is not None:
            outputs.append(Output(changes_name, key, orjson.dumps(outcome.event), partition))
        return outputs

    def _latest_states(outputs: list[Output]) -> list[Output]:
        """A batch's outputs with only the last record of each series on figures.current (a compacted topic
        of current states: the earlier ones of the batch would be superseded at once)."""
        last = {out.key: index for index, out in enumerate(outputs) if out.topic == current_name}
        if len(last) == sum(1 for out in outputs if out.topic == current_name):
            return outputs
        return [out for index, out in enumerate(outputs) if out.topic != current_name or last[out.key] == index]

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


class Output(NamedTuple):
    """One record to publish: topic name, key, value (None: a tombstone), partition (None: by key)."""

    topic: str
    key: bytes | None
    value: bytes | None
    partition: int | None
    headers: tuple[tuple[str, bytes], ...] | None = None
    timestamp: float | None = None


@dataclass(frozen=True, slots=True)
class Step:
    """What one message of a batch asks for: the records to publish, and what it came to (counted once done)."""

    event: Any
    raw: bytes
    outputs: list[Output]
    result: IngestResult | Outcome
    truncated: bool = False
    """Whether its dead-letter record (when it is one) keeps only the first bytes of the original."""


class ChangelogTable(faust.Table[str, Any]):
    """A Faust table whose changelog records are held until :meth:`flush`, which hands them to the producer
    at once, waits for the broker's acknowledgement of each, and then records each partition's last persisted
    offset once. Faust would pass every record through its producer buffer and write the persisted offset to
    the store once per record; and ``app.producer.flush()`` returns as soon as that buffer makes no progress
    for 0.1 s, with records still unsent. Writes happen only in the agents' commit, which flushes. (The
    tables have no expiry, so Faust's key-TTL bookkeeping on set and delete has nothing to do.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: list[tuple[int | None, bytes | None, bytes | None]] = []

    def on_key_set(self, key: Any, value: Any) -> None:
        self._hold(key, value, self.value_serializer)

    def on_key_del(self, key: Any) -> None:
        self._hold(key, None, "raw")

    def _hold(self, key: Any, value: Any, value_serializer: Any) -> None:
        # The write's partition is its event's, as Faust's own would be, without Faust's check of the changelog
        # topic's partition count against the metadata cache: just after start the cache may not know the
        # changelog yet (0 partitions), and the check crashed the agent for good. The source topics and the
        # changelogs are all created with FIGUREWATCH_PARTITIONS partitions.
        event = current_event()
        if event is None:
            raise RuntimeError(f"table {self.name} written outside an agent's event")
        partition = event.message.partition
        topic = self.changelog_topic
        key_bytes, _ = topic.prepare_key(key, self.key_serializer)
        value_bytes, _ = topic.prepare_value(value, value_serializer)
        self._held.append((partition, key_bytes, value_bytes))

    async def flush(self) -> None:
        """Send the held changelog records and wait until the broker has acknowledged every one."""
        held, self._held = self._held, []
        if not held:
            return
        name = self.changelog_topic.get_topic_name()
        send = self.app.producer.send
        futures = [await send(name, key, value, partition, None, None) for partition, key, value in held]
        last: dict[TP, int] = {}
        for future in futures:
            metadata = await future
            last[metadata.topic_partition] = max(metadata.offset, last.get(metadata.topic_partition, -1))
        for tp, offset in last.items():  # what recovery may skip on this worker's next start
            if self.app.in_transaction:
                self.app.tables.persist_offset_on_commit(self.data, tp, offset)
            else:
                self.data.set_persisted_offset(tp, offset)


@dataclass(frozen=True, slots=True)
class Stage:
    """One agent's part in :func:`create_app`'s batch loop: its name (the agent's, and the dead-letter stage),
    the step of one message, what is counted once it is done, how it is done on its own, and its state."""

    name: str
    step: Callable[[Any], Step]
    done: Callable[[Step], None]
    alone: Callable[[Step, set[Output]], Awaitable[bool]]
    buffer: WriteBuffer[str, Any]
    table: ChangelogTable


def _table(app: faust.App, name: str, partitions: int, topic_configs: Mapping[str, Any]) -> ChangelogTable:
    """A :class:`ChangelogTable` registered with the app, as ``app.Table`` registers its own. Its values are the
    bytes of their JSON (read and written through :class:`~streams.codecs.JsonValues`)."""
    table = ChangelogTable(app, name=name, partitions=partitions, key_type=str, value_type=bytes,
                           beacon=app.tables.beacon, extra_topic_configs=dict(topic_configs))
    app.tables.add(table)
    return table


@contextmanager
def _as_event(event: Any) -> Iterator[None]:
    """Make ``event`` Faust's current event: a table write goes to its message's changelog partition and
    RocksDB store, and a read looks in that store only. ``take_events`` leaves the current event unset, and
    Faust offers no public way to set it, hence its private context variable."""
    token = _current_event.set(weakref.ref(event))
    try:
        yield
    finally:
        _current_event.reset(token)


def _raw(event: Any) -> bytes:
    return event.value if isinstance(event.value, bytes) else bytes(event.value or b"")


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
