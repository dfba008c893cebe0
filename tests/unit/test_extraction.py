"""Unit tests for the claim extractor (streams.extraction) and its vocabulary files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams._exceptions import DataFileError, InputError
from streams.claims import BASES, MODALITIES, QUALIFIERS, Claim
from streams.extraction import Extractor
from streams.extraction.sentences import MAX_SENTENCE_CHARS
from streams.extraction.vocabulary import (
    GAZETTEER_FILE,
    METRIC_KINDS,
    TAXONOMY_FILE,
    load_gazetteer,
    parse_taxonomy,
)
from streams.items import NewsItem

pytestmark = pytest.mark.unit

EXTRACTOR = Extractor.from_files()


def item(body: str, published: str = "2025-02-09T10:00:00Z", title: str = "Gaza") -> NewsItem:
    return NewsItem(id="t-1", published_at=published, outlet="Wire", title=title, body=body)


def claims(body: str, **kwargs: str) -> list[Claim]:
    return EXTRACTOR.extract(item(body, **kwargs))


def brief(claim: Claim) -> tuple[object, ...]:
    return (claim.metric, claim.value, claim.qualifier, claim.modality, claim.basis)


def test_the_issue_example() -> None:
    got = claims(
        "Four swaps have freed 18 hostages and hundreds of Palestinian prisoners. In total, 33 hostages are "
        "planned for release during the first phase. There are 79 hostages still being held in the Gaza Strip, "
        "35 of whom are presumed dead by Israel."
    )
    assert [brief(c) for c in got] == [
        ("hostages_released", 18, "exact", "reported", "total"),
        ("prisoners_released", 500, "vague", "reported", "total"),
        ("hostages_released", 33, "exact", "planned", "total"),
        ("hostages_held", 79, "exact", "reported", "total"),
        ("hostages_dead", 35, "exact", "reported", "total"),
    ]
    assert (got[1].low, got[1].high, got[1].group) == (200, 999, "Palestinians")
    assert got[3].place == "Gaza Strip"
    assert [c.attributed_to for c in got] == [None, None, None, None, "Israel"]
    assert {c.conflict for c in got} == {"israel-hamas"}
    assert {c.since for c in got} == {"2023-10-07"}


def test_totals_with_different_starts_in_one_sentence() -> None:
    got = claims(
        "In the occupied West Bank, 63 Palestinians have been killed by Israeli forces or settlers in 2026 "
        "and 1,109 since 7 October 2023, according to OCHA.",
        published="2026-03-10T08:00:00Z",
    )
    assert [(c.metric, c.value, c.basis, c.since, c.group, c.attributed_to) for c in got] == [
        ("killed", 63, "total", "2026-01-01", "Palestinians", "UN humanitarian office"),
        ("killed", 1109, "total", "2023-10-07", "Palestinians", "UN humanitarian office"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("An Israeli strike killed at least 12 people in Rafah overnight.", [("killed", 12, "at_least", "incident")]),
        ("At least 12 people were killed in Gaza on Tuesday.", [("killed", 12, "at_least", "incident")]),
        (
            "The death toll in Gaza has risen to 46,645, the Gaza health ministry said.",
            [("killed", 46645, "exact", "total")],
        ),
        (
            "Strikes on Khan Younis killed 12 and wounded 30.",
            [("killed", 12, "exact", "incident"), ("injured", 30, "exact", "incident")],
        ),
        (
            "Israeli strikes killed another 30 Palestinians in Gaza, bringing the toll to 46,675.",
            [("killed", 30, "exact", "incident"), ("killed", 46675, "exact", "total")],
        ),
        (
            "Some 1.9 million people have been forced from their homes in Gaza.",
            [("displaced", 1_900_000, "about", "total")],
        ),
        ("Dozens of aid trucks entered Gaza through Kerem Shalom.", [("aid_trucks", 50, "vague", "incident")]),
        ("Ten people are still missing under the rubble in Gaza City.", [("missing", 10, "exact", "total")]),
        ("Israel will free 90 Palestinian prisoners on Sunday.", [("prisoners_released", 90, "exact", "incident")]),
    ],
)
def test_voice_coordination_and_basis(body: str, expected: list[tuple[object, ...]]) -> None:
    assert [(*brief(c)[:3], c.basis) for c in claims(body)] == expected


@pytest.mark.parametrize(
    "body",
    [
        "A 12-year-old boy told reporters in Gaza he had walked 15 kilometres to reach Rafah.",
        "The Israeli cabinet will vote on the three-phase Gaza deal, whose first stage is to last 42 days.",
        "Negotiators on Gaza have held four rounds of talks over more than two weeks.",
        "Hamas fired about 320 rockets at Israel on October 7, 2023.",
        "The strike on Gaza City flattened six buildings.",
        "Around 70% of Gaza's buildings have been damaged or destroyed.",
        "The US approved $1.2 billion in aid for Israel and Gaza.",
        "The Rafah crossing reopened at 9 a.m. on Saturday after nearly seven months.",
        "In 2014, Israel and Hamas fought a 50-day war in Gaza.",
        "Nearly all of Gaza's 2.1 million residents rely on aid.",
        "The earthquake in Myanmar killed 2,056 people, state media said.",
    ],
)
def test_must_yield_nothing(body: str) -> None:
    assert claims(body) == []


def test_item_about_no_known_conflict_yields_nothing() -> None:
    assert claims("A bus crash killed 12 people in Peru on Tuesday.", title="Crash") == []


@pytest.mark.parametrize(
    "body",
    [
        "Israel will free 90 Palestinian prisoners in Gaza.",
        "Israel was expected to free 90 Palestinian prisoners from Gaza.",
        "In total, 33 hostages are to be released from Gaza.",
        "Hamas agreed to release 33 hostages held in Gaza.",
    ],
)
def test_planned_modality(body: str) -> None:
    assert [c.modality for c in claims(body)] == ["planned"]


def test_as_of_weekday_and_date() -> None:
    [monday] = claims("A strike killed 40 people in Gaza on Monday.", published="2025-08-12T10:00:00Z")
    assert monday.as_of == "2025-08-11"
    [jan] = claims("On January 19, 33 hostages were held in Gaza.", published="2025-02-09T10:00:00Z")
    assert jan.as_of == "2025-01-19"
    [dec] = claims("On December 30, 12 people were killed in Gaza.", published="2025-01-02T10:00:00Z")
    assert dec.as_of == "2024-12-30"


def test_since_ceasefire_and_revision() -> None:
    [claim] = claims(
        "Since the ceasefire took effect on 10 October, Israeli strikes have killed 360 people in Gaza, "
        "the health ministry said after it revised its toll down.",
        published="2025-12-01T10:00:00Z",
    )
    assert (claim.basis, claim.since, claim.revision, claim.attributed_to) == (
        "total",
        "2025-10-10",
        True,
        "health ministry",
    )


def test_claim_ids_are_stable_and_distinct() -> None:
    body = "Strikes on Khan Younis killed 12 and wounded 30."
    first, second = claims(body), claims(body)
    assert [c.claim_id for c in first] == [c.claim_id for c in second]
    assert len({c.claim_id for c in first}) == 2
    assert all(len(c.claim_id) == 64 for c in first)


def test_claims_use_contract_values() -> None:
    for claim in claims("Four swaps have freed 18 hostages and at least 300 Palestinian prisoners in Gaza."):
        assert claim.qualifier in QUALIFIERS and claim.modality in MODALITIES and claim.basis in BASES
        assert Claim.from_dict(json.loads(json.dumps(claim.to_dict()))) == claim


# -- robustness ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        "",
        "Израильский удар по Газе убил 12 человек.",
        "\x00\x01\xff\ufffd" * 1000,
        "Gaza " + "1,2,3,4,5,6,7,8,9," * 20_000,
        "Gaza killed " * 450_000,  # 5 MB
    ],
)
def test_robust_to_odd_bodies(body: str) -> None:
    assert isinstance(claims(body), list)


def test_bad_timestamp_is_an_input_error() -> None:
    with pytest.raises(InputError):
        EXTRACTOR.extract(item("12 people were killed in Gaza.", published="yesterday"))


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=400))
def test_any_text_gives_claims_or_nothing(body: str) -> None:
    assert isinstance(claims("Gaza: " + body), list)


# -- vocabulary files agree with the code -------------------------------------------------------


def test_taxonomy_metrics_are_the_tracked_ones() -> None:
    taxonomy = parse_taxonomy(orjson.loads(TAXONOMY_FILE.read_bytes()))
    assert set(taxonomy.metrics) == {
        "killed", "injured", "casualties", "missing", "hostages_held", "hostages_released", "hostages_dead",
        "prisoners_released", "detained", "displaced", "aid_trucks", "bodies_recovered",
    }  # fmt: skip
    assert {m.kind for m in taxonomy.metrics.values()} <= set(METRIC_KINDS)
    assert all(m.description for m in taxonomy.metrics.values())


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("metrics", "killed", "kind"), "sometimes"),
        (("metrics", "killed", "signatures"), [["person", "no_such_event"]]),
        (("metrics", "killed", "signatures"), [["vehicle", "kill"]]),
        (("nouns", "event", "deaths"), "no_such_event"),
        (("context", "unknown_cue"), ["x"]),
        (("groups", "children", "plural"), ["kids"]),
    ],
)
def test_taxonomy_disagreeing_with_code_is_rejected(path: tuple[str, ...], bad: object) -> None:
    data = copy.deepcopy(orjson.loads(TAXONOMY_FILE.read_bytes()))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad
    with pytest.raises(DataFileError):
        parse_taxonomy(data)


def test_gazetteer_conflicts_and_starts() -> None:
    conflicts = load_gazetteer().conflicts
    assert {slug: c.start for slug, c in conflicts.items()} == {
        "israel-hamas": "2023-10-07", "israel-hezbollah": "2023-10-08", "russia-ukraine": "2022-02-24",
        "sudan": "2023-04-15", "drc": "2022-03-28", "myanmar": "2021-02-01", "yemen": "2015-03-26",
        "syria": "2011-03-15", "haiti": "2024-02-29",
    }  # fmt: skip


def test_user_gazetteer_extends_without_code_changes(tmp_path: Path) -> None:
    user = tmp_path / "mine.json"
    user.write_text(
        json.dumps(
            {
                "conflicts": [
                    {"slug": "sahel", "name": "Sahel insurgency", "start": "2012-01-17", "parties": ["JNIM"],
                     "places": {"Burkina Faso": ["Burkina Faso"], "Djibo": ["Djibo"]}},
                    {"slug": "sudan", "places": {"Tawila": ["Tawila"]}},
                ]
            }
        )
    )  # fmt: skip
    extractor = Extractor.from_files(user)
    [claim] = extractor.extract(item("JNIM fighters killed at least 50 soldiers near Djibo.", title="Burkina"))
    assert (claim.conflict, claim.metric, claim.group, claim.place) == ("sahel", "killed", "soldiers", "Djibo")
    [sudan] = extractor.extract(item("Shelling killed 20 people in Tawila on Monday.", title="Darfur"))
    assert sudan.conflict == "sudan"


_GAZETTEER = load_gazetteer()
_TERM_PIECES = [
    *sorted(_GAZETTEER.terms)[::7], "occupied West Bank", "war in Gaza", "Cité Soleil", "Pétion-Ville", "Israeli",
    "Gazan", "McGaza", "al", "É", "é", "_", "2",
]  # fmt: skip


def _reference_scan(text: str) -> list[tuple[int, str]]:
    """Every term standing alone in ``text``, longest first and not overlapping, by brute force."""
    found, skip_to = [], 0
    for at in range(len(text)):
        if at < skip_to or (at and (text[at - 1].isalnum() or text[at - 1] == "_")):
            continue
        for phrase in sorted(_GAZETTEER.terms, key=len, reverse=True):
            end = at + len(phrase)
            if text.startswith(phrase, at) and not (end < len(text) and text[end].isalnum()):
                found.append((at, phrase))
                skip_to = end
                break
    return found


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_TERM_PIECES), st.sampled_from([" ", "", "-", "'s ", ", ", "_", "é"]))))
def test_term_scan_finds_what_a_brute_force_scan_finds(pieces: list[tuple[str, str]]) -> None:
    text = "".join(term + sep for term, sep in pieces)
    assert _GAZETTEER.scan(text) == _reference_scan(text)


def test_user_terms_with_other_letters_are_found(tmp_path: Path) -> None:
    user = tmp_path / "mine.json"
    user.write_text(json.dumps({"conflicts": [{"slug": "syria", "places": {"Şanlıurfa": ["Şanlıurfa"]}}]}))
    [claim] = Extractor.from_files(user).extract(item("Shelling killed 9 people in Şanlıurfa.", title="News"))
    assert (claim.conflict, claim.place, claim.value) == ("syria", "Şanlıurfa", 9)


def _after_abbreviation(body: str, k: int) -> bool:
    """True when the period at ``k`` closes a listed abbreviation that starts a word ("Oct.", "No.")."""
    from streams.extraction.sentences import _ABBREVIATIONS

    def starts_a_word(at: int) -> bool:
        return at == 0 or not (body[at - 1].isalnum() or body[at - 1] == "_")

    initialism = k >= 3 and body[k - 2] == "." and all("A" <= body[j] <= "Z" for j in (k - 3, k - 1))
    return body[k] == "." and (
        any(body[:k].endswith(w) and starts_a_word(k - len(w)) for w in _ABBREVIATIONS)
        or (initialism and starts_a_word(k - 3))
    )


def _reference_bounds(body: str) -> list[tuple[int, int]]:
    """Sentence bounds by the rule in words, one character at a time (the oracle for the regex)."""
    bounds, start, k = [], 0, 0
    while k < len(body):
        if body[k] == "\n":
            j = k + 1
            while j < len(body) and body[j].isspace():
                j += 1
            bounds.append((start, k + 1))
            start = k = j
            continue
        if body[k] in ".!?" and (k == 0 or body[k - 1] not in ".!?") and not _after_abbreviation(body, k):
            j = k
            while j < len(body) and body[j] in ".!?":
                j += 1
            while j < len(body) and body[j] in '"”’)]':
                j += 1
            blank = j
            while j < len(body) and body[j].isspace():
                j += 1
            opener = j + (j < len(body) and body[j] in '"“‘([')
            if j > blank and opener < len(body) and (body[opener] in "0123456789" or "A" <= body[opener] <= "Z"):
                bounds.append((start, k + 1))
                start = k = j
                continue
        k += 1
    bounds.append((start, len(body)))
    return bounds


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([*'.!?\n \t"”’)]“‘([aA1', "Oct", "No", "xOct", "St", "U", "N"]), max_size=30))
def test_sentence_bounds_follow_the_rule_in_words(pieces: list[str]) -> None:
    from streams.extraction.sentences import sentence_bounds

    body = "".join(pieces)
    assert sentence_bounds(body) == _reference_bounds(body)


@settings(max_examples=500, deadline=None)
@given(
    st.lists(
        st.sampled_from(["three", "Dozen", "x", "0", "\u0663", "é", ".", " ", "-", "A", *"\u2019\u201c\u2014\u2026"]),
        max_size=30,
    )
)
def test_figure_sentences_are_those_with_a_digit_or_a_number_word(pieces: list[str]) -> None:
    """The fast paths of figure_sentences (str.find on an ASCII copy) agree with the rule in words."""
    from streams.extraction.sentences import figure_sentences, sentence_bounds
    from streams.numbers import NUMBER_WORDS

    body = "".join(pieces)
    expected = []
    for start, end in sentence_bounds(body):
        text = body[start:end].lower()
        for mark in "-,.;:!?()[]\"'/\u2018\u2019\u201c\u201d\u2013\u2014\u2026":
            text = text.replace(mark, " ")
        if any(c.isdecimal() for c in text) or not NUMBER_WORDS.isdisjoint(text.split()):
            expected.append((start, end))
    assert figure_sentences(body) == expected


@pytest.mark.parametrize(
    "bad",
    [
        {"conflicts": [{"slug": "x", "start": "not a date"}]},
        {"conflicts": [{"slug": "x", "start": "2020-01-01", "colour": "red"}]},
        {"conflicts": [{"slug": "x"}]},
        {"wars": []},
    ],
)
def test_bad_user_gazetteer_is_a_data_file_error(tmp_path: Path, bad: object) -> None:
    user = tmp_path / "bad.json"
    user.write_text(json.dumps(bad))
    with pytest.raises(DataFileError):
        load_gazetteer(user)


def test_shipped_files_exist() -> None:
    assert GAZETTEER_FILE.is_file() and TAXONOMY_FILE.is_file()


# -- attribution: a source is an organization, official or party ------------------------------------


@pytest.mark.parametrize(
    ("body", "title", "source"),
    [
        # an adverb after the source is not part of it
        ("The Red Crescent separately said 9 people were killed in a strike on Kadugli.", "Sudan", "Red Crescent"),
        # a title followed by a person's name: the organization is the source
        (
            "Nine civilians were killed in shelling of Omdurman, UN refugee agency chief Filippo Grandi said.",
            "Sudan",
            "UNHCR",  # the canonical name of the UN refugee agency
        ),
        # "a tally by X": X
        (
            "At least 14 people were killed in Sagaing, according to a count by Radio Free Asia.",
            "Myanmar",
            "Radio Free Asia",
        ),
        # a locative place stays inside the source ("officials in <Place>"), never alone
        ("Medical officials in Nyala said 11 people were killed overnight.", "Sudan", "Medical officials in Nyala"),
        # a pronoun-like subject names nobody
        ("The group said 40 fighters were killed in the fighting near Goma.", "Congo", None),
        # a possessive noun after its owner is not a speech verb ("added to its records")
        ("The toll rose to 52 after more bodies were added to its records in Kherson.", "Ukraine", None),
    ],
)
def test_source_is_a_named_party(body: str, title: str, source: str | None) -> None:
    got = claims(body, title=title)
    assert got and got[0].attributed_to == source


@pytest.mark.parametrize(
    "phrase",
    ["Gaza's health ministry said", "The health ministry in Gaza said", "The Hamas-run health ministry said"],
)
def test_one_source_one_name_across_reports(phrase: str) -> None:
    got = claims(f"{phrase} 31 people were killed in Rafah on Tuesday.")
    assert [c.attributed_to for c in got] == ["Gaza health ministry"]


def test_revising_source_is_attributed_and_marked() -> None:
    got = claims(
        "Ukraine's State Emergency Service lowered its toll for the Dnipro strike to 38 on Sunday.", title="Ukraine"
    )
    assert [(c.attributed_to, c.revision) for c in got] == [("Ukraine's State Emergency Service", True)]


def test_source_aliases_are_validated(tmp_path: Path) -> None:
    user = tmp_path / "g.json"
    user.write_text(json.dumps({"conflicts": [{"slug": "sudan", "sources": {"A": ["RSF"]}}]}))
    with pytest.raises(DataFileError, match="names two sources"):
        load_gazetteer(user)
    user.write_text(json.dumps({"conflicts": [{"slug": "sudan", "sources": {"A": "RSF"}}]}))
    with pytest.raises(DataFileError):
        load_gazetteer(user)


# -- series fields stay stable across reports of one figure -----------------------------------------


def test_running_total_over_the_whole_territory_has_no_place() -> None:
    stated = claims("More than 31,000 Palestinians have been killed in Gaza, the Gaza health ministry said.")
    unstated = claims("The Gaza health ministry said 31,200 Palestinians have been killed since the war began.")
    assert [(c.basis, c.place) for c in stated + unstated] == [("total", None), ("total", None)]
    # a sub-area narrows the total; a stock keeps where it is held
    assert claims("Since October 2023, 520 Palestinians have been killed in the West Bank.")[0].place == "West Bank"
    assert claims("Some 101 hostages are still held in Gaza, officials said.")[0].place == "Gaza Strip"


def test_since_the_start_month_is_the_conflict_start() -> None:
    got = claims("Lebanon's health ministry said 2,950 people have been killed since October 2023.", title="Lebanon")
    assert [(c.conflict, c.since) for c in got] == [("israel-hezbollah", "2023-10-08")]


def test_incident_toll_dated_by_its_possessive_day() -> None:
    got = claims(
        "The toll from Tuesday's missile strike on Dnipro rose to 19, regional officials said.",
        published="2025-01-16T09:00:00Z",
        title="Ukraine",
    )
    assert [(c.basis, c.as_of, c.place) for c in got] == [("incident", "2025-01-14", "Dnipro")]


def test_part_of_the_hostages_is_dead() -> None:
    got = claims("At least 20 of the hostages still held in Gaza are believed to be dead, Israeli officials said.")
    assert [(c.metric, c.low) for c in got] == [("hostages_dead", 20)]
    got = claims("Israel said it killed more than 900 of the movement's fighters in Rafah since May.")
    assert [(c.metric, c.group) for c in got] == [("killed", "fighters")]


def test_place_of_an_attack() -> None:
    got = claims("Russian drones struck Odesa overnight, killing 4 people, the governor said.", title="Ukraine")
    assert [c.place for c in got] == ["Odesa"]
    got = claims("Gunmen killed 23 people in an attack on the town of Kalogi, the local council said.", title="Sudan")
    assert [c.place for c in got] == ["Kalogi"]


# -- recall: asides, partitives and wire phrasings --------------------------------------------------


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        ("Eleven fishermen, most of them teenagers, were killed when a shell hit their boat off Hodeidah.", "Yemen",
         ("killed", 11)),
        ("Some 400,000 people - nearly a third of the city's residents - have fled Goma since January.", "Congo",
         ("displaced", 400_000)),
        ("At least 27 civilians (among them nine children) were killed in the shelling of Kherson.", "Ukraine",
         ("killed", 27)),
        ("Gunmen hacked to death 16 farmers near Beni overnight, local officials said.", "Congo", ("killed", 16)),
        ("Rescuers said 31 women had been identified among the dead after the strike on Sumy.", "Ukraine",
         ("killed", 31)),
        ("The Houthis are still holding 14 UN staff in Sanaa, the UN said.", "Yemen", ("detained", 14)),
    ],
)  # fmt: skip
def test_figure_past_an_aside_or_wire_phrasing(body: str, title: str, expected: tuple[str, float]) -> None:
    assert (claims(body, title=title)[0].metric, claims(body, title=title)[0].value) == expected


def test_a_bare_head_noun_is_the_source_named_before() -> None:
    got = claims(
        "Lebanon's health ministry said Israeli strikes killed 14 people in Tyre on Monday. "
        "The ministry said 31 others were wounded.",
        title="Lebanon",
    )
    assert [c.attributed_to for c in got] == ["Lebanese health ministry", "Lebanese health ministry"]
    # with no earlier source of that kind it stays as written
    assert claims("The ministry said 9 people were killed in Sidon.", title="Lebanon")[0].attributed_to == "ministry"


def test_number_of_victims_of_one_incident_is_an_incident_figure() -> None:
    got = claims(
        "Officials in Kharkiv corrected the number of people killed in Thursday's glide bomb attack to 6.",
        published="2025-05-03T08:00:00Z",
        title="Ukraine",
    )
    assert [(c.basis, c.as_of, c.revision) for c in got] == [("incident", "2025-05-01", True)]
    got = claims("The number of people killed in Gaza since the war began passed 40,000, the ministry said.")
    assert [c.basis for c in got] == ["total"]


def test_a_count_over_a_truce_is_a_running_total() -> None:
    got = claims("Israel freed 240 Palestinian prisoners during the truce, the prison service said.")
    assert [(c.metric, c.basis) for c in got] == [("prisoners_released", "total")]


def test_an_aside_does_not_cut_the_figure_from_its_since() -> None:
    got = claims(
        "At least 60 journalists, most of them Palestinians, have been killed since the war began, a watchdog said."
    )
    assert [(c.metric, c.basis, c.since) for c in got] == [("killed", "total", "2023-10-07")]


def test_numbers_beyond_any_population_are_not_counts() -> None:
    assert claims("Strikes killed 99999999999999999999999999 people in Gaza on Monday.") == []
    assert claims("Strikes killed 4 trillion people in Gaza on Monday.") == []


def test_an_age_after_a_person_noun_is_not_a_count() -> None:
    got = claims("The first group of 19 detainees to be freed includes women and men over 60, officials said.")
    assert [c.value for c in got] == [19]
    assert [c.value for c in claims("Israeli strikes killed over 40 people in Khan Younis.")] == [40]


def test_two_reported_clauses_keep_their_own_period() -> None:
    got = claims(
        "Lebanon's health ministry said on Friday that Israeli strikes had killed 4 people in Nabatieh and that "
        "75 people had been killed since the truce took effect on November 27.",
        published="2025-01-31T08:00:00Z",
        title="Lebanon",
    )
    assert [(c.value, c.basis, c.since) for c in got] == [(4, "incident", None), (75, "total", "2024-11-27")]


# -- work is linear in the body ------------------------------------------------------------------

_LINEAR_UNITS = [
    "?",
    ".",
    "!",
    "?!.",
    ". ",
    "? A 1 ",
    "1,",
    "1 ",
    "one ",
    ",",
    "(",
    "\n",
    "12 killed. ",
    "x" * 50 + " ",
    "The office said it was dire. It said 4 people died. ",
]


def _best_time(body: str, repeats: int = 5) -> float:
    import time

    extracted = item(body, title="Gaza war")
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        EXTRACTOR.extract(extracted)
        best = min(best, time.perf_counter() - start)
    return best


@pytest.mark.parametrize("unit", _LINEAR_UNITS)
def test_time_grows_linearly_with_repeated_patterns(unit: str) -> None:
    # a ratio, not a budget: 8 times the text may take at most 30 times as long (quadratic is 64x)
    n = 2_500
    small, large = (("Gaza " + unit * (size // len(unit) + 1))[:size] for size in (n, 8 * n))
    assert _best_time(large, 3) < 30 * max(_best_time(small), 2e-3)


class _CountingTokens:
    """Counts the characters the extractor tokenizes, to bound the work per body."""

    chars = 0

    def __init__(self, real: type) -> None:
        self.real = real

    def __call__(self, text: str) -> object:
        _CountingTokens.chars += len(text)
        return self.real(text)


@given(
    st.lists(
        st.sampled_from([".", "!", "?", " ", "\n", "1", ",", "one", "dozens", "A", "killed", "(", '"']), max_size=60
    ),
    st.integers(min_value=1, max_value=200),
)
@settings(max_examples=60, deadline=None)
def test_runs_of_punctuation_numbers_and_words_are_read_once(parts: list[str], times: int) -> None:
    import streams.extraction.extractor as module

    body = "Gaza " + "".join(parts) * times
    counting = _CountingTokens(module.Tokens)
    _CountingTokens.chars = 0
    original, module.Tokens = module.Tokens, counting  # type: ignore[assignment,misc]
    try:
        got = EXTRACTOR.extract(item(body))
    finally:
        module.Tokens = original  # type: ignore[misc]
    # every character is tokenized at most once: sentences are disjoint pieces of the body
    assert _CountingTokens.chars <= len(body)
    assert all(0 <= c.span[0] < c.span[1] <= len(body) for c in got)
    assert all(len(c.sentence) <= MAX_SENTENCE_CHARS for c in got)


def test_figures_per_sentence_are_capped() -> None:
    from streams.extraction.extractor import MAX_SENTENCE_FIGURES

    got = claims("Israeli strikes in Gaza killed " + " ".join(["1"] * 500))
    assert 0 < len(got) <= MAX_SENTENCE_FIGURES


# -- dates at the edges of the calendar ------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "body", "as_of", "since"),
    [
        # "Tuesday" and "yesterday" lie before 1 January 0001: the publication date
        ("0001-01-01T00:00:00Z", "On Tuesday, Israeli strikes killed 12 people in Gaza.", "0001-01-01", None),
        ("0001-01-01T08:00:00Z", "Yesterday 30 people were killed in Gaza, the ministry said.", "0001-01-01", None),
        ("0001-01-01T00:00:00Z", "On March 5, 7 people were killed in Gaza.", "0001-01-01", None),
        ("0001-01-01T00:00:00Z", "Since December, 400 people have been killed in Gaza.", "0001-01-01", "0001-01-01"),
        ("0001-01-03T10:00:00+05:00", "On Tuesday, Israeli strikes killed 12 people in Gaza.", "0001-01-02", None),
        ("9999-12-31T23:59:59Z", "On Tuesday, Israeli strikes killed 12 people in Gaza.", "9999-12-28", None),
        (
            "9999-12-31T23:59:59-05:00",
            "Yesterday 30 people were killed in Gaza, the ministry said.",
            "9999-12-30",
            None,
        ),
        ("9999-12-31T23:59:59Z", "Since December, 400 people have been killed in Gaza.", "9999-12-31", "9999-12-01"),
    ],
)
def test_dates_at_the_edges_of_the_calendar(published: str, body: str, as_of: str, since: str | None) -> None:
    (got,) = claims(body, published=published)
    assert (got.as_of, got.since if got.basis == "total" else None) == (as_of, since)


@given(
    st.dates().map(lambda d: d.isoformat() + "T12:00:00Z"),
    st.sampled_from(["Monday", "Sunday", "yesterday", "today", "December", "since January", "May 5", "31 December"]),
)
@settings(max_examples=200, deadline=None)
def test_no_publication_date_breaks_date_resolution(published: str, when: str) -> None:
    for got in claims(f"In Gaza {when} 12 people were killed.", published=published):
        assert got.as_of <= published[:10]


# -- generalization: classes of wording seen in reports outside the dev corpus ---------------------------


@pytest.mark.parametrize(
    "body",
    [
        "Rocket fire has killed 212 people in Kharkiv since Sept. 3, 2024, regional officials said.",
        "Officials said Lt. Gen. Petrenko confirmed that 212 people have been killed in Kharkiv since Sept. 3, 2024.",
    ],
)
def test_an_abbreviation_period_ends_no_sentence(body: str) -> None:
    got = claims(body, title="Kharkiv", published="2025-01-10T08:00:00Z")
    assert [(c.metric, c.value, c.basis, c.since) for c in got] == [("killed", 212, "total", "2024-09-03")]


def test_a_comma_inside_a_date_breaks_no_clause() -> None:
    got = claims(
        "Shelling killed 9 civilians in Kherson on Friday, the governor said, raising the region's toll "
        "since Nov. 11, 2022 to 1,640.",
        title="Kherson",
        published="2025-01-10T08:00:00Z",
    )
    assert [(c.metric, c.value, c.group, c.basis, c.since) for c in got] == [
        ("killed", 9, "civilians", "incident", None),
        ("killed", 1640, None, "total", "2022-11-11"),
    ]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        # the outlet or audience told comes after the verb; the source stands before it
        (
            "Two rockets hit a school in Rafah and killed 14 people, a hospital director told the BBC.",
            "hospital director",
        ),
        ("Two rockets hit a school in Rafah and killed 14 people, rescue workers told reporters.", "rescue workers"),
        (
            "Two rockets hit a school in Rafah and killed 14 people, a civil defence official told Reuters.",
            "civil defence official",
        ),
        # a bare day after the verb
        (
            "Two rockets hit a school in Rafah and killed 14 people, the civil defence agency said Thursday.",
            "Gaza civil defence agency",
        ),
        # "official" before a verb that is never a noun is a person speaking
        ("Two rockets hit a school in Rafah and killed 14 people, a senior official said.", "senior official"),
        # an inverted attribution names a person after the verb
        (
            "Two rockets hit a school in Rafah and killed 14 people, said Samir Haddad, a nurse at the hospital.",
            "Samir Haddad",
        ),
        # an outlet citing its own source: the cited source counts
        (
            "Two rockets hit a school in Rafah and killed 14 people, AP reported, citing the hospital director.",
            "hospital director",
        ),
        # a conjunction opens a new clause, not the source
        ("Medics counted 20 dead in Rafah, though the army has confirmed only 14 deaths.", "army"),
    ],
)
def test_trailing_attribution_forms(body: str, source: str) -> None:
    got = claims(body, published="2025-01-10T08:00:00Z")
    assert got and got[-1].attributed_to == source


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        # an amnesty releases prisoners
        ("The junta pardoned 1,150 prisoners in Yangon on Friday.", "Myanmar", ("prisoners_released", 1150)),
        # a stock of detainees: "remain in detention", "behind bars"
        (
            "Some 4,000 people arrested in Mandalay since 2021 are still in detention, a monitor said.",
            "Myanmar",
            ("detained", 4000),
        ),
        # "held captive" / "held hostage" are hostages, not detainees
        ("Gunmen are holding 23 passengers captive near Mirebalais.", "Haiti", ("hostages_held", 23)),
        ("Officials believe 23 people are being held hostage near Mirebalais.", "Haiti", ("hostages_held", 23)),
        # a gang is an armed group: its members are fighters
        ("Troops killed 31 gang members in Cite Soleil.", "Haiti", ("killed", 31)),
        # a vague "scores" as a verb's object
        ("Shelling in Kharkiv killed two people and injured scores on Monday.", "Kharkiv", ("injured", 50)),
    ],
)
def test_release_detention_captivity_and_object_wording(body: str, title: str, expected: tuple[str, float]) -> None:
    got = claims(body, title=title, published="2025-01-10T08:00:00Z")
    assert (got[-1].metric, got[-1].value) == expected


def test_gang_members_are_fighters_and_an_operation_is_an_incident() -> None:
    got = claims("Police said they had killed 31 gang members in an operation in Cite Soleil.", title="Haiti")
    assert [(c.group, c.basis, c.since) for c in got] == [("fighters", "incident", None)]


def test_the_scores_of_a_match_are_no_figure() -> None:
    assert claims("Fans in Kharkiv said the scores were level when the sirens sounded.", title="Kharkiv") == []


def test_every_member_of_an_inclusion_list_is_a_part() -> None:
    got = claims(
        "Strikes on Nabatieh killed 61 people, including 17 children, 9 women and 4 medics, the ministry said.",
        title="Lebanon",
    )
    assert [(c.value, c.group, c.basis) for c in got] == [
        (61, None, "incident"),
        (17, "children", "incident"),
        (9, "women", "incident"),
        (4, "medics", "incident"),
    ]


def test_a_count_since_dawn_is_the_day_s_incident() -> None:
    got = claims("Medics said 41 people had been killed in Khan Younis since early morning, including 9 children.")
    assert [(c.value, c.basis, c.since) for c in got] == [(41, "incident", None), (9, "incident", None)]


def test_since_dawn_does_not_hide_a_stated_total() -> None:
    got = claims("Since dawn, the overall death toll in Gaza has climbed to 47,035, the ministry said.")
    assert [(c.value, c.basis) for c in got] == [(47035, "total")]


@pytest.mark.parametrize(
    "body",
    [
        "At least 26 aid workers have been killed in Darfur since the beginning of the year, a UN agency said.",
        "Since the start of this year, armed men have killed 26 aid workers and abducted 40 others in Darfur.",
    ],
)
def test_since_the_start_of_the_year(body: str) -> None:
    got = claims(body, title="Sudan", published="2025-05-02T08:00:00Z")
    assert got and {c.since for c in got} == {"2025-01-01"}


def test_a_fronted_since_governs_every_figure() -> None:
    got = claims(
        "Since March, militias have killed at least 75 people and driven more than 9,000 from their homes "
        "in Kenscoff, officials said.",
        title="Haiti",
        published="2025-06-02T08:00:00Z",
    )
    assert [(c.metric, c.since) for c in got] == [("killed", "2025-03-01"), ("displaced", "2025-03-01")]


def test_a_since_in_the_previous_figure_s_clause_is_not_the_next_one_s() -> None:
    got = claims(
        "Some 80,000 people have fled Ituri since October, the UN said, while around 1.1 million remain "
        "displaced in the province.",
        title="DR Congo",
        published="2025-06-02T08:00:00Z",
    )
    assert [(c.value, c.since) for c in got] == [(80000, "2024-10-01"), (1100000, "2022-03-28")]


def test_a_part_introduced_by_among_them_keeps_the_total_s_basis() -> None:
    got = claims(
        "At least 140 people have been killed since fighting broke out in Sweida on Tuesday, among them "
        "38 fighters, a monitor said.",
        title="Syria",
        published="2025-07-20T08:00:00Z",
    )
    assert [(c.value, c.basis, c.since) for c in got] == [(140, "total", "2025-07-15"), (38, "total", "2025-07-15")]


def test_the_whole_people_of_a_civil_war_country_is_no_group() -> None:
    got = claims("Fighting has displaced more than 2 million Sudanese, the UN said.", title="Sudan")
    assert [(c.metric, c.group) for c in got] == [("displaced", None)]
    got = claims("Israeli strikes have killed 3,200 Lebanese since October, the ministry said.", title="Lebanon")
    assert [(c.metric, c.group) for c in got] == [("killed", "Lebanese")]


def test_a_user_gazetteer_can_name_a_population(tmp_path: Path) -> None:
    user = tmp_path / "user.json"
    user.write_text(json.dumps({"conflicts": [{"slug": "sudan", "population": ["Rohingya"]}]}), encoding="utf-8")
    assert load_gazetteer(user).population["sudan"] == frozenset({"Sudanese", "Rohingya"})
    user.write_text(json.dumps({"conflicts": [{"slug": "sudan", "population": "Sudanese"}]}), encoding="utf-8")
    with pytest.raises(DataFileError):
        load_gazetteer(user)


def test_driven_from_their_homes_is_displacement() -> None:
    got = claims("Since June, gangs have killed 75 people and driven 9,000 residents from their homes.", title="Haiti")
    assert [c.metric for c in got] == ["killed", "displaced"]


def test_a_proper_plural_before_the_verb_is_a_counted_head() -> None:
    got = claims("Kyiv says about 180 North Koreans were wounded in Kursk last week.", title="Ukraine war")
    assert [(c.metric, c.value) for c in got] == [("injured", 180)]


@pytest.mark.parametrize(
    ("body", "groups"),
    [
        # a group noun right after "of them" is the part's own group
        ("Shelling of Kherson killed 14 people on Monday, six of them children.", [None, "children"]),
        # a part without a group noun is of the whole's group
        (
            "Russia holds about 8,000 Ukrainians prisoner, 1,500 of them in occupied Crimea.",
            ["Ukrainians", "Ukrainians"],
        ),
    ],
)
def test_the_group_of_a_part(body: str, groups: list[str | None]) -> None:
    assert [c.group for c in claims(body, title="Ukraine war")] == groups


def test_a_part_introduced_by_of_whom_has_its_own_predicate() -> None:
    got = claims("Some 59 hostages are still in Gaza, 24 of whom the army thinks are alive.")
    assert [c.metric for c in got] == ["hostages_held", "hostages_held"]
    got = claims("After Thursday's handover, 59 hostages are still in Gaza, 35 of whom the army says are dead.")
    assert [(c.metric, c.basis, c.attributed_to) for c in got] == [
        ("hostages_held", "total", None),
        ("hostages_dead", "total", "army"),
    ]


def test_a_participle_after_the_trigger_is_no_incident() -> None:
    got = claims(
        "Seoul believes 600 North Korean troops have been killed fighting alongside Russian forces.",
        title="Ukraine war",
    )
    assert [(c.metric, c.basis) for c in got] == [("killed", "total")]
    got = claims("Two soldiers were killed in fighting near Pokrovsk.", title="Ukraine war")
    assert [(c.metric, c.basis) for c in got] == [("killed", "incident")]


@pytest.mark.parametrize(
    "body",
    [
        "Nine in ten residents of Rafah have been displaced, the UN said.",
        "One in every five children in Gaza is malnourished, according to UNICEF.",
    ],
)
def test_a_share_is_no_count(body: str) -> None:
    assert all(c.value not in (9, 1) for c in claims(body))


def test_a_verb_after_an_event_noun_is_its_predicate() -> None:
    got = claims("At least 17 displaced people were killed when a strike hit a school in Gaza City.")
    assert [(c.metric, c.value) for c in got] == [("killed", 17)]


@pytest.mark.parametrize(
    ("body", "title", "metrics"),
    [
        ("About 350,000 refugees have returned to Kharkiv since the spring, officials said.", "Kharkiv", []),
        ("More than 1.2 million people have returned home since the truce, the IOM said.", "Lebanon", []),
        ("Under the deal, 4 hostages returned home on Saturday.", "Gaza", ["hostages_released"]),
        (
            "In the swap, 150 Ukrainian prisoners of war returned home, Kyiv said.",
            "Ukraine war",
            ["prisoners_released"],
        ),
    ],
)
def test_returnees_are_not_released_captives(body: str, title: str, metrics: list[str]) -> None:
    assert [c.metric for c in claims(body, title=title)] == metrics


def test_a_since_in_another_number_s_clause_is_not_the_figure_s() -> None:
    got = claims(
        "Some 200,000 refugees have gone back to Sudan since March, the UN said, while about 11 million "
        "people remain displaced inside the country.",
        title="Sudan",
        published="2025-06-02T08:00:00Z",
    )
    assert [(c.metric, c.value, c.since) for c in got] == [("displaced", 11000000, "2023-04-15")]


def test_wounded_who_are_evacuated_stay_wounded() -> None:
    got = claims("Some 40 wounded children were evacuated from Gaza through Rafah on Monday.")
    assert [c.metric for c in got] == ["injured"]


def test_a_term_shared_by_several_conflicts_is_weaker_evidence() -> None:
    got = claims(
        "Israeli jets struck an arms depot near Homs overnight, killing four soldiers, state media said.",
        title="Israeli raid in Syria",
    )
    assert [(c.conflict, c.metric, c.value) for c in got] == [("syria", "killed", 4)]


def test_a_toll_and_its_figure_across_an_attribution_aside() -> None:
    got = claims("The Lebanese death toll, the health ministry said on Friday, has climbed to 3,961.", title="Lebanon")
    assert [(c.metric, c.value, c.group, c.basis, c.attributed_to) for c in got] == [
        ("killed", 3961, "Lebanese", "total", "health ministry")
    ]


def test_an_aside_without_a_speech_verb_still_ends_the_clause() -> None:
    got = claims(
        "The fighting has killed more than 20,000 people since 2023, according to a monitor, and pushed "
        "millions into hunger.",
        title="Sudan war",
    )
    assert [(c.metric, c.value) for c in got] == [("killed", 20000)]


def test_the_group_named_before_the_trigger_of_a_bare_number() -> None:
    got = claims("The number of medics killed in Gaza since October 2023 has reached 1,580, the WHO said.")
    assert [(c.value, c.group, c.basis) for c in got] == [(1580, "medics", "total")]


def test_an_inverted_number_of_construction() -> None:
    got = claims(
        "Rebels seized three more UN workers on Sunday, raising to 19 the number of UN employees they hold.",
        title="Yemen",
    )
    assert [(c.metric, c.value, c.group, c.basis) for c in got] == [
        ("detained", 3, "aid_workers", "incident"),
        ("detained", 19, "aid_workers", "total"),
    ]


def test_peacekeepers_are_counted_but_are_not_the_conflict_s_soldiers() -> None:
    got = claims("Three Indonesian peacekeepers were wounded by shelling near Naqoura.", title="Lebanon")
    assert [(c.metric, c.value, c.group) for c in got] == [("injured", 3, None)]


@pytest.mark.parametrize(
    "body",
    [
        "A strike on a car near Tyre killed two men, one of them a local commander, the army said.",
        "A strike on a car near Tyre killed two men, one of them aged 70, the army said.",
    ],
)
def test_one_person_singled_out_of_a_figure_is_no_figure(body: str) -> None:
    assert [c.value for c in claims(body, title="Lebanon")] == [2]


def test_the_toll_of_an_earlier_war_is_not_this_conflict_s() -> None:
    got = claims(
        "The 2006 war killed about 1,200 people in Lebanon, while the current conflict has killed more than "
        "4,000, the ministry said.",
        title="Lebanon",
    )
    assert [c.value for c in got] == [4000]


@pytest.mark.parametrize(
    ("body", "title", "metric", "group"),
    [
        ("Rebels say they took 250 enemy soldiers prisoner near Lashio last month.", "Myanmar", "detained", "soldiers"),
        (
            "Gang members were taking 14 passengers hostage when police arrived in Kenscoff.",
            "Haiti",
            "hostages_held",
            None,
        ),
    ],
)
def test_a_verb_and_its_complement_around_the_counted_phrase(body: str, title: str, metric: str, group: str) -> None:
    got = claims(body, title=title)
    assert [(c.metric, c.group) for c in got] == [(metric, group)]


def test_a_sentence_opening_it_is_the_source_named_before() -> None:
    got = claims(
        "Shelling killed four people in Kherson on Sunday, the regional military administration said. "
        "It put the number of wounded at 11.",
        title="Kherson",
    )
    assert [(c.metric, c.attributed_to) for c in got] == [
        ("killed", "regional military administration"),
        ("injured", "regional military administration"),
    ]


def test_it_without_an_earlier_source_names_no_one() -> None:
    got = claims("It said 11 people were wounded in Kherson.", title="Kherson")
    assert [c.attributed_to for c in got] == [None]


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        (
            "Five people were killed and 18 others were hurt in the Russian attack on Odesa.",
            "Ukraine",
            [("killed", 5, None), ("injured", 18, None)],
        ),
        (
            "Three people died and 11 were injured in Russian shelling of Kherson.",
            "Ukraine",
            [("killed", 3, None), ("injured", 11, None)],
        ),
        (
            "The attack on the camp killed 56 people (including 17 children) and wounded 130, according to "
            "local activists in Sudan.",
            "Sudan",
            [("killed", 56, None), ("killed", 17, "children"), ("injured", 130, None)],
        ),
        (
            "The Syrian Democratic Forces said 12 of its fighters had been killed in clashes near Manbij.",
            "Syria",
            [("killed", 12, "fighters")],
        ),
        ("UNRWA said 258 of their staff had been killed in Gaza.", "Gaza", [("killed", 258, "aid_workers")]),
    ],
)
def test_a_conjoined_figure_with_its_own_verb_and_group(
    body: str, title: str, expected: list[tuple[str, float, str | None]]
) -> None:
    assert [(c.metric, c.value, c.group) for c in claims(body, title=title)] == expected


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            "According to figures released by the Gaza health ministry, 62,000 people have been killed in Gaza.",
            "Gaza health ministry",
        ),
        (
            "In all, 1,139 people were killed in the attack on Israel, according to an AFP tally based on Israeli "
            "figures.",
            "AFP tally",
        ),
    ],
)
def test_the_source_of_a_count_named_after_its_participle(body: str, source: str) -> None:
    assert [c.attributed_to for c in claims(body)] == [source]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "The General Staff said Ukrainian forces had eliminated 1,250 Russian invaders over the past day.",
            [("casualties", 1250, "incident", "soldiers", "General Staff")],
        ),
        (
            "Over the past day, Ukrainian defenders eliminated 1,040 Russian occupiers, bringing Russia's total "
            "personnel losses to approximately 386,150, according to the General Staff.",
            [
                ("casualties", 1040, "incident", "soldiers", "General Staff"),
                ("casualties", 386150, "total", "soldiers", "General Staff"),
            ],
        ),
        (
            "Russia's personnel losses in Ukraine have reached 850,000, the General Staff said. This number "
            "includes 1,200 casualties over the past day.",
            [
                ("casualties", 850000, "total", "soldiers", "General Staff"),
                ("casualties", 1200, "incident", "soldiers", "General Staff"),
            ],
        ),
        (
            "Russia has lost 776,010 troops in Ukraine since the start of the full-scale invasion, the General "
            "Staff said on Monday, including 1,230 over the past day.",
            [
                ("casualties", 776010, "total", "soldiers", "General Staff"),
                ("casualties", 1230, "incident", "soldiers", "General Staff"),
            ],
        ),
    ],
)
def test_general_staff_wording(body: str, expected: list[tuple[object, ...]]) -> None:
    got = claims(body, title="Ukraine")
    assert [(c.metric, c.value, c.basis, c.group, c.attributed_to) for c in got] == expected


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        (
            "The Israeli military said 16 soldiers were killed in fighting in Gaza this month, bringing its toll "
            "to 400.",
            "Gaza",
            [("killed", 16, "incident"), ("killed", 400, "total")],
        ),
        (
            "Ukraine's SBU said 10 civilians, aged between 20 and 65, were killed in the attack on Zaporizhzhia.",
            "Ukraine",
            [("killed", 10, "incident")],
        ),
    ],
)
def test_bringing_marks_a_total_and_an_age_aside_is_skipped(
    body: str, title: str, expected: list[tuple[object, ...]]
) -> None:
    assert [(c.metric, c.value, c.basis) for c in claims(body, title=title)] == expected


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        (
            "Over 90% of Gaza's population, about 1.9 million people, has been displaced.",
            "Gaza",
            [("displaced", 1_900_000, "total", None, None)],
        ),
        (
            "Over 3,000 people had been killed in the M23 offensive on Goma and Bukavu, the prime minister said.",
            "Congo",
            [("killed", 3000, "incident", None, None)],
        ),
        (
            "Three staff of the aid group Mercy Corps were killed in an attack in El Fasher.",
            "Sudan",
            [("killed", 3, "incident", "aid_workers", "El Fasher")],
        ),
        (
            "Attacks by the RSF on the Zamzam and Abu Shouk camps left more than 300 civilians dead, among them 10 "
            "employees of a UN agency, the UN said.",
            "Sudan",
            [("killed", 300, "incident", "civilians", None), ("killed", 10, "incident", "aid_workers", None)],
        ),
    ],
)
def test_apposition_offensive_on_places_and_aid_staff(
    body: str, title: str, expected: list[tuple[object, ...]]
) -> None:
    assert [(c.metric, c.value, c.basis, c.group, c.place) for c in claims(body, title=title)] == expected


def test_an_earlier_figure_of_the_series_has_its_own_day() -> None:
    got = claims(
        "The UN said on Monday that about 2,000 bodies had been collected from the streets of Goma, up from 900 "
        "it reported on Thursday.",
        published="2025-02-03T16:00:00Z",
        title="Goma",
    )
    assert [(c.metric, c.value, c.basis, c.place, c.attributed_to, c.as_of) for c in got] == [
        ("killed", 2000, "incident", "Goma", "UN", "2025-02-03"),
        ("killed", 900, "incident", "Goma", "UN", "2025-01-30"),
    ]


def test_a_toll_up_from_an_earlier_one_keeps_the_publication_day() -> None:
    got = claims(
        "The toll rose to 1,200, up from 900 on Thursday, the ministry said.", published="2025-03-04T10:00:00Z"
    )
    assert [(c.value, c.basis, c.as_of) for c in got] == [(1200, "total", "2025-03-04"), (900, "total", "2025-02-27")]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            "At least 150 Ukrainian children have been killed since 2022, BBC Russian and Mediazona said.",
            "BBC Russian and Mediazona",
        ),
        (
            "The Institute for Strategy and Policy-Myanmar said 88 people had been killed in air strikes in Myanmar.",
            "Institute for Strategy and Policy-Myanmar",
        ),
    ],
)
def test_two_names_joined_by_and_are_one_source(body: str, source: str) -> None:
    assert [c.attributed_to for c in claims(body, title="Ukraine")] == [source]


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        (
            "Thirteen people, including a 5-year-old girl, were killed when a bomb hit a market in Kyauktaw.",
            "Myanmar",
            [("killed", 13, "incident", None)],
        ),
        (
            "Russian attacks killed seven civilians and injured 29 others over the past day, officials said.",
            "Ukraine",
            [("killed", 7, "incident", "civilians"), ("injured", 29, "incident", "civilians")],
        ),
        (
            "Moscow says more than 100,000 people have had to leave their homes in the Kursk region.",
            "Russia",
            [("displaced", 100000, "total", None)],
        ),
        (
            "Thirteen foreign soldiers serving with UN and regional forces have been killed in the fighting around "
            "Goma.",
            "Congo",
            [("killed", 13, "incident", "soldiers")],
        ),
        (
            "Eight people kidnapped from an orphanage in Kenscoff, including an Irish missionary, were released "
            "unharmed, officials said.",
            "Haiti",
            [("hostages_released", 8, "incident", None)],
        ),
        (
            "Some 36 people kidnapped in March, were released on Monday in Haiti.",
            "Haiti",
            [("hostages_released", 36, "incident", None)],
        ),
    ],
)
def test_asides_others_and_participle_phrases(body: str, title: str, expected: list[tuple[object, ...]]) -> None:
    assert [(c.metric, c.value, c.basis, c.group) for c in claims(body, title=title)] == expected


def test_a_figure_a_day_after_the_day_told_is_of_the_day_before() -> None:
    got = claims(
        "Israeli strikes killed at least 40 people across Gaza on Saturday, a day after 35 were killed, medics said.",
        published="2025-03-04T10:00:00Z",
    )
    assert [(c.value, c.as_of) for c in got] == [(40, "2025-03-01"), (35, "2025-02-28")]


def test_a_breakdown_in_parentheses_gives_each_part_its_place() -> None:
    got = claims(
        "Israeli strikes killed 26 people in Gaza on Sunday (12 in Gaza City, 8 in Khan Younis and 6 in Rafah), "
        "medics said."
    )
    assert [(c.value, c.place) for c in got] == [
        (26, "Gaza Strip"),
        (12, "Gaza City"),
        (8, "Khan Younis"),
        (6, "Rafah"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Of the 251 people taken hostage on Oct. 7, 59 remain in Gaza, including 35 believed dead.",
        "Of the 251 hostages, 59 remain in Gaza, including 35 presumed dead.",
    ],
)
def test_a_fronted_whole_is_no_figure_and_its_parts_are(body: str) -> None:
    got = claims(body, published="2025-03-04T10:00:00Z")
    assert [(c.metric, c.value, c.basis, c.as_of) for c in got] == [
        ("hostages_held", 59, "total", "2025-03-04"),
        ("hostages_dead", 35, "total", "2025-03-04"),
    ]


@pytest.mark.parametrize(
    ("body", "source"),
    [
        (
            "Seven aid workers with World Central Kitchen were killed in an Israeli strike in central Gaza on Monday "
            "night, the US-based charity said.",
            "World Central Kitchen",
        ),
        (
            "Mercy Corps said two of its staff were killed in Gaza. The US-based charity said 5 more were injured.",
            "Mercy Corps",
        ),
        (
            "The World Health Organization said more than 460 patients were killed at a hospital in El Fasher.",
            "World Health Organization",
        ),
    ],
)
def test_a_source_described_after_it_was_named(body: str, source: str) -> None:
    assert [c.attributed_to for c in claims(body)][-1:] == [source]


def test_since_after_a_superlative_starts_no_total() -> None:
    got = claims(
        "Israeli strikes across Lebanon killed 558 people on Monday, including 50 children, in the deadliest day "
        "since 2006.",
        title="Lebanon",
    )
    assert [(c.value, c.basis, c.since) for c in got] == [(558, "incident", None), (50, "incident", None)]


@pytest.mark.parametrize(
    "body",
    [
        "Ukraine's air force said Russia fired 40 drones overnight, of which 25 were shot down.",
        "The 3-day truce in Gaza began on Friday.",
        "The UN Security Council adopted Resolution 2728 on Gaza by 14 votes to zero.",
        "Settlers attacked cars on Route 60 in the West Bank.",
        "Ukraine's Brigade 35 said it had held its positions near Pokrovsk.",
        "Negotiators in Gaza talks have yet to agree on phase two.",
        "Ukraine received the first F-16s from the Netherlands.",
        "Hamas marked the anniversary of the Oct. 7 attacks in Gaza.",
        "Talks on Gaza resumed on the 7th.",
        "The woman, 34, was killed in Khan Younis along with her two sons.",
        "Israel has paid $45 million to Gaza hospitals, a 20% increase.",
        "A 40-year-old man was killed in an Israeli strike in Gaza.",
        "The Russian attack killed a 74-year-old woman in Kherson.",
        "Russia launched 267 drones and three missiles overnight, Ukraine's air force said.",
        "Israel's military said it struck 100 targets in Gaza in 24 hours.",
        "Russian forces have advanced 4,000 square kilometres in Ukraine this year.",
        "The vote in the Knesset on Gaza passed 68-44.",
        "At least 70 per cent of the dead in Gaza were women and children, the UN said.",
        "Ukraine's 47th Brigade said it repelled 12 assaults near Pokrovsk.",
        "The UN appealed for $4.2 billion to help 21 million people in Sudan.",
        "Only 5 of Gaza's 36 hospitals are partially functioning.",
        "The Ukrainian parliament voted 257-8 to extend martial law for 90 days.",
        "Cholera has killed 1,500 people in Sudan.",
        "The Houthis fired 2 ballistic missiles at Israel from Yemen.",
        "Israel's 2014 operation in Gaza killed 2,251 Palestinians.",
        "Some 2,000 Israeli troops took part in the operation in Jenin.",
        "The war in Gaza entered its 500th day on Monday.",
        "Ukraine's SBU said it had destroyed 5 Russian tanks near Kursk.",
        "The M23 seized Goma, a city of 2 million people, in January.",
        "Israel's Iron Dome intercepted 90% of the 180 missiles fired by Iran.",
    ],
)
def test_numbers_that_count_no_people_in_wire_copy(body: str) -> None:
    """Drones, votes, resolutions, routes, units, phases, ages, money, shares, years and an earlier war."""
    assert claims(body, title="news") == []


def test_aid_trucks_that_cross_into_a_place_enter_it() -> None:
    got = claims("Upwards of 950 aid trucks crossed into the Gaza Strip on Sunday, COGAT said.")
    assert [(c.metric, c.value, c.qualifier, c.attributed_to) for c in got] == [
        ("aid_trucks", 950, "more_than", "COGAT")
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Israeli air strikes killed 17 people, medics said, while 3 more died of their wounds.",
            [("killed", 17, "exact", "incident"), ("killed", 3, "exact", "incident")],
        ),
        (
            "About 1,200 people were killed and 251 taken hostage in the attack on Israel, according to Israeli "
            "tallies.",
            [("killed", 1200, "about", "incident"), ("hostages_held", 251, "exact", "incident")],
        ),
    ],
)
def test_a_bare_number_before_its_verb_and_about_is_not_carried(body: str, expected: list[tuple[object, ...]]) -> None:
    assert [(c.metric, c.value, c.qualifier, c.basis) for c in claims(body)] == expected


def test_a_yearless_day_that_names_the_opening_attack_is_the_conflict_start() -> None:
    got = claims(
        "In all, 1,139 people were killed in the Oct. 7 attack, according to an AFP tally.",
        published="2025-03-04T10:00:00Z",
    )
    assert [(c.value, c.as_of) for c in got] == [(1139, "2023-10-07")]


@pytest.mark.parametrize(
    ("body", "basis"),
    [
        ("Ukraine says it has captured two North Korean soldiers in Russia's Kursk region.", "incident"),
        ("Hamas has released three hostages in Gaza.", "incident"),
        ("Four swaps have freed 18 hostages from Gaza.", "total"),
        ("Ukraine says it has captured about 5 North Korean soldiers since they arrived in Kursk.", "total"),
    ],
)
def test_a_handful_in_the_perfect_is_one_event(body: str, basis: str) -> None:
    assert [c.basis for c in claims(body, title="news")] == [basis]


def test_the_missing_of_an_incident_toll_are_the_incident_s() -> None:
    got = claims(
        "The death toll from Saturday's missile strike on an apartment building in Dnipro rose to 45 on Tuesday, "
        "with 20 people still missing, the regional administration said.",
        title="Ukraine",
    )
    assert [(c.metric, c.value, c.basis, c.since) for c in got] == [
        ("killed", 45, "incident", None),
        ("missing", 20, "incident", None),
    ]


def test_a_day_after_coordinated_figures_dates_both() -> None:
    got = claims(
        "Russian strikes killed two people and wounded 16 in Zaporizhzhia on Saturday, Governor Ivan Fedorov said.",
        published="2025-03-04T10:00:00Z",
        title="Ukraine",
    )
    assert [(c.value, c.as_of) for c in got] == [(2, "2025-03-01"), (16, "2025-03-01")]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Between 7 October 2023 and 15 January 2025, at least 46,600 Palestinians were killed in Gaza, according "
            "to the Ministry of Health.",
            [(46600, "total", "2023-10-07", "2025-01-15")],
        ),
        # a period that does not start with the war is that period's own count
        (
            "Between 1 March and 7 March, 120 people were killed in Gaza, OCHA said.",
            [(120, "incident", None, "2025-03-01")],
        ),
    ],
)
def test_a_period_from_the_conflict_start_is_its_running_total(body: str, expected: list[tuple[object, ...]]) -> None:
    got = claims(body, published="2025-03-04T10:00:00Z")
    assert [(c.value, c.basis, c.since, c.as_of) for c in got] == expected


def test_figures_under_a_label() -> None:
    got = claims("Killed: 46,600 (including 17,000 children). Injured: 110,000.")
    assert [(c.metric, c.value, c.group) for c in got] == [
        ("killed", 46600, None),
        ("killed", 17000, "children"),
        ("injured", 110000, None),
    ]
    assert [(c.metric, c.value) for c in claims("Death toll: 12", title="Kharkiv strike")] == [("killed", 12)]


@pytest.mark.parametrize(
    ("body", "group"),
    [
        ("UNRWA said 258 of its staff had been killed in Gaza.", "aid_workers"),
        ("The Israeli army said 3 of its personnel were killed in Gaza.", None),
    ],
)
def test_staff_of_an_aid_organisation_named_as_the_owner(body: str, group: str | None) -> None:
    assert [c.group for c in claims(body)] == [group]


@pytest.mark.parametrize(
    ("body", "basis"),
    [
        (
            "Israel's offensive has killed more than 48,000 Palestinians, according to Gaza's Health Ministry, which "
            "does not distinguish between civilians and combatants in its count.",
            "total",
        ),
        ("Gang violence killed 1,520 people in Haiti between April and June, the UN said.", "incident"),
    ],
)
def test_between_names_a_period_only_before_a_date(body: str, basis: str) -> None:
    assert [c.basis for c in claims(body, title="news")] == [basis]


def test_the_opening_attack_boilerplate() -> None:
    got = claims(
        "The war began when Hamas-led militants stormed into southern Israel on Oct. 7, 2023, killing some 1,200 "
        "people and abducting 251."
    )
    assert [(c.metric, c.value, c.qualifier, c.basis, c.as_of) for c in got] == [
        ("killed", 1200, "about", "incident", "2023-10-07"),
        ("hostages_held", 251, "exact", "incident", "2023-10-07"),
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Gaza: 3 journalists among 11 killed in strike.", [("killed", 3, "journalists"), ("killed", 11, None)]),
        ("Around 30 were hospitalized after the attack in Gaza.", [("injured", 30, None)]),
    ],
)
def test_a_part_before_its_whole_and_hospitalized(body: str, expected: list[tuple[object, ...]]) -> None:
    assert [(c.metric, c.value, c.group) for c in claims(body, title="news")] == expected


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("An Israeli strike on a residential building in central Beirut killed 22 people.", "Beirut"),
        ("Shelling killed four people in the southern Gaza Strip on Monday, medics said.", "Gaza Strip"),
            ("Shelling killed four people in the northern Gaza Strip on Monday, medics said.", "North Gaza"),
        ("Russian shelling killed two civilians in southern Kherson, the governor said.", "Kherson"),
        ("A drone strike killed three people in north-eastern Syria, a monitor said.", "Syria"),
    ],
)
def test_a_place_after_a_locative_and_its_adjectives(body: str, place: str) -> None:
    [claim] = claims(body, title="War")
    assert claim.place == place


def test_a_stated_reference_day_dates_the_figure_rather_than_the_statement_day() -> None:
    body = (
        "The UN monitoring mission said on Tuesday that as of May 31, at least 600 children had been killed "
        "in Ukraine since February 2022."
    )
    [claim] = claims(body, published="2024-06-04T09:00:00Z", title="Ukraine")
    assert (claim.as_of, claim.since, claim.value, claim.qualifier) == ("2024-05-31", "2022-02-24", 600, "at_least")
    # without a reference day the statement's day stands
    [said] = claims("Kyiv's governor said on Tuesday that 12 people had been killed in the attack.", title="Ukraine",
                    published="2024-06-05T09:00:00Z")
    assert said.as_of == "2024-06-04"


@pytest.mark.parametrize(
    "body",
    [
        "The toll amounts to roughly 2% of Gaza's prewar population of about 2.3 million.",
        "Khan Younis, a city of 400,000 people, was hit again on Monday.",
        "The strip, home to 2.3 million people, has been under siege since the war began.",
    ],
)
def test_a_population_is_no_figure(body: str) -> None:
    assert claims(body) == []


def test_officials_in_a_named_place_are_the_source() -> None:
    [claim] = claims("Health officials in the Gaza Strip say the death toll has topped 45,000 people.")
    assert (claim.value, claim.qualifier) == (45000, "more_than")
    assert claim.attributed_to == "Health officials in the Gaza Strip"


def test_initialisms_stay_in_sources_and_sentences() -> None:
    body = (
        "U.N. officials said 12 aid workers had been killed in Gaza since the war began. The U.N. Security "
        "Council said on Monday that 30 people were killed in Rafah, according to U.N. estimates."
    )
    first, second = claims(body)
    assert (first.value, first.attributed_to) == (12, "U.N. officials")
    assert second.sentence.startswith("The U.N. Security Council") and second.value == 30


def test_wire_spellings_of_darfur_towns() -> None:
    [claim] = claims("The WHO said 460 people were killed in a hospital in el-Fasher on Tuesday.", title="Sudan")
    assert (claim.conflict, claim.place) == ("sudan", "El Fasher")


def test_a_verb_on_a_record_is_not_the_figures_trigger() -> None:
    body = "The Arakan Army released the names of 26 Muslim villagers it said were killed in the attack in Rakhine."
    [claim] = claims(body, title="Myanmar")
    assert (claim.metric, claim.value) == ("killed", 26)
    # the figure's own predicate still counts: 33 hostages "to be freed" is a planned release
    [planned] = claims("Hamas released the names of 33 hostages to be freed in the first phase.")
    assert (planned.metric, planned.value, planned.modality) == ("hostages_released", 33, "planned")


def test_a_figure_of_speech_is_no_figure() -> None:
    body = "The city's estimated four million people are practically being held hostage by gangs, the UN said."
    assert claims(body, title="Haiti") == []
    [held] = claims("Gangs are holding 17 missionaries hostage near Port-au-Prince, police said.", title="Haiti")
    assert (held.metric, held.value) == ("hostages_held", 17)


def test_a_source_behind_a_documenting_participle_after_according_to() -> None:
    body = (
        "According to the latest figures documented by the UN Human Rights Office, at least 3,661 people have "
        "been killed in Haiti this year."
    )
    [claim] = claims(body, title="Haiti")
    assert claim.attributed_to == "UN Human Rights Office" and claim.value == 3661


def test_the_day_of_a_revision_is_no_incident() -> None:
    body = (
        "The health ministry in Gaza revised its count of people killed in the war down to 47,487 on Monday, "
        "saying a review had found duplicated records."
    )
    [claim] = claims(body, published="2025-02-04T10:00:00Z")
    assert (claim.value, claim.basis, claim.since, claim.as_of, claim.revision) == (
        47487, "total", "2023-10-07", "2025-02-03", True
    )


def test_a_part_with_a_predicate_of_its_own_that_counts_no_one_is_no_figure() -> None:
    body = (
        "At least 2,900 bodies have been collected from the streets of Goma, and about 2,000 of them have been "
        "buried, the UN humanitarian office said."
    )
    assert [(c.metric, c.value) for c in claims(body, title="Congo")] == [("killed", 2900)]
    held = claims("Israel is holding 9,700 Palestinians, 3,300 of them in administrative detention.")
    assert [(c.metric, c.value, c.group) for c in held] == [
        ("detained", 9700, "Palestinians"),
        ("detained", 3300, "Palestinians"),
    ]


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        # a campaign as the subject of a perfect counts its running total
        (
            "Israeli airstrikes have killed more than 41,000 Palestinians in Gaza, according to the health ministry.",
            "Gaza",
            ("killed", 41000, "total", "2023-10-07", None),
        ),
        (
            "The attacks have killed 2,890 children across Ukraine.",
            "Ukraine",
            ("killed", 2890, "total", "2022-02-24", None),
        ),
        (
            "Russian drone and missile strikes have driven 1.4 million people from their homes.",
            "Ukraine",
            ("displaced", 1_400_000, "total", "2022-02-24", None),
        ),
        (
            "The fighting has killed over 9,000 people in the east.",
            "Congo",
            ("killed", 9000, "total", "2022-03-28", None),
        ),
        # a period of its own keeps it an incident
        (
            "Israeli strikes overnight have killed 37 people in Gaza.",
            "Gaza",
            ("killed", 37, "incident", None, "Gaza Strip"),
        ),
        (
            "Russian attacks have killed 14 civilians in Ukraine in the past 24 hours.",
            "Ukraine",
            ("killed", 14, "incident", None, "Ukraine"),
        ),
        (
            "Israeli strikes have killed 70 people in Gaza in March.",
            "Gaza",
            ("killed", 70, "incident", None, "Gaza Strip"),
        ),
        # a battle for one town, a single strike, and a campaign that is not the subject stay incidents
        ("Fighting around Bunia has left at least 60 people dead.", "Congo", ("killed", 60, "incident", None, "Bunia")),
        (
            "A Russian missile strike has killed 21 people in Ukraine.",
            "Ukraine",
            ("killed", 21, "incident", None, "Ukraine"),
        ),
        (
            "Paramilitaries have killed 45 villagers in attacks on farming villages in Gezira state.",
            "Sudan",
            ("killed", 45, "incident", None, "Gezira"),
        ),
    ],
)
def test_a_campaign_in_the_perfect_counts_a_running_total(body: str, title: str, expected: tuple[object, ...]) -> None:
    [claim] = claims(body, title=title)
    assert (claim.metric, claim.value, claim.basis, claim.since, claim.place) == expected


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        # daily copy: attack nouns in the perfect with a count a day can hold report the day's toll
        (
            "Israeli airstrikes across the Gaza Strip have killed at least 27 people, hospital officials said Sunday.",
            "Gaza",
            ("killed", 27, "incident", None, "Gaza Strip"),
        ),
        (
            "Israeli strikes on northern Gaza have killed at least 18 Palestinians, among them a medic, doctors say.",
            "Gaza",
            ("killed", 18, "incident", None, "North Gaza"),
        ),
        (
            "Russian shelling has killed 14 civilians in Ukraine, the regional governor said.",
            "Ukraine",
            ("killed", 14, "incident", None, "Ukraine"),
        ),
        (
            "The clashes have killed hundreds of people, officials said.",
            "Sudan",
            ("killed", 500, "incident", None, None),
        ),
        # a count beyond any day's toll is the campaign's
        (
            "Russian missile and drone attacks have killed more than 12,000 civilians, UN monitors say.",
            "Ukraine",
            ("killed", 12000, "total", "2022-02-24", None),
        ),
        # a war noun names the whole campaign, whatever the count and the event words in an aside
        (
            "Israel's offensive has killed more than 45,000 Palestinians, mostly women and children.",
            "Gaza",
            ("killed", 45000, "total", "2023-10-07", None),
        ),
        (
            "The war, which began with an attack on army bases, has killed about 150 people, aid groups say.",
            "Sudan",
            ("killed", 150, "total", "2023-04-15", None),
        ),
        # ... unless the sentence names a period of its own
        (
            "The offensive has killed 120 people across Gaza in the past 24 hours, the ministry said.",
            "Gaza",
            ("killed", 120, "incident", None, "Gaza Strip"),
        ),
    ],
)
def test_the_subject_noun_and_the_count_tell_a_day_s_toll_from_a_campaign_s(
    body: str, title: str, expected: tuple[object, ...]
) -> None:
    [claim] = claims(body, title=title)
    assert (claim.metric, claim.value, claim.basis, claim.since, claim.place) == expected


def test_a_war_noun_before_an_aside_that_names_the_opening_day_is_the_subject() -> None:
    # the day the conflict began names its start: no period of the figure's own, and no as-of day of the total
    [claim] = claims(
        "Israel's offensive, begun after the Hamas raid of Oct. 7, 2023, has killed more than 46,000 Palestinians, "
        "the ministry says.",
        published="2025-01-20T10:00:00Z",
    )
    assert (claim.basis, claim.since, claim.as_of, claim.group) == ("total", "2023-10-07", "2025-01-20", "Palestinians")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        # every counted member of a list after the verb is a figure of that verb, with its own group
        (
            "The blast killed two men, a woman and four children, rescuers said.",
            [("killed", 2, None), ("killed", 4, "children")],
        ),
        (
            "Tank fire killed 9 women, 6 children and 2 men in the camp.",
            [("killed", 9, "women"), ("killed", 6, "children"), ("killed", 2, None)],
        ),
        # a member with a verb of its own is no member of the list
        (
            "Following the release of two women, 61 hostages remain in Gaza.",
            [("hostages_released", 2, "women"), ("hostages_held", 61, None)],
        ),
        # people shot while seeking food are counted
        ("Soldiers killed 14 aid seekers near a food hub, the hospital said.", [("killed", 14, None)]),
        ("Medics counted 17 dead on Monday, nine of them food-seekers.", [("killed", 17, None), ("killed", 9, None)]),
    ],
)
def test_lists_of_counted_nouns_and_aid_seekers(body: str, expected: list[tuple[object, ...]]) -> None:
    assert [(c.metric, c.value, c.group) for c in claims(body)] == expected


@pytest.mark.parametrize(
    ("body", "source"),
    [
        # a relative clause after the source is not the source
        ("Officials who briefed journalists said 16 people were killed in Kharkiv.", "Officials"),
        ("Medics who reached the site said 9 people died.", "Medics"),
        # nor is an aside between the source and its verb
        ("Police, speaking without being named, said 8 people were killed in Odesa.", "Police"),
        (
            "A local official, who asked not to be identified because he had no permission to talk, said 31 died.",
            "local official",
        ),
        ("The regional governor, Ivan Petrenko, said 4 people were wounded.", "regional governor"),
        # what describes an unnamed source, and a count of them, are not its name
        ("Three officials familiar with the exchange said 95 prisoners were freed.", "officials"),
        ("Villagers reached by telephone said 11 people were killed.", "Villagers"),
        # a passive before the comma does not make the verb after it one
        ("In Sumy, 6 people were killed, said the governor.", "governor"),
    ],
)
def test_a_source_is_named_before_its_relative_clause_or_aside(body: str, source: str) -> None:
    [claim] = claims(body, title="Ukraine")
    assert claim.attributed_to == source


def test_the_day_right_after_a_speech_verb_is_the_statement_s() -> None:
    # "officials said Saturday" with no "on" dates the statement, not an incident: a perfect stays a running total
    [freed] = claims("Hamas has freed 38 hostages, mediators said Saturday.", published="2025-02-10T09:00:00Z")
    assert (freed.metric, freed.basis, freed.since, freed.as_of) == (
        "hostages_released",
        "total",
        "2023-10-07",
        "2025-02-08",
    )
    [held] = claims("Israel has detained about 9,400 Palestinians, a prisoners' group told reporters Monday.")
    assert (held.metric, held.basis, held.group) == ("detained", "total", "Palestinians")


@pytest.mark.parametrize(
    ("body", "title", "expected"),
    [
        # released by an armed group: hostages, with no hostage word in the sentence
        (
            "Hamas freed two Israeli soldiers and a farmer's daughter on Thursday.",
            "Gaza",
            [("hostages_released", 2, "soldiers")],
        ),
        (
            "Six aid workers were freed by gunmen near Port-au-Prince on Monday.",
            "Haiti",
            [("hostages_released", 6, "aid_workers")],
        ),
        # released by a state: prisoners
        (
            "Israel released 110 Palestinian detainees from Ofer prison.",
            "Gaza",
            [("prisoners_released", 110, "Palestinians")],
        ),
        # a swap: each side is of the other class than the one named on the other side
        (
            "Israel freed 183 Palestinians in exchange for three Israeli hostages.",
            "Gaza",
            [("prisoners_released", 183, "Palestinians"), ("hostages_released", 3, "Israelis")],
        ),
        (
            "Hamas handed over four captives in exchange for 200 Palestinians.",
            "Gaza",
            [("hostages_released", 4, None), ("prisoners_released", 200, "Palestinians")],
        ),
    ],
)
def test_who_releases_and_the_swap_say_hostages_or_prisoners(
    body: str, title: str, expected: list[tuple[object, ...]]
) -> None:
    assert [(c.metric, c.value, c.group) for c in claims(body, title=title)] == expected


def test_a_release_under_a_deal_is_its_planned_total() -> None:
    body = (
        "The accord provides for the release of 40 women and children held by Hamas in exchange for 120 "
        "Palestinian women and teenagers held in Israeli prisons."
    )
    got = claims(body, published="2023-11-23T08:00:00Z")
    assert [(c.metric, c.value, c.group, c.modality, c.basis, c.since) for c in got] == [
        ("hostages_released", 40, None, "planned", "total", "2023-10-07"),
        ("prisoners_released", 120, "Palestinians", "planned", "total", "2023-10-07"),
    ]
    # the day of one release under the deal keeps it an incident
    [one] = claims("Under the truce, Hamas is to free four hostages on Saturday.", published="2025-01-23T08:00:00Z")
    assert (one.metric, one.modality, one.basis, one.as_of) == (
        "hostages_released",
        "planned",
        "incident",
        "2025-01-18",
    )


def test_a_particle_that_ends_the_trigger_is_no_hedge() -> None:
    [handed] = claims("Hamas handed over five hostages to the Red Cross in Khan Younis on Thursday.")
    assert (handed.metric, handed.value, handed.qualifier, handed.low, handed.high) == (
        "hostages_released",
        5,
        "exact",
        5,
        5,
    )
    [hedged] = claims("Hamas has handed over more than 30 hostages since the truce began.")
    assert (hedged.value, hedged.qualifier, hedged.basis) == (30, "more_than", "total")


@pytest.mark.parametrize(
    ("when", "as_of"),
    [
        ("yesterday", "2025-01-21"),
        ("the day before yesterday", "2025-01-20"),
        ("last night", "2025-01-21"),
        ("last week", "2025-01-19"),  # the Sunday that ends the week before publication's
        ("on Thursday last week", "2025-01-16"),
        ("last Wednesday", "2025-01-15"),  # published on a Wednesday: a week before
        ("earlier this week", "2025-01-21"),
        ("last month", "2024-12-31"),
    ],
)
def test_a_relative_period_dates_a_figure_to_its_last_day(when: str, as_of: str) -> None:
    # published on Wednesday 22 January 2025
    [claim] = claims(f"Shelling killed 16 people in Khan Younis {when}.", published="2025-01-22T09:00:00Z")
    assert (claim.metric, claim.value, claim.basis, claim.as_of) == ("killed", 16, "incident", as_of)


def test_a_relative_period_after_since_starts_the_total_and_the_past_week_is_no_date() -> None:
    [since] = claims("At least 230 people have been killed in Gaza since last week.", published="2025-01-22T09:00:00Z")
    assert (since.basis, since.since, since.as_of) == ("total", "2025-01-13", "2025-01-22")
    [month] = claims("Hamas has freed 14 hostages since last month.", published="2025-01-22T09:00:00Z")
    assert (month.basis, month.since) == ("total", "2024-12-01")
    [past] = claims("In the last week, strikes killed 88 people in Rafah.", published="2025-01-22T09:00:00Z")
    assert past.as_of == "2025-01-22"


def test_a_statement_made_last_week_is_attributed_and_dated() -> None:
    [claim] = claims(
        "Some 610 people were wounded in Rafah, the health ministry in Gaza said last week.",
        published="2025-01-22T09:00:00Z",
    )
    assert (claim.metric, claim.attributed_to, claim.as_of) == ("injured", "Gaza health ministry", "2025-01-19")


@pytest.mark.parametrize(
    "body",
    [
        # the source is named in a sentence that states no figure, or none that is a count of people
        "The health ministry in Gaza warned on Sunday that hospitals were collapsing. It said 52 people were killed.",
        "The health ministry in Gaza said three hospitals were shelled on Sunday. It said 52 people were killed.",
        "Gaza's health ministry reported that hospitals were overwhelmed. The ministry said 52 people were killed.",
    ],
)
def test_a_source_named_in_a_sentence_without_claims_is_remembered(body: str) -> None:
    [claim] = claims(body)
    assert (claim.metric, claim.value, claim.attributed_to) == ("killed", 52, "Gaza health ministry")


def test_a_source_named_with_a_figure_supersedes_one_named_before() -> None:
    body = (
        "The Israeli military said it was investigating. Gaza's health ministry said 30 people were killed in Rafah. "
        "It said 70 others were wounded."
    )
    assert [(c.metric, c.attributed_to) for c in claims(body)] == [
        ("killed", "Gaza health ministry"),
        ("injured", "Gaza health ministry"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "The WHO said at least 35 patients died in hospitals in Gaza City.",
        "At least 35 patients died in hospitals in Gaza City, the WHO said.",
        "According to the WHO, at least 35 patients died in hospitals in Gaza City.",
    ],
)
def test_an_acronym_in_capitals_is_a_name_not_a_pronoun(body: str) -> None:
    [claim] = claims(body)
    assert (claim.metric, claim.value, claim.attributed_to) == ("killed", 35, "World Health Organization")


def test_a_counted_part_in_a_comma_aside_does_not_cut_the_whole_from_its_verb() -> None:
    body = "At least 27 people, eleven of them children, were killed in strikes on Jabalia, medics said."
    assert [(c.metric, c.value, c.group, c.attributed_to) for c in claims(body)] == [
        ("killed", 27, None, "medics"),
        ("killed", 11, "children", "medics"),
    ]


def series(claim: Claim) -> tuple[object, ...]:
    """The fields of a claim that make its ledger series (the period is since for a total, as_of for an incident)."""
    period = claim.since if claim.basis == "total" else claim.as_of
    return (claim.conflict, claim.metric, claim.group, claim.place, claim.modality, claim.basis, period)


@pytest.mark.parametrize(
    ("body", "place"),
    [
        ("Russian drones killed four people in Ukraine's Sumy region overnight, the governor said.", "Sumy"),
        ("An Israeli drone killed two men in Lebanon's Bekaa Valley on Friday.", "Bekaa Valley"),
        ("Shelling killed nine civilians in Sudan's North Kordofan state, medics said.", "Kordofan"),
        ("Clashes have killed 40 people in Syria's Druze-majority Sweida province, a monitor said.", "Sweida"),
        ("Troops detained 30 villagers in Sagaing's Myinmu township, residents told Myanmar Now.", "Sagaing"),
        ("Nine villagers were killed in the Myanmar military air strike on Monday.", None),
        ("The battle for Goma killed 650 people and injured 2,500, the UN said.", "Goma"),
        ("About 6 million people are displaced in eastern Congo, the UN says.", "DR Congo"),
    ],
)
def test_a_possessive_place_names_the_place_it_owns_and_a_place_before_a_noun_acts(body: str, place: str) -> None:
    got = claims(body, title="")
    assert got and got[0].place == place


def test_a_capitalized_speech_verb_is_part_of_a_name_and_a_nameless_according_to_lets_a_verb_name_the_source() -> (
    None
):
    got = claims("The Houthis said three people died in raids on Hodeidah that they blamed on the United States.")
    assert [c.attributed_to for c in got] == ["Houthis"]
    got = claims(
        "Congo's government spokesman Jean Mukendi said on Sunday that 640 people had been killed in the fighting "
        "for Goma, according to figures compiled from morgues."
    )
    assert [c.attributed_to for c in got] == ["Congolese government"]


def test_reports_of_one_regional_toll_worded_two_ways_meet_in_one_series() -> None:
    one = claims("Russian missiles killed five people in Ukraine's Dnipro region on Tuesday, officials said.")
    two = claims("A missile strike on Dnipro on Tuesday killed five people, the regional governor said.")
    assert len(one) == len(two) == 1 and series(one[0]) == series(two[0])


@pytest.mark.parametrize(
    ("body", "group"),
    [
        ("A Russian glide bomb killed one man in Zaporizhzhia on Monday, the governor said.", None),
        ("A drone strike killed one soldier near the Lebanese border, the army said.", "soldiers"),
        ("One journalist was killed by RSF shelling in El Fasher, a press union said.", "journalists"),
        ("Gang gunfire killed one girl in Port-au-Prince on Sunday, police said.", "children"),
        ("An air strike killed one medic in Kharkiv, the regional governor said.", "medics"),
    ],
)
def test_a_singular_counted_noun_is_a_figure_of_one(body: str, group: str | None) -> None:
    got = claims(body, title="")
    assert [(c.metric, c.value, c.group) for c in got] == [("killed", 1, group)]


def test_a_start_day_beside_the_conflict_s_start_names_it() -> None:
    one = claims("Israeli attacks on Lebanon have killed 4,100 people since Oct. 7, 2023, the minister said.", title="")
    two = claims("More than 4,100 people have been killed in Lebanon since October 2023, officials said.", title="")
    three = claims("The health ministry says 4,100 people have been killed in Lebanon since October 8, 2023.", title="")
    assert {series(c[0]) for c in (one, two, three)} == {
        ("israel-hezbollah", "killed", None, None, "reported", "total", "2023-10-08")
    }


def test_the_first_months_of_a_year_count_from_its_first_day() -> None:
    got = claims(
        "Some 550,000 people were displaced in Haiti in the first six months of 2024 and 1,100 were injured, "
        "the UN said.",
        title="",
    )
    assert [(c.metric, c.basis, c.since) for c in got] == [
        ("displaced", "total", "2024-01-01"),
        ("injured", "total", "2024-01-01"),
    ]
    other = claims("Gang violence injured 1,100 people in Haiti in 2024, the UN said.", title="")
    assert series(other[0]) == series(got[1])


def test_a_casualty_figure_broken_down_gives_parts_of_its_total() -> None:
    for body in (
        "The UN monitoring mission has verified 31,000 civilian casualties in Ukraine, 11,000 killed and 20,000 "
        "injured.",
        "The UN monitoring mission has verified 31,000 civilian casualties in Ukraine - 11,000 killed and 20,000 "
        "injured.",
    ):
        got = claims(body, title="")
        assert [(c.metric, c.value, c.group, c.place, c.basis) for c in got] == [
            ("casualties", 31000, "civilians", None, "total"),
            ("killed", 11000, "civilians", None, "total"),
            ("injured", 20000, "civilians", None, "total"),
        ]
    other = claims("UN monitors say 11,000 civilians have been killed in Ukraine since the invasion.", title="")
    assert series(other[0]) == series(got[1])


def test_people_counted_abroad_have_no_place_of_the_people_counted_at_home() -> None:
    got = claims(
        "About 3.6 million people are displaced inside Ukraine, the IOM said, while some 6.8 million are "
        "refugees abroad.",
        title="",
    )
    assert [(c.value, c.place) for c in got] == [(3_600_000, "Ukraine"), (6_800_000, None)]
    other = claims("Some 6.8 million refugees from Ukraine are recorded worldwide, UNHCR says.", title="")
    assert series(other[0]) == series(got[1])


def test_the_comma_that_closes_a_dated_year_breaks_no_clause() -> None:
    body = "The civilian death toll from the coup of February 1, 2021, has reached 6,200, a rights group said."
    got = claims(body, title="Myanmar")
    assert [(c.metric, c.value, c.basis, c.since) for c in got] == [("killed", 6200, "total", "2021-02-01")]
    got = claims("The ministry said 47,100 people had been killed in Gaza since October 7, 2023, and 111,000 wounded.")
    assert [(c.metric, c.basis, c.since) for c in got] == [
        ("killed", "total", "2023-10-07"),
        ("injured", "total", "2023-10-07"),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "Aid groups say the detentions in Saada make it harder to reach millions of people who rely on food aid.",
        "The arrests of UN staff have left agencies struggling to feed 500,000 families in the north of Yemen.",
    ],
)
def test_a_figure_after_an_infinitive_of_its_own_is_not_counted_by_a_trigger_before_it(body: str) -> None:
    assert claims(body, title="Yemen Houthis") == []


def test_to_before_a_figure_after_a_change_verb_stays_a_preposition() -> None:
    got = claims("The death toll in Gaza has risen to just over 1,200, the health ministry said.")
    assert [(c.metric, c.value, c.qualifier) for c in got] == [("killed", 1200, "more_than")]
    got = claims("The number of people killed in the Rafah strike climbed to roughly 40, medics said.")
    assert [(c.metric, c.value, c.qualifier) for c in got] == [("killed", 40, "about")]


@pytest.mark.parametrize(
    "body",
    [
        "The army said it had killed dozens of fighters in Beit Lahia over the previous week.",
        "Officials said thousands of residents had fled toward Tawila in recent weeks.",
        "The Houthis said US strikes had killed 38 people in Hodeidah this week.",
    ],
)
def test_a_count_over_a_recent_period_is_an_incident(body: str) -> None:
    got = claims(body, title="Gaza Sudan El Fasher Yemen Houthis")
    assert got and all(c.basis == "incident" for c in got)


# -- what a headline figure means (docs/ledger.md) --------------------------------------------------


@pytest.mark.parametrize(
    ("headline", "expected"),
    [
        ("Gaza death toll hits 20,000", (20_000, 19_500, 20_999, "about")),
        ("Health ministry: Gaza death toll reaches 45,000", (45_000, 44_500, 45_999, "about")),
        ("Gaza death toll passes 23,000", (23_000, 23_001, None, "more_than")),
        ("Death toll in Gaza tops 40,000, health ministry says", (40_000, 40_001, None, "more_than")),
        ("Palestinian death toll crosses 30,000", (30_000, 30_001, None, "more_than")),
        ("Death toll in Gaza climbs past 25,000", (25_000, 25_001, None, "more_than")),
        ("Gaza's death toll nears 30,000", (30_000, 27_000, 30_000, "about")),
        ("Palestinian death toll in Gaza surpasses 30,000 - health ministry", (30_000, 30_001, None, "more_than")),
        ("Israel-Hamas war: 20,000 killed", (20_000, 19_500, 20_999, "about")),
        ("Gaza health ministry says 21,110 killed", (21_110, 21_110, 21_110, "exact")),
        ("The death toll in Gaza has risen to 23,210, the health ministry said.", (23_210, 23_210, 23_210, "exact")),
    ],
)
def test_a_headline_running_toll_says_how_exact_it_is(headline: str, expected: tuple[object, ...]) -> None:
    [claim] = claims(headline, title=headline)
    assert (claim.metric, claim.basis) == ("killed", "total")
    assert (claim.value, claim.low, claim.high, claim.qualifier) == expected


def test_a_round_number_stays_as_stated_where_it_is_no_restated_running_total() -> None:
    got = claims(
        "A strike on the camp killed 1,000 people, the ministry said on Tuesday. Under the deal, 2,000 prisoners "
        "are to be released. Some 1.9 million people remain displaced in Gaza."
    )
    assert [(c.basis, c.modality, c.low, c.high) for c in got] == [
        ("incident", "reported", 1000, 1000),  # one incident's count
        ("total", "planned", 2000, 2000),  # a deal's agreed number
        ("total", "reported", 1_710_000, 2_090_000),  # a stock, hedged by "some" only
    ]


def test_a_sentence_beyond_any_incident_s_toll_states_running_totals() -> None:
    got = claims(
        "The ministry says at least 4,047 people were killed and 16,638 wounded in Lebanon during more than a year "
        "of hostilities.",
        title="Lebanon",
    )
    assert [(c.metric, c.basis, c.since, c.place) for c in got] == [
        ("killed", "total", "2023-10-08", None),
        ("injured", "total", "2023-10-08", None),
    ]
    strike = claims("An Israeli strike killed 45 people in Rafah and wounded 12,000, officials said.")
    assert {c.basis for c in strike} == {"incident"}  # an incident named: its figures, however large


def test_body_and_sentence_read_bounds_are_settable() -> None:
    long_sentence = ("In a long account of the events of a terrible week in the south of the strip, medics said on "
                     "Tuesday that an Israeli strike killed 12 people in Khan Younis.")
    assert [c.value for c in EXTRACTOR.extract(item(long_sentence))] == [12]
    short_sentences = Extractor.from_files(max_sentence_chars=60)
    assert short_sentences.extract(item(long_sentence)) == [], "the figure lies past the 60th character"
    late = "Gaza. " + "Nothing to report. " * 20 + "An Israeli strike killed 12 people in Khan Younis on Tuesday."
    assert [c.value for c in EXTRACTOR.extract(item(late))] == [12]
    assert Extractor.from_files(max_body_chars=200).extract(item(late)) == [], "the figure lies past the 200th"


@pytest.mark.parametrize(("body", "published", "title", "since"), [
    # the war's start day without its year is the war's start, in any later year
    ("The Gaza health ministry said 56,000 people have been killed since October 7.", "2026-06-20T10:00:00Z",
     "Gaza", "2023-10-07"),
    ("The UN said 12,600 civilians have been killed in Ukraine since February 24.", "2025-03-20T10:00:00Z",
     "Ukraine war", "2022-02-24"),
    # any other yearless day is the latest such day, and a stated year is kept
    ("The Gaza health ministry said 137 people have been killed since June 5 in Rafah.", "2024-06-20T10:00:00Z",
     "Gaza", "2024-06-05"),
    ("Officials said 40 people have been killed in Rafah since October 7, 2025.", "2026-06-20T10:00:00Z",
     "Gaza", "2025-10-07"),
])
def test_a_yearless_start_on_the_wars_first_day_is_the_wars_start(body: str, published: str, title: str,
                                                                   since: str) -> None:
    [got] = claims(body, published=published, title=title)
    assert (got.basis, got.since) == ("total", since)


def test_a_total_cue_in_an_as_clause_after_the_figure_does_not_make_it_a_total() -> None:
    # the "as" clause tells what went on that day; the figure is the day's toll, not the running total
    got = claims("Israeli forces killed 22 people and wounded 124 in southern Lebanon on Sunday as residents tried "
                 "to return to their villages on the day Israeli troops had been due to withdraw under the "
                 "ceasefire, Lebanon's health ministry said.", published="2025-01-26T21:30:00Z", title="Lebanon")
    assert [(c.metric, c.value, c.basis) for c in got] == [("killed", 22, "incident"), ("injured", 124, "incident")]
    # before the "as", the cue still counts
    [total] = claims("Israeli fire killed 83 people in southern Lebanon during the ceasefire as strikes went on, the "
                     "health ministry said.", published="2025-03-26T21:30:00Z", title="Lebanon")
    assert total.basis == "total"
