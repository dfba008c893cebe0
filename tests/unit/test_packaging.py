"""The installed distribution: its version, its licence file, and runtime dependencies free of test tools."""

from __future__ import annotations

import subprocess
import sys
from importlib.metadata import distribution

import pytest

import streams
from tests.conftest import REPO

pytestmark = pytest.mark.unit

TEST_ONLY = {"pytest", "pytest-timeout", "hypothesis", "ruff", "mypy", "testcontainers", "pyyaml"}


def test_version_flag_prints_the_package_version() -> None:
    done = subprocess.run([sys.executable, "-m", "streams", "--version"], capture_output=True, text=True,
                          check=False, cwd=REPO)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"figurewatch {streams.__version__}"
    assert distribution("figurewatch").version == streams.__version__


def test_runtime_dependencies_hold_no_test_tool() -> None:
    requires = distribution("figurewatch").requires or []
    runtime = {r.split(";")[0].split("=")[0].split("<")[0].split(">")[0].strip().lower()
               for r in requires if "extra ==" not in r}
    assert runtime, requires
    assert not runtime & TEST_ONLY, runtime & TEST_ONLY
    assert "testcontainers" in {r.split("=")[0].lower() for r in requires if 'extra == "dev"' in r}


def test_licence_file_matches_the_declared_licence() -> None:
    text = (REPO / "LICENSE").read_text()
    assert text.startswith("MIT License"), text[:40]
    assert distribution("figurewatch").metadata["License-Expression"] == "MIT"
