"""The figure ledger: applies claims to per-series states and decides which change event each one raises.

Bounds (all in :class:`LedgerSettings`):

* ``history_max`` claims per series (default 50). The history keeps the highest-ranked claims (latest
  as_of first). Once a series is full, a claim ranked below all retained claims is *beyond the horizon*:
  it is ignored (no event, no count), which keeps replays of dropped claims silent.
* ``max_series`` series in the store (default 100,000). A claim opening a new series when the store is
  full first evicts the stalest tenth of the series (lowest-ranked current figure); their keys come back
  in :attr:`Outcome.evicted` so the worker can tombstone them on ``figures.current``.

How many series and history entries the store holds is counted once (a scan) and then kept up to date by
:meth:`Ledger.apply`, so no claim scans the store (a RocksDB table counts its keys by reading them all);
whoever changes the store behind the ledger's back (a rebalance, a rolled-back write) calls
:meth:`Ledger.recount`.

Within these bounds the final states depend only on the set of claims applied, and a claim applied a
second time changes nothing and emits nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from math import ceil
from typing import Any

from streams._exceptions import ConfigError
from streams.claims import Claim
from streams.ledger.events import build_event
from streams.ledger.rules import (
    CONTRADICTION,
    CONTRADICTION_RULES,
    CORROBORATION,
    METRIC_KINDS,
    Relation,
    relate,
    revisions_among,
    same_figure,
)
from streams.ledger.series import series_fields, series_key
from streams.ledger.state import SeriesState, rank
from streams.ledger.store.base import SeriesStore


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Tunable rules and bounds: same-period window in days, claims kept per series, series kept."""

    same_period_days: int = 0
    history_max: int = 50
    max_series: int = 100_000

    def __post_init__(self) -> None:
        if self.same_period_days < 0 or self.history_max < 1 or self.max_series < 1:
            raise ConfigError(f"invalid ledger settings: {self}")


@dataclass(frozen=True, slots=True)
class Outcome:
    """What applying one claim did: its series, the event (or None) and the new state (None if unchanged)."""

    series_key: str
    event: dict[str, Any] | None
    state: dict[str, Any] | None
    evicted: tuple[str, ...] = ()


class Ledger:
    """Running tables of stated figures over a :class:`SeriesStore`.

    ``metric_kinds`` maps a metric to ``"cumulative"`` (can only grow) or ``"stock"`` (goes up and down);
    a metric missing from it is treated as a stock, which never raises a cumulative-order contradiction.
    """

    def __init__(self, store: SeriesStore, metric_kinds: Mapping[str, str],
                 settings: LedgerSettings | None = None) -> None:
        unknown = {kind for kind in metric_kinds.values() if kind not in METRIC_KINDS}
        if unknown:
            raise ConfigError(f"unknown metric kinds {sorted(unknown)}; expected one of {METRIC_KINDS}")
        self.store = store
        self.metric_kinds = dict(metric_kinds)
        self.settings = settings or LedgerSettings()
        self._sizes: list[int] | None = None  # [series, history entries] once counted

    def sizes(self) -> tuple[int, int]:
        """How many series the store holds and how many claims their histories keep (one scan, then kept)."""
        if self._sizes is None:
            states = [state for _, state in self.store.items()]
            self._sizes = [len(states), sum(len(state["history"]) for state in states)]
        return self._sizes[0], self._sizes[1]

    def recount(self) -> None:
        """Forget the counts: the store changed other than through :meth:`apply`."""
        self._sizes = None

    def _kind(self, claim: Claim) -> str:
        """A plan is not a count that can only grow: planned figures behave as stocks (any change is an update)."""
        return self.kind_of(claim.metric) if claim.modality == "reported" else "stock"

    def kind_of(self, metric: str) -> str:
        return self.metric_kinds.get(metric, "stock")

    def apply(self, claim: Claim) -> Outcome:
        """Apply one claim: update its series and return the event it raises, if any."""
        key = series_key(claim)
        raw = self.store.get(key)
        evicted: tuple[str, ...] = ()
        if raw is None:
            evicted = self._make_room()
            state = SeriesState(key, series_fields(claim), ())
        else:
            state = SeriesState.from_dict(raw)
            if state.holds(claim.claim_id) or self._beyond_horizon(state, claim):
                return Outcome(key, None, None)
        event = self._judge(state, claim)
        kind = self._kind(claim)
        new_state = state.with_claim(claim, self.settings.history_max)
        data = new_state.to_dict(kind, self.settings.same_period_days)
        self.store.put(key, data)
        self._count(0 if raw is None else 1, len(state.history), 1, len(new_state.history))
        return Outcome(key, event, data, evicted)

    def tables(self, conflict: str | None = None) -> list[dict[str, Any]]:
        """Every series state (optionally of one conflict), sorted by series key."""
        states = [state for _, state in self.store.items()
                  if conflict is None or state["series"]["conflict"] == conflict]
        return sorted(states, key=lambda s: str(s["series_key"]))

    def _beyond_horizon(self, state: SeriesState, claim: Claim) -> bool:
        return len(state.history) >= self.settings.history_max and rank(claim) < rank(state.history[-1])

    def _make_room(self) -> tuple[str, ...]:
        if self.sizes()[0] < self.settings.max_series:
            return ()
        count = ceil(self.settings.max_series / 10)
        by_staleness = sorted(self.store.items(), key=lambda pair: _current_rank(pair[1]))[:count]
        for key, state in by_staleness:
            self.store.delete(key)
            self._count(1, len(state["history"]), 0, 0)
        return tuple(key for key, _ in by_staleness)

    def _count(self, series_before: int, history_before: int, series_after: int, history_after: int) -> None:
        if self._sizes is not None:
            self._sizes[0] += series_after - series_before
            self._sizes[1] += history_after - history_before

    def _judge(self, state: SeriesState, claim: Claim) -> dict[str, Any] | None:
        """The event ``claim`` raises against ``state`` (before it is added), by precedence."""
        if not state.history:
            return build_event("new", "first-in-series", claim, series_key=state.key, series=state.fields,
                               previous=None, related=())
        cumulative = self._kind(claim) == "cumulative"
        window = self.settings.same_period_days
        revisions = revisions_among(state.history)
        relations = [(other, relate(claim, other, cumulative, window, revisions)) for other in state.history]
        current = state.current
        contradicted = _matching(relations, lambda r: r.kind == CONTRADICTION)
        revised = _matching(relations, lambda r: r.rule == "revised-down")
        agreeing = _matching(relations, lambda r: r.kind == CORROBORATION)
        if contradicted:
            rules = {r.rule for _, r in contradicted}
            rule = next(name for name in CONTRADICTION_RULES if name in rules)
            return self._event(CONTRADICTION, rule, state, claim, contradicted)
        if revised:
            return self._event("revision", "revised-down", state, claim, revised)
        if claim.as_of > current.as_of and not same_figure(claim, current):
            return self._event("update", "later-figure", state, claim, [])
        if agreeing:
            return self._event(CORROBORATION, "same-period-overlap", state, claim, agreeing)
        return None

    @staticmethod
    def _event(kind: str, rule: str, state: SeriesState, claim: Claim,
               related: list[tuple[Claim, Relation]]) -> dict[str, Any]:
        """Build the event; related claims under the chosen rule come first, each group highest rank first."""
        by_rank = sorted(related, key=lambda pair: rank(pair[0]), reverse=True)
        ordered = [c for c, r in by_rank if r.rule == rule] + [c for c, r in by_rank if r.rule != rule]
        return build_event(kind, rule, claim, series_key=state.key, series=state.fields,
                           previous=state.current, related=ordered)


def _matching(relations: list[tuple[Claim, Relation | None]],
              test: Callable[[Relation], bool]) -> list[tuple[Claim, Relation]]:
    return [(claim, rel) for claim, rel in relations if rel is not None and test(rel)]


def _current_rank(state: dict[str, Any]) -> tuple[str, str, str]:
    return rank(Claim.from_dict(state["current"]))
