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

A would-be contradiction between a higher claim and a lower, later-or-same-dated one is also dropped
when a third claim, a revision, lowered the higher figure in between (the higher claim was superseded):
the ministry's 34,622 on 9 May does not contradict its 34,844 of 6 May once its revision to 34,535 on
8 May is known. That is why relations take the series' revisions as context.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from streams.claims import Claim

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


def same_figure(a: Claim, b: Claim) -> bool:
    """True when both claims state the same interval and point value."""
    return (a.value, a.low, a.high) == (b.value, b.low, b.high)


def relate(a: Claim, b: Claim, cumulative: bool, window_days: int,
           revisions: Sequence[Claim] = ()) -> Relation | None:
    """The relation of ``a`` to ``b`` (two claims of one series), or None when there is nothing to say.

    ``revisions`` are the series' claims that say they revise a figure down (others are ignored).
    """
    gap = day_number(a.as_of) - day_number(b.as_of)
    same_period = abs(gap) <= window_days
    a_below = wholly_below(a, b)
    if not (a_below or wholly_below(b, a)):
        if (same_period or a.modality == "planned") and a.source != b.source:
            return Relation(CORROBORATION, "same-period-overlap")
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
    """A reported incident figure with no place: two of them on one day are as likely two strikes as one, so
    their disagreement is no evidence of a contradiction (reports of one strike name where it hit)."""
    return claim.basis == "incident" and claim.place is None and claim.modality == "reported"


def _superseded(higher: Claim, lower: Claim, revisions: Sequence[Claim]) -> bool:
    """True when a third claim revised ``higher`` down on a day from ``higher``'s to ``lower``'s."""
    start, end = day_number(higher.as_of), day_number(lower.as_of)
    return any(
        r.revision and r.claim_id not in (higher.claim_id, lower.claim_id)
        and wholly_below(r, higher) and start <= day_number(r.as_of) <= end
        for r in revisions
    )


def count_relations(claims: Sequence[Claim], cumulative: bool, window_days: int) -> dict[str, int]:
    """How many unordered pairs of ``claims`` corroborate, contradict or revise one another."""
    revisions = revisions_among(claims)
    counts = {CORROBORATION: 0, CONTRADICTION: 0, REVISION: 0}
    for i, a in enumerate(claims):
        for b in claims[i + 1:]:
            relation = relate(a, b, cumulative, window_days, revisions)
            if relation is not None:
                counts[relation.kind] += 1
    return counts


def revisions_among(claims: Iterable[Claim]) -> list[Claim]:
    """The claims that say they revise a figure down."""
    return [c for c in claims if c.revision]
