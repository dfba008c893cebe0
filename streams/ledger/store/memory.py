"""The in-memory series store used by replay, the CLI tables and tests: a mapping store over a new dict."""

from __future__ import annotations

from streams.ledger.store.mapping import MappingStore


class MemoryStore(MappingStore):
    """A :class:`MappingStore` over a private dict."""

    def __init__(self) -> None:
        super().__init__({})
