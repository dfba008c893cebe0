"""Instructions per bench article, counted by valgrind's cachegrind: a speed measure the machine's noise
does not move.

The same articles as ``extract_bench.py`` (plain and typographic) are extracted once in a child process
under ``valgrind --tool=cachegrind``; the count of a child that builds everything but extracts nothing is
subtracted, and the difference is divided by the number of articles. ``PYTHONHASHSEED`` is fixed, so two
runs of the same code give the same count to within a fraction of a percent.

    python bench/instructions.py [--compiled DIR] [--articles 300]   # needs valgrind (apt-get install valgrind)
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def child(kind: str, articles: int, extract: bool) -> None:
    """Build the articles and the extractor, then extract every article once when ``extract``."""
    from extract_bench import build_articles, typographic  # this folder is on sys.path as the script's own

    from streams.extraction import Extractor

    items = build_articles(articles)
    if kind == "typographic":
        items = [typographic(a) for a in items]
    extractor = Extractor.from_files()
    for item in items if extract else ():
        extractor.extract(item)


def count(path: Path, kind: str, articles: int, extract: bool) -> int:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(path), str(REPO)]), "PYTHONHASHSEED": "0"}
    argv = [
        "valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
        sys.executable, __file__, "--child", kind, "--articles", str(articles), *(["--extract"] if extract else []),
    ]  # fmt: skip
    done = subprocess.run(argv, env=env, check=True, capture_output=True, text=True, cwd=path)
    match = re.search(r"I\s+refs:\s+([\d,]+)", done.stderr)
    if match is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(match.group(1).replace(",", ""))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--compiled", type=Path, help="a folder holding the mypyc build (deploy/build-compiled.sh)")
    parser.add_argument("--child", choices=["plain", "typographic"], help=argparse.SUPPRESS)
    parser.add_argument("--extract", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child, args.articles, args.extract)
        return 0
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is missing: apt-get install valgrind")
    engines = {"pure Python": REPO, **({"compiled (mypyc)": args.compiled.resolve()} if args.compiled else {})}
    print(f"articles: {args.articles}; millions of instructions per article (valgrind cachegrind)")
    print(f"{'engine':<24}{'plain':>10}{'typographic':>14}")
    for name, path in engines.items():
        per = [
            (count(path, kind, args.articles, True) - count(path, kind, args.articles, False)) / args.articles / 1e6
            for kind in ("plain", "typographic")
        ]
        print(f"{name:<24}{per[0]:>10.2f}{per[1]:>14.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
