"""Every setting figurewatch reads, in one frozen object, with every environment variable named here.

Settings come from ``FIGUREWATCH_*`` environment variables (table below) and can be overridden by
CLI flags through :meth:`Settings.replace`. Nothing else in the code reads the environment.

==================================  ===============================  ==========================================
variable                            default                          meaning
==================================  ===============================  ==========================================
FIGUREWATCH_BROKER                  127.0.0.1:9092                   Kafka bootstrap servers (comma-separated)
FIGUREWATCH_APP_ID                  figurewatch                      Faust app id = consumer group
FIGUREWATCH_TOPIC_PREFIX            (empty)                          prefix for every topic name (isolation)
FIGUREWATCH_PARTITIONS              4                                partitions of every topic we create
FIGUREWATCH_REPLICATION_FACTOR      1                                replicas of every topic we create
FIGUREWATCH_STORE                   rocksdb://                       table store (``memory://`` for tests)
FIGUREWATCH_DATA_DIR                ./.figurewatch                   worker state, local broker data, logs
FIGUREWATCH_CACHE_DIR               ~/.cache/figurewatch             downloaded Kafka jars
FIGUREWATCH_KAFKA_PORT              9092                             local broker client port
FIGUREWATCH_KAFKA_CONTROLLER_PORT   9093                             local broker controller port
FIGUREWATCH_KAFKA_SASL_PORT         0                                local broker SASL/PLAIN listener (0: none)
FIGUREWATCH_KAFKA_START_TIMEOUT     120                              seconds to wait for the local broker
FIGUREWATCH_MAX_ITEM_BYTES          1048576                          larger news items go to the DLQ
FIGUREWATCH_MAX_CLAIMS_PER_ITEM     200                              claims kept per item (and so change events)
FIGUREWATCH_MAX_BODY_CHARS          100000                           characters of a body read for figures
FIGUREWATCH_MAX_SENTENCE_CHARS      2000                             characters of one sentence read
FIGUREWATCH_GAZETTEER               (none)                           user gazetteer JSON merged over ours
FIGUREWATCH_WEB_HOST                127.0.0.1                        worker web server bind address
FIGUREWATCH_WEB_PORT                6066                             worker web server port
FIGUREWATCH_WEB_TABLES              false                            serve Faust's HTTP table views (true/false)
FIGUREWATCH_SERVE_HOST              127.0.0.1                        ``figurewatch serve`` bind address (page and API)
FIGUREWATCH_SERVE_PORT              6067                             ``figurewatch serve`` port
FIGUREWATCH_SERVE_DB                (data dir)/serve.sqlite3         the read model's SQLite database
FIGUREWATCH_LOG_LEVEL               info                             worker log level
FIGUREWATCH_PROCESSING_GUARANTEE    at_least_once                    or exactly_once
FIGUREWATCH_SAME_PERIOD_DAYS        0                                as_of days apart that count as one period
FIGUREWATCH_RESTATEMENT_DAYS        3                                days a running total may be restated late
FIGUREWATCH_SESSION_TIMEOUT         30                               seconds before a silent worker loses its partitions
FIGUREWATCH_STALL_SECONDS           60                               pending work not moving this long is a stall
FIGUREWATCH_BATCH_MAX               500                              messages an agent processes together at most
FIGUREWATCH_BATCH_SECONDS           0.005                            how long an agent waits to fill a batch
FIGUREWATCH_SECURITY_PROTOCOL       PLAINTEXT                        or SSL, SASL_PLAINTEXT, SASL_SSL
FIGUREWATCH_SASL_MECHANISM          PLAIN                            or SCRAM-SHA-256, SCRAM-SHA-512
FIGUREWATCH_SASL_USERNAME           (none)                           SASL user
FIGUREWATCH_SASL_PASSWORD           (none)                           SASL password (never printed or logged)
FIGUREWATCH_SASL_PASSWORD_FILE      (none)                           file holding the SASL password instead
FIGUREWATCH_SSL_CAFILE              (none)                           CA bundle to verify the brokers with
==================================  ===============================  ==========================================
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams._exceptions import ConfigError
from streams.ledger.ledger import RESTATEMENT_DAYS

PREFIX = "FIGUREWATCH_"
GUARANTEES = ("at_least_once", "exactly_once")
SECURITY_PROTOCOLS = ("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")
SASL_MECHANISMS = ("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
MAX_PORT = 65535
_APP_ID = re.compile(r"[A-Za-z0-9._-]{1,200}")


@dataclass(frozen=True, slots=True)
class Settings:
    """The worker's and CLI's configuration. Build it with :meth:`from_env`."""

    broker: str = "127.0.0.1:9092"
    app_id: str = "figurewatch"
    topic_prefix: str = ""
    partitions: int = 4
    replication_factor: int = 1
    store: str = "rocksdb://"
    data_dir: Path = Path(".figurewatch")
    cache_dir: Path = Path("~/.cache/figurewatch")
    kafka_port: int = 9092
    kafka_controller_port: int = 9093
    kafka_sasl_port: int = 0
    kafka_start_timeout: float = 120.0
    max_item_bytes: int = 1_048_576
    max_claims_per_item: int = 200
    max_body_chars: int = 100_000
    max_sentence_chars: int = 2_000
    gazetteer: Path | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 6066
    web_tables: bool = False
    serve_host: str = "127.0.0.1"
    serve_port: int = 6067
    serve_db: Path | None = None
    log_level: str = "info"
    processing_guarantee: str = "at_least_once"
    same_period_days: int = 0
    restatement_days: int = RESTATEMENT_DAYS
    session_timeout: float = 30.0
    stall_seconds: float = 60.0
    batch_max: int = 500
    batch_seconds: float = 0.005
    security_protocol: str = "PLAINTEXT"
    sasl_mechanism: str = "PLAIN"
    sasl_username: str | None = None
    sasl_password: str | None = field(default=None, repr=False)
    sasl_password_file: Path | None = None
    ssl_cafile: Path | None = None

    @classmethod
    def from_env(cls, environ: Mapping[str, str]) -> Settings:
        """Read every ``FIGUREWATCH_*`` variable; unknown ones are an error, so typos are caught."""
        known = {f.name: f for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in environ.items():
            if not key.startswith(PREFIX) or key in _NOT_SETTINGS:
                continue
            name = key[len(PREFIX):].lower()
            if name not in known:
                raise ConfigError(f"unknown setting {key}; known: {', '.join(_env_names())}")
            values[name] = _convert(key, str(known[name].type), raw)
        return cls().replace(**values)

    def replace(self, **changes: Any) -> Settings:
        """A copy with some settings changed (CLI flags), validated again."""
        new = dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})
        new.validate()
        return new

    def validate(self) -> None:
        if self.processing_guarantee not in GUARANTEES:
            raise ConfigError(f"FIGUREWATCH_PROCESSING_GUARANTEE must be one of {GUARANTEES}")
        if self.security_protocol not in SECURITY_PROTOCOLS:
            raise ConfigError(f"FIGUREWATCH_SECURITY_PROTOCOL must be one of {SECURITY_PROTOCOLS}")
        if self.sasl_mechanism not in SASL_MECHANISMS:
            raise ConfigError(f"FIGUREWATCH_SASL_MECHANISM must be one of {SASL_MECHANISMS}")
        if self.security_protocol.startswith("SASL") and not self.sasl_username:
            raise ConfigError("FIGUREWATCH_SASL_USERNAME is required with a SASL security protocol")
        if not self.store.startswith(("rocksdb://", "memory://")):
            raise ConfigError("FIGUREWATCH_STORE must be rocksdb:// or memory://")
        for name in ("partitions", "replication_factor", "max_item_bytes", "max_claims_per_item", "max_body_chars",
                     "max_sentence_chars", "session_timeout", "stall_seconds", "kafka_start_timeout", "batch_max",
                     "batch_seconds"):
            if not getattr(self, name) > 0:
                raise ConfigError(f"{PREFIX}{name.upper()} must be positive, not {getattr(self, name)}")
        optional = ("kafka_sasl_port",) if self.kafka_sasl_port else ()  # 0: no SASL listener
        ports = ("kafka_port", "kafka_controller_port", "web_port", "serve_port", *optional)
        for name in ports:
            if not 0 < (port := getattr(self, name)) <= MAX_PORT:
                raise ConfigError(f"{PREFIX}{name.upper()} must be a port from 1 to {MAX_PORT}, not {port}")
        if self.log_level.upper() not in LOG_LEVELS:
            levels = ", ".join(LOG_LEVELS).lower()
            raise ConfigError(f"FIGUREWATCH_LOG_LEVEL must be one of {levels}, not {self.log_level!r}")
        if not _APP_ID.fullmatch(self.app_id):
            raise ConfigError(f"FIGUREWATCH_APP_ID {self.app_id!r} must be letters, digits, '.', '_' and '-' "
                              "(it names the consumer group and the tables' changelog topics)")
        self._validate_broker()

    def _validate_broker(self) -> None:
        """Each bootstrap server is ``host`` or ``host:port``; an empty list is an error, not a crash later."""
        if not self.bootstrap_servers:
            raise ConfigError("FIGUREWATCH_BROKER is empty: give the Kafka bootstrap servers as host:port[,host:port]")
        for server in self.bootstrap_servers:
            host, colon, port = server.rpartition(":") if ":" in server else (server, "", "")
            if not host or (colon and not (port.isdigit() and 0 < int(port) <= MAX_PORT)):
                raise ConfigError(f"FIGUREWATCH_BROKER: {server!r} is not host:port with a port from 1 to {MAX_PORT}")

    def sasl_secret(self) -> str | None:
        """The SASL password, from the setting or its file (read when needed, never stored in logs)."""
        if self.sasl_password_file is not None:
            try:
                return self.sasl_password_file.read_text().strip()
            except OSError as exc:
                raise ConfigError(f"cannot read FIGUREWATCH_SASL_PASSWORD_FILE: {exc.strerror}") from exc
        return self.sasl_password

    @property
    def serve_db_path(self) -> Path:
        """Where ``figurewatch serve`` keeps its read model: FIGUREWATCH_SERVE_DB, else in the data folder."""
        return self.serve_db if self.serve_db is not None else self.data_dir / "serve.sqlite3"

    def topic(self, name: str) -> str:
        """The full name of one of our topics."""
        return f"{self.topic_prefix}{name}"

    @property
    def state_dir(self) -> Path:
        """The worker's table state: one folder per app id, so that two app ids can share a data folder."""
        return self.data_dir.resolve() / "worker" / self.app_id

    @property
    def bootstrap_servers(self) -> list[str]:
        return [s.strip() for s in self.broker.split(",") if s.strip()]


# Variables under our prefix that are not worker settings: the test harness's broker, and the build's
# switch for the mypyc-compiled extraction core (setup.py), which may stay exported after a build.
_NOT_SETTINGS = frozenset({"FIGUREWATCH_TEST_BOOTSTRAP", "FIGUREWATCH_TEST_KAFKA_PORT", "FIGUREWATCH_COMPILE"})


_BOOLEANS = {"1": True, "true": True, "yes": True, "0": False, "false": False, "no": False}


def _env_names() -> list[str]:
    return [PREFIX + f.name.upper() for f in dataclasses.fields(Settings)]


def _convert(key: str, type_name: str, raw: str) -> Any:
    try:
        if type_name == "bool":
            if raw.lower() not in _BOOLEANS:
                raise ValueError(raw)
            return _BOOLEANS[raw.lower()]
        if type_name == "int":
            return int(raw)
        if type_name == "float":
            return float(raw)
        if "Path" in type_name:
            return Path(raw) if raw else None
    except ValueError as exc:
        raise ConfigError(f"{key}={raw!r} is not a valid {type_name}") from exc
    return raw
