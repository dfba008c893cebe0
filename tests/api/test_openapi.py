"""The read API against its OpenAPI document (schemas/openapi.json), with schemathesis: generated requests
to every operation but the endless live stream, valid ones and invalid ones (25 of each kind per
operation, the same on every run), get answers whose status, content type and body the document allows,
valid ones are accepted, invalid ones rejected with 400, and none gets a server error. Then the errors,
the history of a series, the cursor, the CSV, the live stream and the metrics, one by one. The server is
the real aiohttp application over a read store filled from an offline replay of the sample corpus (no
broker needed)."""

from __future__ import annotations

import asyncio
import http.client
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass

import orjson
import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings

from streams.demo import SAMPLE_CORPUS
from streams.metrics import ServeMetrics
from streams.readmodel import CHANGE_COLUMNS, event_kinds, openapi_document
from streams.readstore import ReadStore, Record
from streams.serve import ChangeHub, create_web_app
from tests.conftest import REPO, free_port
from tests.readside import filled_store

pytestmark = pytest.mark.api

schema = schemathesis.openapi.from_dict(openapi_document())
schema.config.generation.update(modes=list(schemathesis.GenerationMode), max_examples=25, deterministic=True)


@dataclass
class Served:
    """The API served from a thread over a store filled with the sample corpus' changes and states."""

    base: str
    store: ReadStore
    hub: ChangeHub
    loop: asyncio.AbstractEventLoop

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=10) as response:
                return response.status, dict(response.headers), response.read()
        except urllib.error.HTTPError as error:
            return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    store = filled_store(tmp_path_factory.mktemp("api") / "serve.sqlite3", SAMPLE_CORPUS)
    hub = ChangeHub()
    hub.ready = True
    port = free_port()
    loop = asyncio.new_event_loop()
    runner = web.AppRunner(create_web_app(store, hub, ServeMetrics()))
    loop.run_until_complete(runner.setup())
    loop.run_until_complete(web.TCPSite(runner, "127.0.0.1", port).start())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield Served(f"http://127.0.0.1:{port}", store, hub, loop)
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    store.close()


@pytest.fixture(scope="module")
def api_base(served: Served) -> str:
    return served.base


@schema.exclude(path="/api/changes/stream").parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_every_answer_is_what_the_document_says(case: schemathesis.Case, api_base: str) -> None:
    case.call_and_validate(base_url=api_base, timeout=10)


def test_the_document_is_served_with_the_kinds_of_the_change_event_schema(api_base: str) -> None:
    with urllib.request.urlopen(f"{api_base}/api/openapi.json", timeout=5) as response:
        served = orjson.loads(response.read())
    assert served == openapi_document()
    kinds = [p["schema"]["enum"] for p in served["paths"]["/api/changes"]["get"]["parameters"] if p["name"] == "kind"]
    assert kinds == [list(event_kinds())]
    shipped = orjson.loads((REPO / "schemas" / "openapi.json").read_bytes())
    kind = next(p for p in shipped["paths"]["/api/changes"]["get"]["parameters"] if p["name"] == "kind")
    assert "enum" not in kind["schema"], "the shipped document names the schema the kinds come from, not a copy"


@pytest.mark.parametrize(("path", "parameter"), [
    ("/api/changes?kind=rumour", "kind"), ("/api/changes?limit=501", "limit"), ("/api/changes?cursor=abc", "cursor"),
    ("/api/changes?since=yesterday", "since"), ("/api/figures?basis=daily", "basis"),
    ("/api/figures?colour=red", "colour"), ("/api/figures?conflict=a&conflict=b", "conflict"),
    ("/api/conflicts?x=1", "x"), ("/api/changes.csv?cursor=5", "cursor"),
])
def test_a_bad_parameter_gets_400_naming_it(served: Served, path: str, parameter: str) -> None:
    status, headers, body = served.get(path)
    assert status == 400 and headers["Content-Type"].startswith("application/json")
    error = orjson.loads(body)
    assert error["parameter"] == parameter and error["error"].startswith(f"{parameter}: ")


def test_an_unknown_series_gets_404_and_a_known_one_its_whole_history(served: Served) -> None:
    assert served.get("/api/series/" + urllib.parse.quote("sudan|killed|-|-|reported|total|1999-01-01"))[0] == 404
    contradicted = next(s for s in served.store.states.values() if s["counts"]["contradictions"])
    status, _, body = served.get("/api/series/" + urllib.parse.quote(contradicted["series_key"], safe=""))
    view = orjson.loads(body)
    assert status == 200 and view["series_key"] == contradicted["series_key"]
    assert len(view["claims"]) >= len(contradicted["history"])
    for claim in view["claims"]:
        start, end = claim["span"]
        assert claim["sentence"] and claim["source"] and 0 <= start < end and claim["url"].startswith("https://")
    assert "contradiction" in [c["kind"] for c in view["changes"]]


def test_the_cursor_walks_every_change_once_newest_first(served: Served) -> None:
    seen: list[int] = []
    path = "/api/changes?limit=7"
    while True:
        page = orjson.loads(served.get(path)[2])
        seen += [c["id"] for c in page["changes"]]
        if page["next_cursor"] is None:
            break
        path = f"/api/changes?limit=7&cursor={page['next_cursor']}"
    assert seen == sorted(seen, reverse=True) == list(range(served.store.last_id(), 0, -1))
    filtered = orjson.loads(served.get("/api/changes?kind=contradiction&conflict=israel-hamas&limit=500")[2])["changes"]
    assert filtered and all(c["kind"] == "contradiction" and c["conflict"] == "israel-hamas" for c in filtered)


def test_the_csv_exports_open_in_a_spreadsheet_as_they_are(served: Served) -> None:
    status, headers, body = served.get("/api/figures.csv?conflict=sudan")
    assert status == 200 and headers["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in headers["Content-Disposition"]
    assert body.startswith(b"\xef\xbb\xbfconflict,metric,") and body.endswith(b"\r\n")
    rows = body.decode("utf-8-sig").split("\r\n")[1:-1]
    assert len(rows) == sum(s["series"]["conflict"] == "sudan" for s in served.store.states.values())
    changes = served.get("/api/changes.csv?limit=3")[2].decode("utf-8-sig").split("\r\n")
    assert changes[0].startswith("id,kind,rule,") and len(changes) == 5


def test_a_large_export_comes_in_chunks_with_one_header(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("streams.serve.CSV_CHUNK", 50)
    status, _, body = served.get("/api/changes.csv?limit=120")
    lines = body.decode("utf-8").split("\r\n")
    assert status == 200 and lines[0] == "\ufeff" + ",".join(CHANGE_COLUMNS) and lines[-1] == ""
    ids = [int(line.split(",", 1)[0]) for line in lines[1:-1]]
    assert ids == list(range(served.store.last_id(), served.store.last_id() - 120, -1))
    everything = served.get("/api/changes.csv?limit=100000")[2].decode("utf-8").split("\r\n")
    assert len(everything) - 2 == served.store.event_count() and "\ufeff" not in "".join(everything[1:])


def _sse(served: Served, last_event_id: int, wanted: int) -> list[tuple[str, str]]:
    """(event, id) of the first ``wanted`` events of the stream resumed after ``last_event_id``."""
    connection = http.client.HTTPConnection(served.base.removeprefix("http://"), timeout=10)
    connection.request("GET", "/api/changes/stream", headers={"Last-Event-ID": str(last_event_id)})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    events: list[tuple[str, str]] = []
    fields: dict[str, str] = {}
    while len(events) < wanted:
        line = response.fp.readline().decode().rstrip("\n")
        if line:
            name, _, value = line.partition(": ")
            fields[name] = value
        elif "event" in fields:
            events.append((fields["event"], fields.get("id", "")))
            fields = {}
    connection.close()
    return events


def test_the_stream_resumes_after_last_event_id_then_sends_what_arrives(served: Served) -> None:
    last = served.store.last_id()
    assert _sse(served, last - 3, 3) == [("change", str(last - 2)), ("change", str(last - 1)), ("change", str(last))]
    event = orjson.loads(served.get("/api/changes?limit=1")[2])["changes"][0]
    event = {k: v for k, v in event.items() if k != "id"} | {"event_id": "f" * 32}

    def arrive() -> None:
        served.store.apply([Record("t.figures.changes", 0, 10_000, None, orjson.dumps(event), False)])
        served.hub.publish()

    served.loop.call_later(0.5, arrive)
    assert _sse(served, last, 1) == [("change", str(last + 1))]


def test_the_stream_says_when_current_figures_change(served: Served) -> None:
    state = dict(next(iter(served.store.states.values())))

    def arrive() -> None:
        served.store.apply([Record("t.figures.current", 0, 10_000, state["series_key"].encode(),
                                   orjson.dumps(state), True)])
        served.hub.publish()

    served.loop.call_later(0.5, arrive)
    assert _sse(served, served.store.last_id(), 1) == [("figures", "")]


def test_requests_are_counted_by_route_not_by_path(served: Served) -> None:
    served.get("/api/series/" + urllib.parse.quote("no|such|series|-|reported|total|-"))
    served.get("/no/such/page")
    metrics = served.get("/metrics")[2].decode()
    assert 'figurewatch_serve_requests_total{route="/api/series/{key}",status="404"}' in metrics
    assert 'route="unmatched",status="404"' in metrics
    assert "no|such" not in metrics and "figurewatch_serve_request_seconds_bucket" in metrics


def test_live_clients_beyond_the_limit_get_503(served: Served, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("streams.serve.MAX_SSE_CLIENTS", 0)
    status, headers, body = served.get("/api/changes/stream")
    assert status == 503 and headers["Retry-After"] == "10" and b"live clients" in body
