"""Rebuilding ``figures.current`` after an upgrade that changes series keys or their partitions (``figurewatch
rebuild``).

A new version may key series differently (canonical populations and places, incident events: issue 10), or
put them on other partitions (by conflict and metric rather than by conflict: issue 11), so the tables a running
deployment holds are keyed or placed the old way. With every worker stopped, :func:`rebuild` replays the
retained ``news.items`` offline through the new extractor and ledger (the same code the worker runs), empties
``figures.current`` (a compacted topic: an old state left on another partition than its key's new one would be
read beside the new state, in no set order), writes the new states to it and a tombstone for every old key the
new version does not use (for readers that follow the topic and still hold it), and empties the ``claims``
topic, so that workers started under a fresh ``FIGUREWATCH_APP_ID`` (a new consumer group with empty tables)
rebuild their tables from ``news.items`` alone and publish the same states. docs/operations.md gives the whole
procedure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

from streams.demo import latest_states
from streams.kafkaio import empty_compacted_topic, produce_records, read_topic, truncate_topic
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.settings import Settings
from streams.topics import CLAIMS, FIGURES_CURRENT, NEWS_ITEMS, series_partition


@dataclass(frozen=True, slots=True)
class Rebuilt:
    """What a rebuild did: items replayed, states written, old keys deleted, claims dropped."""

    items: int
    states: int
    tombstones: int
    claims_dropped: int


def plan(old_keys: Iterable[str], states: Iterable[Mapping[str, Any]],
         partitions: int) -> list[tuple[bytes, bytes | None, int]]:
    """The records to write to ``figures.current``: a tombstone for each old key that no new state has, then
    each new state, sorted by key, each on the partition of its conflict and metric (:func:`series_partition`)."""
    new = {str(state["series_key"]): state for state in states}
    records: list[tuple[bytes, bytes | None, int]] = [
        (key.encode(), None, series_partition(key, partitions)) for key in sorted(set(old_keys) - set(new))
    ]
    records += [(key.encode(), orjson.dumps(new[key]), series_partition(key, partitions)) for key in sorted(new)]
    return records


def rebuild(settings: Settings) -> Rebuilt:
    """Rebuild ``figures.current`` from the retained ``news.items`` and empty ``claims`` (workers stopped)."""
    lines = [m.value for m in read_topic(settings, settings.topic(NEWS_ITEMS.name)) if m.value is not None]
    ledger = offline_ledger(settings)
    for _ in replay(lines, build_extractor(settings).extract, ledger, max_bytes=settings.max_item_bytes):
        pass
    states = ledger.tables()
    old = latest_states(settings)
    records = plan(old, states, settings.partitions)
    # An old version may have put a key on another partition: left there, it would be read beside the new one.
    empty_compacted_topic(settings, settings.topic(FIGURES_CURRENT.name))
    produce_records(settings, settings.topic(FIGURES_CURRENT.name), records)
    dropped = truncate_topic(settings, settings.topic(CLAIMS.name))
    return Rebuilt(len(lines), len(states), len(records) - len(states), dropped)
