"""The terminal table of current figures for ``figurewatch figures`` and ``figurewatch replay --tables``."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from streams.claims import Claim
from streams.ledger.series import DAY_TOLL, UNNAMED
from streams.ledger.wording import amount

_HEADERS = ("conflict", "metric", "group", "place", "basis/period", "figure", "source", "as_of",
            "rep/cor/con")


def render_tables(states: Iterable[dict[str, Any]], conflict: str | None = None) -> str:
    """Render series states (``figures.current`` values) as aligned text columns, sorted by series key."""
    chosen = sorted((s for s in states if conflict is None or s["series"]["conflict"] == conflict),
                    key=lambda s: str(s["series_key"]))
    if not chosen:
        return "no figures" + (f" for {conflict}" if conflict else "") + "\n"
    rows = [_HEADERS, *(_row(state) for state in chosen)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(_HEADERS))]
    lines = ["  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines) + "\n"


def _row(state: dict[str, Any]) -> tuple[str, ...]:
    series = state["series"]
    current = Claim.from_dict(state["current"])
    counts = state["counts"]
    incident = series["basis"] == "incident"
    if series["modality"] == "planned":
        period = "planned"
    elif incident:
        event = series.get("event")
        named = f" ({event.replace('_', ' ')})" if event and not event.startswith(UNNAMED) else ""
        period = f"incident {series['day']}{named}"
    elif series["basis"] == DAY_TOLL:
        period = f"day {series['day']}"
    else:
        period = f"since {series['since']}" if series["since"] else "total"
    return (
        series["conflict"],
        series["metric"],
        series["group"] or "-",
        series["place"] or "-",
        period,
        amount(current),
        current.source,
        current.as_of,
        f"{counts['reports']}/{counts['corroborations']}/{counts['contradictions']}",
    )
