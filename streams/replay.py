"""Replay news items through extraction and the figure ledger, yielding change events in file order.

Pure: the caller supplies the items, the extract function and the ledger (usually over a MemoryStore);
``figurewatch replay FILE [--tables]`` wires it to a JSON Lines file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from streams.claims import Claim
from streams.items import NewsItem
from streams.ledger import Ledger


def replay(items: Iterable[NewsItem], extract: Callable[[NewsItem], list[Claim]],
           ledger: Ledger) -> Iterator[dict[str, Any]]:
    """Apply every claim of every item, in order, and yield the change events they raise."""
    for item in items:
        for claim in extract(item):
            event = ledger.apply(claim).event
            if event is not None:
                yield event
