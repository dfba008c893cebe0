"""Every schema in schemas/ is valid draft 2020-12, accepts its valid examples and rejects its invalid ones."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from streams.schemas import SCHEMA_DIR, load_schema, validator_for
from streams.topics import ALL_TOPICS

pytestmark = pytest.mark.unit

NAMES = sorted(p.name.removesuffix(".schema.json") for p in SCHEMA_DIR.glob("*.schema.json"))


def _examples(kind: str) -> list[tuple[str, Path]]:
    return [(name, path) for name in NAMES for path in sorted((SCHEMA_DIR / "examples" / name / kind).glob("*.json"))]


def test_every_topic_has_a_schema() -> None:
    assert {spec.schema for spec in ALL_TOPICS} <= set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_draft_2020_12_with_examples(name: str) -> None:
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert list((SCHEMA_DIR / "examples" / name / "valid").glob("*.json")), f"{name} has no valid example"
    assert list((SCHEMA_DIR / "examples" / name / "invalid").glob("*.json")), f"{name} has no invalid example"


@pytest.mark.parametrize(("name", "path"), _examples("valid"), ids=lambda v: getattr(v, "stem", v))
def test_valid_examples_pass(name: str, path: Path) -> None:
    errors = list(validator_for(name).iter_errors(orjson.loads(path.read_bytes())))
    assert not errors, [e.message for e in errors]


@pytest.mark.parametrize(("name", "path"), _examples("invalid"), ids=lambda v: getattr(v, "stem", v))
def test_invalid_examples_fail(name: str, path: Path) -> None:
    assert not validator_for(name).is_valid(orjson.loads(path.read_bytes()))
