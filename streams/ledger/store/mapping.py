"""A series store over any ``MutableMapping[str, dict]``: a plain dict, or a faust Table in the worker."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Any

from streams.ledger.store.base import SeriesStore


class MappingStore(SeriesStore):
    """Keeps states in the given mapping, whose values must stay JSON-able dicts."""

    def __init__(self, mapping: MutableMapping[str, dict[str, Any]]) -> None:
        self._mapping = mapping

    def get(self, key: str) -> dict[str, Any] | None:
        return self._mapping.get(key)

    def put(self, key: str, state: dict[str, Any]) -> None:
        self._mapping[key] = state

    def delete(self, key: str) -> None:
        self._mapping.pop(key, None)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        yield from list(self._mapping.items())

    def series_keys(self) -> Iterator[str]:
        yield from list(self._mapping)

    def __len__(self) -> int:
        return len(self._mapping)
