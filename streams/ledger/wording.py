"""Figures, sources and days in words a newsroom could publish, for change-event explanations and tables.

A source is the subject of its verb: capitalized at the start of a sentence and agreeing with it ("Aid
agencies say", "UN officials say", "Reuters says", "Doctors Without Borders says"). A figure reads as a
headline does ("at least 20 children killed", "hundreds of prisoners released (Palestinians)"), with each
metric's words from ``streams/data/wording.json``. Days read "10 January 2025". A part that is not known
is left out, so no sentence says "None".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from streams.claims import Claim
from streams.datafiles import checked_object, read_json
from streams.numbers import default_parser

WORDING_FILE = Path(__file__).resolve().parent.parent / "data" / "wording.json"

_PREFIX = {"at_least": "at least ", "more_than": "more than ", "at_most": "at most ",
           "less_than": "fewer than ", "about": "about "}
_CUT_WORDS = frozenset({"in", "of", "at", "from", "for", "with", "on", "near", "to", "who", "that", "which", "and"})


@dataclass(frozen=True, slots=True)
class MetricWords:
    noun: str | None
    participle: str | None


@dataclass(frozen=True, slots=True)
class Wording:
    """The validated content of ``wording.json``."""

    metrics: dict[str, MetricWords]
    plural_words: frozenset[str]
    singulars: dict[str, str]
    article_words: tuple[str, ...]


@cache
def wording() -> Wording:
    """The shipped wording (read once)."""
    return parse_wording(read_json(WORDING_FILE), WORDING_FILE.name)


def parse_wording(data: object, where: str) -> Wording:
    top = checked_object(where, data, {"description", "metrics", "plural_words", "singulars", "article_words"})
    metrics = {}
    for slug, entry in checked_object(f"{where}: metrics", top["metrics"], set(top["metrics"])).items():
        words = checked_object(f"{where}: metrics.{slug}", entry, {"noun", "participle"})
        metrics[slug] = MetricWords(words["noun"], words["participle"])
    singulars = checked_object(f"{where}: singulars", top["singulars"], set(top["singulars"]))
    return Wording(metrics, frozenset(w.lower() for w in top["plural_words"]), dict(singulars),
                   tuple(w.lower() for w in top["article_words"]))


def subject(source: str) -> str:
    """``source`` as the first words of a sentence."""
    return source[:1].upper() + source[1:]


def agreeing(source: str, singular: str, plural: str) -> str:
    """The verb form that agrees with ``source``: ``plural`` ("say") after a plural, else ``singular``."""
    return plural if _plural(source) else singular


def _plural(source: str) -> bool:
    words = source.split()
    for i, word in enumerate(words[1:], start=1):  # the head noun stands before a preposition or a clause
        if word in _CUT_WORDS:
            words = words[:i]
            break
    head = words[-1].strip(".,;:'’\"()") if words else ""
    if head.lower() in wording().plural_words:
        return True
    # Capitalized heads are names ("Reuters", "Doctors Without Borders", "Hamas"): singular.
    return head.islower() and head.endswith("s") and not head.endswith(("ss", "us", "is"))


def day(iso: str) -> str:
    """``2025-01-10`` as "10 January 2025"."""
    date = dt.date.fromisoformat(iso)
    return f"{date.day} {date:%B %Y}"


def amount(claim: Claim) -> str:
    """The figure as words: "46,645", "at least 46,700", "between 30 and 40", "hundreds"."""
    if claim.qualifier == "vague":
        for phrase, vague in default_parser().vocabulary.vague.items():
            if (vague.low, vague.high) == (claim.low, claim.high):
                return " ".join(phrase)
        return f"at least {_number(claim.low)}" if claim.high is None else \
            f"between {_number(claim.low)} and {_number(claim.high)}"
    if claim.qualifier == "range":
        return f"between {_number(claim.low)} and {_number(claim.high)}"
    return _PREFIX.get(claim.qualifier, "") + _number(claim.value)


def figure(claim: Claim) -> str:
    """The figure with what it counts: "at least 20 children killed", "33 hostages to be released"."""
    words = wording().metrics.get(claim.metric, MetricWords(claim.metric.replace("_", " "), None))
    count = amount(claim)
    group = claim.group.replace("_", " ") if claim.group else None
    noun = words.noun or group
    if noun and claim.high == 1 and claim.low == 1:
        noun = _singular(noun)
    of = " of" if noun and claim.qualifier == "vague" and not count[0].isdigit() and " and " not in count else ""
    participle = words.participle
    if claim.modality == "planned":
        participle = f"to be {participle}" if participle else "planned"
    parts = [f"{count}{of}", noun, participle]
    text = " ".join(part for part in parts if part)
    if words.noun and group:
        text += f" ({group})"
    return text


def _singular(noun: str) -> str:
    """"child" for "children", "aid truck" for "aid trucks": the last word of ``noun`` made singular."""
    *first, last = noun.split()
    irregular = wording().singulars.get(last.lower())
    if irregular is not None:
        last = irregular
    elif last.endswith("ies"):
        last = last[:-3] + "y"
    elif last.endswith("s") and not last.endswith("ss"):
        last = last[:-1]
    return " ".join([*first, last])


def place(name: str | None) -> str:
    """"in the Gaza Strip", "in El Fasher", or nothing."""
    if not name:
        return ""
    lowered = name.lower()
    article = "the " if any(lowered == w or lowered.endswith(" " + w) for w in wording().article_words) else ""
    return f"in {article}{name}"


def _number(value: float | None) -> str:
    if value is None:
        return "unbounded"
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"
