"""Helpers shared by the integration tests: the offline expectation and waiting for the stream to match it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from streams.app import item_bounds
from streams.demo import latest_states
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.settings import Settings


def corpus_lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


def offline(settings: Settings, lines: list[bytes]) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """What replay gives for ``lines``: the change events, and the final states by series key."""
    ledger = offline_ledger(settings)
    events = list(replay(lines, build_extractor(settings).extract, ledger, max_bytes=settings.max_item_bytes,
                         bounds=item_bounds(settings)))
    return events, {state["series_key"]: state for state in ledger.tables()}


def wait_for_state(settings: Settings, expected: dict[str, dict[str, Any]], alive: Callable[[], bool],
                   timeout: float = 180) -> dict[str, dict[str, Any]]:
    """Poll figures.current until it equals ``expected`` (or time runs out); return the last state read."""
    deadline = time.monotonic() + timeout
    states = latest_states(settings)
    while states != expected and time.monotonic() < deadline and alive():
        time.sleep(1.0)
        states = latest_states(settings)
    return states


def state_diff(actual: dict[str, dict[str, Any]], expected: dict[str, dict[str, Any]]) -> str:
    """A short account of how two figures.current states differ, for assertion messages."""
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    changed = sorted(k for k in set(actual) & set(expected) if actual[k] != expected[k])
    lines = [f"missing {missing[:5]}", f"extra {extra[:5]}", f"changed {changed[:5]}"]
    for key in changed[:2]:
        fields = sorted(f for f in expected[key] if actual[key].get(f) != expected[key][f])
        lines.append(f"{key}: fields {fields}: {[(actual[key][f], expected[key][f]) for f in fields][:1]}")
    return "\n".join(lines)
