"""A write buffer over a mapping: writes wait in memory until ``commit()``, reads see them at once.

The worker wraps its Faust tables in one so that a batch's outputs are published and acknowledged
*before* its state changes reach the table's changelog. A worker killed in between then re-processes the
batch from unchanged state and re-publishes the same outputs (same ids), instead of finding the state
already changed and publishing nothing: at-least-once without losing an event.

Within a batch, :meth:`WriteBuffer.keep` closes one message's writes and :meth:`WriteBuffer.rollback`
forgets only the writes made since the last ``keep``, so a message that fails leaves the batch's other
messages' writes in place. ``keep`` tags the message's writes (the worker tags them with their Faust event)
and ``commit`` makes each write inside a context built from its tag (Faust picks a write's changelog
partition and RocksDB store from the event being processed). ``commit`` returns what it wrote, so a write
whose changelog record was not acknowledged can be made again (:meth:`WriteBuffer.apply`).
"""

from __future__ import annotations

from collections.abc import Callable, ItemsView, Iterator, MutableMapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any, Generic, NamedTuple, TypeVar

K = TypeVar("K")
V = TypeVar("V")

_DELETED: Any = object()
_ABSENT = object()

WriteAs = Callable[[Any], AbstractContextManager[Any]]
"""Builds the context one write is made in from its tag."""


class Write(NamedTuple, Generic[K, V]):
    """One write made to the base mapping: ``deleted`` writes remove ``key``."""

    key: K
    value: V | None
    deleted: bool
    tag: Any


class WriteBuffer(MutableMapping[K, V], Generic[K, V]):
    """A mapping over ``base`` whose writes and deletes are held back until :meth:`commit`."""

    def __init__(self, base: MutableMapping[K, V]) -> None:
        self.base = base
        self._pending: dict[K, Any] = {}
        self._undo: dict[K, object] = {}  # the pending value each key had before the current message's first write
        self._tags: dict[K, Any] = {}  # the tag of the last kept message that wrote each key

    def __getitem__(self, key: K) -> V:
        if key in self._pending:
            value = self._pending[key]
            if value is _DELETED:
                raise KeyError(key)
            return value  # type: ignore[no-any-return]
        return self.base[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._remember(key)
        self._pending[key] = value

    def __delitem__(self, key: K) -> None:
        if key not in self:
            raise KeyError(key)
        self._remember(key)
        self._pending[key] = _DELETED

    def _remember(self, key: K) -> None:
        if key not in self._undo:
            self._undo[key] = self._pending.get(key, _ABSENT)

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

    def items(self) -> ItemsView[K, V]:
        """The pairs, read from the base's own ``items()`` in one pass rather than a lookup per key (a Faust
        table looks a key up only in the partition of the event being processed, but iterates them all)."""
        return _Items(self)

    def keep(self, tag: Any = None) -> None:
        """Close the current message's writes, tagged ``tag``: a later :meth:`rollback` no longer forgets them."""
        for key in self._undo:
            self._tags[key] = tag
        self._undo.clear()

    def rollback(self) -> bool:
        """Forget the writes made since the last :meth:`keep` (or commit); False when there were none."""
        dropped = bool(self._undo)
        for key, value in self._undo.items():
            if value is _ABSENT:
                del self._pending[key]
            else:
                self._pending[key] = value
        self._undo.clear()
        return dropped

    def discard(self) -> bool:
        """Forget every held write, kept or not (the batch failed as a whole); False when there were none."""
        dropped = bool(self._pending)
        self._pending.clear()
        self._undo.clear()
        self._tags.clear()
        return dropped

    def commit(self, write_as: WriteAs | None = None) -> list[Write[K, V]]:
        """Apply every held write and delete to the base mapping (see :meth:`apply`) and return them."""
        writes = [Write(key, None if value is _DELETED else value, value is _DELETED, self._tags.get(key))
                  for key, value in self._pending.items()]
        self._pending.clear()
        self._undo.clear()
        self._tags.clear()
        self.apply(writes, write_as)
        return writes

    def apply(self, writes: Sequence[Write[K, V]], write_as: WriteAs | None = None) -> None:
        """Make ``writes`` on the base mapping, each inside ``write_as(its tag)`` when it has one."""
        for write in writes:
            with nullcontext() if write_as is None or write.tag is None else write_as(write.tag):
                if write.deleted:
                    self.base.pop(write.key, None)
                else:
                    self.base[write.key] = write.value  # type: ignore[assignment]


class _Items(ItemsView[K, V]):
    _mapping: WriteBuffer[K, V]

    def __iter__(self) -> Iterator[tuple[K, V]]:
        buffer = self._mapping
        for key, value in buffer.base.items():
            if key not in buffer._pending:
                yield key, value
        for key, held in list(buffer._pending.items()):
            if held is not _DELETED:
                yield key, held
