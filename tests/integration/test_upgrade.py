"""The upgrade path of docs/operations.md: after a version that keys series differently or puts them on other
partitions, ``figurewatch rebuild`` (workers stopped) and workers under a fresh app id end with the tables the new
version gives, and no old key or old placement."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable

import orjson
import pytest
from kafka.admin import ConfigResource, ConfigResourceType

from streams.claims import Claim
from streams.demo import SAMPLE_CORPUS, latest_states
from streams.kafkaio import admin_client, produce_lines, produce_records, read_topic
from streams.metrics import drained, scrape
from streams.settings import Settings
from streams.topics import series_partition
from tests.conftest import REPO, WorkerProcess
from tests.integration.support import corpus_lines, offline, state_diff

pytestmark = pytest.mark.integration

_OLD_KEY = "israel-hamas|killed|Palestinians|-|reported|total|2023-10-07"  # a key of the version before issue 10


def _cleanup_policy(settings: Settings, topic: str) -> str:
    with admin_client(settings) as admin:
        found = admin.describe_configs([ConfigResource(ConfigResourceType.TOPIC, topic)], config_filter="all")
    return str(found["topic"][topic]["cleanup.policy"]["value"])


def _drain(worker: WorkerProcess, items: int) -> None:
    deadline = time.monotonic() + 120
    while not drained(scrape(f"http://127.0.0.1:{worker.web_port}/metrics"), items):
        assert time.monotonic() < deadline, worker.log_tail()
        time.sleep(0.5)


def test_rebuild_then_a_fresh_app_id_gives_the_new_tables(start_worker: Callable[..., WorkerProcess]) -> None:
    lines = corpus_lines(SAMPLE_CORPUS)[:40]
    old = start_worker(FIGUREWATCH_PARTITIONS="2")
    settings = old.settings
    assert produce_lines(settings, settings.topic("news.items"), lines) == len(lines)
    _drain(old, len(lines))
    old.stop()
    # what the old version left behind: a state under an old key, a state on another partition than its key's
    # (by conflict, before issue 11; read after the right one, it would win), and a claim of an item no longer
    # retained
    states = latest_states(settings)
    state = next(s for s in states.values() if series_partition(s["series_key"], settings.partitions) == 0)
    stale = {**state, "series_key": _OLD_KEY}
    gone = Claim.from_dict({**state["current"], "claim_id": "f" * 32, "item_id": "expired", "value": 99,
                            "low": 99, "high": 99, "metric": "injured"})
    elsewhere = 1  # read after partition 0
    produce_records(settings, settings.topic("figures.current"), [
        (_OLD_KEY.encode(), orjson.dumps(stale), elsewhere),
        (state["series_key"].encode(), orjson.dumps({**state, "history": []}), elsewhere)])
    produce_records(settings, settings.topic("claims"), [(b"israel-hamas", orjson.dumps(gone.to_dict()), elsewhere)])
    _, expected = offline(settings, lines)
    assert _OLD_KEY in latest_states(settings)
    assert latest_states(settings)[state["series_key"]]["history"] == [], "the misplaced state is read last"

    done = subprocess.run([sys.executable, "-m", "streams", "rebuild", "--yes"], env=old.env, cwd=REPO,
                          capture_output=True, text=True, timeout=180, check=True)
    assert f"replayed {len(lines)} items" in done.stdout
    assert latest_states(settings) == expected, state_diff(latest_states(settings), expected)
    assert not list(read_topic(settings, settings.topic("claims"))), "the old claims are gone"
    assert _cleanup_policy(settings, settings.topic("figures.current")) == "compact", "compacted again after emptying"

    fresh = start_worker(FIGUREWATCH_PARTITIONS="2", FIGUREWATCH_APP_ID=f"{settings.app_id}-2")
    _drain(fresh, len(lines))
    claims = [m.json_value() for m in read_topic(settings, settings.topic("claims"))]
    assert claims and all(c["item_id"] != "expired" for c in claims)  # type: ignore[index]
    assert latest_states(settings) == expected, state_diff(latest_states(settings), expected)

    # the new rules in the worker as in replay: a part above its whole, read from the series beside it
    parts = [orjson.dumps({"id": f"part-{n}", "outlet": "Example Times", "published_at": "2025-02-05T10:00:00Z",
                           "title": "Gaza war", "body": body}) for n, body in enumerate([
        "The Gaza health ministry said 47,612 people have been killed in Gaza since the war began.",
        "UNICEF said 48,213 children have been killed in Gaza since the war began."])]
    assert produce_lines(settings, settings.topic("news.items"), parts) == 2
    _drain(fresh, len(lines) + 2)
    events, expected = offline(settings, lines + parts)
    assert latest_states(settings) == expected, state_diff(latest_states(settings), expected)
    flagged = [e for e in read_topic(settings, settings.topic("figures.changes")) if e.key
               and (e.json_value() or {}).get("rule") == "part-exceeds-whole"]  # type: ignore[union-attr]
    assert [e["rule"] for e in events if e["claim"]["item_id"] == "part-1"] == ["part-exceeds-whole"]
    assert len(flagged) == 1
