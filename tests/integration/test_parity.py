"""Replay and the streaming path give the same change events and the same figures.current state."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.claims import Claim
from streams.demo import SAMPLE_CORPUS, latest_states
from streams.kafkaio import produce_lines, read_topic
from streams.ledger import render_tables
from streams.metrics import drained, scrape
from streams.settings import Settings
from streams.topics import claim_address, series_partition
from tests.conftest import REPO, WorkerProcess
from tests.integration.support import corpus_lines, offline

pytestmark = pytest.mark.integration


def stream_corpus(worker: WorkerProcess, corpus: Path) -> tuple[Settings, list[object]]:
    settings = worker.settings
    lines = corpus_lines(corpus)
    assert produce_lines(settings, settings.topic("news.items"), lines) == len(lines)
    deadline = time.monotonic() + 120
    url = f"http://127.0.0.1:{worker.web_port}/metrics"
    while not drained(scrape(url), len(lines)):
        assert time.monotonic() < deadline, worker.log_tail()
        time.sleep(0.5)
    events = [m.json_value() for m in read_topic(settings, settings.topic("figures.changes"))]
    return settings, events


def test_single_partition_stream_equals_replay_event_for_event(
    start_worker: Callable[..., WorkerProcess],
) -> None:
    worker = start_worker(FIGUREWATCH_PARTITIONS="1")
    settings, streamed = stream_corpus(worker, SAMPLE_CORPUS)
    replayed, expected = offline(settings, corpus_lines(SAMPLE_CORPUS))
    tables = list(expected.values())
    assert len(replayed) > 50, "the sample corpus raises a good number of events"
    assert {e["kind"] for e in replayed} >= {"new", "update", "corroboration", "contradiction"}
    assert streamed == replayed
    assert latest_states(settings) == expected

    figures = subprocess.run(
        [sys.executable, "-m", "streams", "figures", "--conflict", "sudan"], env=worker.env, cwd=REPO,
        capture_output=True, text=True, timeout=120, check=True,
    )
    assert figures.stdout == render_tables(tables, "sudan")
    assert "sudan" in figures.stdout and "israel-hamas" not in figures.stdout


def test_partitioned_stream_ends_in_the_replay_state(start_worker: Callable[..., WorkerProcess]) -> None:
    worker = start_worker(FIGUREWATCH_PARTITIONS="3")
    settings, streamed = stream_corpus(worker, SAMPLE_CORPUS)
    _, expected = offline(settings, corpus_lines(SAMPLE_CORPUS))
    assert latest_states(settings) == expected
    assert len(streamed) == len({e["event_id"] for e in streamed}), "no event is emitted twice"  # type: ignore[index]
    # every claim and every figure on the partition of its conflict and metric, the claims keyed by them
    claims = list(read_topic(settings, settings.topic("claims")))
    for m in claims:
        value = m.json_value()
        assert isinstance(value, dict)
        assert (m.key, m.partition) == claim_address(Claim.from_dict(value), settings.partitions)
    figures = [m for topic in ("figures.current", "figures.changes")
               for m in read_topic(settings, settings.topic(topic))]
    assert figures and all(m.partition == series_partition((m.key or b"").decode(), settings.partitions)
                           for m in figures)
    # and the busiest conflict is spread: its metrics are on more than one partition
    by_conflict: dict[bytes, set[int]] = {}
    for m in claims:
        by_conflict.setdefault((m.key or b"").split(b"|")[0], set()).add(m.partition)
    busiest = max(by_conflict, key=lambda c: sum(m.key.startswith(c + b"|") for m in claims if m.key))
    assert len(by_conflict[busiest]) > 1, by_conflict
