"""``figurewatch broker start|status|stop`` against a real broker, and each failure as one clear line."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, free_port

pytestmark = pytest.mark.integration


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "streams", "broker", *args], env=env, cwd=REPO, capture_output=True, text=True,
        timeout=300, check=False,
    )


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    port = free_port()
    base = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    base.update({
        "FIGUREWATCH_DATA_DIR": str(tmp_path / "data"),
        "FIGUREWATCH_KAFKA_PORT": str(port),
        "FIGUREWATCH_KAFKA_CONTROLLER_PORT": str(free_port()),
    })
    return base


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("figurewatch: error: ")
    return lines[0]


def test_start_status_stop(env: dict[str, str]) -> None:
    started = run(env, "start")
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == f"127.0.0.1:{env['FIGUREWATCH_KAFKA_PORT']}"
    try:
        status = run(env, "status")
        assert status.returncode == 0
        assert "answering" in status.stdout and "NOT" not in status.stdout
        again = run(env, "start")
        assert again.returncode == 0, "starting a running broker is harmless"
    finally:
        stopped = run(env, "stop")
    assert stopped.stdout.strip() == "stopped"
    after = run(env, "status")
    assert after.returncode == 1
    assert after.stdout.startswith("not running")
    assert run(env, "stop").stdout.strip() == "not running"


def test_port_taken(env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", int(env["FIGUREWATCH_KAFKA_PORT"])))
        sock.listen()
        line = one_error_line(run(env, "start"))
    assert f"port {env['FIGUREWATCH_KAFKA_PORT']}" in line and "taken" in line


def test_a_taken_port_of_any_node_leaves_no_node_running(env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        port = sock.getsockname()[1]
        env.update({"FIGUREWATCH_KAFKA_PORT": str(port - 4), "FIGUREWATCH_KAFKA_CONTROLLER_PORT": str(port - 3)})
        line = one_error_line(run(env, "start", "--nodes", "3"))  # node 3's client port is taken
    assert f"port {port} on 127.0.0.1 is taken" in line and "FIGUREWATCH_KAFKA_PORT" in line
    status = run(env, "status", "--nodes", "3")
    assert status.stdout.count("not running") == 3, status.stdout


def test_broker_that_does_not_come_up_in_time_names_its_log(env: dict[str, str]) -> None:
    env["FIGUREWATCH_KAFKA_START_TIMEOUT"] = "0.1"
    line = one_error_line(run(env, "start"))
    assert "did not answer within" in line
    assert str(Path(env["FIGUREWATCH_DATA_DIR"]).resolve() / "kafka" / "logs" / "server.log") in line
    assert run(env, "status").returncode == 1, "a broker that timed out is stopped"


def test_missing_maven_says_what_to_install(env: dict[str, str], tmp_path: Path) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    java = shutil.which("java")
    assert java
    (bin_dir / "java").symlink_to(java)
    env.update({"PATH": str(bin_dir), "FIGUREWATCH_CACHE_DIR": str(tmp_path / "empty-cache")})
    line = one_error_line(run(env, "start"))
    assert "Maven" in line and "apt-get install maven" in line and "Docker" in line


def test_missing_java_says_what_to_install(env: dict[str, str], tmp_path: Path) -> None:
    env["PATH"] = str(tmp_path)
    line = one_error_line(run(env, "start"))
    assert "Java" in line and "install" in line and "Docker" in line
