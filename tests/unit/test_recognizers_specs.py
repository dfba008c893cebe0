"""Runs the number normalizer over Microsoft Recognizers-Text's English number specs.

The specs are read from ``../shared/data/recognizers-text`` next to the repository (never copied in);
bench/recognizers_report.py holds the scope classification and prints the counts.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
SPEC_DIR = REPO / ".." / "shared" / "data" / "recognizers-text"


def _report_module() -> ModuleType:
    spec = importlib.util.spec_from_file_location("recognizers_report", REPO / "bench" / "recognizers_report.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(
    not (SPEC_DIR / "NumberModel.json").is_file(),
    reason=f"Recognizers-Text specs not found at {SPEC_DIR} (they are read from there, never copied in)",
)
@pytest.mark.parametrize("model", ["NumberModel", "NumberRangeModel"])
def test_in_scope_cases_are_at_least_95_percent_right(model: str) -> None:
    report = _report_module().score(SPEC_DIR)[model]
    assert report.in_scope >= 20
    assert report.accuracy >= 0.95, report.failures
