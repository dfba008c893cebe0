"""End-to-end throughput and latency through a real broker: the worker next to raw aiokafka loops and plain Faust.

Starts its own local broker (``FIGUREWATCH_KAFKA_PORT`` / ``FIGUREWATCH_KAFKA_CONTROLLER_PORT``), produces N
generated items (``bench/e2e_items.py``) into fresh topics for every run, and times, in turns, several times:

* ``raw-pass``: an aiokafka consume-produce loop that copies each record (the Kafka I/O ceiling);
* ``raw-extract``: the same loop running the project's ingest (orjson, validation, de-duplication,
  extraction) and producing the claims; both raw loops await their sends and commit once per fetched batch;
* ``faust-noop``: a plain Faust agent that reads every item and does nothing;
* ``worker-rocksdb`` / ``worker-memory``: ``figurewatch worker`` with either table store, until every item is
  read and every claim applied; with ``--baseline DIR`` (a checkout of older code, e.g. from ``git archive``)
  also ``base-rocksdb`` / ``base-memory``, that checkout's worker, for a before/after in the same turns;
  with ``--compiled DIR`` (the mypyc-compiled build, ``deploy/build-compiled.sh DIR``, built first when DIR
  does not exist) also ``compiled-raw-extract`` / ``compiled-rocksdb`` / ``compiled-memory``: the raw loop and
  the worker running the compiled build (what the Docker image runs).

Every variant runs in its own process on items already in the topic; the rate is items over the time from
the first item read to the last one done; CPU is the process's own CPU time per item. Then a latency run
offers items at a fixed rate (default: half the RocksDB worker's median) to a fresh RocksDB worker, and
reports change-event latency measured outside (produce time to the event's arrival at a consumer) and by
the worker's own ``figurewatch_end_to_end_seconds`` histogram. A benchmark, not a test: nothing here
asserts a speed. The machine is shared: compare variants within one run, and read the load averages.

    make bench-e2e   # or: python bench/e2e_bench.py [--items 5000] [--repeats 3] [--variants ...] [--rate R]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_items import generate

from streams.broker import LocalBroker, answers
from streams.kafkaio import produce_lines
from streams.metrics import drained, scrape
from streams.settings import Settings
from streams.topics import claim_address, create_topics

REPO = Path(__file__).resolve().parents[1]
VARIANTS = ("raw-pass", "raw-extract", "faust-noop", "worker-rocksdb", "worker-memory")
BASELINE_VARIANTS = ("base-rocksdb", "base-memory")
POLL_SECONDS = 0.1
BASELINE: list[Path] = []  # the older checkout whose worker the base-* variants run
COMPILED_VARIANTS = ("compiled-raw-extract", "compiled-rocksdb", "compiled-memory")
COMPILED: list[Path] = []  # the compiled build the compiled-* variants run
RUN_TIMEOUT = 900.0


@dataclass(frozen=True)
class Run:
    variant: str
    items: int
    seconds: float
    cpu_seconds: float
    load: float

    @property
    def rate(self) -> float:
        return self.items / self.seconds if self.seconds > 0 else float("nan")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--partitions", type=int, default=4)
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS),
                        choices=VARIANTS + BASELINE_VARIANTS + COMPILED_VARIANTS)
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a checkout of older code: adds base-rocksdb and base-memory, its worker, to the turns")
    parser.add_argument("--compiled", type=Path, default=None,
                        help="the mypyc-compiled build (built there if missing): adds the compiled-* variants")
    parser.add_argument("--rate", type=float, default=None, help="offered items/s of the latency run")
    parser.add_argument("--latency-seconds", type=float, default=30.0, help="0 skips the latency run")
    parser.add_argument("--profile", type=Path, default=None,
                        help="py-spy the first run of the first variant (a worker) into this file; print top frames")
    parser.add_argument("--restart", action="store_true",
                        help="also time a worker's restart (to ready) after a run, against its changelog size")
    parser.add_argument("--scale", type=int, nargs="*", default=[],
                        help="also time N RocksDB worker processes sharing the items, for each N given")
    parser.add_argument("--soak", type=float, default=0.0,
                        help="also offer items at --rate for this many seconds to one worker, sampled each minute")
    parser.add_argument("--child", nargs=3, metavar=("KIND", "TOPIC_PREFIX", "RESULT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    settings = Settings.from_env(os.environ).replace(partitions=args.partitions)
    if args.baseline:
        BASELINE.append(args.baseline.resolve())
        args.variants = [*args.variants, *(v for v in BASELINE_VARIANTS if v not in args.variants)]
    if args.compiled and not args.child:
        if not args.compiled.exists():
            subprocess.run(["bash", str(REPO / "deploy/build-compiled.sh"), str(args.compiled)], check=True)
        COMPILED.append(args.compiled.resolve())
        args.variants = [*args.variants, *(v for v in COMPILED_VARIANTS if v not in args.variants)]
    if args.child:
        return _child(settings, args.child[0], args.child[1], Path(args.child[2]), args.items)
    root = settings.data_dir.resolve() / "bench-e2e" / time.strftime("%Y%m%d-%H%M%S")
    broker = LocalBroker(settings.replace(data_dir=root / "broker"))
    if answers(settings.broker):
        raise SystemExit(f"a broker already answers at {settings.broker}: set FIGUREWATCH_KAFKA_PORT to a free port")
    settings = settings.replace(broker=broker.start(), data_dir=root)
    try:
        items = generate(args.items)
        runs: list[Run] = []
        for repeat in range(args.repeats):
            order = args.variants[repeat % len(args.variants):] + args.variants[:repeat % len(args.variants)]
            for variant in order:
                profile = args.profile if variant == args.variants[0] and repeat == 0 else None
                run = measure(settings, variant, items, profile)
                runs.append(run)
                print(f"  {variant:<15} {run.rate:>9,.0f} items/s  {1000 * run.cpu_seconds / run.items:6.2f} ms CPU"
                      f"/item  load {run.load:.2f}", flush=True)
        print(table(runs, args.items))
        if args.profile:
            print(top_frames(args.profile))
        for workers in args.scale:
            print(scale(settings, workers, items))
        if args.restart:
            for store in ("rocksdb", "memory"):
                print(restart(settings, store, items))
        if args.soak > 0:
            print(soak(settings, args.rate or 100.0, args.soak))
        if args.latency_seconds > 0:
            worker_rates = [r.rate for r in runs if r.variant == "worker-rocksdb"]
            rate = args.rate or (statistics.median(worker_rates) / 2 if worker_rates else 50.0)
            print(latency(settings, rate, args.latency_seconds))
            if BASELINE:
                print(latency(settings, rate, args.latency_seconds, BASELINE[0]))
    finally:
        broker.stop()
    return 0


def fresh(settings: Settings) -> Settings:
    """Settings with topics, group and state of their own."""
    run = uuid.uuid4().hex[:8]
    return settings.replace(topic_prefix=f"b{run}.", app_id=f"bench-{run}", data_dir=settings.data_dir / run)


def measure(settings: Settings, variant: str, items: list[bytes], profile: Path | None = None) -> Run:
    settings = fresh(settings)
    create_topics(settings)
    produce_lines(settings, settings.topic("news.items"), items)
    load = os.getloadavg()[0]
    kind, _, rest = variant.partition("-")
    code = BASELINE[0] if kind == "base" else COMPILED[0] if kind == "compiled" else None
    if kind in ("worker", "base") or (kind == "compiled" and rest in ("rocksdb", "memory")):
        seconds, cpu = _time_worker(settings, variant.rsplit("-", 1)[1], len(items), profile, code)
    else:
        seconds, cpu = _time_child(settings, rest if kind == "compiled" else variant, len(items), code)
    return Run(variant, len(items), seconds, cpu, (load + os.getloadavg()[0]) / 2)


def worker_env(settings: Settings, store: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FIGUREWATCH_")}
    env.update({
        "FIGUREWATCH_BROKER": settings.broker, "FIGUREWATCH_TOPIC_PREFIX": settings.topic_prefix,
        "FIGUREWATCH_APP_ID": settings.app_id, "FIGUREWATCH_PARTITIONS": str(settings.partitions),
        "FIGUREWATCH_STORE": f"{store}://", "FIGUREWATCH_DATA_DIR": str(settings.data_dir),
        "FIGUREWATCH_WEB_PORT": str(settings.web_port), "FIGUREWATCH_LOG_LEVEL": "info",
        # the batch settings of the benchmark's own environment, so that their trade-off can be measured
        "FIGUREWATCH_BATCH_MAX": str(settings.batch_max), "FIGUREWATCH_BATCH_SECONDS": str(settings.batch_seconds),
    })
    return env


def start_worker(settings: Settings, store: str, code: Path | None = None) -> subprocess.Popen[bytes]:
    """``figurewatch worker`` of this checkout, or of the one at ``code`` (put first on the import path)."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    log = (settings.data_dir / "worker.log").open("ab")
    env = worker_env(settings, store)
    if code is not None:
        env["PYTHONPATH"] = str(code)
    return subprocess.Popen([sys.executable, "-m", "streams", "worker"], env=env,
                            cwd=code or REPO, stdout=log, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _cpu_seconds(pid: int) -> float:
    return sum(_cpu_split(pid))


def _cpu_split(pid: int) -> tuple[float, float]:
    """User and system CPU seconds of a process."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) / os.sysconf("SC_CLK_TCK"), int(fields[12]) / os.sysconf("SC_CLK_TCK")


def _time_worker(settings: Settings, store: str, count: int, profile: Path | None,
                 code: Path | None) -> tuple[float, float]:
    """From the first item received (polled often until then) to the ledger's last message, by the worker's own
    last-progress time (polled every second: a scrape of /metrics costs the worker CPU)."""
    proc = start_worker(settings, store, code)
    url = f"http://127.0.0.1:{settings.web_port}/metrics"
    deadline = time.monotonic() + RUN_TIMEOUT
    spy = None
    try:
        first = cpu_first = None
        while time.monotonic() < deadline and proc.poll() is None:
            samples = scrape(url, timeout=5.0)
            now = time.time()
            if samples and first is None and samples.get("figurewatch_items_received_total", 0) > 0:
                first, cpu_first = now, _cpu_seconds(proc.pid)
                if profile:
                    spy = subprocess.Popen([str(Path(sys.executable).parent / "py-spy"), "record", "--pid",
                                            str(proc.pid), "--format", "raw", "--output", str(profile), "--rate",
                                            "200", "--gil", "--nonblocking"], stdout=subprocess.DEVNULL)
            if first is not None and cpu_first is not None and drained(samples, count):
                user, system = _cpu_split(proc.pid)
                print(f"    (worker CPU since start: user {user:.1f} s, system {system:.1f} s)", flush=True)
                last = (samples or {}).get('figurewatch_last_progress_timestamp_seconds{agent="ledger"}', now)
                return last - first, _cpu_seconds(proc.pid) - cpu_first
            time.sleep(POLL_SECONDS if first is None else 1.0)
        raise SystemExit(f"worker ({store}) did not finish; see {settings.data_dir / 'worker.log'}")
    finally:
        if spy is not None:
            spy.send_signal(2)  # py-spy writes its file on SIGINT
            spy.wait(timeout=60)
        stop(proc)


def _time_child(settings: Settings, kind: str, count: int, code: Path | None = None) -> tuple[float, float]:
    result = settings.data_dir / "result.json"
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    env = worker_env(settings, "memory")
    if code is not None:
        env["PYTHONPATH"] = str(code)
    log = (settings.data_dir / "child.log").open("ab")
    proc = subprocess.Popen([sys.executable, __file__, "--items", str(count), "--partitions", str(settings.partitions),
                             "--child", kind, settings.topic_prefix, str(result)],
                            env=env, cwd=REPO, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        while not result.exists():
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"{kind} did not finish; see {settings.data_dir / 'child.log'}")
            time.sleep(POLL_SECONDS)
        time.sleep(POLL_SECONDS)  # the file is written in one call; let it land
        data = json.loads(result.read_text())
        return float(data["seconds"]), float(data["cpu_seconds"])
    finally:
        stop(proc)


# --- the children: raw aiokafka loops and a plain Faust agent -------------------------------------------------


def _child(settings: Settings, kind: str, prefix: str, result: Path, count: int) -> int:
    settings = settings.replace(topic_prefix=prefix)
    if kind == "faust-noop":
        return _faust_noop(settings, result, count)
    asyncio.run(_raw_loop(settings, kind, result, count))
    return 0


def _write_result(result: Path, started: float, cpu_started: float) -> None:
    data = {"seconds": time.monotonic() - started, "cpu_seconds": time.process_time() - cpu_started}
    result.write_text(json.dumps(data))


async def _raw_loop(settings: Settings, kind: str, result: Path, count: int) -> None:
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    from streams.app import item_bounds
    from streams.pipeline import Accepted, ingest
    from streams.runtime import build_extractor

    extract = build_extractor(settings).extract
    bounds = item_bounds(settings)  # the worker's bounds on an item's claims and text
    seen: dict[str, str] = {}
    source, target = settings.topic("news.items"), settings.topic("claims")
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.broker, group_id=settings.app_id,
                                enable_auto_commit=False, auto_offset_reset="earliest")
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker, acks="all", linger_ms=1)
    await consumer.start()
    await producer.start()
    consumer.assign([TopicPartition(source, p) for p in range(settings.partitions)])
    done = 0
    started = cpu_started = 0.0
    try:
        while done < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=500)
            if batch and not started:
                started, cpu_started = time.monotonic(), time.process_time()
            futures = []
            for records in batch.values():
                for record in records:
                    done += 1
                    if kind == "raw-pass":
                        futures.append(await producer.send(target, record.value, key=record.key))
                        continue
                    outcome = ingest(record.value, seen, max_bytes=settings.max_item_bytes, extract=extract,
                                     bounds=bounds)
                    if isinstance(outcome, Accepted):
                        for claim in outcome.claims:  # keyed and placed as the worker does
                            key, partition = claim_address(claim, settings.partitions)
                            futures.append(await producer.send(target, orjson.dumps(claim.to_dict()), key=key,
                                                               partition=partition))
            if futures:
                await asyncio.gather(*futures)
            if batch:
                await consumer.commit()
        _write_result(result, started, cpu_started)
    finally:
        await producer.stop()
        await consumer.stop()


def _faust_noop(settings: Settings, result: Path, count: int) -> int:
    import faust
    from faust.worker import Worker

    app = faust.App(settings.app_id, broker=f"kafka://{settings.broker}", store="memory://",
                    datadir=str(settings.data_dir / "faust"), topic_partitions=settings.partitions,
                    topic_replication_factor=1, consumer_auto_offset_reset="earliest", web_enabled=False,
                    autodiscover=False)
    topic = app.topic(settings.topic("news.items"), key_serializer="raw", value_serializer="raw")
    clock = {"done": 0, "started": 0.0, "cpu": 0.0}

    @app.agent(topic)
    async def noop(stream: Any) -> Any:
        async for _ in stream.events():
            if not clock["done"]:
                clock["started"], clock["cpu"] = time.monotonic(), time.process_time()
            clock["done"] += 1
            if clock["done"] == count:
                _write_result(result, clock["started"], clock["cpu"])
            yield None

    Worker(app, loglevel="warning", quiet=True).execute_from_commandline()
    return 0


# --- the report -----------------------------------------------------------------------------------------------


def table(runs: list[Run], count: int) -> str:
    by_variant: dict[str, list[Run]] = {}
    for run in runs:
        by_variant.setdefault(run.variant, []).append(run)
    bases = {name: statistics.median(r.rate for r in by_variant[name])
             for name in ("raw-extract", "compiled-raw-extract") if name in by_variant}
    lines = [f"\n{count:,} items, {len(runs) // max(1, len(by_variant))} alternating runs each; medians "
             f"(load average 1 min: {min(r.load for r in runs):.2f}-{max(r.load for r in runs):.2f}, "
             f"{os.cpu_count()} cores)",
             "| variant | items/s (median) | min-max | CPU ms/item | % of the raw loop with the same extraction |",
             "|---|---|---|---|---|"]
    for variant in VARIANTS + BASELINE_VARIANTS + COMPILED_VARIANTS:
        if variant not in by_variant:
            continue
        rates = [r.rate for r in by_variant[variant]]
        cpu = statistics.median(1000 * r.cpu_seconds / r.items for r in by_variant[variant])
        base = bases.get("compiled-raw-extract" if variant.startswith("compiled-") else "raw-extract")
        share = f"{100 * statistics.median(rates) / base:.0f} %" if base else "-"
        lines.append(f"| {variant} | {statistics.median(rates):,.0f} | {min(rates):,.0f}-{max(rates):,.0f} | "
                     f"{cpu:.2f} | {share} |")
    return "\n".join(lines)


def scale(settings: Settings, workers: int, items: list[bytes]) -> str:
    """``workers`` RocksDB workers in one group (web ports from FIGUREWATCH_WEB_PORT up), started and ready
    before the items are produced: the combined rate from the first item sent to the ledger's last message."""
    settings = fresh(settings)
    create_topics(settings)
    group = [settings.replace(web_port=settings.web_port + n, data_dir=settings.data_dir / f"w{n}")
             for n in range(workers)]
    procs = [start_worker(one, "rocksdb") for one in group]
    try:
        deadline = time.monotonic() + 180
        while not all(_ready(one) for one in group):
            if any(proc.poll() is not None for proc in procs) or time.monotonic() > deadline:
                raise SystemExit(f"the {workers} workers never got ready; see {settings.data_dir}")
            time.sleep(0.5)
        time.sleep(2 * 5.0)  # two gauge samples: the group's assignment settles
        cpu_before = sum(_cpu_seconds(proc.pid) for proc in procs)
        started = time.time()
        produce_lines(settings, settings.topic("news.items"), items)
        while True:
            samples = [scrape(f"http://127.0.0.1:{one.web_port}/metrics", timeout=5.0) or {} for one in group]
            merged = {key: sum(s.get(key, 0.0) for s in samples) for s in samples for key in s}
            if drained(merged, len(items)):
                break
            if any(proc.poll() is not None for proc in procs) or time.time() - started > RUN_TIMEOUT:
                raise SystemExit(f"the {workers} workers did not finish; see {settings.data_dir}")
            time.sleep(1.0)
        last = max(s.get('figurewatch_last_progress_timestamp_seconds{agent="ledger"}', 0.0) for s in samples)
        cpu = sum(_cpu_seconds(proc.pid) for proc in procs) - cpu_before
        busy = sum(1 for s in samples if s.get("figurewatch_items_received_total", 0) > 0)
    finally:
        for proc in procs:
            stop(proc)
    return (f"{workers} RocksDB worker(s), {busy} of them given items: {len(items) / (last - started):,.0f} items/s "
            f"combined, {1000 * cpu / len(items):.2f} ms CPU/item (load {os.getloadavg()[0]:.2f})")


def restart(settings: Settings, store: str, items: list[bytes]) -> str:
    """Process ``items`` with a worker, stop it, start it again on the same state: seconds to ready."""
    from kafka import KafkaConsumer, TopicPartition

    settings = fresh(settings)
    create_topics(settings)
    produce_lines(settings, settings.topic("news.items"), items)
    _time_worker(settings, store, len(items), None, None)
    consumer = KafkaConsumer(bootstrap_servers=settings.broker)
    changelogs = [TopicPartition(f"{settings.app_id}-{table}-changelog", p)
                  for table in ("item-versions", "series") for p in range(settings.partitions)]
    records = sum(consumer.end_offsets(changelogs).values())
    consumer.close()
    started = time.monotonic()
    proc = start_worker(settings, store)
    try:
        while not _ready(settings):
            if proc.poll() is not None or time.monotonic() - started > RUN_TIMEOUT:
                raise SystemExit(f"the restarted worker never got ready; see {settings.data_dir / 'worker.log'}")
            time.sleep(POLL_SECONDS)
        seconds = time.monotonic() - started
    finally:
        stop(proc)
    return (f"restart, {store} store, after {len(items):,} items ({records:,} changelog records): ready in "
            f"{seconds:.1f} s (load {os.getloadavg()[0]:.2f})")


def top_frames(profile: Path, count: int = 25) -> str:
    """The functions most often on the stack (inclusive) and at its top (self) in py-spy's collapsed stacks,
    as shares of the samples."""
    inclusive: dict[str, int] = {}
    own: dict[str, int] = {}
    total = 0
    for line in profile.read_text().splitlines():
        stack, _, number = line.rpartition(" ")
        samples = int(number)
        total += samples
        frames = [frame.split(" (")[0] + " (" + frame.split(" (")[-1].split(":")[0].rsplit("/", 1)[-1] + ")"
                  for frame in stack.split(";")]
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + samples
        own[frames[-1]] = own.get(frames[-1], 0) + samples
    lines = [f"\nprofile of the first worker run ({total} samples): inclusive | self"]
    tops = sorted(inclusive.items(), key=lambda kv: -kv[1])[:count]
    selfs = sorted(own.items(), key=lambda kv: -kv[1])[:count]
    for (frame, n), (leaf, m) in zip(tops, selfs, strict=False):
        lines.append(f"{100 * n / total:5.1f} % {frame[:70]:<70} | {100 * m / total:5.1f} % {leaf[:70]}")
    return "\n".join(lines)


def latency(settings: Settings, rate: float, seconds: float, code: Path | None = None) -> str:
    settings = fresh(settings)
    create_topics(settings)
    proc = start_worker(settings, "rocksdb", code)
    try:
        _wait_ready(settings, proc)
        load = os.getloadavg()[0]
        outside, offered = asyncio.run(_offer(settings, rate, seconds))
        samples = scrape(f"http://127.0.0.1:{settings.web_port}/metrics") or {}
    finally:
        stop(proc)
    inside = _histogram_quantiles(samples, "figurewatch_end_to_end_seconds", (0.5, 0.99))
    batches = {agent: _histogram_quantiles(samples, "figurewatch_processing_seconds", (0.5, 0.99), f'agent="{agent}"')
               for agent in ("ingest", "ledger")}
    out50, out99 = (_quantile(outside, q) for q in (0.5, 0.99))
    worker = "the baseline's RocksDB worker" if code else "RocksDB worker"
    return (f"\nlatency at {offered:,.0f} items/s offered for {seconds:.0f} s, {worker}, load {load:.2f}: "
            f"{len(outside)} change events\n"
            f"| measured | p50 | p99 |\n|---|---|---|\n"
            f"| outside (produce -> change event consumed) | {1000 * out50:.1f} ms | {1000 * out99:.1f} ms |\n"
            f"| worker histogram (figurewatch_end_to_end_seconds) | {1000 * inside[0]:.1f} ms | "
            f"{1000 * inside[1]:.1f} ms |\n"
            + "".join(f"| a message's batch in the {agent} agent (figurewatch_processing_seconds) | "
                      f"{1000 * q[0]:.1f} ms | {1000 * q[1]:.1f} ms |\n" for agent, q in batches.items()).rstrip())


def _wait_ready(settings: Settings, proc: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 120
    while not _ready(settings):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the worker never got ready; see {settings.data_dir / 'worker.log'}")
        time.sleep(0.5)


def soak(settings: Settings, rate: float, seconds: float, every: float = 60.0) -> str:
    """Items offered at ``rate`` for ``seconds`` to a fresh RocksDB worker; every ``every`` seconds, what the
    worker did in that interval: items taken, its CPU per item, its resident memory and its series."""
    settings = fresh(settings)
    create_topics(settings)
    proc = start_worker(settings, "rocksdb")
    rows: list[str] = []
    try:
        _wait_ready(settings, proc)

        async def run() -> tuple[list[float], float]:
            sampler = asyncio.create_task(_sample_every(settings, proc.pid, every, rows))
            try:
                return await _offer(settings, rate, seconds)
            finally:
                sampler.cancel()

        outside, offered = asyncio.run(run())
    finally:
        stop(proc)
    return (f"\nsoak: {offered:,.0f} items/s offered for {seconds:.0f} s to a RocksDB worker; change events "
            f"p50 {1000 * _quantile(outside, 0.5):.1f} ms, p99 {1000 * _quantile(outside, 0.99):.1f} ms "
            f"(outside)\n| minute | items/s taken | CPU ms/item | resident MB | series | load |\n"
            "|---|---|---|---|---|---|\n" + "\n".join(rows))


async def _sample_every(settings: Settings, pid: int, every: float, rows: list[str]) -> None:
    url = f"http://127.0.0.1:{settings.web_port}/metrics"
    last_items, last_cpu, started = 0.0, _cpu_seconds(pid), time.monotonic()
    while True:
        await asyncio.sleep(every)
        samples = await asyncio.to_thread(scrape, url) or {}
        items, cpu = samples.get("figurewatch_items_received_total", 0.0), _cpu_seconds(pid)
        status = Path(f"/proc/{pid}/status").read_text()
        rss_kb = int(status.split("VmRSS:")[1].split()[0])
        done = items - last_items
        rows.append(f"| {(time.monotonic() - started) / 60:.0f} | {done / every:,.0f} | "
                    f"{1000 * (cpu - last_cpu) / done if done else float('nan'):.2f} | {rss_kb / 1024:,.0f} | "
                    f"{samples.get('figurewatch_table_series', 0):,.0f} | {os.getloadavg()[0]:.2f} |")
        last_items, last_cpu = items, cpu


def _ready(settings: Settings) -> bool:
    import urllib.request

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{settings.web_port}/readyz", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


async def _offer(settings: Settings, rate: float, seconds: float) -> tuple[list[float], float]:
    """Produce generated items at ``rate`` for ``seconds``; the latency of each item's first change event."""
    from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

    items = generate(max(1, int(rate * seconds)), seed=23)
    sent: dict[str, float] = {}
    latencies: dict[str, float] = {}
    changes = settings.topic("figures.changes")
    consumer = AIOKafkaConsumer(bootstrap_servers=settings.broker, group_id=None, auto_offset_reset="earliest")
    producer = AIOKafkaProducer(bootstrap_servers=settings.broker, acks="all", linger_ms=0)
    await consumer.start()
    await producer.start()
    consumer.assign([TopicPartition(changes, p) for p in range(settings.partitions)])

    async def consume() -> None:
        while True:
            batch = await consumer.getmany(timeout_ms=200)
            now = time.time()
            for records in batch.values():
                for record in records:
                    item_id = orjson.loads(record.value)["claim"]["item_id"]
                    if item_id in sent and item_id not in latencies:
                        latencies[item_id] = now - sent[item_id]

    reader = asyncio.create_task(consume())
    started = time.monotonic()
    try:
        for n, raw in enumerate(items):
            delay = started + n / rate - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            item_id = orjson.loads(raw)["id"]
            sent.setdefault(item_id, time.time())
            await producer.send(settings.topic("news.items"), raw, key=item_id.encode())
        offered = len(items) / (time.monotonic() - started)
        await asyncio.sleep(5.0)  # the last events
    finally:
        reader.cancel()
        await producer.stop()
        await consumer.stop()
    return sorted(latencies.values()), offered


def _quantile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(q * len(values)))]


def _histogram_quantiles(samples: dict[str, float], name: str, qs: Sequence[float], labels: str = "") -> list[float]:
    """Quantiles of a Prometheus histogram (of the series whose labels start with ``labels``), interpolated
    linearly within buckets (as histogram_quantile does)."""
    buckets = sorted((float(k.split('le="')[1].split('"')[0]), v) for k, v in samples.items()
                     if k.startswith(f"{name}_bucket{{{labels}"))
    total = buckets[-1][1] if buckets else 0
    found = []
    for q in qs:
        want, lower, below = q * total, 0.0, 0.0
        value = float("nan")
        for upper, cumulative in buckets:
            if cumulative >= want and total:
                inside = cumulative - below
                value = upper if upper == float("inf") else lower + (upper - lower) * ((want - below) / inside
                                                                                      if inside else 1.0)
                break
            lower, below = upper, cumulative
        found.append(value)
    return found


if __name__ == "__main__":
    raise SystemExit(main())
