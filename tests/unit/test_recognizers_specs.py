"""Runs the number normalizer over Microsoft Recognizers-Text's English number specs.

The specs are read from ``../shared/data/recognizers-text`` next to the repository (never copied in);
bench/recognizers_report.py holds the scope classification and prints the counts.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import bench_module

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO / ".." / "shared" / "data" / "recognizers-text"


@pytest.mark.skipif(
    not (SPEC_DIR / "NumberModel.json").is_file(),
    reason=f"Recognizers-Text specs not found at {SPEC_DIR} (they are read from there, never copied in)",
)
@pytest.mark.parametrize("model", ["NumberModel", "NumberRangeModel"])
def test_in_scope_cases_are_at_least_95_percent_right(model: str) -> None:
    report = bench_module("recognizers_report").score(SPEC_DIR)[model]
    assert report.in_scope >= 20
    assert report.accuracy >= 0.95, report.failures
