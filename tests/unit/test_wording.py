"""Explanations and tables read as a newsroom writes: sources agree with their verb and open a sentence with
a capital, figures read as headlines, days as words, and nothing says None; the wording data matches the
taxonomy."""

from __future__ import annotations

import re

import orjson
import pytest

from streams import Settings
from streams._exceptions import DataFileError
from streams.claims import Claim
from streams.datafiles import read_json
from streams.extraction.vocabulary import load_taxonomy
from streams.ledger import render_tables
from streams.ledger.events import explain
from streams.ledger.wording import WORDING_FILE, agreeing, figure, parse_wording, place, subject, wording
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from tests.conftest import REPO
from tests.unit.ledger_claims import claim

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(("source", "verb"), [
    ("Aid agencies", "say"), ("UN officials", "say"), ("Local health officials in El Fasher", "say"),
    ("civil defence teams", "say"), ("police", "say"), ("the Houthis", "say"), ("medics", "say"),
    ("witnesses", "say"), ("residents", "say"),
    ("Reuters", "says"), ("Doctors Without Borders", "says"), ("Hamas", "says"), ("the WHO", "says"),
    ("Israel's prison service", "says"), ("General Staff of Ukraine's Armed Forces", "says"),
    ("Palestinian Prisoners' Society", "says"), ("the ministry of health", "says"),
    ("the UN's humanitarian office", "says"), ("Sudan Doctors Network", "says"),
])
def test_the_verb_agrees_with_its_source(source: str, verb: str) -> None:
    assert agreeing(source, "says", "say") == verb


def test_a_source_opens_a_sentence_with_a_capital() -> None:
    assert subject("regional governor Ivan Fedorov") == "Regional governor Ivan Fedorov"
    assert subject("UNHCR") == "UNHCR"


@pytest.mark.parametrize(("fields", "words"), [
    ({"value": 20, "group": "children"}, "20 children killed"),
    ({"value": 1, "group": "soldiers"}, "1 soldier killed"),
    ({"value": 1, "group": "children"}, "1 child killed"),
    ({"value": 7, "group": "aid_workers", "metric": "detained"}, "7 aid workers detained"),
    ({"value": 500, "low": 200, "high": 999, "qualifier": "vague", "metric": "prisoners_released",
      "group": "Palestinians"}, "hundreds of prisoners released (Palestinians)"),
    ({"value": 50, "low": 24, "high": 99, "qualifier": "vague"}, "dozens killed"),
    ({"value": 600, "low": 601, "high": None, "qualifier": "more_than", "metric": "aid_trucks"},
     "more than 600 aid trucks"),
    ({"value": 33, "metric": "hostages_released", "modality": "planned"}, "33 hostages to be released"),
    ({"value": 1, "metric": "hostages_released"}, "1 hostage released"),
])
def test_a_figure_reads_as_a_headline(fields: dict[str, object], words: str) -> None:
    assert figure(claim("c", **fields)) == words


def test_places_that_take_the_article() -> None:
    assert place("Gaza Strip") == "in the Gaza Strip"
    assert place("West Bank") == "in the West Bank"
    assert place("El Fasher") == "in El Fasher"
    assert place(None) == ""


def test_in_one_incident_only_where_no_place_is_named() -> None:
    placed = claim("a", basis="incident", since=None, place="Jabalia", value=8)
    unplaced = claim("b", basis="incident", since=None, value=8)
    assert explain("new", "first-in-series", placed, None, []) == (
        "Gaza health ministry says 8 killed in Jabalia on 14 January 2025.")
    assert explain("new", "first-in-series", unplaced, None, []) == (
        "Gaza health ministry says 8 killed in one incident on 14 January 2025.")


def test_every_taxonomy_metric_has_words_and_nothing_else() -> None:
    assert set(wording().metrics) == set(load_taxonomy().metrics)


def test_wording_data_with_an_unknown_key_is_refused() -> None:
    data = read_json(WORDING_FILE)
    with pytest.raises(DataFileError, match="unknown keys"):
        parse_wording({**data, "colour": "red"}, "wording.json")
    with pytest.raises(DataFileError, match="missing keys"):
        parse_wording({**data, "metrics": {"killed": {"noun": None}}}, "wording.json")


def _corpus_lines() -> list[bytes]:
    lines = (REPO / "corpus" / "sample-news.jsonl").read_bytes().splitlines()
    for path in sorted((REPO / "corpus" / "scenarios").glob("*.jsonl")):
        for line in path.read_bytes().splitlines():
            if line.strip():
                lines += [orjson.dumps(entry["item"]) for entry in orjson.loads(line)["items"]]
    return lines


ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def test_every_explanation_of_the_corpora_reads_as_published() -> None:
    settings = Settings()
    ledger = offline_ledger(settings)
    events = list(replay(_corpus_lines(), build_extractor(settings).extract, ledger,
                         max_bytes=settings.max_item_bytes))
    assert len(events) > 200
    for event in events:
        text = event["explanation"]
        current = Claim.from_dict(event["claim"])
        assert text[0].isupper() or text[0].isdigit(), text
        assert text.endswith("."), text
        for wrong in ("None", "_", "  ", " ,", "first figure in this series", " of of "):
            assert wrong not in text, (wrong, text)
        assert not ISO_DAY.search(text), text
        assert ("in one incident" in text) == (current.basis == "incident" and current.place is None
                                               and current.modality == "reported" and current.target != "day"), text
        verb = agreeing(current.source, "says", "say") if event["kind"] != "revision" else \
            agreeing(current.source, "revises", "revise")
        assert text.startswith(f"{subject(current.source)} {verb} "), text
    tables = render_tables(state for _, state in ledger.store.items())
    assert "None" not in tables and "?" not in tables


