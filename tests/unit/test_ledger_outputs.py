"""Replay, the figure tables, and the stores the ledger runs on."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import orjson
import pytest

from streams.claims import Claim
from streams.items import NewsItem
from streams.ledger import Ledger, MappingStore, MemoryStore, SeriesStore, render_tables
from streams.replay import replay
from tests.unit.ledger_claims import KINDS, claim

pytestmark = pytest.mark.unit

ITEMS = [orjson.dumps(NewsItem(id=f"n{i}", published_at=f"2025-01-1{i}T09:00:00Z", outlet="Reuters", title="t",
                               body="b").to_dict())
         for i in range(3, 6)]
CLAIMS = {
    "n3": [claim("n3#0", as_of="2025-01-13", value=46700)],
    "n4": [claim("n4#0", value=46645), claim("n4#1", basis="incident", since=None, value=12, place="Rafah")],
    "n5": [claim("n5#0", as_of="2025-01-15", value=46800, attributed_to=None, outlet="AP",
                 low=46800, high=None, qualifier="at_least")],
}


def fake_extract(item: NewsItem) -> list[Claim]:
    return CLAIMS[item.id]


def test_replay_yields_events_in_file_order() -> None:
    ledger = Ledger(MemoryStore(), KINDS)
    events = list(replay(ITEMS, fake_extract, ledger, max_bytes=10_000))
    assert [(e["claim"]["claim_id"], e["kind"]) for e in events] == [
        ("n3#0", "new"), ("n4#0", "contradiction"), ("n4#1", "new"), ("n5#0", "update")]
    assert list(replay(ITEMS, fake_extract, ledger, max_bytes=10_000)) == []


def test_replay_skips_exact_repeats_and_reports_rejected_lines() -> None:
    ledger = Ledger(MemoryStore(), KINDS)
    rejected = []
    lines = [ITEMS[0], b"not json", ITEMS[0], ITEMS[1]]
    events = list(replay(lines, fake_extract, ledger, max_bytes=10_000, on_reject=rejected.append))
    assert [e["claim"]["claim_id"] for e in events] == ["n3#0", "n4#0", "n4#1"]
    assert [r.reason for r in rejected] == ["not_json"]


def test_render_tables_lists_current_figures() -> None:
    ledger = Ledger(MemoryStore(), KINDS)
    list(replay(ITEMS, fake_extract, ledger, max_bytes=10_000))
    text = render_tables(ledger.tables())
    lines = text.splitlines()
    assert lines[0].split() == ["conflict", "metric", "group", "place", "basis/period", "figure", "source",
                                "as_of", "rep/cor/con"]
    assert "since 2023-10-07" in lines[2] and "at least 46,800" in lines[2] and "AP" in lines[2]
    assert lines[2].endswith("3/0/1")
    assert "incident 2025-01-14" in lines[3] and "Rafah" in lines[3]
    assert render_tables(ledger.tables(), conflict="sudan") == "no figures for sudan\n"
    assert render_tables(ledger.tables("israel-hamas"), "israel-hamas") == text


def test_a_mapping_store_over_any_mutable_mapping_behaves_like_the_memory_store() -> None:
    backing: OrderedDict[str, dict[str, Any]] = OrderedDict()
    stores: list[SeriesStore] = [MemoryStore(), MappingStore(backing)]
    results = []
    for store in stores:
        ledger = Ledger(store, KINDS)
        events = list(replay(ITEMS, fake_extract, ledger, max_bytes=10_000))
        results.append((events, ledger.tables()))
        store.delete("no-such-key")
        assert len(store) == 2
    assert results[0] == results[1]
    assert set(backing) == {state["series_key"] for state in results[1][1]}


def test_replay_rejects_a_publication_time_outside_the_calendar_in_utc_and_goes_on() -> None:
    """Such an item passed validation before, then the ledger raised OverflowError and replay died."""

    def extract_at_publication(item: NewsItem) -> list[Claim]:
        return [claim(f"{item.id}#0", published_at=item.published_at, value=46700 + len(item.id))]

    edge = [orjson.dumps({**orjson.loads(ITEMS[0]), "id": f"edge{i}", "published_at": stamp})
            for i, stamp in enumerate(("9999-12-31T23:59:59-12:00", "0001-01-01T00:30:00+01:00"))]
    ledger = Ledger(MemoryStore(), KINDS)
    rejected = []
    events = list(replay([*edge, ITEMS[0]], extract_at_publication, ledger, max_bytes=10_000,
                         on_reject=rejected.append))
    assert [r.reason for r in rejected] == ["schema", "schema"]
    assert all("outside years 1-9999 in UTC" in r.detail for r in rejected)
    assert [e["claim"]["claim_id"] for e in events] == ["n3#0"]
