"""Replay raw news-item lines through ingest, extraction and the figure ledger, yielding change events.

Pure: the caller supplies the lines, the extract function and the ledger (usually over a MemoryStore).
Each line goes through :func:`streams.pipeline.ingest`, exactly as a message on ``news.items`` goes
through the worker's ingest agent, so exact repeats are skipped and bad lines are rejected the same way.
``figurewatch replay FILE [--tables]`` wires it to a JSON Lines file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from streams.claims import Claim
from streams.ledger import Ledger, Outcome
from streams.pipeline import Accepted, Bounds, Extract, Rejected, ingest


def replay(lines: Iterable[bytes], extract: Extract, ledger: Ledger, *, max_bytes: int,
           bounds: Bounds | None = None,
           on_reject: Callable[[Rejected], None] | None = None,
           on_outcome: Callable[[Claim, Outcome], None] | None = None) -> Iterator[dict[str, Any]]:
    """Apply every claim of every accepted line, in order, and yield the change events they raise.

    ``on_outcome`` sees every claim with what applying it did (its series, even when it raises no event).
    """
    seen: dict[str, str] = {}
    for line in lines:
        result = ingest(line, seen, max_bytes=max_bytes, extract=extract, bounds=bounds)
        if isinstance(result, Rejected) and on_reject is not None:
            on_reject(result)
        elif isinstance(result, Accepted):
            for claim in result.claims:
                outcome = ledger.apply(claim)
                if on_outcome is not None:
                    on_outcome(claim, outcome)
                event = outcome.event
                if event is not None:
                    yield event
