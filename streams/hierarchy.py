"""Canonical populations and places: which wordings of who and where name one counted population and one
place, and which populations and places are parts of which, per conflict.

"people killed", "Palestinians killed" and "Gazans killed" count one population of the Gaza Strip, and a
toll with no place, "in Gaza" or "in the Gaza Strip" is a toll of the Gaza Strip: the ledger keys a series by
these canonical ids (:meth:`Hierarchy.population`, :meth:`Hierarchy.place`), so every wording of one figure
meets in one table, and compares a part with its whole (children with all people, Jabalia with North Gaza
and the Gaza Strip). The data is in the gazetteer (each conflict's ``hierarchy``) and the taxonomy (each
group's ``within``); :func:`streams.extraction.vocabulary.load_hierarchy` builds this object from them.
Pure: no I/O here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

PEOPLE = "people"
"""The canonical id of a theatre's whole counted population: no group, "people", or a conflict's ``people`` names."""


@dataclass(frozen=True, slots=True)
class Theatre:
    """One conflict's theatre: its default place, the group names that count its whole population, and which
    place lies in which."""

    place: str | None
    people: frozenset[str] = frozenset()
    territory: frozenset[str] = frozenset()
    within: Mapping[str, str] = field(default_factory=dict)
    """place -> the place it lies in ("Jabalia" -> "North Gaza" -> "Gaza Strip")"""

    def ancestors(self, place: str) -> tuple[str, ...]:
        """The places ``place`` lies in, nearest first (the data is checked to have no cycle)."""
        found: list[str] = []
        parent = self.within.get(place)
        while parent is not None and parent not in found:
            found.append(parent)
            parent = self.within.get(parent)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class Hierarchy:
    """Canonical ids and part-whole relations of populations and places, per conflict.

    A conflict missing from ``theatres`` (and the empty hierarchy) keeps groups and places as stated.
    """

    theatres: Mapping[str, Theatre] = field(default_factory=dict)
    parts_of_people: frozenset[str] = frozenset()
    """groups that are parts of a theatre's whole population wherever it is counted (children, civilians, ...)"""

    def population(self, conflict: str, group: str | None) -> str | None:
        """The canonical population: ``people`` for no group or a name of the whole population, else the group."""
        theatre = self.theatres.get(conflict)
        if theatre is None:
            return group
        return PEOPLE if group is None or group == PEOPLE or group in theatre.people else group

    def place(self, conflict: str, place: str | None) -> str | None:
        """The canonical place: the theatre's for no place or a place that is the whole territory, else the place."""
        theatre = self.theatres.get(conflict)
        if theatre is None:
            return place
        return theatre.place if place is None or place in theatre.territory else place

    def whole_population(self, conflict: str, population: str | None) -> str | None:
        """The population that ``population`` (canonical) is a part of, or None."""
        if conflict in self.theatres and population in self.parts_of_people:
            return PEOPLE
        return None

    def population_parts(self, conflict: str, population: str | None) -> tuple[str, ...]:
        """The populations that are parts of ``population`` (canonical), sorted."""
        if conflict in self.theatres and population == PEOPLE:
            return tuple(sorted(self.parts_of_people))
        return ()

    def place_ancestors(self, conflict: str, place: str | None) -> tuple[str, ...]:
        """The places that ``place`` (canonical) lies in, nearest first."""
        theatre = self.theatres.get(conflict)
        return () if theatre is None or place is None else theatre.ancestors(place)

    def place_descendants(self, conflict: str, place: str | None) -> tuple[str, ...]:
        """The places that lie in ``place`` (canonical), at any depth, sorted."""
        theatre = self.theatres.get(conflict)
        if theatre is None or place is None:
            return ()
        return tuple(sorted(p for p in theatre.within if place in theatre.ancestors(p)))

    def is_theatre(self, conflict: str, place: str | None) -> bool:
        """True when ``place`` (canonical) is no place or the theatre's whole place."""
        theatre = self.theatres.get(conflict)
        return place is None or (theatre is not None and place == theatre.place)
