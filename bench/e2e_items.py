"""A deterministic generator of realistic news items for the end-to-end benchmarks.

The bodies are the labeled corpora's (dev, heldout, blind) and the sample corpus's, about 180 characters and
1.5 claims each; each item gets its own id, an outlet of several, and a publication day spread over a year,
and its figures with thousands separators grow with that day (a running total rises over time), so the
ledger sees new series, updates, corroborations and contradictions across several conflicts. One item in
fifty repeats an earlier one exactly (the de-duplication path).

    python bench/e2e_items.py 1000 > items.jsonl
"""

from __future__ import annotations

import random
import re
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

REPO = Path(__file__).resolve().parents[1]
CORPORA = [REPO / "corpus" / name / "extraction.jsonl" for name in ("dev", "heldout", "blind")]
SAMPLE = REPO / "corpus" / "sample-news.jsonl"
OUTLETS = ("Reuters", "AP", "AFP", "BBC", "Al Jazeera", "The Guardian", "CNN", "DW")
SPREAD_DAYS = 365
REPEAT_EVERY = 50
_GROUPED = re.compile(r"\b\d{1,3}(?:,\d{3})+\b")


def _templates() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in CORPORA:
        rows.extend(orjson.loads(line)["item"] for line in path.read_bytes().splitlines() if line.strip())
    rows.extend(orjson.loads(line) for line in SAMPLE.read_bytes().splitlines() if line.strip())
    return rows


def _grown(body: str, factor: float) -> str:
    return _GROUPED.sub(lambda m: f"{round(int(m.group().replace(',', '')) * factor):,}", body)


def generate(count: int, seed: int = 11) -> list[bytes]:
    """``count`` raw ``news.items`` messages (JSON bytes), the same for the same seed."""
    templates = _templates()
    rng = random.Random(seed)
    items: list[bytes] = []
    for n in range(count):
        if n and n % REPEAT_EVERY == 0:
            items.append(items[rng.randrange(len(items))])
            continue
        row = rng.choice(templates)
        days = rng.randrange(SPREAD_DAYS)
        published = datetime.fromisoformat(row["published_at"].replace("Z", "+00:00")) + timedelta(days=days)
        item = {
            "id": f"e2e-{n}",
            "published_at": published.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "outlet": rng.choice(OUTLETS),
            "title": row["title"],
            "body": _grown(row["body"], 1 + days / 400),
        }
        items.append(orjson.dumps(item))
    return items


if __name__ == "__main__":
    for line in generate(int(sys.argv[1]) if len(sys.argv) > 1 else 1000):
        sys.stdout.buffer.write(line + b"\n")
