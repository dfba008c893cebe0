"""The ledger's events and states validate against their schemas, and the valid examples are real output.

Regenerate the example files after a deliberate change with:
    python -c "from tests.unit import test_ledger_schemas as t; t.write_examples()"
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings

from streams.claims import Claim
from streams.ledger import Ledger, LedgerSettings, MemoryStore
from streams.schemas import SCHEMA_DIR, validator_for
from tests.unit.ledger_claims import KINDS, claim
from tests.unit.test_ledger_properties import HIERARCHY, claim_sets, ledger_settings

pytestmark = pytest.mark.unit

_EVENT_FILES = {  # rule -> example file
    "first-in-series": "new", "cumulative-decrease": "contradiction-cumulative-decrease", "revised-down": "revision",
    "later-figure": "update", "same-period-overlap": "corroboration",
    "restates-recent": "corroboration-restates-recent", "part-exceeds-whole": "contradiction-part-exceeds-whole",
}


def example_outputs() -> dict[str, dict[str, Any]]:
    """Example file path (under schemas/examples) -> the event or state the ledger produces for it."""
    ledger = Ledger(MemoryStore(), KINDS, hierarchy=HIERARCHY)
    outputs: dict[str, dict[str, Any]] = {}
    state = None
    for item in [
        claim("ex-1", as_of="2025-01-13", value=46700, low=46700, high=None, qualifier="at_least",
              url="https://example.org/a", published_at="2025-01-13T12:00:00Z",
              sentence="The Gaza health ministry said at least 46,700 people have been killed."),
        claim("ex-2", url="https://example.org/b",
              sentence="The Gaza health ministry said 46,645 people have been killed."),
        claim("ex-3", as_of="2025-01-15", value=46600, revision=True, published_at="2025-01-15T09:00:00Z",
              sentence="The ministry revised its toll down to 46,600, citing duplicate records."),
        claim("ex-4", as_of="2025-01-16", value=46800, published_at="2025-01-16T09:00:00Z",
              sentence="The Gaza health ministry said 46,800 people have been killed."),
        claim("ex-5", as_of="2025-01-16", value=46790, low=46791, high=None, qualifier="more_than",
              attributed_to=None, outlet="Al Jazeera", published_at="2025-01-16T15:00:00Z", place="Gaza Strip",
              sentence="More than 46,790 people have been killed in Gaza, according to local officials."),
        claim("ex-7", as_of="2025-01-18", value=46000, low=46001, high=None, qualifier="more_than",
              attributed_to=None, outlet="AFP", published_at="2025-01-18T08:00:00Z", group="Palestinians",
              sentence="More than 46,000 Palestinians have been killed in the war, according to the ministry."),
    ]:
        outcome = ledger.apply(item)
        assert outcome.event is not None
        outputs[f"change-event/valid/{_EVENT_FILES[outcome.event['rule']]}.json"] = outcome.event
        state = outcome.state
    assert state is not None
    outputs["figure-state/valid/killed-total.json"] = state
    parts = Ledger(MemoryStore(), KINDS, hierarchy=HIERARCHY)
    parts.apply(claim("ex-2", url="https://example.org/b",
                      sentence="The Gaza health ministry said 46,645 people have been killed."))
    children = parts.apply(claim(
        "ex-8", value=47000, group="children", outlet="Example Times", attributed_to=None,
        published_at="2025-01-14T18:00:00Z", sentence="Some 47,000 children have been killed in Gaza.")).event
    assert children is not None
    outputs[f"change-event/valid/{_EVENT_FILES[children['rule']]}.json"] = children
    incident = Ledger(MemoryStore(), KINDS, hierarchy=HIERARCHY).apply(claim(
        "ex-6", basis="incident", since=None, place="Khan Younis", value=12, attributed_to="medics",
        target="apartment_block",
        sentence="An Israeli strike on a residential building in Khan Younis killed 12 people, medics said.")).state
    assert incident is not None
    outputs["figure-state/valid/incident-one-claim.json"] = incident
    return outputs


def write_examples() -> None:
    for name, body in example_outputs().items():
        (SCHEMA_DIR / "examples" / name).write_text(json.dumps(body, indent=2, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("name", sorted(example_outputs()))
def test_valid_examples_are_what_the_ledger_emits(name: str) -> None:
    body = example_outputs()[name]
    validator_for(name.split("/", maxsplit=1)[0]).validate(body)
    assert json.loads((SCHEMA_DIR / "examples" / name).read_text()) == body


@pytest.mark.parametrize("path", sorted((SCHEMA_DIR / "examples").glob("*/invalid/*.json")),
                         ids=lambda p: f"{Path(p).parent.parent.name}/{Path(p).name}")
def test_invalid_examples_fail(path: Path) -> None:
    schema = path.parent.parent.name
    if schema in ("change-event", "figure-state"):
        assert not validator_for(schema).is_valid(json.loads(path.read_text()))


@settings(max_examples=100, deadline=None)
@given(claims=claim_sets(), config=ledger_settings)
def test_every_event_and_state_validates(claims: list[Claim], config: LedgerSettings) -> None:
    ledger = Ledger(MemoryStore(), KINDS, config, HIERARCHY)
    for item in claims:
        outcome = ledger.apply(item)
        if outcome.event is not None:
            validator_for("change-event").validate(outcome.event)
        if outcome.state is not None:
            validator_for("figure-state").validate(outcome.state)
