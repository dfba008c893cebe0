"""The per-series state: retained claims, the current figure, each source's latest claim, and counts.

The state is a function of the *set* of claims seen: the history keeps the ``history_max`` claims of
highest rank (latest ``as_of``, then latest publication, then claim id), the current figure is the
top-ranked one that does not merely restate an earlier figure of a running total (see
:func:`streams.ledger.rules.restates`: "more than 20,000" two days after 20,057 is that figure again, not a
new one), and the counts are recomputed from the retained history as relations between pairs of claims (see
:mod:`streams.ledger.rules`), so neither arrival order nor replays change them. States travel as JSON-ready
dicts (``to_dict``/``from_dict``) because a faust Table holds them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from streams.claims import Claim
from streams.ledger.rules import CONTRADICTION, CORROBORATION, REVISION, Relations, rank, restates

__all__ = ["SeriesState", "rank"]


@dataclass(frozen=True, slots=True)
class SeriesState:
    """One series: its key and fields, and the retained claims, highest rank first."""

    key: str
    fields: dict[str, Any]
    history: tuple[Claim, ...]

    def current(self, restate_days: int = 0) -> Claim:
        """The current figure: the top-ranked claim that restates no figure of the ``restate_days`` before it
        (``restate_days`` 0: the top-ranked claim; the top-ranked when every claim restates another)."""
        if restate_days > 0:
            for claim in self.history:
                if not restates(claim, self.history, restate_days):
                    return claim
        return self.history[0]

    def holds(self, claim_id: str) -> bool:
        return any(c.claim_id == claim_id for c in self.history)

    def latest_by_source(self) -> dict[str, Claim]:
        """Each source's highest-ranked retained claim, by source name."""
        latest: dict[str, Claim] = {}
        for claim in self.history:
            latest.setdefault(claim.source, claim)
        return dict(sorted(latest.items()))

    def with_claim(self, claim: Claim, history_max: int) -> SeriesState:
        """The state after adding ``claim``, keeping the ``history_max`` highest-ranked claims."""
        history = sorted((*self.history, claim), key=rank, reverse=True)
        return replace(self, history=tuple(history[:history_max]))

    def to_dict(self, kind: str, window_days: int, restate_days: int = 0,
                encode: Callable[[Claim], dict[str, Any]] = Claim.to_dict,
                relations: Relations | None = None) -> dict[str, Any]:
        """The JSON-ready state (the value of ``figures.current``) for a metric of ``kind``.

        ``counts.reports`` is the number of retained claims; the other counts are unordered pairs of
        retained claims in that relation under the same-period window ``window_days`` and the restatement
        window ``restate_days`` (which also picks the current figure of a running total). ``encode`` gives a
        claim's JSON-ready dict (a new one each call), :meth:`Claim.to_dict` unless the caller keeps them;
        ``relations`` counts the pairs, kept by a caller that counts this series again and again (it must judge
        under the same rules: this ``kind`` and these windows).
        """
        if relations is None:
            relations = Relations(kind == "cumulative", window_days, restate_days)
        pairs = relations.count(self.history)
        return {
            "series_key": self.key,
            "series": dict(self.fields),
            "kind": kind,
            "current": encode(self.current(restate_days)),
            "sources": [_source_entry(source, encode(claim)) for source, claim in self.latest_by_source().items()],
            "counts": {
                "reports": len(self.history),
                "corroborations": pairs[CORROBORATION],
                "contradictions": pairs[CONTRADICTION],
                "revisions": pairs[REVISION],
            },
            "history": [encode(claim) for claim in self.history],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SeriesState:
        """Rebuild a state from :meth:`to_dict` output (derived fields are recomputed, not read)."""
        history = tuple(Claim.from_dict(c) for c in data["history"])
        return cls(key=data["series_key"], fields=dict(data["series"]), history=history)


def _source_entry(source: str, data: dict[str, Any]) -> dict[str, Any]:
    entry = {key: data[key] for key in ("claim_id", "value", "low", "high", "qualifier", "as_of")}
    return {"source": source, **entry}
