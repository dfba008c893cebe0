"""The read model behind ``figurewatch serve``: request parameters, figure rows, conflict summaries, a
series' history, change pages and CSV. Pure: plain dicts in and out, no Kafka, no asyncio, no HTTP.

States are the values of ``figures.current`` and changes the values of ``figures.changes`` with the
sequence number the read store gave them (``id``, newest is highest). Event kinds and series bases
are read from the JSON Schemas, so a kind added to ``schemas/change-event.schema.json`` is
accepted and shown without a code change here.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

import orjson

from streams._exceptions import QueryError
from streams.datafiles import read_json, shipped_dir
from streams.schemas import load_schema

MAX_PARAMETER_CHARS = 200
FIGURES_LIMIT = (1000, 5000)
"""Default and largest number of figure rows one request returns."""
CHANGES_LIMIT = (50, 500)
"""Default and largest number of change events one page holds."""
CSV_CHANGES_LIMIT = (10_000, 100_000)
"""Default and largest number of change events one CSV export holds."""
SERIES_EVENTS_MAX = 2000
"""Change events of one series returned with it (the newest)."""

FIGURE_FILTERS = ("conflict", "metric", "group", "place", "basis")
_CURSOR = re.compile(r"^[0-9]{1,18}$")


@cache
def event_kinds() -> tuple[str, ...]:
    """The change-event kinds the schema allows, in its order."""
    return tuple(load_schema("change-event")["properties"]["kind"]["enum"])


@cache
def series_bases() -> tuple[str, ...]:
    """The series bases (running total, incident) the figure-state schema allows."""
    return tuple(load_schema("figure-state")["properties"]["series"]["properties"]["basis"]["enum"])


def openapi_document() -> dict[str, Any]:
    """``schemas/openapi.json`` as served: each ``x-figurewatch-enum`` (``change-event.kind``) is given the
    values the named JSON Schema allows, so the document lists every kind the ledger may emit."""
    document: dict[str, Any] = read_json(shipped_dir("schemas") / "openapi.json")

    def fill(node: Any) -> None:
        if isinstance(node, dict):
            source = node.get("x-figurewatch-enum")
            if isinstance(source, str):
                schema, _, field = source.partition(".")
                node["enum"] = list(load_schema(schema)["properties"][field]["enum"])
            for child in node.values():
                fill(child)
        elif isinstance(node, list):
            for child in node:
                fill(child)

    fill(document)
    return document


def _text(params: Mapping[str, str], name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if not value.strip():
        raise QueryError(name, "must not be empty when given")
    if len(value) > MAX_PARAMETER_CHARS:
        raise QueryError(name, f"is longer than {MAX_PARAMETER_CHARS} characters")
    return value


def _choice(params: Mapping[str, str], name: str, allowed: tuple[str, ...]) -> str | None:
    value = _text(params, name)
    if value is not None and value not in allowed:
        raise QueryError(name, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _limit(params: Mapping[str, str], bounds: tuple[int, int]) -> int:
    default, largest = bounds
    raw = params.get("limit")
    if raw is None:
        return default
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= largest:
        raise QueryError("limit", f"must be a whole number from 1 to {largest}, got {raw[:40]!r}")
    return int(raw)


def _only(params: Mapping[str, str], known: tuple[str, ...]) -> None:
    unknown = sorted(set(params) - set(known))
    if unknown:
        raise QueryError(unknown[0], f"unknown parameter; known: {', '.join(known)}")


def _since(params: Mapping[str, str]) -> str | None:
    """``since`` as a day (2025-01-31) or a time with its offset (2025-01-31T12:00:00Z), in the form the
    claims' ``published_at`` (UTC, ending in Z) compares with as text."""
    raw = _text(params, "since")
    if raw is None:
        return None
    try:
        if len(raw) == 10:
            return date.fromisoformat(raw).isoformat()
        parsed = datetime.fromisoformat(raw.replace("z", "Z").replace("Z", "+00:00"))
    except ValueError as exc:
        raise QueryError("since", f"must be a date (2025-01-31) or a time (2025-01-31T12:00:00Z), got {raw!r}") from exc
    if parsed.tzinfo is None:
        raise QueryError("since", "a time needs its offset from UTC (end it with Z or +01:00)")
    return parsed.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True, slots=True)
class FigureQuery:
    """``GET /api/figures`` (and ``figures.csv``): exact filters on the series' fields."""

    conflict: str | None = None
    metric: str | None = None
    group: str | None = None
    place: str | None = None
    basis: str | None = None
    limit: int = FIGURES_LIMIT[0]

    @classmethod
    def parse(cls, params: Mapping[str, str]) -> FigureQuery:
        _only(params, (*FIGURE_FILTERS, "limit"))
        return cls(
            conflict=_text(params, "conflict"), metric=_text(params, "metric"), group=_text(params, "group"),
            place=_text(params, "place"), basis=_choice(params, "basis", series_bases()),
            limit=_limit(params, FIGURES_LIMIT),
        )

    def matches(self, state: Mapping[str, Any]) -> bool:
        series = state["series"]
        return all(getattr(self, name) in (None, series[name]) for name in FIGURE_FILTERS)


@dataclass(frozen=True, slots=True)
class ChangeQuery:
    """``GET /api/changes`` (and its CSV and stream): filters, page size and the cursor to continue from.

    ``since`` keeps the changes whose report was published at or after it; ``cursor`` is the ``id`` of
    the last change of the previous page, and the page holds older ones.
    """

    conflict: str | None = None
    kind: str | None = None
    since: str | None = None
    limit: int = CHANGES_LIMIT[0]
    cursor: int | None = None

    @classmethod
    def parse(cls, params: Mapping[str, str], bounds: tuple[int, int] = CHANGES_LIMIT,
              known: tuple[str, ...] = ("conflict", "kind", "since", "limit", "cursor")) -> ChangeQuery:
        """``known`` names the parameters the route takes: the CSV export has no cursor, the stream only
        the filters."""
        _only(params, known)
        return cls(
            conflict=_text(params, "conflict"), kind=_choice(params, "kind", event_kinds()),
            since=_since(params), limit=_limit(params, bounds), cursor=parse_cursor(params.get("cursor"), "cursor"),
        )


def parse_cursor(raw: str | None, name: str) -> int | None:
    """A change id given back by a client (a cursor, or SSE's Last-Event-ID); 0 and None mean none."""
    if raw is None:
        return None
    if not _CURSOR.fullmatch(raw):
        raise QueryError(name, f"must be the id of a change (a whole number), got {raw[:40]!r}")
    return int(raw) or None


def figure_row(state: Mapping[str, Any]) -> dict[str, Any]:
    """One series' current figure with each source's latest figure side by side, for tables and CSV."""
    series, current, counts = state["series"], state["current"], state["counts"]
    return {
        "series_key": state["series_key"],
        **{name: series[name] for name in ("conflict", "metric", "group", "place", "modality", "basis", "since",
                                           "day")},
        "kind": state["kind"],
        "current": {
            "value": current["value"], "low": current["low"], "high": current["high"],
            "qualifier": current["qualifier"], "as_of": current["as_of"],
            "source": current["attributed_to"] or current["outlet"], "outlet": current["outlet"],
            "url": current["url"], "sentence": current["sentence"], "span": current["span"],
        },
        "sources": [dict(entry) for entry in state["sources"]],
        "counts": dict(counts),
        "contradicted": counts["contradictions"] > 0,
    }


def figure_rows(states: Iterable[Mapping[str, Any]], query: FigureQuery) -> tuple[list[dict[str, Any]], int]:
    """The rows of the matching series, ordered by conflict, metric, then series key; and how many matched."""
    matching = sorted((s for s in states if query.matches(s)),
                      key=lambda s: (s["series"]["conflict"], s["series"]["metric"], s["series_key"]))
    return [figure_row(s) for s in matching[: query.limit]], len(matching)


def conflict_summaries(states: Iterable[Mapping[str, Any]], stats: Mapping[str, Mapping[str, Any]],
                       last: Mapping[str, Mapping[str, Any]], names: Mapping[str, str]) -> list[dict[str, Any]]:
    """Each conflict with data: its name (from ``names``, the gazetteer's, else its slug), its series (and
    how many are contradicted), reports, changes by kind, and its last change. ``stats`` is the store's
    per-conflict counts, ``last`` each conflict's newest change."""
    series: dict[str, int] = {}
    contradicted: dict[str, int] = {}
    for state in states:
        conflict = state["series"]["conflict"]
        series[conflict] = series.get(conflict, 0) + 1
        contradicted[conflict] = contradicted.get(conflict, 0) + (state["counts"]["contradictions"] > 0)
    out = []
    for conflict in sorted(set(series) | set(stats)):
        counted = stats.get(conflict, {})
        kinds = dict(counted.get("kinds", {}))
        change = last.get(conflict)
        out.append({
            "conflict": conflict,
            "name": names.get(conflict, conflict),
            "series": series.get(conflict, 0),
            "contradicted_series": contradicted.get(conflict, 0),
            "reports": counted.get("reports", 0),
            "changes": sum(kinds.values()),
            "contradictions": kinds.get("contradiction", 0),
            "changes_by_kind": kinds,
            "last_change": None if change is None else change_summary(change),
        })
    return out


def change_summary(change: Mapping[str, Any]) -> dict[str, Any]:
    """The short form of a change: id, kind, rule, series, explanation and its report's time."""
    return {
        "id": change["id"], "event_id": change["event_id"], "kind": change["kind"], "rule": change["rule"],
        "series_key": change["series"]["key"], "explanation": change["explanation"],
        "published_at": change["claim"]["published_at"],
    }


def series_view(state: Mapping[str, Any] | None, changes: list[dict[str, Any]]) -> dict[str, Any] | None:
    """One series with every claim stored for it (the state's retained history and every change's claim
    and previous claim, each once, oldest first) and its changes, oldest first; None when unknown."""
    if state is None and not changes:
        return None
    claims: dict[str, dict[str, Any]] = {}
    for claim in [*(state["history"] if state else []), *(c["claim"] for c in changes),
                  *(c["previous"] for c in changes if c["previous"])]:
        claims.setdefault(claim["claim_id"], claim)
    ordered = sorted(claims.values(), key=lambda c: (c["as_of"], c["published_at"], c["claim_id"]))
    series = state["series"] if state else {k: v for k, v in changes[0]["series"].items() if k != "key"}
    key = state["series_key"] if state else changes[0]["series"]["key"]
    return {
        "series_key": key,
        "series": series,
        "current": figure_row(state) if state else None,
        "claims": [{**claim, "source": claim["attributed_to"] or claim["outlet"]} for claim in ordered],
        "changes": [
            {**change_summary(c), "claim_id": c["claim"]["claim_id"],
             "related": [r["claim_id"] for r in c["related"]]}
            for c in sorted(changes, key=lambda c: int(c["id"]))
        ],
    }


FIGURE_COLUMNS = (
    "conflict", "metric", "group", "place", "modality", "basis", "since", "day", "kind", "value", "low", "high",
    "qualifier", "as_of", "source", "url", "sources", "reports", "corroborations", "contradictions", "revisions",
    "series_key",
)
CHANGE_COLUMNS = (
    "id", "kind", "rule", "conflict", "metric", "group", "place", "basis", "value", "low", "high", "qualifier",
    "as_of", "source", "outlet", "published_at", "url", "explanation", "sentence", "event_id", "series_key",
)


def figure_record(row: Mapping[str, Any]) -> dict[str, Any]:
    """A figure row flattened to :data:`FIGURE_COLUMNS`; ``sources`` reads 'Source: value (as of); ...'."""
    current = row["current"]
    sources = "; ".join(f"{s['source']}: {_number(s['value'])} ({s['as_of']})" for s in row["sources"])
    return {
        **{name: row[name] for name in ("conflict", "metric", "group", "place", "modality", "basis", "since", "day",
                                        "kind", "series_key")},
        **{name: current[name] for name in ("value", "low", "high", "qualifier", "as_of", "source", "url")},
        "sources": sources, **row["counts"],
    }


def change_record(change: Mapping[str, Any]) -> dict[str, Any]:
    """A change flattened to :data:`CHANGE_COLUMNS`."""
    claim = change["claim"]
    return {
        "id": change["id"], "kind": change["kind"], "rule": change["rule"], "conflict": change["conflict"],
        "metric": change["metric"], "event_id": change["event_id"], "series_key": change["series"]["key"],
        "explanation": change["explanation"], "source": claim["attributed_to"] or claim["outlet"],
        **{name: claim[name] for name in ("group", "place", "basis", "value", "low", "high", "qualifier", "as_of",
                                          "outlet", "published_at", "url", "sentence")},
    }


def to_csv(columns: tuple[str, ...], records: Iterable[Mapping[str, Any]], *, first: bool = True) -> bytes:
    """RFC 4180 CSV a spreadsheet opens as it is: UTF-8 with a byte-order mark, CRLF line ends, a header
    row, empty cells for nulls, and text that a spreadsheet would run as a formula quoted with a '.
    ``first=False`` gives a later chunk of the same file: its rows only."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    if first:
        writer.writerow(columns)
    for record in records:
        writer.writerow([_cell(record.get(name)) for name in columns])
    return (b"\xef\xbb\xbf" if first else b"") + out.getvalue().encode()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _number(value)
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def sse_frame(change: Mapping[str, Any]) -> bytes:
    """One change as a Server-Sent Events frame; its ``id`` is what a client resumes from."""
    return b"id: %d\nevent: change\ndata: %s\n\n" % (int(change["id"]), orjson.dumps(change))
