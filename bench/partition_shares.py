"""How the ledger's work would spread over partitions: the share of claims in the busiest partition when
claims are keyed by conflict (today) and by conflict and metric (the plan in docs/scaling.md).

Runs ``pipeline.ingest`` over the end-to-end benchmark's generated items and groups the claims.

    python bench/partition_shares.py [--items 5000] [--partitions 4 8 16]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_items import generate

from streams.app import item_bounds
from streams.pipeline import Accepted, ingest
from streams.runtime import build_extractor
from streams.settings import Settings
from streams.topics import partition_for


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--partitions", type=int, nargs="+", default=[4, 8, 16])
    args = parser.parse_args()
    extract = build_extractor(Settings()).extract
    seen: dict[str, str] = {}
    by_conflict: Counter[str] = Counter()
    by_metric: Counter[str] = Counter()
    for raw in generate(args.items):
        result = ingest(raw, seen, max_bytes=Settings().max_item_bytes, extract=extract, bounds=item_bounds(Settings()))
        if isinstance(result, Accepted):
            for claim in result.claims:
                by_conflict[claim.conflict] += 1
                by_metric[f"{claim.conflict}|{claim.metric}"] += 1
    total = sum(by_conflict.values())
    print(f"{args.items:,} items, {total:,} claims")
    for name, counts in (("conflict", by_conflict), ("conflict|metric", by_metric)):
        top = ", ".join(f"{key} {100 * n / total:.1f} %" for key, n in counts.most_common(3))
        print(f"keyed by {name}: busiest keys {top}")
        for partitions in args.partitions:
            per: Counter[int] = Counter()
            for key, n in counts.items():
                per[partition_for(key, partitions)] += n
            print(f"  {partitions} partitions: the busiest holds {100 * max(per.values()) / total:.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
