"""A real Prometheus server scrapes a real worker, loads the alert rules, and sees every item counted.

Prometheus comes from deploy/prometheus/install.sh (it fails the test with the installer's message when it
cannot be installed; it never skips). It runs on 127.0.0.1 on a free port with its own storage folder,
scraping every second, and is stopped at the end.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

import pytest
import yaml

from streams.kafkaio import produce_lines
from streams.metrics import drained, scrape
from tests.conftest import WorkerProcess, free_port

pytestmark = pytest.mark.integration

REPO = Path(__file__).resolve().parents[2]
PROMETHEUS_DIR = REPO / "deploy/prometheus"
DASHBOARD = REPO / "deploy/grafana/dashboards/figurewatch.json"
WAIT = 90.0


@pytest.fixture(scope="session")
def prometheus_binary(prometheus_tools: Path) -> str:
    return str(prometheus_tools / "prometheus")


class Prometheus:
    """A Prometheus server subprocess and its HTTP API."""

    def __init__(self, binary: str, folder: Path, target: str) -> None:
        config = yaml.safe_load((PROMETHEUS_DIR / "prometheus.yml").read_text())
        config["global"].update({"scrape_interval": "1s", "evaluation_interval": "1s"})
        config["scrape_configs"] = config["scrape_configs"][:1]  # the worker's job; no figurewatch serve runs here
        config["scrape_configs"][0]["static_configs"][0]["targets"] = [target]
        (folder / "prometheus.yml").write_text(yaml.safe_dump(config))
        for name in config["rule_files"]:
            shutil.copy(PROMETHEUS_DIR / name, folder / name)
        self.port = free_port()
        self.log_path = folder / "prometheus.log"
        self.log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [
                binary, f"--config.file={folder / 'prometheus.yml'}", f"--storage.tsdb.path={folder / 'data'}",
                f"--web.listen-address=127.0.0.1:{self.port}",
            ],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=folder,
        )

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def get(self, path: str, **params: str) -> dict[str, Any]:
        url = f"http://127.0.0.1:{self.port}{path}"
        if params:
            url += "?" + urllib.parse.urlencode(params)
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return dict(json.loads(response.read()))
        except urllib.error.HTTPError as err:  # 400/422 carry the API's error as JSON
            return dict(json.loads(err.read()))

    def wait_ready(self) -> None:
        deadline = time.monotonic() + WAIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"prometheus exited with {self.proc.returncode}: {self.log_tail()}")
            with suppress(OSError), urllib.request.urlopen(
                f"http://127.0.0.1:{self.port}/-/ready", timeout=2
            ) as response:
                if response.status == 200:
                    return
            time.sleep(0.3)
        raise AssertionError(f"prometheus not ready in {WAIT}s: {self.log_tail()}")

    def value(self, query: str) -> float | None:
        """The value of a query returning one sample; None when it returns none."""
        answer = self.get("/api/v1/query", query=query)
        assert answer["status"] == "success", (query, answer)
        result = answer["data"]["result"]
        assert len(result) <= 1, (query, result)
        return float(result[0]["value"][1]) if result else None

    def wait_value(self, query: str, expected: float) -> None:
        deadline = time.monotonic() + WAIT
        value = self.value(query)
        while value != expected and time.monotonic() < deadline:
            time.sleep(0.5)
            value = self.value(query)
        assert value == expected, f"{query} = {value}, expected {expected}; prometheus log:\n{self.log_tail()}"

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()


@pytest.fixture
def prometheus_for(prometheus_binary: str, tmp_path: Path) -> Iterator[Callable[[WorkerProcess], Prometheus]]:
    """Start a Prometheus scraping one worker; it is stopped at teardown."""
    started: list[Prometheus] = []

    def _start(worker: WorkerProcess) -> Prometheus:
        folder = tmp_path / f"prometheus-{len(started)}"
        folder.mkdir()
        server = Prometheus(prometheus_binary, folder, f"127.0.0.1:{worker.web_port}")
        started.append(server)
        server.wait_ready()
        return server

    yield _start
    for server in started:
        server.stop()


def test_prometheus_scrapes_the_worker_and_sees_every_item(
    start_worker: Callable[..., WorkerProcess], prometheus_for: Callable[[WorkerProcess], Prometheus]
) -> None:
    worker = start_worker()
    prometheus = prometheus_for(worker)
    lines = [line for line in (REPO / "corpus/sample-news.jsonl").read_bytes().splitlines() if line.strip()]
    settings = worker.settings
    assert produce_lines(settings, settings.topic("news.items"), lines) == len(lines)

    url = f"http://127.0.0.1:{worker.web_port}/metrics"
    deadline = time.monotonic() + WAIT
    while not drained(scrape(url), len(lines)) and time.monotonic() < deadline:
        assert worker.alive(), worker.log_tail()
        time.sleep(0.5)
    assert drained(scrape(url), len(lines)), f"worker did not drain {len(lines)} items: {worker.log_tail()}"

    job = '{job="figurewatch"}'
    prometheus.wait_value(f"up{job}", 1)
    prometheus.wait_value(f"sum(figurewatch_items_received_total{job})", len(lines))
    prometheus.wait_value(
        f"sum(figurewatch_items_accepted_total{job}) + sum(figurewatch_items_duplicate_total{job})"
        f" + (sum(figurewatch_items_rejected_total{job}) or vector(0))",
        len(lines),
    )
    prometheus.wait_value(f"figurewatch_worker_up{job}", 1)


def test_prometheus_loads_the_alert_rules_and_evaluates_the_dashboard_queries(
    start_worker: Callable[..., WorkerProcess], prometheus_for: Callable[[WorkerProcess], Prometheus]
) -> None:
    worker = start_worker()
    prometheus = prometheus_for(worker)
    prometheus.wait_value('up{job="figurewatch"}', 1)

    # every rule is loaded and, once evaluated, healthy (no PromQL error against real series)
    deadline = time.monotonic() + WAIT
    rules: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        groups = prometheus.get("/api/v1/rules")["data"]["groups"]
        rules = [rule for group in groups for rule in group["rules"]]
        if rules and all(rule["health"] == "ok" for rule in rules):
            break
        time.sleep(0.5)
    assert {rule["name"] for rule in rules} == {
        "FigurewatchWorkerDown", "FigurewatchNoProgress", "FigurewatchDeadLetterRate",
        "FigurewatchContradictionSpike", "FigurewatchRecoveryStuck", "FigurewatchBrokerUnreachable",
        "FigurewatchOutputsFailing",
    }
    assert all(rule["health"] == "ok" for rule in rules), [(r["name"], r.get("lastError")) for r in rules]

    # every dashboard query is valid PromQL for this Prometheus (Grafana's $__rate_interval filled in)
    board = json.loads(DASHBOARD.read_text())
    panels = [p for row in board["panels"] for p in [row, *row.get("panels", [])]]
    queries = [t["expr"] for p in panels for t in p.get("targets", [])]
    assert queries
    for query in queries:
        answer = prometheus.get("/api/v1/query", query=query.replace("$__rate_interval", "1m"))
        assert answer["status"] == "success", (query, answer)
