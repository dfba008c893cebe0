"""Ingest against a real broker: valid items become claims, bad input lands on the DLQ, nothing is lost."""

from __future__ import annotations

import base64
from collections.abc import Callable

import orjson
import pytest

from streams.kafkaio import produce_lines, read_topic
from streams.schemas import validator_for
from tests.conftest import WorkerProcess

pytestmark = pytest.mark.integration

MAX_BYTES = 20_000


def item(item_id: str, body: str) -> dict[str, str]:
    return {"id": item_id, "published_at": "2025-01-15T09:30:00Z", "outlet": "Reuters", "title": "Gaza",
            "body": body}


VALID = [
    item("v1", "The Gaza health ministry said 46,645 people have been killed in Gaza since the war began."),
    item("v2", "An Israeli strike on a house in Khan Younis killed 12 people overnight, medics said."),
    item("v3", "Russian missiles killed at least 14 people in Kharkiv on Tuesday, the regional governor said."),
]
NEW_VERSION = item("v2", "An Israeli strike on a house in Khan Younis killed 14 people overnight, medics said.")
BAD = {
    "not_json": b"\xff\xfethis is not json{",
    "schema": orjson.dumps({"id": "s1", "outlet": "AP", "title": "no body, no date"}),
    "too_large": orjson.dumps(item("big", "Gaza. " + "x" * MAX_BYTES)),
}


def test_ingest_routes_every_message_and_keeps_running(start_worker: Callable[..., WorkerProcess]) -> None:
    worker = start_worker(FIGUREWATCH_MAX_ITEM_BYTES=str(MAX_BYTES))
    settings = worker.settings
    lines = [orjson.dumps(v) for v in VALID] + list(BAD.values()) + [orjson.dumps(VALID[0]),
                                                                     orjson.dumps(NEW_VERSION)]
    assert produce_lines(settings, settings.topic("news.items"), lines) == len(lines)

    assert worker.wait_metric("figurewatch_items_received_total", len(lines)) == len(lines)
    assert worker.metric("figurewatch_items_accepted_total") == len(VALID) + 1
    assert worker.metric("figurewatch_items_duplicate_total") == 1
    for reason in BAD:
        assert worker.metric("figurewatch_items_rejected_total", f'reason="{reason}"') == 1, reason

    dead = [m.json_value() for m in read_topic(settings, settings.topic("news.items.dlq"))]
    assert sorted(d["reason"] for d in dead) == sorted(BAD)  # type: ignore[index]
    for record in dead:
        assert validator_for("dlq-record").is_valid(record)
        assert base64.b64decode(record["original_base64"]) == BAD[record["reason"]]  # type: ignore[index]
        assert record["topic"] == settings.topic("news.items")  # type: ignore[index]

    claims = [m.json_value() for m in read_topic(settings, settings.topic("claims"))]
    for claim in claims:
        assert validator_for("claim").is_valid(claim), claim
    by_item: dict[str, list[float]] = {}
    for claim in claims:
        by_item.setdefault(claim["item_id"], []).append(claim["value"])  # type: ignore[index]
    assert by_item["v1"] == [46645], "the exact repeat of v1 produced no second claim"
    assert sorted(by_item["v2"]) == [12, 14], "both versions of v2 were processed"
    assert by_item["v3"] == [14]
    assert {c["conflict"] for c in claims} == {"israel-hamas", "russia-ukraine"}  # type: ignore[index]
    assert worker.alive(), worker.log_tail()


def test_operational_metrics_and_readiness(start_worker: Callable[..., WorkerProcess]) -> None:
    worker = start_worker()
    settings = worker.settings
    lines = [orjson.dumps(v) for v in VALID]
    produce_lines(settings, settings.topic("news.items"), lines)
    assert worker.wait_metric("figurewatch_items_received_total", len(lines)) == len(lines)
    assert orjson.loads(worker.wait_http("/readyz", timeout=60)) == {"status": "ready"}
    assert worker.wait_metric("figurewatch_table_series", 3, timeout=30) == 3
    assert worker.metric("figurewatch_table_history_entries") == 3
    assert worker.metric("figurewatch_worker_up") == 1
    assert worker.metric("figurewatch_worker_ready") == 1
    assert worker.metric("figurewatch_rebalances_total") >= 1
    assert worker.metric("figurewatch_end_to_end_seconds_count") == 3, "one event per new series"
    assert worker.metric("figurewatch_last_progress_timestamp_seconds", 'agent="ledger"') > 0
    text = worker.wait_http("/metrics", timeout=10).decode()
    lags = [line for line in text.splitlines() if line.startswith("figurewatch_consumer_lag{")]
    topics = {settings.topic("news.items"), settings.topic("claims")}
    assert {line.split('topic="')[1].split('"')[0] for line in lags} == topics
    assert len(lags) == 2 * settings.partitions, "one lag series per assigned source partition"
    assert all(float(line.rsplit(" ", 1)[1]) == 0 for line in lags), lags
