"""JSON as figurewatch stores and sends it: the orjson codec of Faust's serializers, and :class:`JsonValues`,
the JSON values of a table kept as the bytes of their orjson encoding. No pickle."""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, MutableMapping
from typing import Any, Generic, TypeVar

import orjson
from faust.serializers.codecs import Codec

K = TypeVar("K")


def dumps(obj: Any) -> bytes:
    """``obj`` as JSON bytes (non-string dict keys and dataclasses as orjson allows)."""
    return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)


class OrjsonCodec(Codec):
    """JSON via orjson, as :func:`dumps` writes it."""

    def _dumps(self, obj: Any) -> bytes:
        return dumps(obj)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)


class JsonValues(MutableMapping[K, Any], Generic[K]):
    """The JSON values of ``base``, a mapping of their encodings (a table whose values are raw bytes): each read
    decodes with orjson and each write encodes once. Through Faust's own value codec every read would also walk
    the decoded value looking for Faust models, and every write would be encoded twice (store and changelog)."""

    def __init__(self, base: MutableMapping[K, bytes]) -> None:
        self.base = base

    def __getitem__(self, key: K) -> Any:
        return orjson.loads(self.base[key])

    def __setitem__(self, key: K, value: Any) -> None:
        self.base[key] = dumps(value)

    def __delitem__(self, key: K) -> None:
        del self.base[key]

    def __contains__(self, key: object) -> bool:
        return key in self.base

    def __iter__(self) -> Iterator[K]:
        return iter(self.base)

    def __len__(self) -> int:
        return len(self.base)

    def items(self) -> ItemsView[K, Any]:
        """Every pair in one pass over the base (not a read per key)."""
        return _Decoded(self)


class _Decoded(ItemsView[K, Any]):
    _mapping: JsonValues[K]

    def __iter__(self) -> Iterator[tuple[K, Any]]:
        for key, value in self._mapping.base.items():
            yield key, orjson.loads(value)
