"""Phrase tables: phrases (tuples of lower-cased tokens) mapped to values, looked up in a token list.

The extractor's vocabulary (triggers, nouns, context words) and the number parser's hedges ("at least",
"or more") are both such tables: a lookup at a token, ending just before a token, or the first inside a
span, each the longest phrase first and each a dict lookup by the word at its edge.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Generic, TypeVar

V = TypeVar("V")


class Phrases(Generic[V]):
    """Phrases (tuples of lower-cased tokens) mapped to values, matched longest first."""

    __slots__ = ("_by_first", "_by_last", "firsts", "table")

    def __init__(self, table: Mapping[tuple[str, ...], V]) -> None:
        self.table = dict(table)
        # first word -> (phrase as a list, its length, value), longest first: a list slice compares
        # without building a tuple, and a one-word phrase needs no comparison at all
        by_first: dict[str, list[tuple[list[str], int, V]]] = {}
        for key in sorted(self.table, key=len, reverse=True):
            by_first.setdefault(key[0], []).append((list(key), len(key), self.table[key]))
        self._by_first = by_first
        # the same by last word, for phrases of up to 5 tokens (what ``ending_at`` looks back over)
        by_last: dict[str, list[tuple[list[str], int, V]]] = {}
        for key in sorted(self.table, key=len, reverse=True):
            if len(key) <= 5:
                by_last.setdefault(key[-1], []).append((list(key), len(key), self.table[key]))
        self._by_last = by_last
        self.firsts = frozenset(by_first)
        """The first words of the phrases: a word not in it starts no phrase."""

    def at(self, lows: list[str], i: int) -> tuple[V, int] | None:
        """The value and length of the longest phrase starting at token ``i``."""
        if 0 <= i < len(lows):
            for key, size, value in self._by_first.get(lows[i], ()):
                if size == 1 or lows[i : i + size] == key:
                    return value, size
        return None

    def ending_at(self, lows: list[str], j: int) -> tuple[V, int] | None:
        """The value and length of the longest phrase ending just before token ``j``."""
        if j <= 0 or j > len(lows):
            return None
        for key, size, value in self._by_last.get(lows[j - 1], ()):
            if size == 1 or (size <= j and lows[j - size : j] == key):
                return value, size
        return None

    def find(self, lows: list[str], start: int, end: int) -> tuple[V, int, int] | None:
        """The first phrase inside tokens ``[start, end)``: its value, start index and length."""
        by_first = self._by_first
        start, end = max(start, 0), min(end, len(lows))
        if self.firsts.isdisjoint(lows if start == 0 and end == len(lows) else lows[start:end]):
            return None
        for i in range(start, end):
            for key, size, value in by_first.get(lows[i], ()):
                if i + size <= end and (size == 1 or lows[i : i + size] == key):
                    return value, i, size
        return None
