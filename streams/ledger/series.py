"""Series identity: which claims share one running table, and the stable string key that names it.

A series is (conflict, metric, group, place, modality, basis, period). The period is ``since`` for a
running total and the ``as_of`` day for a reported incident figure, so incident figures never share a series
with totals, and planned figures never share one with reported figures. A plan ("33 hostages are to be
freed in the first phase") is not an event of the day it is announced: planned incident figures have no
day, so later announcements of the same plan meet. The source is not part of the series.
"""

from __future__ import annotations

from typing import Any

from streams.claims import Claim

SERIES_FIELDS = ("conflict", "metric", "group", "place", "modality", "basis", "since", "day")
_EMPTY = "-"


def series_fields(claim: Claim) -> dict[str, Any]:
    """The fields that identify the claim's series (``day`` is set for reported incidents, ``since`` for totals)."""
    incident = claim.basis == "incident"
    dated = incident and claim.modality == "reported"
    return {
        "conflict": claim.conflict,
        "metric": claim.metric,
        "group": claim.group,
        "place": claim.place,
        "modality": claim.modality,
        "basis": claim.basis,
        "since": None if incident else claim.since,
        "day": claim.as_of if dated else None,
    }


def series_key(claim: Claim) -> str:
    """A stable key such as ``israel-hamas|killed|-|-|reported|total|2023-10-07``.

    The last part is ``since`` for totals and the ``as_of`` day for reported incidents; absent parts are ``-``.
    """
    fields = series_fields(claim)
    period = fields["day"] or fields["since"]
    parts = [fields[name] for name in SERIES_FIELDS[:6]] + [period]
    return "|".join(_EMPTY if part is None else str(part).replace("|", "%7C") for part in parts)
