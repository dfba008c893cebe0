"""Labelled lists: the bulletins of health ministries and the situation reports of UN agencies state their figures
as a list under headings, not in sentences.

    The total number of casualties who arrived at Gaza Strip hospitals in the past 24 hours is as follows:
    * Number of Martyrs: 7 (6 new martyrs + 1 martyr recovered).
    Since the ceasefire (October 11):
    • Total number of martyrs: 992
    Cumulative statistics since the beginning of the aggression on October 7, 2023:
    • Cumulative number of martyrs: 73,003

Three rules read them (the extractor asks :class:`ListRules` about every sentence that opens a line):

- **Entries.** A line is a list entry when it opens with bullet marks ("•", "*", "▪️", "-") or is a short
  "Label: number" line ("Killed: 1,234"). A label is the figure's noun phrase: its trigger ("martyrs", "Killed",
  "deaths") gives the metric and its words ("Total deaths since 7 October") the basis and start.
- **Details.** An entry's first figure is the entry; a figure of the same metric after it in the line, with no
  group of its own, is its breakdown ("7 (6 new martyrs + 1 martyr recovered)"), not a figure of its own. So is a
  line right after a labelled entry that opens with a figure of that metric ("Number of martyrs: 13" then "12 new
  martyrs, 1 martyr who succumbed to his wounds"), and one that opens with a bracket ("(9 new martyrs + 1 ...)").
  A part with a group ("including 3 children") stays a part.
- **Headings.** The nearest line above an entry that is not itself an entry, states no figure and is short, is
  the list's heading: a period of its own ("in the past 24 hours", "today", "In May 2025") makes the entries beneath
  the figures of that period (basis incident, dated to its last day); a total cue ("since the ceasefire (October
  11)", "cumulative", "total") makes them running totals from the start it states (else the conflict's); an event
  ("Missile strike on Kharkiv") that event's figures. The heading decides the basis; an entry's own stated start
  ("Total deaths since 7 October: ...") beats the heading's. Under no such heading, a labelled count beyond a
  day's toll whose label names no period or incident is a running total ("Palestinians killed in Gaza*: 35,000+",
  a situation report's snapshot); a smaller one is read as prose reads it ("Death toll: 12").

Prose is not touched: a sentence that does not open a line, or a line that is neither bulleted nor a short
label line, is read as before.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_left
from typing import NamedTuple

from streams.extraction.basis import BasisRules
from streams.extraction.dates import DAY, MONTH, find_dates
from streams.extraction.reading import Entry, Figure, Heading, ItemReading, Sentence
from streams.extraction.sentences import breaks
from streams.extraction.vocabulary import Taxonomy
from streams.numbers import NumberParser, Tokens

# bullet marks (symbols and spaces, but no bracket or quote: a quote opens prose), matched possessively so that a
# run of marks costs one step per mark, then a number, a bracketed number, or a label ("Total deaths since 7
# October") and its colon before a number
_ENTRY = re.compile(r"((?:[^\w\s(\[\"'“”‘’«»]|[ \t])*+)(?:(\()?\s*\d|([^:]{1,80}):\s*\d)")
_MAX_LABEL_WORDS = 8
"""An unbulleted "Label: number" line is an entry only with a short label ("Total deaths since 7 October"): a
longer one is prose that quotes a number after a colon ("The ministry said in a statement: 12 people ...")."""
_MAX_LABEL_LINE = 160
_MAX_LIST_LINES = 16
"""How many lines above an entry its heading is looked for (entries and their detail lines; blank lines are free)."""
_MAX_HEADING_CHARS = 240
_TIME_UNITS = frozenset({"hours", "hour", "hrs", "days", "day", "weeks", "week", "months", "month"})


def _bulleted(match: re.Match[str]) -> bool:
    return bool(match.group(1).strip())


def _short_label(match: re.Match[str], line: str) -> bool:
    return len(match.group(3).split()) <= _MAX_LABEL_WORDS and len(line) <= _MAX_LABEL_LINE


class ListEntry(NamedTuple):
    """A sentence that opens a line of a list: its label's token span (start, colon) or None, and whether it opens
    with a bracket after its bullet marks."""

    label: tuple[int, int] | None
    bracket: bool


def labelled(sentence: Sentence, first: int) -> tuple[int, int] | None:
    """The token span of the label whose number opens at token ``first`` ("Killed: 1,234"), or None."""
    entry = sentence.memo.get("entry")
    if isinstance(entry, ListEntry) and entry.label is not None and entry.label[1] == first - 1:
        return entry.label
    return None


class ListRules:
    """Entries, details and headings of labelled lists, for :class:`~streams.extraction.extractor.Extractor`."""

    def __init__(self, taxonomy: Taxonomy, numbers: NumberParser, bases: BasisRules) -> None:
        self.taxonomy = taxonomy
        self.numbers = numbers
        self.bases = bases

    def entry(self, context: ItemReading, start: int, text: str, tokens: Tokens) -> ListEntry | None:
        """The list entry that the sentence at body offset ``start`` opens, or None (see the module notes)."""
        if not context.lines:
            return None  # a body of one line is prose
        body, line = context.body, start
        while line > 0 and body[line - 1] in " \t\u00a0":  # only the white space before it: linear in the body
            line -= 1
        if line > 0 and body[line - 1] != "\n":
            return None  # the sentence does not open its line
        match = _ENTRY.match(text)
        if match is None:
            return None
        label = match.group(3)
        if not _bulleted(match) and label is None and not self._after_entry(context, start):
            return None  # a line that opens with a number is prose, unless it details the entry above
        if not _bulleted(match) and label is not None and not _short_label(match, text):
            return None
        span = None
        if label is not None:
            colon = tokens.lows.index(":")  # the label holds no colon: the first is its own
            first = next(k for k in range(colon + 1) if tokens.starts[k] >= match.start(3))
            span = (first, colon)
        return ListEntry(span, match.group(2) is not None)

    @staticmethod
    def _after_entry(context: ItemReading, start: int) -> bool:
        """True when only white space parts the sentence at ``start`` from the list entry read last."""
        last = context.entry
        return last is not None and not context.body[last.end : start].strip()

    def label_trigger(self, lows: list[str], label: tuple[int, int]) -> tuple[str, int] | None:
        """The event of the last trigger or event noun in a label ("Total number of martyrs", "Killed",
        "Total deaths since 7 October") and where it starts, or None. The trigger must head the label: only a
        function word ("since", "in"), a counted noun, a mark ("Deaths (since 7 Oct)", "Killed*") or the colon may
        follow it ("Number of rescued cases" counts cases, not people rescued)."""
        tx = self.taxonomy
        words = tx.context["function_words"]
        for k in range(label[1], label[0], -1):
            hit = tx.events.ending_at(lows, k) or tx.noun_events.ending_at(lows, k)
            if hit is not None:
                mark = k == label[1] or not lows[k].isalpha()
                headed = mark or words.at(lows, k) is not None or tx.nouns.at(lows, k) is not None
                return (hit[0], k - hit[1]) if headed else None
        return None

    def figures(
        self, context: ItemReading, entry: ListEntry, figures: list[Figure], start: int, end: int
    ) -> list[Figure]:
        """The figures of an entry line that are figures of their own (details and breakdowns dropped); remembers
        the entry for the lines after it."""
        last = context.entry
        detail = (
            entry.label is None
            and last is not None
            and self._after_entry(context, start)
            and (entry.bracket or (last.labelled and bool(figures) and figures[0].metric == last.metric))
        )
        if detail and last is not None:
            context.entry = last._replace(end=end)
            return [f for f in figures if f.group is not None]  # "including 3 children": a part with a group
        if not figures:
            context.entry = None
            return figures
        head = figures[0]
        context.entry = Entry(head.metric, entry.label is not None, end)
        return [head, *(f for f in figures[1:] if f.metric != head.metric or f.group is not None)]

    def heading(self, context: ItemReading, start: int, conflict: str) -> Heading | None:
        """What the heading above the entry at ``start`` sets for it (see the module notes), or None."""
        body = context.body
        hi = body.rfind("\n", 0, start)
        lines = 0
        while lines < _MAX_LIST_LINES:
            if hi < 0:
                return None
            lo = body.rfind("\n", 0, hi) + 1
            line = body[lo:hi]
            hi = lo - 1
            stripped = line.strip()
            if not stripped:
                continue  # blank lines do not count
            lines += 1
            match = _ENTRY.match(stripped)
            if match is not None and (_bulleted(match) or match.group(3) is None or _short_label(match, stripped)):
                continue  # an entry (or a detail line) of the same list
            if lo not in context.headings:
                context.headings[lo] = self._read_heading(context, lo, line, conflict)
            return context.headings[lo]
        return None

    def _read_heading(self, context: ItemReading, offset: int, line: str, conflict: str) -> Heading | None:
        """The basis, start and day a heading line sets; None when it is long or states a figure of its own."""
        if len(line) > _MAX_HEADING_CHARS:
            return None
        tokens = Tokens(line)
        lows = tokens.lows
        dates = find_dates(tokens, context.published)
        in_date = {k for d in dates for k in range(d.i, d.j)}
        for q in self.numbers.quantities_in(tokens):
            if in_date.isdisjoint(range(*q.tokens)) and tokens.low(q.tokens[1]) not in _TIME_UNITS:
                return None  # a figure of its own: a sentence, not a heading
        since_at = [k for k, low in enumerate(lows) if low == "since"]
        starts = [d for d in dates if any(k < d.i and not breaks(lows, k, d.i) for k in since_at)]
        lo, hi = bisect_left(context.starts, offset), bisect_left(context.starts, offset + len(line))
        terms = [(at - offset, phrase) for at, phrase in context.terms[lo:hi]]
        sentence = Sentence(context, line, offset, tokens, terms, dates, starts, conflict, False)
        read = self.bases.heading(sentence)
        if read is None:
            return None
        stated = [d for d in dates if d.precision in (DAY, MONTH) and d not in starts]
        if not stated:
            return Heading(read[0], read[1], None, tuple(lows))
        day = stated[0].value
        if stated[0].precision == MONTH:  # "In May 2025:" dates its entries to the month's last day (or publication)
            day = min(context.published, day.replace(day=calendar.monthrange(day.year, day.month)[1]))
        return Heading(read[0], read[1], day, tuple(lows))
