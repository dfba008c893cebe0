"""The claim extractor: turns one news item into the figures it states about known conflicts.

Pure and deterministic: no I/O after construction, no global mutable state. Per sentence that
contains a digit or a number word, each quantity found by :mod:`streams.numbers` is read as a
figure when its noun phrase is a counted group ("18 hostages", "hundreds of Palestinian prisoners")
or it stands next to a trigger ("killed 12", "12 were killed", "the death toll rose to 46,645").
The noun class and the trigger's event pick the metric; the words around it give the modality,
basis (total or incident), source, dates and revision flag. All vocabulary is in
``streams/data/taxonomy.json`` and ``streams/data/gazetteer.json``.

Work is bounded: only the first ``max_body_chars`` characters of a body (:data:`MAX_BODY_CHARS` unless set)
and the first ``max_sentence_chars`` of a sentence (:data:`~streams.extraction.sentences.MAX_SENTENCE_CHARS`)
are read, and every step is linear in what is read.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import NamedTuple

from streams._exceptions import InputError
from streams.claims import Claim
from streams.extraction.attribution import COPULAS, TRAILING_SOURCE_END, Attribution
from streams.extraction.basis import BasisRules
from streams.extraction.dates import DAY, DateExpr, days_before, find_dates
from streams.extraction.lists import ListRules, labelled
from streams.extraction.place import place_of
from streams.extraction.readable import Readable
from streams.extraction.reading import Figure, Heading, ItemReading, Sentence
from streams.extraction.sentences import (
    CLAUSE_BREAKS,
    MAX_ASIDE_TOKENS,
    MAX_SENTENCE_CHARS,
    breaks,
    clause_of,
    figure_sentences,
)
from streams.extraction.target import Targets
from streams.extraction.vocabulary import Gazetteer, Taxonomy, load_gazetteer, load_taxonomy
from streams.items import NewsItem, parse_timestamp
from streams.numbers import NumberParser, Quantity, Tokens, default_parser

MAX_BODY_CHARS = 100_000
"""Longer bodies are cut here: wire reports are 1-10 KB, and the cap bounds the work per item."""
MAX_COUNT = 10_000_000_000
"""The largest count read as a figure: above it a number is a code or noise, and would not fit 64 bits."""
_TERM_WEIGHT = 2520
"""The weight of a term naming one conflict; divisible by 1..10, so a term shared by n conflicts counts exactly 1/n."""
MAX_SENTENCE_FIGURES = 32
"""Only the first quantities of a sentence are read: prose states a handful (the dev corpus at most 5), and
some steps per figure look at its whole sentence, so the cap keeps the work per sentence linear."""

_DATE_COMMA = "<date,>"
"""Stands for a comma inside a date once the dates are read: it neither breaks a clause nor ends a source."""
_STAFF = frozenset({"staff", "staffers", "personnel", "workers", "employees", "members", "volunteers"})
_AID_OWNERS = frozenset({"aid", "humanitarian", "relief", "charity", "ngo", "un", "unrwa", "unicef", "wfp", "msf"})
_AID_WORDS = frozenset({"aid", "humanitarian", "relief", "food", "supplies"})
_MAX_NP_TOKENS = 5
_MAX_AUX_TOKENS = 6
_MAX_AHEAD_TOKENS = 10
_RATIO_BASES = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "10": 10,
    "hundred": 100, "100": 100,
}  # fmt: skip
_AGE_HEDGES = frozenset({"over", "under", "above", "below", "aged"})
# "This number includes ...", "The figure included ...": a sentence that details the figure before it
_INCLUDES = [
    [noun, verb] for noun in ("number", "figure", "toll", "total", "tally") for verb in ("includes", "included")
]
_UP_FROM = (["up", "from"], ["down", "from"], ["compared", "with"], ["compared", "to"])
# a participle after a counted noun that makes them captives: "people kidnapped in March, were released"
_CAPTIVE_CLASS = {"abduct": "hostage", "detain": "prisoner", "hold": "hostage"}
# "the deadliest day since 2006", "for the first time since": a record, not the start of a total
_SUPERLATIVES = frozenset({"deadliest", "worst", "bloodiest", "heaviest", "highest", "largest", "biggest", "time"})
_NO_SINCE = "<since>"
_DEGREE_ADVERBS = frozenset({"just", "only", "about", "around", "almost", "nearly", "some", "exactly", "well"})


class _Head(NamedTuple):
    """The noun phrase after a number: its class, the event it carries, its group, where it ends."""

    kind: str  # noun, empty, partitive, reject
    noun: str = "person"
    event: str | None = None
    group: str | None = None
    end: int = 0
    explicit: bool = False  # a counted noun was named ("people", "children"), not only an event ("wounded")
    subset: bool = False  # "35 of the hostages": a part of a named whole, its own predicate follows


def _elliptical(lows: list[str], last: int) -> bool:
    """True for "1,109 since 7 October 2023": a bare number that continues the previous figure."""
    after = lows[last] if last < len(lows) else ""
    return after in TRAILING_SOURCE_END or after in ("since", "in", "so", "this", "during", "over")


def _as_of(sentence: Sentence, segment: tuple[int, int], front: int, own_end: int) -> date | None:
    """The day the sentence states (not a since-date), preferring one in the figure's segment."""
    lows = sentence.tokens.lows
    days = [
        d
        for d in sentence.dates
        if d.precision == DAY and d not in sentence.start_dates and lows[d.j : d.j + 1] not in (["'"], ["’"])
    ]  # "Saturday's strike" names the incident, not the day of the figure
    local = [d for d in days if segment[0] <= d.i < segment[1]]
    chosen = local or [d for d in days if front <= d.i < own_end]
    # "said on Tuesday that as of May 31, at least 600 ...": the stated reference day beats the statement's
    stated = [d for d in chosen if lows[max(0, d.i - 2) : d.i] in (["as", "of"], ["as", "at"])]
    return (stated or chosen)[0].value if chosen else None


_ATTACK_NOUNS = frozenset({"attack", "attacks", "assault", "massacre", "raid", "incursion"})


def _in_aside(lows: list[str], k: int) -> bool:
    """True when a comma opens an aside shortly before token ``k`` ("X, begun after the raid of Oct. 7, 2023, has
    killed"): the comma after the date closes that aside."""
    for j in range(k - 1, max(-1, k - MAX_ASIDE_TOKENS), -1):
        if lows[j] == ",":
            return True
        if lows[j] in CLAUSE_BREAKS:
            return False
    return False


def _year_in(lows: list[str], d: DateExpr) -> bool:
    """True when the date expression ends in a year ("October 7, 2023")."""
    last = lows[d.j - 1]
    return len(last) == 4 and last.isdigit()


_FINITE_AUXILIARIES = COPULAS | {"have", "has", "had"}  # the verbs that open a predicate of its own

_LIST_WORDS = frozenset({",", "and", "a", "an", "one"})  # what joins the members of a list of counted nouns
_BREAKDOWN = frozenset({"killed", "injured"})  # the parts a casualties figure breaks down into
_STATE_VERBS = frozenset({"remain", "remains", "remained", "still", "stay", "stays", "stayed"})


def _period(lows: list[str], dates: list[DateExpr], start: str) -> tuple[DateExpr, DateExpr] | None:
    """The dates of "between <date> and <date>" when the first is in the conflict's start month, else None.

    A count from the conflict's start to a day is its running total as of that day; a count over another
    period ("between April and June", a quarter) is that period's own figure."""
    for a, b in pairwise(dates):
        if a.i > 0 and lows[a.i - 1] == "between" and lows[a.j : a.j + 1] == ["and"] and b.i == a.j + 1:
            return (a, b) if a.value.isoformat()[:7] == start[:7] and b.value > a.value else None
    return None


_DAYS_AFTER = {"a": 1, "one": 1, "two": 2, "three": 3}


def _days_after(lows: list[str], lo: int, hi: int) -> int:
    """N for "a day after" / "two days after" in tokens ``[lo, hi)``: the figure is of N days before the day told."""
    for k in range(max(lo, hi - _MAX_AHEAD_TOKENS), hi - 2):
        if lows[k + 2] == "after" and lows[k + 1] in ("day", "days") and lows[k] in _DAYS_AFTER:
            return _DAYS_AFTER[lows[k]]
    return 0


def _incident_day(sentence: Sentence) -> date | None:
    """The day of a possessive "Sunday's strike" / "Saturday's attack", which names the incident."""
    lows = sentence.tokens.lows
    for d in sentence.dates:
        if d.precision == DAY and d not in sentence.start_dates and lows[d.j : d.j + 1] in (["'"], ["’"]):
            return d.value
    return None


_PLURAL_COPULAS = frozenset({"are", "were"})


class Extractor(Attribution):
    """Extracts :class:`~streams.claims.Claim` objects from news items with one vocabulary."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy, numbers: NumberParser, *,
                 max_body_chars: int = MAX_BODY_CHARS, max_sentence_chars: int = MAX_SENTENCE_CHARS) -> None:
        self.max_body_chars = max_body_chars
        self.max_sentence_chars = max_sentence_chars
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.numbers = numbers
        self._order = {slug: n for n, slug in enumerate(gazetteer.conflicts)}
        self._shares = {
            phrase: tuple((slug, _TERM_WEIGHT // len(slugs)) for slug in slugs)
            for phrase, (slugs, _) in gazetteer.terms.items()
        }
        self._ctx = taxonomy.context
        self._hostage_words = frozenset(k[0] for k, v in taxonomy.nouns.table.items() if v == "hostage" and len(k) == 1)
        self._prisoner_words = frozenset(k[-1] for k, v in taxonomy.nouns.table.items() if v == "prisoner")
        self._bases = BasisRules(gazetteer, taxonomy)
        self._targets = Targets(gazetteer, taxonomy)
        self._lists = ListRules(taxonomy, numbers, self._bases)

    @classmethod
    def from_files(cls, user_gazetteer: Path | None = None, *, max_body_chars: int = MAX_BODY_CHARS,
                   max_sentence_chars: int = MAX_SENTENCE_CHARS) -> Extractor:
        """The extractor over the shipped vocabulary, with ``user_gazetteer`` merged in when given."""
        return cls(load_gazetteer(user_gazetteer), load_taxonomy(), default_parser(), max_body_chars=max_body_chars,
                   max_sentence_chars=max_sentence_chars)

    # -- item level ---------------------------------------------------------------------------

    def extract(self, item: NewsItem) -> list[Claim]:
        """The claims ``item`` states; none when it is about no known conflict."""
        if not isinstance(item.body, str) or not isinstance(item.title, str):
            raise InputError(f"item {item.id!r}: title and body must be strings")
        try:
            published = parse_timestamp(item.published_at).date()
        except (ValueError, AttributeError, TypeError) as exc:
            raise InputError(f"item {item.id!r}: bad published_at {item.published_at!r}") from exc
        readable = Readable(item.body[: self.max_body_chars])
        body = readable.text
        terms = self.gazetteer.scan(body)
        dominant = self._dominant(self._weights(self.gazetteer.scan(item.title) + terms))
        if dominant is None:
            return []
        key = f"{item.id}\x1f{item.content_hash}"
        context = ItemReading(item, published, body, terms, [at for at, _ in terms], key, {}, readable,
                              lines="\n" in body)
        claims: list[Claim] = []
        for start, end in figure_sentences(body, self.max_sentence_chars):
            claims.extend(self._sentence(context, start, end, dominant))
        return claims

    def _conflicts_in(self, terms: list[tuple[int, str]]) -> list[str]:
        return [slug for _, phrase in terms for slug in self.gazetteer.terms[phrase][0]]

    def _weights(self, terms: list[tuple[int, str]]) -> dict[str, int]:
        """Evidence per conflict: a term shared by n conflicts ("Israeli") counts 1/n for each of them,
        so "Israeli strikes in Daraa" is about Syria, not a tie the gazetteer order breaks. Integer
        shares of :data:`_TERM_WEIGHT` keep equal evidence exactly equal."""
        weights: dict[str, int] = {}
        shares = self._shares
        for _, phrase in terms:
            for slug, share in shares[phrase]:
                weights[slug] = weights.get(slug, 0) + share
        return weights

    def _dominant(self, counts: Mapping[str, int]) -> str | None:
        if not counts:
            return None
        return min(counts, key=lambda slug: (-counts[slug], self._order[slug]))

    def _sentence(self, context: ItemReading, start: int, end: int, dominant: str) -> list[Claim]:
        text = context.body[start:end].rstrip()
        tokens = Tokens(text)
        lows = tokens.lows
        if self._ctx["not_conflict"].find(lows, 0, len(lows)):
            return []
        dates = find_dates(tokens, context.published)
        in_date = {k for d in dates for k in range(d.i, d.j)}
        quantities = [
            self._particle(tokens, q)
            for q in self.numbers.quantities_in(tokens)
            if in_date.isdisjoint(range(*q.tokens)) and self._is_count(tokens, q)
        ]
        if not quantities:
            return []
        del quantities[MAX_SENTENCE_FIGURES:]
        for d in dates:  # "since Oct. 7, 2023 to 44,249": a comma inside a date breaks no clause
            inner = "," in lows[d.i + 1 : d.j]
            for k in range(d.i + 1, d.j):
                if lows[k] == ",":
                    lows[k] = _DATE_COMMA
            if inner and lows[d.j : d.j + 1] == [","] and _year_in(lows, d) and not _in_aside(lows, d.i):
                lows[d.j] = _DATE_COMMA  # nor does the comma that closes it: "the coup of Feb. 1, 2021, has killed"
        lo, hi = bisect_left(context.starts, start), bisect_left(context.starts, end)
        terms = [(at - start, phrase) for at, phrase in context.terms[lo:hi]]
        named = self._conflicts_in(terms) if terms else []
        conflict = dominant if not named or dominant in named else self._dominant(self._weights(terms)) or dominant
        since_at = [k for k, low in enumerate(lows) if low == "since"] if "since" in lows else []
        for k in since_at:
            if not _SUPERLATIVES.isdisjoint(lows[max(0, k - 3) : k]):
                lows[k] = _NO_SINCE  # "the deadliest day since 2006", "for the first time since": no start
        since_at = [k for k in since_at if lows[k] == "since"]
        start_dates = [d for d in dates if any(k < d.i and not breaks(lows, k, d.i) for k in since_at)]
        period = _period(lows, dates, self.gazetteer.conflicts[conflict].start) if "between" in lows else None
        if period is not None:  # "Between 7 October 2023 and 15 January 2025, 46,600 were killed": since, as of
            start_dates.append(period[0])
        revision = self._ctx["revision"].find(lows, 0, len(lows)) is not None
        sentence = Sentence(context, text, start, tokens, terms, dates, start_dates, conflict, revision)
        sentence.numbers = quantities
        if period is not None:
            sentence.memo["period"] = True
        entry = self._lists.entry(context, start, text, tokens)
        if entry is not None:  # a line of a labelled list: its heading sets the period (streams/extraction/lists.py)
            sentence.memo["entry"] = entry
            heading = self._lists.heading(context, start, conflict)
            if heading is not None:
                sentence.memo["heading"] = heading
        figures: list[Figure] = []
        for q in quantities:
            figure = self._figure(sentence, q, figures[-1] if figures else None)
            if figure is not None:
                figures.append(figure)
        if figures and figures[0].denominator:  # "Of the 251 people taken hostage on Oct. 7, ...": no figure
            sentence.memo["front"] = clause_of(lows, *figures[0].quantity.tokens)[1]
            figures = figures[1:]
        earlier = self._earlier_wars(sentence)
        if earlier:  # "The 2014 war lasted 51 days and killed more than 2,200": another war's toll
            spans = [clause_of(lows, *f.quantity.tokens) for f in figures]
            figures = [f for f, (lo, hi) in zip(figures, spans, strict=True) if all(k < lo or k >= hi for k in earlier)]
        if entry is not None:  # an entry's breakdown and detail lines are not figures of their own
            figures = self._lists.figures(context, entry, figures, start, end)
        cumulative = [f.quantity.value for f in figures if self.taxonomy.metrics[f.metric].kind == "cumulative"]
        sentence.memo["largest"] = max(cumulative, default=0.0)  # the sentence's largest cumulative count
        claims: list[Claim] = []
        for n in range(len(figures)):
            claims.append(self._claim(sentence, figures, n, claims[-1] if claims else None))
        if claims and lows[1:3] in _INCLUDES and lows[0] in ("this", "that", "the"):
            # "This number includes 1,300 casualties over the past day": a part of the figure of the sentence
            # before, counted by its source and of its group
            claims = [
                replace(c, attributed_to=c.attributed_to or context.last_source, group=c.group or context.last_group)
                for c in claims
            ]
        if claims:
            context.last_group = claims[-1].group
        if claims and context.read_to >= start:  # its sources and those before are remembered: the next gap follows
            context.read_to = end
        return claims

    def _earlier_wars(self, sentence: Sentence) -> list[int]:
        """Token positions of a war named by a year before the conflict began: "the 2014 war"."""
        lows = sentence.tokens.lows
        wars = self._ctx["war_nouns"]
        if wars.firsts.isdisjoint(lows):
            return []
        start_year = self.gazetteer.conflicts[sentence.conflict].start[:4]
        # a four-digit year compares as a string; only the positions of war nouns are looked at
        return [
            k
            for k in [k for k, low in enumerate(lows) if low in wars.firsts]
            if k and len(lows[k - 1]) == 4 and lows[k - 1].isdigit() and lows[k - 1] < start_year
        ]

    # -- is this number a count of people? ----------------------------------------------------

    def _is_count(self, tokens: Tokens, q: Quantity) -> bool:
        if not 1 <= q.value <= MAX_COUNT:
            return False  # no conflict counts more people than live on Earth; bigger "figures" are noise
        first, last = q.tokens
        lows = tokens.lows
        before = tokens.low(first - 1)
        # a spaced dash opens an aside ("casualties - 3,381 killed"), a hyphen joins ("-5", "COVID-19")
        hyphen = before == "-" and tokens.touching(first)
        if self._ctx["not_count_before"].ending_at(lows, first) or before in ("#", "/") or hyphen:
            return False
        after = tokens.low(last)
        if self._ctx["not_count_after"].at(lows, last) or after in ("%", "/", ":"):
            return False
        if after == "in" and q.value < _RATIO_BASES.get(tokens.low(last + 1 + (tokens.low(last + 1) == "every")), 0):
            return False  # a share, not a count: "nine in ten Gazans", "one in every five children"
        if q.qualifier in ("more_than", "less_than") and lows[first] in _AGE_HEDGES and self._is_noun(lows, first):
            return False  # an age: "men over 50", "children under five"
        if after == "-" and tokens.touching(last) and tokens.kinds[last + 1 : last + 2] == ["word"]:
            return False  # "12-year-old", "three-phase", "1,200-kilometre" (not "30,000 - health ministry")
        digits = tokens.lows[first] if q.qualifier == "exact" and last - first == 1 else ""
        return not (digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100)

    def _particle(self, tokens: Tokens, q: Quantity) -> Quantity:
        """``q`` unhedged when its hedge word ends a trigger: in "handed over four hostages" "over" belongs to the
        verb ("handed over"), it does not make the four "more than 4"."""
        first, last = q.tokens
        if q.interval in ("exact", "range", "vague") or tokens.starts[first] == q.numbers[0].start:
            return q  # no hedge before the number
        k = next((k for k in range(first, last) if tokens.starts[k] == q.numbers[0].start), first)
        hit = self.taxonomy.events.ending_at(tokens.lows, k)
        if hit is None or hit[1] <= k - first:
            return q
        return self.numbers.with_interval(q, "exact")._replace(start=q.numbers[0].start, tokens=(k, last))

    def _is_noun(self, lows: list[str], k: int) -> bool:
        """True when a person or group noun ends right before token ``k``."""
        tx = self.taxonomy
        return bool(tx.nouns.ending_at(lows, k) or tx.group_nouns.ending_at(lows, k) or lows[k - 1 : k] == ["those"])

    # -- metric -------------------------------------------------------------------------------

    def _noun_at(self, text: str, tokens: Tokens, j: int, adjective: str | None) -> _Head | None:
        """A head noun (group, class or event noun) starting at token ``j``, or None."""
        tx = self.taxonomy
        lows = tokens.lows
        group = tx.group_nouns.at(lows, j)
        if group is not None:
            event = tx.noun_events.at(lows, j + group[1])
            end = j + group[1] + (event[1] if event else 0)
            return _Head("noun", "person", event[0] if event else None, group[0], end, explicit=True)
        noun = tx.nouns.at(lows, j)
        event = tx.noun_events.at(lows, j)
        if noun is None and event is None:
            return None
        size = max(noun[1] if noun else 0, event[1] if event else 0)
        cls = noun[0] if noun else "person"
        if adjective is None and lows[j] in _STAFF:
            # "10 staff of the aid group Relief International", "three employees of a UN agency", "UNRWA said 258
            # of its staff"
            if tokens.low(j + size) == "of":
                owner = lows[j + size + 1 : j + size + 4]
            else:
                owner = lows[: j - 1] if lows[j - 1 : j] in (["its"], ["their"]) else []
            adjective = "aid_workers" if not _AID_OWNERS.isdisjoint(owner) else None
        return _Head("noun", cls, event[0] if event else None, adjective, j + size, noun is not None)

    def _head(self, text: str, tokens: Tokens, q: Quantity) -> _Head:
        lows = tokens.lows
        j = q.tokens[1]
        if q.vague and tokens.low(j) == "of":
            j += 1
        partitive = self._ctx["partitives"].at(lows, j)
        if partitive is not None:
            # "23 dead, four of them children": a group noun right after names the part's own group
            own = self.taxonomy.group_nouns.at(lows, j + partitive[1])
            return _Head("partitive", group=own[0] if own else None, end=j + partitive[1])
        if lows[j : j + 3] == ["the", "number", "of"]:
            j += 3  # "bringing to 24 the number of UN staff held": the counted noun follows
        subset = tokens.low(j) == "of" and tokens.low(j + 1) in ("the", "those", "these", "its", "their")
        if subset:
            j += 2  # "35 of the hostages": the noun after "of the" is counted
        adjective: str | None = None
        for _ in range(_MAX_NP_TOKENS):
            if j >= len(lows):
                return _Head("empty", end=j)
            head = self._noun_at(text, tokens, j, adjective)
            if head is not None:
                head = self._coordinated(text, tokens, head, adjective)
                group = head.group
                if subset and group is None and tokens.low(head.end) in _PLURAL_COPULAS:
                    # "12,000 of the dead are children": the part's group is the predicate's
                    named = self.taxonomy.group_nouns.at(lows, head.end + 1)
                    group = named[0] if named else None
                return _Head(head.kind, head.noun, head.event, group, head.end, head.explicit, subset)
            adjective_hit = self.taxonomy.group_adjectives.at(lows, j)
            if adjective_hit is not None:
                adjective = adjective_hit[0]
                j += adjective_hit[1]
                continue
            # modifiers, and proper names used as modifiers ("UNRWA staff", "UN peacekeepers")
            if lows[j] in self.taxonomy.modifiers or (j > q.tokens[1] - 1 and text[tokens.starts[j]].isupper()):
                j += 1
                continue
            if subset and tokens.kinds[j] == "word" and lows[j + 1 : j + 3] in (["'", "s"], ["’", "s"]):
                j += 3  # a possessor: "2,500 of the group's fighters"
                continue
            if tokens.kinds[j] == "word" and not self._ctx["function_words"].at(lows, j):
                # "3 more died of their wounds": a trigger right after the number is its predicate
                return _Head("empty" if self.taxonomy.events.at(lows, j) else "reject", end=j)
            return _Head("empty", end=j)
        return _Head("reject", end=j)

    def _coordinated(self, text: str, tokens: Tokens, head: _Head, adjective: str | None) -> _Head:
        """Extend "journalists and media workers" to its last noun; nouns of one group keep it, nouns of two
        ("women and children", "Palestinian women and minors") count a mix: only their adjective's group."""
        j = head.end
        while tokens.low(j) in ("and", "or") and j + 1 < len(tokens):
            k = j + 1
            while tokens.low(k) in self.taxonomy.modifiers:
                k += 1
            more = self._noun_at(text, tokens, k, None)
            if more is None:
                break
            group = head.group if more.group == head.group else adjective
            head = _Head(head.kind, head.noun, head.event or more.event, group, more.end, head.explicit)
            j = more.end
        return head

    def _event_after(self, lows: list[str], k: int) -> tuple[str, int] | None:
        aux = self._ctx["auxiliaries"]
        for _ in range(_MAX_AUX_TOKENS):
            hit = self.taxonomy.events.at(lows, k)
            if hit is not None:
                return hit[0], k
            step = aux.at(lows, k)
            if step is None:
                return None
            k += step[1]
        return None

    def _past_aside(self, tokens: Tokens, k: int) -> int:
        """The token after an aside that opens at ``k``, else ``k``.

        Wire copy puts asides between a counted noun and its verb: "13 people, including a girl,
        were killed", "1.9 million people - about 85% of the population - have been displaced".
        """
        lows = tokens.lows
        opener = lows[k] if k < len(lows) else ""
        if opener == "," and self._ctx["aside_openers"].at(lows, k + 1) is None and not self._counted_part(lows, k + 1):
            return k
        if opener not in (",", "-", "—", "–", "("):
            return k
        closers = {",": (",",), "(": (")",), "-": ("-", "—", "–"), "—": ("-", "—", "–"), "–": ("-", "—", "–")}[opener]
        for j in range(k + 1, min(len(lows), k + MAX_ASIDE_TOKENS)):
            if lows[j] in closers:
                return j + 1
            if lows[j] in (";", ":", ".") or (opener == "," and lows[j] in ("-", "—") and not self._hyphen(tokens, j)):
                return k  # a dash ends a comma aside; a hyphen inside a word ("a 5-year-old girl") does not
        return k

    def _counted_part(self, lows: list[str], k: int) -> bool:
        """True when a count and a partitive open at token ``k``: "nine of them children", "twenty-one of whom"."""
        partitives = self._ctx["partitives"]
        return any(partitives.at(lows, j) is not None for j in range(k + 1, min(len(lows), k + 4)))

    def _main_verb(self, tokens: Tokens, k: int) -> tuple[str, int] | None:
        """A release or killing told by an auxiliary and its verb after a participle phrase that opens at ``k``."""
        lows = tokens.lows
        for j in range(k, min(len(lows), k + MAX_ASIDE_TOKENS)):
            if lows[j] in (";", ":", ".") or tokens.kinds[j] == "num":
                return None
            if lows[j] in _FINITE_AUXILIARIES:
                hit = self._event_after(lows, j)
                return hit if hit is not None and hit[0] in ("release", "return", "kill") else None
        return None

    @staticmethod
    def _hyphen(tokens: Tokens, j: int) -> bool:
        """True when token ``j`` joins the tokens around it with no space ("5-year-old")."""
        return tokens.touching(j) and tokens.touching(j + 1)

    def _event_before(self, lows: list[str], k: int) -> tuple[str, int] | None:
        skip = self._ctx["skip_before"]
        for _ in range(_MAX_AUX_TOKENS):
            hit = self.taxonomy.events.ending_at(lows, k)
            if hit is not None:
                return hit[0], k - hit[1]
            if k <= 0 or skip.ending_at(lows, k) is None:
                return None
            k -= 1
        return None

    def _before_unless_own_verb(self, lows: list[str], noun: str, first: int, after: int) -> tuple[str, int] | None:
        """The trigger right before the figure, unless a conjunction parts them and the figure has a verb of
        its own: "five people were killed and 18 others were hurt", "three died and 11 were injured"."""
        hit = self._counting(lows, noun, self._event_before(lows, first))
        if hit is not None and ("and" in lows[hit[1] : first] or "or" in lows[hit[1] : first]):
            own = self._event_after(lows, after)
            if own is not None and own[0] != hit[0]:
                return None
        return hit

    def _counting(self, lows: list[str], noun: str, hit: tuple[str, int] | None) -> tuple[str, int] | None:
        """``hit`` when its event counts ``noun`` (a metric exists): "has reached 1,580" counts no person."""
        return hit if hit is not None and self._metric(lows, noun, hit[0]) is not None else None

    def _event_in_clause(self, lows: list[str], k: int, noun: str) -> tuple[str, int] | None:
        """The nearest trigger before token ``k`` in its clause ("freed 18 hostages and hundreds of ...").

        An attribution aside does not end the clause: "the death toll, the ministry said on Monday, has
        risen to 42,289". A figure after a record noun ("released the names of 26 villagers it said were
        killed") is not the object of the verb before the record, nor is a figure after an infinitive of its
        own ("the arrests make it harder to reach millions of people") the object of a trigger before it."""
        if lows[k - 1 : k] == ["of"] and self._ctx["record_nouns"].ending_at(lows, k - 1):
            return None
        if self._infinitive_before(lows, k):
            return None
        while k > 0:
            if lows[k - 1] in CLAUSE_BREAKS:
                opened = self._before_attribution(lows, k - 1)
                if opened == k:
                    return None
                k = opened - 1  # before the comma that opens the aside
                continue
            hit = self.taxonomy.events.ending_at(lows, k)
            if hit is not None and self._metric(lows, noun, hit[0]) is not None:
                return hit[0], k - hit[1]  # ("the toll has reached 1,580": "reached" counts no person)
            k -= 1
        return None

    def _infinitive_before(self, lows: list[str], k: int) -> bool:
        """True when "to" and a verb that counts no one stand right before token ``k``: "to reach millions", "to
        feed 500,000". An adverb there ("rose to just 12", "to roughly 40") leaves "to" a preposition."""
        if k < 2 or lows[k - 2] != "to":
            return False
        word = lows[k - 1]
        return (
            word.isalpha()
            and not word.endswith("ly")
            and word not in _DEGREE_ADVERBS
            and self._ctx["function_words"].at(lows, k - 1) is None
            and self.taxonomy.events.at(lows, k - 1) is None
        )

    def _before_attribution(self, lows: list[str], comma: int) -> int:
        """The token after the comma that opens a speech aside closed by the comma at ``comma``, else ``comma + 1``."""
        if lows[comma] != ",":
            return comma + 1
        speech = self._ctx["speech_verbs"].firsts
        said = False
        for j in range(comma - 1, max(-1, comma - MAX_ASIDE_TOKENS), -1):
            if lows[j] == ",":
                return j + 1 if said else comma + 1
            if lows[j] in CLAUSE_BREAKS:
                break
            said = said or lows[j] in speech
        return comma + 1

    def _event_ahead(self, tokens: Tokens, k: int) -> tuple[str, int] | None:
        """The nearest trigger after token ``k`` in its clause, not past another number."""
        lows = tokens.lows
        for j in range(k, min(len(lows), k + _MAX_AHEAD_TOKENS)):
            if lows[j] in CLAUSE_BREAKS or tokens.kinds[j] == "num":
                return None
            hit = self.taxonomy.events.at(lows, j)
            if hit is not None:
                return hit[0], j
        return None

    def _figure(self, sentence: Sentence, q: Quantity, previous: Figure | None) -> Figure | None:
        tokens = sentence.tokens
        lows = tokens.lows
        first, last = q.tokens
        head = self._head(sentence.text, tokens, q)
        if previous is not None and head.kind != "noun" and lows[first - 2 : first] in _UP_FROM:
            # "rose to 1,200, up from 900 it reported on Thursday": the same series at an earlier date
            return Figure(q, previous.metric, previous.noun, previous.group, previous.trigger, earlier=True)
        if head.kind == "reject":
            return None
        noun = head.noun
        if head.kind == "partitive":
            if previous is None:
                return None
            noun = previous.noun
        if previous is not None and previous.denominator and head.kind == "empty":
            noun = previous.noun  # "Of the 251 people taken hostage, 59 remain in Gaza": 59 of the same
        after = head.end if head.kind != "empty" else max(last, head.end)
        predicate = None
        if head.event:  # past a person noun the event word modifies: "17 displaced people were killed"
            noun_after = self.taxonomy.nouns.at(lows, after)
            predicate = self._event_after(lows, after + (noun_after[1] if noun_after else 0))
        found = (
            # "20 displaced people were killed": a verb after the head is its predicate, over the noun's event
            # ("30 wounded were evacuated" stays wounded: being moved does not undo what the noun says)
            (predicate if predicate is not None and predicate[0] not in (head.event, "displace") else None)
            or ((head.event, first) if head.event else None)
            or self._before_unless_own_verb(lows, noun, first, after)
            or self._event_after(lows, after)
            or (self._event_after(lows, self._past_aside(tokens, after)) if head.kind == "noun" else None)
            # an apposition: "90% of Gaza's population, about 1.9 million people, has been displaced"
            or (
                self._event_after(lows, after + 1)
                if head.kind == "noun" and first > 0 and lows[first - 1] == "," and tokens.low(after) == ","
                else None
            )
        )
        if found is not None and found[1] == after and found[0] in _CAPTIVE_CLASS and head.kind == "noun":
            # "Eight people kidnapped from an orphanage, including a missionary, were released": the participle
            # says who they are (captives), the verb after it what happened to them
            main = self._main_verb(tokens, after + 1)
            if main is not None:
                noun = _CAPTIVE_CLASS[found[0]] if noun == "person" else noun
                found = main
            else:  # "the release of 50 hostages in exchange for 150 women held in Israeli jails": released too
                found = self._swapped_release(sentence, first) or found
        if found is None and head.kind == "noun" and tokens.low(after) == "among" and after + 1 < len(lows):
            # "3 journalists among 11 killed in the strike": the part before its whole shares the whole's verb
            found = self._event_after(lows, after + 2) if tokens.kinds[after + 1] == "num" else None
        if found is None and head.kind == "noun" and first > 0 and head.end < len(lows):
            # "took 400 troops prisoner", "had taken 12 villagers hostage": the verb and its complement around
            # the counted phrase make one trigger ("taken prisoner")
            split = self.taxonomy.events.at([lows[first - 1], lows[head.end]], 0)
            found = (split[0], first - 1) if split is not None and split[1] == 2 else None
        relative = head.kind == "partitive" and lows[head.end - 2 : head.end] == ["of", "whom"]
        if found is None and relative:
            # "35 of whom officials believe are dead": the relative clause carries the part's own predicate;
            # the part still shares the whole's period
            found = self._event_ahead(tokens, head.end)
        included = self._ctx["inclusions"].ending_at(lows, first) is not None or (
            # "including 50 children and 94 women": every member of the list is a part
            previous is not None
            and previous.part
            and lows[first - 1] in ("and", ",")
            and not breaks(lows, previous.quantity.tokens[1], first)
        )
        if head.kind == "partitive" and found is None and head.group is None and q.value == 1:
            return None  # "three men, one of them a Hezbollah member": one person described, not a figure
        own_part = previous is not None and included and head.kind == "empty" and found is not None and found[1] > first
        if own_part and previous is not None:
            noun = previous.noun  # "59 remain in Gaza, including 35 believed dead": a part with its own predicate
        if head.kind == "partitive" and found is None and self._own_predicate(sentence, after):
            return None  # "2,900 bodies have been collected, and about 2,000 of them have been buried"
        if previous is not None and found is None and (included or head.kind == "partitive"):
            # a part is of the whole's group unless it names its own: "9,700 Palestinians, 3,300 of them ..."
            group = head.group or (previous.group if head.kind in ("partitive", "empty") else None)
            whole = previous.whole if previous.part else previous.group
            return Figure(q, previous.metric, previous.noun, group, previous.trigger, part=True, whole=whole)
        if found is None:
            found = self._event_in_clause(lows, first, noun)
        if found is None and previous is not None and head.kind == "noun" and head.explicit:
            # "killed two men, a woman and three children", "killed 11 women, 8 children and 3 men": a member of a
            # list of counted nouns shares the verb of its first member (not one with a verb of its own: "With the
            # release of three men, 73 hostages remain")
            own_verb = tokens.low(head.end) in _FINITE_AUXILIARIES or tokens.low(head.end) in _STATE_VERBS
            found = None if own_verb else self._listed(sentence, previous, first)
        if (
            previous is not None
            and head.kind == "empty"
            and (found is None or found[1] <= previous.trigger)
            and _elliptical(lows, last)
        ):  # no trigger of its own between the previous figure and this one: "and 1,109 since 7 October"
            return Figure(q, previous.metric, previous.noun, previous.group, previous.trigger)
        if found is None and head.kind == "noun":
            found = self._event_ahead(tokens, head.end)
        if found is None and lows[first - 1 : first] == [":"] and first > 1:
            # a figure under a label: "Killed: 46,600", "Death toll: 12", "Injured: 110,000"
            label = self.taxonomy.events.ending_at(lows, first - 1)
            at = first - 1 - label[1] if label is not None else -1
            if label is not None and (at == 0 or lows[at - 1] in CLAUSE_BREAKS or lows[at - 1] == "."):
                found = (label[0], at)
                noun = noun or "person"
            label_span = labelled(sentence, first)
            if found is None and label_span is not None:
                found = self._lists.label_trigger(lows, label_span)  # "• Total number of martyrs: 992"
        if found is None and head.kind == "empty" and not (previous is not None and previous.denominator):
            return None
        event, trigger = found if found is not None else (None, first)
        if found is not None and self._ctx["figurative"].find(lows, max(0, trigger - 3), trigger):
            return None  # "four million people are practically being held hostage by gangs"
        if head.subset and event == "hold":
            # "35 of the hostages still held in Gaza are dead": "held" describes the whole, the
            # predicate of the part comes later in the clause
            later = self._event_ahead(tokens, trigger + 1)
            while later is not None and later[0] == "hold":  # "still held": skip the rest of the phrase
                later = self._event_ahead(tokens, later[1] + 1)
            if later is not None and later[0] == "kill":
                event, trigger = later
        if event == "hold" and noun == "person" and tokens.low(head.end) in ("captive", "hostage", "hostages"):
            noun = "hostage"  # "holding 23 passengers captive"
        if noun == "person" and event in ("release", "return"):
            noun = self._released_class(sentence, first, trigger) or noun
        metric = self._metric(lows, noun, event)
        if metric is None:
            return None
        group = head.group
        if (
            previous is not None
            and (not head.explicit or lows[head.end - 1] == "others")  # "killed seven civilians and injured 29 others"
            and not breaks(lows, previous.quantity.tokens[1], first)
            and lows[first - 1] != "among"  # "3 journalists among 11 killed": the 11 are not all journalists
        ):
            # "at least 3,961 people have been killed and 16,520 wounded": group and hedge carry over; past a
            # part, the whole's group ("killed 56 people (including 17 children) and wounded 130")
            group = previous.whole if previous.part else previous.group
            hedge = previous.quantity.interval
            if lows[first - 1] == "and" and q.interval == "exact" and hedge not in ("exact", "range", "vague", "about"):
                q = self.numbers.with_interval(q, hedge)
        if group is None and head.kind == "empty" and trigger < first:
            # "the Palestinian death toll ... has risen to 42,289", "the number of journalists killed ... stands
            # at 254": the group is named right before the trigger the bare number reports
            named = self.taxonomy.group_nouns.ending_at(lows, trigger) or self.taxonomy.group_adjectives.ending_at(
                lows, trigger
            )
            group = named[0] if named else None
        # "verified 30,400 civilian casualties, 10,500 killed and 19,800 injured": a breakdown of the casualties
        breakdown = previous is not None and metric in _BREAKDOWN and self._breakdown(lows, previous, first)
        part = (relative or own_part or breakdown) and previous is not None
        whole = previous.group if part and previous else None
        if first == 2 and lows[:2] == ["of", "the"] and clause_of(lows, first, last)[1] < len(lows):
            # "Of the 251 people taken hostage on Oct. 7, 59 remain": the whole the next figure is part of
            noun = "hostage" if metric.startswith("hostages") else noun
            return Figure(q, metric, noun, group, trigger, denominator=True)
        return Figure(q, metric, noun, group, trigger, part=part, whole=whole)

    @staticmethod
    def _breakdown(lows: list[str], previous: Figure, first: int) -> bool:
        """True when the figure at ``first`` opens a breakdown of the casualties figure right before it: "30,400
        civilian casualties, 10,500 killed and 19,800 injured", "casualties - 3,381 killed", or a member of it."""
        end = previous.quantity.tokens[1]
        if previous.metric in _BREAKDOWN and previous.part:
            return lows[first - 1] == "and" and first - end <= 3  # "... and 19,800 injured"
        return (
            previous.metric == "casualties"
            and lows[first - 1] in (",", "-", "—", "–", ":", "(")
            and first - end <= _MAX_NP_TOKENS + 3  # "7,000 civilian casualties in Ukraine - 3,300 killed"
            and not {"casualties", "casualty"}.isdisjoint(lows[end : first - 1])
        )

    def _listed(self, sentence: Sentence, previous: Figure, first: int) -> tuple[str, int] | None:
        """The trigger of ``previous`` when only a list of counted nouns parts it from the figure at ``first``: after
        the previous noun phrase a comma, then only "and", commas, articles and nouns ("two men, a woman and")."""
        lows, tx = sentence.tokens.lows, self.taxonomy
        event = tx.events.at(lows, previous.trigger)
        lo = previous.quantity.tokens[1]
        if event is None or previous.trigger > lo or lows[first - 1] not in (",", "and"):
            return None
        if first - lo > 3 * _MAX_NP_TOKENS:
            return None
        k = lo
        while k < first and lows[k] not in CLAUSE_BREAKS and lows[k] != "and":  # the previous noun phrase
            if lows[k] in _FINITE_AUXILIARIES or tx.events.at(lows, k) is not None:
                return None  # it has a predicate of its own
            k += 1
        while k < first:
            nouns = (tx.nouns.at(lows, k), tx.group_nouns.at(lows, k), tx.group_adjectives.at(lows, k))
            size = max((n[1] for n in nouns if n), default=0)
            size = 1 if lows[k] in _LIST_WORDS or lows[k] in tx.modifiers else size
            if not size:
                return None
            k += size
        return event[0], previous.trigger

    def _swap(self, sentence: Sentence) -> tuple[int, ...]:
        """The (start, end) of the words that join the two sides of a swap ("in exchange for"), else (); once per
        sentence."""
        swap = sentence.memo.get("swap")
        if not isinstance(swap, tuple):
            lows = sentence.tokens.lows
            hit = self._ctx["exchange"].find(lows, 0, len(lows))
            swap = sentence.memo["swap"] = (hit[1], hit[1] + hit[2]) if hit is not None else ()
        return swap

    def _swapped_release(self, sentence: Sentence, first: int) -> tuple[str, int] | None:
        """The release before a swap, for a figure that opens its other side: "freed 50 hostages in exchange for
        150 women held in Israeli jails" releases the 150 too, whose own participle only says who they are."""
        swap = self._swap(sentence)
        if not swap or not 0 <= first - swap[1] <= 1:
            return None
        events = self.taxonomy.events
        for k in range(swap[0], 0, -1):
            hit = events.ending_at(sentence.tokens.lows, k)
            if hit is not None and hit[0] == "release":
                return hit[0], k - hit[1]
        return None

    def _released_class(self, sentence: Sentence, first: int, trigger: int) -> str | None:
        """"hostage" or "prisoner" for people released, when who releases them or the swap says which, else None
        (the sentence's own words decide, in :meth:`_metric`).

        A release by an armed group is of hostages: "Hamas freed four Israeli women soldiers", "12 were freed by
        gunmen". In a swap the released on one side are of the other class than those named on the other side:
        "Israel freed 369 Palestinians in exchange for three hostages" are prisoners."""
        lows = sentence.tokens.lows
        captors = self._ctx["captors"]
        swap = self._swap(sentence)
        own = min(len(lows), first + _MAX_AHEAD_TOKENS, swap[0] if swap and swap[0] > first else len(lows))
        subject = trigger < first and captors.find(lows, max(0, trigger - _MAX_AUX_TOKENS), trigger) is not None
        agent = any(lows[k] == "by" and captors.at(lows, k + 1) for k in range(max(first, trigger), own))
        # "Hamas freed three hostages in exchange for 369 Palestinians": the verb's object is before the swap
        across = bool(swap) and trigger < swap[0] <= first
        if (subject and not across) or agent:
            return "hostage"
        if not swap:
            return None
        return "prisoner" if subject else self._against(sentence, after_swap=first < swap[0])

    def _against(self, sentence: Sentence, after_swap: bool) -> str | None:
        """The class of the people released against those named on one side of the swap: prisoners against hostages
        or against people an armed group holds ("held by Hamas"), hostages against prisoners; once per side."""
        key = f"against:{after_swap}"
        if key not in sentence.memo:
            lows, swap = sentence.tokens.lows, self._swap(sentence)
            side = lows[swap[1] :] if after_swap else lows[: swap[0]]
            captors = self._ctx["captors"].find(side, 0, len(side)) is not None
            hostages, prisoners = not self._hostage_words.isdisjoint(side), not self._prisoner_words.isdisjoint(side)
            sentence.memo[key] = "prisoner" if hostages or captors else "hostage" if prisoners else None
        found = sentence.memo[key]
        return found if isinstance(found, str) else None

    def _own_predicate(self, sentence: Sentence, k: int) -> bool:
        """True when auxiliaries at token ``k`` lead to a verb that counts no one ("of them have been buried");
        "five of them were women" names a group, which is not a predicate of its own."""
        tokens, lows = sentence.tokens, sentence.tokens.lows
        aux = self._ctx["auxiliaries"]
        verb = k < len(lows) and lows[k] in _FINITE_AUXILIARIES
        step = aux.at(lows, k) if verb else None
        if step is None:
            return False  # "3,300 of them in administrative detention" has no verb of its own
        while step is not None:
            k += step[1]
            step = aux.at(lows, k)
        if k >= len(lows) or tokens.kinds[k] != "word":
            return False
        tx = self.taxonomy
        return tx.group_adjectives.at(lows, k) is None and self._noun_at(sentence.text, tokens, k, None) is None

    def _metric(self, lows: list[str], noun: str, event: str | None) -> str | None:
        if noun == "person" and event in ("release", "return"):
            # "released three Israeli women": hostages when the sentence says so, else prisoners; people who
            # "returned" are released only when the sentence is about hostages or prisoners (not returnees)
            hostages = not self._hostage_words.isdisjoint(lows)
            if event == "return" and not hostages and self._prisoner_words.isdisjoint(lows):
                return None
            noun = "hostage" if hostages else "prisoner"
        if noun == "truck" and _AID_WORDS.isdisjoint(lows):
            return None
        if noun == "truck" and event == "displace":
            event = "enter"  # "950 aid trucks crossed into the Gaza Strip": trucks cross, people are displaced
        return self.taxonomy.signatures.get((noun, event))

    # -- the claim ----------------------------------------------------------------------------

    def _claim(self, sentence: Sentence, figures: list[Figure], n: int, previous: Claim | None) -> Claim:
        figure = figures[n]
        q = figure.quantity
        item, tokens = sentence.context.item, sentence.tokens
        lows = tokens.lows
        first, last = q.tokens
        front = sentence.memo.get("front", 0)
        front = front if isinstance(front, int) else 0
        segment = (
            figures[n - 1].quantity.tokens[1] if n else front,
            figures[n + 1].quantity.tokens[0] if n + 1 < len(figures) else len(lows),
        )
        clause = clause_of(lows, first, last)
        label_span = labelled(sentence, first)
        if label_span is not None:
            clause = (label_span[0], clause[1])  # "Total deaths since 7 October: 1,234": the label is its clause
        resume = self._past_aside(tokens, clause[1])
        if resume != clause[1]:  # "120 aid workers, most of them Sudanese, have been killed since ...": one clause
            clause = (clause[0], clause_of(lows, resume, resume)[1])
        # "... had killed 2 people in the south and that 83 had been killed since the truce began": a cue
        # past the next figure belongs to that figure
        two_reports = n + 1 < len(figures) and "that" in lows[first : segment[1]]
        own = (clause[0], min(clause[1], segment[1])) if two_reports else clause
        modality = "planned" if self._planned(lows, figure.trigger, first) else "reported"
        basis = self._bases.basis(sentence, figure, own, modality == "planned")
        if basis == "incident" and label_span is not None and "heading" not in sentence.memo:
            basis = self._bases.label_basis(sentence, figure, clause)  # "Palestinians killed in Gaza: 35,000+"
        # a day past an earlier figure of the series is that figure's ("rose to 1,200, up from 900 it reported on
        # Thursday"); past a coordinated figure it is shared ("killed two and wounded 16 on Saturday")
        own_end = next((f.quantity.tokens[0] for f in figures[n + 1 :] if f.earlier), len(lows))
        as_of = (
            _as_of(sentence, segment, front, own_end)
            or (
                # "the toll from Sunday's strike rose to 12": the incident's day is the figure's period
                basis == "incident" and _incident_day(sentence)
            )
            or sentence.context.published
        )
        start = self.gazetteer.conflicts[sentence.conflict].start
        if as_of.isoformat()[4:] == start[4:] and as_of.isoformat() != start and self._names_the_start(sentence):
            as_of = date.fromisoformat(start)  # "in the October 7 attack" (no year): the day the conflict began
        cumulative = self.taxonomy.metrics[figure.metric].kind == "cumulative"
        if basis == "total" and cumulative and as_of.isoformat() == start:
            as_of = sentence.context.published  # a running total is not as of the day it began: that day is its start
        if "after" in lows:  # "the toll passed 49,500 on Wednesday, a day after strikes killed 400": the day before
            back = _days_after(lows, segment[0], first)
            as_of = days_before(as_of, back) if back else as_of
        since = None
        if basis == "total":
            # "700,000 displaced since the start of the year, OCHA said, bringing the total to 4.6 million":
            # a since-phrase in the previous figure's clause is that figure's, not this one's
            # (of the previous number, even one that is no figure: "600,000 returned home since December")
            previous_end = 0
            for number in reversed(sentence.numbers):
                if number.tokens[1] <= clause[0]:
                    previous_end = min(clause_of(lows, *number.tokens)[1], clause[0])
                    break
            window = (max(segment[0], previous_end), segment[1])
            since = self._bases.since(sentence, window, own)
        if previous is not None and (
            figure.earlier
            or (figure.part and not self._bases.incident_cue(sentence, *clause))
            or (
                # "... killed 75 worshippers, and the network later put the toll at 78": a second count
                # "the toll from Saturday's strike rose to 45, with 20 people still missing": the strike's missing
                (previous.metric == figure.metric or (figure.metric == "missing" and previous.metric == "killed"))
                and previous.basis == "incident"
                and not self._ctx["strong_total"].find(lows, clause[0], clause[1])
            )
        ):
            basis, since = previous.basis, previous.since
        heading = sentence.memo.get("heading")
        if isinstance(heading, Heading) and not self._bases.increment(sentence, last, clause[1]):
            # a list's heading sets the basis (not of an increment: "Note: 96 martyrs have been added to ..."); an
            # entry's own stated start beats the heading's
            own_start = basis == "total" and any(clause[0] <= d.i < clause[1] for d in sentence.start_dates)
            basis = heading.basis
            since = (since if own_start else heading.since) if basis == "total" else None
            as_of = heading.as_of or as_of
        if modality == "reported" and basis == "total" and cumulative:
            q = self.numbers.rounded(q)  # "death toll hits 20,000" is rounded (qualifiers.json "rounding")
        readable = sentence.context.readable
        span = (readable.start_in_body(sentence.offset + q.start), readable.end_in_body(sentence.offset + q.end))
        key = (sentence.context.key, str(span), sentence.conflict, figure.metric, f"{q.low}", f"{q.high}")
        return Claim(
            claim_id=hashlib.sha256("\x1f".join(key).encode()).hexdigest(),
            item_id=item.id,
            outlet=item.outlet,
            url=item.url,
            published_at=item.published_at,
            sentence=sentence.text,
            span=span,
            conflict=sentence.conflict,
            metric=figure.metric,
            # "a million Haitians" in Haiti narrows nothing; "9,700 Palestinians" in the Gaza war does
            group=None if figure.group in self.gazetteer.population.get(sentence.conflict, ()) else figure.group,
            place=place_of(
                self.gazetteer,
                sentence,
                (first, min(segment[1], clause[1])),
                segment,
                basis=basis,
                cumulative=self.taxonomy.metrics[figure.metric].kind == "cumulative",
                displaced=figure.metric == "displaced",
            ),
            value=q.value,
            low=q.low,
            high=q.high,
            qualifier=q.qualifier,
            modality=modality,
            basis=basis,
            attributed_to=self._named_source(sentence, self._source(sentence, first, last, clause)),
            as_of=as_of.isoformat(),
            since=since,
            revision=sentence.revision,
            target=self._target(sentence, lows, clause, first, basis) if modality == "reported" else None,
        )

    def _target(
        self, sentence: Sentence, lows: list[str], clause: tuple[int, int], first: int, basis: str
    ) -> str | None:
        """What the figure's event hit, or ``day`` for a day's toll (streams/extraction/target.py); an entry of a
        list under "In the past 24 hours:" is the day's toll its heading names."""
        found = self._targets.of(sentence.conflict, lows, clause, first, basis)
        heading = sentence.memo.get("heading")
        if found is None and basis == "incident" and isinstance(heading, Heading):
            words = list(heading.words)
            found = self._targets.of(sentence.conflict, words, (0, len(words)), 0, basis)
        return found

    def _names_the_start(self, sentence: Sentence) -> bool:
        """True when a yearless day names an attack: "the October 7 attack", "the Oct. 7 attacks"."""
        lows = sentence.tokens.lows
        return any(
            d.precision == DAY and not _year_in(lows, d) and sentence.tokens.low(d.j) in _ATTACK_NOUNS
            for d in sentence.dates
        )

    def _planned(self, lows: list[str], trigger: int, first: int) -> bool:
        planned = self._ctx["planned"]
        lo = max(0, min(trigger, first) - 4)
        return planned.find(lows, lo, max(trigger, lo)) is not None or (
            trigger < len(lows) - 1 and lows[trigger - 1 : trigger + 1] == ["for", "release"]
        )
