"""Failures at every stage end on the dead-letter topic, an item is one item whatever its message key, and an
implausible arrival time stays out of the latency histogram: one worker, a real broker.

The worker is :mod:`tests.integration.faulty_worker`, whose extraction raises on a marked item (a failure
injected in the ingest stage); claims the ledger cannot apply are produced to the claims topic directly (a
failure in the ledger stage). The dead-letter topic's own limit is lowered below the record of a 300 kB
item, so the broker itself refuses the whole record and the worker must fall back to a truncated one.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson
import pytest
from kafka import KafkaProducer

from streams.kafkaio import read_topic
from streams.schemas import validator_for
from streams.settings import Settings
from streams.topics import item_partition
from tests.conftest import REPO, WorkerProcess
from tests.integration.faulty_worker import FAIL_MARKER
from tests.integration.test_poison import committed_offsets, raise_topic_limit

pytestmark = pytest.mark.integration

DLQ_LIMIT = 200_000
CLAIM = orjson.loads((REPO / "schemas/examples/claim/valid/total.json").read_bytes())


def item(item_id: str, body: str, **fields: str) -> bytes:
    return orjson.dumps({"id": item_id, "published_at": "2025-01-15T09:30:00Z", "outlet": "Reuters",
                         "title": "Gaza", "body": body, **fields})


def send(settings: Settings, topic: str, messages: list[tuple[bytes | None, bytes, int | None]]) -> None:
    """Produce (key, value, timestamp_ms) messages with the producer's default partitioner."""
    producer = KafkaProducer(bootstrap_servers=settings.bootstrap_servers, acks="all", max_request_size=2**22)
    try:
        for future in [producer.send(topic, key=key, value=value, timestamp_ms=ts) for key, value, ts in messages]:
            future.get(timeout=60)
    finally:
        producer.close()


def log_lines(path: Path, event: str) -> list[dict[str, Any]]:
    found = []
    for line in path.read_text(errors="replace").splitlines():
        if f'"event":"{event}"' in line:
            found.append(orjson.loads(line))
    return found


def test_every_stage_dead_letters_and_an_item_is_its_id(start_worker: Callable[..., WorkerProcess]) -> None:
    worker = start_worker("tests.integration.faulty_worker")
    settings = worker.settings
    news, claims_topic, dlq = (settings.topic(name) for name in ("news.items", "claims", "news.items.dlq"))
    raise_topic_limit(settings, dlq, DLQ_LIMIT)  # lowered: the broker refuses a 400 kB record

    failing = item("fails", f"An Israeli strike in Khan Younis killed 31 people on Tuesday. {FAIL_MARKER}")
    edge = item("edge", "An Israeli strike in Khan Younis killed 32 people on Tuesday.",
                published_at="9999-12-31T23:59:59-12:00")
    big = b"\xff" * 300_000
    again = item("again", "An Israeli strike in Khan Younis killed 33 people on Tuesday, medics said.")
    ancient = item("ancient", "An Israeli strike in Rafah killed 34 people on Tuesday, medics said.")
    keys = [b"again", b"k1", b"k2", b"k3", None]
    send(settings, news, [(b"fails", failing, None), (b"edge", edge, None), (None, big, None),
                          (b"ancient", ancient, 1)] + [(key, again, None) for key in keys])
    bad_claims = [b"not a claim", orjson.dumps({**CLAIM, "published_at": "0001-01-01T00:30:00+01:00"}),
                  orjson.dumps({k: v for k, v in CLAIM.items() if k != "metric"})]
    send(settings, claims_topic, [(b"israel-hamas", raw, None) for raw in bad_claims])

    expected_dead = 3 + len(bad_claims)
    news_messages = 4 + len(keys) + len(keys) - 1  # what was sent, and the four copies forwarded home
    deadline = time.monotonic() + 90
    dead: list[dict[str, Any]] = []
    committed: dict[int, int] = {}
    while time.monotonic() < deadline:
        dead = [r for r in (m.json_value() for m in read_topic(settings, dlq)) if isinstance(r, dict)]
        committed = committed_offsets(settings, news)
        if (len(dead) >= expected_dead and worker.metric("figurewatch_items_duplicate_total") >= len(keys) - 1
                and worker.metric("figurewatch_implausible_arrivals_total") >= 1
                and sum(committed.values()) >= news_messages):
            break
        time.sleep(2)
    context = f"{[(r['stage'], r['reason'], r['error'][:80]) for r in dead]}\n{worker.log_tail(30)}"

    by_stage = sorted((r["stage"], r["reason"]) for r in dead)
    assert by_stage == sorted([("ingest", "processing_error"), ("ingest", "schema"), ("ingest", "not_json")]
                              + [("ledger", "processing_error")] * len(bad_claims)), context
    for record in dead:
        assert validator_for("dlq-record").is_valid(record), context
        assert len(orjson.dumps(record)) <= DLQ_LIMIT
    injected = next(r for r in dead if r["stage"] == "ingest" and r["reason"] == "processing_error")
    assert "injected failure" in injected["error"] and base64.b64decode(injected["original_base64"]) == failing
    assert "outside years 1-9999 in UTC" in next(r for r in dead if r["reason"] == "schema")["error"]
    truncated = next(r for r in dead if r["reason"] == "not_json")
    assert truncated["truncated"] and big.startswith(base64.b64decode(truncated["original_base64"])), context
    ledger_dead = [base64.b64decode(r["original_base64"]) for r in dead if r["stage"] == "ledger"]
    assert sorted(ledger_dead) == sorted(bad_claims), context

    # Counted by stage and reason, and logged as dead-lettered exactly as often as the topic took a record.
    assert worker.metric("figurewatch_dead_lettered_total", 'reason="processing_error",stage="ledger"') == 3
    assert worker.metric("figurewatch_dead_lettered_total", 'reason="processing_error",stage="ingest"') == 1
    assert worker.metric("figurewatch_dead_letters_truncated_total") == 1
    assert len(log_lines(worker.log_path, "dead-lettered")) == expected_dead, context

    # One item sent under five keys: forwarded to its id's partition, accepted once, four exact repeats.
    assert worker.metric("figurewatch_items_forwarded_total") == len([k for k in keys if k != b"again"])
    assert worker.metric("figurewatch_items_duplicate_total") == len(keys) - 1, context
    claimed = [m.offset for m in read_topic(settings, claims_topic) if m.value and b'"item_id":"again"' in m.value]
    assert len(claimed) == 1, claimed
    home = item_partition("again", settings.partitions)
    forwarded = [m for m in read_topic(settings, news)
                 if m.value == again and m.partition == home and m.key == b"again"]
    assert len(forwarded) == len(keys), "the one sent home plus every forwarded copy"

    # An arrival at 1 ms (1970) is counted, not added to the latency sum.
    assert worker.metric("figurewatch_implausible_arrivals_total") == 1
    assert worker.metric("figurewatch_end_to_end_seconds_sum") < 3600, "only plausible latencies are summed"

    assert sum(committed.values()) == news_messages, committed
    assert worker.alive() and "Crashed reason=" not in worker.log_path.read_text(errors="replace")
