"""Change events: the body published for a claim that is new, an update, a corroboration, a revision or a
contradiction, with its deterministic id and one human sentence of explanation.

The id hashes the series key, the claim id and the kind, so re-emitting the event for the same claim
gives the same id. ``schemas/change-event.schema.json`` is the contract.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any

from streams.claims import Claim
from streams.ledger.wording import agreeing, amount, day, figure, place, subject

EVENT_KINDS = ("new", "update", "corroboration", "revision", "contradiction")

_REASONS = {
    "cumulative-decrease": "a cumulative total cannot fall",
    "late-above-later": "a cumulative total cannot be higher than a later count",
    "same-period-disjoint": "both figures cannot hold for the same period",
    "part-exceeds-whole": "a part cannot exceed its whole for the same period",
}


def event_id(series_key: str, claim_id: str, kind: str) -> str:
    """A stable id: the first 32 hex digits of SHA-256 over key, claim id and kind."""
    return hashlib.sha256(f"{series_key}\n{claim_id}\n{kind}".encode()).hexdigest()[:32]


def related_entry(claim: Claim, series_key: str | None = None) -> dict[str, Any]:
    """What an event says about an earlier claim it conflicts or agrees with (and its series, when it is
    another series than the event's: the whole or the part of a ``part-exceeds-whole``)."""
    data = claim.to_dict()
    keys = ("claim_id", "value", "low", "high", "qualifier", "as_of", "sentence", "outlet", "url", "item_id")
    return {"source": claim.source, **{key: data[key] for key in keys}, "series_key": series_key}


def build_event(kind: str, rule: str, claim: Claim, *, series_key: str, series: dict[str, Any],
                previous: Claim | None, related: Sequence[Claim],
                related_keys: Sequence[str] | None = None) -> dict[str, Any]:
    """The change-event dict for ``claim``; ``related`` must already be in a deterministic order;
    ``related_keys`` names their series when they are of other series."""
    keys: Sequence[str | None] = [None] * len(related) if related_keys is None else related_keys
    return {
        "event_id": event_id(series_key, claim.claim_id, kind),
        "kind": kind,
        "rule": rule,
        "conflict": claim.conflict,
        "metric": claim.metric,
        "series": {"key": series_key, **series},
        "claim": claim.to_dict(),
        "previous": None if previous is None else previous.to_dict(),
        "related": [related_entry(c, k) for c, k in zip(related, keys, strict=True)],
        "explanation": explain(kind, rule, claim, previous, related),
    }


def explain(kind: str, rule: str, claim: Claim, previous: Claim | None, related: Sequence[Claim]) -> str:
    """One sentence saying what happened, naming the sources and figures involved, as a newsroom writes it."""
    source = subject(claim.source)
    said = f"{source} {agreeing(claim.source, 'says', 'say')} {_what(claim)}"
    if rule == "part-exceeds-whole":
        first, count = related[0], len(related) - 1
        more = f" (and {count} other report{'s' if count > 1 else ''})" if count else ""
        return f"{said}, but {_who(claim, first)} said {_what(first)}{more}: {_REASONS[rule]}."
    if kind == "new" or previous is None:
        return f"{said}."
    if kind == "update":
        direction = _direction(claim, previous)
        return f"{said}, {direction} {amount(previous)} ({_who(claim, previous)}, {day(previous.as_of)})."
    first = related[0]
    who = _who(claim, first)
    extra = len(related) - 1
    more = f" and {extra} other report{'s' if extra > 1 else ''}" if extra else ""
    if kind == "revision":
        revises = agreeing(claim.source, "revises", "revise")
        return f"{source} {revises} down to {_what(claim)}, from {amount(first)} ({who}, {day(first.as_of)}){more}."
    if kind == "corroboration":
        return f"{said}, agreeing with {who} ({amount(first)} on {day(first.as_of)}){more}."
    more = f" ({more.strip()})" if more else ""
    return f"{said}, but {who} said {amount(first)} on {day(first.as_of)}{more}: {_REASONS[rule]}."


def _what(claim: Claim) -> str:
    """The figure with its place and period: "46,006 killed since 7 October 2023, as of 10 January 2025",
    "8 killed in Jabalia on 9 January 2025", "at least 13 killed in one incident on 12 January 2025"."""
    where = place(claim.place)
    placed = f"{figure(claim)} {where}" if where else figure(claim)
    if claim.modality == "planned":
        return f"{placed}, as of {day(claim.as_of)}"
    if claim.basis == "total":
        since = f" since {day(claim.since)}," if claim.since else ","
        return f"{placed}{since} as of {day(claim.as_of)}"
    if claim.target == "day":
        return f"{figure(claim)} {where + ' ' if where else ''}in the day to {day(claim.as_of)}"
    target = f" at a {claim.target.replace('_', ' ')}" if claim.target else ""
    return f"{figure(claim)}{target} {where or 'in one incident'} on {day(claim.as_of)}"


def _who(claim: Claim, other: Claim) -> str:
    if other.source != claim.source:
        return other.source
    return f"the same {'source' if other.attributed_to else 'outlet'}"


def _direction(claim: Claim, previous: Claim) -> str:
    if claim.value > previous.value:
        return "up from"
    if claim.value < previous.value:
        return "down from"
    return "changed from"
