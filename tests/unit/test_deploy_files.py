"""The deploy files hang together: compose services, the pinned Kafka version, the broker config."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from streams.broker import LocalBroker, kafka_version
from streams.settings import Settings
from streams.topics import min_insync_replicas
from tests.conftest import setup_constant

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]


def compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((REPO / "docker-compose.yml").read_text())


def test_compose_has_kafka_worker_serve_prometheus_grafana() -> None:
    services = compose()["services"]
    assert set(services) == {"kafka", "worker", "serve", "prometheus", "grafana"}
    assert services["serve"]["environment"]["FIGUREWATCH_BROKER"] == "kafka:9092"
    assert services["kafka"]["image"] == f"apache/kafka:{kafka_version()}", "one Kafka version everywhere"
    assert services["kafka"]["environment"]["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert services["worker"]["environment"]["FIGUREWATCH_BROKER"] == "kafka:9092"
    assert services["worker"]["depends_on"]["kafka"]["condition"] == "service_healthy"


def test_compose_mounts_exist_and_ports_bind_to_loopback() -> None:
    for name, service in compose()["services"].items():
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            assert (REPO / source).exists(), f"{name} mounts missing {source}"
        for port in service.get("ports", []):
            assert port.startswith("127.0.0.1:"), f"{name} publishes {port} beyond loopback"


def test_prometheus_scrapes_the_worker_and_serve_ports() -> None:
    config = yaml.safe_load((REPO / "deploy/prometheus/prometheus.yml").read_text())
    targets = {job["job_name"]: job["static_configs"][0]["targets"] for job in config["scrape_configs"]}
    services = compose()["services"]
    assert targets == {
        "figurewatch": [f"worker:{services['worker']['environment']['FIGUREWATCH_WEB_PORT']}"],
        "figurewatch-serve": [f"serve:{services['serve']['environment']['FIGUREWATCH_SERVE_PORT']}"],
    }


def server_properties(node: int, nodes: int) -> dict[str, str]:
    settings = Settings(data_dir=Path("/data"), kafka_port=19000, kafka_controller_port=19001)
    text = LocalBroker(settings, node, nodes).config_text()
    assert re.search("@[A-Z_]+@", text) is None, "every token replaced"
    return dict(line.split("=", 1) for line in text.splitlines() if line and not line.startswith("#"))


def test_a_single_broker_is_one_kraft_node_with_a_small_cleaner_buffer() -> None:
    props = server_properties(1, 1)
    assert props["process.roles"] == "broker,controller"
    assert props["node.id"] == "1"
    assert props["controller.quorum.voters"] == "1@127.0.0.1:19001"
    assert props["listeners"] == "PLAINTEXT://127.0.0.1:19000,CONTROLLER://127.0.0.1:19001"
    assert props["log.dirs"] == "/data/kafka/data"
    assert props["offsets.topic.replication.factor"] == "1"
    assert props["min.insync.replicas"] == "1"
    assert int(props["log.cleaner.dedupe.buffer.size"]) <= 32 * 2**20
    assert props["auto.create.topics.enable"] == "false"


def test_a_three_node_cluster_replicates_everything_three_times_and_acknowledges_two() -> None:
    nodes = [server_properties(n, 3) for n in (1, 2, 3)]
    assert [p["node.id"] for p in nodes] == ["1", "2", "3"]
    assert {p["controller.quorum.voters"] for p in nodes} == {
        "1@127.0.0.1:19001,2@127.0.0.1:19003,3@127.0.0.1:19005"
    }, "every node knows the same three voters"
    advertised = [p["advertised.listeners"] for p in nodes]
    assert advertised == [f"PLAINTEXT://127.0.0.1:{port}" for port in (19000, 19002, 19004)]
    assert len({p["log.dirs"] for p in nodes}) == 3, "each node has its own data"
    assert nodes[1]["log.dirs"] == "/data/kafka/node-2/data"
    for props in nodes:
        for key in ("offsets.topic.replication.factor", "transaction.state.log.replication.factor",
                    "share.coordinator.state.topic.replication.factor", "default.replication.factor"):
            assert props[key] == "3", key
        for key in ("min.insync.replicas", "transaction.state.log.min.isr", "share.coordinator.state.topic.min.isr"):
            assert props[key] == "2", key


def test_min_insync_replicas_leaves_room_for_one_broker_down() -> None:
    assert [min_insync_replicas(factor) for factor in (1, 2, 3, 4, 5)] == [1, 1, 2, 3, 3]


def test_the_image_builds_the_compiled_wheel_from_every_folder_it_carries() -> None:
    """The Dockerfile's build stage copies what setup.py compiles and bundles, and builds with mypyc."""
    build_stage = (REPO / "Dockerfile").read_text().split("\nFROM ")[1]  # after the comments, before the image
    copied = {part for line in build_stage.splitlines() if line.startswith("COPY ") for part in line.split()[1:-1]}
    bundled = [folder.split("/")[0] for folder in setup_constant("BUNDLED")]
    assert {"pyproject.toml", "setup.py", "streams", *bundled} <= copied
    assert "FIGUREWATCH_COMPILE=1 pip wheel" in build_stage
