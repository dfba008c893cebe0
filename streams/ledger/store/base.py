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
    def __len__(self) -> int:
        """How many series are stored."""
