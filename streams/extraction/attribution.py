"""Attribution: who a figure is attributed to ("according to the Gaza health ministry", "Israel said",
"35 of whom are presumed dead by Israel"), or None when the text names no one (the outlet is the source).

A mixin of :class:`~streams.extraction.extractor.Extractor`: it reads the sentence the extractor is
reading, and the taxonomy's source vocabulary (speech verbs, count nouns such as "tally", titles such as
"chief", anaphors such as "the group"). A bare head ("the ministry said") is the last source of the item
with that head; a sentence that opens "It said" is the item's last source.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from streams.extraction.dates import RELATIVE_DAYS, WEEKDAYS
from streams.extraction.reading import Sentence
from streams.extraction.sentences import CLAUSE_BREAKS, aside_opening, sentence_bounds
from streams.extraction.vocabulary import Gazetteer
from streams.numbers import NUMBER_WORDS, Tokens
from streams.phrases import Phrases

TRAILING_SOURCE_END = frozenset({".", ",", ";", ""})
# "figures released by the health ministry": the source of a count comes after its participle and "by"
_COUNT_PARTICIPLES = frozenset(
    {"compiled", "released", "published", "issued", "provided", "gathered", "collected", "documented", "recorded"}
    | {"verified", "kept"}
)
_MAX_SOURCE_TOKENS = 9
_MAX_ASIDE_TOKENS = 20  # "A senior official, who spoke on condition of anonymity because ..., said"
_MAX_NAMED_TOKENS = 12  # after "according to": "the latest figures documented by the UN Human Rights Office"
_SOURCE_AUXILIARIES = frozenset({"has", "have", "had", "also", "will", "would", "could", "now", "earlier", "later"})
_AFTER_SOURCE = frozenset({"on", "in", "after", "as", "while", "when", "late", "early", "last", "earlier", "citing"})
_PREVIOUS_SOURCE = "\x00it"
"""What a sentence-opening "It said ..." names: the last source of the item (compared by identity)."""
_RECIPIENTS = frozenset({"reporters", "journalists", "the", "a", "an", "local", "state", "news", "media"})
"""Who a source "told" ("told reporters", "told the Associated Press"): the source stands before the verb."""
# a source described, not named, after it was named: "The US-based charity said" -> the charity named before
_DESCRIBED_HEADS = frozenset({"charity", "ngo", "nonprofit", "non-profit", "organisation", "organization"})
COPULAS = frozenset({"are", "is", "were", "was"})
_PASSIVE = frozenset({"been", "be", "was", "were", "is", "are", "not"})
_SOURCE_STOPS = frozenset(
    {"that", "which", "who", "as", "while", "but", "when", "after", "and", "it", "in"}
    | {"though", "although", "whereas", "yet", "whom"}  # "..., though police had confirmed 11 deaths"
)


def _initialism(tokens: Tokens, k: int) -> bool:
    """True when token ``k`` is the period of an initialism ("U.N.", "U.S."): right after a one-letter word."""
    lows = tokens.lows
    return lows[k] == "." and tokens.touching(k) and len(lows[k - 1]) == 1 and tokens.kinds[k - 1] == "word"


def _acronym(sentence: str, tokens: Tokens, k: int) -> bool:
    """True when word ``k`` is written in capitals ("WHO", "IT"): a name, not the pronoun it spells in lower case."""
    word = sentence[tokens.starts[k] : tokens.ends[k]]
    return len(word) > 1 and word.isupper()


class Attribution:
    """The source of a figure, for :class:`~streams.extraction.extractor.Extractor`."""

    gazetteer: Gazetteer
    _ctx: Mapping[str, Phrases[bool]]
    max_sentence_chars: int

    def _source(self, context: Sentence, first: int, last: int, clause: tuple[int, int]) -> str | None:
        sentence, tokens = context.text, context.tokens
        lows = tokens.lows
        ctx = self._ctx
        # "presumed dead by Israel": only within the figure's own clause
        for k in range(first, clause[1] - 1) if "by" in lows[first : clause[1] - 1] else ():
            if lows[k] == "by" and ctx["by_verbs"].find(lows, max(first, k - 3), k):
                return self._phrase_after(sentence, tokens, k + 1)
        speech = ctx["speech_verbs"]
        verbs = context.memo.get("speech")
        if not isinstance(verbs, list):  # the positions of "according" and of speech verbs, once per sentence
            verbs = context.memo["speech"] = [k for k, low in enumerate(lows) if low in speech.firsts]
            context.memo["according"] = (
                next((k for k in range(len(lows) - 1) if lows[k] == "according" and lows[k + 1] == "to"), None)
                if "according" in lows
                else None
            )
        according = context.memo["according"]
        if isinstance(according, int):
            named = self._phrase_after(sentence, tokens, according + 2)
            if named is not None:  # "according to figures compiled from hospitals" names no one: a verb may
                return named
        best: str | None = None
        for k in verbs:
            if k and sentence[tokens.starts[k]].isupper():
                continue  # a word of a name, not a verb: "the United States", "Human Rights Watch Reports"
            verb = speech.at(lows, k)
            before = lows[max(0, k - 3) : k]
            before = before[len(before) - before[::-1].index(",") :] if "," in before else before
            if verb is None or not _PASSIVE.isdisjoint(before):
                # "no casualties were reported", "claims that could not be verified"; not past a comma ("12 people were
                # killed, said the governor")
                continue
            if lows[k] not in ctx["speech_only"].firsts and ctx["not_speech_after"].ending_at(lows, k):
                continue  # "added to its records", "official reports": a noun, not a verb
            if k < first:  # "the ministry said 12 were killed": the nearest verb before the figure
                best = self._phrase_before(sentence, tokens, k, aside=True) or best
                continue
            # after the figure only a trailing ", the ministry said." or "..., said the ministry" counts,
            # with the day or the outlet told after the verb: "the army said Tuesday", "officials told AFP"
            at = k + verb[1]
            follower = tokens.low(at)
            cased = at < len(lows) and tokens.kinds[at] == "word" and sentence[tokens.starts[at]].isupper()
            inverted = k > 0 and lows[k - 1] == "," and (cased or follower in ("the", "a", "an"))
            if not (
                follower in TRAILING_SOURCE_END
                or follower in _AFTER_SOURCE
                or follower in WEEKDAYS
                or follower in RELATIVE_DAYS
                or (lows[k] == "told" and (cased or follower in _RECIPIENTS))
                or inverted
                # "35 of whom officials believe are dead": the source inside the part's relative clause
                or (follower in COPULAS and lows[last : last + 2] == ["of", "whom"])
            ):
                continue
            source = self._phrase_before(sentence, tokens, k)
            if source is None and inverted:
                source = self._phrase_after(sentence, tokens, at)
            if source is not None:
                cited = at + (follower == ",")
                if tokens.low(cited) == "citing":  # "AFP reported, citing the Sudan Doctors Network"
                    return self._phrase_after(sentence, tokens, cited + 1) or source
                return source
        return best

    def _named_source(self, sentence: Sentence, source: str | None) -> str | None:
        """The canonical source; a bare "the ministry" is the last source of the item with that head."""
        if source is _PREVIOUS_SOURCE:
            self._catch_up(sentence)
            return sentence.context.last_source
        canonical = self.gazetteer.source(sentence.conflict, source)
        if canonical is None:
            return None
        if self._bare_head(canonical):
            self._catch_up(sentence)
        return self._remember(sentence, canonical)

    def _bare_head(self, canonical: str) -> bool:
        """True for a bare head noun ("ministry"), which stands for the last source named with that head."""
        return " " not in canonical and canonical.islower() and self._ctx["source_heads"].at([canonical], 0) is not None

    def _remember(self, sentence: Sentence, canonical: str) -> str:
        """Record ``canonical`` as the item's last source (a bare head resolved first) and return it."""
        context = sentence.context
        if self._bare_head(canonical):
            canonical = context.sources.get(canonical, canonical)  # a dict, not a search back: O(1) per claim
        else:
            context.sources[canonical.lower().rsplit(" ", 1)[-1]] = canonical
            context.read_to = max(context.read_to, sentence.offset)  # a source named here supersedes those before
        context.last_source = canonical
        return canonical

    def _catch_up(self, sentence: Sentence) -> None:
        """Remember the sources of the sentences read for no claim since the last remembered one: "The ministry
        said on Monday that the situation was dire. It said 40 people were killed." Each is read once, and only
        when a later figure's source points back, so the work stays linear and most items do none of it."""
        context = sentence.context
        lo, hi = context.read_to, sentence.offset
        context.read_to = max(lo, hi)
        for start, end in sentence_bounds(context.body[lo:hi]) if lo < hi else ():
            text = context.body[lo + start : lo + min(end, start + self.max_sentence_chars)].rstrip()
            tokens = Tokens(text)
            earlier = replace(sentence, text=text, offset=lo + start, tokens=tokens, terms=[], dates=[], memo={})
            earlier.start_dates, earlier.numbers = [], []
            found = self._source(earlier, len(tokens), len(tokens), (0, len(tokens)))
            canonical = None if found is _PREVIOUS_SOURCE else self.gazetteer.source(sentence.conflict, found)
            if canonical is not None:
                self._remember(earlier, canonical)

    def _phrase_before(
        self, sentence: str, tokens: Tokens, k: int, aside: bool = False, relative: bool = True
    ) -> str | None:
        """The source named right before the speech verb at ``k``.

        A relative clause after the source is not it: "Officials who spoke to reporters said" -> "Officials". With
        ``aside`` (a verb before its figure), neither is an aside between the source and the verb: "Police,
        speaking on condition of anonymity, said", "The governor, Oleh Syniehubov, said"."""
        lows = tokens.lows
        if aside and k > 1 and lows[k - 1] == ",":
            opening = aside_opening(lows, k, _MAX_ASIDE_TOKENS)
            return self._phrase_before(sentence, tokens, opening, relative=relative) if opening is not None else None
        while k > 0 and lows[k - 1] in _SOURCE_AUXILIARIES:
            k -= 1  # "the mission has verified"
        lo = k
        while lo > 0 and k - lo < _MAX_SOURCE_TOKENS:
            low = lows[lo - 1]
            named = lo + (lows[lo : lo + 1] == ["the"])  # "officials in the Gaza Strip say"
            place_next = named < k and sentence[tokens.starts[named]].isupper()
            if low == "in" and place_next and lo > 1 and tokens.kinds[lo - 2] == "word":
                lo -= 1  # "the health ministry in Gaza said", "officials in El Fasher said"
                continue
            if low == "and" and lo < k and lo > 1 and self._joined_names(sentence, tokens, lo):
                lo -= 1  # "BBC Russian and Mediazona have confirmed": two named sources are one attribution
                continue
            if tokens.kinds[lo - 1] == "num" or low in CLAUSE_BREAKS:
                break
            if low in _SOURCE_STOPS and not _acronym(sentence, tokens, lo - 1):  # "the WHO said"
                break
            if tokens.kinds[lo - 1] == "sym" and low not in ("-", "'", "’") and not _initialism(tokens, lo - 1):
                break
            lo -= 1
        if lo == k == 1 and lows[0] == "it":
            return _PREVIOUS_SOURCE  # "It put the toll above 30,000": the source of the sentences before
        # "Officials who spoke to reporters said": the noun before "who"; looked for once, so the work stays linear
        who = relative and lo > 1 and lows[lo - 1] == "who" and tokens.kinds[lo - 2] == "word"
        if who and lows[lo - 2] not in _SOURCE_STOPS:
            return self._phrase_before(sentence, tokens, lo - 1, relative=False)
        return self._clean(sentence, tokens, lo, k)

    def _joined_names(self, sentence: str, tokens: Tokens, k: int) -> bool:
        """True when the "and" before token ``k`` joins two names, neither of them a bare place."""
        before, after = k - 2, k
        if tokens.kinds[before] != "word" or tokens.kinds[after] != "word":
            return False
        words = (
            sentence[tokens.starts[before] : tokens.ends[before]],
            sentence[tokens.starts[after] : tokens.ends[after]],
        )
        return all(w[:1].isupper() and w not in self.gazetteer.places_only for w in words)

    def _named_before(self, sentence: str, tokens: Tokens, k: int) -> str | None:
        """The last capitalized name after "with"/"of"/"for" before token ``k`` ("staff with World Central Kitchen")."""
        lows, found = tokens.lows, None
        for j in range(k - 1):
            if lows[j] in ("with", "of", "for") and sentence[tokens.starts[j + 1]].isupper():
                end = j + 1
                while end < k and tokens.kinds[end] == "word" and sentence[tokens.starts[end]].isupper():
                    end += 1
                if end - j > 2 or sentence[tokens.starts[j + 1] : tokens.ends[j + 1]].isupper():
                    found = sentence[tokens.starts[j + 1] : tokens.ends[end - 1]]
        return found

    def _phrase_after(self, sentence: str, tokens: Tokens, k: int) -> str | None:
        lows = tokens.lows
        hi = k
        while hi < len(lows) and hi - k < _MAX_NAMED_TOKENS and lows[hi] not in CLAUSE_BREAKS:
            stop = lows[hi] in (".", "which", "who", "that", "on", "as", "and") and not _acronym(sentence, tokens, hi)
            if stop and hi > k and not _initialism(tokens, hi):
                break
            hi += 1
        return self._clean(sentence, tokens, k, hi)

    def _clean(self, sentence: str, tokens: Tokens, lo: int, hi: int) -> str | None:
        """The source named by tokens ``[lo, hi)``: an organization, official or party, or None.

        Wire copy names a source as "the health ministry in Gaza", "World Health Organization chief
        Tedros ...", "a tally by The Irrawaddy" or "a Reuters tally"; the organization is the source.
        Verbs, adverbs ("separately") and what follows them are cut; pronoun-like subjects ("the
        group") and bare places name no source.
        """
        ctx, lows = self._ctx, tokens.lows
        definite = lo < hi and lows[lo] == "the"
        while lo < hi and lows[lo] in ("the", "a", "an"):
            lo += 1
        counted = lo + 1 < hi and lows[lo] in NUMBER_WORDS and lows[lo + 1] != "of"
        if counted and sentence[tokens.starts[lo + 1]].islower():
            lo += 1  # "Two officials familiar with the matter said": officials
        if definite and hi - lo <= 4 and lows[hi - 1] in _DESCRIBED_HEADS and sentence[tokens.starts[hi - 1]].islower():
            # "the US-based charity said": the organisation named before, in this sentence ("aid workers with World
            # Central Kitchen") or an earlier one
            return self._named_before(sentence, tokens, lo) or _PREVIOUS_SOURCE
        # a count noun owned by a source: "a tally by The Irrawaddy" -> The Irrawaddy
        counts, ends, titles = ctx["source_counts"], ctx["source_ends"], ctx["source_titles"]
        for k in range(lo, hi):
            if lows[k] in counts.firsts and counts.at(lows, k) is not None and sentence[tokens.starts[k]].islower():
                after = k + 1 + (tokens.low(k + 1) in _COUNT_PARTICIPLES)
                if lows[after : after + 1] == ["by"]:
                    return self._clean(sentence, tokens, after + 1, hi)
                if k == lo:
                    return None  # "figures compiled from hospitals" names no one
                # "an AFP tally based on Israeli figures", "figures from hospitals": the phrase ends at the count
                hi = min(hi, after) if tokens.low(after) in ("from", "based", "of", "for") else hi
                break
        # verbs and adverbs end the phrase: "Sudan Doctors Network separately", "office revised its"
        for k in range(lo + 1, hi):
            if lows[k] in ends.firsts and ends.at(lows, k) is not None and sentence[tokens.starts[k]].islower():
                hi = k
                break
        ended = ends.at(lows, lo) is not None and not _acronym(sentence, tokens, lo)
        if lo >= hi or tokens.kinds[lo] != "word" or ended:
            return None
        # a title before a person's name: "World Health Organization chief Tedros ..." -> the organization
        for k in range(lo + 1, hi - 1):
            title = titles.at(lows, k) if lows[k] in titles.firsts else None
            if title is None or not sentence[tokens.starts[k]].islower():
                continue
            named = k + title[1] < hi and sentence[tokens.starts[k + title[1]]].isupper()
            owner = sentence[tokens.starts[lo] : tokens.ends[k - 1]].strip()
            if named and owner[:1].isupper() and owner.split()[0] not in self.gazetteer.places_only:
                return owner[:-2] if owner.endswith(("'s", "’s")) else owner  # not "Kharkiv regional governor"
            break
        text = sentence[tokens.starts[lo] : tokens.ends[hi - 1]].strip()
        text = text[:-2] if text.endswith(("'s", "’s")) else text
        if not text or (ctx["source_anaphors"].at(lows, lo) == (True, hi - lo) and not _acronym(sentence, tokens, lo)):
            return None
        return text
