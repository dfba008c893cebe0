"""Series identity: which claims share one running table, and the stable string key that names it.

A series is (conflict, metric, population, place, modality, basis, period, event). Population and place are
canonical ids (:class:`streams.hierarchy.Hierarchy`): "people", "Palestinians" and no group are one
population of the Gaza Strip, and no place, "in Gaza" and "in the Gaza Strip" one place, so every wording
of one figure meets in one table. The basis is ``total`` (a running total; the period is its ``since``),
``incident`` (one event; the period is its day and the event what it hit, when stated) or ``day`` (a day's
toll over its place, "in the past 24 hours"; the period is the day). An incident of the whole theatre or of
no place cannot be told from another strike of that day ("a strike on a school in Gaza" and another outlet's
"a strike on a school in Gaza" may be two schools), so it is an event of its own (``event`` = ``unnamed-``
and the start of its claim id); a placed incident's event is its target when stated ("school"). Planned
figures never share a series with reported ones, and a plan ("33 hostages are to be freed in the first
phase") is not an event of the day it is announced: planned incident figures have no day, so later
announcements of the same plan meet. The source is not part of the series.
"""

from __future__ import annotations

from typing import Any

from streams.claims import Claim
from streams.hierarchy import Hierarchy

SERIES_FIELDS = ("conflict", "metric", "group", "place", "modality", "basis", "since", "day", "event")
DAY_TOLL = "day"
"""A claim's ``target`` for a day's toll, and the basis of its series."""
UNNAMED = "unnamed-"
"""The event of an incident of the whole theatre: a kind of target ("a school") does not name one event there."""
_EMPTY = "-"
_NONE = Hierarchy()


def series_fields(claim: Claim, hierarchy: Hierarchy = _NONE) -> dict[str, Any]:
    """The fields that identify the claim's series (``day`` is set for reported incidents and day tolls,
    ``since`` for totals, ``event`` for reported incidents)."""
    place = hierarchy.place(claim.conflict, claim.place)
    reported = claim.modality == "reported"
    basis = claim.basis
    event = None
    if reported and claim.target == DAY_TOLL:
        basis = DAY_TOLL
    elif basis == "incident" and reported:
        theatre = hierarchy.is_theatre(claim.conflict, place)
        event = f"{UNNAMED}{claim.claim_id[:12]}" if theatre else claim.target
    return {
        "conflict": claim.conflict,
        "metric": claim.metric,
        "group": hierarchy.population(claim.conflict, claim.group),
        "place": place,
        "modality": claim.modality,
        "basis": basis,
        "since": claim.since if basis == "total" else None,
        "day": claim.as_of if reported and basis != "total" else None,
        "event": event,
    }


def key_of(fields: dict[str, Any]) -> str:
    """The key of a series' fields: ``conflict|metric|group|place|modality|basis|period|event``."""
    period = fields["day"] or fields["since"]
    parts = [fields[name] for name in SERIES_FIELDS[:6]] + [period, fields["event"]]
    return "|".join(key_part(part) for part in parts)


def key_part(value: object) -> str:
    """One part of a series key as the key spells it: ``-`` for none, a ``|`` inside it escaped."""
    return _EMPTY if value is None else str(value).replace("|", "%7C")


def series_key(claim: Claim, hierarchy: Hierarchy = _NONE) -> str:
    """A stable key such as ``israel-hamas|killed|people|Gaza Strip|reported|total|2023-10-07|-``.

    The period is ``since`` for totals and the ``as_of`` day for reported incidents and day tolls; the last
    part is an incident's event; absent parts are ``-``.
    """
    return key_of(series_fields(claim, hierarchy))
