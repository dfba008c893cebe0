"""Basis and start: is a figure a running total or one incident's count, and from when does a total count.

Mixing them up would make every daily toll look like a fall in the total, so the rules are ordered (see
``BasisRules.basis``): a new increment ("another 30", "added to the total"), a period between the conflict's start
and a day, a count since dawn, the toll of one incident, total cues ("the death toll", "since the war began", "in
2026"), incident cues ("overnight", "on Tuesday", "a strike"), a deal's planned releases, and the perfect ("have
freed 18"), whose subject tells a campaign's running total from a day's toll (``_campaign_toll``). ``since`` reads
the start of a total: a stated date, the start of the year, else the conflict's default start. ``heading`` and
``label_basis`` read the headings and labels of lists (:mod:`streams.extraction.lists`).

The extractor holds one :class:`BasisRules` over its vocabulary and asks it about the sentence it is reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from streams.extraction.dates import DAY, MONTH, MONTHS, WEEKDAYS, YEAR, DateExpr
from streams.extraction.reading import Figure, Sentence
from streams.extraction.sentences import aside_opening, clause_of
from streams.extraction.vocabulary import Gazetteer, Taxonomy
from streams.numbers import NUMBER_WORDS
from streams.phrases import Phrases

_START_MARGIN = 2
"""Days from a conflict's start within which a stated start day names it: wire copy dates the Lebanon front from the
7th (the Gaza war's first day) or the 8th (Hezbollah's first fire), one total either way."""
_HANDFUL = 10  # an exact count below this, in the perfect with no total cue, is one event's
_WAR_TOLL = 10_000
"""A sentence with a cumulative count of at least this many and no incident named ("20,000 killed in Gaza", "health
ministry says 21,110 killed") states running totals: the deadliest single attacks of the wars covered killed about
1,200 (7 October 2023) and 1,400 (Syria's coast, March 2025); multi-day massacres stay below it too."""
_DAY_TOLL = 1000
"""A count of at least this many, after an attack noun in the perfect ("Israeli strikes have killed 41,000"), is
beyond one day's toll: the campaign's running total. The deadliest days of the wars covered stay below it."""
_PERIOD_WORDS = frozenset({*MONTHS, *WEEKDAYS, *NUMBER_WORDS, "dawn", "midnight", "noon"})
_RELEASES = frozenset({"hostages_released", "prisoners_released"})
# the incident cues that name a time ("overnight", "on Tuesday", "in two days", "the past 24 hours"): a period of
# the sentence's own, which keeps a campaign's count an incident; the others name an event ("attack", "when")
_TIME_CUES = frozenset(
    {*WEEKDAYS, "overnight", "yesterday", "today", "tonight", "days", "hours", "past", "last", "previous", "recent"}
    | {"this", "between"}
)


_SUBORDINATORS = frozenset({"after", "when", "as", "while", "because", "since", "once", "before", "until", "and"})
_PERIOD_UNITS = frozenset({"months", "weeks", "half", "quarter"})


def _from_year_start(lows: list[str], k: int) -> bool:
    """True when the year at token ``k`` counts from its first day: "in 2024", "in the first six months of 2024",
    "in the first half of 2025" (a period that ends later, "the last quarter of 2024", is a period of its own)."""
    before = lows[k - 1] if k else ""
    if before == "in":
        return True
    return before == "of" and k > 2 and lows[k - 2] in _PERIOD_UNITS and "first" in lows[max(0, k - 5) : k - 2]


class BasisRules:
    """Total or incident, and the start of a total, for :class:`~streams.extraction.extractor.Extractor`."""

    def __init__(self, gazetteer: Gazetteer, taxonomy: Taxonomy) -> None:
        self.gazetteer = gazetteer
        self.taxonomy = taxonomy
        self._ctx: Mapping[str, Phrases[bool]] = taxonomy.context
        self._event_cues = Phrases({k: True for k in self._ctx["incident"].table if k[0] not in _TIME_CUES})
        increments = [frozenset(phrase) for phrase in self._ctx["increments"].table]
        self._increment_words = frozenset.intersection(*increments) if increments else frozenset()

    def basis(self, sentence: Sentence, figure: Figure, clause: tuple[int, int], planned: bool = False) -> str:
        """Total or incident; see the comments for the order of the rules."""
        ctx = self._ctx
        lows = sentence.tokens.lows
        first, last = figure.quantity.tokens
        # "another 30", "30 more": a new increment
        if ctx["incident_local"].ending_at(lows, first) or sentence.tokens.low(last) == "more":
            return "incident"
        if self.increment(sentence, last, clause[1]):
            return "incident"
        if sentence.memo.get("period"):
            return "total"  # "between 7 October 2023 and 15 January 2025": the running total as of the later day
        # a fronted "Since October 8, 2023, ..." or "In total, ..." governs the whole sentence
        lo, hi = (0 if ctx["fronted"].at(lows, 0) else clause[0]), clause[1]
        incident = sentence.memo.get("incident")
        if incident is None:
            incident = sentence.memo["incident"] = self.incident_cue(sentence, 0, len(lows))
        # "89 people have been killed since dawn": a count of the day, unless the clause also names a total
        today = ctx["since_today"].find(lows, lo, hi) if "since" in lows else None
        if today is not None:
            at, size = today[1], today[2]
            if ctx["total"].find(lows, lo, at) is None and ctx["total"].find(lows, at + size, hi) is None:
                return "incident"
        # "the death toll from Saturday's strike rose to 45" is the toll of one incident
        toll = ctx["toll_of_incident"].find(lows, lo, hi)
        # ... but not "Death toll in Gaza climbs to 1,900 as Israeli strikes continue": an "as" clause after the
        # figure tells what goes on, not what the toll counts
        after = next((k for k in range(last, hi) if lows[k] == "as"), hi)
        if toll is not None and self.incident_cue(sentence, toll[1], after):
            return "incident"
        # (likewise a total cue in it: "killed 22 on Sunday as residents tried to return under the ceasefire")
        if ctx["total"].find(lows, lo, after) or any(
            d.precision == YEAR and lo <= d.i < hi and _from_year_start(lows, d.i) for d in sentence.dates
        ):
            return "total"  # "since the war began", "the death toll", "so far", "in 2026"
        perfect_hit = ctx["perfect"].find(lows, lo, hi)
        if incident and not (perfect_hit and self._campaign_toll(sentence, clause, perfect_hit[1], figure)):
            return "incident"
        if planned and figure.metric in _RELEASES and self._names_a_deal(sentence):
            return "total"  # "Under the deal, 33 hostages are to be freed": the deal's total, not one release's
        perfect = perfect_hit is not None
        if perfect and figure.quantity.value < _HANDFUL and figure.quantity.qualifier == "exact":
            return "incident"  # "Ukraine says it has captured two North Korean soldiers": a handful is one event
        kind = self.taxonomy.metrics[figure.metric].kind
        if kind == "stock" or perfect:
            return "total"  # a stock ("remain displaced") or a perfect ("have freed 18") is a running total
        largest = sentence.memo.get("largest", 0)
        if kind == "cumulative" and isinstance(largest, float) and largest >= _WAR_TOLL and not incident:
            # "Israel-Hamas war: 20,000 killed", with no incident named: no one incident's toll, nor are the figures
            # beside it ("4,047 people were killed and 16,638 wounded in Lebanon during more than a year of ...")
            return "total"
        return "incident"

    def _names_a_deal(self, sentence: Sentence) -> bool:
        """True when the sentence names a deal ("under the truce", "the agreement provides for"); once per sentence."""
        deal = sentence.memo.get("deal")
        if not isinstance(deal, bool):
            lows = sentence.tokens.lows
            deal = sentence.memo["deal"] = self._ctx["deals"].find(lows, 0, len(lows)) is not None
        return deal

    def _campaign_toll(self, sentence: Sentence, clause: tuple[int, int], perfect: int, figure: Figure) -> bool:
        """True when the subject of a perfect is a campaign that counts its running total; its words are incident
        cues, which this rule overrides.

        Wire copy tells the two apart by the subject noun and the size of the count. A war noun ("Israel's
        offensive", "the war", "the conflict", "the invasion") names the whole campaign: "Israel's offensive has
        killed more than 44,000". Attack nouns ("Israeli strikes", "Russian attacks", "the fighting") report the
        day's toll in daily copy ("Israeli strikes across Gaza have killed at least 23 people, health officials
        said"), and name the campaign only for a count beyond any day's toll (:data:`_DAY_TOLL`): "Israeli strikes
        have killed more than 41,000", "the fighting has displaced 1.2 million". Either stays an incident when
        the sentence names a period of its own ("overnight", "on Tuesday", "in the past 24 hours") or the
        campaign is a battle for one place ("Fighting in Goma has left 100 dead"). A subject before an aside
        counts: "Israel's offensive, launched after the Oct. 7 attack, has killed ..."."""
        lows = sentence.tokens.lows
        first = figure.quantity.tokens[0]
        lo, end = clause[0], perfect
        if perfect >= first:
            return False
        if perfect == lo and lo > 1 and lows[lo - 1] == ",":  # "X, <aside>, has killed": the subject is X
            opening = aside_opening(lows, lo)
            if opening is not None:
                lo, end = clause_of(lows, opening - 1, opening)[0], opening
        hit = self._ctx["war_nouns"].find(lows, lo, end)
        if hit is None or self._ctx["incident"].at(lows, hit[1]) is not None:
            # an attack noun ("the operation" is one too: it is also an incident word) needs a count beyond a day's
            hit = self._ctx["campaign"].find(lows, lo, end) or hit
            if hit is None or figure.quantity.value < _DAY_TOLL:
                return False
        period = sentence.memo.get("named_period")
        if period is None:  # memoized per sentence: every figure of the sentence asks alike
            whole = len(sentence.tokens)
            period = sentence.memo["named_period"] = self.incident_cue(
                sentence, 0, whole, self._event_cues
            ) or self._dated(sentence)
        return not period and not self._battle(sentence, hit[1], end)

    def _dated(self, sentence: Sentence) -> bool:
        """True when the sentence names a day or month of its own ("on January 5", "in September"), not the day of
        a statement ("said on January 5"), the start of a total ("since January") nor its day ("as of May 31"), nor
        the day the conflict began ("Israel's offensive, launched after the attack of Oct. 7, 2023, has killed")."""
        lows = sentence.tokens.lows
        start = self.gazetteer.conflicts[sentence.conflict].start
        return any(
            d.precision != YEAR
            and d not in sentence.start_dates
            and d.value.isoformat() != start
            and lows[max(0, d.i - 2) : d.i] not in (["as", "of"], ["as", "at"])
            and not self._after_speech(lows, d.i, 2)
            for d in sentence.dates
        )

    def _battle(self, sentence: Sentence, lo: int, hi: int) -> bool:
        """True when tokens ``[lo, hi)`` name a place narrower than the conflict's territory: "fighting in Goma",
        "strikes on Kharkiv" are a battle or a raid on one place, not the campaign over the whole war."""
        starts, text_end = sentence.tokens.starts, len(sentence.text)
        begin, end = starts[lo], starts[hi] if hi < len(starts) else text_end
        territory = self.gazetteer.territory.get(sentence.conflict, frozenset())
        return any(
            begin <= at < end and (place := self.gazetteer.terms[phrase][1]) is not None and place not in territory
            for at, phrase in sentence.terms
        )

    def incident_cue(self, sentence: Sentence, lo: int, hi: int, skip: Phrases[bool] | None = None) -> bool:
        """An incident word in tokens ``[lo, hi)``, not one of ``skip``; the day of a statement ("said on Friday")
        is not one."""
        lows = sentence.tokens.lows
        cues = self._ctx["incident"]
        k = lo
        while k < hi:
            hit = cues.find(lows, k, hi)
            if hit is None:
                return False
            at = hit[1]
            # "said on Friday", and "revised its count down to 47,487 on Monday": the day of a statement or
            # of a revision, not of an incident
            statement_day = lows[at] in WEEKDAYS and (
                sentence.revision or self._after_speech(lows, at, 3)
            )
            # "wounded fighting for Moscow": a participle after the trigger says how, not which incident
            participle = lows[at].endswith("ing") and self.taxonomy.events.ending_at(lows, at) is not None
            # "does not distinguish between civilians and combatants": "between" names a period only before a
            # date or number ("between April and June", "between 13 and 19 August")
            relation = lows[at] == "between" and not (
                at + 1 < len(lows) and (sentence.tokens.kinds[at + 1] == "num" or lows[at + 1] in _PERIOD_WORDS)
            )
            skipped = skip is not None and skip.at(lows, at) is not None
            if not statement_day and not participle and not relation and not skipped:
                return True
            k = at + 1
        return False

    def _after_speech(self, lows: list[str], at: int, reach: int) -> bool:
        """True when a speech verb ends at most ``reach`` tokens before token ``at``, or at it: "said on Friday",
        "officials said Friday", the day of a statement."""
        speech = self._ctx["speech_verbs"]
        return any(speech.ending_at(lows, back) for back in range(max(0, at - reach), at + 1))

    def increment(self, sentence: Sentence, last: int, hi: int) -> bool:
        """True when words from token ``last`` to ``hi`` add the figure before them to a total: "six martyrs ... have
        been added to the cumulative total" states the increment, not the total."""
        lows = sentence.tokens.lows
        added = sentence.memo.get("added")
        if not isinstance(added, bool):  # a word every phrase has ("added"): most sentences are ruled out once
            added = sentence.memo["added"] = not self._increment_words or not self._increment_words.isdisjoint(lows)
        hit = self._ctx["increments"].find(lows, last, hi) if added else None
        # "reached 47,035 after bodies recovered from rubble were added": what was added is another clause's subject
        return hit is not None and _SUBORDINATORS.isdisjoint(lows[last : hit[1]])

    def label_basis(self, sentence: Sentence, figure: Figure, label: tuple[int, int]) -> str:
        """The basis of a labelled figure under no heading that sets one: a running total when its count is beyond a
        day's toll (:data:`_DAY_TOLL`) and the label names no period or incident ("Palestinians killed in Gaza*:
        35,000+", a situation report's snapshot), else an incident ("Death toll: 12")."""
        beyond = figure.quantity.value >= _DAY_TOLL and self.taxonomy.metrics[figure.metric].kind == "cumulative"
        return "total" if beyond and not self.incident_cue(sentence, *label) else "incident"

    def heading(self, sentence: Sentence) -> tuple[str, str | None] | None:
        """The basis and start that the heading of a list sets for its entries (see :mod:`streams.extraction.lists`):
        a period of its own ("in the past 24 hours", "today", "In May 2025") makes them that period's figures, a total
        cue ("since the ceasefire (October 11)", "cumulative") running totals from the start it states, an event ("a
        strike on Kharkiv") that event's figures; else None."""
        lows = sentence.tokens.lows
        whole = (0, len(lows))
        if self.incident_cue(sentence, *whole, self._event_cues) or self._dated(sentence):
            return "incident", None  # a period: "in the past 24 hours", "today", "In May 2025"
        if sentence.start_dates or self._ctx["total"].find(lows, *whole) is not None:
            return "total", self.since(sentence, whole, whole)
        if self.incident_cue(sentence, *whole):
            return "incident", None  # one event: "Kharkiv strike", "Attack on the market"
        return None

    def since(self, sentence: Sentence, segment: tuple[int, int], clause: tuple[int, int]) -> str:
        """The start of a total: stated in the figure's segment, else its clause, else the conflict's."""
        lows = sentence.tokens.lows
        default = self.gazetteer.conflicts[sentence.conflict].start
        windows = [segment, (min(clause[0], segment[0]), max(clause[1], segment[1]))]
        if lows[:1] == ["since"]:  # a fronted "Since January, ..." governs the whole sentence
            windows.append((0, max(clause[1], segment[1])))
        for lo, hi in windows:
            for d in sentence.start_dates:
                if lo <= d.i < hi:
                    # "since October 2023" names the month the conflict began: its start day
                    same_month = d.precision == MONTH and default[:7] == d.value.isoformat()[:7]
                    # "since Oct. 7, 2023" for Lebanon (its count starts on the 8th): a day within the margin of the
                    # conflict's start names its start, as the month does, so both reports meet in one series
                    near = d.precision == DAY and abs((d.value - date.fromisoformat(default)).days) <= _START_MARGIN
                    return default if same_month or near or _anniversary(lows, d, default) else d.value.isoformat()
            if "year" in lows and self._ctx["year_start"].find(lows, lo, hi) is not None:
                # "since the start of the year", "this year"
                return date(sentence.context.published.year, 1, 1).isoformat()
            if "since" in lows[lo:hi]:
                return default  # "since the war began", "since the coup"
            for d in sentence.dates:
                if d.precision == YEAR and lo <= d.i < hi and _from_year_start(lows, d.i):
                    return d.value.isoformat()
        return default


def _anniversary(lows: list[str], d: DateExpr, start: str) -> bool:
    """True for a start day stated without its year ("since October 7") that falls on the conflict's start day
    (within the margin): journalists drop the year of the day the war began, which the date reader then places
    in the latest year before publication ("since October 7" in a 2026 report is not 7 October 2025)."""
    if d.precision != DAY or any(len(low) == 4 and low.isdigit() for low in lows[d.i:d.j]):
        return False
    began = date.fromisoformat(start)
    if (began.month, began.day) == (2, 29):
        return False
    return abs((d.value - began.replace(year=d.value.year)).days) <= _START_MARGIN
