"""Loads and validates the extraction vocabulary: ``gazetteer.json`` (conflicts) and ``taxonomy.json``.

Both files are checked against the keys this module knows, and every name one part refers to
(an event in a metric signature, a noun class) must exist; a mismatch raises
:class:`~streams._exceptions.DataFileError`. A user gazetteer (same shape as the shipped one) is
merged on top: a conflict with a new slug is added, one with a known slug extends it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from streams._exceptions import DataFileError
from streams.datafiles import checked_object, read_json
from streams.hierarchy import PEOPLE, Hierarchy, Theatre
from streams.numbers import Tokens
from streams.phrases import Phrases

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
GAZETTEER_FILE = DATA_DIR / "gazetteer.json"
TAXONOMY_FILE = DATA_DIR / "taxonomy.json"

METRIC_KINDS = ("cumulative", "stock")
NOUN_CLASSES = ("person", "hostage", "prisoner", "truck")
CONFLICT_KEYS = {
    "slug", "name", "start", "start_note", "aliases", "parties", "places", "sources", "territory", "population",
    "hierarchy",
}  # fmt: skip
HIERARCHY_KEYS = {"place", "people", "within"}
GROUP_KEYS = {"nouns", "adjectives", "within"}
CONTEXT_KEYS = {
    "description", "auxiliaries", "skip_before", "function_words", "partitives", "inclusions", "planned",
    "total", "incident", "incident_local", "perfect", "revision", "speech_verbs", "by_verbs", "not_conflict",
    "not_count_after", "not_count_before", "fronted", "toll_of_incident", "strong_total",
    "source_titles", "source_counts", "source_anaphors", "source_ends", "not_speech_after",
    "aside_openers", "source_heads", "speech_only", "since_today", "year_start", "war_nouns", "record_nouns",
    "figurative", "campaign", "captors", "exchange", "deals", "increments",
}  # fmt: skip

def words_of(phrase: str) -> tuple[str, ...]:
    """The lower-cased word and symbol tokens of a phrase, as :class:`streams.numbers.Tokens` cuts them."""
    return tuple(Tokens(phrase).lows)


@dataclass(frozen=True, slots=True)
class Conflict:
    slug: str
    name: str
    start: str


_FIRST_WORD = re.compile(r"[^\W\d_]+")
# Nearly all terms start with a capitalized ASCII word: scanning only for those is several times faster
# than looking at every word. One found inside a longer word ("McGaza", "ÉGaza") is dropped by the
# checks around a term.
_CAPITALIZED = re.compile(r"[A-Z][A-Za-z]*")


def _starts_word(text: str, at: int) -> bool:
    """True when no letter, digit or "_" stands right before offset ``at``."""
    return not at or not (text[at - 1].isalnum() or text[at - 1] == "_")


def _offsets(text: str, term: str) -> list[int]:
    """The offsets where ``term`` starts in ``text`` after no letter, digit or "_" (the caller checks its end)."""
    found = []
    at = text.find(term)
    while at != -1:
        if _starts_word(text, at):
            found.append(at)
        at = text.find(term, at + 1)
    return found


@dataclass(frozen=True, slots=True)
class Gazetteer:
    """Conflicts, and their terms (case-sensitive phrases) mapped to (conflict slugs, canonical place).

    ``sources`` maps a conflict to its source aliases (lower-cased, without a leading "the") and
    the one name each stands for; ``places_only`` holds the terms that name a place and no party.
    """

    conflicts: Mapping[str, Conflict]
    terms: Mapping[str, tuple[tuple[str, ...], str | None]]
    by_first: Mapping[str, tuple[str, ...]]
    # (term, its first word) for the terms whose first word is not an ASCII capitalized word
    # ("occupied West Bank", "Cité Soleil"): they are looked up whole
    other_terms: tuple[tuple[str, str], ...]
    sources: Mapping[str, Mapping[str, str]]
    places_only: frozenset[str]
    territory: Mapping[str, frozenset[str]]  # conflict -> places that are its whole territory
    population: Mapping[str, frozenset[str]] = field(default_factory=dict)
    """conflict -> groups that are the whole population of its territory ("Haitians" in Haiti): they narrow
    nothing, so a figure of them has no group"""

    def source(self, conflict: str, name: str | None) -> str | None:
        """The canonical name of ``name`` in ``conflict``: "health ministry in Gaza" -> "Gaza health ministry"."""
        if not name:
            return name
        key = name.strip().lower()
        key = key[4:] if key.startswith("the ") else key
        return self.sources.get(conflict, {}).get(key, name)

    def scan(self, text: str) -> list[tuple[int, str]]:
        """Every term in ``text`` as (start offset, phrase), longest match first, not overlapping."""
        found: list[tuple[int, str]] = []
        skip_to = 0
        by_first = self.by_first
        # most capitalized words start no term: a comprehension drops them before the loop below
        starts = [(m.start(), word) for m in _CAPITALIZED.finditer(text) if (word := m[0]) in by_first]
        # the few other terms are looked up whole with str.find: in the regular expression an alternation
        # of their first words is tried at every offset and costs as much as the rest, Unicode classes
        # cost three times ASCII ranges, and short first words ("al") stand inside many other words
        other = [(at, word) for term, word in self.other_terms for at in _offsets(text, term)]
        if other:
            starts = sorted(starts + other)
        for start, word in starts:
            if start < skip_to or not _starts_word(text, start):
                continue
            for phrase in by_first[word]:
                end = start + len(phrase)
                if text.startswith(phrase, start) and not (end < len(text) and text[end].isalnum()):
                    found.append((start, phrase))
                    skip_to = end
                    break
        return found


@dataclass(frozen=True, slots=True)
class Metric:
    slug: str
    kind: str
    description: str


@dataclass(frozen=True, slots=True)
class Taxonomy:
    metrics: Mapping[str, Metric]
    signatures: Mapping[tuple[str, str | None], str]
    nouns: Phrases[str]  # head noun -> noun class
    noun_events: Phrases[str]  # head noun that carries its event -> event
    events: Phrases[str]
    modifiers: frozenset[str]
    group_nouns: Phrases[str]
    group_adjectives: Phrases[str]
    context: Mapping[str, Phrases[bool]]
    targets: Phrases[str] = field(default_factory=lambda: Phrases({}))
    """phrase -> what an incident hit ("school") or ``day`` for a day's toll ("in the past 24 hours")"""
    parts_of_people: frozenset[str] = frozenset()
    """groups whose ``within`` is ``people``: parts of a theatre's whole population (children, civilians)"""

    @property
    def metric_kinds(self) -> dict[str, str]:
        """Each metric's kind: ``cumulative`` (can only grow) or ``stock`` (goes up and down)."""
        return {slug: metric.kind for slug, metric in self.metrics.items()}


# -- helpers -----------------------------------------------------------------------------------


def _strings(where: str, data: Any) -> list[str]:
    if not isinstance(data, list) or not all(isinstance(s, str) and s.strip() for s in data):
        raise DataFileError(f"{where}: expected a list of non-empty strings")
    return data


def _iso_date(where: str, text: Any) -> str:
    try:
        return date.fromisoformat(text).isoformat()
    except (TypeError, ValueError) as exc:
        raise DataFileError(f"{where}: {text!r} is not a YYYY-MM-DD date") from exc


# -- gazetteer ---------------------------------------------------------------------------------


def _global_sources(where: str, data: Any) -> dict[str, list[str]]:
    raw = data.get("sources", {}) if isinstance(data, dict) else {}
    sources = checked_object(f"{where}: sources", raw, set(raw) if isinstance(raw, dict) else set())
    for name, aliases in sources.items():
        _strings(f"{where}: sources.{name}", aliases)
    return sources


def _conflict_entries(where: str, data: Any) -> list[dict[str, Any]]:
    top = checked_object(where, data, {"description", "sources", "conflicts"}, {"conflicts"})
    if not isinstance(top["conflicts"], list):
        raise DataFileError(f"{where}: 'conflicts' must be a list")
    entries = []
    for n, raw in enumerate(top["conflicts"]):
        entry = checked_object(f"{where}: conflicts[{n}]", raw, CONFLICT_KEYS, {"slug"})
        at = f"{where}: conflict {entry['slug']!r}"
        for key in ("aliases", "parties"):
            _strings(f"{at}.{key}", entry.get(key, []))
        places = checked_object(f"{at}.places", entry.get("places", {}), set(entry.get("places", {})))
        for name, aliases in places.items():
            _strings(f"{at}.places.{name}", aliases)
        sources = checked_object(f"{at}.sources", entry.get("sources", {}), set(entry.get("sources", {})))
        for name, aliases in sources.items():
            _strings(f"{at}.sources.{name}", aliases)
        unknown = set(_strings(f"{at}.territory", entry.get("territory", ["-"]))) - set(places) - {"-"}
        if unknown:
            raise DataFileError(f"{at}.territory: {sorted(unknown)} are not places of the conflict")
        _strings(f"{at}.population", entry.get("population", []))
        hierarchy = checked_object(f"{at}.hierarchy", entry.get("hierarchy", {}), HIERARCHY_KEYS, set())
        _strings(f"{at}.hierarchy.people", hierarchy.get("people", []))
        within = checked_object(f"{at}.hierarchy.within", hierarchy.get("within", {}), set(hierarchy.get("within", {})))
        if not all(isinstance(v, str) for v in [hierarchy.get("place", ""), *within.values()]):
            raise DataFileError(f"{at}.hierarchy: place and the places of 'within' must be strings")
        if "start" in entry:
            _iso_date(f"{at}.start", entry["start"])
        entries.append(entry)
    return entries


def _merge(base: list[dict[str, Any]], extra: list[dict[str, Any]]) -> list[dict[str, Any]]:
    merged = {e["slug"]: dict(e) for e in base}
    for entry in extra:
        known = merged.get(entry["slug"])
        if known is None:
            merged[entry["slug"]] = dict(entry)
            continue
        for key in ("aliases", "parties", "territory", "population"):
            known[key] = [*known.get(key, []), *entry.get(key, [])]
        for group in ("places", "sources"):
            named = dict(known.get(group, {}))
            for name, aliases in entry.get(group, {}).items():
                named[name] = [*named.get(name, []), *aliases]
            known[group] = named
        for key in ("name", "start", "start_note"):
            if key in entry:
                known[key] = entry[key]
        if "hierarchy" in entry:
            mine, theirs = known.get("hierarchy", {}), entry["hierarchy"]
            known["hierarchy"] = {
                "place": theirs.get("place", mine.get("place")),
                "people": [*mine.get("people", []), *theirs.get("people", [])],
                "within": {**mine.get("within", {}), **theirs.get("within", {})},
            }
    return list(merged.values())


def _entries(user_file: Path | None) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The conflict entries and top-level sources of the shipped gazetteer, with ``user_file`` merged over them."""
    shipped = read_json(GAZETTEER_FILE)
    entries = _conflict_entries(GAZETTEER_FILE.name, shipped)
    common = _global_sources(GAZETTEER_FILE.name, shipped)
    if user_file is not None:
        user = read_json(user_file)
        entries = _merge(entries, _conflict_entries(str(user_file), user))
        for name, aliases in _global_sources(str(user_file), user).items():
            common[name] = [*common.get(name, []), *aliases]
    return entries, common


def load_gazetteer(user_file: Path | None = None) -> Gazetteer:
    """The shipped gazetteer, extended by ``user_file`` when given."""
    entries, common = _entries(user_file)
    conflicts: dict[str, Conflict] = {}
    terms: dict[str, tuple[tuple[str, ...], str | None]] = {}
    sources: dict[str, dict[str, str]] = {}
    territories: dict[str, frozenset[str]] = {}
    populations: dict[str, frozenset[str]] = {}
    named: set[str] = set()

    def add(phrase: str, slug: str, place: str | None) -> None:
        if not _FIRST_WORD.match(phrase):
            raise DataFileError(f"gazetteer: term {phrase!r} of {slug!r} must start with a letter")
        slugs, known_place = terms.get(phrase, ((), None))
        terms[phrase] = (slugs if slug in slugs else (*slugs, slug), known_place or place)

    for entry in entries:
        slug = entry["slug"]
        if "start" not in entry:
            raise DataFileError(f"gazetteer: conflict {slug!r} has no start date")
        conflicts[slug] = Conflict(slug, entry.get("name", slug), _iso_date(slug, entry["start"]))
        for phrase in [*entry.get("aliases", []), *entry.get("parties", [])]:
            add(phrase, slug, None)
            named.add(phrase)
        territories[slug] = frozenset(entry.get("territory", []))
        populations[slug] = frozenset(entry.get("population", []))
        aliases_of = sources.setdefault(slug, {})
        for canonical, aliases in [*common.items(), *entry.get("sources", {}).items()]:
            for alias in {canonical, *aliases}:
                key = alias.strip().lower()
                key = key[4:] if key.startswith("the ") else key
                if aliases_of.get(key, canonical) != canonical:
                    raise DataFileError(f"gazetteer: source alias {alias!r} of {slug!r} names two sources")
                aliases_of[key] = canonical
        for place, aliases in entry.get("places", {}).items():
            for phrase in sorted({place, *aliases}):
                add(phrase, slug, place)
    by_first: dict[str, list[str]] = {}
    for phrase in sorted(terms, key=len, reverse=True):
        first = _FIRST_WORD.match(phrase)
        assert first is not None
        by_first.setdefault(first.group(), []).append(phrase)
    other = tuple(
        (term, word)
        for word, terms_of in sorted(by_first.items())
        if not (word.isascii() and word[0].isupper())
        for term in terms_of
    )
    places_only = frozenset(phrase for phrase, (_, where) in terms.items() if where and phrase not in named)
    firsts = {k: tuple(v) for k, v in by_first.items()}
    return Gazetteer(conflicts, terms, firsts, other, sources, places_only, territories, populations)


# -- hierarchy ---------------------------------------------------------------------------------


def load_hierarchy(user_file: Path | None = None, taxonomy: Taxonomy | None = None) -> Hierarchy:
    """Each conflict's theatre (default place, names of its whole population, which place lies in which) from
    the gazetteer extended by ``user_file``, and the groups that are parts of a whole population from the
    taxonomy. Every place named must be a place of the conflict, and no place may lie in itself."""
    entries, _ = _entries(user_file)
    theatres: dict[str, Theatre] = {}
    for entry in entries:
        slug = entry["slug"]
        at = f"gazetteer: conflict {slug!r}.hierarchy"
        places = set(entry.get("places", {}))
        territory = frozenset(entry.get("territory", []))
        spec = entry.get("hierarchy", {})
        default = spec.get("place", next(iter(sorted(territory)), None))
        within = dict(spec.get("within", {}))
        unknown = ({default} | set(within) | set(within.values())) - places - {None}
        if unknown:
            raise DataFileError(f"{at}: {sorted(unknown)} are not places of the conflict")
        people = frozenset([*entry.get("population", []), *spec.get("people", [])])
        theatre = Theatre(default, people, territory, within)
        for place in within:
            if place in theatre.ancestors(place):
                raise DataFileError(f"{at}.within: {place!r} lies in itself")
        theatres[slug] = theatre
    parts = (taxonomy or load_taxonomy()).parts_of_people
    return Hierarchy(theatres, parts)


# -- taxonomy ----------------------------------------------------------------------------------


def load_taxonomy(path: Path = TAXONOMY_FILE) -> Taxonomy:
    return parse_taxonomy(read_json(path), path.name)


def parse_taxonomy(data: Any, where: str = "taxonomy.json") -> Taxonomy:
    top = checked_object(
        where, data, {"description", "metrics", "nouns", "modifiers", "events", "groups", "context", "targets"}
    )
    events_raw = checked_object(f"{where}: events", top["events"], set(top["events"]))
    event_names = set(events_raw) - {"description"}
    events: dict[tuple[str, ...], str] = {}
    for event in sorted(event_names):
        for phrase in _strings(f"{where}: events.{event}", events_raw[event]):
            events[words_of(phrase)] = event

    metrics: dict[str, Metric] = {}
    signatures: dict[tuple[str, str | None], str] = {}
    for slug, spec in checked_object(f"{where}: metrics", top["metrics"], set(top["metrics"])).items():
        at = f"{where}: metrics.{slug}"
        entry = checked_object(at, spec, {"kind", "description", "signatures"})
        if entry["kind"] not in METRIC_KINDS:
            raise DataFileError(f"{at}: kind {entry['kind']!r} is not one of {METRIC_KINDS}")
        metrics[slug] = Metric(slug, entry["kind"], entry["description"])
        for pair in entry["signatures"]:
            noun: str = pair[0]
            noun_event: str | None = pair[1]
            if noun not in NOUN_CLASSES or (noun_event is not None and noun_event not in event_names):
                raise DataFileError(f"{at}: signature {pair!r} names an unknown noun class or event")
            if (noun, noun_event) in signatures:
                raise DataFileError(f"{at}: signature {pair!r} already belongs to {signatures[(noun, noun_event)]}")
            signatures[(noun, noun_event)] = slug

    nouns_raw = checked_object(f"{where}: nouns", top["nouns"], {"description", "event", *NOUN_CLASSES})
    nouns: dict[tuple[str, ...], str] = {}
    for cls in NOUN_CLASSES:
        for phrase in _strings(f"{where}: nouns.{cls}", nouns_raw[cls]):
            nouns[words_of(phrase)] = cls
    noun_events: dict[tuple[str, ...], str] = {}
    for phrase, event in checked_object(f"{where}: nouns.event", nouns_raw["event"], set(nouns_raw["event"])).items():
        if event not in event_names:
            raise DataFileError(f"{where}: nouns.event.{phrase}: unknown event {event!r}")
        noun_events[words_of(phrase)] = event

    group_nouns: dict[tuple[str, ...], str] = {}
    group_adjectives: dict[tuple[str, ...], str] = {}
    parts: set[str] = set()
    groups_raw = checked_object(f"{where}: groups", top["groups"], set(top["groups"]))
    for group, spec in groups_raw.items():
        if group == "description":
            continue
        entry = checked_object(f"{where}: groups.{group}", spec, GROUP_KEYS, {"nouns", "adjectives"})
        if entry.get("within", PEOPLE) != PEOPLE:
            raise DataFileError(f"{where}: groups.{group}.within: {entry['within']!r} is not {PEOPLE!r}")
        if "within" in entry:
            parts.add(group)
        for phrase in _strings(f"{where}: groups.{group}.nouns", entry["nouns"]):
            group_nouns[words_of(phrase)] = group
        for phrase in entry["adjectives"]:
            group_adjectives[words_of(phrase)] = group

    context_raw = checked_object(f"{where}: context", top["context"], CONTEXT_KEYS)
    context = {
        key: Phrases({words_of(p): True for p in _strings(f"{where}: context.{key}", value)})
        for key, value in context_raw.items()
        if key != "description"
    }
    targets: dict[tuple[str, ...], str] = {}
    for kind, phrases in checked_object(f"{where}: targets", top["targets"], set(top["targets"])).items():
        if kind != "description":
            for phrase in _strings(f"{where}: targets.{kind}", phrases):
                targets[words_of(phrase)] = kind
    return Taxonomy(
        metrics=metrics,
        signatures=signatures,
        nouns=Phrases(nouns),
        noun_events=Phrases(noun_events),
        events=Phrases(events),
        modifiers=frozenset(w.lower() for w in _strings(f"{where}: modifiers", top["modifiers"])),
        group_nouns=Phrases(group_nouns),
        group_adjectives=Phrases(group_adjectives),
        context=context,
        targets=Phrases(targets),
        parts_of_people=frozenset(parts),
    )
