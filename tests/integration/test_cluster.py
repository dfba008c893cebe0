"""A broker killed under a running worker: on a local 3-node KRaft cluster with every topic replicated three
times, the leader of the source partition is killed with SIGKILL mid-stream; nothing is lost, nothing is
emitted twice, and the worker goes on; started again, the broker catches up and is back in sync.

The cluster has its own ports (the test broker's port plus 2 to 7) and data folder, beside the session's
broker; it is started, inspected and stopped with ``figurewatch broker``. What the stream ends with is
compared with the offline extraction and replay of the same lines. And a replication factor the brokers
cannot meet is one clear error.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType

from streams._exceptions import BrokerError
from streams.broker import LocalCluster
from streams.kafkaio import produce_lines, read_topic
from streams.settings import Settings
from streams.topics import create_topics
from tests.conftest import REPO, TEST_KAFKA_PORT, WorkerProcess
from tests.integration.support import offline, offline_claims, state_diff, stream_lines, wait_for_state

pytestmark = pytest.mark.integration


def broker_command(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """``figurewatch broker ARGS`` for the cluster described by ``settings``."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    env.update({"FIGUREWATCH_DATA_DIR": str(settings.data_dir), "FIGUREWATCH_KAFKA_PORT": str(settings.kafka_port),
                "FIGUREWATCH_KAFKA_CONTROLLER_PORT": str(settings.kafka_controller_port)})
    return subprocess.run([sys.executable, "-m", "streams", "broker", *args], env=env, cwd=REPO,
                          capture_output=True, text=True, timeout=300, check=False)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[LocalCluster]:
    """A 3-node cluster started and stopped by the command line (stop finds the nodes in the data folder)."""
    cluster = LocalCluster(Settings(data_dir=tmp_path / "cluster", kafka_port=TEST_KAFKA_PORT + 2,
                                    kafka_controller_port=TEST_KAFKA_PORT + 3), 3)
    started = broker_command(cluster.settings, "start", "--nodes", "3")
    try:
        assert started.returncode == 0, started.stderr
        assert started.stdout.strip() == cluster.bootstrap
        yield cluster
    finally:
        stopped = broker_command(cluster.settings, "stop")
    assert stopped.stdout.strip() == "stopped"
    assert [b.pid() for b in cluster.brokers] == [None, None, None]


def partition_state(bootstrap: str, topic: str) -> tuple[int, list[int], list[int]]:
    """Partition 0 of ``topic``: its leader's node id, its replicas and its in-sync replicas."""
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        [described] = admin.describe_topics([topic])
        [partition] = [p for p in described["partitions"] if p["partition_index"] == 0]
        return partition["leader_id"], sorted(partition["replica_nodes"]), sorted(partition["isr_nodes"])
    finally:
        admin.close()


def min_insync(bootstrap: str, topic: str) -> str:
    admin = KafkaAdminClient(bootstrap_servers=bootstrap)
    try:
        configs = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)])
        return str(configs["topic"][topic]["min.insync.replicas"]["value"])
    finally:
        admin.close()


def test_a_broker_killed_under_a_running_worker_loses_nothing(
    cluster: LocalCluster, start_worker: Callable[..., WorkerProcess],
) -> None:
    # The cluster comes first, so the worker is stopped before the cluster at teardown. Batches of two
    # messages: the worker is still reading the first half when the broker dies (one batch would hold it all).
    worker = start_worker(FIGUREWATCH_BROKER=cluster.bootstrap, FIGUREWATCH_REPLICATION_FACTOR="3",
                          FIGUREWATCH_PARTITIONS="1", FIGUREWATCH_BATCH_MAX="2")
    settings = worker.settings
    source = settings.topic("news.items")
    changelog = f"{settings.app_id}-series-changelog"
    lines = stream_lines(4)
    expected_events, expected_state = offline(settings, lines)
    expected_claims = offline_claims(settings, lines)
    assert len(expected_events) > 100 and len(expected_claims) > 100

    leader, _, _ = partition_state(cluster.bootstrap, source)
    pid = cluster.brokers[leader - 1].pid()
    assert pid is not None

    half = len(lines) // 2
    assert produce_lines(settings, source, lines[:half]) == half
    assert worker.wait_metric("figurewatch_items_received_total", 10) >= 10
    os.kill(pid, signal.SIGKILL)
    received_then = worker.metric("figurewatch_items_received_total")
    assert received_then < half, "the broker died while the worker was still reading items"
    survivors = ",".join(b.bootstrap for b in cluster.brokers if b.node != leader)
    status = broker_command(cluster.settings, "status")
    assert status.returncode == 1, "not every node runs"
    expected_status = ["not running" if b.node == leader else f"running: pid {b.pid()}, {b.bootstrap} answering"
                       for b in cluster.brokers]
    nodes = status.stdout.splitlines()
    assert len(nodes) == 3 and all(map(str.startswith, nodes, expected_status)), "each survivor answers for itself"

    assert produce_lines(settings, source, lines[half:]) == len(lines) - half
    state = wait_for_state(settings, expected_state, worker.alive)
    assert state == expected_state, state_diff(state, expected_state)
    new_leader, _, in_sync = partition_state(survivors, source)
    assert new_leader != leader and leader not in in_sync, "another broker took the partition over"
    for topic in (source, settings.topic("figures.changes"), changelog):
        assert partition_state(survivors, topic)[1] == [1, 2, 3], f"{topic} has a replica on each node"
        assert min_insync(survivors, topic) == "2"

    # At least once: a batch in flight when the leader died may be written twice (the producer is not
    # idempotent, see docs/operations.md); consumers de-duplicate on the ids, and so does the test.
    streamed = _first_of_each([m.json_value() for m in read_topic(settings, settings.topic("figures.changes"))],
                              "event_id")
    assert streamed == expected_events
    claims = _first_of_each([m.json_value() for m in read_topic(settings, settings.topic("claims"))], "claim_id")
    assert claims == expected_claims
    assert worker.alive(), worker.log_tail()

    restarted = broker_command(cluster.settings, "start")  # the nodes found in the data folder; the dead one rejoins
    assert restarted.returncode == 0, restarted.stderr
    deadline = time.monotonic() + 60
    while partition_state(cluster.bootstrap, source)[2] != [1, 2, 3]:
        assert time.monotonic() < deadline, "the restarted broker is back in sync"
        time.sleep(1)
    assert worker.metric("figurewatch_items_accepted_total") == len(set(lines)), "each item accepted once"


def _first_of_each(records: list[Any], id_field: str) -> list[Any]:
    """The records in order, each id kept at its first appearance."""
    seen: set[str] = set()
    kept = []
    for record in records:
        if record[id_field] not in seen:
            seen.add(record[id_field])
            kept.append(record)
    return kept


def test_a_replication_factor_above_the_brokers_is_one_clear_error(kafka_bootstrap: str) -> None:
    settings = Settings(broker=kafka_bootstrap, topic_prefix=f"t{uuid.uuid4().hex[:8]}.", replication_factor=7)
    with pytest.raises(BrokerError, match=r"^FIGUREWATCH_REPLICATION_FACTOR is 7, more than the brokers of "):
        create_topics(settings)
