"""Structured logging: one JSON object per line, with the event name and its fields, and no secrets.

Every record goes through one handler whose filter, :class:`Redact`, removes secrets before anything is
written: the Kafka clients log each request at debug level, the SASL authentication request included, whose
bytes hold the user name and password (PLAIN sends them in clear), so the bytes of any ``auth_bytes`` field
are blanked whatever the client; and the configured secrets (the SASL password) are blanked wherever they
appear, in the message, its fields or an exception's text.
"""

from __future__ import annotations

import logging
import logging.config
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

import orjson

LOGGER_NAME = "figurewatch"
_RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None)).keys()) | {"message", "asctime"}
REDACTED = "<redacted>"
# ``auth_bytes=b'...'`` as a request's repr shows it (either quote, with escapes), or any other form of it
_AUTH_BYTES = re.compile(r"""(auth_bytes\W{0,3})(?:b?'(?:[^'\\]|\\.)*'|b?"(?:[^"\\]|\\.)*"|[^\s,)]*)""")


class Redact(logging.Filter):
    """Blanks SASL authentication bytes and the given secrets in a record before any handler writes it.

    The record's message is formatted here once (and its arguments dropped) when it must change; an
    exception's text is formatted and redacted too. The record is never dropped: the event stays visible.
    """

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        super().__init__()
        # each secret as it is, and as it shows inside the repr of a string or of bytes (a client's config dict)
        shown = {form for s in secrets if s for form in (s, repr(s)[1:-1], repr(s.encode())[2:-1])}
        self.secrets = sorted(shown, key=len, reverse=True)

    def redact(self, text: str) -> str:
        if "auth_bytes" in text:
            text = _AUTH_BYTES.sub(rf"\1{REDACTED}", text)
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return text

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        clean = self.redact(message)
        if clean != message:
            record.msg, record.args = clean, ()
        for key, value in list(vars(record).items()):
            if key in _RESERVED:
                continue
            shown = value if isinstance(value, str) else str(value)
            if (clean := self.redact(shown)) != shown:
                setattr(record, key, clean)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        return True


class JsonFormatter(logging.Formatter):
    """Formats a record as JSON: time, level, logger, event, and every ``extra=`` field."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _RESERVED})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exception"] = record.exc_text
        return orjson.dumps(entry, default=str).decode()


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


def logging_config(level: str, secrets: Iterable[str | None] = ()) -> dict[str, Any]:
    """A ``dictConfig`` that sends every log record, Faust's and the Kafka clients' included, to stderr as
    JSON, through :class:`Redact` with ``secrets``."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": f"{__name__}.JsonFormatter"}},
        "filters": {"redact": {"()": f"{__name__}.Redact", "secrets": [s for s in secrets if s]}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "json", "filters": ["redact"]}},
        "root": {"level": level.upper(), "handlers": ["stderr"]},
    }


def configure(level: str, secrets: Iterable[str | None] = ()) -> None:
    """Install :func:`logging_config` for this process (the CLI does, before any client is built)."""
    logging.config.dictConfig(logging_config(level, secrets))
