"""Parts and wholes: a figure of a part cannot exceed the figure of its whole for the same period.

Children killed are a part of all people killed, and Jabalia's toll a part of North Gaza's and the Gaza
Strip's (:class:`streams.hierarchy.Hierarchy`). A claim is compared with the series that differ from its own
only in population (its whole population, or its parts) or only in place (the places it lies in, or the
places in it), for the same period: the same start of a running total, the same day of a day's toll, the same
day and target of an incident (an incident that names no target may be another strike of that day, so only
its population is compared; so is an incident of the whole theatre, which is an event of its own).

The part exceeds its whole when it is wholly above every figure of the whole's series in its window: for a
cumulative count, the whole's figures dated from the part's day to ``window`` days later (a whole counted
later cannot be smaller); for a stock, those dated within ``window`` days. One whole figure at or above the
part is enough to clear it, so one misread figure of the whole does not make a contradiction of every part.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from streams.claims import Claim
from streams.hierarchy import Hierarchy
from streams.ledger.rules import day_number, wholly_below
from streams.ledger.series import UNNAMED, key_of

PART_EXCEEDS_WHOLE = "part-exceeds-whole"
Neighbours = tuple[tuple[str, ...], tuple[str, ...]]
"""The keys of a series' wholes and of its parts."""


def exceeding(claim: Claim, neighbours: Neighbours, history_of: Callable[[str], Sequence[Claim]], *,
              own: Iterable[Claim], cumulative: bool, window: int) -> list[tuple[Claim, str]]:
    """The claims of other series that ``claim`` (of a series whose wholes and parts are ``neighbours`` and
    whose earlier claims are ``own``) breaks a part-whole bound with, each with its series key, in key then
    rank order; ``history_of`` gives a series' claims by key (none when it does not exist)."""
    wholes, parts = neighbours
    found: list[tuple[Claim, str]] = []
    for key in wholes:
        history = history_of(key)
        if _exceeds(claim, history, cumulative, window):
            found.extend((w, key) for w in _in_window(claim, history, cumulative, window))
    mine = [*own, claim]
    for key in parts:
        for part in history_of(key):
            if wholly_below(claim, part) and claim in _in_window(part, [claim], cumulative, window) \
                    and _exceeds(part, mine, cumulative, window):
                found.append((part, key))
    return found


def neighbours(fields: Mapping[str, Any], hierarchy: Hierarchy) -> Neighbours:
    """The keys of the series of ``fields``' wholes and of its parts (none for a planned figure: a plan is
    bound by no whole)."""
    if fields["modality"] != "reported":
        return (), ()
    conflict, group, place = fields["conflict"], fields["group"], fields["place"]
    event = fields["event"]
    wholes: list[dict[str, Any]] = []
    parts: list[dict[str, Any]] = []
    whole_group = hierarchy.whole_population(conflict, group)
    if whole_group is not None:
        wholes.append({**fields, "group": whole_group})
    parts.extend({**fields, "group": part} for part in hierarchy.population_parts(conflict, group))
    if fields["basis"] != "incident":
        wholes.extend({**fields, "place": p} for p in hierarchy.place_ancestors(conflict, place))
        parts.extend({**fields, "place": p} for p in hierarchy.place_descendants(conflict, place))
    elif event is not None and not str(event).startswith(UNNAMED):  # the theatre's incidents are each their own
        wholes.extend({**fields, "place": p} for p in hierarchy.place_ancestors(conflict, place)
                      if not hierarchy.is_theatre(conflict, p))
        parts.extend({**fields, "place": p} for p in hierarchy.place_descendants(conflict, place))
    return tuple(key_of(f) for f in wholes), tuple(key_of(f) for f in parts)


def _in_window(part: Claim, whole: Iterable[Claim], cumulative: bool, window: int) -> list[Claim]:
    """The figures of the whole that bound ``part``: dated 0 to ``window`` days after it (cumulative), or
    within ``window`` days of it (stock)."""
    day = day_number(part.as_of)
    found = []
    for claim in whole:
        gap = day_number(claim.as_of) - day
        if (0 <= gap <= window) if cumulative else abs(gap) <= window:
            found.append(claim)
    return found


def _exceeds(part: Claim, whole: Iterable[Claim], cumulative: bool, window: int) -> bool:
    """True when ``part`` is wholly above every figure of the whole in its window, and there is one."""
    bounds = _in_window(part, whole, cumulative, window)
    return bool(bounds) and all(wholly_below(w, part) for w in bounds)
