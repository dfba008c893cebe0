"""The write buffer reads like the mapping it wraps but changes it only on commit."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.writebuffer import WriteBuffer

pytestmark = pytest.mark.unit

OPS = st.lists(st.tuples(st.sampled_from(["set", "del"]), st.sampled_from("abcde"), st.integers(0, 9)), max_size=30)


def test_writes_wait_for_commit() -> None:
    base = {"a": 1, "b": 2}
    buf = WriteBuffer(base)
    buf["a"] = 10
    buf["c"] = 3
    del buf["b"]
    assert dict(buf) == {"a": 10, "c": 3} and len(buf) == 2
    assert base == {"a": 1, "b": 2}, "nothing reaches the base before commit"
    assert "b" not in buf and "c" in buf
    with pytest.raises(KeyError):
        buf["b"]
    buf.commit()
    assert base == {"a": 10, "c": 3}
    buf["d"] = 4
    assert buf.rollback() and not buf.rollback(), "rollback says whether it dropped writes"
    assert dict(buf) == base == {"a": 10, "c": 3}


@given(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 9)), OPS)
def test_buffer_then_commit_equals_writing_directly(initial: dict[str, int], ops: list[tuple[str, str, int]]) -> None:
    direct = dict(initial)
    base = dict(initial)
    buf = WriteBuffer(base)
    for op, key, value in ops:
        for mapping in (direct, buf):
            if op == "set":
                mapping[key] = value
            elif key in mapping:
                del mapping[key]
        assert dict(buf) == direct
        assert len(buf) == len(direct)
        assert sorted(buf) == sorted(direct)
    buf.commit()
    assert base == direct
