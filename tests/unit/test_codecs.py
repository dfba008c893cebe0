"""The tables' JSON values (:class:`streams.codecs.JsonValues`): bytes in the table, decoded on every read, and
the very bytes Faust's JSON codec wrote for them, so stores and changelogs written before read back the same."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest
from faust.serializers import codecs as faust_codecs

from streams.codecs import JsonValues, dumps

pytestmark = pytest.mark.unit

EXAMPLES = Path(__file__).resolve().parents[2] / "schemas" / "examples"
STATES = sorted((EXAMPLES / "figure-state" / "valid").glob("*.json"))


@pytest.mark.parametrize("path", STATES, ids=lambda p: p.stem)
def test_a_value_is_the_bytes_fausts_json_codec_wrote(path: Path) -> None:
    state = orjson.loads(path.read_bytes())
    assert dumps(state) == faust_codecs.dumps("json", state)


def test_a_content_hash_is_the_bytes_fausts_json_codec_wrote() -> None:  # the de-duplication table's values
    assert dumps("0f3c") == faust_codecs.dumps("json", "0f3c")


def test_values_are_kept_as_bytes_and_decoded_on_every_read() -> None:
    base: dict[str, bytes] = {}
    values: JsonValues[str] = JsonValues(base)
    values["a"] = {"counts": {"reports": 2}, "history": [1.5, None]}
    values["b"] = "0f3c"
    assert base == {"a": b'{"counts":{"reports":2},"history":[1.5,null]}', "b": b'"0f3c"'}
    first, second = values["a"], values["a"]
    assert first == second == {"counts": {"reports": 2}, "history": [1.5, None]}
    assert first is not second  # a reader may not change what another read
    assert dict(values.items()) == {"a": first, "b": "0f3c"}
    assert ("b" in values, "c" in values, len(values), sorted(values)) == (True, False, 2, ["a", "b"])
    del values["a"]
    assert base == {"b": b'"0f3c"'}
    with pytest.raises(KeyError):
        values["a"]
