"""Series resolution: canonical populations and places, restatements and reporting lag, incidents as events,
parts and wholes, and no silent change of a current figure (issue 10)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from streams._exceptions import DataFileError
from streams.claims import Claim
from streams.extraction import Extractor
from streams.extraction.vocabulary import load_hierarchy, load_taxonomy, parse_taxonomy, read_json
from streams.items import NewsItem
from streams.ledger import Ledger, LedgerSettings, MemoryStore, render_tables, series_key
from tests.unit.ledger_claims import KINDS, claim

pytestmark = pytest.mark.unit

HIERARCHY = load_hierarchy()


def run(claims: list[Claim], **settings: Any) -> tuple[Ledger, list[dict[str, Any] | None]]:
    ledger = Ledger(MemoryStore(), KINDS, LedgerSettings(**settings), HIERARCHY)
    return ledger, [ledger.apply(c).event for c in claims]


def kinds(claims: list[Claim], **settings: Any) -> list[str | None]:
    return [None if e is None else e["kind"] for e in run(claims, **settings)[1]]


def key(item: Claim) -> str:
    return series_key(item, HIERARCHY)


# -- canonical populations and places -----------------------------------------------------------


def test_every_wording_of_the_whole_population_and_theatre_meets_in_one_series() -> None:
    wordings = [claim("a"), claim("b", group="Palestinians"), claim("c", group="Palestinians", place="Gaza Strip"),
                claim("d", place="Gaza Strip")]
    assert {key(c) for c in wordings} == {"israel-hamas|killed|people|Gaza Strip|reported|total|2023-10-07|-"}
    assert key(claim("e", group="children")) == "israel-hamas|killed|children|Gaza Strip|reported|total|2023-10-07|-"
    assert key(claim("f", group="Israelis")).split("|")[2] == "Israelis", "Israelis are a population of their own"
    assert key(claim("g", place="West Bank")).split("|")[3] == "West Bank"


def test_the_issue_s_places_lie_in_their_parents() -> None:
    assert HIERARCHY.place_ancestors("israel-hamas", "Jabalia") == ("North Gaza", "Gaza Strip")
    assert HIERARCHY.place_ancestors("israel-hamas", "Beit Lahia") == ("North Gaza", "Gaza Strip")
    assert HIERARCHY.place_ancestors("russia-ukraine", "Kharkiv") == ("Kharkiv oblast", "Ukraine")
    assert HIERARCHY.place_ancestors("sudan", "El Fasher") == ("North Darfur", "Darfur", "Sudan")
    assert HIERARCHY.place("israel-hamas", None) == HIERARCHY.place("israel-hamas", "Gaza Strip") == "Gaza Strip"
    for group in ("civilians", "children", "women", "journalists", "medics", "aid_workers"):
        assert HIERARCHY.whole_population("israel-hamas", group) == "people"
    for group in ("soldiers", "fighters", "Israelis"):
        assert HIERARCHY.whole_population("israel-hamas", group) is None


def test_the_data_and_the_code_agree() -> None:
    groups = {g for g in read_json(Path("streams/data/taxonomy.json"))["groups"] if g != "description"}
    assert HIERARCHY.parts_of_people <= groups
    gazetteer = read_json(Path("streams/data/gazetteer.json"))
    for entry in gazetteer["conflicts"]:
        theatre = HIERARCHY.theatres[entry["slug"]]
        assert theatre.place in entry["places"], entry["slug"]
        assert set(theatre.within) | set(theatre.within.values()) <= set(entry["places"])


def _user_file(tmp_path: Path, conflict: dict[str, Any]) -> Path:
    path = tmp_path / "user.json"
    path.write_text(json.dumps({"conflicts": [conflict]}))
    return path


def test_a_user_gazetteer_extends_the_hierarchy(tmp_path: Path) -> None:
    user = _user_file(tmp_path, {"slug": "israel-hamas", "places": {"Al-Shifa": ["Al-Shifa", "al-Shifa hospital"]},
                                 "hierarchy": {"within": {"Al-Shifa": "Gaza City"}, "people": ["Gazan civilians"]}})
    hierarchy = load_hierarchy(user)
    assert hierarchy.place_ancestors("israel-hamas", "Al-Shifa") == ("Gaza City", "Gaza Strip")
    assert hierarchy.population("israel-hamas", "Gazan civilians") == "people"
    assert hierarchy.place_ancestors("israel-hamas", "Jabalia") == ("North Gaza", "Gaza Strip"), "ours stay"
    added = _user_file(tmp_path, {"slug": "sahel", "start": "2012-01-16", "places": {"Mali": ["Mali"],
                                  "Gao": ["Gao"]}, "territory": ["Mali"], "hierarchy": {"within": {"Gao": "Mali"}}})
    assert load_hierarchy(added).theatres["sahel"].place == "Mali", "the territory is the default place"
    assert load_hierarchy(added).place_ancestors("sahel", "Gao") == ("Mali",)


@pytest.mark.parametrize(
    ("hierarchy", "message"),
    [
        ({"within": {"Atlantis": "Gaza Strip"}}, "not places of the conflict"),
        ({"place": "Atlantis"}, "not places of the conflict"),
        ({"within": {"Gaza Strip": "Jabalia"}}, "lies in itself"),
        ({"parents": {}}, "unknown keys"),
        ({"within": {"Jabalia": 3}}, "must be strings"),
    ],
)
def test_a_bad_hierarchy_is_refused(tmp_path: Path, hierarchy: dict[str, Any], message: str) -> None:
    with pytest.raises(DataFileError, match=message):
        load_hierarchy(_user_file(tmp_path, {"slug": "israel-hamas", "hierarchy": hierarchy}))


def test_a_group_is_a_part_of_the_people_or_of_nothing() -> None:
    data = read_json(Path("streams/data/taxonomy.json"))
    data["groups"]["children"]["within"] = "civilians"
    with pytest.raises(DataFileError, match="within"):
        parse_taxonomy(data)
    assert load_taxonomy().parts_of_people == HIERARCHY.parts_of_people


# -- restatement and reporting lag --------------------------------------------------------------


def test_a_lagged_restatement_corroborates_and_does_not_become_current() -> None:
    claims = [claim("a", as_of="2024-01-05", value=22600), claim("b", as_of="2024-01-07", value=22835),
              claim("c", as_of="2024-01-08", value=22600, outlet="Daily Example", attributed_to=None)]
    ledger, events = run(claims)
    assert [e and e["kind"] for e in events] == ["new", "update", "corroboration"]
    assert events[2] is not None and events[2]["rule"] == "restates-recent"
    assert ledger.tables()[0]["current"]["claim_id"] == "b", "the restated figure is not the news"
    assert ledger.tables()[0]["counts"]["contradictions"] == 0


def test_a_rounded_headline_restates_the_figure_inside_it() -> None:
    more_than = claim("h", as_of="2024-01-08", value=20000, low=20001, high=None, qualifier="more_than",
                      outlet="Example Post", attributed_to=None)
    ledger, events = run([claim("a", as_of="2024-01-07", value=20057), more_than])
    assert events[1] is not None and events[1]["kind"] == "corroboration"
    assert ledger.tables()[0]["current"]["value"] == 20057


def test_a_cumulative_contradiction_needs_every_figure_of_the_window_to_disagree() -> None:
    lower = claim("c", as_of="2024-01-08", value=19000, outlet="Daily Example", attributed_to=None)
    ministry = [claim("a", as_of="2024-01-06", value=20000), claim("b", as_of="2024-01-07", value=20100)]
    assert kinds([*ministry, lower])[-1] == "contradiction"
    old, then = claim("o", as_of="2024-01-01", value=18900), claim("m", as_of="2024-01-03", value=19500)
    assert kinds([old, then, *ministry, lower])[-1] == "contradiction", "a figure no longer held excuses nothing"
    assert kinds([old, then, *ministry, lower], restatement_days=7)[-1] is None, "a week late, it restates one"
    assert kinds([old, *ministry, lower])[-1] is None, "the series still held 18,900 when the window opened"
    opening = claim("s", as_of="2024-01-05", value=19900)
    assert kinds([old, opening, *ministry, lower])[-1] == "contradiction", "not once 19,900 replaced it"
    assert kinds([*ministry, lower], restatement_days=0)[-1] == "contradiction"


def test_a_source_repeating_its_own_figure_stays_silent() -> None:
    assert kinds([claim("a", as_of="2024-01-06"), claim("b", as_of="2024-01-08")]) == ["new", None]


# -- incidents are events ------------------------------------------------------------------------


def strike(claim_id: str, value: int, source: str, **fields: Any) -> Claim:
    return claim(claim_id, basis="incident", since=None, value=value, attributed_to=source, **fields)


def test_strikes_of_one_day_meet_only_in_one_place_on_the_same_target() -> None:
    apartment = strike("a", 45, "civil defence", target="apartment_block", place="Rafah")
    convoy = strike("b", 5, "UN", target="convoy", group="aid_workers")
    unnamed = [strike("c", 30, "medics"), strike("d", 12, "Reuters")]
    assert len({key(c) for c in [apartment, convoy, *unnamed]}) == 4
    assert kinds([apartment, convoy, *unnamed]) == ["new"] * 4
    same_event = strike("e", 40, "WAFA", target="apartment_block", place="Rafah")
    elsewhere = [strike("f", 40, "WAFA", target="apartment_block"), strike("g", 45, "AP", target="apartment_block")]
    assert kinds(elsewhere) == ["new", "new"], "a kind of target names no one event of the whole territory"
    assert kinds([apartment, same_event]) == ["new", "contradiction"], "one named event, two tolls"


def test_a_day_s_toll_is_a_period_figure_comparable_across_sources() -> None:
    ministry = strike("a", 120, "Gaza health ministry", target="day")
    wire = strike("b", 120, "AP", target="day", place="Gaza Strip", group="Palestinians")
    assert key(ministry) == key(wire) == "israel-hamas|killed|people|Gaza Strip|reported|day|2025-01-14|-"
    assert kinds([ministry, wire]) == ["new", "corroboration"]
    assert kinds([ministry, strike("c", 60, "AP", target="day")]) == ["new", "contradiction"]


def test_the_extractor_names_the_target_of_an_incident() -> None:
    extractor = Extractor.from_files()

    def target(body: str) -> str | None:
        item = NewsItem.from_dict({"id": "t", "outlet": "AP", "published_at": "2024-01-10T10:00:00Z",
                                   "title": "Gaza war", "body": body})
        [found] = extractor.extract(item)
        return found.target

    assert target("An Israeli strike on a school sheltering families in Jabalia killed 30 people.") == "school"
    assert target("An air strike on an aid convoy in northern Gaza killed 5 aid workers.") == "convoy"
    assert target("At least 120 Palestinians were killed in the past 24 hours, the health ministry said.") == "day"
    assert target("Israeli strikes across the Gaza Strip killed 45 people on Tuesday.") == "day"
    assert target("Some 23,210 people have been killed in Gaza since the war began.") is None, "a total has none"


# -- parts and wholes ----------------------------------------------------------------------------


def test_children_above_all_people_killed_is_a_contradiction_either_way_round() -> None:
    whole, part = claim("w", value=10000), claim("p", group="children", value=12000, attributed_to="UNICEF")
    for order in ([whole, part], [part, whole]):
        _, events = run(order)
        last = events[-1]
        assert last is not None and (last["kind"], last["rule"]) == ("contradiction", "part-exceeds-whole")
        assert last["related"][0]["series_key"] != last["series"]["key"]
        assert "a part cannot exceed its whole" in last["explanation"]


def test_one_figure_of_the_whole_at_or_above_the_part_clears_it() -> None:
    part = claim("p", group="children", value=12000, attributed_to="UNICEF", as_of="2025-01-14")
    misread = claim("m", value=9000, attributed_to="Example Post", as_of="2025-01-15")
    assert kinds([claim("w", value=46000, as_of="2025-01-15"), misread, part])[-1] == "new"
    assert kinds([claim("w", value=11000, as_of="2025-01-10"), part])[-1] == "new", "an older whole bounds nothing"


def test_a_town_s_toll_above_its_region_s_for_the_same_event() -> None:
    town = strike("t", 30, "medics", place="Jabalia", target="school")
    region = strike("r", 20, "WAFA", place="North Gaza", target="school")
    assert kinds([region, town])[-1] == "contradiction"
    assert kinds([strike("o", 20, "WAFA", place="North Gaza", target="market"), town])[-1] == "new"
    assert kinds([strike("u", 20, "WAFA", place="North Gaza"), strike("v", 30, "medics", place="Jabalia")]) == [
        "new", "new"], "with no target, two strikes of one day may be two events"


# -- no silent change -----------------------------------------------------------------------------


def test_a_later_report_of_one_event_that_changes_the_figure_raises_an_event() -> None:
    first = strike("a", 60, "medics", place="Khan Younis", target="hospital", low=61, high=None,
                   qualifier="more_than", published_at="2025-01-14T10:00:00Z")
    later = strike("b", 75, "medics", place="Khan Younis", target="hospital", published_at="2025-01-14T18:00:00Z")
    ledger, events = run([first, later])
    assert ledger.tables()[0]["current"]["claim_id"] == "b"
    assert events[1] is not None and events[1]["kind"] == "update"


def test_a_day_s_toll_published_a_day_late_restates_the_day_before() -> None:
    yesterday = strike("y", 307, "Gaza health ministry", target="day", as_of="2025-01-13")
    today = strike("t", 138, "Gaza health ministry", target="day")
    late = strike("l", 307, "Example Post", target="day")
    assert kinds([yesterday, today, late])[-1] == "update", "yesterday's toll a day late: no contradiction"
    assert kinds([today, strike("o", 500, "Example Post", target="day")])[-1] == "contradiction"


def test_the_extractor_reads_a_day_s_toll_given_as_part_of_a_total() -> None:
    extractor = Extractor.from_files()
    item = NewsItem.from_dict({"id": "t", "outlet": "AP", "published_at": "2024-01-10T10:00:00Z", "title": "Gaza",
                               "body": "The toll includes 442 deaths over the past 24 hours, the ministry said. "
                                       "In the past 24 hours, the death toll in Gaza rose to 23,210."})
    assert [(c.value, c.target) for c in extractor.extract(item)] == [(442, "day"), (23210, None)]


# -- running totals are not incidents --------------------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "basis"),
    [
        ("Death toll in Gaza climbs to 1,900 as Israeli strikes continue", "total"),
        ("Number of Palestinians killed in Gaza war tops 23,000", "total"),
        ("The death toll from Saturday's strike on a market in Khan Younis rose to 45", "incident"),
        ("The number of people killed in the strike on a school in Rafah rose to 30", "incident"),
    ],
)
def test_a_headline_s_running_total_is_a_total(headline: str, basis: str) -> None:
    item = NewsItem.from_dict({"id": "h", "outlet": "AP", "published_at": "2024-01-10T10:00:00Z",
                               "title": headline, "body": headline})
    [found] = Extractor.from_files().extract(item)
    assert found.basis == basis


def test_the_tables_say_a_day_s_toll_and_an_incident_s_target() -> None:
    ledger, _ = run([strike("d", 120, "Gaza health ministry", target="day"),
                     strike("s", 30, "medics", place="Jabalia", target="school")])
    text = render_tables(ledger.tables())
    assert "day 2025-01-14" in text and "incident 2025-01-14 (school)" in text


def test_a_bulletin_s_day_list_and_a_wire_s_day_toll_meet_in_one_series() -> None:
    extractor = Extractor.from_files()

    def claims_of(item_id: str, outlet: str, body: str) -> list[Claim]:
        return extractor.extract(NewsItem.from_dict({"id": item_id, "outlet": outlet, "title": "Gaza",
                                                     "published_at": "2026-06-15T12:00:00Z", "body": body}))

    bulletin = claims_of("b", "Gaza health ministry", "Daily report on the Gaza Strip.\nThe total number of "
                         "casualties who arrived at Gaza Strip hospitals in the past 24 hours is as follows:\n"
                         "• Number of martyrs: 7\n• Number of injuries: 6\n")
    wire = claims_of("w", "AP", "Seven people were killed in Gaza in the past 24 hours, the UN said.")
    assert [(c.metric, c.target) for c in bulletin] == [("killed", "day"), ("injured", "day")]
    assert key(bulletin[0]) == key(wire[0]) == "israel-hamas|killed|people|Gaza Strip|reported|day|2026-06-15|-"


def test_a_part_named_in_the_predicate_is_that_part() -> None:
    item = NewsItem.from_dict({"id": "p", "outlet": "AP", "published_at": "2024-02-05T10:00:00Z", "title": "Gaza war",
                               "body": "The ministry says 12,000 of the dead are children."})
    [found] = Extractor.from_files().extract(item)
    assert (found.metric, found.group) == ("killed", "children")
    assert key(found).split("|")[2] == "children", "a part of the toll, not the toll"
