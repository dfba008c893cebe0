"""A write buffer over a mapping: writes wait in memory until ``commit()``, reads see them at once.

The worker wraps its Faust tables in one so that a message's outputs are published and acknowledged
*before* its state change reaches the table's changelog. A worker killed in between then re-processes the
message from unchanged state and re-publishes the same outputs (same ids), instead of finding the state
already changed and publishing nothing: at-least-once without losing an event.
"""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_DELETED = object()


class WriteBuffer(MutableMapping[K, V], Generic[K, V]):
    """A mapping over ``base`` whose writes and deletes are held back until :meth:`commit`."""

    def __init__(self, base: MutableMapping[K, V]) -> None:
        self.base = base
        self._pending: dict[K, object] = {}

    def __getitem__(self, key: K) -> V:
        if key in self._pending:
            value = self._pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value  # type: ignore[return-value]
        return self.base[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._pending[key] = value

    def __delitem__(self, key: K) -> None:
        if key not in self:
            raise KeyError(key)
        self._pending[key] = _DELETED

    def __iter__(self) -> Iterator[K]:
        for key in self.base:
            if key not in self._pending:
                yield key
        for key, value in list(self._pending.items()):
            if value is not _DELETED:
                yield key

    def __len__(self) -> int:
        size = len(self.base)
        for key, value in self._pending.items():
            in_base = key in self.base
            if value is _DELETED and in_base:
                size -= 1
            elif value is not _DELETED and not in_base:
                size += 1
        return size

    def __contains__(self, key: object) -> bool:
        if key in self._pending:
            return self._pending[key] is not _DELETED
        return key in self.base

    def commit(self) -> bool:
        """Apply the held writes and deletes to the base mapping; False when there were none."""
        changed = bool(self._pending)
        for key, value in self._pending.items():
            if value is _DELETED:
                self.base.pop(key, None)
            else:
                self.base[key] = value  # type: ignore[assignment]
        self._pending.clear()
        return changed

    def rollback(self) -> bool:
        """Forget the held writes and deletes; False when there were none."""
        dropped = bool(self._pending)
        self._pending.clear()
        return dropped
