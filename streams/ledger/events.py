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

EVENT_KINDS = ("new", "update", "corroboration", "revision", "contradiction")

_REASONS = {
    "cumulative-decrease": "a cumulative total cannot fall",
    "late-above-later": "a cumulative total cannot be higher than a later count",
    "same-period-disjoint": "both figures cannot hold for the same period",
    "part-exceeds-whole": "a part cannot exceed its whole for the same period",
}
_PREFIX = {"at_least": "at least ", "more_than": "more than ", "at_most": "at most ",
           "less_than": "fewer than ", "about": "about "}


def event_id(series_key: str, claim_id: str, kind: str) -> str:
    """A stable id: the first 32 hex digits of SHA-256 over key, claim id and kind."""
    return hashlib.sha256(f"{series_key}\n{claim_id}\n{kind}".encode()).hexdigest()[:32]


def describe_figure(claim: Claim) -> str:
    """The figure as words: "46,645", "at least 46,700", "between 30 and 40", "200 to 999 (vague)"."""
    if claim.qualifier == "range" or (claim.qualifier == "vague" and claim.high is not None):
        suffix = " (vague)" if claim.qualifier == "vague" else ""
        return f"between {_number(claim.low)} and {_number(claim.high)}{suffix}"
    if claim.qualifier == "vague":
        return f"at least {_number(claim.low)} (vague)"
    return _PREFIX.get(claim.qualifier, "") + _number(claim.value)


def related_entry(claim: Claim, series_key: str | None = None) -> dict[str, Any]:
    """What an event says about an earlier claim it conflicts or agrees with (and its series, when it is
    another series than the event's: the whole or the part of a ``part-exceeds-whole``)."""
    data = claim.to_dict()
    keys = ("claim_id", "value", "low", "high", "qualifier", "as_of", "sentence", "outlet", "url", "item_id")
    entry = {"source": claim.source, **{key: data[key] for key in keys}}
    if series_key is not None:
        entry["series_key"] = series_key
    return entry


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
    """One sentence saying what happened, naming the sources and figures involved."""
    what = _metric_words(claim)
    said = f"{claim.source} says {describe_figure(claim)} {what} as of {claim.as_of}"
    if rule == "part-exceeds-whole":
        first, count = related[0], len(related) - 1
        more = f" (and {count} other report{'s' if count > 1 else ''})" if count else ""
        return (f"{said}, but {_who(claim, first)} said {describe_figure(first)} {_metric_words(first)} on "
                f"{first.as_of}{more}: {_REASONS[rule]}.")
    if kind == "new" or previous is None:
        return f"{said}: the first figure in this series."
    if kind == "update":
        direction = _direction(claim, previous)
        return f"{said}, {direction} {describe_figure(previous)} ({_who(claim, previous)}, {previous.as_of})."
    first = related[0]
    who = _who(claim, first)
    extra = len(related) - 1
    more = f" and {extra} other report{'s' if extra > 1 else ''}" if extra else ""
    if kind == "revision":
        figure = describe_figure(claim)
        return (f"{claim.source} revises {what} down to {figure} as of {claim.as_of}, from "
                f"{describe_figure(first)} ({who}, {first.as_of}){more}.")
    if kind == "corroboration":
        return f"{said}, agreeing with {who} ({describe_figure(first)} on {first.as_of}){more}."
    more = f" ({more.strip()})" if more else ""
    return f"{said}, but {who} said {describe_figure(first)} on {first.as_of}{more}: {_REASONS[rule]}."


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


def _metric_words(claim: Claim) -> str:
    words = claim.metric.replace("_", " ")
    details = [d for d in (claim.group, claim.place) if d]
    if claim.modality == "planned":
        details.append("planned")
    if claim.target == "day":
        details.append("in one day")
    elif claim.basis == "incident":
        details.append("in one incident" + (f" ({claim.target.replace('_', ' ')})" if claim.target else ""))
    return f"{words} ({', '.join(details)})" if details else words


def _number(value: float | None) -> str:
    if value is None:
        return "unbounded"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
