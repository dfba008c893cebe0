"""Readiness tells the truth: false while the broker is down, true again within seconds after it is back;
the lag gauge is the broker's own figure. (A stalled partition also makes the worker not ready: the
watchdog's stall lasts until the partition moves, see tests/unit/test_watchdog.py.)

The broker is one of this test's own (stopping the session's would break every other test), on the test
port range's fifth and sixth ports, with its own data folder.
"""

from __future__ import annotations

import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

import orjson
import pytest
from kafka import KafkaConsumer, TopicPartition

from streams.broker import LocalBroker
from streams.kafkaio import produce_lines
from streams.settings import Settings
from tests.conftest import TEST_KAFKA_PORT, WorkerProcess
from tests.integration.test_poison import committed_offsets

pytestmark = pytest.mark.integration

OUTAGE_SECONDS = 12.0
RECOVERY_BOUND_SECONDS = 60.0


def item(i: int) -> bytes:
    return orjson.dumps({"id": f"ready-{i}", "published_at": "2025-01-15T09:30:00Z", "outlet": "Reuters",
                         "title": "Gaza", "body": f"An Israeli strike in Khan Younis killed {40 + i} people on "
                                                  "Tuesday, medics said."})


def ready(worker: WorkerProcess) -> bool | None:
    """True on 200, False on 503 from /readyz; None when the worker does not answer."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{worker.web_port}/readyz", timeout=3) as response:
            return bool(response.status == 200)
    except urllib.error.HTTPError as exc:
        return False if exc.code == 503 else None
    except OSError:
        return None


def wait_ready(worker: WorkerProcess, wanted: bool, timeout: float) -> float:
    """Seconds until /readyz says ``wanted``; fails after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        assert worker.alive(), worker.log_tail()
        if ready(worker) is wanted:
            return time.monotonic() - started
        time.sleep(0.5)
    raise AssertionError(f"/readyz not {wanted} within {timeout}s: {worker.log_tail(20)}")


def broker_lag(settings: Settings, topic: str) -> dict[int, int]:
    """High watermark minus the group's committed offset, per partition, asked of the broker directly."""
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap_servers)
    try:
        tps = [TopicPartition(topic, p) for p in range(settings.partitions)]
        ends = consumer.end_offsets(tps)
    finally:
        consumer.close()
    committed = committed_offsets(settings, topic)
    return {tp.partition: ends[tp] - committed.get(tp.partition, 0) for tp in tps}


def test_readiness_follows_a_broker_outage(start_worker: Callable[..., WorkerProcess], tmp_path: Path) -> None:
    own = Settings(data_dir=tmp_path / "own-broker", kafka_port=TEST_KAFKA_PORT + 4,
                   kafka_controller_port=TEST_KAFKA_PORT + 5)
    broker = LocalBroker(own)
    bootstrap = broker.start()
    worker: WorkerProcess | None = None
    try:
        worker = start_worker(FIGUREWATCH_BROKER=bootstrap)
        settings = worker.settings
        news = settings.topic("news.items")
        assert produce_lines(settings, news, [item(i) for i in range(4)]) == 4
        wait_ready(worker, True, 90)
        assert worker.wait_metric("figurewatch_items_accepted_total", 4) == 4

        # The lag gauge is what the broker says (0 once committed), never a local guess.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and any(broker_lag(settings, news).values()):
            time.sleep(1)
        time.sleep(6)  # one more gauge sample
        for partition, lag in broker_lag(settings, news).items():
            assert worker.metric("figurewatch_consumer_lag", f'partition="{partition}",topic="{news}"') == lag

        # Broker down: not ready within one sample, and not ready at any moment of the outage.
        broker.stop()
        went_down = wait_ready(worker, False, 20)
        outage_end = time.monotonic() + OUTAGE_SECONDS
        while time.monotonic() < outage_end:
            assert ready(worker) is False, "ready while the broker is down"
            time.sleep(1)
        assert worker.metric("figurewatch_worker_ready") == 0
        assert worker.metric("figurewatch_broker_reachable") == 0

        broker.start()
        came_back = wait_ready(worker, True, RECOVERY_BOUND_SECONDS)
        assert worker.metric("figurewatch_broker_reachable") == 1

        assert produce_lines(settings, news, [item(10)]) == 1
        assert worker.wait_metric("figurewatch_items_accepted_total", 5) == 5, "consuming again"
        print(f"not ready {went_down:.1f}s after the broker stopped, ready {came_back:.1f}s after it started")
        assert worker.alive()
    finally:
        if worker is not None:
            worker.stop()  # while its broker still answers, so it leaves the group at once
        broker.stop()
