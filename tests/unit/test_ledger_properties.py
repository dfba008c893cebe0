"""Property tests: the ledger's states depend only on the set of claims, replays are silent, events repeat."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.claims import Claim
from streams.extraction.vocabulary import load_hierarchy
from streams.ledger import Ledger, LedgerSettings, MemoryStore
from streams.ledger.rules import relate
from tests.unit.ledger_claims import KINDS, claim

HIERARCHY = load_hierarchy()

pytestmark = pytest.mark.unit

_INTERVALS = st.sampled_from([
    {"value": 10}, {"value": 20}, {"value": 30},
    {"value": 20, "low": 20, "high": None, "qualifier": "at_least"},
    {"value": 20, "low": 18, "high": 22, "qualifier": "about"},
    {"value": 500, "low": 200, "high": 999, "qualifier": "vague"},
])


@st.composite
def claim_sets(draw: st.DrawFn) -> list[Claim]:
    count = draw(st.integers(min_value=1, max_value=12))
    claims = []
    for index in range(count):
        basis = draw(st.sampled_from(["total", "incident"]))
        claims.append(claim(
            f"c{index}",
            metric=draw(st.sampled_from(["killed", "displaced"])),
            basis=basis,
            since=None if basis == "incident" else "2023-10-07",
            # wordings of one population and place, parts of them, and incident targets
            group=draw(st.sampled_from([None, "Palestinians", "children"])),
            place=draw(st.sampled_from([None, "Gaza Strip", "North Gaza", "Jabalia"])),
            target=draw(st.sampled_from([None, "school", "day"])) if basis == "incident" else None,
            as_of=draw(st.sampled_from(["2025-01-13", "2025-01-14", "2025-01-15"])),
            published_at=draw(st.sampled_from(["2025-01-15T08:00:00Z", "2025-01-15T09:00:00+02:00"])),
            attributed_to=draw(st.sampled_from(["Gaza health ministry", "UN", None])),
            revision=draw(st.booleans()),
            **draw(_INTERVALS),
        ))
    return claims


ledger_settings = st.builds(LedgerSettings, same_period_days=st.integers(0, 2),
                            history_max=st.integers(2, 6), max_series=st.just(1000),
                            restatement_days=st.integers(0, 3))


def run(claims: list[Claim], config: LedgerSettings) -> tuple[Ledger, list[dict[str, Any] | None]]:
    ledger = Ledger(MemoryStore(), KINDS, config, HIERARCHY)
    return ledger, [ledger.apply(c).event for c in claims]


@settings(max_examples=300, deadline=None)
@given(claims=claim_sets(), config=ledger_settings, data=st.data())
def test_arrival_order_does_not_change_the_final_state(claims: list[Claim], config: LedgerSettings,
                                                       data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(claims))
    assert run(claims, config)[0].tables() == run(shuffled, config)[0].tables()


@settings(max_examples=200, deadline=None)
@given(claims=claim_sets(), config=ledger_settings, data=st.data())
def test_replaying_claims_changes_nothing_and_emits_nothing(claims: list[Claim], config: LedgerSettings,
                                                            data: st.DataObject) -> None:
    ledger, _ = run(claims, config)
    before = ledger.tables()
    for again in data.draw(st.lists(st.sampled_from(claims), max_size=10)):
        outcome = ledger.apply(again)
        assert (outcome.event, outcome.state) == (None, None)
    assert ledger.tables() == before


@settings(max_examples=200, deadline=None)
@given(claims=claim_sets(), config=ledger_settings)
def test_events_are_deterministic(claims: list[Claim], config: LedgerSettings) -> None:
    assert run(claims, config)[1] == run(claims, config)[1]


@settings(max_examples=200, deadline=None)
@given(a=claim_sets(), b=claim_sets(), window=st.integers(0, 2), restate=st.integers(0, 3))
def test_relation_kinds_are_symmetric(a: list[Claim], b: list[Claim], window: int, restate: int) -> None:
    revisions = [c for c in a + b if c.revision]
    for left, right in zip(a, b, strict=False):
        for cumulative in (True, False):
            there = relate(left, right, cumulative, window, revisions, restate_days=restate)
            back = relate(right, left, cumulative, window, revisions, restate_days=restate)
            assert (there is None) == (back is None)
            if there is not None and back is not None:
                assert there.kind == back.kind


def test_series_eviction_reports_the_stalest_key_of_the_claims_conflict_and_metric() -> None:
    ledger = Ledger(MemoryStore(), KINDS, LedgerSettings(max_series=2))
    ledger.apply(claim("a", as_of="2025-01-10"))
    ledger.apply(claim("b", place="Rafah", as_of="2025-01-12"))
    assert ledger.apply(claim("other-metric", metric="injured", as_of="2025-01-01")).evicted == ()
    outcome = ledger.apply(claim("c", place="Jabalia"))
    assert outcome.evicted == ("israel-hamas|killed|-|-|reported|total|2023-10-07|-",)
    assert sorted(ledger.store.series_keys()) == [
        "israel-hamas|injured|-|-|reported|total|2023-10-07|-",
        "israel-hamas|killed|-|Jabalia|reported|total|2023-10-07|-",
        "israel-hamas|killed|-|Rafah|reported|total|2023-10-07|-",
    ]


@settings(max_examples=200, deadline=None)
@given(claims=claim_sets(), config=ledger_settings)
def test_the_current_figure_never_changes_without_an_event(claims: list[Claim], config: LedgerSettings) -> None:
    ledger = Ledger(MemoryStore(), KINDS, config, HIERARCHY)
    current: dict[str, float] = {}
    for item in claims:
        outcome = ledger.apply(item)
        if outcome.state is None:
            continue
        value = outcome.state["current"]["value"]
        if current.get(outcome.series_key) != value:
            assert outcome.event is not None, f"{outcome.series_key} changed to {value} silently"
        current[outcome.series_key] = value


@settings(max_examples=200, deadline=None)
@given(claims=claim_sets(), history_max=st.integers(1, 4), max_series=st.integers(1, 4),
       counted_after=st.integers(0, 12))
def test_kept_sizes_equal_a_count_of_the_store(claims: list[Claim], history_max: int, max_series: int,
                                              counted_after: int) -> None:
    """The series and history counts apply() keeps (from any point on, evictions included) match a scan."""
    ledger = Ledger(MemoryStore(), KINDS, LedgerSettings(history_max=history_max, max_series=max_series),
                    HIERARCHY)
    for index, one in enumerate(claims):
        if index == counted_after:
            ledger.sizes()
        ledger.apply(one)
    kept = ledger.sizes()
    ledger.recount()
    assert kept == ledger.sizes() == (len(ledger.store), sum(len(s["history"]) for s in ledger.tables()))
