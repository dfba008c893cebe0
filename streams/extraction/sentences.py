"""Sentences of a news body: where each ends, which of them may state a figure, and clauses inside one.

Both are linear in the body: one regular expression finds every sentence end (see the comment on
``_SENTENCE_END``), and the figure test reads one lower-cased copy of the body. The extractor reads only the
sentences :func:`figure_sentences` returns, each cut at :data:`MAX_SENTENCE_CHARS`.
"""

from __future__ import annotations

import re

from streams.numbers import NUMBER_WORDS, TYPOGRAPHIC, nearly_ascii

MAX_SENTENCE_CHARS = 2_000
"""Longer "sentences" are lists or tables, not prose; only their start is read."""
CLAUSE_BREAKS = frozenset({",", ";", ":", "—", "–", "(", ")", '"', "“", "”"})
"""The tokens that end a clause inside a sentence (see :func:`clause_of`)."""
MAX_ASIDE_TOKENS = 16
"""How far an aside inside a clause is read ("13 people, including a girl, were killed")."""

# A sentence ends at a run of ".!?" (then closing quotes or brackets) before white space and a capital or
# digit, or at a line break. The run is matched only from its first mark (the look-behind after the
# first mark fails inside a run) and then possessively, so a failed match costs one step per mark: a run
# of n marks is read in O(n), where "[.!?]+" tried from every mark and backtracked was O(n²). One
# character class first, before the two branches, lets the regex engine skip ahead to the next mark or
# line break (with the branches first it tried both at every offset: 70 % slower). The period of an
# abbreviation ("since Oct. 7, 2023", "Lt. Gen. Kamal", "No. 2") ends no sentence: one fixed-width
# look-behind per abbreviation length, tried only at a mark. A line break inside a label ("Number of
# martyrs\n: 4", "Cumulative number of injuries:\n174,231") ends no sentence: label and number are one entry.
_ABBREVIATIONS = (
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mr", "Mrs", "Ms", "Dr", "Gen", "Lt", "Col", "Maj", "Capt", "Sgt", "Adm", "Cmdr", "Brig", "Rev", "Prof",
    "Gov", "Sen", "Rep", "Pres", "St", "No", "Nos", "Vol", "Approx", "Est",
)  # fmt: skip
_NOT_ABBREVIATION = "".join(
    rf"(?<!\b(?:{'|'.join(w for w in _ABBREVIATIONS if len(w) == size)})\.)"
    for size in sorted({len(w) for w in _ABBREVIATIONS})
) + r"(?<!\b[A-Z]\.[A-Z]\.)"  # and initialisms: "the U.N. Security Council", "U.S. officials"
_SENTENCE_END = re.compile(
    r"[.!?\n](?:(?<=\n)(?!\s*:)(?!(?<=:\n)\s*\d)\s*|(?<=[.!?])(?<![.!?][.!?])"
    + _NOT_ABBREVIATION
    + r"[.!?]*+[\"”’)\]]*\s+(?=[\"“‘(\[]?[A-Z0-9]))"
)


def sentence_bounds(body: str) -> list[tuple[int, int]]:
    """The ``(start, end)`` of each sentence of ``body``, in order; the end keeps the first end mark."""
    bounds: list[tuple[int, int]] = []
    start = 0
    for end in _SENTENCE_END.finditer(body):
        bounds.append((start, end.start() + 1))
        start = end.end()
    bounds.append((start, len(body)))
    return bounds


_DIGIT = re.compile(r"\d")
# punctuation to spaces (number words stand apart) and ASCII digits to "0" (one character to look for)
_HINTS = str.maketrans({**dict.fromkeys("-,.;:!?()[]\"'/" + TYPOGRAPHIC, " "), **dict.fromkeys("0123456789", "0")})


def _ascii(body: str) -> str:
    """A :func:`~streams.numbers.nearly_ascii` body with its typographic marks blanked, as :data:`_HINTS` would:
    lower-casing and translating ASCII text is several times faster than any other."""
    for mark in TYPOGRAPHIC if not body.isascii() else ():
        body = body.replace(mark, " ")
    return body


def long_sentences(body: str, max_chars: int = MAX_SENTENCE_CHARS) -> int:
    """How many sentences of ``body`` are longer than ``max_chars`` (and so read only in part)."""
    return sum(1 for start, end in sentence_bounds(body) if end - start > max_chars)


def figure_sentences(body: str, max_chars: int = MAX_SENTENCE_CHARS) -> list[tuple[int, int]]:
    """The ``(start, end)`` of the sentences of ``body`` that may state a figure, each cut at ``max_chars``
    (:data:`MAX_SENTENCE_CHARS` unless set).

    Most sentences of a report state no figure; one without a digit or a number word delimited by
    punctuation or white space ("twenty-one", "(three)") is not read further. Both tests read a copy of
    the body made once, lower-cased, with punctuation blanked and ASCII digits made "0": in ASCII text
    (typographic punctuation aside) a digit is a ``str.find`` of "0" (other digits need the regex), and the
    words are split from it (lower-casing nearly always keeps offsets; when it does not, the sentence is
    lowered alone).
    """
    ascii_digits = nearly_ascii(body)  # then lower-casing keeps every offset, too
    words = (_ascii(body) if ascii_digits else body).lower().translate(_HINTS)
    aligned = len(words) == len(body)
    kept: list[tuple[int, int]] = []
    for start, stop in sentence_bounds(body):
        end = min(stop, start + max_chars)
        if (words.find("0", start, end) == -1) if ascii_digits else (_DIGIT.search(body, start, end) is None):
            text = words[start:end] if aligned else body[start:end].lower().translate(_HINTS)
            if NUMBER_WORDS.isdisjoint(text.split()):
                continue
        kept.append((start, end))
    return kept


def breaks(lows: list[str], lo: int, hi: int) -> bool:
    """True when tokens ``[lo, hi)`` cross a clause break (a comma right before ``hi`` does not count)."""
    return any(lows[k] in (";", ":", "—") or (lows[k] == "," and k + 1 < hi) for k in range(lo, hi))


def clause_of(lows: list[str], first: int, last: int) -> tuple[int, int]:
    """The token span of the clause around tokens ``[first, last)``: out to the nearest clause breaks."""
    lo = first
    while lo > 0 and lows[lo - 1] not in CLAUSE_BREAKS:
        lo -= 1
    hi = last
    while hi < len(lows) and lows[hi] not in CLAUSE_BREAKS:
        hi += 1
    return lo, hi


def aside_opening(lows: list[str], after: int, limit: int = MAX_ASIDE_TOKENS) -> int | None:
    """The comma that opens an aside whose closing comma stands right before token ``after`` ("Police, speaking
    on condition of anonymity, said"; "Israel's offensive, launched after the Oct. 7 attack, has killed"),
    looked for up to ``limit`` tokens back; None when there is none."""
    return next((j for j in range(after - 2, max(0, after - limit), -1) if lows[j] == ","), None)
