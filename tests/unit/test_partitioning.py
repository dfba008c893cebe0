"""Partitioning by ledger key (conflict and metric): every series a rule reads for a claim shares the claim's key,
so lands on the claim's partition; the claims' and the figures' partitions agree; metrics of one conflict spread."""

from __future__ import annotations

from typing import Any

import pytest
from aiokafka.partitioner import DefaultPartitioner
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.claims import Claim
from streams.extraction.vocabulary import load_hierarchy, load_taxonomy
from streams.ledger import Ledger, LedgerSettings, MemoryStore, series_key
from streams.topics import (
    claim_address,
    item_partition,
    ledger_key,
    ledger_partition,
    series_ledger_key,
    series_partition,
)
from tests.unit.ledger_claims import KINDS, claim

pytestmark = pytest.mark.unit

HIERARCHY = load_hierarchy()
METRICS = sorted(load_taxonomy().metric_kinds)


class ReadsRecorded(MemoryStore):
    """A memory store that notes every key the ledger looks up."""

    def __init__(self) -> None:
        super().__init__()
        self.read: list[str] = []

    def get(self, key: str) -> dict[str, Any] | None:
        self.read.append(key)
        return super().get(key)


@st.composite
def claims(draw: st.DrawFn) -> list[Claim]:
    """Claims of several conflicts and metrics, with wordings, parts and wholes of populations and places, totals,
    incidents and day tolls over a few days: every path by which the ledger reads other series."""
    made = []
    for index in range(draw(st.integers(min_value=1, max_value=14))):
        basis = draw(st.sampled_from(["total", "incident"]))
        conflict = draw(st.sampled_from(["israel-hamas", "russia-ukraine", "sudan"]))
        made.append(claim(
            f"c{index}",
            conflict=conflict,
            metric=draw(st.sampled_from(["killed", "injured", "displaced"])),
            basis=basis,
            since=None if basis == "incident" else "2023-10-07",
            group=draw(st.sampled_from([None, "Palestinians", "children", "civilians"])),
            place=draw(st.sampled_from([None, "Gaza Strip", "North Gaza", "Jabalia", "Kharkiv", "El Fasher"])),
            target=draw(st.sampled_from([None, "school", "day"])) if basis == "incident" else None,
            as_of=draw(st.sampled_from(["2025-01-12", "2025-01-13", "2025-01-14"])),
            modality=draw(st.sampled_from(["reported", "reported", "planned"])),
            attributed_to=draw(st.sampled_from(["Gaza health ministry", "UN", None])),
            value=draw(st.sampled_from([10, 200, 46645])),
        ))
    return made


@given(claims(), st.integers(min_value=1, max_value=16))
@settings(max_examples=150, deadline=None)
def test_every_series_a_claim_reads_or_writes_is_on_the_claims_partition(batch: list[Claim], partitions: int) -> None:
    store = ReadsRecorded()
    ledger = Ledger(store, KINDS, LedgerSettings(restatement_days=2, max_series=2), HIERARCHY)  # evictions too
    for item in batch:
        store.read.clear()
        ledger.recount()  # nothing kept from earlier claims: every series the claim needs is read from the store
        outcome = ledger.apply(item)
        key, partition = claim_address(item, partitions)
        assert key.decode() == ledger_key(item.conflict, item.metric)
        assert outcome.series_key == series_key(item, HIERARCHY)
        assert store.read, "the ledger read the claim's own series at least"
        for read in [*store.read, outcome.series_key, *outcome.evicted]:
            assert series_ledger_key(read) == key.decode(), (read, key)
            assert series_partition(read, partitions) == partition


@given(st.text(min_size=1, max_size=12), st.text(min_size=1, max_size=12), st.integers(min_value=1, max_value=64))
def test_the_ledger_key_is_the_series_keys_first_two_parts_whatever_the_names(conflict: str, metric: str,
                                                                              partitions: int) -> None:
    """Even names with a ``|`` in them (the series key escapes it) give one key and one partition."""
    stated = claim("c1", conflict=conflict, metric=metric)
    key, partition = claim_address(stated, partitions)
    assert series_ledger_key(series_key(stated)) == key.decode() == ledger_key(conflict, metric)
    assert key.count(b"|") == 1
    assert series_partition(series_key(stated), partitions) == partition


@given(st.text(max_size=40), st.integers(min_value=1, max_value=64))
def test_a_ledger_key_is_on_the_partition_kafkas_default_partitioner_gives_it(key: str, partitions: int) -> None:
    """aiokafka's own partitioner (the worker's producer) is the oracle: a claim keyed by its ledger key and sent
    without a partition lands where the worker sends it; the same holds for item ids."""
    expected = DefaultPartitioner()(key.encode(), list(range(partitions)), list(range(partitions)))
    assert ledger_partition(key, partitions) == expected == item_partition(key, partitions)


def test_metrics_of_one_conflict_spread_over_partitions_and_one_metric_stays_on_one() -> None:
    for partitions in (4, 8, 16):
        for conflict in ("israel-hamas", "russia-ukraine", "sudan"):
            used = {ledger_partition(ledger_key(conflict, metric), partitions) for metric in METRICS}
            assert len(used) > 1, (conflict, partitions)
    # one (conflict, metric) whatever the population, place, basis and period: one partition
    keys = {series_partition(series_key(claim(f"c{n}", **fields), HIERARCHY), 4) for n, fields in enumerate([
        {}, {"group": "children"}, {"place": "Jabalia"}, {"basis": "incident", "since": None, "target": "day"},
        {"basis": "incident", "since": None, "target": "school", "place": "North Gaza", "as_of": "2025-01-01"},
        {"modality": "planned"}])}
    assert len(keys) == 1


def test_conflicts_are_not_told_apart_by_their_metrics_alone() -> None:
    """Two conflicts with one metric are two ledger keys (their rules never meet)."""
    assert ledger_key("sudan", "killed") != ledger_key("israel-hamas", "killed")
    assert ledger_key("a|b", "c") != ledger_key("a", "b|c")
