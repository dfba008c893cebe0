"""Poison items through a real broker: rejected items of every size, up to the broker's limit and over it.

Each lies between good items on one partition. Every good item must be processed, every bad one must be
on the dead-letter topic (whole, or truncated with a record that says so when it cannot fit), the partition
must never stall and the group's committed offset must end at the end of the partition, never past a
message that was not finished.
"""

from __future__ import annotations

import base64
import hashlib
import time
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.errors import KafkaError

from streams.kafkaio import produce_lines, read_topic
from streams.schemas import validator_for
from streams.settings import Settings
from tests.conftest import WorkerProcess

pytestmark = pytest.mark.integration

BROKER_MESSAGE_LIMIT = 1_048_588  # the broker's default message.max.bytes, for a whole record batch
LARGEST_VALUE = BROKER_MESSAGE_LIMIT - 100  # record batch and record headers take the rest
RAISED_TOPIC_LIMIT = 6 * 2**20


def good(i: int) -> bytes:
    return orjson.dumps({"id": f"good-{i}", "published_at": "2025-01-15T09:30:00Z", "outlet": "Reuters",
                         "title": "Gaza", "body": f"An Israeli strike in Khan Younis killed {20 + i} people on "
                                                  "Tuesday, medics said."})


def not_json(size: int) -> bytes:
    return b"\xff" * size


def schema_failure(size: int) -> bytes:
    """A JSON object of ``size`` bytes without the required fields."""
    shell = orjson.dumps({"id": "bad", "body": ""})
    return orjson.dumps({"id": "bad", "body": "x" * (size - len(shell))})


BAD = [not_json(100_000), schema_failure(740_000), not_json(760_000), schema_failure(1_000_000),
       not_json(LARGEST_VALUE), not_json(5 * 2**20)]


def committed_offsets(settings: Settings, topic: str) -> dict[int, int]:
    """The group's committed offsets on ``topic`` as the broker states them (none while its coordinator moves)."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    try:
        offsets = admin.list_group_offsets(settings.app_id).get(settings.app_id, {})
    except KafkaError:
        return {}
    finally:
        admin.close()
    return {tp.partition: meta.offset for tp, meta in offsets.items() if tp.topic == topic}


def raise_topic_limit(settings: Settings, topic: str, limit: int) -> None:
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap_servers)
    try:
        admin.alter_configs([ConfigResource(ConfigResourceType.TOPIC, topic,
                                            configs={"max.message.bytes": str(limit)})])
    finally:
        admin.close()


def check_record(record: dict[str, Any], original: bytes) -> None:
    assert validator_for("dlq-record").is_valid(record), {k: str(v)[:80] for k, v in record.items()}
    assert record["original_size"] == len(original)
    assert record["original_sha256"] == hashlib.sha256(original).hexdigest()
    kept = base64.b64decode(record["original_base64"])
    if record["truncated"]:
        assert original.startswith(kept) and len(kept) < len(original)
        assert "truncated" in record["error"]
    else:
        assert kept == original


def test_rejected_items_of_every_size_never_stall_the_partition(start_worker: Callable[..., WorkerProcess]) -> None:
    worker = start_worker(FIGUREWATCH_PARTITIONS="1")
    settings = worker.settings
    news = settings.topic("news.items")
    raise_topic_limit(settings, news, RAISED_TOPIC_LIMIT)
    lines = [good(0)]
    for i, bad in enumerate(BAD, start=1):
        lines += [bad, good(i)]
    assert produce_lines(settings, news, lines) == len(lines)
    bad_offsets = {offset: line for offset, line in enumerate(lines) if not line.startswith(b'{"id":"good')}

    deadline = time.monotonic() + 120
    dead: dict[int, dict[str, Any]] = {}
    claimed: set[str] = set()
    committed: dict[int, int] = {}
    while time.monotonic() < deadline:
        dead = {r["offset"]: r for r in (m.json_value() for m in read_topic(settings, settings.topic("news.items.dlq")))
                if isinstance(r, dict)}
        claimed = {c["item_id"] for c in (m.json_value() for m in read_topic(settings, settings.topic("claims")))
                   if isinstance(c, dict)}
        committed = committed_offsets(settings, news)
        if len(dead) >= len(BAD) and len(claimed) > len(BAD) and committed.get(0) == len(lines):
            break
        time.sleep(2)
    context = f"dead={sorted(dead)} claimed={sorted(claimed)} committed={committed}\n{worker.log_tail(30)}"
    assert claimed == {f"good-{i}" for i in range(len(BAD) + 1)}, context
    assert sorted(dead) == sorted(bad_offsets), context
    for offset, original in bad_offsets.items():
        check_record(dead[offset], original)
    assert not dead[1]["truncated"], "a 100 kB item fits whole"
    assert dead[len(lines) - 2]["truncated"], "a 5 MiB item cannot fit"
    assert committed == {0: len(lines)}, context
    log = worker.log_path.read_text(errors="replace")
    assert "Crashed reason=" not in log and "records skipped" not in log, context
    assert worker.alive()
