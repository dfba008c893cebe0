"""A bounded read cache in front of a table whose store decodes every read (Faust's RocksDB store).

The worker's ``series`` table is read for every claim (the claim's series, and the series of its whole and
parts), and a RocksDB store decodes the whole state, history included, on every read. :class:`ReadCache`
keeps the most recently used values, decoded, and passes every write and delete through to the table, so a
value it holds is always the table's. The worker clears it whenever the table changes other than through
it: at each partition assignment and revocation (recovery then writes the store directly, before any agent
reads it). Values are shared, not copied: the ledger never changes a state it has read.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import ItemsView, Iterator, MutableMapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class ReadCache(MutableMapping[K, V], Generic[K, V]):
    """``base`` with its ``entries`` most recently read or written values kept decoded."""

    def __init__(self, base: MutableMapping[K, V], entries: int) -> None:
        self.base = base
        self.entries = entries
        self._kept: OrderedDict[K, V] = OrderedDict()
        self.hits = 0
        self.misses = 0

    def __getitem__(self, key: K) -> V:
        kept = self._kept
        if key in kept:
            kept.move_to_end(key)
            self.hits += 1
            return kept[key]
        self.misses += 1
        value = self.base[key]
        self._keep(key, value)
        return value

    def __setitem__(self, key: K, value: V) -> None:
        self.base[key] = value
        self._keep(key, value)

    def __delitem__(self, key: K) -> None:
        self._kept.pop(key, None)
        del self.base[key]

    def __contains__(self, key: object) -> bool:
        return key in self._kept or key in self.base

    def __iter__(self) -> Iterator[K]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)

    def items(self) -> ItemsView[K, V]:
        """The base's own pairs, in one pass (a Faust table looks a key up only in the current event's
        partition, but iterates them all)."""
        return self.base.items()

    def clear_cache(self) -> None:
        """Forget every kept value (the table changed behind the cache)."""
        self._kept.clear()

    def _keep(self, key: K, value: V) -> None:
        kept = self._kept
        kept[key] = value
        kept.move_to_end(key)
        if len(kept) > self.entries:
            kept.popitem(last=False)
