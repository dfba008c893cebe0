"""Number normalizer: finds number expressions in English text and turns each into an interval.

Two layers, both linear in the length of the text:

* :meth:`NumberParser.numbers` finds plain numbers: digits ("1,200", "1.9 million", "2.3m", "5k"),
  words ("seventy-nine", "one hundred and twelve", "a dozen", "two dozen"), simple fractions
  ("a third", "half", "one and a half") and vague number words ("hundreds", "tens of thousands").
* :meth:`NumberParser.quantities` adds what the words around a number say: hedges ("at least",
  "nearly", "300+") and ranges ("between 30 and 40", "30-40", "from 30 to 40"), giving
  ``(start, end, value, low, high, qualifier)``.

The text is cut into tokens by one regular expression whose alternatives have no nested or
overlapping quantifiers, so it cannot backtrack catastrophically; everything after that is one
left-to-right walk over the tokens with bounded look-around. What each hedge and vague word means
is data, in ``streams/data/qualifiers.json`` (:func:`load_vocabulary` validates it).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, NamedTuple

from streams._exceptions import DataFileError
from streams.claims import QUALIFIERS
from streams.datafiles import checked_object, read_json
from streams.phrases import Phrases

QUALIFIERS_FILE = Path(__file__).resolve().parent / "data" / "qualifiers.json"

# Tokens: a run of letters, a digit group (thousands separated by ",", U+202F or U+00A0, then an
# optional decimal part), or any other single non-space character. Words come first and plain ASCII
# words take a possessive fast path (a word that goes on in other letters falls through to the
# general class), which makes the scan about a third faster than the same classes in another order.
_TOKEN_RE = re.compile(
    r"(?P<word>[a-z]++(?![^\W\d_])|[^\W\d_]+)"
    r"|(?P<num>\d{1,3}(?:[,\u202f\u00a0]\d{3})+(?:\.\d+)?(?!\d)|\d+(?:\.\d+)?|\.\d+)"
    r"|(?P<sym>\S)"
)
# The same tokens for lower-cased ASCII text, where the classes reduce to ASCII ranges; the regex engine
# tests a range in a few instructions and a Unicode category in many, so this runs a third faster.
_ASCII_TOKEN_RE = re.compile(
    r"(?P<word>[a-z]+)|(?P<num>[0-9]{1,3}(?:,[0-9]{3})+(?:\.[0-9]+)?(?![0-9])|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)|(?P<sym>\S)"
)
_NUM, _WORD, _SYM = "num", "word", "sym"
# Web copy is ASCII but for typographic punctuation (curly quotes and apostrophes, dashes, ellipsis), which
# both patterns cut as one-character symbols: such text can take the ASCII pattern too.
TYPOGRAPHIC = "\u2018\u2019\u201c\u201d\u2013\u2014\u2026"
"""The typographic punctuation of web copy: curly quotes and apostrophes, en and em dashes, ellipsis."""
_NEARLY_ASCII = re.compile(f"[\\x00-\\x7f{TYPOGRAPHIC}]*+\\Z")


def nearly_ascii(text: str) -> bool:
    """True when ``text`` is ASCII but for typographic punctuation: every letter and digit in it is ASCII."""
    return text.isascii() or _NEARLY_ASCII.match(text) is not None


_UNITS = {
    "zero": 0, "nought": 0, "naught": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90,
}  # fmt: skip
# Scale words that may stand apart from the digits ("2 million", "10 bln").
_SCALES = {
    "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "k": 1e3, "mn": 1e6,
    "mln": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "tln": 1e12,
}  # fmt: skip
# Abbreviations only read as scales when written straight after the digits ("2.3m", "5k", "2mil").
_SUFFIX_SCALES = {"k": 1e3, "m": 1e6, "mn": 1e6, "mil": 1e6, "b": 1e9, "bn": 1e9, "tn": 1e12}
_DOZEN = {"dozen", "dozens", "dz", "dzs", "doz", "dozs"}
_DENOMINATORS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fourth": 4,
    "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6, "seventh": 7, "sevenths": 7,
    "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9, "tenth": 10, "tenths": 10,
}  # fmt: skip
_VULGAR = {"½": 0.5, "⅓": 1 / 3, "⅔": 2 / 3, "¼": 0.25, "¾": 0.75, "⅕": 0.2, "⅙": 1 / 6, "⅛": 0.125}
# "one" is a pronoun after these words ("the one you mentioned", "which one").
_PRONOUN_ONE_AFTER = {"the", "that", "this", "which", "each", "every", "any", "no", "another", "someone"}
_MAX_HEDGE_WORDS = 4
# the words that can continue a number written in digits ("2 million", "3 dozen", "5 and a half")
_CONTINUERS = frozenset({*_SCALES, *_DOZEN, *_DENOMINATORS, "hundred", "and"})
# "a" starts a number only before these ("a third", "a hundred", "a dozen"); it is the commonest word
_AFTER_A = frozenset({*_DENOMINATORS, "hundred", "thousand", "million", "billion", "dozen"})
NUMBER_WORDS = frozenset(
    {
        *_UNITS,
        *_TENS,
        "hundred",
        "hundreds",
        "thousand",
        "thousands",
        "million",
        "millions",
        "billion",
        "dozen",
    }
    | {"dozens", "scores", "half", "quarter", "third", "thirds", "quarters", "tens"}
)
"""Words that can start or make up a number: a text without a digit or one of these has no numbers."""


_IDENTITY = (1.0, 0.0)


@dataclass(frozen=True, slots=True)
class Interval:
    """One hedge meaning: ``low``/``high`` are ``(times, plus)`` applied to the number, or None."""

    qualifier: str
    low: tuple[float, float]
    high: tuple[float, float] | None

    def bounds(self, value: float) -> tuple[float, float | None]:
        """The interval for ``value``; bounds of a whole number are rounded to whole numbers."""
        if self.low == self.high == _IDENTITY:  # exact, as most figures are
            return float(value), float(value)
        low = self._apply(self.low, value)
        return low, None if self.high is None else self._apply(self.high, value)

    @staticmethod
    def _apply(bound: tuple[float, float], value: float) -> float:
        raw = bound[0] * value + bound[1]
        return float(round(raw)) if float(value).is_integer() else raw


@dataclass(frozen=True, slots=True)
class Rounding:
    """How a bare round number is read (``qualifiers.json``, "rounding"): a whole number whose last nonzero digit is at
    ``min_place`` or coarser was rounded at that place, but no coarser than ``significant`` significant figures nor
    finer than ``min_place`` (the rounding unit ``u``); it stands for ``[v - below * u, v + above * u - 1]``, which
    holds both rounding to the nearest and rounding down ("20,000" written for 19,500 .. 20,999)."""

    qualifier: str
    min_place: int
    significant: int
    below: float
    above: float

    def bounds(self, value: float) -> tuple[float, float] | None:
        """The interval of ``value`` read as rounded, or None when it is not round."""
        if not float(value).is_integer() or value < self.min_place:
            return None
        whole, place = int(value), 1
        while whole % (place * 10) == 0:
            place *= 10
        if place < self.min_place:
            return None
        unit = max(self.min_place, min(place, 10 ** (len(str(whole)) - self.significant)))
        return float(round(whole - self.below * unit)), float(round(whole + self.above * unit - 1))


@dataclass(frozen=True, slots=True)
class Vague:
    value: float
    low: float
    high: float | None


@dataclass(frozen=True, slots=True)
class NumberVocabulary:
    """The validated content of ``qualifiers.json``."""

    intervals: Mapping[str, Interval]
    before: Mapping[tuple[str, ...], str]
    after: Mapping[tuple[str, ...], str]
    openers: Mapping[str, frozenset[str]]
    bare_joiners: frozenset[str]
    change_verbs: frozenset[str]
    vague: Mapping[tuple[str, ...], Vague]
    rounding: Rounding


class Number(NamedTuple):
    """A plain number: ``vague`` names the vague word ("hundreds") when there is no stated number."""

    start: int
    end: int
    value: float
    vague: str | None = None
    fraction: bool = False


class Quantity(NamedTuple):
    """A number with its hedge or range: the interval ``[low, high]`` the wording allows.

    ``start``/``end`` cover the whole expression ("at least 12"); ``numbers`` are the plain numbers
    inside it (two for a range); ``tokens`` are the token indices ``[first, last)`` of the expression
    in the :class:`Tokens` it was found in; ``interval`` names the hedge's entry in ``qualifiers.json``
    (``range`` and ``vague`` for those).
    """

    start: int
    end: int
    value: float
    low: float
    high: float | None
    qualifier: str
    numbers: tuple[Number, ...]
    tokens: tuple[int, int]
    interval: str = "exact"

    @property
    def vague(self) -> bool:
        return self.qualifier == "vague"


class Tokens:
    """The tokens of one text as parallel lists (kind, lower-cased text, start, end).

    Kinds are ``num`` (a digit group), ``word`` (a run of letters) and ``sym`` (one other character).
    """

    __slots__ = ("ends", "kinds", "lows", "starts")

    def __init__(self, text: str) -> None:
        self.kinds: list[str] = []
        self.lows: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        lowered = text.lower()
        if nearly_ascii(lowered):
            self._cut_nearly_ascii(lowered)
        elif len(lowered) == len(text):
            # the token classes do not depend on case, so the lower-cased text is cut when lowering kept
            # every offset (it nearly always does)
            self._cut(_TOKEN_RE, lowered, 0, len(lowered), lower=False)
        else:
            self._cut(_TOKEN_RE, text, 0, len(text), lower=True)

    def _cut(self, pattern: re.Pattern[str], text: str, start: int, end: int, lower: bool) -> None:
        """Append the tokens ``pattern`` finds in ``text[start:end]``."""
        for m in pattern.finditer(text, start, end):
            self.kinds.append(m.lastgroup or _SYM)
            self.lows.append(m[0].lower() if lower else m[0])
            self.starts.append(m.start())
            self.ends.append(m.end())

    def _cut_nearly_ascii(self, lowered: str) -> None:
        """The tokens of lower-cased :func:`nearly_ascii` text, as :data:`_ASCII_TOKEN_RE` cuts them.

        No token of that pattern spans white space, so the text is split at white space first (in C) and
        most pieces are a token as they stand: a word, a digit group, or a word and the mark after it
        ("gaza,"). Only the other pieces go through the regular expression, whose per-token cost is
        several times that of the split."""
        kinds, lows, starts, ends = self.kinds, self.lows, self.starts, self.ends
        at = 0
        for piece in lowered.split():
            at = lowered.find(piece, at)
            end = at + len(piece)
            if piece.isalpha() or piece.isdigit():
                kinds.append(_WORD if piece[0].isalpha() else _NUM)
                lows.append(piece)
                starts.append(at)
                ends.append(end)
            elif piece[:-1].isalpha() and not piece[-1].isalnum():
                kinds.extend((_WORD, _SYM))
                lows.extend((piece[:-1], piece[-1]))
                starts.extend((at, end - 1))
                ends.extend((end - 1, end))
            else:
                self._cut(_ASCII_TOKEN_RE, lowered, at, end, lower=False)
            at = end

    def __len__(self) -> int:
        return len(self.kinds)

    def low(self, i: int) -> str:
        return self.lows[i] if 0 <= i < len(self.lows) else ""

    def touching(self, i: int) -> bool:
        """True when token ``i`` starts right where token ``i - 1`` ends."""
        return 0 < i < len(self.kinds) and self.starts[i] == self.ends[i - 1]


class _Found(NamedTuple):
    """A number found at tokens ``[i, j)``; ``scale`` is its trailing multiplier (1 when none)."""

    i: int
    j: int
    value: float
    scale: float = 1.0
    vague: str | None = None
    fraction: bool = False


def _digit_value(token: str) -> float:
    return float(token.replace(",", "").replace("\u202f", "").replace("\u00a0", ""))


class NumberParser:
    """Finds numbers and quantities in text using one :class:`NumberVocabulary`."""

    def __init__(self, vocabulary: NumberVocabulary) -> None:
        self.vocabulary = vocabulary
        self._vague_first = {key[0] for key in vocabulary.vague}
        # the only non-digit tokens a number can start with
        self._starters = frozenset({*_UNITS, *_TENS, *_DENOMINATORS, *_VULGAR, "a", "hundred", *self._vague_first})
        # hedges as phrase tables: most numbers follow a word that ends no hedge, and one dict lookup tells so
        self._before = Phrases(vocabulary.before)
        self._after = Phrases(vocabulary.after)

    # -- layer 1: plain numbers ---------------------------------------------------------------

    def numbers(self, text: str) -> list[Number]:
        tokens = Tokens(text)
        return [self._public(tokens, found) for found in self._scan(tokens)]

    def _public(self, tokens: Tokens, found: _Found) -> Number:
        return Number(tokens.starts[found.i], tokens.ends[found.j - 1], found.value, found.vague, found.fraction)

    def _scan(self, tokens: Tokens) -> list[_Found]:
        found: list[_Found] = []
        starters = self._starters
        # only digit groups (the only tokens that end in a decimal digit) and the few words a number
        # can start with are tried, left to right
        candidates = [i for i, low in enumerate(tokens.lows) if low in starters or low[-1].isdecimal()]
        resume = 0
        for i in candidates:
            if i < resume:
                continue  # inside the number found last
            hit = self._number_at(tokens, i)
            if hit is not None:
                found.append(hit)
                resume = hit.j
        return found

    def _number_at(self, tokens: Tokens, i: int) -> _Found | None:
        kind, low = tokens.kinds[i], tokens.lows[i]
        if low in _VULGAR:
            return _Found(i, i + 1, _VULGAR[low], fraction=True)
        if kind == _SYM:
            return None
        if kind == _NUM:
            # "29km", "4th", "A4": digits glued to letters are codes, units or ordinals.
            if tokens.touching(i) and tokens.kinds[i - 1] == _WORD:
                return None
            nxt = i + 1
            glued = nxt < len(tokens) and tokens.touching(nxt) and tokens.kinds[nxt] == _WORD
            if glued and tokens.lows[nxt] not in _SUFFIX_SCALES:
                return None
            if not glued and tokens.low(nxt) not in _CONTINUERS:
                return _Found(i, nxt, _digit_value(low))  # plain digits, as most figures are written
        elif low in self._vague_first:
            vague = self._vague_at(tokens, i)
            if vague is not None:
                return vague
        if kind == _WORD and low == "one" and tokens.low(i - 1) in _PRONOUN_ONE_AFTER:
            return None
        if low == "a" and tokens.low(i + 1) not in _AFTER_A:
            return None
        if kind == _NUM:  # digits start no fraction ("3 quarters" is a cardinal before a noun)
            return self._cardinal_at(tokens, i)
        return self._fraction_at(tokens, i) or self._cardinal_at(tokens, i)

    def _vague_at(self, tokens: Tokens, i: int) -> _Found | None:
        for size in (3, 2, 1):
            key = tuple(tokens.lows[i : i + size])
            vague = self.vocabulary.vague.get(key) if len(key) == size else None
            if vague is None:
                continue
            # "scores" is a number word in "scores of ..." and as a verb's object ("wounding scores",
            # "injured scores"); "the scores were level" is not.
            if key == ("scores",) and tokens.low(i + 1) != "of" and not tokens.low(i - 1).endswith(("ed", "ing")):
                return None
            return _Found(i, i + size, vague.value, vague=" ".join(key))
        return None

    def _fraction_at(self, tokens: Tokens, i: int, scaled: bool = True) -> _Found | None:
        """A fraction that starts the expression: "half", "a third", "two thirds", "half a million"."""
        low = tokens.low(i)
        if low in ("half", "quarter") and tokens.low(i + 1) not in _DENOMINATORS:
            value, j = 1 / _DENOMINATORS[low], i + 1
        else:
            numerator = 1.0 if low in ("a", "one") else _UNITS.get(low)
            at = i + 2 if tokens.low(i + 1) == "-" and low != "a" else i + 1  # "one-eighth"
            denominator = _DENOMINATORS.get(tokens.low(at))
            if not numerator or denominator is None:
                return None
            if (numerator == 1) == tokens.low(at).endswith("s") and denominator != 2:
                return None  # "one fifths" and "three fifth" are not fractions
            value, j = numerator / denominator, at + 1
        found = _Found(i, j, value, fraction=True)
        return self._scaled_fraction(tokens, found) if scaled else found

    def _scaled_fraction(self, tokens: Tokens, found: _Found) -> _Found:
        """Apply a following scale: "half a million", "two thirds of a million", "half a dozen"."""
        j = found.j
        for skip in (("of", "a"), ("a",), ()):
            k = j + len(skip)
            if tuple(tokens.lows[j:k]) != skip or k >= len(tokens):
                continue
            word = tokens.lows[k]
            scale = 12.0 if word in _DOZEN else 100.0 if word == "hundred" else _SCALES.get(word)
            if scale is not None and word != "k":
                value = found.value * scale
                return _Found(found.i, k + 1, value, scale, fraction=not value.is_integer())
        return found

    def _cardinal_at(self, tokens: Tokens, i: int) -> _Found | None:
        """Digits and number words combined: "1.9 million", "one hundred and twelve", "3 dozens"."""
        n = len(tokens)
        total = current = group = 0.0
        last = ""  # kind of the previous element: digit, unit, tens, hundred, scale, and
        last_scale = float("inf")
        hundreds = False
        best: _Found | None = None
        j = i
        if tokens.lows[i] == "a" and tokens.low(i + 1) in (
            "hundred",
            "thousand",
            "million",
            "billion",
            "dozen",
        ):
            current, group, last, j = 1.0, 1.0, "unit", i + 1
        while j < n:
            kind, low = tokens.kinds[j], tokens.lows[j]
            small = _digit_value(low) if kind == _NUM else _UNITS.get(low, _TENS.get(low)) if kind == _WORD else None
            if small is not None:
                is_unit = kind == _WORD and low in _UNITS
                if last == "tens" and is_unit and 0 < small < 10:
                    current += small
                    group += small
                elif last in ("", "hundred", "scale", "and"):
                    if last == "and" and small == 0:
                        break
                    current += small
                    group = small
                else:
                    break
                last = "digit" if kind == _NUM else "unit" if is_unit else "tens"
                if kind == _NUM and j + 1 < n and tokens.touching(j + 1) and tokens.lows[j + 1] in _SUFFIX_SCALES:
                    scale = _SUFFIX_SCALES[tokens.lows[j + 1]]
                    return _Found(i, j + 2, total + current * scale, scale)
                j += 1
            elif low == "-" and last == "tens" and tokens.low(j + 1) in _UNITS:
                j += 1
                continue
            elif low == "hundred" and last in ("", "digit", "unit", "tens") and not hundreds:
                current = (current or 1.0) * 100
                group, hundreds, last = 0.0, True, "hundred"
                j += 1
            elif low in _SCALES and last in ("digit", "unit", "tens", "hundred") and _SCALES[low] < last_scale:
                last_scale = _SCALES[low]
                total += current * last_scale
                current = group = 0.0
                hundreds, last = False, "scale"
                j += 1
            elif low in _DOZEN and last in ("digit", "unit", "tens"):
                current += group * 11
                last = "dozen"
                j += 1
            elif low == "and" and last in ("hundred", "scale"):
                # "3 hundred and 2 hundred" are two numbers; "and 0" ends a number too.
                if hundreds and last == "hundred" and tokens.low(j + 2) == "hundred":
                    break
                last = "and"
                j += 1
                continue
            else:
                break
            best = _Found(i, j, total + current, last_scale if last == "scale" else 1.0)
        if best is None:
            return None
        return self._mixed_fraction(tokens, best, group, last_scale)

    def _mixed_fraction(self, tokens: Tokens, found: _Found, group: float, last_scale: float) -> _Found:
        """Fraction words after a cardinal: "one and a half", "5 and a quarter million", "three fifths"."""
        j = found.j
        denominator = _DENOMINATORS.get(tokens.low(j))
        if denominator is not None and 0 < group < 20 and found.scale == 1:
            # "one hundred and three quarters", "two million and three fifths": the last group is
            # the numerator, of the scale it follows when it follows one.
            if tokens.low(j).endswith("s") != (group != 1):
                return found
            base = found.value - group
            unit = last_scale if base and base % last_scale == 0 else 1.0
            scale = _SCALES.get(tokens.low(j + 1))
            if scale is not None and scale < last_scale and tokens.low(j + 1) != "k":
                return _Found(found.i, j + 2, base + group / denominator * scale, scale)
            value = base + group / denominator * unit
            return _Found(found.i, j + 1, value, fraction=not value.is_integer())
        if tokens.low(j) != "and":
            return found
        tail = self._fraction_at(tokens, j + 1, scaled=False)
        if tail is None:
            return found
        k = tail.j
        scale = _SCALES.get(tokens.low(k))
        if scale is not None and scale < last_scale and tokens.low(k) != "k":
            # "five and a half million", "one billion and a half million"
            if found.scale == 1:
                return _Found(found.i, k + 1, (found.value + tail.value) * scale, scale)
            return _Found(found.i, k + 1, found.value + tail.value * scale, scale)
        if found.scale > 1:  # "one million and a half"
            return _Found(found.i, k, found.value + tail.value * found.scale, found.scale)
        return _Found(found.i, k, found.value + tail.value, fraction=True)

    # -- layer 2: hedges and ranges -----------------------------------------------------------

    def quantities(self, text: str) -> list[Quantity]:
        return self.quantities_in(Tokens(text))

    def quantities_in(self, tokens: Tokens) -> list[Quantity]:
        """The quantities in already tokenized text, left to right, not overlapping."""
        found = self._scan(tokens)
        result: list[Quantity] = []
        k = 0
        while k < len(found):
            current = found[k]
            pair = self._range(tokens, current, found[k + 1]) if k + 1 < len(found) else None
            if pair is not None:
                result.append(pair)
                k += 2
                continue
            result.append(self._hedged(tokens, current))
            k += 1
        return result

    def _range(self, tokens: Tokens, first: _Found, second: _Found) -> Quantity | None:
        voc = self.vocabulary
        if first.vague or second.vague or first.fraction or second.fraction or second.i != first.j + 1:
            return None
        joiner = tokens.lows[first.j]
        opener = tokens.low(first.i - 1)
        start_i = first.i
        if opener in voc.openers and joiner in voc.openers[opener]:
            start_i = first.i - 1
        elif joiner not in voc.bare_joiners:
            return None
        # "rose from 30 to 40" is a change between two figures.
        if any(tokens.low(start_i - back) in voc.change_verbs for back in (1, 2, 3)):
            return None
        # Phone numbers and codes: "+1-222-2222", "5-17-2018".
        if tokens.low(first.i - 1) in ("-", "+", "/") or tokens.low(second.j) in ("-", "/"):
            return None
        low = first.value
        if first.scale == 1 and second.scale > 1 and low < second.value / second.scale:
            low *= second.scale  # "2-3 million": the scale covers both
        high = second.value
        mixed = not self._grouped(tokens, first) and "," in tokens.lows[second.i]
        if not low < high or mixed:
            return None  # "2023 to 3,645" mixes a year with a count
        numbers = (self._public(tokens, first), self._public(tokens, second))
        return Quantity(
            tokens.starts[start_i],
            tokens.ends[second.j - 1],
            (low + high) / 2,
            low,
            high,
            "range",
            numbers,
            (start_i, second.j),
            "range",
        )

    @staticmethod
    def _grouped(tokens: Tokens, found: _Found) -> bool:
        """True when a number of 1,000 or more is written with thousands separators (or scale words)."""
        text = tokens.lows[found.i]
        return found.value < 1000 or not text.isdigit()

    def _hedged(self, tokens: Tokens, found: _Found) -> Quantity:
        number = self._public(tokens, found)
        if found.vague is not None:
            vague = self.vocabulary.vague[tuple(found.vague.split())]
            span = (found.i, found.j)
            return Quantity(
                number.start, number.end, vague.value, vague.low, vague.high, "vague", (number,), span, "vague"
            )
        start, end = number.start, number.end
        first, last = found.i, found.j
        name = "exact"
        after = self._hedge_after(tokens, found.j)
        if after is not None:  # "about 500 or more" is at least 500
            name, last = after
            end = tokens.ends[last]
            last += 1
        else:
            hedge = self._hedge_before(tokens, found.i)
            if hedge is not None:
                name, first = hedge
                start = tokens.starts[first]
        interval = self.vocabulary.intervals[name]
        low, high = interval.bounds(found.value)
        return Quantity(start, end, found.value, low, high, interval.qualifier, (number,), (first, last), name)

    def with_interval(self, quantity: Quantity, name: str) -> Quantity:
        """``quantity`` read with the hedge ``name``: "at least 12 killed and 30 wounded" hedges both."""
        interval = self.vocabulary.intervals[name]
        low, high = interval.bounds(quantity.value)
        return quantity._replace(low=low, high=high, qualifier=interval.qualifier, interval=name)

    def rounded(self, quantity: Quantity) -> Quantity:
        """``quantity`` read as rounded when it is one bare round number ("20,000", "1.9 million"), else unchanged; the
        extractor asks it for running totals, which headlines restate rounded (docs/ledger.md)."""
        rounding = self.vocabulary.rounding
        bare = quantity.interval == "exact" and len(quantity.numbers) == 1
        bounds = rounding.bounds(quantity.value) if bare else None
        if bounds is None:
            return quantity
        return quantity._replace(low=bounds[0], high=bounds[1], qualifier=rounding.qualifier, interval="rounded")

    def _hedge_before(self, tokens: Tokens, i: int) -> tuple[str, int] | None:
        hit = self._before.ending_at(tokens.lows, i)
        return None if hit is None else (hit[0], i - hit[1])

    def _hedge_after(self, tokens: Tokens, j: int) -> tuple[str, int] | None:
        hit = self._after.at(tokens.lows, j)
        # "300+" and "300-plus" are written solid; "12 plus 3" is arithmetic.
        if hit is None or (tokens.lows[j] in ("+", "-") and not tokens.touching(j)):
            return None
        return hit[0], j + hit[1] - 1


# -- the vocabulary file ----------------------------------------------------------------------

_TOP_KEYS = {"description", "qualifiers", "intervals", "hedges", "ranges", "vague", "rounding"}
_ROUNDING_KEYS = {"description", "qualifier", "min_place", "significant", "below", "above"}
_INTERVAL_KEYS = {"qualifier", "low", "high"}
_RANGE_KEYS = {"description", "openers", "bare_joiners", "change_verbs"}


def _bound(where: str, data: Any) -> tuple[float, float]:
    spec = checked_object(where, data, {"times", "plus"})
    if not all(isinstance(spec[k], int | float) for k in ("times", "plus")):
        raise DataFileError(f"{where}: times and plus must be numbers")
    return float(spec["times"]), float(spec["plus"])


def _phrases(where: str, data: Any, intervals: Mapping[str, Interval]) -> dict[tuple[str, ...], str]:
    table = checked_object(where, data, set(data) if isinstance(data, dict) else set())
    phrases: dict[tuple[str, ...], str] = {}
    for phrase, name in table.items():
        if name not in intervals:
            raise DataFileError(f"{where}: {phrase!r} names unknown interval {name!r}")
        words = tuple(m.group().lower() for m in _TOKEN_RE.finditer(phrase))
        if not words or len(words) > _MAX_HEDGE_WORDS:
            raise DataFileError(f"{where}: {phrase!r} must be 1 to {_MAX_HEDGE_WORDS} tokens")
        phrases[words] = name
    return phrases


def parse_vocabulary(data: Any, where: str = "qualifiers.json") -> NumberVocabulary:
    """Validate the content of ``qualifiers.json`` and build the vocabulary, or raise DataFileError."""
    top = checked_object(where, data, _TOP_KEYS)
    described = checked_object(f"{where}: qualifiers", top["qualifiers"], set(QUALIFIERS))
    if not all(isinstance(text, str) and text for text in described.values()):
        raise DataFileError(f"{where}: every qualifier needs a description")
    intervals: dict[str, Interval] = {}
    for name, spec in checked_object(f"{where}: intervals", top["intervals"], set(top["intervals"])).items():
        at = f"{where}: intervals.{name}"
        entry = checked_object(at, spec, _INTERVAL_KEYS)
        if entry["qualifier"] not in QUALIFIERS or entry["qualifier"] in ("range", "vague"):
            raise DataFileError(f"{at}: qualifier {entry['qualifier']!r} is not a hedge qualifier")
        high = None if entry["high"] is None else _bound(f"{at}.high", entry["high"])
        intervals[name] = Interval(entry["qualifier"], _bound(f"{at}.low", entry["low"]), high)
    if "exact" not in intervals or intervals["exact"].qualifier != "exact":
        raise DataFileError(f"{where}: intervals must define 'exact'")
    hedges = checked_object(f"{where}: hedges", top["hedges"], {"description", "before", "after"})
    ranges = checked_object(f"{where}: ranges", top["ranges"], _RANGE_KEYS)
    openers = checked_object(f"{where}: ranges.openers", ranges["openers"], set(ranges["openers"]))
    vague: dict[tuple[str, ...], Vague] = {}
    for phrase, spec in checked_object(f"{where}: vague", top["vague"], set(top["vague"])).items():
        if phrase == "description":
            continue
        entry = checked_object(f"{where}: vague.{phrase}", spec, {"value", "low", "high"})
        if not (entry["low"] <= entry["value"] and (entry["high"] is None or entry["value"] <= entry["high"])):
            raise DataFileError(f"{where}: vague.{phrase}: value must lie in [low, high]")
        vague[tuple(phrase.split())] = Vague(
            float(entry["value"]),
            float(entry["low"]),
            None if entry["high"] is None else float(entry["high"]),
        )
    spec = checked_object(f"{where}: rounding", top["rounding"], _ROUNDING_KEYS)
    if spec["qualifier"] not in QUALIFIERS or not all(isinstance(spec[k], int | float) for k in ("below", "above")):
        raise DataFileError(f"{where}: rounding needs a hedge qualifier and numbers below and above")
    if not all(isinstance(spec[k], int) and spec[k] >= 1 for k in ("min_place", "significant")):
        raise DataFileError(f"{where}: rounding.min_place and rounding.significant must be whole numbers >= 1")
    rounding = Rounding(spec["qualifier"], spec["min_place"], spec["significant"], spec["below"], spec["above"])
    return NumberVocabulary(
        intervals=intervals,
        before=_phrases(f"{where}: hedges.before", hedges["before"], intervals),
        after=_phrases(f"{where}: hedges.after", hedges["after"], intervals),
        openers={k: frozenset(v) for k, v in openers.items()},
        bare_joiners=frozenset(ranges["bare_joiners"]),
        change_verbs=frozenset(ranges["change_verbs"]),
        vague=vague,
        rounding=rounding,
    )


def load_vocabulary(path: Path = QUALIFIERS_FILE) -> NumberVocabulary:
    return parse_vocabulary(read_json(path), path.name)


@cache
def default_parser() -> NumberParser:
    """The parser over the shipped ``qualifiers.json`` (built once, immutable)."""
    return NumberParser(load_vocabulary())
