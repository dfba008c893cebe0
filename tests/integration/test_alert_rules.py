"""promtool accepts the Prometheus config and alert rules, and the rules' own unit tests pass.

Marked integration: promtool comes from deploy/prometheus/install.sh, which may run apt-get. When it
cannot be installed the tests fail with the installer's message; they never skip.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy/prometheus"


@pytest.fixture(scope="session")
def promtool(prometheus_tools: Path) -> str:
    return str(prometheus_tools / "promtool")


def run(*args: str) -> str:
    done = subprocess.run(args, capture_output=True, text=True, timeout=120, check=False)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    return output


def test_promtool_checks_the_alert_rules(promtool: str) -> None:
    output = run(promtool, "check", "rules", str(PROMETHEUS_DIR / "alerts.yml"))
    assert "SUCCESS: 7 rules found" in output, output


def test_promtool_checks_the_config_with_its_rule_files(promtool: str, tmp_path: Path) -> None:
    for name in ("prometheus.yml", "alerts.yml"):
        shutil.copy(PROMETHEUS_DIR / name, tmp_path / name)
    output = run(promtool, "check", "config", str(tmp_path / "prometheus.yml"))
    assert "SUCCESS: 1 rule files found" in output, output


def test_alert_rules_unit_tests_pass(promtool: str) -> None:
    output = run(promtool, "test", "rules", str(PROMETHEUS_DIR / "alerts_test.yml"))
    assert "SUCCESS" in output and "FAILED" not in output, output


def test_rule_unit_tests_catch_a_broken_threshold(promtool: str, tmp_path: Path) -> None:
    """The rule tests are not vacuous: a dead-letter threshold of 50% makes them fail."""
    rules = (PROMETHEUS_DIR / "alerts.yml").read_text()
    assert ") > 0.05\n" in rules
    (tmp_path / "alerts.yml").write_text(rules.replace(") > 0.05\n", ") > 0.5\n"))
    shutil.copy(PROMETHEUS_DIR / "alerts_test.yml", tmp_path / "alerts_test.yml")
    done = subprocess.run(
        [promtool, "test", "rules", str(tmp_path / "alerts_test.yml")],
        capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode != 0
    assert "FigurewatchDeadLetterRate" in done.stdout + done.stderr
