"""Helpers shared by the integration tests: the offline expectation and waiting for the stream to match it."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

from streams.app import item_bounds
from streams.demo import SAMPLE_CORPUS, latest_states
from streams.pipeline import Accepted, ingest
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.settings import Settings


def corpus_lines(path: Path) -> list[bytes]:
    return [line for line in path.read_bytes().splitlines() if line.strip()]


def stream_lines(rounds: int) -> list[bytes]:
    """The sample corpus several times over, each round with its own item ids, days and figures."""
    lines = []
    for r in range(rounds):
        for line in corpus_lines(SAMPLE_CORPUS):
            item = orjson.loads(line)
            item["id"] = f"{item['id']}-r{r}"
            item["body"] = item["body"] + f" Round {r} of reporting."
            lines.append(orjson.dumps(item))
    return lines


def first_occurrences(events: list[Any]) -> list[Any]:
    """Events de-duplicated on event_id, keeping the first; a repeated id must carry the same event."""
    seen: dict[str, Any] = {}
    for event in events:
        earlier = seen.setdefault(event["event_id"], event)
        assert earlier == event, f"event {event['event_id']} emitted twice with different content"
    return list(seen.values())


def offline_claims(settings: Settings, lines: list[bytes]) -> list[dict[str, Any]]:
    """The claims ingest gives for ``lines`` in order, as the worker sends them to ``claims``."""
    extract = build_extractor(settings).extract
    seen: dict[str, str] = {}
    claims = []
    for line in lines:
        result = ingest(line, seen, max_bytes=settings.max_item_bytes, extract=extract)
        if isinstance(result, Accepted):
            claims.extend(claim.to_dict() for claim in result.claims)
    return claims


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
