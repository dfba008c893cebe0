"""``figurewatch evaluate stream``: each measure on tiny hand-made streams whose figures are computed by hand."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from streams._exceptions import InputError
from streams.claims import Claim
from streams.cli import main
from streams.items import NewsItem
from streams.ledger import Ledger, MemoryStore
from streams.stream_evaluate import (
    Current,
    Filed,
    Scope,
    StreamRun,
    Truth,
    is_restatement,
    measure,
    parse_truth,
    quantile,
    render,
    run_stream,
)
from tests.unit.ledger_claims import KINDS, claim

pytestmark = pytest.mark.unit

TRUTH = parse_truth([{"report_date": "2024-01-01", "killed_cum": 1000},
                     {"report_date": "2024-01-02", "killed_cum": 1100},
                     {"report_date": "2024-01-03", "ext_killed_cum": 1200},  # a day the field lacks
                     {"report_date": "2024-01-04", "killed_cum": 1300}], "killed_cum")
TERRITORY = {"israel-hamas": frozenset({"Gaza Strip"})}


def filed(claim_id: str, day: str, key: str, value: float, **fields: Any) -> Filed:
    published = f"{day}T10:00:00Z"
    return Filed(claim(claim_id, value=value, as_of=day, published_at=published, **fields), key, {}, day)


def contradiction(key: str, basis: str, place: str | None, figure: tuple[float, str], *,
                  related: list[tuple[float, str]]) -> dict[str, Any]:
    """A contradiction event as the ledger writes it, with only the fields the measures read."""
    value, as_of = figure
    return {"kind": "contradiction", "rule": "same-period-disjoint", "explanation": f"{value} vs {related}",
            "series": {"key": key, "conflict": "israel-hamas", "basis": basis, "place": place},
            "claim": {"conflict": "israel-hamas", "metric": "killed", "value": value, "as_of": as_of,
                      "sentence": "s"},
            "related": [{"value": v, "as_of": d} for v, d in related]}


def test_truth_takes_the_latest_record_on_or_before_a_day_and_the_ext_field_when_missing() -> None:
    assert TRUTH.on("2023-12-31") is None
    assert TRUTH.on("2024-01-03") == 1200
    assert TRUTH.on("2024-02-01") == 1300
    assert TRUTH.near(1090, "2024-01-01", 0.10)
    assert not TRUTH.near(1101, "2024-01-01", 0.10)
    with pytest.raises(InputError, match="no record has"):
        parse_truth([{"report_date": "2024-01-01", "injured_cum": 5}], "killed_cum")
    with pytest.raises(InputError, match="report_date"):
        parse_truth([{"killed_cum": 5}], "killed_cum")


def test_a_restatement_is_near_the_truth_of_a_day_in_the_week_before_the_item() -> None:
    scope = Scope()
    # 980 is near only 1 January's 1,000: a restatement on 8 January (7 days later), not on 9 January
    # (1,100 and more from 2 January on).
    assert is_restatement(filed("a", "2024-01-08", "k", 980), TRUTH, scope)
    assert not is_restatement(filed("b", "2024-01-09", "k", 980), TRUTH, scope)
    assert not is_restatement(filed("c", "2024-01-02", "k", 1000, conflict="russia-ukraine"), TRUTH, scope)
    assert not is_restatement(filed("d", "2024-01-02", "k", 1000, metric="injured"), TRUTH, scope)
    assert not is_restatement(filed("e", "2024-01-02", "k", 1000, modality="planned"), TRUTH, scope)
    assert not is_restatement(filed("f", "2024-01-02", "k", 40, basis="incident"), TRUTH, scope)


def test_quantile_interpolates_between_order_statistics() -> None:
    assert quantile([], 0.5) is None
    assert quantile([3.0], 0.9) == 3.0
    assert quantile([4.0, 1.0, 2.0, 3.0], 0.5) == 2.5
    assert quantile([0.0, 10.0], 0.9) == pytest.approx(9.0)


def failing_run() -> StreamRun:
    """A stream that misses every target; its figures are worked out in the test below."""
    run = StreamRun(items=4)
    run.filed = [
        filed("c1", "2024-01-01", "A", 1000),
        filed("c2", "2024-01-02", "A", 1100),
        filed("c3", "2024-01-02", "B", 1000, group="Palestinians"),  # one day late, another series
        filed("c4", "2024-01-03", "C", 1200, basis="incident"),      # a running total filed as an incident
        filed("c5", "2024-01-03", "D", 40, basis="incident"),        # one strike's toll: no restatement
        filed("c6", "2024-01-04", "E", 1300, conflict="russia-ukraine"),
    ]
    run.currents = [("2024-01-01", "A", Current(1000, "sA")), ("2024-01-02", "A", Current(1100, "sA")),
                    ("2024-01-02", "B", Current(1000, "sB")), ("2024-01-03", "C", Current(1200, "sC")),
                    ("2024-01-03", "D", Current(40, "sD")), ("2024-01-04", "E", Current(1300, "sE")),
                    ("2024-01-04", "A", None)]
    run.events = [
        {"kind": "new", "rule": "first-in-series"},
        contradiction("A", "total", None, (1000, "2024-01-02"), related=[(1100, "2024-01-02")]),  # false: both near
        contradiction("A", "total", None, (500, "2024-01-03"), related=[(1200, "2024-01-03")]),   # 500 is far off
        contradiction("D", "incident", None, (40, "2024-01-03"), related=[(7, "2024-01-03")]),    # unplaced, same day
        contradiction("D", "incident", "Gaza Strip", (40, "2024-01-03"), related=[(9, "2024-01-03")]),  # territory
        contradiction("D", "incident", "Rafah", (40, "2024-01-03"), related=[(9, "2024-01-03")]),  # a named place
        contradiction("D", "incident", None, (40, "2024-01-03"), related=[(9, "2024-01-02")]),     # another day
    ]
    return run


def test_measures_of_a_stream_that_misses_every_target() -> None:
    report = measure(failing_run(), TRUTH, Scope(), TERRITORY, examples=1)
    # c1..c4 restate the total; A holds two of them, B and C one each.
    assert (report.restatements, report.main_series, report.in_main) == (4, "A", 2)
    assert report.fragmentation == 0.5
    assert report.top_series == (("A", 2), ("B", 1), ("C", 1))
    assert report.filed_as_incidents == 1
    assert report.contradictions == 6
    assert report.false_contradictions == 1
    assert report.false_per_1000 == 250.0
    assert report.territory_collisions == 2
    # A's current value at the end of each day: 1000, 1100, 1100, 1100 against 1000, 1100, 1200, 1300.
    errors = [0.0, 0.0, 100 / 1200, 200 / 1300]
    assert report.tracking_days == 4
    assert report.tracking_median == pytest.approx((errors[1] + errors[2]) / 2)
    assert report.tracking_p90 == pytest.approx(errors[2] + 0.7 * (errors[3] - errors[2]))
    assert report.target_met() == dict.fromkeys(("fragmentation", "false_contradictions_per_1000",
                                                 "territory_incident_collisions", "tracking_error_median"), False)
    assert [len(texts) for texts in report.examples.values()] == [1, 1, 1, 1, 1]
    assert report.examples["tracking_outlier"] == ["2024-01-04: 1,100 against 1,300 (15% off), from 'sA'"]
    data = orjson.loads(orjson.dumps(report.to_dict()))
    assert data["contradictions_by_basis_and_rule"] == {"incident same-period-disjoint": 4,
                                                        "total same-period-disjoint": 2}
    table = render(report)
    assert "2 = 0.500" in table
    assert "MISSED" in table
    assert "ok" not in table.split("main series")[0].split()


def test_measures_of_a_stream_that_meets_every_target() -> None:
    run = StreamRun(items=3)
    run.filed = [filed("c1", "2024-01-01", "A", 1000), filed("c2", "2024-01-02", "A", 1100),
                 filed("c3", "2024-01-04", "A", 1280)]
    run.currents = [("2024-01-01", "A", Current(1000, "sA")), ("2024-01-02", "A", Current(1100, "sA")),
                    ("2024-01-04", "A", Current(1280, "sA"))]
    # 850 lies more than 10 % below 1 January's 1,000: a true contradiction.
    run.events = [contradiction("A", "total", None, (1280, "2024-01-04"), related=[(850, "2024-01-01")])]
    report = measure(run, TRUTH, Scope(), TERRITORY)
    assert (report.restatements, report.fragmentation, report.filed_as_incidents) == (3, 1.0, 0)
    assert (report.false_contradictions, report.territory_collisions) == (0, 0)
    # Days with a claim: 1, 2 and 4 January; errors 0, 0 and 20/1300.
    assert report.tracking_days == 3
    assert report.tracking_median == 0.0
    assert all(report.target_met().values())


def test_a_stream_with_no_restatement_has_no_main_series() -> None:
    run = StreamRun(items=1, filed=[filed("c1", "2024-01-02", "A", 5, basis="incident")],
                    currents=[("2024-01-02", "A", Current(5, "sA"))])
    report = measure(run, TRUTH, Scope(), TERRITORY)
    assert (report.main_series, report.fragmentation, report.tracking_median) == (None, None, None)
    assert not report.target_met()["fragmentation"]
    assert "main series: -" in render(report)


def test_run_stream_records_every_claim_with_its_series_and_counts_accepted_items() -> None:
    claims = {"i1": [claim("c1", value=1000.0)], "i2": [claim("c2", value=1000.0, attributed_to="UN"),
                                                        claim("c3", value=1100.0, as_of="2025-01-15")]}

    def extract(item: NewsItem) -> list[Claim]:
        return claims[item.id]

    def line(item_id: str) -> bytes:
        return orjson.dumps({"id": item_id, "published_at": "2025-01-15T08:00:00Z", "outlet": "AP",
                             "title": "t", "body": "b"})

    run = run_stream([line("i1"), b"not json", line("i2"), line("i2")], extract,
                     Ledger(MemoryStore(), KINDS), max_bytes=10_000)
    # Items are the lines not rejected; the exact repeat of i2 counts as an item but adds no claim.
    assert (run.items, run.rejected) == (3, 1)
    assert [f.claim.claim_id for f in run.filed] == ["c1", "c2", "c3"]
    assert len({f.series_key for f in run.filed}) == 1
    assert run.filed[0].series["metric"] == "killed"
    assert [f.day for f in run.filed] == ["2025-01-14"] * 3  # the claims' own publication day
    # c2 repeats c1's figure with a new claim id (its state changes); c3 moves the current figure to 1,100.
    assert [c and c.value for _, _, c in run.currents] == [1000.0, 1000.0, 1100.0]
    assert run.events[0]["kind"] == "new"


def test_the_command_measures_a_stream_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    truth = tmp_path / "truth.json"
    truth.write_bytes(orjson.dumps([{"report_date": "2024-01-01", "killed_cum": 22000},
                                    {"report_date": "2024-01-02", "killed_cum": 22200},
                                    {"report_date": "2024-01-03", "killed_cum": 22400}]))
    stream = tmp_path / "stream.jsonl"
    figures = (("2024-01-01", "22,000"), ("2024-01-02", "22,100"), ("2024-01-03", "22,400"))
    stream.write_bytes(b"".join(orjson.dumps({
        "id": f"s{n}", "published_at": f"{day}T12:00:00Z", "outlet": "Reuters", "title": "Gaza war",
        "body": f"The Gaza health ministry said {figure} people have been killed in Gaza since October 7, 2023.",
    }) + b"\n" for n, (day, figure) in enumerate(figures)))
    assert main(["evaluate", "stream", str(stream), "--truth", str(truth), "--json"]) == 0
    data = orjson.loads(capsys.readouterr().out)
    assert (data["items"], data["restatements"], data["fragmentation"]) == (3, 3, 1.0)
    # The series' current value: 22,000, 22,100, 22,400 against 22,000, 22,200, 22,400.
    assert data["tracking_days"] == 3
    assert data["tracking_error_median"] == 0.0
    assert data["tracking_error_p90"] == pytest.approx(0.8 * 100 / 22200)
    assert main(["evaluate", "stream", str(stream), "--truth", str(truth)]) == 0
    assert "fragmentation" in capsys.readouterr().out
    # --strict fails when a target is missed: no restatement at all against a truth ten times higher.
    truth.write_bytes(orjson.dumps([{"report_date": "2024-01-01", "killed_cum": 220000}]))
    assert main(["evaluate", "stream", str(stream), "--truth", str(truth), "--strict"]) == 1
    assert main(["evaluate", "stream", str(stream), "--truth", str(tmp_path / "missing.json")]) == 1
    assert "cannot read" in capsys.readouterr().err
    assert main(["evaluate", "stream", str(tmp_path / "none.jsonl"), "--truth", str(truth)]) == 1
    assert "cannot read" in capsys.readouterr().err
    truth.write_text("[{]")
    assert main(["evaluate", "stream", str(stream), "--truth", str(truth)]) == 1
    assert "cannot read the truth series" in capsys.readouterr().err


def test_truth_dataclass_is_what_parse_truth_builds() -> None:
    expected = Truth(("2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"), (1000.0, 1100.0, 1200.0, 1300.0))
    assert expected == TRUTH
