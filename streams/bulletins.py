"""Official bulletins as news items: a ministry's daily report, published as text with its figures in a front
matter (``../shared/data/official-series/gaza-moh-bulletins/*.md``), read into the :class:`NewsItem` the
extractor takes and the official figures it is scored against.

How an item is made from a bulletin (the same for every bulletin, so a stream can mix them with news):

- ``id``: ``<issuer slug>-<report date>`` ("gaza-moh-2026-06-15"); one bulletin a day, so the id is stable;
- ``published_at``: the report date at 12:00 UTC (the bulletin states its date, not its hour; the ministry posts
  its daily report around midday local time, and only the date reaches a claim);
- ``outlet``: the issuer's canonical source name ("Gaza health ministry", as the gazetteer names it), so the
  bulletin's claims carry the source that news items name when they restate it ("according to the Gaza health
  ministry");
- ``title``: "<issuer>: daily statistical report, <date>";
- ``body``: the lines of the text written without Arabic script (the bulletins are published in Arabic, then
  in English; the extractor reads English), front matter removed.

Plain functions, no I/O but :func:`read_bulletin`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from streams._exceptions import InputError
from streams.items import NewsItem

_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")
_FIELD = re.compile(r"^([a-z_]+):\s*(.*)$")


@dataclass(frozen=True, slots=True)
class Bulletin:
    """One bulletin: its front matter (integers where the value is one) and the item made from it."""

    figures: dict[str, int | str]
    item: NewsItem


def front_matter(text: str) -> tuple[dict[str, int | str], str]:
    """The ``key: value`` fields between the opening and closing ``---`` lines, and the text after them."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        return {}, text
    fields: dict[str, int | str] = {}
    for n, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return fields, "\n".join(lines[n + 1 :])
        match = _FIELD.match(line)
        if match is not None:  # an indented line continues the field before it: a note, not a figure
            value = match.group(2).strip()
            fields[match.group(1)] = int(value) if value.isdigit() else value
    raise InputError("a front matter opened with '---' is never closed")


def bulletin_item(text: str, issuer: str, slug: str) -> Bulletin:
    """The bulletin ``text`` (front matter, then the report) as an item of ``issuer`` (see the module notes)."""
    figures, report = front_matter(text)
    day = figures.get("report_date")
    if not isinstance(day, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        raise InputError(f"bulletin without a report_date (YYYY-MM-DD): {day!r}")
    body = "\n".join(line for line in report.split("\n") if not _ARABIC.search(line)).strip()
    item = NewsItem(
        id=f"{slug}-{day}",
        published_at=f"{day}T12:00:00Z",
        outlet=issuer,
        title=f"{issuer}: daily statistical report, {day}",
        body=body,
        language="en",
    )
    return Bulletin(figures, item)


def read_bulletin(path: Path, issuer: str = "Gaza health ministry", slug: str = "gaza-moh") -> Bulletin:
    """The bulletin in the file at ``path``; :class:`InputError` when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: cannot read the bulletin: {exc}") from exc
    return bulletin_item(text, issuer, slug)
