"""The orjson codec every figurewatch topic uses: JSON bytes in, plain Python objects out. No pickle."""

from __future__ import annotations

from typing import Any

import orjson
from faust.serializers.codecs import Codec


class OrjsonCodec(Codec):
    """JSON via orjson. Non-string dict keys and dataclasses are serialized as orjson allows."""

    def _dumps(self, obj: Any) -> bytes:
        return orjson.dumps(obj, option=orjson.OPT_NON_STR_KEYS)

    def _loads(self, s: bytes) -> Any:
        return orjson.loads(s)
