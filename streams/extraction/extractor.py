"""The claim extractor: turns one news item into the figures it states about known conflicts.

Pure and deterministic: no I/O after construction, no global mutable state. Per sentence that
contains a digit or a number word, each quantity found by :mod:`streams.numbers` is read as a
figure when its noun phrase is a counted group ("18 hostages", "hundreds of Palestinian prisoners")
or it stands next to a trigger ("killed 12", "12 were killed", "the death toll rose to 46,645").
The noun class and the trigger's event pick the metric; the words around it give the modality,
basis (total or incident), source, dates and revision flag. All vocabulary is in
``streams/data/taxonomy.json`` and ``streams/data/gazetteer.json``.

Work is bounded: only the first :data:`MAX_BODY_CHARS` characters of a body and the first
:data:`MAX_SENTENCE_CHARS` of a sentence are read, and every step is linear in what is read.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from streams._exceptions import InputError
from streams.claims import Claim
from streams.extraction.dates import DAY, YEAR, DateExpr, find_dates
from streams.extraction.vocabulary import Gazetteer, Taxonomy, load_gazetteer, load_taxonomy
from streams.items import NewsItem, parse_timestamp
from streams.numbers import NUMBER_WORDS, NumberParser, Quantity, Tokens, default_parser

MAX_BODY_CHARS = 100_000
"""Longer bodies are cut here: wire reports are 1-10 KB, and the cap bounds the work per item."""
MAX_SENTENCE_CHARS = 2_000
"""Longer "sentences" are lists or tables, not prose; only their start is read."""

_SENTENCE_END = re.compile(r"[.!?]+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9])|\n\s*")
_CANDIDATE = re.compile(r"\d|\b(?:" + "|".join(sorted(NUMBER_WORDS)) + r")\b", re.IGNORECASE)
_CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", '"', "“", "”"})
_TRAILING_SOURCE_END = frozenset({".", ",", ";", ""})
_AID_WORDS = frozenset({"aid", "humanitarian", "relief", "food", "supplies"})
_MAX_NP_TOKENS = 5
_MAX_AUX_TOKENS = 6
_MAX_SOURCE_TOKENS = 9
_SOURCE_STOPS = frozenset({"that", "which", "who", "as", "while", "but", "when", "after", "and", "it", "in"})


@dataclass(frozen=True, slots=True)
class _Head:
    """The noun phrase after a number: its class, the event it carries, its group, where it ends."""

    kind: str  # noun, empty, partitive, reject
    noun: str = "person"
    event: str | None = None
    group: str | None = None
    end: int = 0


@dataclass(frozen=True, slots=True)
class _Figure:
    quantity: Quantity
    metric: str
    noun: str
    group: str | None
    trigger: int  # token index of the trigger, or of the head noun


class Extractor:
    """Extracts :class:`~streams.claims.Claim` objects from news items with one vocabulary."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy, numbers: NumberParser) -> None:
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self.numbers = numbers
        self._order = {slug: n for n, slug in enumerate(gazetteer.conflicts)}
        self._ctx = taxonomy.context

    @classmethod
    def from_files(cls, user_gazetteer: Path | None = None) -> Extractor:
        """The extractor over the shipped vocabulary, with ``user_gazetteer`` merged in when given."""
        return cls(load_gazetteer(user_gazetteer), load_taxonomy(), default_parser())

    # -- item level ---------------------------------------------------------------------------

    def extract(self, item: NewsItem) -> list[Claim]:
        """The claims ``item`` states; none when it is about no known conflict."""
        if not isinstance(item.body, str) or not isinstance(item.title, str):
            raise InputError(f"item {item.id!r}: title and body must be strings")
        try:
            published = parse_timestamp(item.published_at).date()
        except (ValueError, AttributeError, TypeError) as exc:
            raise InputError(f"item {item.id!r}: bad published_at {item.published_at!r}") from exc
        body = item.body[:MAX_BODY_CHARS]
        dominant = self._dominant(Counter(self._conflicts_in(item.title + "\n" + body)))
        if dominant is None:
            return []
        claims: list[Claim] = []
        start = 0
        for match in _SENTENCE_END.finditer(body):
            claims.extend(self._sentence(item, published, body, start, match.start() + 1, dominant))
            start = match.end()
        claims.extend(self._sentence(item, published, body, start, len(body), dominant))
        return claims

    def _conflicts_in(self, text: str) -> list[str]:
        return [slug for _, phrase in self.gazetteer.scan(text) for slug in self.gazetteer.terms[phrase][0]]

    def _dominant(self, counts: Counter[str]) -> str | None:
        if not counts:
            return None
        return min(counts, key=lambda slug: (-counts[slug], self._order[slug]))

    def _sentence(
        self, item: NewsItem, published: date, body: str, start: int, end: int, dominant: str
    ) -> list[Claim]:
        end = min(end, start + MAX_SENTENCE_CHARS)
        sentence = body[start:end].rstrip()
        if not _CANDIDATE.search(sentence):
            return []
        tokens = Tokens(sentence)
        lows = tokens.lows
        if self._ctx["not_conflict"].find(lows, 0, len(lows)):
            return []
        dates = find_dates(tokens, published)
        in_date = {k for d in dates for k in range(d.i, d.j)}
        quantities = [
            q
            for q in self.numbers.quantities_in(tokens)
            if not in_date.intersection(range(*q.tokens)) and self._is_count(tokens, q)
        ]
        if not quantities:
            return []
        sentence_conflicts = Counter(self._conflicts_in(sentence))
        conflict = dominant
        if sentence_conflicts and dominant not in sentence_conflicts:
            conflict = self._dominant(sentence_conflicts) or dominant
        figures: list[_Figure] = []
        for q in quantities:
            figure = self._figure(tokens, q, figures[-1] if figures else None)
            if figure is not None:
                figures.append(figure)
        revision = self._ctx["revision"].find(lows, 0, len(lows)) is not None
        claims = []
        for n, figure in enumerate(figures):
            claims.append(
                self._claim(item, published, sentence, start, tokens, dates, figures, n, conflict, revision)
            )
        return claims

    # -- is this number a count of people? ----------------------------------------------------

    def _is_count(self, tokens: Tokens, q: Quantity) -> bool:
        if q.value < 1:
            return False
        first, last = q.tokens
        lows = tokens.lows
        before = tokens.low(first - 1)
        if self._ctx["not_count_before"].ending_at(lows, first) or before in ("-", "#", "/"):
            return False
        after = tokens.low(last)
        if self._ctx["not_count_after"].at(lows, last) or after in ("%", "/", ":"):
            return False
        if after == "-" and tokens.kinds[last + 1 : last + 2] == ["word"]:
            return False  # "12-year-old", "three-phase", "1,200-kilometre"
        digits = tokens.lows[first] if q.qualifier == "exact" and last - first == 1 else ""
        return not (digits.isdigit() and len(digits) == 4 and 1900 <= int(digits) <= 2100)

    # -- metric -------------------------------------------------------------------------------

    def _head(self, tokens: Tokens, q: Quantity) -> _Head:
        tx = self.taxonomy
        lows = tokens.lows
        j = q.tokens[1]
        if q.vague and tokens.low(j) == "of":
            j += 1
        partitive = self._ctx["partitives"].at(lows, j)
        if partitive is not None:
            return _Head("partitive", end=j + partitive[1])
        adjective: str | None = None
        for _ in range(_MAX_NP_TOKENS):
            if j >= len(lows):
                return _Head("empty", end=j)
            group = tx.group_nouns.at(lows, j)
            if group is not None:
                event = tx.noun_events.at(lows, j + group[1])
                end = j + group[1] + (event[1] if event else 0)
                return _Head("noun", "person", event[0] if event else None, group[0], end)
            noun = tx.nouns.at(lows, j)
            event = tx.noun_events.at(lows, j)
            if noun is not None or event is not None:
                size = max(noun[1] if noun else 0, event[1] if event else 0)
                return _Head(
                    "noun", noun[0] if noun else "person", event[0] if event else None, adjective, j + size
                )
            adjective_hit = tx.group_adjectives.at(lows, j)
            if adjective_hit is not None:
                adjective = adjective_hit[0]
                j += adjective_hit[1]
                continue
            if lows[j] in tx.modifiers:
                j += 1
                continue
            if tokens.kinds[j] == "word" and not self._ctx["function_words"].at(lows, j):
                return _Head("reject", end=j)
            return _Head("empty", end=j)
        return _Head("reject", end=j)

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

    def _event_in_clause(self, lows: list[str], k: int) -> tuple[str, int] | None:
        while k > 0 and lows[k - 1] not in _CLAUSE_BREAKS:
            hit = self.taxonomy.events.ending_at(lows, k)
            if hit is not None:
                return hit[0], k - hit[1]
            k -= 1
        return None

    def _figure(self, tokens: Tokens, q: Quantity, previous: _Figure | None) -> _Figure | None:
        lows = tokens.lows
        first, last = q.tokens
        head = self._head(tokens, q)
        if head.kind == "reject":
            return None
        included = self._ctx["inclusions"].ending_at(lows, first) is not None
        noun = head.noun
        if head.kind == "partitive":
            if previous is None:
                return None
            noun = previous.noun
        found: tuple[str, int] | None = (head.event, first) if head.event else None
        found = (
            found
            or self._event_before(lows, first)
            or self._event_after(lows, head.end if head.kind != "empty" else last)
        )
        if found is None and (head.kind != "empty" or previous is None):
            found = self._event_in_clause(lows, first)
        if found is None and previous is not None and (included or head.kind == "partitive"):
            return _Figure(q, previous.metric, previous.noun, head.group, previous.trigger)
        if found is None and previous is not None and head.kind == "empty" and self._elliptical(lows, last):
            return _Figure(q, previous.metric, previous.noun, head.group or previous.group, previous.trigger)
        if head.kind == "empty" and found is None:
            return None
        event, trigger = found if found is not None else (None, first)
        metric = self._metric(lows, noun, event)
        if metric is None:
            return None
        return _Figure(q, metric, noun, head.group, trigger)

    def _elliptical(self, lows: list[str], last: int) -> bool:
        """True for "1,109 since 7 October 2023": a bare number that continues the previous figure."""
        after = lows[last] if last < len(lows) else ""
        return after in _TRAILING_SOURCE_END or after in ("since", "in", "so", "this", "during", "over")

    def _metric(self, lows: list[str], noun: str, event: str | None) -> str | None:
        signatures = self.taxonomy.signatures
        if noun == "person" and event == "release":
            # "released three Israeli women": who was released is said by the sentence's other nouns.
            classes = {self.taxonomy.nouns.at(lows, k) for k in range(len(lows))}
            noun = (
                "hostage" if ("hostage", 1) in classes else "prisoner" if ("prisoner", 1) in classes else noun
            )
        if noun == "truck" and _AID_WORDS.isdisjoint(lows):
            return None
        return signatures.get((noun, event))

    # -- the claim ----------------------------------------------------------------------------

    def _clause(self, lows: list[str], first: int, last: int) -> tuple[int, int]:
        lo = first
        while lo > 0 and lows[lo - 1] not in _CLAUSE_BREAKS:
            lo -= 1
        hi = last
        while hi < len(lows) and lows[hi] not in _CLAUSE_BREAKS:
            hi += 1
        return lo, hi

    def _claim(
        self,
        item: NewsItem,
        published: date,
        sentence: str,
        offset: int,
        tokens: Tokens,
        dates: list[DateExpr],
        figures: list[_Figure],
        n: int,
        conflict: str,
        revision: bool,
    ) -> Claim:
        figure = figures[n]
        q = figure.quantity
        lows = tokens.lows
        first, last = q.tokens
        seg_lo = figures[n - 1].quantity.tokens[1] if n else 0
        seg_hi = figures[n + 1].quantity.tokens[0] if n + 1 < len(figures) else len(lows)
        clause = self._clause(lows, first, last)
        # dates inside a since-phrase (the clause after "since") are starts, not the as-of day
        since_at = [k for k in range(len(lows)) if lows[k] == "since"]
        start_dates = [d for d in dates if any(k < d.i and not self._breaks(lows, k, d.i) for k in since_at)]
        basis = self._basis(lows, q, figure, clause, seg_lo, seg_hi, dates)
        as_of = self._as_of(dates, start_dates, seg_lo, seg_hi) or published
        since = None
        if basis == "total":
            since = self._since(lows, dates, start_dates, seg_lo, seg_hi, clause, published, conflict)
        place = self._place(sentence, tokens, seg_lo, seg_hi)
        modality = "planned" if self._planned(lows, figure.trigger, first) else "reported"
        span = (offset + q.start, offset + q.end)
        digest = hashlib.sha256(
            "\x1f".join(
                (item.id, item.content_hash, str(span), conflict, figure.metric, str(q.low), str(q.high))
            ).encode()
        ).hexdigest()
        return Claim(
            claim_id=digest,
            item_id=item.id,
            outlet=item.outlet,
            url=item.url,
            published_at=item.published_at,
            sentence=sentence,
            span=span,
            conflict=conflict,
            metric=figure.metric,
            group=figure.group,
            place=place,
            value=q.value,
            low=q.low,
            high=q.high,
            qualifier=q.qualifier,
            modality=modality,
            basis=basis,
            attributed_to=self._source(sentence, tokens, first, clause),
            as_of=as_of.isoformat(),
            since=since,
            revision=revision,
        )

    @staticmethod
    def _breaks(lows: list[str], lo: int, hi: int) -> bool:
        return any(lows[k] in (";", ":", "—") or lows[k] == "," and k + 1 < hi for k in range(lo, hi))

    def _basis(
        self,
        lows: list[str],
        q: Quantity,
        figure: _Figure,
        clause: tuple[int, int],
        seg_lo: int,
        seg_hi: int,
        dates: list[DateExpr],
    ) -> str:
        ctx = self._ctx
        first, last = q.tokens
        if ctx["incident_local"].ending_at(lows, first) or (last < len(lows) and lows[last] == "more"):
            return "incident"
        lo, hi = min(clause[0], seg_lo), max(clause[1], seg_hi)
        if ctx["total"].find(lows, lo, hi):
            return "total"
        if any(d.precision == YEAR and lo <= d.i < hi and lows[d.i - 1] == "in" for d in dates):
            return "total"  # "in 2026"
        if ctx["incident"].find(lows, 0, len(lows)):
            return "incident"
        if self.taxonomy.metrics[figure.metric].kind == "stock":
            return "total"
        if ctx["perfect"].find(lows, lo, hi):
            return "total"
        return "incident"

    @staticmethod
    def _as_of(dates: list[DateExpr], start_dates: list[DateExpr], lo: int, hi: int) -> date | None:
        days = [d for d in dates if d.precision == DAY and d not in start_dates]
        local = [d for d in days if lo <= d.i < hi]
        chosen = (local or days)[:1]
        return chosen[0].value if chosen else None

    def _since(
        self,
        lows: list[str],
        dates: list[DateExpr],
        start_dates: list[DateExpr],
        seg_lo: int,
        seg_hi: int,
        clause: tuple[int, int],
        published: date,
        conflict: str,
    ) -> str:
        default = self.gazetteer.conflicts[conflict].start
        for lo, hi in ((seg_lo, seg_hi), (min(clause[0], seg_lo), max(clause[1], seg_hi))):
            for d in start_dates:
                if lo <= d.i < hi:
                    return d.value.isoformat()
            if any(lows[k] == "since" for k in range(lo, hi)):
                return default
            for d in dates:
                if d.precision == YEAR and lo <= d.i < hi and lows[d.i - 1] == "in":
                    return d.value.isoformat()
            for k in range(lo, hi - 1):
                if lows[k] == "this" and lows[k + 1] == "year":
                    return date(published.year, 1, 1).isoformat()
        return default

    def _planned(self, lows: list[str], trigger: int, first: int) -> bool:
        planned = self._ctx["planned"]
        lo = max(0, min(trigger, first) - 4)
        return planned.find(lows, lo, max(trigger, lo)) is not None or (
            trigger < len(lows) - 1 and lows[trigger - 1 : trigger + 1] == ["for", "release"]
        )

    def _place(self, sentence: str, tokens: Tokens, lo: int, hi: int) -> str | None:
        lo_char = tokens.starts[lo] if lo < len(tokens) else len(sentence)
        hi_char = tokens.starts[hi] if hi < len(tokens) else len(sentence)
        for scope in ((lo_char, hi_char), (0, len(sentence))):
            for at, phrase in self.gazetteer.scan(sentence[scope[0] : scope[1]]):
                place = self.gazetteer.terms[phrase][1]
                before = sentence[max(0, scope[0] + at - 12) : scope[0] + at].lower().split()
                if (
                    place is not None
                    and before
                    and before[-1] in ("in", "across", "near", "inside", "on", "at")
                ):
                    return place
                if (
                    place is not None
                    and before[-2:-1] == ["in"]
                    and before[-1] in ("the", "occupied", "northern")
                ):
                    return place
        return None

    # -- attribution --------------------------------------------------------------------------

    def _source(self, sentence: str, tokens: Tokens, first: int, clause: tuple[int, int]) -> str | None:
        lows = tokens.lows
        ctx = self._ctx
        # "presumed dead by Israel": only within the figure's own clause
        for k in range(first, clause[1] - 1):
            if lows[k] == "by" and ctx["by_verbs"].find(lows, max(first, k - 3), k):
                return self._phrase_after(sentence, tokens, k + 1)
        for k in range(len(lows) - 1):
            if lows[k] == "according" and lows[k + 1] == "to":
                return self._phrase_after(sentence, tokens, k + 2)
        best: str | None = None
        for k in range(len(lows)):
            verb = ctx["speech_verbs"].at(lows, k)
            if verb is None or (k and lows[k - 1] in ("been", "be", "was", "were", "is", "are")):
                continue  # "no casualties were reported" is not a source
            if k < first:  # "the ministry said 12 were killed": the nearest verb before the figure
                best = self._phrase_before(sentence, tokens, k) or best
                continue
            # after the figure only a trailing ", the ministry said." or "..., said the ministry" counts
            if tokens.low(k + verb[1]) not in _TRAILING_SOURCE_END and tokens.low(k + verb[1]) not in (
                "on",
                "in",
            ):
                continue
            source = self._phrase_before(sentence, tokens, k)
            if source is None and k and lows[k - 1] == ",":
                source = self._phrase_after(sentence, tokens, k + verb[1])
            if source is not None:
                return source
        return best

    def _phrase_before(self, sentence: str, tokens: Tokens, k: int) -> str | None:
        lows = tokens.lows
        lo = k
        while lo > 0 and k - lo < _MAX_SOURCE_TOKENS:
            low = lows[lo - 1]
            if tokens.kinds[lo - 1] == "num" or (low in _CLAUSE_BREAKS or low in _SOURCE_STOPS):
                break
            if tokens.kinds[lo - 1] == "sym" and low not in ("-", "'", "’"):
                break
            lo -= 1
        return self._clean(sentence, tokens, lo, k)

    def _phrase_after(self, sentence: str, tokens: Tokens, k: int) -> str | None:
        lows = tokens.lows
        hi = k
        while hi < len(lows) and hi - k < _MAX_SOURCE_TOKENS and lows[hi] not in _CLAUSE_BREAKS:
            if lows[hi] in (".", "which", "who", "that", "on", "as", "and") and hi > k:
                break
            hi += 1
        return self._clean(sentence, tokens, k, hi)

    @staticmethod
    def _clean(sentence: str, tokens: Tokens, lo: int, hi: int) -> str | None:
        while lo < hi and tokens.lows[lo] in ("the", "a", "an"):
            lo += 1
        if lo >= hi or tokens.kinds[lo] != "word":
            return None
        return sentence[tokens.starts[lo] : tokens.ends[hi - 1]].strip() or None
