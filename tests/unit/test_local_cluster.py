"""The local cluster's layout and the checks it makes before it starts a process: ports, and the size of
the cluster its data folder already holds. Nothing here starts Java (tests/integration/test_cluster.py does):
the tests that call ``start`` hide it, so a check that let a start through would fail on "Java is not installed"."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams._exceptions import BrokerError
from streams.broker import LocalBroker, LocalCluster
from streams.settings import Settings
from streams.topics import replication_configs

pytestmark = pytest.mark.unit


@pytest.fixture
def no_java(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))


def settings(tmp_path: Path, port: int = 19000, controller_port: int = 19001) -> Settings:
    return Settings(data_dir=tmp_path, kafka_port=port, kafka_controller_port=controller_port)


def test_nodes_have_their_own_ports_and_folders(tmp_path: Path) -> None:
    cluster = LocalCluster(settings(tmp_path), 3)
    assert cluster.bootstrap == "127.0.0.1:19000,127.0.0.1:19002,127.0.0.1:19004"
    assert [b.controller_port for b in cluster.brokers] == [19001, 19003, 19005]
    assert [b.home for b in cluster.brokers] == [tmp_path / "kafka" / f"node-{n}" for n in (1, 2, 3)]
    assert LocalBroker(settings(tmp_path)).home == tmp_path / "kafka", "a single broker keeps its old folder"


def test_the_data_folder_says_how_many_nodes_it_holds(tmp_path: Path) -> None:
    assert LocalCluster.on_disk(settings(tmp_path)).nodes == 1
    for broker in LocalCluster(settings(tmp_path), 3).brokers:
        broker.home.mkdir(parents=True)
        (broker.home / "server.properties").write_text(broker.config_text())
    assert LocalCluster.on_disk(settings(tmp_path)).nodes == 3


@pytest.mark.parametrize("nodes", [1, 5])
@pytest.mark.usefixtures("no_java")
def test_a_cluster_of_another_size_than_its_folder_holds_is_refused(tmp_path: Path, nodes: int) -> None:
    for broker in LocalCluster(settings(tmp_path), 3).brokers:
        broker.home.mkdir(parents=True)
        (broker.home / "server.properties").write_text(broker.config_text())
    with pytest.raises(BrokerError, match="holds a local Kafka of 3 node"):
        LocalCluster(settings(tmp_path), nodes).start()


@pytest.mark.parametrize(("port", "controller_port"), [(19000, 19002), (65532, 65533)])
@pytest.mark.usefixtures("no_java")
def test_ports_that_overlap_or_overflow_are_refused(tmp_path: Path, port: int, controller_port: int) -> None:
    with pytest.raises(BrokerError, match="FIGUREWATCH_KAFKA_CONTROLLER_PORT"):
        LocalCluster(settings(tmp_path, port, controller_port), 3).start()


def test_topics_of_a_replicated_worker_need_two_of_three_replicas(tmp_path: Path) -> None:
    assert replication_configs(settings(tmp_path)) == {"min.insync.replicas": "1"}
    assert replication_configs(settings(tmp_path).replace(replication_factor=3)) == {"min.insync.replicas": "2"}
