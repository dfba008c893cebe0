"""The per-series state: retained claims, the current figure, each source's latest claim, and counts.

The state is a function of the *set* of claims seen: the history keeps the ``history_max`` claims of
highest rank (latest ``as_of``, then latest publication, then claim id), the current figure is the
top-ranked one, and the counts are pairwise relations (see :mod:`streams.ledger.rules`) over the
retained history, so neither arrival order nor replays change them. States travel as JSON-ready
dicts (``to_dict``/``from_dict``) because a faust Table holds them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC
from typing import Any

from streams.claims import Claim
from streams.items import parse_timestamp
from streams.ledger.rules import CONTRADICTION, CORROBORATION, REVISION, relate

COUNT_NAMES = ("reports", "corroborations", "contradictions", "revisions")
_COUNT_OF_KIND = {CORROBORATION: "corroborations", CONTRADICTION: "contradictions", REVISION: "revisions"}


def rank(claim: Claim) -> tuple[str, str, str]:
    """The order that picks the current figure: latest as_of, then latest publication, then claim id."""
    published = parse_timestamp(claim.published_at).astimezone(UTC).isoformat()
    return (claim.as_of, published, claim.claim_id)


@dataclass(frozen=True, slots=True)
class Counts:
    """Reports retained, and the corroborating, contradicting and revising pairs among them."""

    reports: int = 0
    corroborations: int = 0
    contradictions: int = 0
    revisions: int = 0

    def shifted(self, claim: Claim, others: Iterable[Claim], cumulative: bool, window_days: int,
                sign: int) -> Counts:
        """These counts with ``claim`` and its pairs with ``others`` added (sign 1) or removed (-1)."""
        totals = {name: getattr(self, name) for name in COUNT_NAMES}
        totals["reports"] += sign
        for other in others:
            relation = relate(claim, other, cumulative, window_days)
            if relation is not None:
                totals[_COUNT_OF_KIND[relation.kind]] += sign
        return Counts(**totals)


@dataclass(frozen=True, slots=True)
class SeriesState:
    """One series: its key and fields, the retained claims (highest rank first) and the counts."""

    key: str
    fields: dict[str, Any]
    history: tuple[Claim, ...]
    counts: Counts

    @property
    def current(self) -> Claim:
        return self.history[0]

    def holds(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.history)

    def latest_by_source(self) -> dict[str, Claim]:
        """Each source's highest-ranked retained claim, by source name."""
        latest: dict[str, Claim] = {}
        for claim in self.history:
            latest.setdefault(claim.source, claim)
        return dict(sorted(latest.items()))

    def with_claim(self, claim: Claim, cumulative: bool, window_days: int, history_max: int) -> SeriesState:
        """The state after adding ``claim``, dropping the lowest-ranked claims beyond ``history_max``."""
        counts = self.counts.shifted(claim, self.history, cumulative, window_days, 1)
        history = sorted((*self.history, claim), key=rank, reverse=True)
        while len(history) > history_max:
            dropped = history.pop()
            counts = counts.shifted(dropped, history, cumulative, window_days, -1)
        return replace(self, history=tuple(history), counts=counts)

    def to_dict(self, kind: str) -> dict[str, Any]:
        """The JSON-ready state (the value of ``figures.current``); ``kind`` is the metric's kind."""
        return {
            "series_key": self.key,
            "series": dict(self.fields),
            "kind": kind,
            "current": self.current.to_dict(),
            "sources": [_source_entry(source, claim) for source, claim in self.latest_by_source().items()],
            "counts": {name: getattr(self.counts, name) for name in COUNT_NAMES},
            "history": [claim.to_dict() for claim in self.history],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeriesState:
        """Rebuild a state from :meth:`to_dict` output (derived fields are recomputed, not read)."""
        return cls(
            key=data["series_key"],
            fields=dict(data["series"]),
            history=tuple(Claim.from_dict(c) for c in data["history"]),
            counts=Counts(**{name: int(data["counts"][name]) for name in COUNT_NAMES}),
        )


def _source_entry(source: str, claim: Claim) -> dict[str, Any]:
    data = claim.to_dict()
    entry = {key: data[key] for key in ("claim_id", "value", "low", "high", "qualifier", "as_of")}
    return {"source": source, **entry}
