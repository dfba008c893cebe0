"""Deterministic hostile ``news.items`` messages for the fuzz test: every family from one ``random.Random``.

Each generator returns ``(family, raw_bytes)`` pairs. Families whose messages are certainly rejected are
named after the reason; the others (``mixed:*``) may be accepted or rejected, and the test checks only that
each message is accounted for. :func:`corpus` builds the whole batch from a seed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator

import orjson

Family = tuple[str, bytes]

CONFLICT_SENTENCES = (
    "The Gaza health ministry said 46,645 people have been killed in Gaza since the war began.",
    "An Israeli strike on a house in Khan Younis killed 12 people overnight, medics said.",
    "Russian missiles killed at least 14 people in Kharkiv on Tuesday, the regional governor said.",
    "Four swaps have freed 18 hostages and hundreds of Palestinian prisoners.",
    "There are 79 hostages still being held in the Gaza Strip, 35 of whom are presumed dead by Israel.",
    "Nearly 300 aid trucks entered Gaza on Sunday, the UN said.",
    "About 1.9 million people have been displaced in Gaza, according to UNRWA.",
)
PUNCTUATION = ".,;:!?-()[]{}\"'/\\|@#$%^&*_~`<>=+"
ODD_CHARS = (
    "\u200f", "\u200e", "\u202e", "\u202d", "\u2066", "\u2069", "\ufeff", "\u200b", "\u00a0", "\u2028",
    "\u2029", "\U0001f4a5", "\U0001f1ee\U0001f1f1", "\U0001f469\u200d\U0001f469\u200d\U0001f467",
    "\u0661\u0662\u0663", "\u0968\u0966", "\uff11\uff12", "\u00bd", "\u2163", "\x00", "\x07", "\x1b", "\x7f",
    "\u0301", "\ufffd", "\ufdd0", "\U000e0041",
)
BAD_TIMESTAMPS = (
    "", "yesterday", "2025-01-15", "2025-01-15T09:30:00", "2025-13-45T99:99:99Z", "0000-01-01T00:00:00Z",
    "2025-02-30T00:00:00Z", "2025-01-15T24:00:00Z", "2025-01-15T09:30:00+24:00", "2025-01-15T09:30:00+99:99",
    "15/01/2025 09:30", "2025-01-15T09:30:00.Z", "\u0662\u0660\u0662\u0665-01-15T09:30:00Z",
    "2025-01-15T09:30:60Z", "+2025-01-15T09:30:00Z", "2025-01-15T09:30:00Z\n", "2025-01-15T09:30:00ZZ",
)
EDGE_TIMESTAMPS = (
    "0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59", "9999-12-31T23:59:59Z", "0001-01-01T00:00:00Z",
    "2025-01-15t09:30:00z", "2025-01-15 09:30:00+05:30", "2025-01-15T09:30:00.123456789Z",
    "1970-01-01T00:00:00Z", "2038-01-19T03:14:08Z", "2025-01-15T09:30:00-00:00",
)


def item(item_id: str, body: str, **fields: object) -> dict[str, object]:
    """A schema-valid news item, with ``fields`` overriding or adding keys."""
    base: dict[str, object] = {"id": item_id, "published_at": "2025-01-15T09:30:00Z", "outlet": "Reuters",
                               "title": "Gaza", "body": body}
    base.update(fields)
    return base


def dumps(value: object) -> bytes:
    return orjson.dumps(value)


def random_bytes(rng: random.Random, n: int, max_bytes: int) -> Iterator[Family]:
    """Random bytes of many lengths; a random byte string is almost never JSON (checked by the test)."""
    lengths = [1, 2, 3, 7, 64, 1000, max_bytes - 1, max_bytes, max_bytes + 1, 3 * max_bytes]
    for i in range(n):
        size = lengths[i] if i < len(lengths) else rng.choice((rng.randint(1, 300), rng.randint(1, 5000)))
        data = bytes(rng.getrandbits(8) for _ in range(min(size, 4096)))
        data = (data * (size // max(len(data), 1) + 1))[:size]
        if data[:1].isdigit() or data[:1] in b"[{\"-tfn \t\r\n":
            data = b"\xff" + data[1:]
        yield ("too_large" if size > max_bytes else "not_json", data)


def invalid_utf8(rng: random.Random, n: int) -> Iterator[Family]:
    """JSON-shaped items whose string contents hold byte sequences that are not UTF-8."""
    bad = (b"\xff", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf8\x88\x80\x80\x80", b"\xe2\x82", b"\x80", b"\xf4\x90\x80\x80",
           b"\xfe\xfe", b"\xc3")
    for i in range(n):
        body = dumps(item(f"utf8-{i}", "killed 12 people in Gaza"))
        where = body.index(b"killed") + rng.randint(0, 20)
        yield ("not_json", body[:where] + rng.choice(bad) + body[where:])
    yield ("not_json", b'{"id": "\\ud800", "published_at": "2025-01-15T09:30:00Z", "outlet": "x", "title": "", '
                       b'"body": "lone surrogate escape"}')


def truncated_json(rng: random.Random, n: int) -> Iterator[Family]:
    for i in range(n):
        whole = dumps(item(f"trunc-{i}", rng.choice(CONFLICT_SENTENCES)))
        yield ("not_json", whole[: rng.randint(1, len(whole) - 1)])
    yield from (("not_json", raw) for raw in (b"", b" ", b"\n", b"{", b"[", b'"', b"nul", b"tru", b"1e", b"-",
                                              b"{}{}", b"[1,]", b"{'id': 'x'}", b"NaN", b"Infinity", b"01",
                                              b"\x00", b'{"id":"x",}', b"// comment\n{}", b"1" * 4000))


def scalars_and_arrays(rng: random.Random, n: int) -> Iterator[Family]:
    fixed = [b"null", b"true", b"false", b"0", b"-0", b"1e308", b"-1.5e-300", b'""', b'"killed 12 in Gaza"',
             b"[]", b"[{}]", dumps([item("in-array", "killed 12 people in Gaza")]), b"[" + b"1," * 5000 + b"1]"]
    yield from (("not_object", raw) for raw in fixed)
    for _ in range(n - len(fixed)):
        kind = rng.randrange(4)
        if kind == 0:
            raw = dumps(rng.randint(-(10**18), 10**18))
        elif kind == 1:
            raw = dumps(rng.random() * 10 ** rng.randint(-300, 300))
        elif kind == 2:
            raw = dumps("".join(rng.choice(PUNCTUATION + "abc \u200f") for _ in range(rng.randint(0, 200))))
        else:
            raw = dumps([rng.randint(0, 9) for _ in range(rng.randint(0, 100))])
        yield ("not_object", raw)


def deep_nesting(rng: random.Random, n: int, max_bytes: int) -> Iterator[Family]:
    """Nesting orjson refuses (> 1024 levels) is not_json; nesting just under it is well-formed."""

    def unparsable(raw: bytes) -> Family:
        return ("too_large" if len(raw) > max_bytes else "not_json", raw)

    for depth in (1025, 2000, 10_000, 50_000):
        yield unparsable(b"[" * depth + b"]" * depth)
        yield unparsable(b'{"a":' * depth + b"1" + b"}" * depth)
    yield unparsable(b"[" * 10_000)  # never closed
    yield unparsable(b"[" * 100_000)
    yield ("not_object", b"[" * 1000 + b"]" * 1000)
    deep = b'{"a":' * 1000 + b"1" + b"}" * 1000
    yield ("schema", deep)
    for i in range(n):
        depth = rng.randint(10, 1000)
        if rng.random() < 0.5:  # unknown fields are allowed: this one may be accepted
            yield ("mixed:nested-extra",
                   dumps(item(f"nest-{i}", "x"))[:-1] + b',"extra":' + b"[" * depth + b"]" * depth + b"}")
        else:
            yield ("schema", dumps(item(f"nest-{i}", ["x"])))


def huge(max_bytes: int, rng: random.Random) -> Iterator[Family]:
    """Strings just under and over the size limit."""
    for i, slack in enumerate((0, 1, 2, 100, 1000)):
        shell = len(dumps(item(f"huge-{i}", "")))
        over = dumps(item(f"huge-over-{i}", "x" * (max_bytes - shell + slack + 20)))
        assert len(over) > max_bytes
        yield ("too_large", over)
        under = dumps(item(f"huge-under-{i}", "Gaza. " + "y" * (max_bytes - shell - 6 - slack - 20)))
        assert len(under) <= max_bytes
        yield ("mixed:huge-under", under)
    exact = dumps(item("huge-exact", ""))
    exact = dumps(item("huge-exact", "z" * (max_bytes - len(exact))))
    assert len(exact) == max_bytes
    yield ("mixed:huge-exact", exact)
    yield ("too_large", b"\xff" * (max_bytes + 1))
    yield ("too_large", b"[" * (max_bytes + 1))
    yield ("too_large", dumps(item("huge-digits", "killed " + "9" * max_bytes + " people in Gaza")))
    yield ("too_large", dumps(item("huge-title", "x", title="t" * (max_bytes + 1))))
    yield ("too_large", b" " * (4 * max_bytes))
    multibyte = "\U0001f4a5" * (max_bytes // 4 + 10)
    yield ("too_large", dumps(item("huge-emoji", multibyte)))
    del rng


def long_numbers(rng: random.Random, n: int) -> Iterator[Family]:
    """Numbers with thousands of digits, as JSON numbers and inside body strings."""
    for digits in (20, 309, 400, 4300, 4301, 5000, 20_000):
        yield ("mixed:json-bignum", dumps(item(f"bignum-{digits}", "x"))[:-1] + b',"count":' +
               b"9" * digits + b"}")
        yield ("mixed:bignum-id", dumps(item(f"bignum-id-{digits}", "x"))[:-1].replace(b'"id":"bignum-id-' +
                                                                              str(digits).encode() + b'"',
                                                                              b'"id":' + b"9" * digits) + b"}")
    for i in range(n):
        digits = rng.choice((15, 16, 17, 19, 20, 100, 309, 310, 1000, 4299, 4300, 4301, 4400, 9000, 30_000))
        number = str(rng.randint(1, 9)) + "".join(rng.choice("0123456789") for _ in range(digits - 1))
        if rng.random() < 0.3:
            number = f"{int(number[:3]):,}" + "," + ",".join(number[j:j + 3] for j in range(3, len(number) - 2, 3))
        template = rng.choice((
            "killed {n} people in Gaza", "The Gaza health ministry said {n} people have been killed in Gaza.",
            "Russian missiles killed at least {n} people in Kharkiv.", "{n} hostages are still held in Gaza.",
            "About {n}.5 million people have been displaced in Gaza.", "killed {n}e308 people in Gaza",
            "killed {n} million people in Gaza", "killed 0.{n} people in Gaza", "killed -{n} people in Gaza",
        ))
        yield ("mixed:digits-body", dumps(item(f"digits-{i}", template.format(n=number))))


def wrong_types(rng: random.Random, n: int) -> Iterator[Family]:
    """Wrong types for fields, missing fields, out-of-bounds lengths: all schema errors."""
    wrong_values: tuple[object, ...] = (None, 0, 1.5, True, [], {}, ["body"], {"text": "body"}, -1, 2**63 - 1)
    required = ("id", "published_at", "outlet", "title", "body")
    for i in range(n):
        data = item(f"types-{i}", rng.choice(CONFLICT_SENTENCES))
        case = rng.randrange(5)
        if case == 0:
            data[rng.choice(required)] = rng.choice(wrong_values)
        elif case == 1:
            del data[rng.choice(required)]
        elif case == 2:
            for field in rng.sample(required, rng.randint(2, 5)):
                del data[field]
        elif case == 3:
            field, limit = rng.choice((("id", 512), ("outlet", 256), ("title", 2048)))
            data[field] = "a" * (limit + rng.randint(1, 50))
        else:
            data[rng.choice(("url", "language"))] = rng.choice(wrong_values[1:])
        yield ("schema", dumps(data))
    yield ("schema", dumps(item("", "killed 12 people in Gaza")))
    yield ("schema", dumps(item("empty-outlet", "killed 12 people in Gaza", outlet="")))
    yield ("schema", b'{"id": "dup-key", "id": 5, "published_at": "2025-01-15T09:30:00Z", "outlet": "x", '
                     b'"title": "", "body": "killed 12 people in Gaza"}')


def bad_timestamps(rng: random.Random, n: int) -> Iterator[Family]:
    for i in range(n):
        stamp = BAD_TIMESTAMPS[i % len(BAD_TIMESTAMPS)]
        yield ("schema", dumps(item(f"ts-bad-{i}", rng.choice(CONFLICT_SENTENCES), published_at=stamp)))
    for i, stamp in enumerate(EDGE_TIMESTAMPS):
        yield ("mixed:edge-timestamp", dumps(item(f"ts-edge-{i}", rng.choice(CONFLICT_SENTENCES),
                                                  published_at=stamp)))
        yield ("mixed:edge-timestamp", dumps(item(f"ts-edge-date-{i}", "On 29 February, killed 12 people in Gaza "
                                                  "on Monday, 1 January 0001, the ministry said yesterday.",
                                                  published_at=stamp)))


def _noise(rng: random.Random, length: int) -> str:
    pool = PUNCTUATION + "".join(ODD_CHARS) + " 0123456789,."
    return "".join(rng.choice(pool) for _ in range(length))


def pathological_bodies(rng: random.Random, n: int) -> Iterator[Family]:
    """Valid items whose bodies hold punctuation, control characters, NUL, RTL marks, emoji, digit runs."""
    makers: tuple[Callable[[], str], ...] = (
        lambda: _noise(rng, rng.randint(1, 3000)),
        lambda: rng.choice(PUNCTUATION) * rng.randint(1, 3000),
        lambda: "killed " + ", ".join(str(rng.randint(0, 999)) for _ in range(rng.randint(100, 4000))) + " people",
        lambda: " ".join("1,000,000" for _ in range(rng.randint(100, 3000))) + " killed in Gaza",
        lambda: "".join(rng.choice("0123456789,. ") for _ in range(rng.randint(1000, 30_000))),
        lambda: "\x00".join(rng.choice(CONFLICT_SENTENCES).split(" ")),
        lambda: "\u200f" + rng.choice(CONFLICT_SENTENCES) + "\u202e" + rng.choice(CONFLICT_SENTENCES)[::-1],
        lambda: " ".join(w + rng.choice(ODD_CHARS) for w in rng.choice(CONFLICT_SENTENCES).split()),
        lambda: "\U0001f4a5" * rng.randint(1, 5000) + rng.choice(CONFLICT_SENTENCES),
        lambda: "killed " + "at least nearly about some " * rng.randint(10, 2000) + "12 people in Gaza",
        lambda: "killed " + "(" * rng.randint(100, 5000) + "12" + ")" * rng.randint(0, 5000) + " in Gaza",
        lambda: "Gaza " * rng.randint(100, 10_000) + "killed 12",
        lambda: ("killed 12 people in Gaza" + "." * rng.randint(1, 10)) * rng.randint(50, 1500),
        lambda: "".join(chr(rng.randint(1, 31)) for _ in range(rng.randint(1, 2000))),
        lambda: "".join(chr(rng.randint(0x80, 0xD7FF)) for _ in range(rng.randint(1, 2000))),
        lambda: "killed " + "-" * 3000 + "12" + "%" * 3000 + " hundreds of thousands of millions of people",
        lambda: "killed 1" + "0" * rng.randint(10, 400) + " to 2" + "0" * rng.randint(10, 400) + " people in Gaza",
        lambda: "",
    )
    # Runs of sentence ends are costly to extract (see the fuzz test's report): a few long ones only.
    for i, mark in enumerate("?."):
        yield ("mixed:pathological", dumps(item(f"path-run-{i}", mark * 12_000)))
    for i in range(n):
        body = makers[i % len(makers)]()
        fields: dict[str, object] = {}
        if rng.random() < 0.2:
            fields["title"] = _noise(rng, rng.randint(0, 500))
        if rng.random() < 0.2:
            fields["outlet"] = "\u200f" + _noise(rng, rng.randint(1, 200))
        if rng.random() < 0.1:
            fields["language"] = rng.choice(("ar", "he", "uk", "", "x" * 300, "en"))
        yield ("mixed:pathological", dumps(item(f"path-{i}-\u200f\U0001f4a5\x00", body, **fields)))


def big_valid(rng: random.Random, n: int, max_bytes: int) -> Iterator[Family]:
    """Valid items with bodies of about 60 KB of repeated conflict sentences (under the limit)."""
    for i in range(n):
        sentences: list[str] = []
        size = 0
        budget = min(60_000, max_bytes - 1000)
        while True:
            sentence = rng.choice(CONFLICT_SENTENCES)
            if size + len(sentence) + 1 > budget:
                break
            sentences.append(sentence)
            size += len(sentence) + 1
        yield ("mixed:big-valid", dumps(item(f"big-{i}", " ".join(sentences))))


def valid_and_duplicates(rng: random.Random, n: int) -> Iterator[Family]:
    """Plain valid items (``valid``), their exact repeats (``duplicate``) and new versions (``valid``)."""
    originals = []
    for i in range(n):
        data = item(f"ok-{i}", rng.choice(CONFLICT_SENTENCES).replace("12", str(rng.randint(1, 500))))
        originals.append(data)
        yield ("valid", dumps(data))
    for data in rng.sample(originals, n // 2):
        yield ("duplicate", dumps(data))
    for data in rng.sample(originals, n // 5):
        yield ("valid", dumps({**data, "body": str(data["body"]) + " Updated."}))


def corpus(seed: int, max_bytes: int) -> list[Family]:
    """The whole hostile batch, shuffled deterministically except that duplicates follow their originals."""
    rng = random.Random(seed)
    parts: list[Family] = []
    parts += random_bytes(rng, 1500, max_bytes)
    parts += invalid_utf8(rng, 600)
    parts += truncated_json(rng, 900)
    parts += scalars_and_arrays(rng, 500)
    parts += deep_nesting(rng, 300, max_bytes)
    parts += huge(max_bytes, rng)
    parts += long_numbers(rng, 800)
    parts += wrong_types(rng, 1500)
    parts += bad_timestamps(rng, 500)
    parts += pathological_bodies(rng, 1500)
    parts += big_valid(rng, 60, max_bytes)
    rng.shuffle(parts)
    # Duplicates and new versions only make sense after their original: keep that block in order at the end.
    parts += valid_and_duplicates(rng, 1400)
    return parts
