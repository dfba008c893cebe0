"""The abstract store of series states, keyed by series key, holding JSON-ready state dicts."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import Any


class SeriesStore(ABC):
    """A keyed store of series-state dicts (the ledger never keeps state anywhere else)."""

    @abstractmethod
    def get(self, key: str) -> dict[str, Any] | None:
        """The state stored under ``key``, or None."""

    @abstractmethod
    def put(self, key: str, state: dict[str, Any]) -> None:
        """Store ``state`` under ``key``, replacing what was there."""

    @abstractmethod
    def delete(self, key: str) -> None:
        """Forget ``key`` (no error when absent)."""

    @abstractmethod
    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """Every (key, state) pair, in no particular order."""

    @abstractmethod
    def series_keys(self) -> Iterator[str]:
        """Every key, in no particular order, without reading a state."""

    @abstractmethod
    def __len__(self) -> int:
        """How many series are stored."""

    def scope(self, key: str) -> str:
        """The group of series a claim of series ``key`` may read and evict: its conflict and metric.

        Every rule of the ledger reads only series of the claim's conflict and metric, and a partitioned
        store (the worker's table, partitioned by conflict and metric: :func:`streams.topics.ledger_key`) can
        read and delete, while it applies a claim, only the series of that claim's partition: the series of one
        scope always share a partition. A store partitioned more finely must override this with its own grouping.
        """
        conflict, metric, _ = key.split("|", 2)
        return f"{conflict}|{metric}"
