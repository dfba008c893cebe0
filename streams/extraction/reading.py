"""What the extractor holds while it reads: one item, one sentence of it, and the figures found in it.

The extractor (:mod:`streams.extraction.extractor`) builds these; the rules it asks about a sentence
(:mod:`~streams.extraction.attribution`, :mod:`~streams.extraction.basis`, :mod:`~streams.extraction.place`)
read them. They live here, below all four, so that the modules import in one direction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

from streams.extraction.dates import DateExpr
from streams.extraction.readable import Readable
from streams.items import NewsItem
from streams.numbers import Quantity, Tokens


class Figure(NamedTuple):
    """One quantity read as a figure: its metric, counted noun, group, trigger, and how it stands to the figure
    before it."""

    quantity: Quantity
    metric: str
    noun: str
    group: str | None
    trigger: int  # token index of the trigger, or of the head noun
    part: bool = False  # "including 669 children": a part of the previous figure, same basis
    earlier: bool = False  # "up from 900": an earlier figure of the previous figure's series
    whole: str | None = None  # a part's whole's group, which a figure coordinated after the part takes
    denominator: bool = False  # "Of the 251 people taken hostage, 59 remain": the whole, no figure of its own


class Heading(NamedTuple):
    """What the heading line of a list ("Since the ceasefire (October 11):", "In the past 24 hours:") sets for the
    entries beneath it: their basis, the start of a total, and a stated day."""

    basis: str
    since: str | None
    as_of: date | None
    words: tuple[str, ...] = ()
    """the heading's lower-cased tokens, where a day's toll is named ("in the past 24 hours": a claim's target)"""


class Entry(NamedTuple):
    """A list entry just read: its metric, whether a label named it ("Number of martyrs: 7"), and where it ends."""

    metric: str
    labelled: bool
    end: int


@dataclass(slots=True)
class ItemReading:
    """One item being read: its body (capped), gazetteer terms in it and its identity for claim ids."""

    item: NewsItem
    published: date
    body: str
    terms: list[tuple[int, str]]
    starts: list[int]
    key: str
    sources: dict[str, str]  # last word -> the last source named so far with it, for "the ministry said"
    readable: Readable  # the body as sent -> ``body``, what a reader sees of it; spans are mapped back
    last_source: str | None = None  # the last source named so far, for a sentence that opens "It said"
    last_group: str | None = None  # the group of the last claim so far, for "This number includes ..."
    read_to: int = 0  # the sources of the body before this offset are remembered (or superseded by a later one)
    lines: bool = False  # the body has line breaks (a body of one line is prose, never a list)
    headings: dict[int, Heading | None] = field(default_factory=dict)  # a list's heading line (by offset), read once
    entry: Entry | None = None  # the last list entry read, whose detail lines may follow it


@dataclass(slots=True)
class Sentence:
    """One sentence being read: its tokens, gazetteer terms (sentence offsets) and dates."""

    context: ItemReading
    text: str
    offset: int
    tokens: Tokens
    terms: list[tuple[int, str]]
    dates: list[DateExpr]
    start_dates: list[DateExpr]  # dates inside a since-phrase: starts, not the as-of day
    conflict: str
    revision: bool
    numbers: list[Quantity] = field(default_factory=list)  # every count read, figure or not
    memo: dict[str, object] = field(default_factory=dict)  # what every figure of the sentence asks alike
