"""Dead-letter records: what ``news.items.dlq`` holds for every message the worker could not use.

Pure: the agent passes the raw bytes, the stage that gave up on them, why, and where they came from. The
record keeps the original bytes in base64 so an operator can replay them after a fix, and always fits in
``limit`` bytes: when the whole original cannot, the record keeps its first bytes, says ``truncated``, and
carries the size and SHA-256 of the whole (the original stays on its topic, at the record's offset, for
that topic's retention).
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

import orjson

STAGES = ("ingest", "ledger")
MAX_ERROR_CHARS = 2_000
MAX_KEY_BYTES = 1_024
MIN_LIMIT = 4_096
"""No record is built smaller than this: one with no original bytes at all always fits in it."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a message was read from."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None


def dead_letter(raw: bytes, reason: str, detail: str, origin: Origin, key: bytes | None, *,
                stage: str = "ingest", limit: int | None = None) -> dict[str, Any]:
    """The DLQ record for one message (see ``schemas/dlq-record.schema.json``), at most ``limit`` bytes
    once encoded with :func:`encode` (no bound when ``limit`` is None)."""
    shown_key = dlq_key(key)
    record: dict[str, Any] = {
        "reason": reason,
        "stage": stage,
        "error": detail[:MAX_ERROR_CHARS],
        "topic": origin.topic,
        "partition": origin.partition,
        "offset": origin.offset,
        "timestamp_ms": origin.timestamp_ms,
        "key": shown_key.decode("utf-8", "backslashreplace") if shown_key is not None else None,
        "original_base64": base64.b64encode(raw).decode("ascii"),
        "original_size": len(raw),
        "original_sha256": hashlib.sha256(raw).hexdigest(),
        "truncated": False,
    }
    if limit is None or len(encode(record)) <= limit:
        return record
    record["truncated"] = True
    record["error"] = (f"{record['error'][:MAX_ERROR_CHARS // 2]} (record truncated: the original is "
                       f"{len(raw)} bytes, more than fits in {limit}; original_base64 holds its first bytes)")
    record["original_base64"] = ""
    room = max(limit, MIN_LIMIT) - len(encode(record))
    kept = max(0, room // 4 * 3)
    record["original_base64"] = base64.b64encode(raw[:kept]).decode("ascii")
    return record


def encode(record: dict[str, Any]) -> bytes:
    """A record's bytes on the dead-letter topic."""
    return orjson.dumps(record)


def dlq_key(key: bytes | None) -> bytes | None:
    """The message key of a dead-letter record: the original key, unless it is too long to be an id."""
    return key if key is not None and len(key) <= MAX_KEY_BYTES else None
