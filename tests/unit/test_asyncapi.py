"""schemas/asyncapi.yaml describes exactly our topics: names, keys, cleanup, retention and payload schemas."""

from __future__ import annotations

import re
from typing import Any

import pytest
import yaml

import streams
from streams.schemas import SCHEMA_DIR, load_schema
from streams.topics import ALL_TOPICS

pytestmark = pytest.mark.unit


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((SCHEMA_DIR / "asyncapi.yaml").read_text())
    return loaded


def _resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        node = node[part]
    return node


def test_one_channel_per_topic(document: dict[str, Any]) -> None:
    assert document["asyncapi"].startswith("3.")
    assert document["info"]["version"] == streams.__version__
    addresses = sorted(channel["address"] for channel in document["channels"].values())
    assert addresses == sorted(spec.name for spec in ALL_TOPICS)


@pytest.mark.parametrize("spec", ALL_TOPICS, ids=lambda spec: spec.name)
def test_channel_matches_topic_spec(document: dict[str, Any], spec: Any) -> None:
    channel = next(c for c in document["channels"].values() if c["address"] == spec.name)
    config = channel["bindings"]["kafka"]["topicConfiguration"]
    assert config["cleanup.policy"] == [spec.cleanup_policy]
    assert config["retention.ms"] == spec.retention_ms
    assert config.get("max.message.bytes") == spec.max_message_bytes
    assert channel["bindings"]["kafka"]["partitions"] == streams.Settings().partitions
    [message_ref] = [m["$ref"] for m in channel["messages"].values()]
    message = _resolve(document, message_ref)
    assert message["bindings"]["kafka"]["key"]["description"] == spec.key
    payload = message["payload"]["$ref"]
    assert payload == f"./{spec.schema}.schema.json"
    assert message["title"] == load_schema(spec.schema)["title"]


def test_operations_name_existing_channels(document: dict[str, Any]) -> None:
    channels = document["channels"]
    used = set()
    for operation in document["operations"].values():
        assert operation["action"] in {"send", "receive"}
        ref = operation["channel"]["$ref"]
        assert _resolve(document, ref) in channels.values()
        used.add(ref.rsplit("/", 1)[1])
    assert used == set(channels)


def test_every_schema_states_its_version() -> None:
    for path in sorted(SCHEMA_DIR.glob("*.schema.json")):
        version = load_schema(path.name.removesuffix(".schema.json"))["version"]
        assert re.fullmatch(r"[1-9][0-9]*\.[0-9]+\.[0-9]+", version), (path.name, version)
