"""News items: the input contract of ``news.items``, and the pure validation that turns raw bytes into one.

``parse_item`` either returns a :class:`NewsItem` or raises :class:`~streams._exceptions.ItemRejected`
with a machine-readable reason; the ingest agent routes the latter to the dead-letter topic.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

import orjson

from streams._exceptions import ItemRejected
from streams.schemas import validator_for

REJECT_REASONS = ("too_large", "not_json", "not_object", "schema")


@dataclass(frozen=True, slots=True)
class NewsItem:
    """One news report as it arrives on ``news.items``."""

    id: str
    published_at: str
    outlet: str
    title: str
    body: str
    url: str | None = None
    language: str | None = None

    @property
    def published_date(self) -> str:
        """The publication date (``YYYY-MM-DD``) in the timestamp's own offset."""
        return parse_timestamp(self.published_at).date().isoformat()

    @property
    def content_hash(self) -> str:
        """A digest of everything but the id: equal hashes mean an exact repeat."""
        payload = orjson.dumps(self.to_dict(), option=orjson.OPT_SORT_KEYS)
        return hashlib.sha256(payload).hexdigest()

    def to_dict(self) -> dict[str, Any]:
        # the fields are strings or None, so no deep copy (dataclasses.asdict) is needed
        return {name: value for name in _FIELD_NAMES if (value := getattr(self, name)) is not None}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> NewsItem:
        return cls(
            id=data["id"],
            published_at=data["published_at"],
            outlet=data["outlet"],
            title=data["title"],
            body=data["body"],
            url=data.get("url"),
            language=data.get("language"),
        )


_FIELD_NAMES = tuple(f.name for f in fields(NewsItem))


def parse_timestamp(text: str) -> datetime:
    """Parse an RFC 3339 timestamp (``Z`` or a numeric offset)."""
    return datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))


def parse_item(raw: bytes, max_bytes: int) -> NewsItem:
    """Validate one raw message and return the item, or raise ItemRejected saying why."""
    if len(raw) > max_bytes:
        raise ItemRejected("too_large", f"message is {len(raw)} bytes, the limit is {max_bytes}")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        # The message is one line: its position is a character offset ("line 1 column N" would mislead)
        raise ItemRejected("not_json", f"not valid UTF-8 JSON: {exc.msg} at character {exc.pos}") from exc
    if not isinstance(data, dict):
        raise ItemRejected("not_object", f"expected a JSON object, got {type(data).__name__}")
    errors = sorted(validator_for("news-item").iter_errors(data), key=lambda e: list(e.path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.path) or "(root)"
        raise ItemRejected("schema", f"{where}: {first.message[:300]}")
    try:
        published = parse_timestamp(data["published_at"])
    except ValueError as exc:
        raise ItemRejected("schema", f"published_at: not an RFC 3339 timestamp: {exc}") from exc
    try:
        published.astimezone(UTC)
    except OverflowError as exc:
        raise ItemRejected("schema", f"published_at: {data['published_at']} is outside years 1-9999 in UTC") from exc
    return NewsItem.from_dict(data)
