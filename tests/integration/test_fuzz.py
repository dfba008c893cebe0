"""Fuzz the ingest path through a real broker: over 10,000 hostile messages, every one accounted for.

One deterministic batch from :mod:`tests.integration.hostile` (random bytes, invalid UTF-8, truncated JSON,
scalars and arrays, deep nesting, sizes around the limit, numbers with thousands of digits, wrong types,
missing fields, bad timestamps, pathological bodies, 60 KB valid items, valid items and exact repeats) is
produced to ``news.items`` for one real worker. Each message must end on the dead-letter topic or be
accepted (or counted as a duplicate), the counters must balance, the worker must stay up, and its resident
memory must stay bounded.
"""

from __future__ import annotations

import base64
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.kafkaio import produce_lines, read_topic
from streams.metrics import scrape, total
from tests.conftest import WorkerProcess
from tests.integration.hostile import corpus

pytestmark = pytest.mark.integration

SEED = 20261125
MAX_BYTES = 65_536
MIN_MESSAGES = 10_000
WAIT_SECONDS = 480.0  # about 225 s measured on 2 cores: the worker awaits broker acks per message
RSS_GROWTH_BOUND_KB = 300 * 1024
CERTAIN_REJECTS = ("too_large", "not_json", "not_object", "schema")


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of a process from /proc, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} in /proc/{pid}/status")


def samples_of(worker: WorkerProcess) -> dict[str, float]:
    samples = scrape(f"http://127.0.0.1:{worker.web_port}/metrics", timeout=10)
    assert samples is not None, f"/metrics did not answer: {worker.log_tail()}"
    return samples


def agent_crashes(worker: WorkerProcess) -> list[str]:
    """Faust's 'Agent ... Crashed' log lines: a message raised outside the agent's own error handling."""
    text = worker.log_path.read_text(errors="replace")
    return [line[:3000] for line in text.splitlines() if "]: Crashed reason=" in line][:3]


def settled(samples: dict[str, float], sent: int) -> bool:
    """Every message read and finished: received == sent == accepted + duplicate + rejected."""
    done = (samples.get("figurewatch_items_accepted_total", 0) + samples.get("figurewatch_items_duplicate_total", 0)
            + total(samples, "figurewatch_items_rejected_total"))
    return samples.get("figurewatch_items_received_total", 0) >= sent and done >= sent


def test_hostile_batch_is_fully_accounted_for(start_worker: Callable[..., WorkerProcess]) -> None:
    batch = corpus(SEED, MAX_BYTES)
    lines = [raw for _, raw in batch]
    sent = len(lines)
    assert sent >= MIN_MESSAGES
    families = Counter(family for family, _ in batch)
    family_of: dict[bytes, set[str]] = {}
    for family, raw in batch:
        family_of.setdefault(raw, set()).add(family)

    worker = start_worker(FIGUREWATCH_MAX_ITEM_BYTES=str(MAX_BYTES))
    assert worker.proc is not None
    pid = worker.proc.pid
    settings = worker.settings
    rss_before = rss_kb(pid)

    started = time.monotonic()
    assert produce_lines(settings, settings.topic("news.items"), lines) == sent
    produced = time.monotonic()

    deadline = produced + WAIT_SECONDS
    samples = samples_of(worker)
    while not settled(samples, sent) and time.monotonic() < deadline:
        assert worker.alive(), f"worker died mid-batch: {worker.log_tail()}"
        assert not agent_crashes(worker), f"an agent crashed (Faust restarts it after a pause): {agent_crashes(worker)}"
        time.sleep(1)
        samples = samples_of(worker)
    drained = time.monotonic()
    rss_after, rss_peak = rss_kb(pid), rss_kb(pid, "VmHWM")

    received = samples.get("figurewatch_items_received_total", 0)
    accepted = samples.get("figurewatch_items_accepted_total", 0)
    duplicate = samples.get("figurewatch_items_duplicate_total", 0)
    rejected = {key.split('reason="')[1].split('"')[0]: value for key, value in samples.items()
                if key.startswith("figurewatch_items_rejected_total{")}
    summary = (f"sent={sent} received={received} accepted={accepted} duplicate={duplicate} rejected={rejected} "
               f"produce={produced - started:.1f}s drain={drained - produced:.1f}s "
               f"rss_before={rss_before}kB rss_after={rss_after}kB rss_peak={rss_peak}kB families={dict(families)}")
    print(summary)
    context = f"{summary}\nworker log tail:\n{worker.log_tail(60)}"

    assert worker.alive(), f"worker died: {context}"
    assert not agent_crashes(worker), f"an agent crashed: {agent_crashes(worker)}"
    assert received == sent, f"not every message was read within {WAIT_SECONDS}s: {context}"
    assert accepted + duplicate + sum(rejected.values()) == received, f"counters do not balance: {context}"
    assert rss_after - rss_before < RSS_GROWTH_BOUND_KB, f"resident memory grew too much: {context}"

    # Certain outcomes: every rejection family was rejected for its reason, valid items were never rejected,
    # and every exact repeat was counted as a duplicate.
    for reason in CERTAIN_REJECTS:
        assert rejected.get(reason, 0) >= families[reason], f"{reason}: {context}"
    assert duplicate == families["duplicate"], context
    assert accepted >= families["valid"], context

    dlq_topic = settings.topic("news.items.dlq")
    dead: list[dict[str, object]] = []
    while time.monotonic() < deadline + 30:
        dead = [m.json_value() for m in read_topic(settings, dlq_topic)]  # type: ignore[misc]
        if len(dead) >= sum(rejected.values()):
            break
        time.sleep(1)
    assert len(dead) == sum(rejected.values()), f"DLQ holds {len(dead)} records: {context}"
    reasons_on_dlq = Counter(str(record["reason"]) for record in dead)
    assert reasons_on_dlq == Counter({k: int(v) for k, v in rejected.items() if v}), context
    for record in dead:
        original = base64.b64decode(str(record["original_base64"]))
        labels = family_of.get(original)
        assert labels is not None, f"DLQ record for bytes never sent: {record['offset']}: {context}"
        assert not labels & {"valid", "duplicate"}, f"valid item dead-lettered: {record['error']}: {context}"
        certain = labels & set(CERTAIN_REJECTS)
        if certain:
            assert record["reason"] in certain, f"{labels} rejected as {record['reason']}: {record['error']}"

    assert worker.alive(), f"worker died after the batch: {context}"
    assert worker.wait_http("/healthz", timeout=10)
