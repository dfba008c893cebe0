"""The read API against its OpenAPI document (schemas/openapi.json), with schemathesis: generated requests
to every operation but the endless live stream get answers whose status, content type and body the
document allows, and never a server error. The server is the real aiohttp application over a read store
filled from an offline replay of the sample corpus (no broker needed)."""

from __future__ import annotations

import asyncio
import threading
import urllib.request
from collections.abc import Iterator

import orjson
import pytest
import schemathesis
from aiohttp import web
from hypothesis import HealthCheck, settings

from streams.demo import SAMPLE_CORPUS
from streams.metrics import ServeMetrics
from streams.readmodel import event_kinds, openapi_document
from streams.serve import ChangeHub, create_web_app
from tests.conftest import REPO, free_port
from tests.readside import filled_store

pytestmark = pytest.mark.api

schema = schemathesis.openapi.from_dict(openapi_document())


@pytest.fixture(scope="module")
def api_base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The base URL of the API served from a thread, over the sample corpus' changes and states."""
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
    yield f"http://127.0.0.1:{port}"
    asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(timeout=10)
    store.close()


@schema.exclude(path="/api/changes/stream").parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
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
