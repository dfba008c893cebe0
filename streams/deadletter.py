"""Dead-letter records: what ``news.items.dlq`` holds for every message the worker could not use.

Pure: the agent passes the raw bytes and where they came from; the record keeps the original bytes in
base64 so nothing is lost and an operator can replay them after a fix.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Origin:
    """Where a message was read from."""

    topic: str
    partition: int
    offset: int
    timestamp_ms: int | None


def dead_letter(raw: bytes, reason: str, detail: str, origin: Origin, key: bytes | None) -> dict[str, Any]:
    """The DLQ record for one rejected message (see ``schemas/dlq-record.schema.json``)."""
    return {
        "reason": reason,
        "error": detail,
        "topic": origin.topic,
        "partition": origin.partition,
        "offset": origin.offset,
        "timestamp_ms": origin.timestamp_ms,
        "key": key.decode("utf-8", "backslashreplace") if key is not None else None,
        "original_base64": base64.b64encode(raw).decode("ascii"),
        "original_size": len(raw),
    }
