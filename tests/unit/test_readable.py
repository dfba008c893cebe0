"""Text with escape sequences, control or invisible characters is read as a person reads it (extraction.readable)."""

from __future__ import annotations

import re

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from streams.claims import Claim
from streams.extraction import Extractor
from streams.extraction.readable import Readable
from streams.items import NewsItem
from tests.conftest import REPO

pytestmark = pytest.mark.unit

EXTRACTOR = Extractor.from_files()
ZWSP, SOFT_HYPHEN, BOM, WORD_JOINER = "\u200b", "\u00ad", "\ufeff", "\u2060"
RED, RESET = "\x1b[31m", "\x1b[0m"


def claims(body: str) -> list[Claim]:
    return EXTRACTOR.extract(NewsItem(id="t-1", published_at="2025-02-09T10:00:00Z", outlet="Wire", title="Gaza",
                                      body=body))


def figures(body: str) -> list[tuple[str, float | None, str]]:
    """metric, value, and the body's own text at the span of each claim."""
    return [(c.metric, c.value, body[c.span[0]:c.span[1]]) for c in claims(body)]


def test_an_ansi_colour_code_is_not_a_number() -> None:
    assert figures(f"In Gaza, {RED} people were killed, the ministry said.") == []
    body = f"The Gaza health ministry said {RED}12{RESET} people were killed in Rafah."
    assert figures(body) == [("killed", 12, "12")]


@pytest.mark.parametrize("mark", [ZWSP, SOFT_HYPHEN, BOM, WORD_JOINER, "\u200d", "\u200e"])
def test_an_invisible_character_inside_a_number_joins_it(mark: str) -> None:
    body = f"The Gaza health ministry said the death toll rose to 4{mark}6,645."
    assert figures(body) == [("killed", 46_645, f"4{mark}6,645")]


def test_control_characters_separate_like_spaces() -> None:
    assert figures("In Gaza, 12\x00 people were killed.") == [("killed", 12, "12")]
    assert figures("In Gaza,\x0712 people were killed.") == [("killed", 12, "12")]


def test_offsets_map_back_to_the_body() -> None:
    body = f"{ZWSP}a{ZWSP}{ZWSP}bc{ZWSP}"
    readable = Readable(body)
    assert readable.text == "abc"
    assert [readable.start_in_body(i) for i in range(3)] == [1, 4, 5]
    assert [readable.end_in_body(i) for i in range(1, 4)] == [2, 5, 6]
    plain = "nothing unseen here"
    assert Readable(plain).text is plain


SAMPLE = [orjson.loads(line) for line in (REPO / "corpus/sample-news.jsonl").read_bytes().splitlines() if line.strip()]


@given(st.sampled_from(SAMPLE), st.sampled_from([ZWSP, SOFT_HYPHEN, BOM, WORD_JOINER]), st.integers(1, 7))
def test_invisible_characters_between_digits_change_no_figure(record: dict[str, str], mark: str, every: int) -> None:
    """Sample reports with an invisible character after every n-th digit state the same figures, at spans
    holding the same text once the characters are removed."""
    count = iter(range(10**6))
    marked = re.sub(r"\d", lambda m: m.group() + (mark if next(count) % every == 0 else ""), record["body"])
    item = NewsItem.from_dict(record)
    expected = [(c.metric, c.value, c.low, c.high, item.body[c.span[0]:c.span[1]]) for c in EXTRACTOR.extract(item)]
    got = [(c.metric, c.value, c.low, c.high, marked[c.span[0]:c.span[1]].replace(mark, ""))
           for c in EXTRACTOR.extract(NewsItem.from_dict({**record, "body": marked}))]
    assert got == expected
