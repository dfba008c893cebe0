"""The read side's core: request parameters, figure rows, conflict summaries, a series' history, CSV, and the
SQLite read store (a restart keeps states, changes and offsets; repeats, tombstones and bad records)."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams._exceptions import ConfigError, QueryError
from streams.demo import SAMPLE_CORPUS
from streams.readmodel import (
    CHANGE_COLUMNS,
    ChangeQuery,
    FigureQuery,
    change_record,
    conflict_summaries,
    event_kinds,
    figure_rows,
    series_view,
    sse_frame,
    to_csv,
)
from streams.readstore import ReadStore, Record
from streams.schemas import load_schema
from tests.readside import CHANGES, CURRENT, replay_records

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def records() -> list[Record]:
    return replay_records(SAMPLE_CORPUS)


@pytest.fixture
def store(tmp_path: Path, records: list[Record]) -> ReadStore:
    store = ReadStore(tmp_path / "serve.sqlite3", "test")
    store.apply(records)
    return store


def test_every_kind_of_the_change_event_schema_is_a_valid_filter_and_nothing_else() -> None:
    assert event_kinds() == tuple(load_schema("change-event")["properties"]["kind"]["enum"])
    for kind in event_kinds():
        assert ChangeQuery.parse({"kind": kind}).kind == kind
    with pytest.raises(QueryError, match="kind: 'rumour' is not one of new, "):
        ChangeQuery.parse({"kind": "rumour"})


@pytest.mark.parametrize(("params", "parameter"), [
    ({"limit": "0"}, "limit"), ({"limit": "5001"}, "limit"), ({"limit": "١٢"}, "limit"), ({"basis": "x"}, "basis"),
    ({"conflict": " "}, "conflict"), ({"place": "x" * 201}, "place"), ({"cursor": "1"}, "cursor"),
])
def test_bad_figure_parameters_name_themselves(params: dict[str, str], parameter: str) -> None:
    with pytest.raises(QueryError) as raised:
        FigureQuery.parse(params)
    assert raised.value.parameter == parameter


def test_since_takes_a_day_or_a_time_with_its_offset_and_compares_in_utc() -> None:
    assert ChangeQuery.parse({"since": "2025-01-31"}).since == "2025-01-31"
    assert ChangeQuery.parse({"since": "2025-01-31T13:00:00+01:00"}).since == "2025-01-31T12:00:00Z"
    for bad in ("2025-02-30", "2025-01-31T12:00:00", "last week", "5\n"):
        with pytest.raises(QueryError, match="since"):
            ChangeQuery.parse({"since": bad})
    with pytest.raises(QueryError, match="cursor"):
        ChangeQuery.parse({"cursor": "5\n"})


def test_figure_rows_filter_order_limit_and_set_sources_side_by_side(store: ReadStore) -> None:
    rows, matched = figure_rows(store.states.values(), FigureQuery.parse({"conflict": "israel-hamas"}))
    assert matched == len(rows) == sum(s["series"]["conflict"] == "israel-hamas" for s in store.states.values())
    assert [r["metric"] for r in rows] == sorted(r["metric"] for r in rows)
    several = next(r for r in rows if len(r["sources"]) > 1)
    assert len({s["source"] for s in several["sources"]}) == len(several["sources"])
    assert any(r["contradicted"] for r in rows)
    limited, matched = figure_rows(store.states.values(), FigureQuery.parse({"conflict": "israel-hamas", "limit": "3"}))
    assert len(limited) == 3 and matched == len(rows)
    totals, _ = figure_rows(store.states.values(), FigureQuery.parse({"basis": "total", "metric": "killed"}))
    assert totals and all(r["basis"] == "total" and r["metric"] == "killed" for r in totals)


def test_conflict_summaries_count_series_reports_and_changes(store: ReadStore) -> None:
    stats, last = store.conflict_stats()
    summaries = {c["conflict"]: c for c in conflict_summaries(store.states.values(), stats, last, {"sudan": "Sudan"})}
    gaza = summaries["israel-hamas"]
    assert (summaries["sudan"]["name"], gaza["name"]) == ("Sudan", "israel-hamas"), "the slug when no name is known"
    events = [orjson.loads(r.value or b"") for r in replay_records(SAMPLE_CORPUS) if not r.is_state]
    mine = [e for e in events if e["conflict"] == "israel-hamas"]
    assert gaza["changes"] == len(mine) and gaza["contradictions"] == sum(e["kind"] == "contradiction" for e in mine)
    assert gaza["reports"] == len({e["claim"]["item_id"] for e in mine})
    assert gaza["last_change"]["event_id"] == mine[-1]["event_id"]
    assert sum(c["series"] for c in summaries.values()) == len(store.states)


def test_a_series_view_holds_every_claim_once_oldest_first(store: ReadStore) -> None:
    key = next(k for k, s in store.states.items() if s["counts"]["contradictions"])
    view = series_view(store.states[key], store.series_changes(key))
    assert view is not None
    ids = [c["claim_id"] for c in view["claims"]]
    assert len(ids) == len(set(ids)) and set(ids) >= {c["claim_id"] for c in store.states[key]["history"]}
    assert [c["as_of"] for c in view["claims"]] == sorted(c["as_of"] for c in view["claims"])
    assert [c["id"] for c in view["changes"]] == sorted(c["id"] for c in view["changes"])
    assert series_view(None, []) is None


def test_csv_quotes_what_a_spreadsheet_would_run_and_leaves_nulls_empty() -> None:
    body = to_csv(("a", "b", "c", "d"), [{"a": "=HYPERLINK(1)", "b": None, "c": 12.0, "d": "x, \"y\""}])
    assert body == b'\xef\xbb\xbfa,b,c,d\r\n\'=HYPERLINK(1),,12,"x, ""y"""\r\n'


def test_change_records_fill_every_column_and_frames_carry_the_id(store: ReadStore) -> None:
    page, _ = store.changes(ChangeQuery.parse({"limit": "5"}))
    for change in page:
        assert set(change_record(change)) == set(CHANGE_COLUMNS)
        assert sse_frame(change).startswith(b"id: %d\nevent: change\ndata: {" % change["id"])


def test_a_reopened_store_keeps_states_changes_and_offsets(tmp_path: Path, records: list[Record]) -> None:
    path = tmp_path / "serve.sqlite3"
    first = ReadStore(path, "origin-a")
    new = first.apply(records)
    states, offsets = dict(first.states), first.offsets()
    first.close()
    again = ReadStore(path, "origin-a")
    assert again.states == states and again.offsets() == offsets
    assert offsets[(CHANGES, 0)] == len(new) == again.event_count()
    assert again.apply(records[:10]) == [], "a re-emitted change (same event_id) is stored once"
    again.close()
    with pytest.raises(ConfigError, match="origin-a"):
        ReadStore(path, "origin-b")


def test_tombstones_delete_and_malformed_records_are_skipped_but_consumed(store: ReadStore) -> None:
    key = next(iter(store.states))
    version = store.state_version
    store.apply([
        Record(CURRENT, 0, 900, key.encode(), None, True),
        Record(CURRENT, 0, 901, b"x", b"not json", True),
        Record(CHANGES, 0, 902, b"x", b'{"kind": "new"}', False),
        Record(CHANGES, 1, 5, b"x", b"[1, 2]", False),
    ])
    assert key not in store.states and store.state_version == version + 1
    assert store.skipped == 3
    assert store.offsets()[(CURRENT, 0)] == 902 and store.offsets()[(CHANGES, 0)] == 903
    assert store.offsets()[(CHANGES, 1)] == 6


def test_changes_since_and_after(store: ReadStore) -> None:
    page, cursor = store.changes(ChangeQuery.parse({"since": "2025-02-05", "limit": "500"}))
    assert page and cursor is None and all(c["claim"]["published_at"] >= "2025-02-05" for c in page)
    after = store.changes_after(store.last_id() - 2, ChangeQuery(), 10)
    assert [c["id"] for c in after] == [store.last_id() - 1, store.last_id()]
