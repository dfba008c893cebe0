"""The demo: a local broker, a worker, the sample news corpus fed in, and the resulting tables and events;
with ``serve``, then ``figurewatch serve`` and its page, left up until Ctrl-C.

Each run uses fresh topics (a prefix with the run's time) so it always starts from an empty state. A broker
that already answers at ``FIGUREWATCH_BROKER`` is used as it is; otherwise the local broker from
``deploy/kafka`` is started and stopped again at the end.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any

from streams._exceptions import WorkerError
from streams.broker import LocalBroker, answers
from streams.kafkaio import produce_lines, read_topic
from streams.ledger import render_tables
from streams.metrics import drained, scrape, total
from streams.preflight import ensure_dir
from streams.settings import Settings
from streams.topics import FIGURES_CHANGES, FIGURES_CURRENT, NEWS_ITEMS, NEWS_ITEMS_DLQ, create_topics

SAMPLE_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "sample-news.jsonl"
WAIT_SECONDS = 180


def latest_states(settings: Settings) -> dict[str, dict[str, Any]]:
    """The latest value per series key on ``figures.current`` (deleted series left out)."""
    states: dict[str, dict[str, Any]] = {}
    for message in read_topic(settings, settings.topic(FIGURES_CURRENT.name)):
        key = (message.key or b"").decode()
        value = message.json_value()
        if isinstance(value, dict):
            states[key] = value
        else:
            states.pop(key, None)
    return states


def run_demo(settings: Settings, corpus: Path, serve: bool = False) -> int:
    run = time.strftime("%Y%m%d-%H%M%S")
    broker = None
    if not answers(settings.broker):
        broker = LocalBroker(settings)
        _say(f"starting the local Kafka broker ({broker.version}) ...")
        settings = settings.replace(broker=broker.start())
    settings = settings.replace(topic_prefix=f"demo-{run}.", app_id=f"figurewatch-demo-{run}",
                                data_dir=settings.data_dir / "demo" / run)
    try:
        return _feed_and_show(settings, corpus, serve)
    finally:
        if broker is not None:
            _say("stopping the local Kafka broker ...")
            broker.stop()


def _start(command: str, settings: Settings) -> tuple[subprocess.Popen[bytes], Path]:
    """``figurewatch COMMAND`` as a subprocess on the demo's settings, logging to the data folder."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    env.update({
        "FIGUREWATCH_BROKER": settings.broker, "FIGUREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "FIGUREWATCH_APP_ID": settings.app_id, "FIGUREWATCH_DATA_DIR": str(settings.data_dir),
        "FIGUREWATCH_WEB_PORT": str(settings.web_port), "FIGUREWATCH_WEB_HOST": settings.web_host,
        "FIGUREWATCH_PARTITIONS": str(settings.partitions), "FIGUREWATCH_SERVE_HOST": settings.serve_host,
        "FIGUREWATCH_SERVE_PORT": str(settings.serve_port), "FIGUREWATCH_SERVE_DB": str(settings.serve_db_path),
    })
    ensure_dir(settings.data_dir, "FIGUREWATCH_DATA_DIR")
    log_path = settings.data_dir / f"{command}.log"
    with log_path.open("ab") as log:
        process = subprocess.Popen([sys.executable, "-m", "streams", command], env=env, stdout=log,
                                   stderr=subprocess.STDOUT)
    return process, log_path


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    with suppress(subprocess.TimeoutExpired):
        process.wait(timeout=60)
    if process.poll() is None:
        process.kill()


def _feed_and_show(settings: Settings, corpus: Path, serve: bool) -> int:
    _say(f"broker {settings.broker}; topics prefixed {settings.topic_prefix!r}")
    create_topics(settings)
    worker, log_path = _start("worker", settings)
    try:
        metrics_url = f"http://{settings.web_host}:{settings.web_port}/metrics"
        _wait_for(lambda: scrape(metrics_url) is not None, worker, log_path, "the worker to start")
        lines = [line for line in corpus.read_bytes().splitlines() if line.strip()]
        sent = produce_lines(settings, settings.topic(NEWS_ITEMS.name), lines)
        _say(f"produced {sent} news items from {corpus}; waiting for the worker ...")
        _wait_for(lambda: drained(scrape(metrics_url), sent), worker, log_path, "the worker to process them")
        _show(settings, scrape(metrics_url) or {})
        _say(f"worker log: {log_path}")
        if serve:
            _serve_until_interrupted(settings, worker, log_path)
        return 0
    finally:
        _stop(worker)


def _serve_until_interrupted(settings: Settings, worker: subprocess.Popen[bytes], worker_log: Path) -> None:
    """Run ``figurewatch serve`` on the demo's topics and keep it (and the worker) up until Ctrl-C."""
    server, log_path = _start("serve", settings)
    address = f"http://{settings.serve_host}:{settings.serve_port}/"
    try:
        _wait_for(lambda: _answers(f"{address}readyz"), server, log_path, "the page to be served")
        _say(f"the page is up at {address} (API: {address}api/openapi.json; log: {log_path})")
        _say(f"feed it more news with: FIGUREWATCH_BROKER={settings.broker} "
             f"FIGUREWATCH_TOPIC_PREFIX={settings.topic_prefix} figurewatch produce FILE")
        _say("press Ctrl-C to stop the page, the worker and the broker")
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # a TERM stops it as cleanly as Ctrl-C
        signal.signal(signal.SIGINT, signal.default_int_handler)
        while server.poll() is None and worker.poll() is None:
            time.sleep(0.5)
        raise WorkerError(f"a demo process stopped; see {log_path} and {worker_log}")
    except KeyboardInterrupt:
        print()
    finally:
        _stop(server)


def _show(settings: Settings, samples: dict[str, float]) -> None:
    changes = [m.json_value() for m in read_topic(settings, settings.topic(FIGURES_CHANGES.name))]
    print("\n== change events on figures.changes ==")
    for event in changes:
        if isinstance(event, dict):
            print(f"[{event['kind']:>13}] {event['explanation']}")
    kinds = Counter(e["kind"] for e in changes if isinstance(e, dict))
    print("   " + ", ".join(f"{kind}: {n}" for kind, n in sorted(kinds.items())))
    print("\n== current figures (figures.current) ==")
    sys.stdout.write(render_tables(latest_states(settings).values()))
    dead = sum(1 for _ in read_topic(settings, settings.topic(NEWS_ITEMS_DLQ.name)))
    print("\n== counters ==")
    for name in ("received", "accepted", "duplicate", "forwarded"):
        print(f"items {name}: {samples.get(f'figurewatch_items_{name}_total', 0):.0f}")
    print(f"items on the dead-letter topic: {dead}")
    print(f"claims extracted: {total(samples, 'figurewatch_claims_extracted_total'):.0f}")


def _wait_for(check: Any, worker: subprocess.Popen[bytes], log_path: Path, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not check():
        if worker.poll() is not None:
            raise WorkerError(f"the worker exited with code {worker.returncode}; see {log_path}")
        if time.monotonic() > deadline:
            raise WorkerError(f"gave up waiting for {what} after {WAIT_SECONDS}s; see {log_path}")
        time.sleep(0.5)


def _answers(url: str) -> bool:
    """True when ``url`` answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - our own local address
            return bool(response.status == 200)
    except OSError:
        return False


def _say(text: str) -> None:
    print(f"figurewatch demo: {text}", flush=True)
