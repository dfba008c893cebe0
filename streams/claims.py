"""The claim: one figure that a news report states, as extraction emits it and the ledger consumes it.

This dataclass is the contract of the ``claims`` topic; ``schemas/claim.schema.json`` describes the
same shape for dashboard authors, and a unit test keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

QUALIFIERS = ("exact", "at_least", "more_than", "at_most", "less_than", "about", "range", "vague")
MODALITIES = ("reported", "planned")
BASES = ("total", "incident")


@dataclass(frozen=True, slots=True)
class Claim:
    """One stated figure, normalized and attributed.

    ``low``/``high`` are the interval the wording allows (``high`` is None when unbounded);
    ``value`` is the best point estimate inside it. Dates are ISO ``YYYY-MM-DD`` strings.
    ``since`` is the start of the count for a total and None for an incident figure.
    ``revision`` is True when the text says the figure corrects an earlier one downwards.
    ``target`` is, for an incident figure, what its event hit when the text says ("school", "hospital",
    "aid_distribution": ``targets`` in ``data/taxonomy.json``), or ``day`` for a day's toll over its place
    ("in the past 24 hours"); None otherwise.
    """

    claim_id: str
    item_id: str
    outlet: str
    url: str | None
    published_at: str
    sentence: str
    span: tuple[int, int]
    conflict: str
    metric: str
    group: str | None
    place: str | None
    value: float
    low: float
    high: float | None
    qualifier: str
    modality: str
    basis: str
    attributed_to: str | None
    as_of: str
    since: str | None
    revision: bool = False
    target: str | None = None

    @property
    def source(self) -> str:
        """Who states the figure: the named source, else the outlet that published it."""
        return self.attributed_to or self.outlet

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form (integral numbers as ints, the span as a list)."""
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["span"] = list(self.span)
        for key in ("value", "low", "high"):
            data[key] = _plain_number(data[key])
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Claim:
        """Rebuild a claim from :meth:`to_dict` output (unknown keys are ignored)."""
        kwargs = {k: v for k, v in data.items() if k in _FIELD_NAMES}
        kwargs["span"] = (int(data["span"][0]), int(data["span"][1]))
        return cls(**kwargs)


_FIELD_NAMES = tuple(f.name for f in fields(Claim))


def _plain_number(value: float | None) -> float | int | None:
    if value is None:
        return None
    if float(value).is_integer():
        return int(value)
    return float(value)
