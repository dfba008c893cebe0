"""The ingest step as a pure function: raw message bytes to a rejected, duplicate or accepted item.

The Faust ingest agent and the offline ``figurewatch replay`` both call :func:`ingest`, so the two paths
validate, de-duplicate and extract identically. ``seen`` maps item id to the content hash of the last
version processed: a Faust table in the worker, a dict offline.
"""

from __future__ import annotations

from collections.abc import Callable, MutableMapping
from dataclasses import dataclass

from streams._exceptions import InputError, ItemRejected
from streams.claims import Claim
from streams.items import NewsItem, parse_item

Extract = Callable[[NewsItem], list[Claim]]


@dataclass(frozen=True, slots=True)
class Rejected:
    """The message goes to the dead-letter topic."""

    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An exact repeat of the last version of this item: counted and skipped."""

    item_id: str


@dataclass(frozen=True, slots=True)
class Accepted:
    """A new item, or a new version of a known id, with the claims extracted from it."""

    item: NewsItem
    claims: list[Claim]


IngestResult = Rejected | Duplicate | Accepted


def ingest(raw: bytes, seen: MutableMapping[str, str], *, max_bytes: int, extract: Extract) -> IngestResult:
    """Validate, de-duplicate and extract one raw ``news.items`` message."""
    try:
        item = parse_item(raw, max_bytes)
    except ItemRejected as exc:
        return Rejected(exc.reason, exc.detail)
    digest = item.content_hash
    if seen.get(item.id) == digest:
        return Duplicate(item.id)
    try:
        claims = extract(item)
    except InputError as exc:
        return Rejected("extraction", str(exc))
    seen[item.id] = digest
    return Accepted(item, claims)
