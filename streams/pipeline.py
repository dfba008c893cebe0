"""The ingest step as a pure function: raw message bytes to a rejected, misplaced, duplicate or accepted item.

The Faust ingest agent and the offline ``figurewatch replay`` both call :func:`ingest`, so the two paths
validate, de-duplicate, extract and bound identically. ``seen`` maps item id to the content hash of the
last version processed: a Faust table in the worker, a dict offline. An item's identity is its id: the
worker passes ``here``, which says whether this message is where the item's id lives (its key is the id and
it is on the id's partition); one that is not is :class:`Misplaced` and forwarded there, so the same item
sent under several keys is de-duplicated in one place.
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
class Misplaced:
    """A valid item read away from the partition of its id (or under another key): forward it there."""

    item_id: str


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An exact repeat of the last version of this item: counted and skipped."""

    item_id: str


@dataclass(frozen=True, slots=True)
class Accepted:
    """A new item, or a new version of a known id, with the claims extracted from it."""

    item: NewsItem
    claims: list[Claim]
    claims_cut: int = 0
    """Claims past ``max_claims`` that were dropped."""


IngestResult = Rejected | Misplaced | Duplicate | Accepted


def ingest(raw: bytes, seen: MutableMapping[str, str], *, max_bytes: int, extract: Extract,
           max_claims: int | None = None, here: Callable[[str], bool] | None = None) -> IngestResult:
    """Validate, place, de-duplicate, extract and bound one raw ``news.items`` message: at most
    ``max_claims`` claims are kept (the first, in reading order)."""
    try:
        item = parse_item(raw, max_bytes)
    except ItemRejected as exc:
        return Rejected(exc.reason, exc.detail)
    if here is not None and not here(item.id):
        return Misplaced(item.id)
    digest = item.content_hash
    if seen.get(item.id) == digest:
        return Duplicate(item.id)
    try:
        claims = extract(item)
    except InputError as exc:
        return Rejected("extraction", str(exc))
    seen[item.id] = digest
    if max_claims is not None and len(claims) > max_claims:
        return Accepted(item, claims[:max_claims], len(claims) - max_claims)
    return Accepted(item, claims)


def plausible_latency(now_s: float, arrival_ms: int | None, *, max_seconds: float, skew_seconds: float) -> float | None:
    """Seconds from a message's arrival to ``now_s``; None when the arrival time cannot be true (older than
    ``max_seconds``, e.g. a timestamp of 1 ms in 1970, or more than ``skew_seconds`` in the future)."""
    if arrival_ms is None:
        return None
    latency = now_s - arrival_ms / 1000
    if latency > max_seconds or latency < -skew_seconds:
        return None
    return max(0.0, latency)
