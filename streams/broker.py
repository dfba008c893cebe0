"""Runs a single-node KRaft Kafka broker from Maven Central jars, for the demo and the tests.

``deploy/kafka/pom.xml`` pins the Kafka version; Maven copies the jars into the cache folder on first
use. The broker runs in the background on 127.0.0.1 with its data, log and pid file under
``<data_dir>/kafka``. Readiness is a real metadata request, never a log line. Every failure is a
:class:`~streams._exceptions.BrokerError` whose message is one line saying what to do.
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

from streams._exceptions import BrokerError
from streams.datafiles import shipped_dir
from streams.preflight import ensure_dir, require_free
from streams.settings import Settings

DEPLOY_DIR = shipped_dir("deploy/kafka")
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
MIN_JAVA = 17
HEAP = "-Xmx512m"
SASL_USER = "figurewatch"
"""The one user of the local broker's SASL listener (deploy/kafka/sasl.properties)."""


def kafka_version(pom: Path = DEPLOY_DIR / "pom.xml") -> str:
    """The Kafka version pinned in deploy/kafka/pom.xml."""
    match = re.search(r"<kafka\.version>([^<]+)</kafka\.version>", pom.read_text())
    if not match:
        raise BrokerError(f"no <kafka.version> in {pom}")
    return match.group(1).strip()


def answers(bootstrap: str, timeout: float = 5.0) -> bool:
    """True when a broker at ``bootstrap`` answers a metadata request."""
    try:
        client = KafkaAdminClient(
            bootstrap_servers=bootstrap,
            request_timeout_ms=int(timeout * 1000),
        )
    except (KafkaError, OSError, ValueError):
        return False
    try:
        client.describe_cluster()
        return True
    except (KafkaError, OSError):
        return False
    finally:
        client.close()


@dataclass(frozen=True)
class LocalBroker:
    """The local broker's files and process, described by the settings."""

    settings: Settings

    @property
    def version(self) -> str:
        return kafka_version()

    @property
    def libs_dir(self) -> Path:
        return self.settings.cache_dir.expanduser() / f"kafka-{self.version}" / "libs"

    @property
    def home(self) -> Path:
        return self.settings.data_dir.resolve() / "kafka"

    @property
    def log_file(self) -> Path:
        return self.home / "logs" / "server.log"

    @property
    def bootstrap(self) -> str:
        return f"127.0.0.1:{self.settings.kafka_port}"

    @property
    def _pid_file(self) -> Path:
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
            pid = int(self._pid_file.read_text().strip())
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

    @property
    def sasl_password_file(self) -> Path:
        """The password of the SASL listener's user (:data:`SASL_USER`), made at its first start."""
        return self.home / "sasl-password"

    def _sasl_password(self) -> str:
        if not self.sasl_password_file.exists():
            self.sasl_password_file.touch(mode=0o600)
            self.sasl_password_file.write_text(secrets.token_urlsafe(24))
        return self.sasl_password_file.read_text().strip()

    def _write_config(self) -> Path:
        template = (DEPLOY_DIR / "server.properties").read_text()
        sasl_port = self.settings.kafka_sasl_port
        extra = f",SASL_PLAINTEXT://127.0.0.1:{sasl_port}" if sasl_port else ""
        if sasl_port:
            template += (DEPLOY_DIR / "sasl.properties").read_text()
        config = (
            template.replace("@PORT@", str(self.settings.kafka_port))
            .replace("@CONTROLLER_PORT@", str(self.settings.kafka_controller_port))
            .replace("@EXTRA_LISTENERS@", extra)
            .replace("@LOG_DIRS@", str(self.home / "data"))
            .replace("@SASL_USER@", SASL_USER)
            .replace("@SASL_PASSWORD@", self._sasl_password() if sasl_port else "")
        )
        path = self.home / "server.properties"
        path.touch(mode=0o600)  # it may hold the SASL password
        path.write_text(config)
        return path

    def start(self) -> str:
        """Start the broker in the background and wait until it answers; return the bootstrap."""
        if self.pid() is not None:
            if answers(self.bootstrap):
                return self.bootstrap
            raise BrokerError(f"a broker process is running but does not answer; see {self.log_file}")
        java = self._java()
        libs = self.fetch()
        for port, setting in self._ports():
            require_free("127.0.0.1", port, setting)
        ensure_dir(self.home / "logs", "FIGUREWATCH_DATA_DIR")
        config = self._write_config()
        classpath = f"{libs}/*"
        if not (self.home / "data" / "meta.properties").exists():
            cluster_id = uuid.uuid4().hex[:22]
            fmt = subprocess.run(
                [java, "-cp", classpath, "kafka.tools.StorageTool", "format",
                 "-t", cluster_id, "-c", str(config), "-g"],
                capture_output=True, text=True, check=False,
            )
            if fmt.returncode != 0:
                detail = (fmt.stdout + fmt.stderr).strip().splitlines()[-1:] or ["no output"]
                raise BrokerError(f"formatting the broker storage failed: {detail[0]}")
        cmd = [
            java, HEAP, f"-Xms{HEAP[4:]}", "-XX:+UseG1GC", "-Djava.awt.headless=true",
            f"-Dkafka.logs.dir={self.home / 'logs'}",
            f"-Dlog4j2.configurationFile={DEPLOY_DIR / 'log4j2.yaml'}",
            "-cp", classpath, "kafka.Kafka", str(config),
        ]
        with open(self.home / "logs" / "stdout.log", "ab") as out:
            proc = subprocess.Popen(
                cmd, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        self._pid_file.write_text(str(proc.pid))
        deadline = time.monotonic() + self.settings.kafka_start_timeout
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

    def _ports(self) -> list[tuple[int, str]]:
        ports = [(self.settings.kafka_port, "FIGUREWATCH_KAFKA_PORT"),
                 (self.settings.kafka_controller_port, "FIGUREWATCH_KAFKA_CONTROLLER_PORT")]
        if self.settings.kafka_sasl_port:
            ports.append((self.settings.kafka_sasl_port, "FIGUREWATCH_KAFKA_SASL_PORT"))
        return ports

    def stop(self, timeout: float = 60.0) -> bool:
        """Stop the broker cleanly (SIGTERM, then SIGKILL after ``timeout``). False if none ran."""
        pid = self.pid()
        if pid is None:
            self._pid_file.unlink(missing_ok=True)
            return False
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.2)
        if _alive(pid):
            os.kill(pid, signal.SIGKILL)
        self._pid_file.unlink(missing_ok=True)
        return True


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

