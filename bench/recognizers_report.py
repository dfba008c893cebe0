"""Scores streams.numbers against Microsoft Recognizers-Text's English number specs.

The specs live outside the repository (``../shared/data/recognizers-text`` next to it, MIT licensed;
see the README there) and are read at run time, never copied. Each case is classified as in scope
(cardinals, decimals, simple fractions, news-style hedges and ranges) or out of scope with a reason;
``tests/unit/test_recognizers_specs.py`` asserts >= 95% of in-scope cases right.

    python bench/recognizers_report.py [SPEC_DIR]
"""

from __future__ import annotations

import json
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from streams.numbers import NumberParser, Quantity, default_parser

SPEC_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "recognizers-text"

# (reason, pattern over the case's Input). The first that matches puts a case out of scope.
_COMMON = [
    ("negative numbers: counts of people are never negative, and '-' before a number is a dash in news",
     r"\bnegative\b|\bminus\b|(?:^|\s|<=?)\s*-\s*\d"),
    ("powers and scientific notation", r"\^|\d[eE][+-]?\d|x10"),
    ("spoken decimals ('two hundred point zero three')", r"\bpoint\b"),
    ("ratios and slash fractions: '1 over 3', '1 in twenty-one'; '3/4' reads as a date in news",
     r"\d\s*/\s*\d|\b(?:\d+|one|two|ninety - five hundred)\s+(?:over|out of)\s|\b1 in twenty|\b\d in \d\b"),
    ("Indian numbering (lakh, crore)", r"\blakh\b|\bcrore\b"),
    ("other locales' digit grouping: space-separated thousands, decimal commas, Indian grouping",
     r"\d \d{3}\b|\d,\d{1,2}(?!\d)|\d{1,2},\d{2},\d{3}|\d\.\d{3},\d"),
    ("unit-ambiguous scale letters ('10G', '1MM', '1,674.5 G', '1,674,200.5 M')", r"\dG\b|\dMM\b|\d\s+[MG]\b"),
    ("dotted number sequences (IP addresses, versions)", r"\d+\.\d+\.\d+"),
    ("improper and compound fractions, ordinal denominators beyond tenths ('twenty-three fifths')",
     r"\b\w+(?:hundredths?|thousandths?|millionths?|trillionths?|tieth)\b|hundredths?|trillionths?|twenty[- ]firsts?"
     r"|\b(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand|million)[\s-]+"
     r"(?:[\w-]+\s+){0,4}(?:halves|thirds|quarters|fourths|fifths|sixths|sevenths|eighths|ninths|tenths|fifth)\b"),
]  # fmt: skip
_RANGE_ONLY = [
    ("mathematical comparatives and symbols ('larger than', '>=', 'equal to'), not news phrasing",
     r"[<>=~]|\b(?:larger|bigger|higher|lower|smaller)\b|\bequal|\bor greater\b|\bsurpass\b|\bexceed\b"),
    ("two-sided compound comparisons ('more than 10 and less than 40')",
     r"\b(?:more|less|fewer|above|below|most|least)\b[^.,]*\b(?:and|but)\s+(?:no |at )?"
     r"(?:more|less|fewer|above|below|most|least)\b"),
    ("ordinals ('between the tenth and the fifteenth')", r"\b\w+(?:teenth|tenth)\b"),
    ("spec quirk: 'from 200 to 300 in 2008' is expected to match nothing, unlike 'from 200 to 3000000 in 2008'",
     r"from 200 to 300 in"),
]  # fmt: skip


def out_of_scope(case: dict[str, Any], ranges: bool) -> str | None:
    """The reason a case is out of scope, or None when it is in scope."""
    text = case["Input"]
    for reason, pattern in [*_COMMON, *(_RANGE_ONLY if ranges else [])]:
        if re.search(pattern, text, re.IGNORECASE):
            return reason
    return None


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=1e-6, abs_tol=1e-9)


def number_case_ok(parser: NumberParser, case: dict[str, Any]) -> bool:
    expected = [(r["Start"], r["End"] + 1, float(r["Resolution"]["value"])) for r in case["Results"]]
    got = [(n.start, n.end, n.value) for n in parser.numbers(case["Input"])]
    return len(expected) == len(got) and all(
        e[0] == g[0] and e[1] == g[1] and _close(e[2], g[2]) for e, g in zip(expected, got, strict=True)
    )


def _bounds(q: Quantity) -> tuple[float | None, float | None] | None:
    """Our quantity as the spec's interval ends; brackets are not compared (news ranges are closed)."""
    return {
        "range": (q.low, q.high),
        "more_than": (q.value, None),
        "at_least": (q.value, None),
        "less_than": (None, q.value),
        "at_most": (None, q.value),
    }.get(q.qualifier)


def _spec_bounds(value: str) -> tuple[float | None, float | None]:
    low, high = value.strip("[]()").split(",")
    return (float(low) if low else None, float(high) if high else None)


def range_case_ok(parser: NumberParser, case: dict[str, Any]) -> bool:
    expected = [(r["Start"], r["End"] + 1, _spec_bounds(r["Resolution"]["value"])) for r in case["Results"]]
    got = [(q.start, q.end, b) for q in parser.quantities(case["Input"]) if (b := _bounds(q)) is not None]
    return len(expected) == len(got) and all(e == g for e, g in zip(expected, got, strict=True))


@dataclass
class Report:
    in_scope: int = 0
    right: int = 0
    out_of_scope: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)

    @property
    def accuracy(self) -> float:
        return self.right / self.in_scope if self.in_scope else 1.0


def score(spec_dir: Path = SPEC_DIR) -> dict[str, Report]:
    parser = default_parser()
    reports: dict[str, Report] = {}
    for name, ranges in (("NumberModel", False), ("NumberRangeModel", True)):
        cases = json.loads((spec_dir / f"{name}.json").read_text(encoding="utf-8"))
        report = reports[name] = Report()
        for case in cases:
            reason = out_of_scope(case, ranges)
            if reason is not None:
                report.out_of_scope[reason] += 1
                continue
            report.in_scope += 1
            if (range_case_ok if ranges else number_case_ok)(parser, case):
                report.right += 1
            else:
                report.failures.append(case["Input"])
    return reports


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    spec_dir = Path(args[0]) if args else SPEC_DIR
    if not spec_dir.is_dir():
        print(f"no specs at {spec_dir}", file=sys.stderr)
        return 1
    for name, report in score(spec_dir).items():
        total = report.in_scope + sum(report.out_of_scope.values())
        print(f"{name}: {total} cases, {report.in_scope} in scope, {report.right} right ({report.accuracy:.1%})")
        for reason, count in report.out_of_scope.most_common():
            print(f"  out of scope {count:3d}: {reason}")
        for text in report.failures:
            print(f"  wrong: {text!r}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
