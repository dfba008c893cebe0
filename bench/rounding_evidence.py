"""How far a rounded restatement of a running toll sits from the true count: the evidence for how figurewatch reads
a bare round number ("death toll hits 20,000") and "passes"/"tops" X (docs/ledger.md, "What a headline figure
means").

Reads the Gaza health ministry's official daily series (``../shared/data/official-series/gaza-casualties-daily.json``,
never copied in) and prints, for the killed and injured running totals:

1. reporting lag: how far the count of L days before (L = 1..3) sits below the count on the day, relative to it;
2. for each round figure R a headline could state (multiples of 10,000 killed, of 50,000 injured): the first day the
   count reached R, the count 0-3 days later, and the days on which rounding the count (to nearest or down) at R's
   precision gives R, with how far the truth then lies from R;
3. for a writer who states the count of a day up to 3 days before, rounded to two significant figures (to nearest
   or down, as headlines do), how often the truth on the day of writing lies inside each candidate interval.

    python bench/rounding_evidence.py [SERIES.json]
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from streams.numbers import default_parser

REPO = Path(__file__).resolve().parents[1]
SERIES = REPO / ".." / "shared" / "data" / "official-series" / "gaza-casualties-daily.json"
LAGS = (0, 1, 2, 3)


def counts(series: list[dict[str, object]], field: str) -> list[tuple[str, int]]:
    """(day, count) for every day that states ``field``, in order."""
    return [(str(r["report_date"]), int(str(r[field]))) for r in series if isinstance(r.get(field), int)]


RULE = default_parser().vocabulary.rounding  # the shipped rule (streams/data/qualifiers.json, "rounding")


def unit_of(value: int) -> int:
    """The rounding unit the shipped rule gives a round ``value``."""
    bounds = RULE.bounds(value)
    assert bounds is not None, value
    return int(bounds[1]) + 1 - value


def rounded(value: int, significant: int, down: bool) -> int:
    step = 10 ** max(0, len(str(value)) - significant)
    return (value // step) * step if down else round(value / step) * step


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def lag_table(days: list[tuple[str, int]]) -> list[str]:
    lines = []
    for lag in LAGS[1:]:
        gaps = [(now - days[k - lag][1]) / now for k, (_, now) in enumerate(days) if k >= lag and now]
        early = [(now - days[k - lag][1]) / now for k, (d, now) in enumerate(days) if k >= lag and d < "2024-01-01"]
        lines.append(
            f"  lag {lag} day(s): the earlier count is below the day's by median {statistics.median(gaps):.2%}, "
            f"p90 {percentile(gaps, 0.9):.2%}, max {max(gaps):.2%} "
            f"(Oct-Dec 2023: median {statistics.median(early):.2%})"
        )
    return lines


def thresholds(days: list[tuple[str, int]], step: int) -> list[str]:
    lines = []
    top = days[-1][1]
    for r in range(step, top + 1, step):
        k = next(k for k, (_, v) in enumerate(days) if v >= r)
        after = [days[min(k + lag, len(days) - 1)][1] for lag in LAGS]
        unit = unit_of(r)
        near = [v for _, v in days if rounded(v, 2, down=False) == r]
        down = [v for _, v in days if rounded(v, 2, down=True) == r]
        spread = near + down
        lines.append(
            f"  {r:>7,}: reached {days[k][0]} at {days[k][1]:,} (+3 days: {after[-1]:,}, {after[-1] / r - 1:+.1%}); "
            f"rounds to it on {len(near)} day(s) to nearest, {len(down)} down; truth then "
            f"{min(spread) - r:+,} .. {max(spread) - r:+,} (unit {unit:,})"
            if spread
            else f"  {r:>7,}: reached {days[k][0]} at {days[k][1]:,}; no day rounds to it (the count jumped past)"
        )
    return lines


def coverage(days: list[tuple[str, int]], lags: tuple[int, ...]) -> list[str]:
    """Share of (day, lag, rounding) cases whose truth on the day lies inside each candidate interval."""
    candidates = {
        "exact [R, R]": lambda r, u: (r, r),
        "nearest [R - u/2, R + u/2)": lambda r, u: (r - u // 2, r + u // 2 - 1),
        "truncated [R, R + u)": lambda r, u: (r, r + u - 1),
        "rounded [R - u/2, R + u), shipped": lambda r, u: RULE.bounds(r),
        "about [0.9R, 1.1R]": lambda r, u: (round(0.9 * r), round(1.1 * r)),
    }
    hits = dict.fromkeys(candidates, 0)
    cases = 0
    for k, (_, truth) in enumerate(days):
        for lag in lags:
            if k < lag or days[k - lag][1] < 1000:
                continue
            for down in (False, True):
                r = rounded(days[k - lag][1], 2, down)
                if r % 1000:  # a headline rounds a toll of thousands to a multiple of 1,000 or coarser
                    continue
                cases += 1
                u = unit_of(r)
                for name, bounds in candidates.items():
                    low, high = bounds(r, u)
                    hits[name] += low <= truth <= high
    return [f"  {name:<30}{hits[name] / cases:>7.1%}  of {cases} cases" for name in candidates]


def main(argv: list[str]) -> int:
    series = json.loads((Path(argv[0]) if argv else SERIES).read_text())
    for field, step in (("killed_cum", 10_000), ("injured_cum", 50_000)):
        days = counts(series, field)
        print(f"{field}: {len(days)} days, {days[0][0]} .. {days[-1][0]}")
        print("reporting lag:")
        print("\n".join(lag_table(days)))
        print(f"round figures (every {step:,}):")
        print("\n".join(thresholds(days, step)))
        print("a headline that rounds the day's count to two significant figures (nearest or down):")
        print("\n".join(coverage(days, (0,))))
        print("a headline that rounds the count of 0-3 days before to two significant figures (nearest or down):")
        print("\n".join(coverage(days, LAGS)))
        print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
