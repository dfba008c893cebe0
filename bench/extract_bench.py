"""Throughput of claim extraction on one core, next to quantulum3 on the same articles.

Builds realistic ~3 KB articles by stitching sentences of the labeled dev corpus
(corpus/dev/extraction.jsonl) together with figure-free wire-style filler, then times
``Extractor.extract`` and ``quantulum3.parser.parse`` over them. Reports the median articles/s over
several repeats and the ratio. The same articles are timed once more with typographic punctuation
(curly quotes and apostrophes, em dashes), as web copy is written: text that is not pure ASCII takes
the extractor's slower Unicode paths. A benchmark, not a test: nothing here asserts a time.

    make bench   # or: python bench/extract_bench.py [--articles 300] [--repeats 5] [--quantulum-articles 30]
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import random
import re
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from streams.extraction import Extractor
from streams.items import NewsItem

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev" / "extraction.jsonl"
ARTICLE_CHARS = 3_000
FIGURE_SHARE = 0.25
FILLER = (
    "Residents described a night of heavy bombardment and said they had nowhere safe to go.",
    "The United Nations called for an immediate ceasefire and unimpeded humanitarian access.",
    "Mediators from Qatar and Egypt continued talks with both sides, according to diplomats.",
    "Aid agencies warned that fuel shortages were forcing hospitals to ration electricity.",
    "The military said its operations were aimed at armed groups and not at civilians.",
    "Families queued for hours for bread as prices in local markets continued to climb.",
    "Independent journalists have been barred from entering the area without an escort.",
    "Officials said the figures could not be independently verified.",
    "The spokesman declined to comment on the reports when contacted by telephone.",
    "Satellite images reviewed by analysts showed large areas of destroyed farmland.",
    "The talks are expected to resume next week, two people familiar with the matter said.",
    "Electricity and internet connections were cut across much of the region for a second day.",
)


def build_articles(count: int, seed: int = 7) -> list[NewsItem]:
    rows = [orjson.loads(line) for line in CORPUS.read_bytes().splitlines() if line.strip()]
    rng = random.Random(seed)
    articles = []
    for n in range(count):
        row = rng.choice(rows)
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < ARTICLE_CHARS:
            # about one sentence in four states figures, as in wire copy
            parts.append(rng.choice(rows)["item"]["body"] if rng.random() < FIGURE_SHARE else rng.choice(FILLER))
        source = row["item"]
        articles.append(
            NewsItem(
                id=f"bench-{n}",
                published_at=source["published_at"],
                outlet=source["outlet"],
                title=source["title"],
                body=" ".join(parts)[: ARTICLE_CHARS + 400],
            )
        )
    return articles


def typographic(article: NewsItem) -> NewsItem:
    """The article with curly quotes and apostrophes and em dashes instead of their ASCII stand-ins."""
    body = re.sub(r'"([^"]*)"', "\u201c\\1\u201d", article.body).replace("'", "\u2019").replace(" - ", " \u2014 ")
    return dataclasses.replace(article, body=body)


def articles_per_second(run: Callable[[NewsItem], object], articles: Sequence[NewsItem], repeats: int) -> float:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for article in articles:
            run(article)
        rates.append(len(articles) / (time.perf_counter() - start))
    return statistics.median(rates)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--quantulum-articles", type=int, default=30, help="quantulum3 is slow; fewer articles")
    args = parser.parse_args(argv)

    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    articles = build_articles(args.articles)
    mean_kb = sum(len(a.body) for a in articles) / len(articles) / 1000
    extractor = Extractor.from_files()
    extractor.extract(articles[0])  # warm caches
    ours = articles_per_second(extractor.extract, articles, args.repeats)
    claims = sum(len(extractor.extract(a)) for a in articles)
    curly = [typographic(a) for a in articles]
    ours_curly = articles_per_second(extractor.extract, curly, args.repeats)
    claims_curly = sum(len(extractor.extract(a)) for a in curly)

    from quantulum3 import parser as qparser  # imported late: it loads models at import time

    subset = articles[: args.quantulum_articles]
    qparser.parse(subset[0].body)
    theirs = articles_per_second(lambda a: qparser.parse(a.body), subset, max(1, args.repeats // 2))

    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"articles: {len(articles)} (mean {mean_kb:.1f} KB), repeats: {args.repeats}, one core, median rates")
    print(f"load average before and after: {load_before} / {load}")
    rows = [
        ("figurewatch Extractor", f"{ours:,.0f}", ours, claims),
        ("figurewatch Extractor, typographic", f"{ours_curly:,.0f}", ours_curly, claims_curly),
        ("quantulum3.parser.parse", f"{theirs:,.1f}", theirs, ""),
    ]
    print(f"{'engine':<40}{'articles/s':>12}{'KB/s':>10}{'claims':>8}")
    for name, rate, value, found in rows:
        print(f"{name:<40}{rate:>12}{value * mean_kb:>10,.0f}{found:>8}")
    print(f"ratio (ours / quantulum3): {ours / theirs:,.0f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
