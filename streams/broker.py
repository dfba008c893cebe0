"""Runs local KRaft Kafka brokers from Maven Central jars: one for the demo and the tests, or a cluster of several.

``deploy/kafka/pom.xml`` pins the Kafka version; Maven copies the jars into the cache folder on first
use. Each broker runs in the background on 127.0.0.1 with its data, log and pid file under
``<data_dir>/kafka`` (a single broker) or ``<data_dir>/kafka/node-N`` (node N of a cluster, on the settings'
ports plus ``2 * (N - 1)``); every node of a cluster is both broker and controller. Readiness is a real
metadata request, never a log line. Every failure is a :class:`~streams._exceptions.BrokerError` whose
message is one line saying what to do.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.errors import KafkaError

from streams._exceptions import BrokerError, FigurewatchError
from streams.datafiles import shipped_dir
from streams.preflight import ensure_dir, require_free
from streams.settings import Settings
from streams.topics import min_insync_replicas

DEPLOY_DIR = shipped_dir("deploy/kafka")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MIN_JAVA = 17
HEAP_MB = 512  # a single broker
CLUSTER_HEAP_MB = 384  # each node of a cluster: three fit beside the workers and tests on a small machine
PORT_STEP = 2  # node N listens on the settings' client, controller and SASL ports plus PORT_STEP * (N - 1)
SASL_USER = "figurewatch"
"""The one user of the local broker's SASL listener (deploy/kafka/sasl.properties)."""


def kafka_version(pom: Path = DEPLOY_DIR / "pom.xml") -> str:
    """The Kafka version pinned in deploy/kafka/pom.xml."""
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    if not match:
        raise BrokerError(f"no <kafka.version> in {pom}")
    return match.group(1).strip()


def answers(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when a broker at ``bootstrap`` answers a metadata request within ``timeout`` seconds.

    The request is the client's bootstrap, sent to those addresses themselves: one node of a cluster answers
    for itself even while another node is dead (a cluster-wide request could be routed to the dead one)."""
    timeout_ms = int(timeout * 1000)
    try:
        client = KafkaAdminClient(bootstrap_servers=bootstrap, request_timeout_ms=timeout_ms,
                                  bootstrap_timeout_ms=timeout_ms)
    except (KafkaError, OSError, ValueError):
        return False
    client.close()
    return True


@dataclass(frozen=True)
class LocalBroker:
    """One local broker's files, ports and process: node ``node`` of a cluster of ``nodes`` (1 of 1 alone)."""

    settings: Settings
    node: int = 1
    nodes: int = 1

    @property
    def version(self) -> str:
        return kafka_version()

    @property
    def libs_dir(self) -> Path:
        return self.settings.cache_dir.expanduser() / f"kafka-{self.version}" / "libs"

    @property
    def home(self) -> Path:
        base = self.settings.data_dir.resolve() / "kafka"
        return base if self.nodes == 1 else base / f"node-{self.node}"

    @property
    def port(self) -> int:
        return self.settings.kafka_port + PORT_STEP * (self.node - 1)

    @property
    def controller_port(self) -> int:
        return self.settings.kafka_controller_port + PORT_STEP * (self.node - 1)

    @property
    def sasl_port(self) -> int:
        """The SASL/PLAIN listener's port, 0 when there is none."""
        base = self.settings.kafka_sasl_port
        return base + PORT_STEP * (self.node - 1) if base else 0

    def ports(self) -> list[tuple[int, str]]:
        """This node's ports, each with the setting it comes from."""
        ports = [(self.port, "FIGUREWATCH_KAFKA_PORT"), (self.controller_port, "FIGUREWATCH_KAFKA_CONTROLLER_PORT")]
        if self.sasl_port:
            ports.append((self.sasl_port, "FIGUREWATCH_KAFKA_SASL_PORT"))
        return ports

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def pid_file(self) -> Path:
        return self.home / "broker.pid"

    def fetch(self) -> Path:
        """Copy the pinned Kafka jars from Maven Central into the cache (once)."""
        marker = self.libs_dir / ".complete"
        if marker.exists():
            return self.libs_dir
        mvn = shutil.which("mvn")
        if mvn is None:
            raise BrokerError(
                "Maven (mvn) is not installed: install it (apt-get install maven) "
                "or run Kafka with Docker instead (docker compose up kafka)"
            )
        self.libs_dir.mkdir(parents=True, exist_ok=True)
        cmd = [
            mvn, "-B", "-q", "-f", str(DEPLOY_DIR / "pom.xml"),
            f"{DEPENDENCY_PLUGIN}:copy-dependencies",
            f"-DoutputDirectory={self.libs_dir}", "-DincludeScope=runtime",
        ]
        result = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            tail = (result.stdout + result.stderr).strip().splitlines()[-1:] or ["no output"]
            raise BrokerError(f"Maven could not fetch the Kafka {self.version} jars: {tail[0]}")
        marker.touch()
        return self.libs_dir

    def _java(self) -> str:
        java = shutil.which("java")
        if java is None:
            raise BrokerError(
                f"Java is not installed: install Java {MIN_JAVA}+ (apt-get install openjdk-17-jre-headless) "
                "or run Kafka with Docker instead (docker compose up kafka)"
            )
        out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
        match = re.search(r'version "(\d+)', out)
        if match and int(match.group(1)) < MIN_JAVA:
            raise BrokerError(f"Java {match.group(1)} is too old: Kafka {self.version} needs Java {MIN_JAVA}+")
        return java

    def pid(self) -> int | None:
        """The pid of our broker process if it is alive."""
        try:
            pid = int(self.pid_file.read_text().strip())
        except (OSError, ValueError):
            return None
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return None
        except PermissionError:
            return pid
        # A recycled pid that is not a java process is not our broker.
        cmdline = Path(f"/proc/{pid}/cmdline")
        if cmdline.exists() and b"kafka.Kafka" not in cmdline.read_bytes():
            return None
        return pid

    def config_text(self) -> str:
        """This node's server.properties: the template with its ports, folders and the cluster's replication."""
        voters = ",".join(
            f"{n}@127.0.0.1:{LocalBroker(self.settings, n, self.nodes).controller_port}"
            for n in range(1, self.nodes + 1)
        )
        config = (DEPLOY_DIR / "server.properties").read_text()
        if self.sasl_port:
            config += (DEPLOY_DIR / "sasl.properties").read_text()
        tokens = {
            "@NODE_ID@": str(self.node),
            "@VOTERS@": voters,
            "@PORT@": str(self.port),
            "@CONTROLLER_PORT@": str(self.controller_port),
            "@EXTRA_LISTENERS@": f",SASL_PLAINTEXT://127.0.0.1:{self.sasl_port}" if self.sasl_port else "",
            "@LOG_DIRS@": str(self.home / "data"),
            "@REPLICAS@": str(self.nodes),
            "@MIN_ISR@": str(min_insync_replicas(self.nodes)),
            "@SASL_USER@": SASL_USER,
            "@SASL_PASSWORD@": self._sasl_password() if self.sasl_port else "",
        }
        for token, value in tokens.items():
            config = config.replace(token, value)
        return config

    @property
    def sasl_password_file(self) -> Path:
        """The password of the SASL listener's user (:data:`SASL_USER`), made at the first start; one for all the
        nodes of a cluster."""
        return self.settings.data_dir.resolve() / "kafka" / "sasl-password"

    def _sasl_password(self) -> str:
        if not self.sasl_password_file.exists():
            ensure_dir(self.sasl_password_file.parent, "FIGUREWATCH_DATA_DIR")
            self.sasl_password_file.touch(mode=0o600)
            self.sasl_password_file.write_text(secrets.token_urlsafe(24))
        return self.sasl_password_file.read_text().strip()

    def cluster_id(self) -> str | None:
        """The cluster id this node's storage was formatted with, if it was."""
        with contextlib.suppress(OSError):
            for line in (self.home / "data" / "meta.properties").read_text().splitlines():
                if line.startswith("cluster.id="):
                    return line.split("=", 1)[1].strip()
        return None

    def launch(self, cluster_id: str) -> subprocess.Popen[bytes] | None:
        """Start this node's process in the background, formatting its storage for ``cluster_id`` the first
        time; None when it runs already. :meth:`await_answer` waits for it; :meth:`LocalCluster.start` has checked
        its ports."""
        if self.pid() is not None:
            return None
        java = self._java()
        libs = self.fetch()
        ensure_dir(self.home / "logs", "FIGUREWATCH_DATA_DIR")
        config = self.home / "server.properties"
        config.touch(mode=0o600)  # it may hold the SASL password
        config.write_text(self.config_text())
        classpath = f"{libs}/*"
        if self.cluster_id() is None:
            fmt = subprocess.run(
                [java, "-cp", classpath, "kafka.tools.StorageTool", "format",
                 "-t", cluster_id, "-c", str(config), "-g"],
                capture_output=True, text=True, check=False,
            )
            if fmt.returncode != 0:
                detail = (fmt.stdout + fmt.stderr).strip().splitlines()[-1:] or ["no output"]
                raise BrokerError(f"formatting the broker storage failed: {detail[0]}")
        heap = HEAP_MB if self.nodes == 1 else CLUSTER_HEAP_MB
        cmd = [
            java, f"-Xmx{heap}m", f"-Xms{heap}m", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.home / 'logs'}",
            f"-Dlog4j2.configurationFile={DEPLOY_DIR / 'log4j2.yaml'}",
            "-cp", classpath, "kafka.Kafka", str(config),
        ]
        with open(self.home / "logs" / "stdout.log", "ab") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self.pid_file.write_text(str(proc.pid))
        return proc

    def await_answer(self, proc: subprocess.Popen[bytes] | None, deadline: float) -> str:
        """Wait until this node answers (``proc`` is what :meth:`launch` gave); return its bootstrap address.
        A node launched now that does not answer by ``deadline`` (a ``time.monotonic()`` value) is stopped."""
        if proc is None:
            if answers(self.bootstrap):
                return self.bootstrap
            raise BrokerError(f"a broker process is running but does not answer; see {self.log_file}")
        while (remaining := deadline - time.monotonic()) > 0:
            if proc.poll() is not None:
                raise BrokerError(f"the broker exited with code {proc.returncode}; see {self.log_file}")
            if answers(self.bootstrap, timeout=min(3.0, max(remaining, 0.1))) and time.monotonic() < deadline:
                return self.bootstrap
            time.sleep(min(0.5, max(remaining, 0)))
        self.stop()
        raise BrokerError(
            f"the broker did not answer within {self.settings.kafka_start_timeout:.0f}s; see {self.log_file}"
        )

    def start(self) -> str:
        """Start this node alone (a single broker, or one node back into a running cluster) and wait until it
        answers; return its bootstrap address."""
        return LocalCluster(self.settings, self.nodes).start(only=self.node)

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop this node cleanly (SIGTERM, then SIGKILL after ``timeout``). False if it did not run."""
        return LocalCluster(self.settings, self.nodes).stop(only=self.node, timeout=timeout)


@dataclass(frozen=True)
class LocalCluster:
    """``nodes`` local brokers forming one KRaft cluster, each node both broker and controller. Its nodes
    are launched together and then awaited, since the controllers elect a leader only once a majority runs."""

    settings: Settings
    nodes: int = 1

    @classmethod
    def on_disk(cls, settings: Settings) -> LocalCluster:
        """The cluster whose node folders are under the settings' data folder (a single broker if none)."""
        found = len(list((settings.data_dir.resolve() / "kafka").glob("node-*/server.properties")))
        return cls(settings, max(found, 1))

    def _require_same_size_on_disk(self) -> None:
        found = LocalCluster.on_disk(self.settings)
        if found.nodes != self.nodes and any((b.home / "server.properties").exists() for b in found.brokers):
            raise BrokerError(
                f"{self.settings.data_dir.resolve() / 'kafka'} holds a local Kafka of {found.nodes} node(s), "
                f"not {self.nodes}: start it with --nodes {found.nodes}, or set another FIGUREWATCH_DATA_DIR"
            )

    @property
    def brokers(self) -> tuple[LocalBroker, ...]:
        return tuple(LocalBroker(self.settings, n, self.nodes) for n in range(1, self.nodes + 1))

    @property
    def bootstrap(self) -> str:
        return ",".join(b.bootstrap for b in self.brokers)

    def start(self, only: int | None = None) -> str:
        """Start every node that is not running (or only node ``only``), wait until each answers, and return
        the bootstrap addresses of all nodes. Nodes started here are stopped again if any fails."""
        ports = [port for b in self.brokers for port, _ in b.ports()]
        if len(set(ports)) < len(ports) or max(ports) > 65535:
            raise BrokerError(
                f"{self.nodes} nodes need the ports FIGUREWATCH_KAFKA_PORT, FIGUREWATCH_KAFKA_CONTROLLER_PORT (and "
                f"FIGUREWATCH_KAFKA_SASL_PORT) plus 0, {PORT_STEP}, ... {PORT_STEP * (self.nodes - 1)}, distinct and "
                "below 65536; set FIGUREWATCH_KAFKA_CONTROLLER_PORT to FIGUREWATCH_KAFKA_PORT + 1"
            )
        self._require_same_size_on_disk()
        wanted = [b for b in self.brokers if only in (None, b.node)]
        for broker in wanted:  # all before any is launched, so that a taken port leaves nothing running
            if broker.pid() is None:
                for port, setting in broker.ports():
                    require_free("127.0.0.1", port, setting)
        cluster_id = next((i for b in self.brokers if (i := b.cluster_id())), None) or uuid.uuid4().hex[:22]
        launched: list[tuple[LocalBroker, subprocess.Popen[bytes] | None]] = []
        try:
            for broker in wanted:
                launched.append((broker, broker.launch(cluster_id)))
            deadline = time.monotonic() + self.settings.kafka_start_timeout
            for broker, proc in launched:
                broker.await_answer(proc, deadline)
        except FigurewatchError:  # a BrokerError, or a ConfigError of a port or folder
            for broker, proc in launched:
                if proc is not None:
                    broker.stop()
            raise
        return self.bootstrap if only is None else wanted[0].bootstrap

    def stop(self, only: int | None = None, timeout: float = 60.0) -> bool:
        """Stop every node (or only node ``only``) cleanly: SIGTERM to all at once, since the last nodes of a
        cluster cannot shut down cleanly once a majority of controllers is gone; then SIGKILL to those still
        running after ``timeout``. False if none ran."""
        pids = []
        for broker in self.brokers:
            if only in (None, broker.node):
                if (pid := broker.pid()) is not None:
                    os.kill(pid, signal.SIGTERM)
                    pids.append(pid)
                broker.pid_file.unlink(missing_ok=True)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and any(_alive(pid) for pid in pids):
            time.sleep(0.2)
        for pid in pids:
            if _alive(pid):
                os.kill(pid, signal.SIGKILL)
        return bool(pids)


def _alive(pid: int) -> bool:
    with contextlib.suppress(ChildProcessError):
        done, _ = os.waitpid(pid, os.WNOHANG)
        if done == pid:
            return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(") ", 1)[-1].startswith("Z"))

