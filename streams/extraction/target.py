"""Target: what an incident figure's event hit or was ("a strike on a school", "at an aid distribution site"),
or ``day`` when the figure is a day's toll over its place ("in the past 24 hours", "across Gaza on Tuesday").

The ledger keys an incident series by its day, place and target, so two strikes of one day with no place
are not taken for one event unless they name the same kind of target, and a day's toll is a period figure of
its own (docs/ledger.md). The phrases are data (``targets`` in ``data/taxonomy.json``).
"""

from __future__ import annotations

from streams.extraction.vocabulary import Gazetteer, Taxonomy, words_of

DAY = "day"
_ACROSS = frozenset({"across", "throughout"})
_REACH = 3
"""Tokens from "across" to the territory it names: "across the Gaza Strip", "throughout the whole of Ukraine"."""
_OWN_REACH = 8
"""Tokens from a figure to a day phrase of its own noun phrase: "442 deaths over the past 24 hours"."""


class Targets:
    """Finds an incident figure's target in its clause, else in its sentence."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self._phrases = taxonomy.targets
        # conflict -> the first words of the names of its whole territory ("gaza", "ukraine")
        self._territory: dict[str, frozenset[str]] = {}
        for phrase, (slugs, place) in gazetteer.terms.items():
            for slug in slugs:
                if place is not None and place in gazetteer.territory.get(slug, ()):
                    words = self._territory.get(slug, frozenset())
                    self._territory[slug] = words | {words_of(phrase)[0]}

    def of(self, conflict: str, lows: list[str], clause: tuple[int, int], first: int,
           basis: str = "incident") -> str | None:
        """The target of a figure starting at token ``first`` whose clause is tokens ``clause`` of a sentence of
        ``conflict``, or None. A running total has no target, but a figure read as one whose own words give it a
        day ("the toll includes 442 deaths over the past 24 hours") is that day's toll."""
        if basis != "incident":
            own = self._phrases.find(lows, first, min(first + _OWN_REACH, clause[1]))
            return DAY if own is not None and own[0] == DAY else None
        hits: list[tuple[str, int]] = []
        k = 0
        while (hit := self._phrases.find(lows, k, len(lows))) is not None:
            hits.append((hit[0], hit[1]))
            k = hit[1] + hit[2]
        if any(kind == DAY for kind, _ in hits) or self._across_territory(conflict, lows):
            return DAY
        inside = [kind for kind, at in hits if clause[0] <= at < clause[1]]
        found = inside or [kind for kind, _ in hits]
        return found[0] if found else None

    def _across_territory(self, conflict: str, lows: list[str]) -> bool:
        """True when "across" or "throughout" names the conflict's whole territory: a day's toll over it."""
        words = self._territory.get(conflict, frozenset())
        if _ACROSS.isdisjoint(lows) or words.isdisjoint(lows):
            return False
        return any(
            word in _ACROSS and not words.isdisjoint(lows[k + 1 : k + 1 + _REACH]) for k, word in enumerate(lows)
        )
