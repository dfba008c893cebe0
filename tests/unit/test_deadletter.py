"""Dead-letter records fit their bound at every size, and say so when they had to be truncated."""

from __future__ import annotations

import base64
import hashlib

import pytest

from streams.deadletter import MAX_KEY_BYTES, MIN_LIMIT, Origin, dead_letter, dlq_key, encode
from streams.schemas import validator_for

pytestmark = pytest.mark.unit

ORIGIN = Origin("news.items", 0, 7, 1_700_000_000_000)
LIMIT = 100_000


@pytest.mark.parametrize("size", [0, 1, 1000, 74_000, 74_800, 75_000, 99_999, 100_000, 1_000_000])
def test_record_fits_its_limit_whole_or_truncated(size: int) -> None:
    raw = bytes(range(256)) * (size // 256) + b"x" * (size % 256)
    record = dead_letter(raw, "not_json", "bad " * 2000, ORIGIN, b"key", limit=LIMIT)
    assert len(encode(record)) <= LIMIT
    assert validator_for("dlq-record").is_valid(record)
    assert record["original_size"] == size
    assert record["original_sha256"] == hashlib.sha256(raw).hexdigest()
    kept = base64.b64decode(record["original_base64"])
    if record["truncated"]:
        assert raw.startswith(kept) and len(kept) < size
        assert len(kept) > LIMIT * 0.7, "a truncated record keeps as much of the original as fits"
        assert "record truncated" in record["error"]
    else:
        assert kept == raw
    assert record["truncated"] == (size * 4 / 3 > LIMIT - 3000)  # base64 plus the record's other fields


def test_no_limit_keeps_everything_and_a_tiny_limit_still_gives_a_record() -> None:
    raw = b"\xff" * 50_000
    assert base64.b64decode(dead_letter(raw, "not_json", "x", ORIGIN, None)["original_base64"]) == raw
    tiny = dead_letter(raw, "not_json", "x", ORIGIN, None, limit=10)
    assert tiny["truncated"] and len(encode(tiny)) <= MIN_LIMIT


def test_long_keys_are_not_copied_and_the_stage_is_kept() -> None:
    long_key = b"k" * (MAX_KEY_BYTES + 1)
    assert dlq_key(long_key) is None
    assert dlq_key(b"item-1") == b"item-1"
    record = dead_letter(b"{}", "processing_error", "boom", Origin("claims", 1, 2, None), long_key, stage="ledger")
    assert record["key"] is None and record["stage"] == "ledger"
    assert validator_for("dlq-record").is_valid(record)
