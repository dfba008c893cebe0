"""The kept pair relations (:class:`streams.ledger.rules.Relations`) and the restatement window
(:class:`streams.ledger.rules.Held`) against a recount of every pair from the rules' definitions."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.claims import Claim
from streams.ledger.rules import (
    CONTRADICTION,
    CORROBORATION,
    REVISION,
    Held,
    Relations,
    day_number,
    relate,
    revisions_among,
    wholly_below,
)
from tests.unit.ledger_claims import claim

pytestmark = pytest.mark.unit

DAYS = ["2025-01-10", "2025-01-11", "2025-01-12", "2025-01-14", "2025-01-15", "2025-01-17"]


@st.composite
def pools(draw: st.DrawFn) -> list[Claim]:
    """Claims of one series, as many sources, days and intervals as make every rule fire."""
    claims = []
    for index in range(draw(st.integers(min_value=1, max_value=14))):
        value = draw(st.sampled_from([100, 120, 150, 200]))
        hedge = draw(st.sampled_from(["exact", "at_least", "about"]))
        low, high = {"exact": (value, value), "at_least": (value, None), "about": (value - 15, value + 15)}[hedge]
        claims.append(claim(
            f"c{index}", value=value, low=low, high=high, qualifier=hedge,
            as_of=draw(st.sampled_from(DAYS)),
            published_at=draw(st.sampled_from(["2025-01-17T08:00:00Z", "2025-01-17T09:00:00Z"])),
            attributed_to=draw(st.sampled_from(["Gaza health ministry", "UN", "Israeli army"])),
            modality=draw(st.sampled_from(["reported", "reported", "planned"])),
            revision=draw(st.booleans()),
        ))
    return claims


def held_by_definition(claims: list[Claim], end: int, restate_days: int) -> list[Claim]:
    """The figures dated in the ``restate_days`` before ``end``, and those of the latest earlier day when no
    figure is dated on the window's first day."""
    start = end - restate_days
    inside = [c for c in claims if start <= day_number(c.as_of) < end]
    before = [day_number(c.as_of) for c in claims if day_number(c.as_of) < start]
    if any(day_number(c.as_of) == start for c in inside) or not before:
        return inside
    return inside + [c for c in claims if day_number(c.as_of) == max(before)]


def counted_by_definition(claims: list[Claim], cumulative: bool, window_days: int,
                          restate_days: int) -> dict[str, int]:
    """Every unordered pair related afresh, in the context of the whole set."""
    revisions = revisions_among(claims)
    counts = {CORROBORATION: 0, CONTRADICTION: 0, REVISION: 0}
    for i, a in enumerate(claims):
        for b in claims[i + 1:]:
            relation = relate(a, b, cumulative, window_days, revisions, restate_days=restate_days)
            if relation is None:
                continue
            if relation.kind == CONTRADICTION and cumulative and restate_days > 0:
                lower, higher = (a, b) if wholly_below(a, b) else (b, a)
                end = day_number(lower.as_of)
                if end >= day_number(higher.as_of) and any(
                        other.claim_id not in (lower.claim_id, higher.claim_id) and not wholly_below(lower, other)
                        for other in held_by_definition(claims, end, restate_days)):
                    continue
            counts[relation.kind] += 1
    return counts


@settings(max_examples=300, deadline=None)
@given(pool=pools(), cumulative=st.booleans(), window_days=st.integers(0, 2), restate_days=st.integers(0, 3),
       data=st.data())
def test_kept_relations_count_what_a_recount_of_every_pair_counts(
        pool: list[Claim], cumulative: bool, window_days: int, restate_days: int, data: st.DataObject) -> None:
    relations = Relations(cumulative, window_days, restate_days)
    for _ in range(data.draw(st.integers(1, 6))):
        # a history that gained and lost claims since the last count, in any order, a claim perhaps twice
        # and perhaps as an equal copy (a state read back from the store)
        history = data.draw(st.lists(st.sampled_from(pool), max_size=len(pool) + 2))
        history = [Claim(**{f: getattr(c, f) for f in Claim.__dataclass_fields__}) if data.draw(st.booleans())
                   else c for c in history]
        assert relations.count(history) == counted_by_definition(history, cumulative, window_days, restate_days)


def test_a_claim_that_changed_under_its_id_is_related_again() -> None:
    relations = Relations(True, 0, 3)
    first = [claim("a", value=100, as_of="2025-01-14"), claim("b", value=120, as_of="2025-01-14", attributed_to="UN")]
    assert relations.count(first)[CONTRADICTION] == 1
    changed = [first[0], claim("b", value=100, as_of="2025-01-14", attributed_to="UN")]
    assert relations.count(changed) == {CORROBORATION: 1, CONTRADICTION: 0, REVISION: 0}


@settings(max_examples=300, deadline=None)
@given(pool=pools(), restate_days=st.integers(0, 4), end=st.sampled_from([*DAYS, "2025-01-20"]))
def test_held_is_the_restatement_window_as_defined(pool: list[Claim], restate_days: int, end: str) -> None:
    day = day_number(end)
    held = Held(pool, restate_days)
    by_id = sorted(c.claim_id for c in held_by_definition(pool, day, restate_days))
    assert sorted(c.claim_id for c in held.before(day)) == by_id
    assert sorted(c.claim_id for c in held.before(day)) == by_id  # the kept answer is the same
