"""The pairwise rules: how one claim relates to another claim of the same series.

Every relation is judged on the claims' intervals ``[low, high]`` (``high`` None is +infinity), so
hedged wording that the intervals allow ("more than 60" and 75) never contradicts. The relation's
*kind* is symmetric (``relate(a, b).kind == relate(b, a).kind``), which is what lets the ledger keep
order-free counts; the *rule* names the relation from the first claim's point of view.

Rules, from the point of view of claim ``a`` judged against an earlier-held claim ``b``:

* ``same-period-disjoint``: both state the same period (as_of days at most ``window_days`` apart)
  and their intervals do not overlap (same or different sources). Not for incident figures without a
  place: two of those on one day may be two different strikes. For a cumulative metric a later
  day wholly above an earlier day inside the window is growth, not a contradiction.
* ``cumulative-decrease``: cumulative metric, ``a`` lies wholly below an earlier-dated ``b``.
* ``late-above-later``: cumulative metric, ``a`` lies wholly above a later-dated ``b``.
* ``revised-down`` / ``revised-away``: a would-be contradiction where the lower claim is dated on or
  after the higher one and says it revises the figure down; ``revised-down`` when ``a`` is that lower
  claim, ``revised-away`` when ``a`` is the figure it replaced.
* ``same-period-overlap``: different sources, same period, overlapping intervals (a corroboration).
  A plan has no period (its series carries no day), so another source's overlapping figure for it
  corroborates whenever it is announced; plans that differ stay updates, as for any stock.
* ``restates-recent``: cumulative metric, different sources, overlapping intervals, as_of days at most
  ``restate_days`` apart: a running total restated a few days late or rounded ("more than 20,000") agrees
  with the figure it restates (a corroboration).

Reporting lag (:func:`excused`, :class:`Held`): outlets restate a running total a few days late, so a cumulative
contradiction between a lower, later-or-same-dated claim and a higher one is dropped when the lower claim is
consistent with (not wholly below) another figure the series held in the ``restate_days`` before it: it
restates that earlier figure. A cumulative contradiction stands only when the lower figure is inconsistent
with every figure of that window. This is a property of the set of claims, so counts stay order-free.

A would-be contradiction between a higher claim and a lower, later-or-same-dated one is also dropped
when a third claim, a revision, lowered the higher figure in between (the higher claim was superseded):
the ministry's 34,622 on 9 May does not contradict its 34,844 of 6 May once its revision to 34,535 on
8 May is known. That is why relations take the series' revisions as context.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date
from functools import lru_cache

from streams.claims import Claim
from streams.items import parse_timestamp

METRIC_KINDS = ("cumulative", "stock")
CONTRADICTION = "contradiction"
REVISION = "revision"
CORROBORATION = "corroboration"
# The order in which a contradiction's rule is chosen when a claim breaks several.
CONTRADICTION_RULES = ("same-period-disjoint", "cumulative-decrease", "late-above-later")


@dataclass(frozen=True, slots=True)
class Relation:
    """How claim ``a`` relates to claim ``b``: a symmetric ``kind`` and an ``a``-sided ``rule``."""

    kind: str
    rule: str


@lru_cache(maxsize=4096)
def day_number(iso_day: str) -> int:
    """The proleptic ordinal of a ``YYYY-MM-DD`` day."""
    return date.fromisoformat(iso_day).toordinal()


def wholly_below(a: Claim, b: Claim) -> bool:
    """True when every value ``a`` allows is smaller than every value ``b`` allows."""
    return a.high is not None and a.high < b.low


def overlaps(a: Claim, b: Claim) -> bool:
    """True when the two claims' intervals share a value."""
    return not (wholly_below(a, b) or wholly_below(b, a))


def same_figure(a: Claim, b: Claim) -> bool:
    """True when both claims state the same interval and point value."""
    return (a.value, a.low, a.high) == (b.value, b.low, b.high)


def relate(a: Claim, b: Claim, cumulative: bool, window_days: int,
           revisions: Sequence[Claim] = (), *, restate_days: int = 0) -> Relation | None:
    """The relation of ``a`` to ``b`` (two claims of one series), or None when there is nothing to say.

    ``revisions`` are the series' claims that say they revise a figure down (others are ignored).
    """
    gap = day_number(a.as_of) - day_number(b.as_of)
    same_period = abs(gap) <= window_days
    a_below = wholly_below(a, b)
    if not (a_below or wholly_below(b, a)):
        if a.source == b.source:
            return None
        if same_period or "planned" in (a.modality, b.modality):
            return Relation(CORROBORATION, "same-period-overlap")
        if cumulative and abs(gap) <= restate_days:
            return Relation(CORROBORATION, "restates-recent")
        return None
    lower_gap = gap if a_below else -gap  # days from the higher claim to the lower one
    if cumulative and lower_gap > 0:
        rule = "cumulative-decrease" if a_below else "late-above-later"
    elif same_period and not (cumulative and lower_gap < 0) and not (_unplaced_incident(a) or _unplaced_incident(b)):
        rule = "same-period-disjoint"
    else:
        return None
    lower, higher = (a, b) if a_below else (b, a)
    if lower.revision and lower_gap >= 0:
        return Relation(REVISION, "revised-down" if a_below else "revised-away")
    if _superseded(higher, lower, revisions):
        return None
    return Relation(CONTRADICTION, rule)


def _unplaced_incident(claim: Claim) -> bool:
    """A reported incident figure with no place and no target: two of them on one day are as likely two strikes
    as one, so their disagreement is no evidence of a contradiction (reports of one strike name where it hit or
    what). With a hierarchy such figures do not even share a series (:mod:`streams.ledger.series`)."""
    return claim.basis == "incident" and claim.place is None and claim.modality == "reported" and claim.target is None


def _superseded(higher: Claim, lower: Claim, revisions: Sequence[Claim]) -> bool:
    """True when a third claim revised ``higher`` down on a day from ``higher``'s to ``lower``'s."""
    start, end = day_number(higher.as_of), day_number(lower.as_of)
    return any(
        r.revision and r.claim_id not in (higher.claim_id, lower.claim_id)
        and wholly_below(r, higher) and start <= day_number(r.as_of) <= end
        for r in revisions
    )


def excused(a: Claim, b: Claim, held: Held) -> bool:
    """True when the cumulative contradiction between ``a`` and ``b`` is reporting lag: the lower of the two,
    dated on or after the higher, is consistent with (not wholly below) another figure the series ``held`` in the
    restatement window before its own day, so it restates that earlier figure."""
    lower, higher = (a, b) if wholly_below(a, b) else (b, a)
    end = day_number(lower.as_of)
    if held.restate_days <= 0 or end < day_number(higher.as_of):
        return False
    return any(
        other.claim_id not in (lower.claim_id, higher.claim_id) and not wholly_below(lower, other)
        for other in held.before(end)
    )


class Held:
    """The figures a series held in the ``restate_days`` before a day: those dated in that window, and those of
    the latest day before it when no figure is dated on the window's first day (the series still held them when
    the window opened). The claims are sorted by day once; each day's answer is kept."""

    def __init__(self, claims: Iterable[Claim], restate_days: int) -> None:
        self.restate_days = restate_days
        self._claims = sorted(claims, key=lambda claim: day_number(claim.as_of))
        self._days = [day_number(claim.as_of) for claim in self._claims]
        self._kept: dict[int, list[Claim]] = {}

    def before(self, end: int) -> list[Claim]:
        """The figures held in the window before day number ``end``."""
        if end not in self._kept:
            start = end - self.restate_days
            first, stop = bisect_left(self._days, start), bisect_left(self._days, end)
            if first == 0 or (first < stop and self._days[first] == start):
                self._kept[end] = self._claims[first:stop]
            else:  # the latest day before the window, whose figures the series still held when it opened
                latest = bisect_left(self._days, self._days[first - 1])
                self._kept[end] = self._claims[latest:stop]
        return self._kept[end]


def restates(claim: Claim, claims: Iterable[Claim], restate_days: int) -> bool:
    """True when ``claim`` (of a running total) is no news against another of ``claims`` dated in the
    ``restate_days`` up to its own day: it says no more than the other, its interval containing the other's
    ("more than 20,000" or a bare "20,000" after 20,057; the same figure again, then the earlier-ranked one is
    the original), or it lies wholly below the other without saying it revises it (a figure of a few days
    before, restated late). Such a claim is not the series' current figure."""
    end = day_number(claim.as_of)
    claims = list(claims)
    revisions = revisions_among(claims)
    for other in claims:
        if other.claim_id == claim.claim_id or not end - restate_days <= day_number(other.as_of) <= end:
            continue
        if _contains(claim, other) and (not _contains(other, claim) or rank(other) < rank(claim)):
            return True
        if wholly_below(claim, other) and not claim.revision and not _superseded(other, claim, revisions):
            return True
    return False


def _contains(a: Claim, b: Claim) -> bool:
    """True when ``a``'s interval contains ``b``'s."""
    return a.low <= b.low and (a.high is None or (b.high is not None and b.high <= a.high))


def rank(claim: Claim) -> tuple[str, str, str]:
    """The order that picks the current figure: latest as_of, then latest publication, then claim id."""
    return (claim.as_of, utc_time(claim.published_at), claim.claim_id)


@lru_cache(maxsize=65_536)
def utc_time(timestamp: str) -> str:
    """An ISO timestamp in UTC, so that timestamps of any offset sort in time order as strings."""
    return parse_timestamp(timestamp).astimezone(UTC).isoformat()


class Relations:
    """How many unordered pairs of a series' claims corroborate, contradict or revise one another, under the
    rules of a metric kind and its windows. Kept between counts of a series whose claims change a few at a time,
    it relates only the pairs it has not seen, so a history of ``n`` claims that gained one costs ``n``
    :func:`relate` calls, not ``n * (n - 1) / 2``.

    A pair's corroboration or revision holds whatever else the series holds, so it is kept. A pair that would
    contradict is kept as a candidate and judged again on every count, in the context of the whole set: a
    revision dated in between supersedes it, a figure held in the restatement window excuses it.
    """

    def __init__(self, cumulative: bool, window_days: int, restate_days: int = 0) -> None:
        self.rules = (cumulative, window_days, restate_days)
        self._claims: dict[str, Claim] = {}  # each claim related so far, by a key unique in the set
        self._pairs: dict[str, dict[str, str]] = {}  # key -> the key of each claim it relates to -> the kind
        self._kinds = {CORROBORATION: 0, CONTRADICTION: 0, REVISION: 0}  # pairs of each kind, candidates included
        self._candidates: set[tuple[str, str]] = set()  # the pairs that would contradict, each key pair ordered

    def count(self, claims: Sequence[Claim]) -> dict[str, int]:
        """How many unordered pairs of ``claims`` corroborate, contradict or revise one another."""
        self._follow(claims)
        counts = dict(self._kinds)
        if counts[CONTRADICTION]:
            counts[CONTRADICTION] = self._standing(claims)
        return counts

    def _follow(self, claims: Sequence[Claim]) -> None:
        """Forget the claims not in ``claims`` and relate the new ones to the rest."""
        wanted: dict[str, Claim] = {}
        for claim in claims:
            key = claim.claim_id
            while key in wanted:  # a claim held twice is related to itself, as to any other claim
                key += "#"
            wanted[key] = claim
        for key in [key for key in self._claims if key not in wanted]:
            self._drop(key)
        for key, claim in wanted.items():
            known = self._claims.get(key)
            if known is claim:
                continue
            if known is not None:
                if known == claim:
                    self._claims[key] = claim
                    continue
                self._drop(key)
            self._add(key, claim)

    def _add(self, key: str, claim: Claim) -> None:
        cumulative, window_days, restate_days = self.rules
        partners: dict[str, str] = {}
        for other_key, other in self._claims.items():
            relation = relate(claim, other, cumulative, window_days, restate_days=restate_days)
            if relation is not None:
                partners[other_key] = relation.kind
                self._pairs[other_key][key] = relation.kind
                self._kinds[relation.kind] += 1
                if relation.kind == CONTRADICTION:
                    self._candidates.add(_ordered(key, other_key))
        self._claims[key] = claim
        self._pairs[key] = partners

    def _drop(self, key: str) -> None:
        del self._claims[key]
        for other_key, kind in self._pairs.pop(key).items():
            del self._pairs[other_key][key]
            self._kinds[kind] -= 1
            if kind == CONTRADICTION:
                self._candidates.discard(_ordered(key, other_key))

    def _standing(self, claims: Sequence[Claim]) -> int:
        """How many candidate contradictions stand in the context of ``claims``."""
        cumulative, _, restate_days = self.rules
        revisions = revisions_among(claims)
        held = Held(claims, restate_days)
        standing = 0
        for key, other_key in self._candidates:
            a, b = self._claims[key], self._claims[other_key]
            lower, higher = (a, b) if wholly_below(a, b) else (b, a)
            if revisions and _superseded(higher, lower, revisions):
                continue
            if cumulative and excused(a, b, held):
                continue
            standing += 1
        return standing


def _ordered(key: str, other_key: str) -> tuple[str, str]:
    return (key, other_key) if key < other_key else (other_key, key)


def revisions_among(claims: Iterable[Claim]) -> list[Claim]:
    """The claims that say they revise a figure down."""
    return [c for c in claims if c.revision]
