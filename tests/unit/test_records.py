"""The typed records parse every event and state the ledger emits, and their fields are the schemas'."""

from __future__ import annotations

from dataclasses import fields
from typing import Any

import orjson
import pytest

from streams import ChangeEvent, Claim, FigureState, Settings
from streams.records import Counts, Related, Series, SourceFigure
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.schemas import load_schema, validator_for
from tests.conftest import REPO

pytestmark = pytest.mark.unit


def _names(cls: type[Any]) -> set[str]:
    return {f.name for f in fields(cls)}


def _properties(schema: dict[str, Any], *path: str) -> set[str]:
    node = schema
    for part in path:
        node = node[part]
    return set(node["properties"])


def test_fields_are_the_schema_properties() -> None:
    event = load_schema("change-event")
    state = load_schema("figure-state")
    assert _names(ChangeEvent) == _properties(event)
    assert _names(Series) == _properties(event, "properties", "series")
    assert _names(Series) - {"key"} == _properties(state, "properties", "series")
    assert _names(Related) == _properties(event, "properties", "related", "items")
    assert _names(FigureState) | {"series_key"} == _properties(state)
    assert _names(SourceFigure) == _properties(state, "properties", "sources", "items")
    assert _names(Counts) == _properties(state, "properties", "counts")
    assert _names(Claim) == _properties(event, "$defs", "claim") == _properties(state, "$defs", "claim")


@pytest.fixture(scope="module")
def replayed() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Every event and final state of the sample corpus, as the worker would publish them."""
    settings = Settings()
    ledger = offline_ledger(settings)
    lines = (REPO / "corpus" / "sample-news.jsonl").read_bytes().splitlines()
    events = list(replay(lines, build_extractor(settings).extract, ledger, max_bytes=settings.max_item_bytes))
    states = [state for _, state in ledger.store.items()]
    assert events and states
    return events, states


def test_every_event_parses_to_what_it_says(replayed: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    events, _ = replayed
    for data in events:
        assert validator_for("change-event").is_valid(data)
        event = ChangeEvent.from_json(orjson.dumps(data))
        assert (event.event_id, event.kind, event.rule, event.explanation) == (
            data["event_id"], data["kind"], data["rule"], data["explanation"])
        assert event.series == Series(**data["series"])
        assert event.claim.to_dict() == data["claim"]
        assert (event.previous and event.previous.to_dict()) == data["previous"]
        assert [vars_of(r) for r in event.related] == data["related"]


def test_every_state_parses_to_what_it_says(replayed: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    _, states = replayed
    for data in states:
        assert validator_for("figure-state").is_valid(data)
        state = FigureState.from_json(orjson.dumps(data))
        assert state.series_key == data["series_key"]
        assert state.kind == data["kind"]
        assert state.current.to_dict() == data["current"]
        assert [vars_of(s) for s in state.sources] == data["sources"]
        assert vars_of(state.counts) == data["counts"]
        assert [c.to_dict() for c in state.history] == data["history"]


def test_newer_fields_and_kinds_are_accepted(replayed: tuple[list[dict[str, Any]], list[dict[str, Any]]]) -> None:
    events, _ = replayed
    newer = {**events[0], "kind": "some-future-kind", "added_later": 1,
             "series": {**events[0]["series"], "added_later": True}}
    event = ChangeEvent.from_dict(newer)
    assert event.kind == "some-future-kind"
    assert event.series.key == events[0]["series"]["key"]


def vars_of(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in fields(record)}
