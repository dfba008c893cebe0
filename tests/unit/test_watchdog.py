"""The progress watchdog reports pending work that stops moving, and nothing else."""

from __future__ import annotations

import pytest

from streams.watchdog import Watchdog

pytestmark = pytest.mark.unit


def test_moving_or_idle_work_is_never_stalled() -> None:
    dog = Watchdog(after_seconds=10)
    for t in range(0, 100, 5):
        assert dog.observe(t, {"moving": (t, 3), "idle": (7, 0)}) == []


def test_pending_work_that_stops_is_reported_every_period() -> None:
    dog = Watchdog(after_seconds=10)
    assert dog.observe(0, {"p0": (5, 3)}) == []
    assert dog.observe(5, {"p0": (5, 3)}) == []
    assert not dog.stalled
    assert dog.observe(10, {"p0": (5, 3)}) == ["p0"]
    assert dog.strikes == {"p0": 1}
    assert dog.stalled, "a stall lasts until the marker moves (the worker is not ready meanwhile)"
    assert dog.observe(15, {"p0": (5, 3)}) == []
    assert dog.observe(20, {"p0": (5, 3)}) == ["p0"]
    assert dog.strikes == {"p0": 2}
    assert dog.observe(25, {"p0": (6, 2)}) == [], "progress clears the stall"
    assert dog.strikes == {}
    assert not dog.stalled


def test_keys_that_go_away_are_forgotten() -> None:
    dog = Watchdog(after_seconds=10)
    dog.observe(0, {"p0": (5, 3), "p1": (1, 1)})
    assert dog.observe(10, {"p1": (1, 1)}) == ["p1"]
    assert dog.observe(20, {"p0": (5, 3)}) == [], "p0 came back: its clock starts again"
