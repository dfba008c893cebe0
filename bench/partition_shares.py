"""How the ledger's work spreads over partitions: the share of claims in the busiest partition when claims are
keyed by conflict (before issue 11) and by conflict and metric (now: ``streams.topics.claim_address``).

Runs ``pipeline.ingest`` over the end-to-end benchmark's generated items and places each claim as the worker
does: under Kafka's default partitioner on its key (the conflict, as the worker sent claims before), and on
the partition ``claim_address`` gives it (its ledger key, now).

    python bench/partition_shares.py [--items 5000] [--partitions 4 8 16]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from e2e_items import generate

from streams.app import item_bounds
from streams.claims import Claim
from streams.pipeline import Accepted, ingest
from streams.runtime import build_extractor
from streams.settings import Settings
from streams.topics import claim_address, default_partition, ledger_key


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--items", type=int, default=5000)
    parser.add_argument("--partitions", type=int, nargs="+", default=[4, 8, 16])
    args = parser.parse_args()
    extract = build_extractor(Settings()).extract
    seen: dict[str, str] = {}
    claims: list[Claim] = []
    for raw in generate(args.items):
        result = ingest(raw, seen, max_bytes=Settings().max_item_bytes, extract=extract, bounds=item_bounds(Settings()))
        if isinstance(result, Accepted):
            claims.extend(result.claims)
    print(f"{args.items:,} items, {len(claims):,} claims")
    layouts: tuple[tuple[str, Callable[[Claim], str], Callable[[Claim, int], int]], ...] = (
        ("conflict (before)", lambda c: c.conflict, lambda c, n: default_partition(c.conflict, n)),
        ("conflict|metric (now)", lambda c: ledger_key(c.conflict, c.metric), lambda c, n: claim_address(c, n)[1]),
    )
    for name, key, place in layouts:
        counts = Counter(key(c) for c in claims)
        top = ", ".join(f"{k} {100 * n / len(claims):.1f} %" for k, n in counts.most_common(3))
        print(f"keyed by {name}: busiest keys {top}")
        for partitions in args.partitions:
            per = Counter(place(c, partitions) for c in claims)
            print(f"  {partitions} partitions: the busiest holds {100 * max(per.values()) / len(claims):.1f} %")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
