"""The read cache reads and writes like the table behind it, keeps at most its bound, and is cleared on demand."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.readcache import ReadCache

pytestmark = pytest.mark.unit

OPS = st.lists(st.tuples(st.sampled_from(["get", "set", "del", "clear"]), st.sampled_from("abcdefg"),
                         st.integers(0, 9)), max_size=60)


class CountingDict(dict[str, int]):
    """A dict that counts the reads that reach it."""

    reads = 0

    def __getitem__(self, key: str) -> int:
        self.reads += 1
        return super().__getitem__(key)


@given(st.dictionaries(st.sampled_from("abcdefg"), st.integers(0, 9)), OPS, st.integers(1, 4))
def test_reads_like_the_base_whatever_the_bound(initial: dict[str, int], ops: list[tuple[str, str, int]],
                                                entries: int) -> None:
    base = CountingDict(initial)
    model = dict(initial)
    cache = ReadCache(base, entries)
    for op, key, value in ops:
        if op == "get":
            assert cache.get(key) == model.get(key)
        elif op == "set":
            cache[key] = value
            model[key] = value
        elif op == "del" and key in model:
            del cache[key]
            del model[key]
        elif op == "clear":
            cache.clear_cache()
        assert dict(base) == model, "every write reaches the base at once"
        assert len(cache._kept) <= entries
    assert dict(cache.items()) == model and len(cache) == len(model) and sorted(cache) == sorted(model)


def test_a_kept_value_is_read_without_the_base_until_cleared() -> None:
    base = CountingDict({"a": 1, "b": 2, "c": 3})
    cache = ReadCache(base, 2)
    assert cache["a"] == 1 and cache["a"] == 1 and base.reads == 1 and (cache.hits, cache.misses) == (1, 1)
    cache["b"] = 20  # written: kept too
    assert cache["b"] == 20 and base.reads == 1
    assert cache["c"] == 3 and base.reads == 2  # "a" is the least recently used: it goes
    assert cache["a"] == 1 and base.reads == 3
    base["a"] = 100  # changed behind the cache (recovery after an assignment)
    cache.clear_cache()
    assert cache["a"] == 100
