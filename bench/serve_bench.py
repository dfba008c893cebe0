"""How fast ``figurewatch serve``'s read model stores records and answers requests, on one core.

Replays every labeled corpus's items through the extractor and the ledger (the records the worker would
publish), optionally repeated under new item ids and later dates to grow the history, stores them in a
fresh SQLite read store in batches of 1,000 as the consumer does, then serves the real aiohttp
application on 127.0.0.1 and times sequential requests to each route. Reports records/s for storing and
the median and 95th percentile latency of each route. A benchmark, not a test: nothing here asserts a time.

    python bench/serve_bench.py [--copies 20] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import orjson
from aiohttp import web

from streams.metrics import ServeMetrics
from streams.readstore import ReadStore, Record
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger
from streams.serve import ChangeHub, create_web_app
from streams.settings import Settings

REPO = Path(__file__).resolve().parent.parent
ROUTES = ("/api/conflicts", "/api/figures", "/api/figures?conflict=israel-hamas", "/api/changes?limit=50",
          "/api/changes?kind=contradiction&limit=50", "/api/figures.csv", "/api/changes.csv?limit=1000")


def items(copies: int) -> list[bytes]:
    """Every corpus item, and ``copies`` more rounds of them under new ids, one year later each round."""
    base = [orjson.loads(line)["item"] for path in sorted(REPO.glob("corpus/*/extraction.jsonl"))
            for line in path.read_bytes().splitlines() if line.strip()]
    base += [orjson.loads(line) for line in (REPO / "corpus/sample-news.jsonl").read_bytes().splitlines() if line]
    out = []
    for copy in range(copies + 1):
        for item in base:
            year = int(item["published_at"][:4]) + copy
            out.append(orjson.dumps({**item, "id": f"{item['id']}-{copy}",
                                     "published_at": f"{year}{item['published_at'][4:]}"}))
    return out


def records(lines: list[bytes]) -> list[Record]:
    settings = Settings()
    ledger = offline_ledger(settings)
    events = list(replay(lines, build_extractor(settings).extract, ledger, max_bytes=settings.max_item_bytes))
    out = [Record("changes", 0, n, None, orjson.dumps(e), False) for n, e in enumerate(events)]
    return out + [Record("current", 0, n, s["series_key"].encode(), orjson.dumps(s), True)
                  for n, s in enumerate(ledger.tables())]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="extra rounds of the corpora (default 20)")
    parser.add_argument("--requests", type=int, default=200, help="requests per route (default 200)")
    args = parser.parse_args(argv)
    all_records = records(items(args.copies))
    with tempfile.TemporaryDirectory() as folder:
        store = ReadStore(Path(folder) / "serve.sqlite3", "bench")
        started = time.perf_counter()
        for at in range(0, len(all_records), 1000):
            store.apply(all_records[at:at + 1000])
        took = time.perf_counter() - started
        print(f"stored {len(all_records):,} records ({store.event_count():,} changes, {len(store.states):,} series) "
              f"in {took:.2f}s: {len(all_records) / took:,.0f} records/s")
        loop = asyncio.new_event_loop()
        runner = web.AppRunner(create_web_app(store, ChangeHub(), ServeMetrics()))
        loop.run_until_complete(runner.setup())
        site = web.TCPSite(runner, "127.0.0.1", 0)
        loop.run_until_complete(site.start())
        port = runner.addresses[0][1]
        threading.Thread(target=loop.run_forever, daemon=True).start()
        for route in ROUTES:
            times = []
            size = 0
            for _ in range(args.requests):
                begun = time.perf_counter()
                with urllib.request.urlopen(f"http://127.0.0.1:{port}{route}", timeout=30) as response:
                    size = len(response.read())
                times.append(time.perf_counter() - begun)
            times.sort()
            print(f"{route:45} median {statistics.median(times) * 1000:7.2f} ms   "
                  f"p95 {times[int(len(times) * 0.95)] * 1000:7.2f} ms   {size:,} bytes")
        asyncio.run_coroutine_threadsafe(runner.cleanup(), loop).result(timeout=10)
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
