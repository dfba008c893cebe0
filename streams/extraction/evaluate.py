"""Scores the extractor against the labeled dev corpus (``corpus/dev/extraction.jsonl``).

A produced claim matches an expected one when item, conflict, metric and (value, low, high) agree;
each expected claim is matched at most once. Prints claim precision, recall and F1, then the accuracy
over matched claims of qualifier, group, modality, attributed_to (case-insensitive, leading "the"
stripped), as_of and basis. ``main`` is what ``figurewatch evaluate extraction`` runs.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from streams._exceptions import DataFileError
from streams.claims import Claim
from streams.extraction.extractor import Extractor
from streams.extraction.vocabulary import Gazetteer
from streams.items import NewsItem
from streams.usage import ArgumentParser

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "dev" / "extraction.jsonl"
FIELDS = ("qualifier", "group", "modality", "attributed_to", "as_of", "basis", "since")


@dataclass
class Score:
    """Counts over a corpus; ``misses`` and ``extras`` keep examples for reading."""

    true_positives: int = 0
    produced: int = 0
    expected: int = 0
    field_right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIELDS, 0))
    misses: list[str] = field(default_factory=list)
    extras: list[str] = field(default_factory=list)
    wrong: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.true_positives / self.produced if self.produced else 1.0

    @property
    def recall(self) -> float:
        return self.true_positives / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, name: str) -> float:
        return self.field_right[name] / self.true_positives if self.true_positives else 1.0


def _source(value: Any) -> str | None:
    if not value:
        return None
    text = str(value).strip().lower()
    return text[4:] if text.startswith("the ") else text


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(float(a), float(b), rel_tol=1e-9, abs_tol=1e-9)


def _key_matches(claim: Claim, expected: dict[str, Any]) -> bool:
    return (
        claim.conflict == expected["conflict"]
        and claim.metric == expected["metric"]
        and _same_number(claim.value, expected["value"])
        and _same_number(claim.low, expected["low"])
        and _same_number(claim.high, expected["high"])
    )


def _field_right(name: str, claim: Claim, expected: dict[str, Any], gazetteer: Gazetteer) -> bool:
    got = getattr(claim, name)
    if name == "attributed_to":
        return _source(got) == _source(gazetteer.source(claim.conflict, expected.get(name)))
    return bool(got == expected.get(name))


def score(extractor: Extractor, rows: Iterable[dict[str, Any]]) -> Score:
    result = Score()
    for row in rows:
        item = NewsItem.from_dict(row["item"])
        claims = extractor.extract(item)
        expected = list(row["expected"])
        result.produced += len(claims)
        result.expected += len(expected)
        for claim in claims:
            match = next((e for e in expected if _key_matches(claim, e)), None)
            if match is None:
                result.extras.append(f"{item.id}: {claim.metric}={claim.value:g} [{claim.low:g},{claim.high}]")
                continue
            expected.remove(match)
            result.true_positives += 1
            for name in FIELDS:
                if _field_right(name, claim, match, extractor.gazetteer):
                    result.field_right[name] += 1
                else:
                    result.wrong.append(
                        f"{item.id}: {claim.metric} {name}: got {getattr(claim, name)!r} want {match.get(name)!r}"
                    )
        result.misses.extend(f"{item.id}: {e['metric']}={e['value']} {e['qualifier']}" for e in expected)
    return result


def load_rows(path: Path) -> list[dict[str, Any]]:
    try:
        return [orjson.loads(line) for line in path.read_bytes().splitlines() if line.strip()]
    except (OSError, orjson.JSONDecodeError) as exc:
        raise DataFileError(f"cannot read the corpus {path}: {exc}") from exc


def main(argv: list[str] | None = None) -> int:
    parser = ArgumentParser(prog="figurewatch evaluate extraction", description=__doc__)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="labeled JSONL corpus")
    parser.add_argument("--verbose", action="store_true", help="list misses, extras and wrong fields")
    args = parser.parse_args(argv)
    result = score(Extractor.from_files(), load_rows(args.corpus))
    print(f"claims: expected {result.expected}, produced {result.produced}, matched {result.true_positives}")
    print(f"precision {result.precision:.3f}  recall {result.recall:.3f}  F1 {result.f1:.3f}")
    print("accuracy over matched claims:")
    for name in FIELDS:
        print(f"  {name:<14} {result.accuracy(name):.3f}")
    if args.verbose:
        for title, lines in (("missed", result.misses), ("extra", result.extras), ("wrong", result.wrong)):
            print(f"{title} ({len(lines)}):")
            for line in lines:
                print(f"  {line}")
    return 0
