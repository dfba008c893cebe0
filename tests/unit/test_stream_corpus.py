"""The development stream corpus/stream/dev-stream.jsonl: what bench/make_stream.py makes, and what the
issue asks of it (items valid, in time order, at least 1,000 of them from at least 15 outlets)."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import orjson
import pytest

from streams.items import parse_item, parse_timestamp

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
STREAM = REPO / "corpus" / "stream" / "dev-stream.jsonl"
SHARED = REPO / ".." / "shared"


def test_the_stream_is_valid_in_time_order_and_big_enough() -> None:
    lines = STREAM.read_bytes().splitlines()
    items = [parse_item(line, 1 << 20) for line in lines]
    assert len(items) >= 1000
    assert len({item.id for item in items}) == len(items)
    assert len({item.outlet for item in items}) >= 15
    times = [parse_timestamp(item.published_at) for item in items]
    assert times == sorted(times)
    assert times[0].isoformat() >= "2023-10"
    kinds = Counter(orjson.loads(line)["stream_kind"].split(":")[0].split("+")[0] for line in lines)
    for kind in ("total", "headline-total", "incident", "incident-disagreement", "other", "hand"):
        assert kinds[kind] >= 20, kind


@pytest.mark.skipif(not (SHARED / "data" / "official-series").is_dir(),
                    reason=f"the official series are read from {SHARED} (never copied in)")
def test_the_generator_makes_the_committed_stream_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "stream.jsonl"
    subprocess.run([sys.executable, str(REPO / "bench" / "make_stream.py"), "--shared", str(SHARED),
                    "--out", str(out)], check=True, capture_output=True)
    assert out.read_bytes() == STREAM.read_bytes()
