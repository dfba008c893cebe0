"""Typed records for consumers of the output topics: a change event and a series state, parsed from JSON.

Dashboards in Python read ``figures.changes`` and ``figures.current`` with :meth:`ChangeEvent.from_json`
and :meth:`FigureState.from_json` instead of walking dicts. Parsing is lenient the way the versioning
rules ask (docs/architecture.md, "What a consumer may rely on"): fields a newer minor version adds are
ignored, and an unknown ``kind`` or ``rule`` is kept as the string it is. The claims inside are
:class:`~streams.claims.Claim`. A unit test checks every field against the JSON Schemas.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, Self

import orjson

from streams.claims import Claim


def _known(cls: type[Any], data: dict[str, Any]) -> dict[str, Any]:
    """The entries of ``data`` that are fields of ``cls`` (newer fields are ignored)."""
    names = {f.name for f in fields(cls)}
    return {key: value for key, value in data.items() if key in names}


class _Flat:
    """A record of plain fields only, built from its JSON object by name."""

    __slots__ = ()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(**_known(cls, data))


@dataclass(frozen=True, slots=True)
class Series:
    """What identifies a series: its key and the parts the key is made of."""

    key: str
    conflict: str
    metric: str
    group: str | None
    place: str | None
    modality: str
    basis: str
    since: str | None
    day: str | None
    event: str | None = None
    """an incident's event (its target, or ``unnamed-...`` for one of the whole theatre); absent before issue 10"""

    @classmethod
    def from_dict(cls, data: dict[str, Any], key: str | None = None) -> Self:
        return cls(**_known(cls, {"key": key, **data} if key is not None else data))


@dataclass(frozen=True, slots=True)
class Related(_Flat):
    """An earlier claim that an event's claim conflicts with, revises or agrees with."""

    claim_id: str
    source: str
    value: float
    low: float
    high: float | None
    qualifier: str
    as_of: str
    sentence: str
    outlet: str
    url: str | None
    item_id: str
    series_key: str | None = None
    """the series of the claim when it is not the event's (a ``part-exceeds-whole``'s whole or part)"""


@dataclass(frozen=True, slots=True)
class ChangeEvent:
    """One value of ``figures.changes``: what one claim changed in its series, and why."""

    event_id: str
    kind: str
    rule: str
    conflict: str
    metric: str
    series: Series
    claim: Claim
    previous: Claim | None
    related: tuple[Related, ...]
    explanation: str

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        values = _known(cls, data)
        values["series"] = Series.from_dict(data["series"])
        values["claim"] = Claim.from_dict(data["claim"])
        values["previous"] = None if data.get("previous") is None else Claim.from_dict(data["previous"])
        values["related"] = tuple(Related.from_dict(entry) for entry in data.get("related", ()))
        return cls(**values)

    @classmethod
    def from_json(cls, raw: bytes | str) -> Self:
        return cls.from_dict(orjson.loads(raw))


@dataclass(frozen=True, slots=True)
class SourceFigure(_Flat):
    """One source's latest figure in a series."""

    source: str
    claim_id: str
    value: float
    low: float
    high: float | None
    qualifier: str
    as_of: str


@dataclass(frozen=True, slots=True)
class Counts(_Flat):
    """Retained reports, and pairs of them that corroborate, contradict or revise one another."""

    reports: int
    corroborations: int
    contradictions: int
    revisions: int


@dataclass(frozen=True, slots=True)
class FigureState:
    """One value of ``figures.current``: a series' current figure, each source's figure, its history."""

    series: Series
    kind: str
    current: Claim
    sources: tuple[SourceFigure, ...]
    counts: Counts
    history: tuple[Claim, ...]

    @property
    def series_key(self) -> str:
        return self.series.key

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Self:
        return cls(
            series=Series.from_dict(data["series"], key=data["series_key"]),
            kind=data["kind"],
            current=Claim.from_dict(data["current"]),
            sources=tuple(SourceFigure.from_dict(entry) for entry in data["sources"]),
            counts=Counts.from_dict(data["counts"]),
            history=tuple(Claim.from_dict(entry) for entry in data["history"]),
        )

    @classmethod
    def from_json(cls, raw: bytes | str) -> Self:
        """Parse a ``figures.current`` value (a null value is a deleted series: not for this method)."""
        return cls.from_dict(orjson.loads(raw))
