"""Where series states live: the abstract :class:`SeriesStore` and its mapping-backed implementations."""

from streams.ledger.store.base import SeriesStore
from streams.ledger.store.mapping import MappingStore
from streams.ledger.store.memory import MemoryStore

__all__ = ["MappingStore", "MemoryStore", "SeriesStore"]
