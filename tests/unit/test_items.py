"""News-item validation and the pure ingest step: every kind of bad input is rejected with its reason."""

from __future__ import annotations

import base64

import orjson
import pytest

from streams._exceptions import InputError, ItemRejected
from streams.claims import Claim
from streams.deadletter import Origin, dead_letter
from streams.items import NewsItem, parse_item
from streams.pipeline import Accepted, Bounds, Duplicate, Misplaced, Rejected, ingest, plausible_latency
from streams.schemas import validator_for

pytestmark = pytest.mark.unit

ITEM = {"id": "a1", "published_at": "2025-01-15T09:30:00+02:00", "outlet": "AP", "title": "t", "body": "b"}


def raw(**changes: object) -> bytes:
    return orjson.dumps({**ITEM, **changes})


def reason_of(data: bytes, max_bytes: int = 10_000) -> str:
    with pytest.raises(ItemRejected) as info:
        parse_item(data, max_bytes)
    return info.value.reason


def test_valid_item_round_trips() -> None:
    item = parse_item(raw(url="https://example.org/x"), 10_000)
    assert item == NewsItem(**{**ITEM, "url": "https://example.org/x"})  # type: ignore[arg-type]
    assert item.published_date == "2025-01-15"
    assert NewsItem.from_dict(item.to_dict()) == item


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\xff\xfe not json", "not_json"),
        (b"{\"id\": ", "not_json"),
        (b"[1, 2]", "not_object"),
        (b"\"text\"", "not_object"),
        (raw(id=""), "schema"),
        (raw(body=None), "schema"),
        (orjson.dumps({k: v for k, v in ITEM.items() if k != "outlet"}), "schema"),
        (raw(published_at="2025-01-15"), "schema"),
        (raw(published_at="yesterday"), "schema"),
        (raw(published_at="2025-13-45T10:00:00Z"), "schema"),
    ],
)
def test_bad_input_is_rejected_with_reason(data: bytes, reason: str) -> None:
    assert reason_of(data) == reason


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59:59-12:00", "0001-01-01T00:30:00+01:00"])
def test_published_at_outside_the_calendar_in_utc_is_rejected(stamp: str) -> None:
    with pytest.raises(ItemRejected) as info:
        parse_item(raw(published_at=stamp), 10_000)
    assert info.value.reason == "schema"
    assert "outside years 1-9999 in UTC" in info.value.detail
    assert parse_item(raw(published_at="9999-12-31T23:59:59Z"), 10_000).published_date == "9999-12-31"


def test_oversized_item_is_rejected_before_parsing() -> None:
    assert reason_of(raw(body="x" * 2000), max_bytes=1000) == "too_large"


def test_content_hash_ignores_nothing_but_is_stable() -> None:
    a = parse_item(raw(), 10_000)
    assert a.content_hash == parse_item(raw(), 10_000).content_hash
    assert a.content_hash != parse_item(raw(body="other"), 10_000).content_hash


def _claims_of(item: NewsItem) -> list[Claim]:
    return []


def test_ingest_skips_exact_repeats_and_processes_new_versions() -> None:
    seen: dict[str, str] = {}
    first = ingest(raw(), seen, max_bytes=10_000, extract=_claims_of)
    assert isinstance(first, Accepted)
    assert ingest(raw(), seen, max_bytes=10_000, extract=_claims_of) == Duplicate("a1")
    assert isinstance(ingest(raw(body="updated"), seen, max_bytes=10_000, extract=_claims_of), Accepted)
    assert isinstance(ingest(raw(), seen, max_bytes=10_000, extract=_claims_of), Accepted)


def test_ingest_rejection_and_extractor_refusal() -> None:
    def refuse(item: NewsItem) -> list[Claim]:
        raise InputError("body is binary")

    seen: dict[str, str] = {}
    bad = ingest(b"nope", seen, max_bytes=100, extract=_claims_of)
    assert isinstance(bad, Rejected)
    assert bad.reason == "not_json"
    result = ingest(raw(), seen, max_bytes=10_000, extract=refuse)
    assert isinstance(result, Rejected)
    assert result.reason == "extraction"
    assert seen == {}, "a refused item is not remembered, so a fixed extractor can process it again"


def test_dead_letter_record_keeps_original_bytes_and_matches_schema() -> None:
    original = b"\x00\xffbinary"
    record = dead_letter(original, "not_json", "bad", Origin("news.items", 1, 42, 1_700_000_000_000), None)
    assert base64.b64decode(record["original_base64"]) == original
    assert record["original_size"] == len(original)
    assert validator_for("dlq-record").is_valid(record)


def _many_claims(item: NewsItem) -> list[Claim]:
    """As many stand-in claims as the body has words (the pipeline only counts and slices them)."""
    return [object() for _ in item.body.split()]  # type: ignore[misc]


def test_claims_per_item_are_bounded_and_the_cut_counted() -> None:
    bounds = Bounds(claims=200)
    flood = ingest(raw(body="w " * 500), {}, max_bytes=10_000, extract=_many_claims, bounds=bounds)
    assert isinstance(flood, Accepted)
    assert len(flood.claims) == 200 and flood.claims_cut == 300 and flood.cut == ("claims_per_item",)
    small = ingest(raw(body="w " * 5), {}, max_bytes=10_000, extract=_many_claims, bounds=bounds)
    assert isinstance(small, Accepted) and len(small.claims) == 5 and small.claims_cut == 0 and small.cut == ()


def test_body_and_sentence_bounds_say_when_they_cut() -> None:
    bounds = Bounds(claims=10, body_chars=1_000, sentence_chars=100)
    item = parse_item(raw(body="Short one. " + "x" * 150 + ". Short two."), 10_000)
    assert bounds.cuts(item, 0) == ("sentence_chars",)
    assert bounds.cuts(parse_item(raw(body="A sentence. " * 200), 10_000), 0) == ("body_chars",)
    assert bounds.cuts(parse_item(raw(body="A sentence. " * 5), 10_000), 11) == ("claims_per_item",)
    long_tail = parse_item(raw(body="A sentence. " * 90 + "y" * 200), 10_000)
    assert bounds.cuts(long_tail, 0) == ("body_chars",), "a long sentence past the body bound is never read"


def test_an_item_away_from_its_ids_home_is_misplaced_before_any_state_changes() -> None:
    seen: dict[str, str] = {}
    assert ingest(raw(), seen, max_bytes=10_000, extract=_claims_of, here=lambda item_id: False) == Misplaced("a1")
    assert seen == {}, "a misplaced item is neither remembered nor extracted"
    assert isinstance(ingest(raw(), seen, max_bytes=10_000, extract=_claims_of, here=lambda i: i == "a1"), Accepted)
    bad = ingest(b"nope", seen, max_bytes=10_000, extract=_claims_of, here=lambda item_id: False)
    assert isinstance(bad, Rejected), "an item with no readable id is rejected where it lies"


@pytest.mark.parametrize(
    ("arrival_ms", "expected"),
    [(1, None), (None, None), (1_000_000_000_000 - 2_000, 2.0), (1_000_000_000_000 + 60_000, 0.0),
     (1_000_000_000_000 + 600_000, None), (1_000_000_000_000 - 8 * 86_400_000, None)],
)
def test_implausible_arrival_times_give_no_latency(arrival_ms: int | None, expected: float | None) -> None:
    now = 1_000_000_000.0
    assert plausible_latency(now, arrival_ms, max_seconds=7 * 86_400, skew_seconds=300) == expected
