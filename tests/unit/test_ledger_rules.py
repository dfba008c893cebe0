"""The ledger's event rules on hand-made claims: precedence, hedging, periods, bases, revisions."""

from __future__ import annotations

from typing import Any

import pytest

from streams.claims import Claim
from streams.ledger import Ledger, LedgerSettings, MemoryStore, series_key
from tests.unit.ledger_claims import KINDS, claim

pytestmark = pytest.mark.unit


def kinds(claims: list[Claim], **settings: Any) -> list[str | None]:
    ledger = Ledger(MemoryStore(), KINDS, LedgerSettings(**settings))
    return [None if (e := ledger.apply(c).event) is None else e["kind"] for c in claims]


def last_event(claims: list[Claim]) -> dict[str, Any]:
    ledger = Ledger(MemoryStore(), KINDS)
    events = [ledger.apply(c).event for c in claims]
    assert events[-1] is not None
    return events[-1]


def test_first_claim_is_new_and_the_same_source_repeating_is_silent() -> None:
    assert kinds([claim("a"), claim("b"), claim("c", outlet="AP")]) == ["new", None, None]


def test_replaying_a_claim_changes_nothing() -> None:
    ledger = Ledger(MemoryStore(), KINDS)
    first = ledger.apply(claim("a"))
    again = ledger.apply(claim("a"))
    assert first.event is not None
    assert (again.event, again.state) == (None, None)
    assert ledger.tables() == [first.state]


def test_later_figure_is_an_update() -> None:
    event = last_event([claim("a", as_of="2025-01-13", value=46600), claim("b")])
    assert (event["kind"], event["rule"]) == ("update", "later-figure")
    assert event["previous"]["claim_id"] == "a"
    assert "up from 46,600" in event["explanation"]


def test_stock_may_fall() -> None:
    assert kinds([claim("a", metric="displaced", value=1000, as_of="2025-01-13"),
                  claim("b", metric="displaced", value=800)]) == ["new", "update"]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ({"value": 60, "low": 61, "high": None, "qualifier": "more_than"}, {"value": 75}),
        ({"value": 80, "low": 72, "high": 88, "qualifier": "about"}, {"value": 79}),
        ({"value": 50, "low": 24, "high": 99, "qualifier": "vague"}, {"value": 40}),
    ],
    ids=["more-than-60-vs-75", "about-80-vs-79", "dozens-vs-40"],
)
def test_hedged_wording_the_intervals_allow_does_not_contradict(first: dict[str, Any],
                                                                second: dict[str, Any]) -> None:
    claims = [claim("a", **first), claim("b", attributed_to="UN", **second)]
    assert kinds(claims) == ["new", "corroboration"]
    claims = [claim("a", as_of="2025-01-13", **first), claim("b", **second)]
    assert "contradiction" not in kinds(claims)


def test_hundreds_vs_forty_contradicts() -> None:
    event = last_event([claim("a", value=500, low=200, high=999, qualifier="vague"),
                        claim("b", attributed_to="UN", value=40)])
    assert (event["kind"], event["rule"]) == ("contradiction", "same-period-disjoint")
    assert [(r["claim_id"], r["source"]) for r in event["related"]] == [("a", "Gaza health ministry")]
    assert event["related"][0]["sentence"]


def test_same_source_disjoint_same_day_contradicts() -> None:
    assert kinds([claim("a", value=100), claim("b", value=120)]) == ["new", "contradiction"]


def test_cumulative_decrease_and_late_above_later() -> None:
    event = last_event([claim("a", value=46700, low=46700, high=None, qualifier="at_least",
                              as_of="2025-01-13"), claim("b")])
    assert (event["kind"], event["rule"]) == ("contradiction", "cumulative-decrease")
    assert event["explanation"] == (
        "Gaza health ministry says 46,645 killed since 7 October 2023, as of 14 January 2025, but the same "
        "source said at least 46,700 on 13 January 2025: a cumulative total cannot fall.")
    event = last_event([claim("a"), claim("b", value=46700, as_of="2025-01-13")])
    assert (event["kind"], event["rule"]) == ("contradiction", "late-above-later")


def test_late_arrival_below_the_current_figure_is_not_an_update() -> None:
    ledger = Ledger(MemoryStore(), KINDS)
    ledger.apply(claim("a"))
    outcome = ledger.apply(claim("b", value=46000, as_of="2025-01-10"))
    assert outcome.event is None
    assert outcome.state is not None
    assert outcome.state["current"]["claim_id"] == "a"
    assert outcome.state["counts"]["reports"] == 2


def test_revision_instead_of_contradiction() -> None:
    event = last_event([claim("a", as_of="2025-01-13", value=46700), claim("b", value=46600, revision=True)])
    assert (event["kind"], event["rule"]) == ("revision", "revised-down")
    assert event["related"][0]["claim_id"] == "a"
    assert kinds([claim("a", value=46700), claim("b", value=46600, revision=True)]) == ["new", "revision"]


def test_contradiction_takes_precedence_over_revision_update_and_corroboration() -> None:
    claims = [
        claim("a", as_of="2025-01-13", value=46700),
        claim("u", as_of="2025-01-15", attributed_to="UN", value=46000),
        claim("b", as_of="2025-01-14", value=46600, revision=True),
    ]
    # b revises a down, but lies above u, which is dated later: the contradiction wins.
    event = last_event(claims)
    assert (event["kind"], event["rule"]) == ("contradiction", "late-above-later")
    assert [r["claim_id"] for r in event["related"]] == ["u"]


def test_update_takes_precedence_over_corroboration() -> None:
    claims = [claim("a", as_of="2025-01-13", value=100), claim("b", attributed_to="UN", value=110,
                                                                 as_of="2025-01-14"),
              claim("c", as_of="2025-01-14", value=110)]
    assert kinds(claims) == ["new", "update", "corroboration"]
    hedged = [claim("a", as_of="2025-01-13", value=100, low=90, high=110, qualifier="about"),
              claim("b", value=105, attributed_to="UN")]
    assert kinds(hedged, same_period_days=1) == ["new", "update"]


def test_window_setting_widens_the_same_period() -> None:
    stock = [claim("a", metric="displaced", value=1000, as_of="2025-01-13"),
             claim("b", metric="displaced", value=500, attributed_to="UN")]
    assert kinds(stock) == ["new", "update"]
    assert kinds(stock, same_period_days=1) == ["new", "contradiction"]
    growth = [claim("a", value=100, as_of="2025-01-13"), claim("b", value=200, attributed_to="UN")]
    assert kinds(growth, same_period_days=1) == ["new", "update"]


def test_incident_figures_never_meet_totals() -> None:
    incident = claim("b", basis="incident", since=None, value=12)
    # an unplaced incident that names no target is an event of its own
    assert series_key(incident) == "israel-hamas|killed|-|-|reported|incident|2025-01-14|unnamed-b"
    assert series_key(claim("a")) == "israel-hamas|killed|-|-|reported|total|2023-10-07|-"
    assert kinds([claim("a"), incident]) == ["new", "new"]
    next_day = claim("c", basis="incident", since=None, value=3, as_of="2025-01-15")
    assert kinds([incident, next_day]) == ["new", "new"]


def test_planned_figures_are_their_own_series() -> None:
    planned = claim("b", metric="hostages_held", modality="planned", value=33)
    reported = claim("a", metric="hostages_held", value=98)
    assert kinds([reported, planned]) == ["new", "new"]
    assert series_key(planned).endswith("|planned|total|2023-10-07|-")


def test_announcements_of_one_plan_on_different_days_meet_and_may_change() -> None:
    def plan(claim_id: str, value: int, as_of: str, **extra: Any) -> Claim:
        return claim(claim_id, metric="hostages_released", modality="planned", basis="incident", since=None,
                     value=value, as_of=as_of, **extra)

    first, later, smaller = plan("a", 33, "2025-01-15"), plan("b", 33, "2025-01-17"), plan("c", 25, "2025-01-20")
    assert series_key(first) == series_key(later) == "israel-hamas|hostages_released|-|-|planned|incident|-|-"
    assert kinds([first, smaller]) == ["new", "update"], "a smaller plan is news, not a falling count"
    assert kinds([first, plan("d", 33, "2025-01-15", attributed_to="Qatar")]) == ["new", "corroboration"]
    # a plan has no day: another source confirming it days later corroborates it, the same source is silent
    assert kinds([first, plan("e", 33, "2025-01-19", attributed_to="Israeli prime minister's office")]) == [
        "new",
        "corroboration",
    ]
    assert kinds([first, later]) == ["new", None]


def test_unplaced_incident_figures_of_one_day_do_not_contradict() -> None:
    def strike(claim_id: str, value: int, place: str | None, source: str) -> Claim:
        return claim(claim_id, basis="incident", since=None, value=value, place=place, attributed_to=source)

    assert kinds([strike("a", 70, None, "WHO"), strike("b", 5, None, "Sudan Doctors Network")]) == [
        "new", "new"], "two strikes on one day, neither placed: no evidence they are one event, so two series"
    assert kinds([strike("a", 70, "El Fasher", "WHO"), strike("b", 5, "El Fasher", "Sudan Doctors Network")]) == [
        "new", "contradiction"]


def test_groups_and_places_split_series() -> None:
    assert kinds([claim("a"), claim("b", group="children", value=18000),
                  claim("c", place="Rafah", value=3000)]) == ["new", "new", "new"]


def test_unknown_metric_kind_is_refused() -> None:
    from streams._exceptions import ConfigError

    with pytest.raises(ConfigError):
        Ledger(MemoryStore(), {"killed": "flow"})
    with pytest.raises(ConfigError):
        LedgerSettings(history_max=0)


def test_a_revision_supersedes_the_figure_it_lowered() -> None:
    claims = [claim("a", as_of="2024-05-06", value=34844),
              claim("r", as_of="2024-05-08", value=34535, revision=True),
              claim("b", as_of="2024-05-09", value=34622)]
    assert kinds(claims) == ["new", "revision", "update"]
    assert kinds([claims[0], claims[2], claims[1]]) == ["new", "contradiction", "revision"]
    below_revision = claim("c", as_of="2024-05-09", value=34500)
    assert kinds([*claims[:2], below_revision]) == ["new", "revision", "contradiction"]
