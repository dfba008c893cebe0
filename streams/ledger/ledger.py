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
second time changes nothing and emits nothing. A claim that changes its series' current figure always
raises an event (an update when no other kind applies), so ``figures.current`` never changes silently.

Series are keyed by the canonical populations and places of a :class:`~streams.hierarchy.Hierarchy`, and a
claim is also judged against the series of its whole and its parts (:mod:`streams.ledger.parts`): children
killed above all people killed, or Jabalia's toll above North Gaza's for one event, is a contradiction
(``part-exceeds-whole``). Every series the ledger reads for a claim (its own, its wholes' and parts', the same
toll's earlier days) shares the claim's conflict and metric, so the store must hold every series of the claim's
conflict and metric: the worker partitions claims and its series table by them (:func:`streams.topics.ledger_key`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from math import ceil
from typing import Any

from streams._exceptions import ConfigError
from streams.claims import Claim
from streams.hierarchy import Hierarchy
from streams.ledger.events import build_event
from streams.ledger.parts import PART_EXCEEDS_WHOLE, exceeding
from streams.ledger.rules import (
    CONTRADICTION,
    CONTRADICTION_RULES,
    CORROBORATION,
    METRIC_KINDS,
    Relation,
    excused,
    overlaps,
    relate,
    revisions_among,
    same_figure,
)
from streams.ledger.series import DAY_TOLL, key_of, series_fields
from streams.ledger.state import SeriesState, rank
from streams.ledger.store.base import SeriesStore

RESTATEMENT_DAYS = 3
"""The default restatement window: the Gaza ministry's count changed at most 3 days apart in 99 % of its
daily series, and moved less than 1 % within 3 days in 90 % of days (``bench/restatement_window.py``)."""


@dataclass(frozen=True, slots=True)
class LedgerSettings:
    """Tunable rules and bounds: same-period window in days, restatement window in days, claims kept per
    series, series kept."""

    same_period_days: int = 0
    history_max: int = 50
    max_series: int = 100_000
    restatement_days: int = RESTATEMENT_DAYS

    def __post_init__(self) -> None:
        if self.same_period_days < 0 or self.history_max < 1 or self.max_series < 1 or self.restatement_days < 0:
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
                 settings: LedgerSettings | None = None, hierarchy: Hierarchy | None = None) -> None:
        unknown = {kind for kind in metric_kinds.values() if kind not in METRIC_KINDS}
        if unknown:
            raise ConfigError(f"unknown metric kinds {sorted(unknown)}; expected one of {METRIC_KINDS}")
        self.store = store
        self.metric_kinds = dict(metric_kinds)
        self.settings = settings or LedgerSettings()
        self.hierarchy = hierarchy or Hierarchy()
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

    def _restate_days(self, claim: Claim) -> int:
        """The restatement window for the claim's series: only a cumulative count is restated late."""
        return self.settings.restatement_days if self._kind(claim) == "cumulative" else 0

    def apply(self, claim: Claim) -> Outcome:
        """Apply one claim: update its series and return the event it raises, if any."""
        fields = series_fields(claim, self.hierarchy)
        key = key_of(fields)
        raw = self.store.get(key)
        evicted: tuple[str, ...] = ()
        if raw is None:
            evicted = self._make_room()
            state = SeriesState(key, fields, ())
        else:
            state = SeriesState.from_dict(raw)
            if state.holds(claim.claim_id) or self._beyond_horizon(state, claim):
                return Outcome(key, None, None)
        restate = self._restate_days(claim)
        new_state = state.with_claim(claim, self.settings.history_max)
        event = self._judge(state, new_state, claim)
        if event is None or event["kind"] != CONTRADICTION:
            event = self._against_parts(state, claim) or event
        data = new_state.to_dict(self._kind(claim), self.settings.same_period_days, restate)
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
        # The kept count when there is one; else the store's own count of keys. Never sizes() here: it reads
        # every state, and inside the worker's event a Faust table reads only the event's partition, so the
        # states of the other partitions raise KeyError (every claim of a takeover was dead-lettered).
        series = self._sizes[0] if self._sizes is not None else len(self.store)
        if series < self.settings.max_series:
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

    def _judge(self, state: SeriesState, new_state: SeriesState, claim: Claim) -> dict[str, Any] | None:
        """The event ``claim`` raises against ``state`` (before it is added; ``new_state`` after), by precedence:
        contradiction, revision, update (the current figure changes), corroboration."""
        if not state.history:
            return build_event("new", "first-in-series", claim, series_key=state.key, series=state.fields,
                               previous=None, related=())
        cumulative = self._kind(claim) == "cumulative"
        window, restate = self.settings.same_period_days, self._restate_days(claim)
        revisions = revisions_among(state.history)
        relations = [(other, relate(claim, other, cumulative, window, revisions, restate_days=restate))
                     for other in state.history]
        claims = new_state.history
        contradicted = _matching(relations, lambda r: r.kind == CONTRADICTION)
        if cumulative:
            contradicted = [(c, r) for c, r in contradicted if not excused(claim, c, claims, restate)]
        if contradicted and state.fields["basis"] == DAY_TOLL:
            earlier = self._earlier_day_tolls(state.fields, restate or self.settings.restatement_days)
            contradicted = [(c, r) for c, r in contradicted
                            if not any(overlaps(x, e) for x in (claim, c) for e in earlier)]
        revised = _matching(relations, lambda r: r.rule == "revised-down")
        agreeing = _matching(relations, lambda r: r.kind == CORROBORATION)
        previous, current = state.current(restate), new_state.current(restate)
        if contradicted:
            rules = {r.rule for _, r in contradicted}
            rule = next(name for name in CONTRADICTION_RULES if name in rules)
            return self._event(CONTRADICTION, rule, state, claim, contradicted, previous=previous)
        if revised:
            return self._event("revision", "revised-down", state, claim, revised, previous=previous)
        if current is claim and claim.as_of > previous.as_of and not same_figure(claim, previous):
            return self._event("update", "later-figure", state, claim, [], previous=previous)
        if agreeing:
            rule = "same-period-overlap" if any(r.rule == "same-period-overlap" for _, r in agreeing) \
                else "restates-recent"
            return self._event(CORROBORATION, rule, state, claim, agreeing, previous=previous)
        if current.value != previous.value:  # no silent change of the current figure
            return self._event("update", "later-figure", state, claim, [], previous=previous)
        return None

    def _earlier_day_tolls(self, fields: dict[str, Any], days: int) -> list[Claim]:
        """The figures of the same day's toll for the ``days`` days before: a figure of one of them, published a
        day late ("in the past 24 hours" of yesterday's bulletin), restates it and contradicts nothing."""
        day = date.fromisoformat(fields["day"])
        found: list[Claim] = []
        for back in range(1, days + 1):
            raw = self.store.get(key_of({**fields, "day": (day - timedelta(days=back)).isoformat()}))
            if raw is not None:
                found.extend(Claim.from_dict(c) for c in raw["history"])
        return found

    def _against_parts(self, state: SeriesState, claim: Claim) -> dict[str, Any] | None:
        """A ``part-exceeds-whole`` contradiction of ``claim`` with the series of its whole or its parts."""
        cumulative = self._kind(claim) == "cumulative"
        window = max(self.settings.same_period_days, self._restate_days(claim))
        found = exceeding(claim, state.fields, self.hierarchy, self.store, own=state.history, cumulative=cumulative,
                          window=window)
        if not found:
            return None
        previous = state.current(self._restate_days(claim)) if state.history else None
        return build_event(CONTRADICTION, PART_EXCEEDS_WHOLE, claim, series_key=state.key, series=state.fields,
                           previous=previous, related=[c for c, _ in found],
                           related_keys=[k for _, k in found])

    @staticmethod
    def _event(kind: str, rule: str, state: SeriesState, claim: Claim,
               related: list[tuple[Claim, Relation]], *, previous: Claim) -> dict[str, Any]:
        """Build the event; related claims under the chosen rule come first, each group highest rank first."""
        by_rank = sorted(related, key=lambda pair: rank(pair[0]), reverse=True)
        ordered = [c for c, r in by_rank if r.rule == rule] + [c for c, r in by_rank if r.rule != rule]
        return build_event(kind, rule, claim, series_key=state.key, series=state.fields,
                           previous=previous, related=ordered)


def _matching(relations: list[tuple[Claim, Relation | None]],
              test: Callable[[Relation], bool]) -> list[tuple[Claim, Relation]]:
    return [(claim, rel) for claim, rel in relations if rel is not None and test(rel)]


def _current_rank(state: dict[str, Any]) -> tuple[str, str, str]:
    return rank(Claim.from_dict(state["current"]))
