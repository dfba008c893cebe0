"""The read model's storage for ``figurewatch serve``: every series' current state in memory, and the
states, the change events and the consumed offsets in one embedded SQLite database.

SQLite (the standard library's ``sqlite3``), not DuckDB: the load is many small writes (one row per
change event) and point or index-range reads (a page of changes, one series), which is what a row store
with B-tree indexes does well; it needs no new dependency, and one transaction per batch holds the rows
and the offsets they came from together, so a restart resumes exactly where the last batch ended,
neither losing nor doubling an event. DuckDB's strength, column scans over millions of rows, is not
what the page and the API ask for.

Plain Python with no Kafka and no asyncio: records come in as :class:`Record` from whatever consumed them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from streams._exceptions import ConfigError
from streams.logs import get_logger
from streams.readmodel import SERIES_EVENTS_MAX, ChangeQuery

log = get_logger("serve")

SCHEMA_VERSION = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS states (series_key TEXT PRIMARY KEY, body BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id TEXT NOT NULL UNIQUE,
    conflict TEXT NOT NULL,
    kind TEXT NOT NULL,
    series_key TEXT NOT NULL,
    item_id TEXT NOT NULL,
    published_at TEXT NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS events_conflict ON events (conflict, seq);
CREATE INDEX IF NOT EXISTS events_kind ON events (kind, seq);
CREATE INDEX IF NOT EXISTS events_series ON events (series_key, seq);
CREATE TABLE IF NOT EXISTS conflict_items (conflict TEXT NOT NULL, item_id TEXT NOT NULL,
                                           PRIMARY KEY (conflict, item_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conflict_kinds (conflict TEXT NOT NULL, kind TEXT NOT NULL, changes INTEGER NOT NULL,
                                           last_seq INTEGER NOT NULL, PRIMARY KEY (conflict, kind)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS offsets (topic TEXT NOT NULL, partition INTEGER NOT NULL, next_offset INTEGER NOT NULL,
                                    PRIMARY KEY (topic, partition));
"""


@dataclass(frozen=True, slots=True)
class Record:
    """One consumed message: from ``figures.current`` (``is_state``) or ``figures.changes``."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    is_state: bool


class ReadStore:
    """Current states (in memory, mirrored in SQLite) and the change history (in SQLite).

    ``origin`` names the topics the database is built from; opening a database built from other topics
    is an error rather than a silent mix of two streams.
    """

    def __init__(self, path: Path, origin: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.executescript("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;" + _SCHEMA)
            stored = dict(self._db.execute("SELECT name, value FROM meta").fetchall())
        except sqlite3.Error as exc:
            raise ConfigError(f"cannot open the read model database {path}: {exc}") from exc
        if stored and (stored.get("origin"), stored.get("version")) != (origin, SCHEMA_VERSION):
            raise ConfigError(
                f"{path} holds the read model of {stored.get('origin')!r} (version {stored.get('version')}), "
                f"not of {origin!r}; remove it or set FIGUREWATCH_SERVE_DB to another file"
            )
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                                 [("origin", origin), ("version", SCHEMA_VERSION)])
        self.path = path
        self.states: dict[str, dict[str, Any]] = {
            key: orjson.loads(body) for key, body in self._db.execute("SELECT series_key, body FROM states")
        }
        self.skipped = 0
        self.state_version = 0
        """Grows by one with every batch that changed a state."""

    def close(self) -> None:
        self._db.close()

    def offsets(self) -> dict[tuple[str, int], int]:
        """The next offset to read of every partition consumed so far."""
        rows = self._db.execute("SELECT topic, partition, next_offset FROM offsets")
        return {(topic, partition): offset for topic, partition, offset in rows}

    def apply(self, records: Iterable[Record]) -> list[dict[str, Any]]:
        """Store a batch and the offsets after it in one transaction; return the new changes (a change
        already stored, re-emitted by an at-least-once worker, is not new). A value that is not a JSON
        object of the expected shape is logged, counted in ``skipped`` and passed over."""
        new_events: list[dict[str, Any]] = []
        states: dict[str, dict[str, Any] | None] = {}
        offsets: dict[tuple[str, int], int] = {}
        with self._db:
            self._db.execute("BEGIN")
            for record in records:
                offsets[(record.topic, record.partition)] = record.offset + 1
                try:
                    if record.is_state:
                        key, state = _state(record)
                        states[key] = state
                    else:
                        event = self._insert_event(record)
                        if event is not None:
                            new_events.append(event)
                except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
                    self.skipped += 1
                    log.warning("skipped a malformed record", extra={
                        "topic": record.topic, "partition": record.partition, "offset": record.offset,
                        "error": f"{type(exc).__name__}: {exc}"})
            for key, state in states.items():
                if state is None:
                    self._db.execute("DELETE FROM states WHERE series_key = ?", (key,))
                else:
                    self._db.execute("INSERT OR REPLACE INTO states VALUES (?, ?)", (key, orjson.dumps(state)))
            self._db.executemany("INSERT OR REPLACE INTO offsets VALUES (?, ?, ?)",
                                 [(t, p, o) for (t, p), o in offsets.items()])
        self.state_version += bool(states)
        for key, state in states.items():
            if state is None:
                self.states.pop(key, None)
            else:
                self.states[key] = state
        return new_events

    def _insert_event(self, record: Record) -> dict[str, Any] | None:
        event = orjson.loads(record.value or b"null")
        if not isinstance(event, dict):
            raise TypeError("a change event must be a JSON object")
        claim = event["claim"]
        cursor = self._db.execute(
            "INSERT OR IGNORE INTO events (event_id, conflict, kind, series_key, item_id, published_at, body) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (str(event["event_id"]), str(event["conflict"]), str(event["kind"]), str(event["series"]["key"]),
             str(claim["item_id"]), str(claim["published_at"]), record.value),
        )
        if not cursor.rowcount:
            return None
        seq, conflict = cursor.lastrowid, str(event["conflict"])
        self._db.execute("INSERT OR IGNORE INTO conflict_items VALUES (?, ?)", (conflict, str(claim["item_id"])))
        self._db.execute(
            "INSERT INTO conflict_kinds VALUES (?, ?, 1, ?) ON CONFLICT (conflict, kind) "
            "DO UPDATE SET changes = changes + 1, last_seq = excluded.last_seq",
            (conflict, str(event["kind"]), seq),
        )
        return {"id": seq, **event}

    def changes(self, query: ChangeQuery) -> tuple[list[dict[str, Any]], int | None]:
        """A page of changes, newest first, and the cursor of the next page (None on the last one)."""
        where, args = _filters(query)
        if query.cursor is not None:
            where.append("seq < ?")
            args.append(query.cursor)
        rows = self._rows(where, args, "DESC", query.limit + 1)
        page = rows[: query.limit]
        return page, (int(page[-1]["id"]) if len(rows) > query.limit else None)

    def changes_after(self, after: int, query: ChangeQuery, limit: int) -> list[dict[str, Any]]:
        """Changes with an id above ``after``, oldest first (what an SSE client has not seen yet)."""
        where, args = _filters(query)
        where.append("seq > ?")
        args.append(after)
        return self._rows(where, args, "ASC", limit)

    def series_changes(self, series_key: str) -> list[dict[str, Any]]:
        """The newest :data:`SERIES_EVENTS_MAX` changes of one series."""
        return self._rows(["series_key = ?"], [series_key], "DESC", SERIES_EVENTS_MAX)

    def last_id(self) -> int:
        return int(self._db.execute("SELECT COALESCE(MAX(seq), 0) FROM events").fetchone()[0])

    def conflict_stats(self) -> tuple[dict[str, dict[str, Any]], dict[str, dict[str, Any]]]:
        """Per conflict: reports (distinct items) and changes by kind; and each conflict's newest change.
        Counted as changes are stored, so this reads a row per conflict and kind, not the history."""
        stats: dict[str, dict[str, Any]] = {}
        newest: dict[str, int] = {}
        for conflict, kind, changes, last_seq in self._db.execute("SELECT * FROM conflict_kinds"):
            stats.setdefault(conflict, {"reports": 0, "kinds": {}})["kinds"][kind] = changes
            newest[conflict] = max(newest.get(conflict, 0), last_seq)
        for conflict, reports in self._db.execute("SELECT conflict, COUNT(*) FROM conflict_items GROUP BY 1"):
            stats[conflict]["reports"] = reports
        last = {}
        for seq in newest.values():
            (body,) = self._db.execute("SELECT body FROM events WHERE seq = ?", (seq,)).fetchone()
            event = orjson.loads(body)
            last[event["conflict"]] = {"id": seq, **event}
        return stats, last

    def event_count(self) -> int:
        """Change events stored (from the per-conflict counters, without a pass over the history)."""
        return int(self._db.execute("SELECT COALESCE(SUM(changes), 0) FROM conflict_kinds").fetchone()[0])

    def _rows(self, where: list[str], args: list[Any], order: str, limit: int) -> list[dict[str, Any]]:
        sql = "SELECT seq, body FROM events"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += f" ORDER BY seq {order} LIMIT ?"  # order is ASC or DESC, from this module
        return [{"id": seq, **orjson.loads(body)} for seq, body in self._db.execute(sql, [*args, limit])]


def _state(record: Record) -> tuple[str, dict[str, Any] | None]:
    key = (record.key or b"").decode()
    if not key:
        raise ValueError("a figures.current record has no key")
    if record.value is None:
        return key, None
    state = orjson.loads(record.value)
    if not isinstance(state, dict) or state.get("series_key") != key:
        raise ValueError("a figure state must be a JSON object whose series_key is the record's key")
    missing = [name for name in ("series", "current", "sources", "counts", "history", "kind") if name not in state]
    if missing:
        raise ValueError(f"a figure state without {', '.join(missing)}")
    return key, state


def _filters(query: ChangeQuery) -> tuple[list[str], list[Any]]:
    where: list[str] = []
    args: list[Any] = []
    for column, value in (("conflict", query.conflict), ("kind", query.kind)):
        if value is not None:
            where.append(f"{column} = ?")
            args.append(value)
    if query.since is not None:
        where.append("published_at >= ?")
        args.append(query.since)
    return where, args
