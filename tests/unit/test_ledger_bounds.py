"""The ledger's series bound: eviction picks the stalest series of the claim's scope, reads nothing outside it,
and what the ledger keeps of the store (counts, eviction order, decoded states) never changes an outcome."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.claims import Claim
from streams.extraction.vocabulary import load_hierarchy
from streams.ledger import Ledger, LedgerSettings, MappingStore, MemoryStore
from streams.ledger.rules import rank
from tests.unit.ledger_claims import KINDS, claim
from tests.unit.test_ledger_properties import claim_sets

HIERARCHY = load_hierarchy()

pytestmark = pytest.mark.unit


class PartitionedStore(MappingStore):
    """Reads like a Faust table inside an event: only the series of the scope being applied (others raise)."""

    def __init__(self) -> None:
        super().__init__({})
        self.reading: str | None = None

    def get(self, key: str) -> dict[str, Any] | None:
        if self.reading is not None and self.scope(key) != self.reading:
            raise KeyError(key)
        return super().get(key)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for key in self.series_keys():  # a Faust table's items() reads each value as get() does
            state = self.get(key)
            if state is not None:
                yield key, state

    def delete(self, key: str) -> None:
        if self.reading is not None and self.scope(key) != self.reading:
            raise KeyError(key)
        super().delete(key)


def test_eviction_reads_and_deletes_only_the_claims_scope() -> None:
    store = PartitionedStore()
    ledger = Ledger(store, KINDS, LedgerSettings(max_series=2), HIERARCHY)
    claims = [claim("k1", as_of="2025-01-10"), claim("k2", place="Rafah", as_of="2025-01-11"),
              claim("s1", conflict="sudan", as_of="2025-01-01"), claim("s2", conflict="sudan", place="Darfur"),
              claim("i1", metric="injured", as_of="2024-12-01"), claim("k3", place="Jabalia")]
    outcomes = []
    for one in claims:
        store.reading = f"{one.conflict}|{one.metric}"
        outcomes.append(ledger.apply(one))
    assert [o.evicted for o in outcomes] == [(), (), (), (), (), ("israel-hamas|killed|people|Gaza Strip|reported"
                                                                  "|total|2023-10-07|-",)]
    assert len(store) == 5


def _scopes(ledger: Ledger) -> dict[str, list[tuple[tuple[str, str, str], str]]]:
    """Each scope's series by the rank of their current figure (a scan of the store)."""
    found: dict[str, list[tuple[tuple[str, str, str], str]]] = {}
    for key, state in ledger.store.items():
        found.setdefault(ledger.store.scope(key), []).append((rank(Claim.from_dict(state["current"])), key))
    return found


@settings(max_examples=120, deadline=None)
@given(claims=claim_sets(), max_series=st.integers(1, 3), history_max=st.integers(1, 4),
       forget=st.sets(st.integers(0, 12)), count=st.sets(st.integers(0, 12)))
def test_a_claim_opening_a_series_in_a_full_scope_evicts_its_stalest_series(
        claims: list[Claim], max_series: int, history_max: int, forget: set[int], count: set[int]) -> None:
    """Checked against a scan before each claim; forgetting what the ledger keeps (a rebalance) and counting
    the store (the gauge's scan, which orders the scopes near their bound) change nothing."""
    ledger = Ledger(MemoryStore(), KINDS, LedgerSettings(max_series=max_series, history_max=history_max),
                    HIERARCHY)
    for index, one in enumerate(claims):
        if index in forget:
            ledger.recount()
        if index in count:
            ledger.sizes()
        before = _scopes(ledger)
        outcome = ledger.apply(one)
        scope = ledger.store.scope(outcome.series_key)
        series = sorted(before.get(scope, []))
        opened = all(key != outcome.series_key for _, key in series)
        expected = [key for _, key in series[:len(series) - max_series + 1]] if opened else []
        assert list(outcome.evicted) == expected
        assert all(len(keys) <= max_series for keys in _scopes(ledger).values())


@settings(max_examples=120, deadline=None)
@given(claims=claim_sets(), config=st.builds(LedgerSettings, same_period_days=st.integers(0, 2),
                                               history_max=st.integers(1, 6), max_series=st.integers(1, 4),
                                               restatement_days=st.integers(0, 3)))
def test_what_the_ledger_keeps_of_the_store_changes_no_outcome(claims: list[Claim], config: LedgerSettings) -> None:
    """A ledger that forgets its kept states, counts and eviction order before every claim (reading everything
    from the store again) gives the same outcomes as one that keeps them."""
    keeping = Ledger(MemoryStore(), KINDS, config, HIERARCHY)
    forgetting = Ledger(MemoryStore(), KINDS, config, HIERARCHY)
    for one in claims:
        forgetting.recount()
        assert keeping.apply(one) == forgetting.apply(one)
    assert keeping.tables() == forgetting.tables()
