"""The ``figurewatch`` command line: broker, topics, worker, produce, tail, and the offline tools.

Every command reads :class:`~streams.settings.Settings` from the environment; flags override it.
Errors of ours print one line on stderr and exit 1; nothing else prints a traceback at the user.
"""

from __future__ import annotations

import argparse
import os
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from streams import __version__
from streams._exceptions import FigurewatchError, UsageError
from streams.app import item_bounds
from streams.broker import LocalCluster, answers
from streams.demo import SAMPLE_CORPUS, latest_states, run_demo
from streams.extraction.evaluate import main as evaluate_extraction
from streams.kafkaio import produce_lines, read_topic
from streams.ledger import render_tables
from streams.ledger.evaluate import main as evaluate_ledger
from streams.logs import configure
from streams.pipeline import Accepted, Rejected, ingest
from streams.rebuild import rebuild
from streams.replay import replay
from streams.runtime import build_extractor, offline_ledger, run_worker
from streams.serve import run_serve
from streams.settings import Settings
from streams.stream_evaluate import Scope, load_truth, measure, render, run_stream
from streams.topics import NEWS_ITEMS, create_topics
from streams.usage import ArgumentParser, print_error

Command = Callable[[argparse.Namespace, Settings], int]
BROKEN_PIPE = 128 + 13
"""The exit status when standard output was closed by its reader: a process killed by SIGPIPE gives the same."""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ).replace(broker=getattr(args, "broker", None))
        configure(_log_level(args.command, settings), [settings.sasl_secret()])
        command: Command = args.func
        return command(args, settings)
    except FigurewatchError as exc:
        print_error(str(exc))
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``figurewatch extract FILE | head``): stop quietly, as a killed pipe writer
        # would. Standard output is pointed at /dev/null so the interpreter's last flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return BROKEN_PIPE


def _log_level(command: str, settings: Settings) -> str:
    """The worker and serve log at their level. The other commands print their results, and their failure in one
    line: they log nothing (the Kafka clients' retries would bury that line) unless FIGUREWATCH_LOG_LEVEL is debug."""
    return settings.log_level if command in ("worker", "serve") or settings.log_level.lower() == "debug" else "critical"


def _parser() -> argparse.ArgumentParser:
    parser = ArgumentParser(prog="figurewatch", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"figurewatch {__version__}")
    parser.add_argument("--broker", help="Kafka bootstrap servers (default: $FIGUREWATCH_BROKER)")
    sub = parser.add_subparsers(dest="command", required=True)

    broker = _command(sub, "broker", help="run a local Kafka (one node, or a cluster) from Maven Central jars")
    broker.add_argument("action", choices=("start", "stop", "status"),
                        help="start the broker (or cluster), stop it, or say whether it answers")
    broker.add_argument("--nodes", type=int, choices=range(1, 10), metavar="N",
                        help="nodes of the local KRaft cluster, 1 to 9 (default: as many as its data folder "
                             "holds, else 1)")
    broker.set_defaults(func=cmd_broker)

    topics = _command(sub, "topics", help="create figurewatch's topics if missing")
    topics.set_defaults(func=cmd_topics)

    worker = _command(sub, "worker", help="run the stream-processing worker")
    worker.set_defaults(func=cmd_worker)

    serve = _command(sub, "serve", help="serve the page, the JSON API and CSV exports of the current figures and "
                                        "changes")
    serve.add_argument("--host", help="bind address (default: $FIGUREWATCH_SERVE_HOST, 127.0.0.1)")
    serve.add_argument("--port", type=int, help="port (default: $FIGUREWATCH_SERVE_PORT, 6067)")
    serve.add_argument("--db", type=Path, help="the read model's SQLite file (default: $FIGUREWATCH_SERVE_DB)")
    serve.set_defaults(func=cmd_serve)

    produce = _command(sub, "produce", help="load news items (JSON Lines) onto news.items")
    produce.add_argument("file", help="a JSON Lines file, or - for stdin")
    produce.set_defaults(func=cmd_produce)

    tail = _command(sub, "tail", help="print a topic's messages as JSON lines")
    tail.add_argument("topic", help="topic name, without the configured prefix")
    tail.add_argument("--follow", "-f", action="store_true", help="keep waiting for new messages")
    tail.add_argument("--envelope", action="store_true", help="print partition, offset and key too")
    tail.set_defaults(func=cmd_tail)

    figures = _command(sub, "figures", help="print the current figure tables from figures.current")
    figures.add_argument("--conflict", help="only this conflict (a gazetteer slug)")
    figures.set_defaults(func=cmd_figures)

    extract = _command(sub, "extract", help="extract claims from news items (JSON Lines) offline")
    extract.add_argument("file", help="a JSON Lines file of news items, or - for stdin")
    extract.set_defaults(func=cmd_extract)

    replay = _command(sub, "replay", help="run extraction and the ledger offline, print change events")
    replay.add_argument("file", help="a JSON Lines file of news items, or - for stdin")
    replay.add_argument("--tables", action="store_true", help="print the final figure tables too")
    replay.set_defaults(func=cmd_replay)

    evaluate = _command(sub, "evaluate", help="measure extraction or the ledger on a labeled corpus, "
                                               "or series resolution on a stream (evaluate stream -h)")
    evaluate.add_argument("what", choices=("extraction", "ledger", "stream"), help="what to measure")
    evaluate.add_argument("args", nargs=argparse.REMAINDER, help="passed on to the evaluator")
    evaluate.set_defaults(func=cmd_evaluate)

    rebuild = _command(sub, "rebuild", help="after an upgrade that changes series keys or partitions, with every "
                                             "worker stopped: rebuild figures.current from news.items, empty claims")
    rebuild.add_argument("--yes", action="store_true", required=True,
                         help="confirm: figures.current is emptied and rewritten, the claims topic is emptied")
    rebuild.set_defaults(func=cmd_rebuild)

    demo = _command(sub, "demo", help="local broker + worker + sample corpus; show tables and events")
    demo.add_argument("--corpus", default=str(SAMPLE_CORPUS), help="news items to feed in")
    demo.add_argument("--serve", action="store_true",
                      help="then run figurewatch serve and leave the page up until Ctrl-C (make demo does)")
    demo.set_defaults(func=cmd_demo)
    return parser



_ABOUT = {
    "broker": "Start, stop or ask about a local Kafka on 127.0.0.1 in KRaft mode, one node or a cluster, from the "
              "Maven Central jars pinned in deploy/kafka/pom.xml (fetched on first use into "
              "FIGUREWATCH_CACHE_DIR); its data and logs live in FIGUREWATCH_DATA_DIR.",
    "topics": "Create news.items, news.items.dlq, claims, figures.current and figures.changes (after "
              "FIGUREWATCH_TOPIC_PREFIX) where they are missing; existing topics are left as they are.",
    "worker": "Run the stream-processing worker: read news.items, extract claims, keep the figure tables, publish "
              "figures.current and figures.changes, dead-letter what it cannot use. It serves /metrics, /healthz "
              "and /readyz on FIGUREWATCH_WEB_HOST:FIGUREWATCH_WEB_PORT and stops on SIGTERM or Ctrl-C.",
    "serve": "Consume figures.current and figures.changes into a read model (kept in a SQLite file, so a restart "
             "resumes where it stopped) and serve the page at /, the API described at /api/openapi.json, CSV "
             "exports and /metrics.",
    "produce": "Send news items, one JSON object a line (schemas/news-item.schema.json), to news.items, keyed by "
               "item id.",
    "tail": "Print a topic's messages from the beginning as JSON Lines: values, or with --envelope their "
            "partition, offset and key too.",
    "figures": "Read figures.current to its end and print the current figure of every series as a table.",
    "extract": "Extract the claims of news items (JSON Lines) without a broker and print them as JSON Lines. A bad "
               "line is reported on stderr with its line number, the others are still read, and the exit status "
               "is then 1.",
    "replay": "Run news items (JSON Lines) through extraction and the figure ledger offline, as the worker would, "
              "and print the change events as JSON Lines (bad lines as for extract).",
    "evaluate": "Measure extraction (precision and recall on a labeled corpus), the ledger (events on labeled "
                "scenarios) or series resolution on a news stream against an official daily series; "
                "'figurewatch evaluate WHAT -h' lists each evaluator's options.",
    "rebuild": "After an upgrade that changes series keys or partitions, with every worker stopped: rebuild "
               "figures.current from the retained news.items (emptied first; old keys get tombstones) and empty "
               "the claims topic.",
    "demo": "Start a local broker and a worker, feed the sample news, print the change events and figure tables, "
            "then stop both; with --serve, leave the page up until Ctrl-C first (make demo does).",
}

_EXAMPLE = {
    "broker": "figurewatch broker start --nodes 3     # later: figurewatch broker status; figurewatch broker stop",
    "topics": "FIGUREWATCH_BROKER=kafka1:9092,kafka2:9092 figurewatch topics",
    "worker": "FIGUREWATCH_BROKER=127.0.0.1:9092 FIGUREWATCH_WEB_PORT=6066 figurewatch worker",
    "serve": "figurewatch serve --port 6067            # then open http://127.0.0.1:6067/",
    "produce": "figurewatch produce corpus/sample-news.jsonl",
    "tail": "figurewatch tail figures.changes -f",
    "figures": "figurewatch figures --conflict sudan",
    "extract": "figurewatch extract corpus/sample-news.jsonl | head -3",
    "replay": "figurewatch replay corpus/sample-news.jsonl --tables",
    "evaluate": "figurewatch evaluate stream corpus/stream/dev-stream.jsonl \\\n"
                "      --truth ../shared/data/official-series/gaza-casualties-daily.json",
    "rebuild": "figurewatch rebuild --yes",
    "demo": "figurewatch demo --serve",
}


def _command(sub: Any, name: str, help: str) -> argparse.ArgumentParser:
    """A subcommand with its one-line help, a paragraph on what it does, and an example."""
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=help, description=textwrap.fill(_ABOUT[name], 100), epilog=f"example:\n  {_EXAMPLE[name]}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    return parser


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    cluster = LocalCluster(settings, args.nodes) if args.nodes else LocalCluster.on_disk(settings)
    if args.action == "start":
        print(cluster.start())
        return 0
    if args.action == "stop":
        print("stopped" if cluster.stop() else "not running")
        return 0
    answering = 0
    for broker in cluster.brokers:
        pid = broker.pid()
        if pid is None:
            print(f"not running (Kafka {broker.version}, data in {broker.home})")
            continue
        state = "answering" if answers(broker.bootstrap) else "NOT answering"
        answering += state == "answering"
        print(f"running: pid {pid}, {broker.bootstrap} {state}, Kafka {broker.version}, log {broker.log_file}")
    return 0 if answering == cluster.nodes else 1


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    created = create_topics(settings)
    print("created: " + ", ".join(created) if created else "all topics exist")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    return run_worker(settings)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    return run_serve(settings.replace(serve_host=args.host, serve_port=args.port, serve_db=args.db))


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    lines = list(_Lines(args.file))
    total = len(lines)
    progress = _Progress(total)
    sent = produce_lines(settings, settings.topic(NEWS_ITEMS.name), lines, on_sent=progress)
    progress.done()
    print(f"produced {sent} of {total} items to {settings.topic(NEWS_ITEMS.name)}")
    return 0 if sent == total else 1


def cmd_figures(args: argparse.Namespace, settings: Settings) -> int:
    states = latest_states(settings)
    sys.stdout.write(render_tables(states.values(), args.conflict))
    return 0


def cmd_extract(args: argparse.Namespace, settings: Settings) -> int:
    extractor = build_extractor(settings)
    out = sys.stdout.buffer
    lines = _Lines(args.file)
    for line in lines:
        result = ingest(line, {}, max_bytes=settings.max_item_bytes, extract=extractor.extract,
                        bounds=item_bounds(settings))
        if isinstance(result, Rejected):
            lines.reject(result)
        elif isinstance(result, Accepted):
            for claim in result.claims:
                out.write(orjson.dumps(claim.to_dict()) + b"\n")
    return lines.status()


def cmd_replay(args: argparse.Namespace, settings: Settings) -> int:
    ledger = offline_ledger(settings)
    extractor = build_extractor(settings)
    out = sys.stdout.buffer
    lines = _Lines(args.file)
    for event in replay(lines, extractor.extract, ledger, max_bytes=settings.max_item_bytes,
                        bounds=item_bounds(settings), on_reject=lines.reject):
        out.write(orjson.dumps(event) + b"\n")
    if args.tables:
        out.flush()
        sys.stdout.write(render_tables(ledger.tables()))
    return lines.status()


def cmd_rebuild(args: argparse.Namespace, settings: Settings) -> int:
    done = rebuild(settings)
    print(f"replayed {done.items} items: wrote {done.states} series states and {done.tombstones} tombstones to "
          f"figures.current, dropped {done.claims_dropped} claims; now start the workers with a new "
          f"FIGUREWATCH_APP_ID (current: {settings.app_id})")
    return 0


def cmd_evaluate(args: argparse.Namespace, settings: Settings) -> int:
    if args.what == "stream":
        return evaluate_stream(args.args, settings)
    evaluator = evaluate_extraction if args.what == "extraction" else evaluate_ledger
    return evaluator(args.args)


def evaluate_stream(argv: Sequence[str], settings: Settings) -> int:
    """``figurewatch evaluate stream FILE --truth SERIES.json``: the measures of :mod:`streams.stream_evaluate`."""
    parser = ArgumentParser(prog="figurewatch evaluate stream",
                            description="replay a news stream and measure its series against a truth")
    parser.add_argument("file", help="a JSON Lines file of news items in time order, or - for stdin")
    parser.add_argument("--truth", required=True, type=Path, help="official daily series (JSON list of records)")
    parser.add_argument("--field", default="killed_cum", help="the truth's field (default killed_cum)")
    default = Scope()
    parser.add_argument("--conflict", default=default.conflict, help=f"default {default.conflict}")
    parser.add_argument("--metric", default=default.metric, help=f"default {default.metric}")
    parser.add_argument("--examples", type=int, default=3, help="examples of each failure to show (default 3)")
    parser.add_argument("--json", action="store_true", help="print the measures as one JSON object")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    opts = parser.parse_args(list(argv))
    lines = _Lines(opts.file)
    for readable in (lines, _Lines(str(opts.truth))):
        readable.open().close()  # both readable, before the stream is replayed
    truth = load_truth(opts.truth, opts.field)
    extractor = build_extractor(settings)
    run = run_stream(lines, extractor.extract, offline_ledger(settings), max_bytes=settings.max_item_bytes,
                     bounds=item_bounds(settings))
    report = measure(run, truth, Scope(opts.conflict, opts.metric), extractor.gazetteer.territory, opts.examples)
    if opts.json:
        sys.stdout.buffer.write(orjson.dumps(report.to_dict(), option=orjson.OPT_INDENT_2) + b"\n")
    else:
        sys.stdout.write(render(report))
    return 1 if opts.strict and not all(report.target_met().values()) else 0


def cmd_demo(args: argparse.Namespace, settings: Settings) -> int:
    _Lines(args.corpus).open().close()  # readable, before a broker is started for it
    return run_demo(settings, Path(args.corpus), serve=args.serve)


def cmd_tail(args: argparse.Namespace, settings: Settings) -> int:
    out = sys.stdout.buffer
    for message in read_topic(settings, settings.topic(args.topic), follow=args.follow):
        value = _json_or_raw(message.value)
        if args.envelope:
            key = message.key.decode("utf-8", "backslashreplace") if message.key else None
            value = {"partition": message.partition, "offset": message.offset, "key": key, "value": value}
        out.write(orjson.dumps(value) + b"\n")
        out.flush()
    return 0


def _json_or_raw(value: bytes | None) -> object:
    if value is None:
        return None
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        return {"raw": value.decode("utf-8", "backslashreplace")}


class _Lines:
    """The non-blank lines of a JSON Lines file (``-`` for stdin), counting line numbers, so that a line the
    offline commands reject is reported with its number in the file; :meth:`status` is the exit status."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.name = "stdin" if path == "-" else path
        self.number = 0
        self.rejected = 0

    def open(self) -> BinaryIO:
        try:
            return sys.stdin.buffer if self.path == "-" else Path(self.path).open("rb")
        except OSError as exc:
            raise UsageError(f"cannot read {self.path}: {exc.strerror or exc}") from exc

    def __iter__(self) -> Iterator[bytes]:
        with self.open() as stream:
            for number, raw in enumerate(_lines_of(stream, self.path), start=1):
                self.number = number
                line = raw.rstrip(b"\r\n")
                if line.strip():
                    yield line

    def reject(self, result: Rejected) -> None:
        self.rejected += 1
        print_error(f"{self.name} line {self.number} skipped: {result.reason}: {result.detail}")

    def status(self) -> int:
        """1 when a line was skipped (the good lines' output is still written), else 0."""
        return 1 if self.rejected else 0


def _lines_of(stream: BinaryIO, path: str) -> Iterator[bytes]:
    """The raw lines of ``stream``, with a read error translated."""
    try:
        yield from stream
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from exc


class _Progress:
    """A one-line progress bar on stderr (silent when stderr is not a terminal)."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.tty = sys.stderr.isatty()

    def __call__(self, done: int) -> None:
        if self.tty and self.total:
            filled = int(30 * done / self.total)
            sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{self.total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.tty:
            sys.stderr.write("\n")
