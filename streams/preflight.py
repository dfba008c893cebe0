"""Checks made before a worker or a local broker starts, each failing in one line that names the setting.

A setting the run cannot work with must stop it at once with a :class:`~streams._exceptions.ConfigError`,
not later as a traceback from deep inside Faust or as an error Faust logs and retries forever: the state
folder must be creatable and writable, the ports free, and the session timeout within what the broker
accepts (outside it every attempt to join the consumer group fails, and Faust keeps retrying).
"""

from __future__ import annotations

import os
import socket
from pathlib import Path

from kafka import KafkaAdminClient
from kafka.admin import ConfigResource, ConfigResourceType
from kafka.errors import KafkaError

from streams._exceptions import ConfigError
from streams.settings import Settings

_SESSION_BOUNDS = ("group.min.session.timeout.ms", "group.max.session.timeout.ms")


def ensure_dir(path: Path, setting: str) -> Path:
    """Create ``path`` (and its parents) if missing; a ConfigError naming ``setting`` when it cannot be
    created or written to."""
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"{setting}: cannot create {path}: {exc.strerror or exc}") from exc
    if not os.access(path, os.W_OK | os.X_OK):
        raise ConfigError(f"{setting}: {path} is not writable")
    return path


def require_free(host: str, port: int, setting: str) -> None:
    """A ConfigError naming ``setting`` when ``host:port`` cannot be bound (another process listens on it)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        # As Kafka and aiohttp do: connections of a stopped server in TIME_WAIT do not make the port taken.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except socket.gaierror as exc:
            raise ConfigError(f"FIGUREWATCH_WEB_HOST: cannot bind to {host!r}: {exc.strerror or exc}") from exc
        except OSError as exc:
            raise ConfigError(
                f"{setting}: port {port} on {host} is taken ({exc.strerror or exc}): stop what uses it or set {setting}"
            ) from exc


def check_session_timeout(admin: KafkaAdminClient, settings: Settings) -> None:
    """A ConfigError when FIGUREWATCH_SESSION_TIMEOUT is outside the broker's group session bounds.

    Brokers that do not let us read their configuration (ACLs) are not checked: the join then fails as before.
    """
    try:
        broker_id = str(admin.describe_cluster()["brokers"][0]["broker_id"])
        described = admin.describe_configs(
            [ConfigResource(ConfigResourceType.BROKER, broker_id, dict.fromkeys(_SESSION_BOUNDS))], config_filter="all"
        )
        values = described["broker"][broker_id]
        low, high = (int(values[name]["value"]) / 1000 for name in _SESSION_BOUNDS)
    except (KafkaError, KeyError, IndexError, TypeError, ValueError):
        return
    if not low <= settings.session_timeout <= high:
        raise ConfigError(
            f"FIGUREWATCH_SESSION_TIMEOUT={settings.session_timeout:g} is outside the broker's bounds: "
            f"{low:g} to {high:g} seconds ({_SESSION_BOUNDS[0]} and {_SESSION_BOUNDS[1]})"
        )
