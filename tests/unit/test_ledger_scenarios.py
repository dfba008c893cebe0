"""The labeled ledger scenarios: the ledger alone (labeled claims) raises exactly the expected events."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from streams.claims import Claim
from streams.items import NewsItem
from streams.ledger.evaluate import (
    labeled_claims,
    load_scenarios,
    main,
    metric_kinds_from_taxonomy,
    run_scenario,
    score,
)

pytestmark = pytest.mark.unit

SCENARIOS = load_scenarios()
TAXONOMY_KINDS = metric_kinds_from_taxonomy()


def test_the_corpus_is_big_and_varied() -> None:
    assert len(SCENARIOS) >= 40
    assert len({s["id"] for s in SCENARIOS}) == len(SCENARIOS)
    assert len({s["conflict"] for s in SCENARIOS}) >= 6
    tags = Counter(tag for s in SCENARIOS for tag in s["tags"])
    for tag in ("hedged", "out-of-order", "repeat", "revision", "planned", "incident", "contradiction"):
        assert tags[tag] >= 2, tag


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s["id"] for s in SCENARIOS])
def test_scenario_raises_the_expected_events(scenario: dict[str, Any]) -> None:
    expected = Counter((e["item_id"], e["metric"], e["kind"]) for e in scenario["expected"])
    assert Counter(run_scenario(scenario, labeled_claims(scenario), TAXONOMY_KINDS)) == expected


def test_score_counts_misses_and_hedged_false_contradictions() -> None:
    hedged = next(s for s in SCENARIOS if s["id"] == "ukraine-more-than-60-vs-75")

    def no_hedging(item: NewsItem) -> list[Claim]:
        from dataclasses import replace

        return [replace(c, low=c.value, high=c.value) for c in labeled_claims(hedged)(item)]

    result = score([hedged], lambda _: no_hedging, TAXONOMY_KINDS)
    assert result.hedged_false_contradictions == 1
    assert result.precision("contradiction") == 0.0
    assert result.recall("corroboration") == 0.0
    assert not result.meets_targets
    assert result.misses == (
        "ukraine-more-than-60-vs-75: missing ukraine-more-than-60-vs-75-2 killed corroboration; "
        "unexpected ukraine-more-than-60-vs-75-2 killed contradiction",)


def test_main_in_claims_mode_meets_the_targets(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--claims"]) == 0
    out = capsys.readouterr().out
    assert "contradiction" in out
    assert "met" in out
