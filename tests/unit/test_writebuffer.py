"""The write buffer reads like the mapping it wraps but changes it only on commit."""

from __future__ import annotations

from collections.abc import Iterator, MutableMapping
from contextlib import contextmanager

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
    buf["e"] = 5
    buf.keep()
    del buf["a"]
    buf.discard()
    assert not buf.commit() and dict(buf) == base == {"a": 10, "c": 3}


def _write(op: str, key: str, value: int, *mappings: MutableMapping[str, int]) -> None:
    """The same set, or delete when the key is there, made on each mapping."""
    for mapping in mappings:
        if op == "set":
            mapping[key] = value
        elif key in mapping:
            del mapping[key]


@given(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 9)), OPS)
def test_buffer_then_commit_equals_writing_directly(initial: dict[str, int], ops: list[tuple[str, str, int]]) -> None:
    direct = dict(initial)
    base = dict(initial)
    buf = WriteBuffer(base)
    for op, key, value in ops:
        _write(op, key, value, direct, buf)
        assert dict(buf) == direct
        assert sorted(buf.items()) == sorted(direct.items())
        assert len(buf) == len(direct)
        assert sorted(buf) == sorted(direct)
    buf.commit()
    assert base == direct


MESSAGES = st.lists(st.tuples(OPS, st.booleans()), max_size=6)


@given(st.dictionaries(st.sampled_from("abcde"), st.integers(0, 9)), MESSAGES)
def test_rollback_forgets_only_the_failed_messages_writes(
    initial: dict[str, int], messages: list[tuple[list[tuple[str, str, int]], bool]],
) -> None:
    """A batch of messages, some failing: the base ends as if only the messages that succeeded were written."""
    expected = dict(initial)
    base = dict(initial)
    buf = WriteBuffer(base)
    for ops, fails in messages:
        attempt = dict(expected)
        for op, key, value in ops:
            _write(op, key, value, attempt, buf)
        if fails:
            buf.rollback()
        else:
            buf.keep()
            expected = attempt
        assert dict(buf) == expected
    assert base == initial, "nothing reaches the base before commit"
    buf.commit()
    assert base == expected


def test_commit_writes_each_key_as_the_last_kept_message_that_wrote_it() -> None:
    written_as: dict[str, str] = {}
    current: list[str] = []

    class Recording(dict[str, int]):
        def __setitem__(self, key: str, value: int) -> None:
            written_as[key] = current[-1] if current else "-"
            super().__setitem__(key, value)

    @contextmanager
    def as_message(tag: str) -> Iterator[None]:
        current.append(tag)
        yield
        current.pop()

    buf = WriteBuffer(Recording())
    buf["a"], buf["b"] = 1, 1
    buf.keep("m1")
    buf["b"] = 2
    buf.keep("m2")
    buf["a"] = 3
    buf.rollback()  # m3 failed: "a" stays m1's
    buf["c"] = 4
    buf.keep()
    assert buf.commit(as_message)
    assert written_as == {"a": "m1", "b": "m2", "c": "-"} and dict(buf.base) == {"a": 1, "b": 2, "c": 4}


def test_what_commit_wrote_can_be_written_again() -> None:
    """A write whose changelog record was not acknowledged is made again from what commit returned."""
    base: dict[str, int] = {"a": 1, "b": 2}
    buf = WriteBuffer(base)
    buf["a"] = 10
    del buf["b"]
    buf.keep("m1")
    writes = buf.commit()
    assert [(w.key, w.value, w.deleted, w.tag) for w in writes] == [("a", 10, False, "m1"), ("b", None, True, "m1")]
    base.update({"a": 1, "b": 2})  # as if the store had lost the writes
    buf.apply(writes)
    assert base == {"a": 10} and not buf.commit()
