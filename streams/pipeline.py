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
from streams.extraction.extractor import MAX_BODY_CHARS
from streams.extraction.sentences import MAX_SENTENCE_CHARS, long_sentences
from streams.items import NewsItem, parse_item

Extract = Callable[[NewsItem], list[Claim]]


@dataclass(frozen=True, slots=True)
class Rejected:
    """The message goes to the dead-letter topic."""

    reason: str
    detail: str


@dataclass(frozen=True, slots=True)
class Bounds:
    """What one item may cost: the claims kept, and the characters of its body and of one sentence that are
    read (the extractor applies these two; they are here so the cut can be told)."""

    claims: int = 200
    body_chars: int = MAX_BODY_CHARS
    sentence_chars: int = MAX_SENTENCE_CHARS

    def cuts(self, item: NewsItem, claims: int) -> tuple[str, ...]:
        """The names of the bounds that cut ``item`` short, which gave ``claims`` claims before the cut."""
        body = item.body[: self.body_chars]
        return tuple(name for name, cut in (
            ("claims_per_item", claims > self.claims),
            ("body_chars", len(item.body) > self.body_chars),
            ("sentence_chars", len(body) > self.sentence_chars and long_sentences(body, self.sentence_chars) > 0),
        ) if cut)


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
    """Claims past the bound that were dropped."""
    cut: tuple[str, ...] = ()
    """The bounds that cut this item short (see :meth:`Bounds.cuts`)."""


IngestResult = Rejected | Misplaced | Duplicate | Accepted


def ingest(raw: bytes, seen: MutableMapping[str, str], *, max_bytes: int, extract: Extract,
           bounds: Bounds | None = None, here: Callable[[str], bool] | None = None) -> IngestResult:
    """Validate, place, de-duplicate, extract and bound one raw ``news.items`` message: at most
    ``bounds.claims`` claims are kept (the first, in reading order)."""
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
    if bounds is None:
        return Accepted(item, claims)
    return Accepted(item, claims[: bounds.claims], max(0, len(claims) - bounds.claims), bounds.cuts(item, len(claims)))


def plausible_latency(now_s: float, arrival_ms: int | None, *, max_seconds: float, skew_seconds: float) -> float | None:
    """Seconds from a message's arrival to ``now_s``; None when the arrival time cannot be true (older than
    ``max_seconds``, e.g. a timestamp of 1 ms in 1970, or more than ``skew_seconds`` in the future)."""
    if arrival_ms is None:
        return None
    latency = now_s - arrival_ms / 1000
    if latency > max_seconds or latency < -skew_seconds:
        return None
    return max(0.0, latency)
