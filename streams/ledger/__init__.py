"""The figure ledger: running tables of stated figures per series, and the change events that tell a new
figure, an update, a corroboration, a revision and a contradiction apart. Pure: no Kafka, no asyncio.

    ledger = Ledger(MemoryStore(), {"killed": "cumulative", "displaced": "stock"})
    outcome = ledger.apply(claim)        # outcome.event, outcome.state, outcome.series_key
    print(render_tables(ledger.tables()))
"""

from streams.ledger.events import EVENT_KINDS, event_id
from streams.ledger.ledger import Ledger, LedgerSettings, Outcome
from streams.ledger.render import render_tables
from streams.ledger.rules import METRIC_KINDS
from streams.ledger.series import series_key
from streams.ledger.store import MappingStore, MemoryStore, SeriesStore

__all__ = [
    "EVENT_KINDS",
    "METRIC_KINDS",
    "Ledger",
    "LedgerSettings",
    "MappingStore",
    "MemoryStore",
    "Outcome",
    "SeriesStore",
    "event_id",
    "render_tables",
    "series_key",
]
