"""Measure series resolution on a news stream against an official daily series (``figurewatch evaluate stream``).

The stream's items go through :func:`streams.replay.replay`, the offline path of the worker; every claim is
seen with the series the ledger filed it in and the event it raised. The measures (docs/benchmarks.md
defines each one; "in scope" means the chosen conflict and metric, modality reported):

* a **restatement** is an in-scope claim whose value lies within ``tolerance`` (10 %) of the truth on a
  day of the ``window_days`` (7) days before its item's publication day, or on that day;
* the **main series** is the series holding the most restatements (ties: the smallest key);
  **fragmentation** is the share of restatements filed in it;
* **running totals filed as incidents**: restatements whose claim has basis ``incident``;
* a **false contradiction** is a contradiction event whose in-scope claim lies within ``tolerance`` of
  the truth on its own ``as_of`` day, and one of whose related claims does too on its own ``as_of`` day;
  counted per 1,000 items;
* a **whole-territory incident collision** is a contradiction event (any conflict, any metric) in an
  incident series whose place is none or one of its conflict's territory places, against a related
  claim of the same ``as_of`` day;
* the **tracking error** of a day is ``|current - truth| / truth``, where current is the value of the
  main series' current figure after the last claim of that day; it is taken on every day on which the
  stream has a claim, from the first day the main series holds a figure, and summarized by its median
  and 90th percentile.

The truth file is a JSON list of daily records (``report_date`` and numeric fields), the format of
``../shared/data/official-series/gaza-casualties-daily.json``; a day missing the chosen field takes
``ext_<field>`` when present. Pure: the caller supplies the lines, the extract function and the ledger.
"""

from __future__ import annotations

import bisect
import math
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, timedelta
from pathlib import Path
from typing import Any

import orjson

from streams._exceptions import InputError
from streams.claims import Claim
from streams.items import parse_timestamp
from streams.ledger import Ledger, Outcome
from streams.pipeline import Bounds, Extract, Rejected
from streams.replay import replay

TARGETS = {"fragmentation": 0.95, "false_contradictions_per_1000": 1.0, "territory_incident_collisions": 0,
           "tracking_error_median": 0.02}


@dataclass(frozen=True, slots=True)
class Truth:
    """An official daily series: the value on a day is that of the latest record on or before it."""

    days: tuple[str, ...]
    values: tuple[float, ...]

    def on(self, day: str) -> float | None:
        at = bisect.bisect_right(self.days, day) - 1
        return self.values[at] if at >= 0 else None

    def near(self, value: float, day: str, tolerance: float) -> bool:
        """Whether ``value`` lies within ``tolerance`` (a share) of the truth on ``day``."""
        truth = self.on(day)
        return truth is not None and truth > 0 and abs(value - truth) <= tolerance * truth


def parse_truth(data: Any, field_name: str, where: str = "truth") -> Truth:
    """The series of ``field_name`` (else ``ext_<field_name>``) from a list of daily records."""
    if not isinstance(data, list):
        raise InputError(f"{where}: expected a JSON list of daily records")
    pairs: dict[str, float] = {}
    for n, record in enumerate(data):
        if not isinstance(record, dict) or not isinstance(record.get("report_date"), str):
            raise InputError(f"{where}[{n}]: a record needs a report_date string")
        value = record.get(field_name)
        if value is None:
            value = record.get(f"ext_{field_name}")
        if isinstance(value, int | float) and not isinstance(value, bool):
            pairs[record["report_date"]] = float(value)
    if not pairs:
        raise InputError(f"{where}: no record has {field_name!r} or 'ext_{field_name}'")
    days = tuple(sorted(pairs))
    return Truth(days, tuple(pairs[day] for day in days))


def load_truth(path: Path, field_name: str) -> Truth:
    try:
        data = orjson.loads(path.read_bytes())
    except (OSError, orjson.JSONDecodeError) as exc:
        raise InputError(f"cannot read the truth series {path}: {exc}") from exc
    return parse_truth(data, field_name, str(path))


@dataclass(frozen=True, slots=True)
class Filed:
    """One claim as the ledger filed it: its series key and fields, and its item's publication day."""

    claim: Claim
    series_key: str
    series: dict[str, Any]
    day: str


@dataclass(frozen=True, slots=True)
class Current:
    """A series' current figure: its value and the sentence that stated it."""

    value: float
    sentence: str


@dataclass(slots=True)
class StreamRun:
    """What replaying a stream gave: items read, every claim's series, the events, the series' values."""

    items: int = 0
    rejected: int = 0
    filed: list[Filed] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    # (publication day, series key, the series' current figure if the claim changed its state), in order
    currents: list[tuple[str, str, Current | None]] = field(default_factory=list)


def item_day(claim: Claim) -> str:
    return parse_timestamp(claim.published_at).astimezone(UTC).date().isoformat()


def run_stream(lines: Iterable[bytes], extract: Extract, ledger: Ledger, *, max_bytes: int,
               bounds: Bounds | None = None) -> StreamRun:
    """Replay the lines through ingest, extraction and ``ledger``, recording where every claim went."""
    run = StreamRun()

    def counted() -> Iterator[bytes]:
        for line in lines:
            run.items += 1
            yield line

    def on_reject(_: Rejected) -> None:
        run.rejected += 1

    def on_outcome(claim: Claim, outcome: Outcome) -> None:
        day = item_day(claim)
        state = outcome.state if outcome.state is not None else ledger.store.get(outcome.series_key)
        series = dict(state["series"]) if state is not None else {}
        run.filed.append(Filed(claim, outcome.series_key, series, day))
        state_now = outcome.state
        current = None if state_now is None else Current(float(state_now["current"]["value"]),
                                                         str(state_now["current"]["sentence"]))
        run.currents.append((day, outcome.series_key, current))

    run.events.extend(replay(counted(), extract, ledger, max_bytes=max_bytes, bounds=bounds, on_reject=on_reject,
                             on_outcome=on_outcome))
    run.items -= run.rejected
    return run


@dataclass(frozen=True, slots=True)
class Scope:
    """What the truth counts, and the bounds of a restatement."""

    conflict: str = "israel-hamas"
    metric: str = "killed"
    tolerance: float = 0.10
    window_days: int = 7

    def holds(self, claim: Claim) -> bool:
        return claim.conflict == self.conflict and claim.metric == self.metric and claim.modality == "reported"


def is_restatement(filed: Filed, truth: Truth, scope: Scope) -> bool:
    """An in-scope claim within the tolerance of the truth on a day of the week before its item's day."""
    if not scope.holds(filed.claim):
        return False
    end = date.fromisoformat(filed.day)
    return any(truth.near(filed.claim.value, (end - timedelta(days=back)).isoformat(), scope.tolerance)
               for back in range(scope.window_days + 1))


def quantile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile by linear interpolation between order statistics (None when empty)."""
    if not values:
        return None
    ordered = sorted(values)
    at = share * (len(ordered) - 1)
    low, high = math.floor(at), math.ceil(at)
    return ordered[low] + (ordered[high] - ordered[low]) * (at - low)


@dataclass(frozen=True, slots=True)
class StreamReport:
    """The measures of one stream (see the module docstring), with a few examples of each failure."""

    items: int
    restatements: int
    main_series: str | None
    in_main: int
    top_series: tuple[tuple[str, int], ...]
    filed_as_incidents: int
    contradictions: int
    contradictions_by_rule: tuple[tuple[str, int], ...]
    false_contradictions: int
    territory_collisions: int
    tracking_days: int
    tracking_median: float | None
    tracking_p90: float | None
    examples: dict[str, list[str]]

    @property
    def fragmentation(self) -> float | None:
        return self.in_main / self.restatements if self.restatements else None

    @property
    def false_per_1000(self) -> float:
        return 1000 * self.false_contradictions / self.items if self.items else 0.0

    def target_met(self) -> dict[str, bool]:
        fragmentation = self.fragmentation
        return {
            "fragmentation": fragmentation is not None and fragmentation >= TARGETS["fragmentation"],
            "false_contradictions_per_1000": self.false_per_1000 <= TARGETS["false_contradictions_per_1000"],
            "territory_incident_collisions": self.territory_collisions <= TARGETS["territory_incident_collisions"],
            "tracking_error_median": (self.tracking_median is not None
                                      and self.tracking_median <= TARGETS["tracking_error_median"]),
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "items": self.items,
            "restatements": self.restatements,
            "main_series": self.main_series,
            "restatements_in_main_series": self.in_main,
            "fragmentation": self.fragmentation,
            "series_holding_restatements": [{"series_key": k, "restatements": n} for k, n in self.top_series],
            "running_totals_filed_as_incidents": self.filed_as_incidents,
            "contradictions": self.contradictions,
            "contradictions_by_basis_and_rule": dict(self.contradictions_by_rule),
            "false_contradictions": self.false_contradictions,
            "false_contradictions_per_1000_items": self.false_per_1000,
            "territory_incident_collisions": self.territory_collisions,
            "tracking_days": self.tracking_days,
            "tracking_error_median": self.tracking_median,
            "tracking_error_p90": self.tracking_p90,
            "targets": TARGETS,
            "targets_met": self.target_met(),
            "examples": self.examples,
        }


def measure(run: StreamRun, truth: Truth, scope: Scope, territory: Mapping[str, frozenset[str]],
            examples: int = 3) -> StreamReport:
    """Every measure of the module docstring over one replayed stream."""
    shown: dict[str, list[str]] = {"fragmented": [], "filed_as_incident": [], "false_contradiction": [],
                                   "territory_collision": [], "tracking_outlier": []}

    def note(kind: str, text: str) -> None:
        if len(shown[kind]) < examples:
            shown[kind].append(text)

    restated = [f for f in run.filed if is_restatement(f, truth, scope)]
    per_series = Counter(f.series_key for f in restated)
    ranked = sorted(per_series.items(), key=lambda pair: (-pair[1], pair[0]))
    main = ranked[0][0] if ranked else None
    for f in restated:
        if f.series_key != main:
            note("fragmented", f"{f.series_key}: {f.claim.sentence!r} ({f.claim.outlet}, {f.day})")
    incidents = [f for f in restated if f.claim.basis == "incident"]
    for f in incidents:
        note("filed_as_incident", f"{f.series_key}: {f.claim.sentence!r} ({f.claim.outlet}, {f.day})")

    contradictions = [e for e in run.events if e["kind"] == "contradiction"]
    false = 0
    collisions = 0
    for event in contradictions:
        claim = event["claim"]
        if _false_contradiction(event, truth, scope):
            false += 1
            note("false_contradiction", str(event["explanation"]))
        if _territory_collision(event, territory):
            collisions += 1
            note("territory_collision", f"{event['series']['key']}: {event['explanation']} "
                                        f"[{claim['sentence']!r}]")

    tracked = _tracking(run, main, truth)
    errors = [error for _, error, _ in tracked]
    for day, error, current in sorted(tracked, key=lambda t: (-t[1], t[0])):
        if error > scope.tolerance:
            note("tracking_outlier", f"{day}: {current.value:,.0f} against {truth.on(day):,.0f} "
                                     f"({error:.0%} off), from {current.sentence!r}")
    return StreamReport(
        items=run.items, restatements=len(restated), main_series=main, in_main=per_series.get(main, 0) if main else 0,
        top_series=tuple(ranked[:5]), filed_as_incidents=len(incidents), contradictions=len(contradictions),
        contradictions_by_rule=tuple(sorted(Counter(f"{e['series'].get('basis')} {e['rule']}"
                                                    for e in contradictions).items())),
        false_contradictions=false, territory_collisions=collisions, tracking_days=len(errors),
        tracking_median=quantile(errors, 0.5), tracking_p90=quantile(errors, 0.9), examples=shown)


def _false_contradiction(event: dict[str, Any], truth: Truth, scope: Scope) -> bool:
    claim = event["claim"]
    if claim["conflict"] != scope.conflict or claim["metric"] != scope.metric:
        return False
    if not truth.near(float(claim["value"]), claim["as_of"], scope.tolerance):
        return False
    return any(truth.near(float(other["value"]), other["as_of"], scope.tolerance) for other in event["related"])


def _territory_collision(event: dict[str, Any], territory: Mapping[str, frozenset[str]]) -> bool:
    series = event["series"]
    if series.get("basis") != "incident":
        return False
    place = series.get("place")
    if place is not None and place not in territory.get(str(series.get("conflict")), frozenset()):
        return False
    day = event["claim"]["as_of"]
    return any(other["as_of"] == day for other in event["related"])


def _tracking(run: StreamRun, main: str | None, truth: Truth) -> list[tuple[str, float, Current]]:
    """Each day with a claim, once the main series has a figure: the relative error of its current figure at
    the end of the day, and that figure."""
    if main is None:
        return []
    held: Current | None = None
    by_day: dict[str, Current | None] = {}
    for day, key, current in run.currents:
        if key == main and current is not None:
            held = current
        by_day[day] = held
    tracked = []
    for day in sorted(by_day):
        figure, expected = by_day[day], truth.on(day)
        if figure is not None and expected:
            tracked.append((day, abs(figure.value - expected) / expected, figure))
    return tracked


def render(report: StreamReport) -> str:
    """The report as a readable table, with the series holding restatements and examples of failures."""
    met = report.target_met()

    def mark(name: str) -> str:
        return "ok" if met[name] else "MISSED"

    def share(value: float | None) -> str:
        return "-" if value is None else f"{value:.2%}"

    fragmentation = report.fragmentation
    rows = [
        ("items", f"{report.items:,}", ""),
        ("running-total restatements", f"{report.restatements:,}", ""),
        ("  in the main series (fragmentation)",
         f"{report.in_main:,} = {'-' if fragmentation is None else f'{fragmentation:.3f}'}",
         f">= 0.95 {mark('fragmentation')}"),
        ("  filed as incidents", f"{report.filed_as_incidents:,}", ""),
        ("contradictions", f"{report.contradictions:,}", ""),
        ("  false (both figures near the truth)",
         f"{report.false_contradictions:,} = {report.false_per_1000:.1f} per 1,000 items",
         f"<= 1 {mark('false_contradictions_per_1000')}"),
        ("  whole-territory/unplaced incidents, same day", f"{report.territory_collisions:,}",
         f"0 {mark('territory_incident_collisions')}"),
        *((f"  by basis and rule: {name}", f"{count:,}", "") for name, count in report.contradictions_by_rule),
        ("tracking error, median", share(report.tracking_median),
         f"<= 2 % {mark('tracking_error_median')}"),
        ("tracking error, 90th percentile", share(report.tracking_p90), ""),
        ("days tracked", f"{report.tracking_days:,}", ""),
    ]
    width = max(len(name) for name, _, _ in rows)
    value_width = max(len(value) for _, value, _ in rows)
    lines = [f"{'measure'.ljust(width)}  {'value'.ljust(value_width)}  target", "-" * (width + value_width + 16)]
    lines += [f"{name.ljust(width)}  {value.ljust(value_width)}  {target}".rstrip() for name, value, target in rows]
    lines.append("")
    lines.append(f"main series: {report.main_series or '-'}")
    lines.append("series holding restatements:")
    lines += [f"  {count:5d}  {key}" for key, count in report.top_series]
    for kind, texts in report.examples.items():
        if texts:
            lines.append(f"examples, {kind.replace('_', ' ')}:")
            lines += [f"  - {text}" for text in texts]
    return "\n".join(lines) + "\n"
