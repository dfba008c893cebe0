"""The ``figurewatch`` command line: broker, topics, worker, produce, tail, and the offline tools.

Every command reads :class:`~streams.settings.Settings` from the environment; flags override it.
Errors of ours print one line on stderr and exit 1; nothing else prints a traceback at the user.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO

import orjson

from streams._exceptions import FigurewatchError
from streams.broker import LocalBroker, answers
from streams.kafkaio import produce_lines, read_topic
from streams.settings import Settings
from streams.topics import NEWS_ITEMS, create_topics

Command = Callable[[argparse.Namespace, Settings], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    try:
        settings = Settings.from_env(os.environ).replace(broker=getattr(args, "broker", None))
        command: Command = args.func
        return command(args, settings)
    except FigurewatchError as exc:
        print(f"figurewatch: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="figurewatch", description=__doc__.splitlines()[0])
    parser.add_argument("--broker", help="Kafka bootstrap servers (default: $FIGUREWATCH_BROKER)")
    sub = parser.add_subparsers(dest="command", required=True)

    broker = sub.add_parser("broker", help="run a local single-node Kafka from Maven Central jars")
    broker.add_argument("action", choices=("start", "stop", "status"))
    broker.set_defaults(func=cmd_broker)

    topics = sub.add_parser("topics", help="create figurewatch's topics if missing")
    topics.set_defaults(func=cmd_topics)

    worker = sub.add_parser("worker", help="run the stream-processing worker")
    worker.set_defaults(func=cmd_worker)

    produce = sub.add_parser("produce", help="load news items (JSON Lines) onto news.items")
    produce.add_argument("file", help="a JSON Lines file, or - for stdin")
    produce.set_defaults(func=cmd_produce)

    tail = sub.add_parser("tail", help="print a topic's messages as JSON lines")
    tail.add_argument("topic", help="topic name, without the configured prefix")
    tail.add_argument("--follow", "-f", action="store_true", help="keep waiting for new messages")
    tail.add_argument("--envelope", action="store_true", help="print partition, offset and key too")
    tail.set_defaults(func=cmd_tail)
    return parser


def cmd_broker(args: argparse.Namespace, settings: Settings) -> int:
    broker = LocalBroker(settings)
    if args.action == "start":
        bootstrap = broker.start()
        print(bootstrap)
    elif args.action == "stop":
        print("stopped" if broker.stop() else "not running")
    else:
        pid = broker.pid()
        if pid is None:
            print(f"not running (Kafka {broker.version}, data in {broker.home})")
            return 1
        state = "answering" if answers(broker.bootstrap) else "NOT answering"
        print(f"running: pid {pid}, {broker.bootstrap} {state}, Kafka {broker.version}, log {broker.log_file}")
        return 0 if state == "answering" else 1
    return 0


def cmd_topics(args: argparse.Namespace, settings: Settings) -> int:
    created = create_topics(settings)
    print("created: " + ", ".join(created) if created else "all topics exist")
    return 0


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from streams.runtime import run_worker

    create_topics(settings)
    return run_worker(settings)


def cmd_produce(args: argparse.Namespace, settings: Settings) -> int:
    lines = list(_read_lines(args.file))
    total = len(lines)
    progress = _Progress(total)
    sent = produce_lines(settings, settings.topic(NEWS_ITEMS.name), lines, on_sent=progress)
    progress.done()
    print(f"produced {sent} of {total} items to {settings.topic(NEWS_ITEMS.name)}")
    return 0 if sent == total else 1


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


def _read_lines(path: str) -> Iterator[bytes]:
    stream: BinaryIO = sys.stdin.buffer if path == "-" else Path(path).open("rb")  # noqa: SIM115
    with stream:
        for line in stream:
            line = line.rstrip(b"\r\n")
            if line.strip():
                yield line


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
