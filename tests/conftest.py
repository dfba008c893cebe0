"""Test fixtures: one real Kafka broker for the whole run, and workers run as real subprocesses.

The broker is, in order of preference: the one named by ``FIGUREWATCH_TEST_BOOTSTRAP``; a testcontainers
Kafka when a Docker engine answers; else the local KRaft broker from ``deploy/kafka`` on its own ports
and data folder. Kafka is never mocked.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import orjson
import pytest

from streams.broker import SASL_USER, LocalBroker
from streams.metrics import scrape
from streams.settings import Settings

REPO = Path(__file__).resolve().parent.parent
TEST_KAFKA_PORT = int(os.environ.get("FIGUREWATCH_TEST_KAFKA_PORT", "19092"))
"""The session broker's client port (its controller port is the next one). When the default pair is taken
and no port was asked for, the broker takes two free ports instead."""


def setup_constant(name: str) -> Any:
    """A constant assigned at the top level of setup.py, read from its source (importing it would run setup())."""
    tree = ast.parse((REPO / "setup.py").read_text())
    assigned = {getattr(n.targets[0], "id", ""): n.value for n in tree.body if isinstance(n, ast.Assign)}
    return ast.literal_eval(assigned[name])


def bench_module(name: str) -> ModuleType:
    """The script ``bench/<name>.py`` as a module (bench/ is no package), for tests that share its scoring."""
    spec = importlib.util.spec_from_file_location(name, REPO / "bench" / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _port_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _docker_answers() -> bool:
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def kafka_bootstrap(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The bootstrap address of the session's real Kafka broker."""
    given = os.environ.get("FIGUREWATCH_TEST_BOOTSTRAP")
    if given:
        yield given
        return
    if _docker_answers():
        from testcontainers.kafka import KafkaContainer

        with KafkaContainer("apache/kafka:4.2.0").with_kraft() as container:
            yield container.get_bootstrap_server()
        return
    data_dir = tmp_path_factory.mktemp("kafka")
    port, controller = TEST_KAFKA_PORT, TEST_KAFKA_PORT + 1
    if "FIGUREWATCH_TEST_KAFKA_PORT" not in os.environ and not (_port_free(port) and _port_free(controller)):
        port, controller = free_port(), free_port()
    settings = Settings(data_dir=data_dir, kafka_port=port, kafka_controller_port=controller,
                        kafka_sasl_port=free_port())
    broker = LocalBroker(settings)
    bootstrap = broker.start()
    _LOCAL_BROKERS.append(broker)
    try:
        yield bootstrap
    finally:
        broker.stop()


_LOCAL_BROKERS: list[LocalBroker] = []  # the session's broker, when it is the local one


@dataclass(frozen=True)
class SaslEndpoint:
    """A SASL_PLAINTEXT listener with SASL/PLAIN and its one user."""

    bootstrap: str
    username: str
    password: str


@pytest.fixture(scope="session")
def kafka_sasl(kafka_bootstrap: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SaslEndpoint]:
    """The SASL listener of the session's local broker; when the session's broker is not the local one, a
    local broker of its own with such a listener."""
    own = None
    if _LOCAL_BROKERS:
        broker = _LOCAL_BROKERS[0]
    else:
        own = broker = LocalBroker(Settings(
            data_dir=tmp_path_factory.mktemp("kafka-sasl"), kafka_port=free_port(),
            kafka_controller_port=free_port(), kafka_sasl_port=free_port(),
        ))
        broker.start()
    try:
        yield SaslEndpoint(f"127.0.0.1:{broker.settings.kafka_sasl_port}", SASL_USER,
                           broker.sasl_password_file.read_text().strip())
    finally:
        if own is not None:
            own.stop()


def installed(folder: str, tools: tuple[str, ...]) -> list[Path]:
    """Where ``tools`` are on PATH after ``deploy/FOLDER/install.sh`` installed them if missing.

    Fails, never skips, with the installer's output when they cannot be installed.
    """
    done = subprocess.run(
        ["sh", str(REPO / "deploy" / folder / "install.sh")], capture_output=True, text=True, timeout=900, check=False
    )
    found = [shutil.which(tool) for tool in tools]
    if done.returncode != 0 or None in found:
        pytest.fail(f"cannot install {', '.join(tools)} (deploy/{folder}/install.sh exit {done.returncode}): "
                    f"{done.stdout}{done.stderr}")
    return [Path(str(path)) for path in found]


@pytest.fixture(scope="session")
def prometheus_tools() -> Path:
    """The folder holding prometheus and promtool, installed by deploy/prometheus/install.sh when missing."""
    return installed("prometheus", ("prometheus", "promtool"))[0].parent


@pytest.fixture(scope="session")
def chromium_tools() -> tuple[Path, Path]:
    """Debian's chromium and chromedriver, installed by deploy/browser/install.sh when missing."""
    chromium, chromedriver = installed("browser", ("chromium", "chromedriver"))
    return chromium, chromedriver


@dataclass
class WorkerProcess:
    """A ``figurewatch worker`` (or, with ``command="serve"``, ``figurewatch serve``) subprocess with its own
    topics, group, state and web port."""

    env: dict[str, str]
    log_path: Path
    web_port: int
    module: str = "streams"
    """The module run with ``python -m MODULE COMMAND``: a test's own worker module can inject failures."""
    proc: subprocess.Popen[bytes] | None = None
    command: str = "worker"
    log_file: object = field(default=None, repr=False)

    @property
    def settings(self) -> Settings:
        return Settings.from_env({k: v for k, v in self.env.items() if k.startswith("FIGUREWATCH_")})

    def start(self) -> WorkerProcess:
        handle = self.log_path.open("ab")
        self.log_file = handle
        self.proc = subprocess.Popen(
            [sys.executable, "-m", self.module, self.command], env=self.env, cwd=REPO,
            stdout=handle, stderr=subprocess.STDOUT,
        )
        self.wait_http("/healthz", timeout=90)
        return self

    def wait_http(self, path: str, timeout: float) -> bytes:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"{self.command} exited with {self.proc.returncode}: {self.log_tail()}")
            with suppress(OSError), urllib.request.urlopen(f"http://127.0.0.1:{self.web_port}{path}", timeout=2) as r:
                return bytes(r.read())
            time.sleep(0.3)
        raise AssertionError(f"{self.command} {path} did not answer in {timeout}s: {self.log_tail()}")

    def get_json(self, path: str) -> Any:
        """The JSON of a path on the process' web port (retried until it answers 200)."""
        return orjson.loads(self.wait_http(path, timeout=15))

    def metric(self, name: str, labels: str = "") -> float:
        """The current value of one sample on /metrics (0 when absent)."""
        self.wait_http("/metrics", timeout=10)
        samples = scrape(f"http://127.0.0.1:{self.web_port}/metrics") or {}
        return samples.get(f"{name}{{{labels}}}" if labels else name, 0.0)

    def wait_metric(self, name: str, expected: float, labels: str = "", timeout: float = 90) -> float:
        deadline = time.monotonic() + timeout
        value = self.metric(name, labels)
        while value < expected and time.monotonic() < deadline:
            time.sleep(0.5)
            value = self.metric(name, labels)
        return value

    def assigned(self) -> set[tuple[str, int]]:
        """The source partitions this worker reports lag for, i.e. holds now."""
        self.wait_http("/metrics", timeout=10)
        samples = scrape(f"http://127.0.0.1:{self.web_port}/metrics") or {}
        found = set()
        for name in samples:
            if name.startswith("figurewatch_consumer_lag{"):
                labels = dict(part.split("=", 1) for part in name[name.index("{") + 1:-1].split(","))
                found.add((labels["topic"].strip('"'), int(labels["partition"].strip('"'))))
        return found

    def alive(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture
def worker_env(kafka_bootstrap: str, tmp_path: Path) -> dict[str, str]:
    """Environment for a worker isolated by topic prefix, app id and data folder."""
    run = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    env.update({
        "FIGUREWATCH_BROKER": kafka_bootstrap,
        "FIGUREWATCH_TOPIC_PREFIX": f"t{run}.",
        "FIGUREWATCH_APP_ID": f"figurewatch-test-{run}",
        "FIGUREWATCH_PARTITIONS": "2",
        "FIGUREWATCH_SESSION_TIMEOUT": "10",
        "FIGUREWATCH_STALL_SECONDS": "15",
    })
    return env


@pytest.fixture
def start_worker(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start workers sharing ``worker_env`` (same topics and group); all are stopped at teardown."""
    started: list[WorkerProcess] = []

    def _start(module: str = "streams", **overrides: str) -> WorkerProcess:
        env = dict(worker_env)
        port = free_port()
        env["FIGUREWATCH_WEB_PORT"] = str(port)
        env["FIGUREWATCH_DATA_DIR"] = str(tmp_path / f"state-{len(started)}")
        env.update(overrides)
        worker = WorkerProcess(env, tmp_path / f"worker-{len(started)}.log", port, module)
        started.append(worker)
        return worker.start()

    yield _start
    for worker in started:
        worker.stop()


@pytest.fixture
def start_serve(worker_env: dict[str, str], tmp_path: Path) -> Iterator[Callable[..., WorkerProcess]]:
    """Start ``figurewatch serve`` processes on ``worker_env``'s topics, each with its own port; the database
    is ``tmp_path/serve.sqlite3`` unless overridden; all are stopped at teardown."""
    started: list[WorkerProcess] = []

    def _start(**overrides: str) -> WorkerProcess:
        env = dict(worker_env)
        port = free_port()
        env.update({"FIGUREWATCH_SERVE_PORT": str(port), "FIGUREWATCH_SERVE_DB": str(tmp_path / "serve.sqlite3")})
        env.update(overrides)
        serve = WorkerProcess(env, tmp_path / f"serve-{len(started)}.log", port, command="serve")
        started.append(serve)
        return serve.start()

    yield _start
    for serve in started:
        serve.stop()
