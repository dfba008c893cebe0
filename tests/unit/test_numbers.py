"""Unit tests for the number normalizer (streams.numbers) and its qualifiers.json vocabulary."""

from __future__ import annotations

import copy
import re
import time

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams._exceptions import DataFileError
from streams.claims import QUALIFIERS
from streams.numbers import QUALIFIERS_FILE, default_parser, parse_vocabulary

pytestmark = pytest.mark.unit


def one(text: str) -> tuple[str, float, float, float | None, str]:
    [q] = default_parser().quantities(text)
    return text[q.start : q.end], q.value, q.low, q.high, q.qualifier


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,200", 1200),
        ("47,035", 47035),
        ("1.9 million", 1_900_000),
        ("2.3m", 2_300_000),
        ("2.3bn", 2_300_000_000),
        ("5k", 5000),
        ("seventy-nine", 79),
        ("one hundred and twelve", 112),
        ("a dozen", 12),
        ("two dozen", 24),
        ("Fifty-nine", 59),
        ("half a million", 500_000),
        ("five and a half million", 5_500_000),
        ("two hundred thousand", 200_000),
    ],
)
def test_exact_numbers(text: str, value: float) -> None:
    assert one(text) == (text, value, value, value, "exact")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("at least 12", (12, 12, None, "at_least")),
        ("no fewer than 12", (12, 12, None, "at_least")),
        ("more than 300", (300, 301, None, "more_than")),
        ("over 300", (300, 301, None, "more_than")),
        ("upwards of 300", (300, 301, None, "more_than")),
        ("300+", (300, 301, None, "more_than")),
        ("up to 700", (700, 0, 700, "at_most")),
        ("at most 700", (700, 0, 700, "at_most")),
        ("fewer than 50", (50, 0, 49, "less_than")),
        ("less than 50", (50, 0, 49, "less_than")),
        ("about 200", (200, 180, 220, "about")),
        ("around 200", (200, 180, 220, "about")),
        ("some 200", (200, 180, 220, "about")),
        ("roughly 200", (200, 180, 220, "about")),
        ("approximately 200", (200, 180, 220, "about")),
        ("nearly 200", (200, 180, 200, "about")),
        ("almost 200", (200, 180, 200, "about")),
        ("between 30 and 40", (35, 30, 40, "range")),
        ("30-40", (35, 30, 40, "range")),
        ("30 to 40", (35, 30, 40, "range")),
        ("from 30 to 40", (35, 30, 40, "range")),
        ("2-3 million", (2_500_000, 2_000_000, 3_000_000, "range")),
        ("dozens", (50, 24, 99, "vague")),
        ("scores of", (50, 40, 99, "vague")),
        ("hundreds", (500, 200, 999, "vague")),
        ("thousands", (5000, 2000, 9999, "vague")),
        ("tens of thousands", (50000, 20000, 99999, "vague")),
        ("hundreds of thousands", (500_000, 200_000, 999_999, "vague")),
    ],
)
def test_hedges_ranges_and_vague_words(text: str, expected: tuple[float, float, float | None, str]) -> None:
    _, value, low, high, qualifier = one(text)
    assert (value, low, high, qualifier) == expected


def test_fractions_are_flagged() -> None:
    numbers = default_parser().numbers("a third of them, half the town and two thirds")
    assert [(n.value, n.fraction) for n in numbers] == [
        (pytest.approx(1 / 3), True),
        (0.5, True),
        (pytest.approx(2 / 3), True),
    ]


@pytest.mark.parametrize(
    "text",
    ["rose from 30 to 40", "killed 12 and wounded 30", "on 8 October 2023 to 3,645", "+1-222-2222"],
)
def test_not_ranges(text: str) -> None:
    assert all(q.qualifier != "range" for q in default_parser().quantities(text))


@pytest.mark.parametrize("text", ["the 29km road", "4th", "A4 paper", "the one you mentioned", "Which one?"])
def test_not_numbers(text: str) -> None:
    assert default_parser().numbers(text) == []


# -- the data file agrees with the code ---------------------------------------------------------


def _data() -> dict[str, object]:
    loaded: dict[str, object] = orjson.loads(QUALIFIERS_FILE.read_bytes())
    return loaded


def test_data_file_describes_exactly_the_claim_qualifiers() -> None:
    described = _data()["qualifiers"]
    assert isinstance(described, dict)
    assert set(described) == set(QUALIFIERS)
    vocabulary = parse_vocabulary(_data())
    used = {i.qualifier for i in vocabulary.intervals.values()} | {"range", "vague"}
    assert used == set(QUALIFIERS)


def test_data_file_matches_the_corpus_labelling_table() -> None:
    """The intervals the corpus README documents (corpus/dev/README.md) are what the code computes."""
    intervals = parse_vocabulary(_data()).intervals
    assert intervals["about"].bounds(35) == (32, 38)
    assert intervals["nearly"].bounds(35) == (32, 35)
    assert intervals["more_than"].bounds(300) == (301, None)
    assert intervals["less_than"].bounds(50) == (0, 49)


@pytest.mark.parametrize(
    ("path", "bad"),
    [
        (("qualifiers", "sometimes"), "a new qualifier the claim contract lacks"),
        (("intervals", "about", "qualifier"), "roughly"),
        (("hedges", "before", "at least"), "no_such_interval"),
        (("vague", "dozens", "lowest"), 3),
        (("unexpected",), {}),
        (("rounding", "min_place"), 0),
        (("rounding", "qualifier"), "roughly"),
        (("rounding", "per_metric"), {}),
    ],
)
def test_data_file_disagreeing_with_code_is_rejected(path: tuple[str, ...], bad: object) -> None:
    data = copy.deepcopy(_data())
    target = data
    for key in path[:-1]:
        target = target[key]  # type: ignore[index]
    target[path[-1]] = bad  # type: ignore[index]
    with pytest.raises(DataFileError):
        parse_vocabulary(data)


# -- a bare round number is rounded (docs/ledger.md, "What a headline figure means") --------------------


@pytest.mark.parametrize(
    ("value", "bounds"),
    [
        (20_000, (19_500, 20_999)),  # round to the ten thousands, read at two significant figures: unit 1,000
        (46_000, (45_500, 46_999)),
        (5_000, (4_500, 5_999)),
        (100_000, (95_000, 109_999)),
        (1_900_000, (1_850_000, 1_999_999)),
        (23_210, None),  # not round
        (2_100, None),  # round to the hundreds only: read as stated
        (999, None),
        (12.5, None),
    ],
)
def test_a_round_number_reads_as_rounded_at_its_unit(value: float, bounds: tuple[int, int] | None) -> None:
    assert default_parser().vocabulary.rounding.bounds(value) == bounds


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("20,000", (20_000, 19_500, 20_999, "about")),
        ("1.9 million", (1_900_000, 1_850_000, 1_999_999, "about")),
        ("23,210", (23_210, 23_210, 23_210, "exact")),
        ("more than 20,000", (20_000, 20_001, None, "more_than")),
        ("about 20,000", (20_000, 18_000, 22_000, "about")),
        ("between 20,000 and 30,000", (25_000, 20_000, 30_000, "range")),
    ],
)
def test_only_a_bare_number_is_read_as_rounded(text: str, expected: tuple[float, float, float | None, str]) -> None:
    parser = default_parser()
    [q] = parser.quantities(text)
    got = parser.rounded(q)
    assert (got.value, got.low, got.high, got.qualifier) == expected


@pytest.mark.parametrize("verb", ["passes", "passed", "tops", "topped", "surpasses", "crosses", "crossed", "exceeds"])
def test_a_toll_that_passes_a_number_is_more_than_it(verb: str) -> None:
    assert one(f"death toll {verb} 23,000") == (f"{verb} 23,000", 23_000, 23_001, None, "more_than")


# -- linear time ------------------------------------------------------------------------------

_NOISE = st.text(alphabet="0123456789,.- +kmbn/abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=40)


@settings(max_examples=40, deadline=None)
@given(_NOISE)
def test_pathological_inputs_finish_and_scale_linearly(unit: str) -> None:
    """Repeating a noisy unit 8x more must not cost much more than 8x the time (no backtracking blow-up)."""
    parser = default_parser()

    def cost(repeats: int) -> float:
        text = unit * repeats
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            parser.quantities(text)
            best = min(best, time.perf_counter() - start)
        return best

    small, large = cost(200), cost(1600)
    assert large < 8 * small * 4 + 0.05  # generous: quadratic growth would be 64x


@pytest.mark.parametrize("unit", ["1,", "1,1", "9" * 50 + ",", "1.1.", "- ", "one hundred and ", "a "])
def test_200_kb_pathological_inputs_finish(unit: str) -> None:
    text = unit * (200_000 // len(unit))
    start = time.perf_counter()
    default_parser().quantities(text)
    assert time.perf_counter() - start < 30  # seconds; quadratic behaviour would take hours


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcxyz019 ,.-+%'\"\n\t‘’“”–—…", max_size=80))
def test_ascii_tokenizer_cuts_nearly_ascii_text_as_the_unicode_one(text: str) -> None:
    """ASCII with typographic punctuation takes the ASCII pattern (nearly_ascii), which must cut it alike."""
    from streams.numbers import _ASCII_TOKEN_RE, _TOKEN_RE, nearly_ascii

    def cut(pattern: re.Pattern[str]) -> list[tuple[str | None, int, int]]:
        return [(m.lastgroup, m.start(), m.end()) for m in pattern.finditer(text)]

    assert nearly_ascii(text)
    assert cut(_ASCII_TOKEN_RE) == cut(_TOKEN_RE)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aBzZ09 ,.-+%'\"()\n\t\u00a0\u2019\u201c\u2014é", max_size=60))
def test_tokens_are_what_the_unicode_pattern_cuts(text: str) -> None:
    """Whichever path Tokens takes (split pieces, the ASCII or the Unicode pattern), the tokens are those
    of the Unicode pattern over the lower-cased text."""
    from streams.numbers import _TOKEN_RE, Tokens

    lowered = text.lower()
    matches = list(_TOKEN_RE.finditer(lowered))
    tokens = Tokens(text)
    assert tokens.lows == [m[0] for m in matches]
    assert tokens.kinds == [m.lastgroup for m in matches]
    assert (tokens.starts, tokens.ends) == ([m.start() for m in matches], [m.end() for m in matches])


@pytest.mark.parametrize("text", ["café", "Zürich", "\u0663", "1\u00a0200", "1\u202f200", "x\u00bd"])
def test_a_unicode_letter_digit_or_separator_is_not_nearly_ascii(text: str) -> None:
    from streams.numbers import nearly_ascii

    assert not nearly_ascii(text + " it\u2019s")


def test_text_with_other_letters_and_digits_is_cut_by_the_unicode_tokenizer() -> None:
    from streams.numbers import Tokens

    tokens = Tokens("Zürich: ٣ people, 1\u00a0200 more")
    assert tokens.lows == ["zürich", ":", "٣", "people", ",", "1\u00a0200", "more"]
    assert default_parser().quantities("1\u00a0200 people")[0].value == 1200
