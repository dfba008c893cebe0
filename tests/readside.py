"""Test helpers for the read side: a read store filled from an offline replay of a corpus (no broker)."""

from __future__ import annotations

from pathlib import Path

import orjson

from streams.readstore import ReadStore, Record
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.settings import Settings

CURRENT, CHANGES = "t.figures.current", "t.figures.changes"


def replay_records(corpus: Path) -> list[Record]:
    """The records the worker would put on figures.changes and figures.current for ``corpus``, as one
    partition each: every change event in order, then each series' final state."""
    settings = Settings()
    lines = [line for line in corpus.read_bytes().splitlines() if line.strip()]
    ledger = offline_ledger(settings)
    events = list(replay(lines, build_extractor(settings).extract, ledger, max_bytes=settings.max_item_bytes))
    records = [Record(CHANGES, 0, n, e["series"]["key"].encode(), orjson.dumps(e), False) for n, e in enumerate(events)]
    records += [Record(CURRENT, 0, n, s["series_key"].encode(), orjson.dumps(s), True)
                for n, s in enumerate(ledger.tables())]
    return records


def filled_store(path: Path, corpus: Path) -> ReadStore:
    store = ReadStore(path, "test")
    store.apply(replay_records(corpus))
    return store
