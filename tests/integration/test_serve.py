"""``figurewatch serve`` against a real broker and worker: its read model equals figures.current, and a
restart resumes from the offsets stored with its data instead of reading the topics again."""

from __future__ import annotations

import time
from collections.abc import Callable

import orjson
import pytest

from streams.demo import SAMPLE_CORPUS, latest_states
from streams.kafkaio import produce_lines, read_topic
from streams.metrics import drained, scrape
from streams.topics import FIGURES_CHANGES, NEWS_ITEMS
from tests.conftest import WorkerProcess
from tests.integration.support import corpus_lines

pytestmark = pytest.mark.integration

EXTRA_ITEM = {
    "id": "serve-extra-001", "published_at": "2025-02-11T10:00:00Z", "outlet": "AP",
    "url": "https://example.org/ap/2025-02-11/sudan", "title": "Sudan",
    "body": "The Sudanese health ministry said on Tuesday that 61,000 people had been killed since April 15, 2023.",
}


def _feed(worker: WorkerProcess, lines: list[bytes]) -> int:
    """Produce ``lines``, wait for the worker to process them, and return how many change events exist."""
    settings = worker.settings
    before = worker.metric("figurewatch_items_received_total")
    sent = produce_lines(settings, settings.topic(NEWS_ITEMS.name), lines)
    url = f"http://127.0.0.1:{worker.web_port}/metrics"
    deadline = time.monotonic() + 150
    while not drained(scrape(url), int(before) + sent) and time.monotonic() < deadline:
        time.sleep(0.5)
    return len({m.json_value()["event_id"]  # type: ignore[index]
                for m in read_topic(settings, settings.topic(FIGURES_CHANGES.name))})


def _caught_up(serve: WorkerProcess, changes: int) -> None:
    deadline = time.monotonic() + 60
    while serve.metric("figurewatch_serve_changes_stored") < changes and time.monotonic() < deadline:
        time.sleep(0.3)
    assert serve.metric("figurewatch_serve_changes_stored") == changes, serve.log_tail()
    serve.wait_http("/readyz", timeout=30)


def test_serve_mirrors_the_topics_and_resumes_after_a_restart(
    start_worker: Callable[..., WorkerProcess], start_serve: Callable[..., WorkerProcess],
) -> None:
    worker = start_worker()
    serve = start_serve()
    changes = _feed(worker, corpus_lines(SAMPLE_CORPUS))
    _caught_up(serve, changes)
    states = latest_states(worker.settings)
    figures = serve.get_json("/api/figures?limit=5000")["figures"]
    assert {f["series_key"]: f["current"]["value"] for f in figures} == {
        key: state["current"]["value"] for key, state in states.items()}
    first_read = serve.metric("figurewatch_serve_records_read_total")
    assert first_read >= changes + len(states)
    serve.stop()

    more = _feed(worker, [orjson.dumps(EXTRA_ITEM)])
    assert more > changes
    again = start_serve()
    _caught_up(again, more)
    read = again.metric("figurewatch_serve_records_read_total")
    assert 0 < read <= 2 * (more - changes) + 4, f"a restart read {read} records, not only the new ones"
    page = again.get_json("/api/changes?limit=1")["changes"][0]
    assert page["claim"]["item_id"] == EXTRA_ITEM["id"]
    assert again.get_json("/api/conflicts")["conflicts"]
