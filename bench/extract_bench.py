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
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from streams.extraction import Extractor
from streams.items import NewsItem

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "corpus" / "dev" / "extraction.jsonl"
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


def articles_per_second(run: Callable[[NewsItem], object], articles: Sequence[NewsItem], repeats: int) -> list[float]:
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        for article in articles:
            run(article)
        rates.append(len(articles) / (time.perf_counter() - start))
    return rates


def measure(articles: int, repeats: int) -> dict[str, object]:
    """One engine's rates on the plain and the typographic articles, run in this process."""
    import streams.numbers

    plain = build_articles(articles)
    curly = [typographic(a) for a in plain]
    extractor = Extractor.from_files()
    extractor.extract(plain[0])  # warm caches
    return {
        "compiled": not streams.numbers.__file__.endswith(".py"),
        "plain": articles_per_second(extractor.extract, plain, repeats),
        "typographic": articles_per_second(extractor.extract, curly, repeats),
        "claims": sum(len(extractor.extract(a)) for a in plain),
        "claims_typographic": sum(len(extractor.extract(a)) for a in curly),
    }


def measure_in_child(path: Path, articles: int, repeats: int) -> dict[str, object]:
    """:func:`measure` in a fresh interpreter that imports ``streams`` from ``path`` first."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path), str(REPO)])}
    argv = [sys.executable, __file__, "--child", "--articles", str(articles), "--repeats", str(repeats)]
    done = subprocess.run(argv, env=env, check=True, capture_output=True, cwd=path)
    result: dict[str, object] = orjson.loads(done.stdout)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3, help="timed passes per engine and round")
    parser.add_argument("--rounds", type=int, default=3, help="the engines take turns this many times")
    parser.add_argument("--quantulum-articles", type=int, default=30, help="quantulum3 is slow; fewer articles")
    parser.add_argument("--compiled", type=Path, help="a folder holding the mypyc build (deploy/build-compiled.sh)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        sys.stdout.buffer.write(orjson.dumps(measure(args.articles, args.repeats)))
        return 0

    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    engines = {"pure Python": REPO, **({"compiled (mypyc)": args.compiled.resolve()} if args.compiled else {})}
    runs: dict[str, list[dict[str, object]]] = {name: [] for name in engines}
    for _ in range(args.rounds):  # turns, so that a noisy neighbour weighs on every engine alike
        for name, path in engines.items():
            runs[name].append(measure_in_child(path, args.articles, args.repeats))

    from quantulum3 import parser as qparser  # imported late: it loads models at import time

    subset = build_articles(args.quantulum_articles)
    qparser.parse(subset[0].body)
    theirs = statistics.median(articles_per_second(lambda a: qparser.parse(a.body), subset, 2))

    mean_kb = sum(len(a.body) for a in build_articles(args.articles)) / args.articles / 1000
    load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    passes = args.rounds * args.repeats
    print(f"articles: {args.articles} (mean {mean_kb:.1f} KB), {passes} timed passes per engine, one core, median")
    print(f"load average before and after: {load_before} / {load}")
    print(f"{'engine':<46}{'articles/s':>12}{'KB/s':>10}{'claims':>8}{'x quantulum3':>14}")
    for name, results in runs.items():
        if any(r["compiled"] != (name != "pure Python") for r in results):
            raise SystemExit(f"{name}: the modules imported were not the ones asked for; rebuild the folder")
        for kind, label in (("plain", ""), ("typographic", ", typographic")):
            rate = statistics.median(x for r in results for x in r[kind])  # type: ignore[attr-defined]
            claims = results[0]["claims" if kind == "plain" else "claims_typographic"]
            row = f"{'figurewatch ' + name + label:<46}{rate:>12,.0f}{rate * mean_kb:>10,.0f}{claims:>8}"
            print(f"{row}{rate / theirs:>13,.0f}x")
    print(f"{'quantulum3.parser.parse':<46}{theirs:>12,.1f}{theirs * mean_kb:>10,.0f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
