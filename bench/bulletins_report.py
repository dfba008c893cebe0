"""How well the extractor reads the Gaza health ministry's daily bulletins, scored against their official figures.

The bulletins are read from ``../shared/data/official-series/gaza-moh-bulletins/`` next to the repository (never
copied in), each made a news item by :mod:`streams.bulletins`. The truth is each bulletin's front matter
(``killed_cum`` and ``injured_cum``, the running totals since 7 October 2023; ``killed`` and ``injured``, the day's
figures), and the totals since the ceasefire of 11 October 2025 that the text states under its "Since the ceasefire"
heading (martyrs, injuries, recovered bodies), read here by a strict pattern of their own. A figure is found when a
claim of the bulletin has its metric, basis (total or the day's incident figure), start, day and exact value.

A front-matter figure that the English text does not state anywhere (the dataset's authors corrected a few days'
figures afterwards, as their editorial notes say) cannot be found by any reader: it is listed, not scored. A
bulletin passes when every figure it states is found and no running total of it has a wrong value.

    python bench/bulletins_report.py [FOLDER]
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from streams.bulletins import read_bulletin
from streams.extraction import Extractor

REPO = Path(__file__).resolve().parents[1]
BULLETINS = REPO / ".." / "shared" / "data" / "official-series" / "gaza-moh-bulletins"
WAR_START = "2023-10-07"
CEASEFIRE = "2025-10-11"
FRONT_MATTER = {
    "killed_cum": ("killed", "total", WAR_START),
    "injured_cum": ("injured", "total", WAR_START),
    "killed": ("killed", "incident", None),
    "injured": ("injured", "incident", None),
}
_CEASEFIRE_LINES = {"martyrs": "killed", "injuries": "injured", "recovered bodies": "bodies_recovered"}
_CEASEFIRE_LINE = re.compile(r"Total number of (martyrs|injuries|recovered bodies|bodies recovered): ([\d,]+)")

Key = tuple[str, str, str | None, float]


@dataclass
class Score:
    bulletins: int = 0
    passed: int = 0
    found: dict[str, int] = field(default_factory=dict)  # per figure: found / stated
    stated: dict[str, int] = field(default_factory=dict)
    unstated: list[str] = field(default_factory=list)  # "<date> <field>=<value>": in the front matter, not the text
    failures: list[str] = field(default_factory=list)

    @property
    def share(self) -> float:
        return self.passed / self.bulletins if self.bulletins else 0.0


def _states(text: str, value: int) -> bool:
    """True when ``text`` writes ``value`` as a number of its own (not as "24 hours")."""
    return re.search(rf"(?<![\d,.]){value:,}(?!,?\d)(?!\s*hours)", text) is not None


def expected(figures: dict[str, int | str], text: str) -> tuple[dict[str, Key], list[str]]:
    """The figures a bulletin states, by name, and the front-matter figures its text does not state."""
    want: dict[str, Key] = {}
    unstated: list[str] = []
    for name, (metric, basis, since) in FRONT_MATTER.items():
        value = figures.get(name)
        if isinstance(value, int):
            if _states(text, value):
                want[name] = (metric, basis, since, float(value))
            else:
                unstated.append(f"{figures['report_date']} {name}={value}")
    block = text[text.find("Since the ceasefire") :] if "Since the ceasefire" in text else ""
    for label, number in _CEASEFIRE_LINE.findall(block.split("Cumulative")[0]):
        metric = _CEASEFIRE_LINES["recovered bodies" if "bodies" in label else label]
        want[f"ceasefire_{metric}"] = (metric, "total", CEASEFIRE, float(number.replace(",", "")))
    return want, unstated


def score(folder: Path = BULLETINS, extractor: Extractor | None = None) -> Score:
    extractor = extractor or Extractor.from_files()
    result = Score()
    for path in sorted(folder.glob("*.md")):
        bulletin = read_bulletin(path)
        if not bulletin.item.body:
            continue  # published in Arabic only: nothing the extractor reads
        result.bulletins += 1
        day = bulletin.item.published_date
        want, unstated = expected(bulletin.figures, bulletin.item.body)
        result.unstated.extend(unstated)
        claims = extractor.extract(bulletin.item)
        got = {(c.metric, c.basis, c.since, c.value) for c in claims if c.as_of == day and c.qualifier == "exact"}
        missing = [name for name, key in want.items() if key not in got]
        totals = {key for key in want.values() if key[1] == "total"}
        wrong = [
            f"{c.metric} {c.basis} since {c.since} = {c.value:g}"
            for c in claims
            if c.basis == "total" and c.metric in ("killed", "injured")
            and (c.metric, c.basis, c.since, c.value) not in totals
        ]  # fmt: skip
        for name in want:
            result.stated[name] = result.stated.get(name, 0) + 1
            result.found[name] = result.found.get(name, 0) + (name not in missing)
        if missing or wrong:
            result.failures.append(f"{day}: missing {missing}, wrong totals {wrong}")
        else:
            result.passed += 1
    return result


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else BULLETINS
    result = score(folder)
    print(f"bulletins with English text: {result.bulletins}; every stated figure found: {result.passed} "
          f"({result.share:.1%})")  # fmt: skip
    for name in result.stated:
        print(f"  {name:<28}{result.found[name]:>4} / {result.stated[name]}")
    print(f"front-matter figures the text does not state (not scored): {', '.join(result.unstated) or 'none'}")
    for failure in result.failures:
        print(f"  FAILED {failure}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
