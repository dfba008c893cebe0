"""The deploy files hang together: compose services, the pinned Kafka version, the broker config."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from streams.broker import DEPLOY_DIR, kafka_version
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


def test_server_properties_is_single_node_kraft_with_small_cleaner_buffer() -> None:
    props = dict(
        line.split("=", 1) for line in (DEPLOY_DIR / "server.properties").read_text().splitlines()
        if line and not line.startswith("#")
    )
    assert props["process.roles"] == "broker,controller"
    assert props["offsets.topic.replication.factor"] == "1"
    assert int(props["log.cleaner.dedupe.buffer.size"]) <= 32 * 2**20
    assert props["auto.create.topics.enable"] == "false"


def test_the_image_builds_the_compiled_wheel_from_every_folder_it_carries() -> None:
    """The Dockerfile's build stage copies what setup.py compiles and bundles, and builds with mypyc."""
    build_stage = (REPO / "Dockerfile").read_text().split("\nFROM ")[1]  # after the comments, before the image
    copied = {part for line in build_stage.splitlines() if line.startswith("COPY ") for part in line.split()[1:-1]}
    bundled = [folder.split("/")[0] for folder in setup_constant("BUNDLED")]
    assert {"pyproject.toml", "setup.py", "streams", *bundled} <= copied
    assert "FIGUREWATCH_COMPILE=1 pip wheel" in build_stage
