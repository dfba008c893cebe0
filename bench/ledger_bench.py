"""Cost per claim of the pure ledger, and whether it stays flat as the store grows to 1,000,000 series.

Applies the claims the project's extractor finds in generated items (``bench/e2e_items.py``, the end-to-end
benchmark's items) or in the development stream (``corpus/stream/dev-stream.jsonl``) to a
:class:`~streams.ledger.Ledger` over

* ``memory``: the :class:`~streams.ledger.MemoryStore` (states kept as dicts), and
* ``encoded``: :class:`EncodedStore`, a store that behaves like the worker's RocksDB table: every value is
  kept as orjson bytes, decoded on every read and encoded on every write, and counting the store reads every
  key (Faust's RocksDB store computes ``len()`` so),

each empty and pre-filled with 10,000 / 100,000 / 1,000,000 synthetic but valid states of distinct series
(one claim each, spread over the claims' conflicts and metrics, places no claim names). Each pass applies
every claim, in order, to a fresh copy of the pre-filled store; the ledger counts the store first (as the
worker's gauge does, untimed). It prints claims/s (wall) and CPU microseconds per claim (process CPU time),
medians of the passes, with the time the pre-fill took.

``--evict N`` measures instead the claims that evict: the store filled with N series of one conflict and
metric (the first claim's) and ``max_series`` set to N, so the next claim that opens a series there evicts;
it prints the CPU time of the first evicting claim and the median of the later ones.

``--outcomes FILE`` writes what applying each claim did (series key, event, state, evicted keys; one JSON line
per claim, default bounds) instead: run it on two versions of the code and compare the files to check that a
change of the ledger's speed changed no outcome.

A benchmark, not a test: nothing here asserts a time.

    python bench/ledger_bench.py [--items 3000 | --stream] [--passes 5] [--fills 0 10000 100000 1000000]
    python bench/ledger_bench.py --evict 1000000 [--store encoded]
    python bench/ledger_bench.py --stream --outcomes outcomes.jsonl [--store encoded]
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator, MutableMapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_items import generate

from streams.app import item_bounds, ledger_settings
from streams.claims import Claim
from streams.ledger import Ledger, LedgerSettings, MappingStore, SeriesStore
from streams.ledger.series import key_of
from streams.ledger.state import SeriesState
from streams.pipeline import Accepted, ingest
from streams.runtime import build_extractor, hierarchy, metric_kinds
from streams.settings import Settings

REPO = Path(__file__).resolve().parents[1]
STREAM = REPO / "corpus" / "stream" / "dev-stream.jsonl"
STORES = ("memory", "encoded")
NO_BOUND = 10**9


class EncodedStore(SeriesStore):
    """Series states kept as orjson bytes, as Faust's RocksDB table keeps them: decoded on every read, encoded on
    every write, and counted by reading every key."""

    def __init__(self, data: MutableMapping[str, bytes]) -> None:
        self._data = data

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self._data.get(key)
        return None if raw is None else orjson.loads(raw)  # type: ignore[no-any-return]

    def put(self, key: str, state: dict[str, Any]) -> None:
        self._data[key] = orjson.dumps(state)

    def delete(self, key: str) -> None:
        self._data.pop(key, None)

    def items(self) -> Iterator[tuple[str, dict[str, Any]]]:
        for key, raw in list(self._data.items()):
            yield key, orjson.loads(raw)

    def series_keys(self) -> Iterator[str]:
        yield from list(self._data)

    def __len__(self) -> int:
        return sum(1 for _ in self._data)


@dataclass(frozen=True)
class Row:
    store: str
    fill: int
    fill_seconds: float
    claims: int
    rate: float
    cpu_us: float
    spread: tuple[float, float]


def stream_claims(lines: list[bytes], settings: Settings) -> list[Claim]:
    """The claims of every accepted line, in order, as the worker's ingest agent emits them."""
    extract = build_extractor(settings).extract
    seen: dict[str, str] = {}
    claims: list[Claim] = []
    for line in lines:
        result = ingest(line, seen, max_bytes=settings.max_item_bytes, extract=extract, bounds=item_bounds(settings))
        if isinstance(result, Accepted):
            claims.extend(result.claims)
    return claims


def synthetic_states(count: int, scopes: list[tuple[str, str]], template: Claim,
                     kinds: dict[str, str]) -> Iterator[tuple[str, dict[str, Any]]]:
    """``count`` states of distinct series (a place of their own each), one claim each, over ``scopes``."""
    base = template.to_dict()
    for n in range(count):
        conflict, metric = scopes[n % len(scopes)]
        place = f"bench-place-{n}"
        fields = {"conflict": conflict, "metric": metric, "group": "people", "place": place,
                  "modality": "reported", "basis": "total", "since": "2020-01-01", "day": None, "event": None}
        as_of = f"{2020 + n % 5}-{1 + n % 12:02d}-{1 + n % 28:02d}"
        claim = {**base, "claim_id": f"bench-{n:08d}", "item_id": f"bench-item-{n}", "conflict": conflict,
                 "metric": metric, "group": "people", "place": place, "modality": "reported", "basis": "total",
                 "since": "2020-01-01", "as_of": as_of, "target": None, "revision": False,
                 "published_at": f"{as_of}T12:00:00Z", "attributed_to": None}
        source = {k: claim[k] for k in ("claim_id", "value", "low", "high", "qualifier", "as_of")}
        yield key_of(fields), {
            "series_key": key_of(fields), "series": fields, "kind": kinds.get(metric, "stock"), "current": claim,
            "sources": [{"source": claim["outlet"], **source}],
            "counts": {"reports": 1, "corroborations": 0, "contradictions": 0, "revisions": 0},
            "history": [claim],
        }


def check_synthetic(states: list[dict[str, Any]], ledger: Ledger) -> None:
    """The synthetic states are what the ledger itself would store for their one claim."""
    for state in states:
        rebuilt = SeriesState.from_dict(state)
        claim = rebuilt.history[0]
        kind = ledger.kind_of(claim.metric)
        restate = ledger.settings.restatement_days if kind == "cumulative" else 0
        if rebuilt.to_dict(kind, ledger.settings.same_period_days, restate) != state:
            raise SystemExit(f"synthetic state is not what the ledger stores: {state['series_key']}")


def prefill(store: str, count: int, scopes: list[tuple[str, str]], template: Claim,
            kinds: dict[str, str]) -> tuple[dict[str, Any], float]:
    """The pre-filled mapping (states, or their orjson bytes) and the seconds it took."""
    started = time.perf_counter()
    data: dict[str, Any] = {}
    if store == "memory":
        data.update(synthetic_states(count, scopes, template, kinds))
    else:
        data.update((key, orjson.dumps(state)) for key, state in synthetic_states(count, scopes, template, kinds))
    return data, time.perf_counter() - started


def make_store(store: str, data: dict[str, Any]) -> SeriesStore:
    return MappingStore(data) if store == "memory" else EncodedStore(data)


def one_pass(store: SeriesStore, claims: list[Claim], settings: LedgerSettings,
             kinds: dict[str, str], ledger_hierarchy: Any) -> tuple[float, float]:
    """(wall seconds, CPU seconds) to apply every claim to a new ledger over ``store``."""
    ledger = Ledger(store, kinds, settings, ledger_hierarchy)
    ledger.sizes()  # the worker's gauge counts once after recovery; not timed
    wall, cpu = time.perf_counter(), time.process_time()
    for claim in claims:
        ledger.apply(claim)
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(store: str, fill: int, claims: list[Claim], passes: int, settings: Settings) -> Row:
    kinds, ledger_hierarchy = metric_kinds(), hierarchy(settings)
    scopes = sorted({(c.conflict, c.metric) for c in claims})
    data, fill_seconds = prefill(store, fill, scopes, claims[0], kinds)
    bounds = LedgerSettings(same_period_days=settings.same_period_days, max_series=NO_BOUND,
                            restatement_days=settings.restatement_days)
    if fill:
        sample = list(data.values())[:3]
        check_synthetic([s if store == "memory" else orjson.loads(s) for s in sample],
                        Ledger(make_store(store, {}), kinds, bounds, ledger_hierarchy))
    walls, cpus = [], []
    for _ in range(passes):
        wall, cpu = one_pass(make_store(store, dict(data)), claims, bounds, kinds, ledger_hierarchy)
        walls.append(wall)
        cpus.append(cpu)
    del data
    gc.collect()
    per_claim = [cpu / len(claims) * 1e6 for cpu in cpus]
    return Row(store, fill, fill_seconds, len(claims), len(claims) / statistics.median(walls),
               statistics.median(per_claim), (min(per_claim), max(per_claim)))


def evict(store: str, fill: int, claims: list[Claim], settings: Settings) -> None:
    """The CPU time of the claims that evict, with the store full of ``fill`` series of one scope: once after
    the ledger counted the store (as the worker's gauge does after a rebalance), once with nothing counted."""
    kinds, ledger_hierarchy = metric_kinds(), hierarchy(settings)
    scope = (claims[0].conflict, claims[0].metric)
    data, fill_seconds = prefill(store, fill, [scope], claims[0], kinds)
    bounds = LedgerSettings(same_period_days=settings.same_period_days, max_series=fill,
                            restatement_days=settings.restatement_days)
    print(f"\n{store} store, {fill:,} series of {'/'.join(scope)} (pre-fill {fill_seconds:.1f} s), max_series {fill:,}")
    for counted in (True, False):
        ledger = Ledger(make_store(store, dict(data)), kinds, bounds, ledger_hierarchy)
        started = time.process_time()
        if counted:
            ledger.sizes()
        count_seconds = time.process_time() - started
        evicting: list[float] = []
        evicted = 0
        started = time.process_time()
        for claim in claims:
            cpu = time.process_time()
            outcome = ledger.apply(claim)
            if outcome.evicted:
                evicting.append(time.process_time() - cpu)
                evicted += len(outcome.evicted)
        total = time.process_time() - started
        how = f"counted first ({count_seconds:.1f} s CPU)" if counted else "not counted"
        first = f"first {evicting[0] * 1e3:,.1f} ms CPU" if evicting else "none"
        rest = f", later ones median {statistics.median(evicting[1:]) * 1e3:.3f} ms" if len(evicting) > 1 else ""
        print(f"  {how}: {len(evicting)} of {len(claims)} claims evicted {evicted:,} series; evicting claims: "
              f"{first}{rest}; all claims {total:.1f} s CPU", flush=True)


def outcomes(store: str, claims: list[Claim], settings: Settings, path: Path) -> None:
    """Every claim's outcome, one JSON line each, over a ledger with the settings' bounds."""
    ledger = Ledger(make_store(store, {}), metric_kinds(), ledger_settings(settings), hierarchy(settings))
    with path.open("wb") as out:
        for claim in claims:
            outcome = ledger.apply(claim)
            out.write(orjson.dumps([outcome.series_key, outcome.event, outcome.state, outcome.evicted],
                                   option=orjson.OPT_SORT_KEYS) + b"\n")
        out.write(orjson.dumps(ledger.tables(), option=orjson.OPT_SORT_KEYS) + b"\n")
    print(f"{len(claims)} outcomes and the final tables written to {path}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=3000, help="generated items (bench/e2e_items.py)")
    parser.add_argument("--stream", action="store_true", help="the development stream's items instead")
    parser.add_argument("--passes", type=int, default=5)
    parser.add_argument("--fills", type=int, nargs="+", default=[0, 10_000, 100_000, 1_000_000])
    parser.add_argument("--store", choices=STORES, nargs="+", default=list(STORES))
    parser.add_argument("--evict", type=int, metavar="N", help="measure eviction with N series instead")
    parser.add_argument("--row", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--outcomes", type=Path, metavar="FILE", help="write every claim's outcome instead")
    args = parser.parse_args()
    settings = Settings.from_env(os.environ)
    lines = STREAM.read_bytes().splitlines() if args.stream else generate(args.items)
    claims = stream_claims(lines, settings)
    source = STREAM.name if args.stream else f"{args.items} generated items"
    if not args.row:
        print(f"{len(claims)} claims from {source}; load average {os.getloadavg()[0]:.2f}")
    if args.outcomes:
        outcomes(args.store[0], claims, settings, args.outcomes)
        return 0
    if args.evict:
        for store in args.store:
            evict(store, args.evict, claims, settings)
        return 0
    if args.row:  # one row, in a process of its own (a store of 1,000,000 states takes gigabytes)
        row = measure(args.store[0], args.fills[0], claims, args.passes, settings)
        print(f"| {row.store} | {row.fill:,} | {row.fill_seconds:.1f} | {row.rate:,.0f} | {row.cpu_us:,.0f} "
              f"| {row.spread[0]:,.0f}-{row.spread[1]:,.0f} |", flush=True)
        return 0
    print("\n| store | series before | pre-fill s | claims/s | CPU µs/claim (median) | min-max |")
    print("|---|---|---|---|---|---|", flush=True)
    source_args = ["--stream"] if args.stream else ["--items", str(args.items)]
    for fill in args.fills:
        for store in args.store:
            subprocess.run([sys.executable, __file__, *source_args, "--passes", str(args.passes), "--fills", str(fill),
                            "--store", store, "--row"], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
