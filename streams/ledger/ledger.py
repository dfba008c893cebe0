"""The figure ledger: applies claims to per-series states and decides which change event each one raises.

Bounds (all in :class:`LedgerSettings`):

* ``history_max`` claims per series (default 50). The history keeps the highest-ranked claims (latest
  as_of first). Once a series is full, a claim ranked below all retained claims is *beyond the horizon*:
  it is ignored (no event, no count), which keeps replays of dropped claims silent.
* ``max_series`` series per *scope* (default 100,000): a scope is the series of one conflict and metric
  (:meth:`SeriesStore.scope <streams.ledger.store.base.SeriesStore.scope>`), the series a claim's rules
  read. A claim opening a new series in a full scope first evicts the stalest series of that scope (lowest
  rank of its current figure: oldest ``as_of``, then publication, then claim id; ties cannot occur, a claim
  belongs to one series), one series a claim, or as many as bring the scope below the bound; their keys
  come back in :attr:`Outcome.evicted` so the worker can tombstone them on ``figures.current``. Other scopes
  are never read or touched: a partitioned store (the worker's table) can read, inside the event of a claim,
  only the series of that claim's partition, and the series of one scope share a partition. Which series
  go depends only on the scope's claims in the order they were applied (not on which other partitions a
  worker holds), so a worker that takes a partition over evicts what its first owner would have. Once a
  scope evicts, arrival order matters for it (a series evicted and opened again restarts from its later
  claims), as it did when eviction took the stalest tenth of the whole store.

Cost per claim does not grow with the store: the series counts per scope are counted once from the store's
keys (no state read) and the history entries once by a scan (:meth:`Ledger.sizes`, which the worker's gauge
calls outside any event), then both are kept up to date by :meth:`Ledger.apply`; a scope's eviction order is
read by that scan when the scope is within a tenth of the bound, else once, from that scope's states only,
by the first claim that evicts there, and then kept as a heap (O(log n) per claim);
the ledger keeps the decoded states of the series it used last and remembers the keys it found absent, so a
hot series and the neighbours of its parts and wholes are not read and decoded again for every claim.
Whoever changes the store behind the ledger's back (a rebalance, a rolled-back write) calls
:meth:`Ledger.recount`, which forgets all of it.

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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from heapq import heapify, heappop, heappush
from typing import Any, Generic, TypeVar

from streams._exceptions import ConfigError
from streams.claims import Claim
from streams.hierarchy import Hierarchy
from streams.ledger.events import build_event
from streams.ledger.parts import PART_EXCEEDS_WHOLE, Neighbours, exceeding, neighbours
from streams.ledger.rules import (
    CONTRADICTION,
    CONTRADICTION_RULES,
    CORROBORATION,
    METRIC_KINDS,
    Held,
    Relation,
    Relations,
    excused,
    overlaps,
    relate,
    revisions_among,
    same_figure,
    utc_time,
)
from streams.ledger.series import DAY_TOLL, key_of, series_fields
from streams.ledger.state import SeriesState, rank
from streams.ledger.store.base import SeriesStore

STATES_KEPT = 512
"""Decoded states (and pair relations) the ledger keeps of the series it applied or read last (besides the store)."""
KEYS_KEPT = 16_384
"""Series keys the ledger remembers as absent from the store, and series whose neighbours' keys it keeps."""
CLAIMS_KEPT = 16_384
"""Claims whose JSON-ready dicts the ledger keeps, first in first out (the claims of the states it keeps)."""
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
        self._scopes: dict[str, int] | None = None  # series per scope, once counted
        self._entries: int | None = None  # history entries of every series, once counted
        self._stalest: dict[str, _Stalest] = {}  # the eviction order of each scope that has been full
        self._states: _Recent[SeriesState] = _Recent(STATES_KEPT)  # decoded, as the store holds them
        self._relations: _Recent[Relations] = _Recent(STATES_KEPT)  # the pair relations of the series last changed
        self._absent: _Recent[None] = _Recent(KEYS_KEPT)  # keys the store is known not to hold
        self._neighbours: _Recent[Neighbours] = _Recent(KEYS_KEPT)
        self._encoded: dict[int, tuple[Claim, dict[str, Any]]] = {}  # id -> the claim (kept alive) and its dict

    def sizes(self) -> tuple[int, int]:
        """How many series the store holds and how many claims their histories keep (one scan of every state,
        then kept: call it outside a partitioned store's events, as the worker's gauge does)."""
        if self._entries is None:
            # The scopes within a tenth of the bound take their eviction order from this scan, so that no claim
            # has to read a scope's states to evict.
            near = self.settings.max_series - self.settings.max_series // 10
            orders = {scope: _Stalest() for scope, count in self._counted().items()
                      if count >= near and scope not in self._stalest}
            scopes: dict[str, int] = {}
            entries = 0
            for key, state in self.store.items():
                scope = self.store.scope(key)
                scopes[scope] = scopes.get(scope, 0) + 1
                entries += len(state["history"])
                if scope in orders:
                    orders[scope].set(key, _current_rank(state), len(state["history"]))
            self._scopes, self._entries = scopes, entries
            self._stalest.update(orders)
        return sum(self._counted().values()), self._entries

    def recount(self) -> None:
        """Forget the counts and whatever the ledger keeps of the store: it changed other than through
        :meth:`apply`."""
        self._scopes = self._entries = None
        self._stalest.clear()
        self._states.clear()
        self._relations.clear()
        self._absent.clear()
        self._encoded.clear()

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
        found = self._state(key)
        evicted: tuple[str, ...] = ()
        if found is None:
            evicted = self._make_room(key)
            state = SeriesState(key, fields, ())
        else:
            state = found
            if state.holds(claim.claim_id) or self._beyond_horizon(state, claim):
                return Outcome(key, None, None)
        restate = self._restate_days(claim)
        new_state = state.with_claim(claim, self.settings.history_max)
        event = self._judge(state, new_state, claim)
        if event is None or event["kind"] != CONTRADICTION:
            event = self._against_parts(state, claim) or event
        kind = self._kind(claim)
        data = new_state.to_dict(kind, self.settings.same_period_days, restate, self._encode,
                                 self._relations_of(key, kind == "cumulative", restate))
        self._put(key, data, new_state, claim)
        self._count(key, 0 if found is None else 1, len(state.history), 1, len(new_state.history))
        return Outcome(key, event, data, evicted)

    def _state(self, key: str) -> SeriesState | None:
        """The state of series ``key``, or None when the store holds none: kept if the ledger has it, else read."""
        if key in self._states:
            return self._states.get(key)
        if key in self._absent:
            return None
        raw = self.store.get(key)
        if raw is None:
            self._absent.put(key, None)
            return None
        state = SeriesState.from_dict(raw)
        self._states.put(key, state)
        return state

    def _relations_of(self, key: str, cumulative: bool, restate_days: int) -> Relations:
        """The pair relations kept for series ``key`` (new ones when none are kept under these rules)."""
        rules = (cumulative, self.settings.same_period_days, restate_days)
        if key in self._relations:
            kept = self._relations.get(key)
            if kept.rules == rules:
                return kept
        relations = Relations(*rules)
        self._relations.put(key, relations)
        return relations

    def _encode(self, claim: Claim) -> dict[str, Any]:
        """``claim.to_dict()``, kept for the claims of the states the ledger keeps (a copy each call)."""
        kept = self._encoded.get(id(claim))
        if kept is None or kept[0] is not claim:
            kept = (claim, claim.to_dict())
            self._encoded[id(claim)] = kept
            if len(self._encoded) > CLAIMS_KEPT:
                del self._encoded[next(iter(self._encoded))]
        return dict(kept[1])

    def _history_of(self, key: str) -> Sequence[Claim]:
        state = self._state(key)
        return () if state is None else state.history

    def _put(self, key: str, data: dict[str, Any], state: SeriesState, claim: Claim) -> None:
        """Store ``data``, the state of ``state``; keep ``state`` as it will read back (its new ``claim`` too)."""
        self.store.put(key, data)
        read_back = Claim.from_dict(self._encode(claim))
        self._states.put(key, SeriesState(key, state.fields, tuple(read_back if c is claim else c
                                                                   for c in state.history)))
        self._absent.pop(key)
        stalest = self._stalest.get(self.store.scope(key))
        if stalest is not None:
            stalest.set(key, _current_rank(data), len(data["history"]))

    def _counted(self) -> dict[str, int]:
        """Series per scope: counted once from the store's keys (no state is read), then kept."""
        if self._scopes is None:
            scopes: dict[str, int] = {}
            for key in self.store.series_keys():
                scope = self.store.scope(key)
                scopes[scope] = scopes.get(scope, 0) + 1
            self._scopes = scopes
        return self._scopes

    def _count(self, key: str, series_before: int, history_before: int, series_after: int,
               history_after: int) -> None:
        if self._scopes is not None:
            scope = self.store.scope(key)
            self._scopes[scope] = self._scopes.get(scope, 0) + series_after - series_before
        if self._entries is not None:
            self._entries += history_after - history_before

    def tables(self, conflict: str | None = None) -> list[dict[str, Any]]:
        """Every series state (optionally of one conflict), sorted by series key."""
        states = [state for _, state in self.store.items()
                  if conflict is None or state["series"]["conflict"] == conflict]
        return sorted(states, key=lambda s: str(s["series_key"]))

    def _beyond_horizon(self, state: SeriesState, claim: Claim) -> bool:
        return len(state.history) >= self.settings.history_max and rank(claim) < rank(state.history[-1])

    def _make_room(self, key: str) -> tuple[str, ...]:
        """Evict the stalest series of ``key``'s scope while the scope holds ``max_series`` (``key`` is new)."""
        scope = self.store.scope(key)
        if self._counted().get(scope, 0) < self.settings.max_series:
            return ()
        stalest = self._stalest[scope] if scope in self._stalest else self._order(scope)
        evicted: list[str] = []
        while self._counted().get(scope, 0) >= self.settings.max_series:
            victim = stalest.pop()
            if victim is None:
                break
            gone, entries = victim
            self.store.delete(gone)
            self._states.pop(gone)
            self._relations.pop(gone)
            self._absent.put(gone, None)
            self._count(gone, 1, entries, 0, 0)
            evicted.append(gone)
        return tuple(evicted)

    def _order(self, scope: str) -> _Stalest:
        """The series of ``scope`` by staleness, read once (the scope's states only), then kept by :meth:`_put`."""
        stalest = _Stalest()
        for key in self.store.series_keys():
            if self.store.scope(key) == scope:
                raw = self.store.get(key)
                if raw is not None:
                    stalest.set(key, _current_rank(raw), len(raw["history"]))
        self._stalest[scope] = stalest
        return stalest

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
        if cumulative and contradicted:
            held = Held(claims, restate)
            contradicted = [(c, r) for c, r in contradicted if not excused(claim, c, held)]
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
            found.extend(self._history_of(key_of({**fields, "day": (day - timedelta(days=back)).isoformat()})))
        return found

    def _against_parts(self, state: SeriesState, claim: Claim) -> dict[str, Any] | None:
        """A ``part-exceeds-whole`` contradiction of ``claim`` with the series of its whole or its parts."""
        cumulative = self._kind(claim) == "cumulative"
        window = max(self.settings.same_period_days, self._restate_days(claim))
        found = exceeding(claim, self._neighbours_of(state), self._history_of, own=state.history,
                          cumulative=cumulative, window=window)
        if not found:
            return None
        previous = state.current(self._restate_days(claim)) if state.history else None
        return build_event(CONTRADICTION, PART_EXCEEDS_WHOLE, claim, series_key=state.key, series=state.fields,
                           previous=previous, related=[c for c, _ in found],
                           related_keys=[k for _, k in found])

    def _neighbours_of(self, state: SeriesState) -> Neighbours:
        """The keys of the series of ``state``'s wholes and parts (kept per series: they depend on its fields)."""
        if state.key not in self._neighbours:
            self._neighbours.put(state.key, neighbours(state.fields, self.hierarchy))
        return self._neighbours.get(state.key)

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
    """The :func:`~streams.ledger.rules.rank` of a stored state's current figure, read from its dict."""
    current = state["current"]
    return (current["as_of"], utc_time(current["published_at"]), current["claim_id"])


class _Stalest:
    """The series of one scope ordered by the rank of their current figure, stalest first (then by key): a heap
    whose outdated entries are skipped when they come up, and rebuilt when they outnumber the live ones."""

    def __init__(self) -> None:
        self._live: dict[str, tuple[tuple[str, str, str], int]] = {}  # key -> (current rank, history entries)
        self._heap: list[tuple[tuple[str, str, str], str]] = []

    def set(self, key: str, current: tuple[str, str, str], entries: int) -> None:
        self._live[key] = (current, entries)
        heappush(self._heap, (current, key))
        if len(self._heap) > 2 * len(self._live) + 64:
            self._heap = [(current, key) for key, (current, _) in self._live.items()]
            heapify(self._heap)

    def pop(self) -> tuple[str, int] | None:
        """The stalest series' key and history entries, forgotten; None when there is none."""
        while self._heap:
            current, key = heappop(self._heap)
            live = self._live.get(key)
            if live is not None and live[0] == current:
                del self._live[key]
                return key, live[1]
        return None


T = TypeVar("T")


class _Recent(Generic[T]):
    """At most ``size`` entries, the least recently used one dropped first."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._data: dict[str, T] = {}

    def __contains__(self, key: str) -> bool:
        return key in self._data

    def get(self, key: str) -> T:
        value = self._data.pop(key)
        self._data[key] = value
        return value

    def put(self, key: str, value: T) -> None:
        self._data.pop(key, None)
        self._data[key] = value
        if len(self._data) > self._size:
            del self._data[next(iter(self._data))]

    def pop(self, key: str) -> None:
        self._data.pop(key, None)

    def clear(self) -> None:
        self._data.clear()
