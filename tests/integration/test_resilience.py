"""Nothing is lost: a worker killed with SIGKILL, a worker taken over by another, a broker restarted.

Every test compares what the stream ends with against the offline replay of the same lines, which is
computed independently of any broker.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from streams.broker import LocalBroker
from streams.kafkaio import produce_lines, read_topic
from streams.settings import Settings
from tests.conftest import WorkerProcess, free_port
from tests.integration.support import first_occurrences, offline, state_diff, stream_lines, wait_for_state

pytestmark = pytest.mark.integration


def test_sigkill_at_random_points_loses_nothing(start_worker: Callable[..., WorkerProcess]) -> None:
    rng = random.Random(20261125)
    lines = stream_lines(4)
    first = start_worker(FIGUREWATCH_PARTITIONS="1")
    settings = first.settings
    expected_events, expected_state = offline(settings, lines)
    assert produce_lines(settings, settings.topic("news.items"), lines) == len(lines)
    worker = first
    for _ in range(3):
        time.sleep(rng.uniform(0.5, 4.0))
        worker.kill()
        worker = start_worker(FIGUREWATCH_PARTITIONS="1")
    state = wait_for_state(settings, expected_state, worker.alive)
    assert state == expected_state, state_diff(state, expected_state)
    streamed = [m.json_value() for m in read_topic(settings, settings.topic("figures.changes"))]
    assert first_occurrences(streamed) == expected_events


def test_second_worker_takes_over_a_killed_workers_partitions(start_worker: Callable[..., WorkerProcess]) -> None:
    a = start_worker()
    b = start_worker()
    settings = a.settings
    lines = stream_lines(2)
    _, expected_state = offline(settings, lines)
    deadline = time.monotonic() + 90
    while not (a.assigned() and b.assigned() and len(a.assigned() | b.assigned()) == 2 * settings.partitions):
        assert time.monotonic() < deadline, "the two workers never shared the partitions: " + b.log_tail()
        time.sleep(1)
    assert not a.assigned() & b.assigned()
    half = len(lines) // 2
    produce_lines(settings, settings.topic("news.items"), lines[:half])
    deadline = time.monotonic() + 60
    while a.metric("figurewatch_items_received_total") + b.metric("figurewatch_items_received_total") < half:
        assert time.monotonic() < deadline, a.log_tail() + b.log_tail()
        time.sleep(0.5)
    assert a.metric("figurewatch_items_received_total") > 0 and b.metric("figurewatch_items_received_total") > 0
    a.kill()
    produce_lines(settings, settings.topic("news.items"), lines[half:])
    state = wait_for_state(settings, expected_state, b.alive)
    assert state == expected_state, state_diff(state, expected_state)
    assert b.metric("figurewatch_rebalances_total") >= 2
    deadline = time.monotonic() + 30  # the lag gauges are sampled every few seconds
    while len(b.assigned()) < 2 * settings.partitions and time.monotonic() < deadline:
        time.sleep(1)
    assert len(b.assigned()) == 2 * settings.partitions, "b now holds every source partition"


def test_broker_restart_while_the_worker_runs(start_worker: Callable[..., WorkerProcess], tmp_path: Path) -> None:
    port = free_port()
    broker = LocalBroker(Settings(data_dir=tmp_path / "broker", kafka_port=port, kafka_controller_port=free_port()))
    bootstrap = broker.start()
    try:
        worker = start_worker(FIGUREWATCH_BROKER=bootstrap)
        settings = worker.settings
        lines = stream_lines(2)
        _, expected_state = offline(settings, lines)
        half = len(lines) // 2
        produce_lines(settings, settings.topic("news.items"), lines[:half])
        assert worker.wait_metric("figurewatch_items_received_total", half) >= half
        broker.stop()
        time.sleep(3)
        broker.start()
        produce_lines(settings, settings.topic("news.items"), lines[half:])
        state = wait_for_state(settings, expected_state, worker.alive)
        assert state == expected_state, state_diff(state, expected_state)
        assert worker.alive()
        distinct = len(set(lines))  # exact repeats are skipped; a changed version of an id is a new item
        accepted = worker.metric("figurewatch_items_accepted_total")
        assert accepted == distinct, "every item accepted once: re-read items count as duplicates, not twice"
    finally:
        broker.stop()
