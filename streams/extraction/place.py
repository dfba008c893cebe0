"""Place: where a figure happened, when the sentence names a known place after a locative ("in Gaza",
"across the West Bank", "the village of Wad al-Nourah") or an attack verb ("shelled Kharkiv").

:func:`place_of` reads the gazetteer terms the extractor found in the sentence. A running total over the
conflict's whole territory of a cumulative metric has no narrower place, so reports with and without
"in Gaza" meet in one series.
"""

from __future__ import annotations

from streams.extraction.reading import Sentence
from streams.extraction.vocabulary import Gazetteer

_LOCATIVES = frozenset({"in", "across", "near", "inside", "on", "at", "into", "throughout", "around", "from"})
# "missiles hit Chernihiv", "shelled Kharkiv", "the village of Wad al-Nourah": the place of an attack
_PLACE_VERBS = frozenset({"hit", "hits", "struck", "strikes", "shelled", "bombed", "pounded", "targeted", "attacked"})
# words between a locative and its place: "in the ...", "in central Beirut", "across southern Lebanon"
_COMPASS = ("north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest")
_BEFORE_PLACE = frozenset(
    {"the", "occupied", "central", "greater", *_COMPASS, *(f"{w}ern" for w in _COMPASS)}
    | {f"{a}-{b}{end}" for a in ("north", "south") for b in ("east", "west") for end in ("", "ern")}
)
_PLACE_OF = [
    [w, "of"]
    for w in ("village", "town", "city", "district", "camp", "region", "province", "state", "streets", "outskirts")
] + [[w, "for"] for w in ("battle", "fight", "fighting", "offensive", "assault")]
# "in the Myanmar military air strike", "in a Lebanon army statement": a place name before one of these nouns
# names who acts, not where
_ATTRIBUTIVE = frozenset(
    {"military", "army", "junta", "government", "forces", "troops", "authorities", "officials", "police", "war"}
    | {"ministry", "conflict", "regime"}
)
_OWNER_REACH = 40
"""Characters from a possessive place to the place it owns: "in Syria's Druze-majority Sweida province"."""
_PUNCT = frozenset(",;:.()")


def place_of(
    gazetteer: Gazetteer,
    sentence: Sentence,
    own: tuple[int, int],
    segment: tuple[int, int],
    *,
    basis: str,
    cumulative: bool,
    displaced: bool = False,
) -> str | None:
    """The first known place after a locative ("in Gaza", "across the West Bank"): segment, then sentence.

    A running total over the conflict's whole territory ("killed in Gaza since the war began")
    of a cumulative metric has no narrower place: null, as when no place is named, so both reports
    meet in one series.
    """
    if displaced and _abroad(sentence.tokens.lows, own):
        return None  # "while 6.5 million are refugees abroad": not in the place the sentence names for the others
    place = _stated_place(gazetteer, sentence, own, segment)
    if basis == "total" and place in gazetteer.territory.get(sentence.conflict, ()) and cumulative:
        return None  # a stock keeps its place: "79 hostages still held in the Gaza Strip"
    return place


_ABROAD = frozenset({"abroad", "globally", "worldwide", "overseas", "neighbouring", "neighboring"})


def _abroad(lows: list[str], own: tuple[int, int]) -> bool:
    """True when tokens ``own`` say the people counted left the country: "refugees abroad", "recorded globally",
    "fled to neighbouring countries", "fled across borders", "outside the country"."""
    for k in range(own[0], min(own[1], len(lows))):
        word, after = lows[k], lows[k + 1 : k + 3]
        if word in _ABROAD or (word == "across" and (after[:1] == ["borders"] or after == ["the", "border"])):
            return True
        if word == "outside" and after == ["the", "country"]:
            return True
    return False


def _stated_place(
    gazetteer: Gazetteer, sentence: Sentence, own: tuple[int, int], segment: tuple[int, int]
) -> str | None:
    """The place named from the figure to the next one ("26 killed (12 in Gaza City, 8 in Rafah)"), else in
    the figure's segment, else in the sentence."""
    text, tokens = sentence.text, sentence.tokens

    def char(k: int) -> int:
        return tokens.starts[k] if k < len(tokens) else len(text)

    terms = sentence.terms
    for lo, hi in ((char(own[0]), char(own[1])), (char(segment[0]), char(segment[1])), (0, len(text))):
        for n, (start, name) in enumerate(terms):
            place = gazetteer.terms[name][1]
            if place is None or not lo <= start < hi:
                continue
            after = text[start + len(name) : start + len(name) + 12].lower().split()[:1]
            if after and after[0] in _ATTRIBUTIVE:
                continue
            before = text[max(0, start - 32) : start].lower().split()[-4:]
            while before and before[-1] in _BEFORE_PLACE:
                before.pop()
            if before and (before[-1] in _LOCATIVES or before[-1] in _PLACE_VERBS or before[-2:] in _PLACE_OF):
                at, phrase = start, name
                owned = _owned(gazetteer, text, terms, n)
                if owned is not None:
                    at, phrase = owned
                    place = gazetteer.terms[phrase][1]
                # "in the offensive on Goma and Bukavu": a figure over two places has no one place
                other = at + len(phrase) + 5
                joined = text[other - 5 : other] == " and " and any(
                    o == other and gazetteer.terms[p][1] not in (None, place) for o, p in sentence.terms
                )
                return None if joined else place
    return None


def _owned(gazetteer: Gazetteer, text: str, terms: list[tuple[int, str]], n: int) -> tuple[int, str] | None:
    """The place that the possessive place ``terms[n]`` owns: "in Ukraine's Kharkiv region" names Kharkiv, "in
    Sudan's North Darfur state" Darfur, "in Syria's Druze-majority Sweida province" Sweida; else None."""
    at, phrase = terms[n]
    end = at + len(phrase)
    if text[end : end + 2] not in ("'s", "’s"):
        return None
    owned = next((t for t in terms[n + 1 : n + 4] if gazetteer.terms[t[1]][1] is not None), None)
    if owned is None:
        return None
    between = text[end + 2 : owned[0]]
    return owned if len(between) <= _OWNER_REACH and len(between.split()) <= 3 and _PUNCT.isdisjoint(between) else None
