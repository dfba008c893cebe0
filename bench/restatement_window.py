"""How fast the Gaza ministry's running death toll moves: the evidence for the ledger's default restatement
window (``RESTATEMENT_DAYS`` in streams/ledger/ledger.py, ``FIGUREWATCH_RESTATEMENT_DAYS``).

    python bench/restatement_window.py [../shared/data/official-series/gaza-casualties-daily.json]

Prints the days between changes of ``killed_cum`` (how long a figure stays the latest: an outlet restating
"the latest figure" a day late may restate one this old) and, for days with at least 5,000 killed, how many
days pass before the count has grown by 0.5 %, 1 % and 2 % (how far a restatement of that age lies from the
count of its day).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from itertools import pairwise
from pathlib import Path

DEFAULT = Path(__file__).resolve().parents[2] / "shared" / "data" / "official-series" / "gaza-casualties-daily.json"


def percentile(values: list[int], share: float) -> int:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main(path: Path) -> None:
    rows = [(date.fromisoformat(r["report_date"]), r["killed_cum"]) for r in json.loads(path.read_text())
            if r.get("killed_cum")]
    changes = [rows[0]]
    for day, value in rows[1:]:
        if value != changes[-1][1]:
            changes.append((day, value))
    gaps = [(b[0] - a[0]).days for a, b in pairwise(changes)]
    print(f"{len(rows)} daily records, {len(changes)} changes of killed_cum")
    shares = ", ".join(f"p{int(s * 100)} {percentile(gaps, s)}" for s in (0.5, 0.9, 0.95, 0.99))
    print(f"days between changes: {shares}, max {max(gaps)}")
    for growth in (0.005, 0.01, 0.02):
        waits = []
        for i, (day, value) in enumerate(rows):
            if value < 5000:
                continue
            later = next((d for d, v in rows[i + 1:] if v > value * (1 + growth)), None)
            if later is not None:
                waits.append((later - day).days)
        print(f"days until the count grew by {growth:.1%}: p10 {percentile(waits, 0.1)}, p50 {percentile(waits, 0.5)}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
