"""Date expressions in a sentence, resolved against the publication date.

"on Monday" is the most recent Monday on or before publication; "January 19" is that day in the
publication year, or the year before when that would lie after publication; "since January" is the
first of the most recent January; "in 2026" is 1 January 2026. Works on :class:`streams.numbers.Tokens`
so the numbers inside a date ("7 October 2023") can be told apart from figures.

Publication dates at the edges of the calendar (year 1 or 9999 pass the item schema) can make such a
date fall outside ``datetime.date``: "Tuesday" in an item of Monday 1 January 0001. Such a date resolves
to the publication date itself: it stays a date expression (its numbers are not read as figures) and a
figure it dates is as of the day it was published, as an undated figure is. No arithmetic here raises.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import NamedTuple

from streams.numbers import Tokens

MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": 1}
# "last week", "earlier this month": a period before publication, which dates a figure to its last day (the
# latest day the text allows), or starts a total at its first ("since last week")
_PERIOD_OPENERS = frozenset({"last", "earlier"})
FIRST_YEAR, LAST_YEAR = 1900, 2100

DAY, MONTH, YEAR = "day", "month", "year"
_DATE_WORDS = frozenset({*MONTHS, *WEEKDAYS, *RELATIVE_DAYS, *_PERIOD_OPENERS})


class DateExpr(NamedTuple):
    """A date found at tokens ``[i, j)``; ``precision`` is day, month or year."""

    i: int
    j: int
    value: date
    precision: str


def _year(tokens: Tokens, k: int) -> int | None:
    if 0 <= k < len(tokens) and tokens.kinds[k] == "num" and tokens.lows[k].isdigit():
        year = int(tokens.lows[k])
        if FIRST_YEAR <= year <= LAST_YEAR:
            return year
    return None


def _day(tokens: Tokens, k: int) -> int | None:
    if 0 <= k < len(tokens) and tokens.kinds[k] == "num" and tokens.lows[k].isdigit():
        day = int(tokens.lows[k])
        if 1 <= day <= 31:
            return day
    return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def days_before(published: date, days: int) -> date:
    """``days`` before ``published``; the publication date when that lies before 1 January 0001."""
    try:
        return published - timedelta(days=days)
    except OverflowError:
        return published


def _in_past(month: int, day: int, published: date) -> date | None:
    """``month``/``day`` in the publication year, or the year before when that is in the future."""
    candidate = _safe(published.year, month, day)
    if candidate is not None and candidate > published:  # year 1 has no year before: the publication date
        candidate = _safe(published.year - 1, month, day) if published.year > 1 else published
    return candidate


def _month_date(tokens: Tokens, i: int, published: date) -> DateExpr | None:
    lows = tokens.lows
    month = MONTHS.get(lows[i])
    if month is None:
        return None
    j = i + 1
    if j < len(lows) and lows[j] == ".":  # "Aug. 31"
        j += 1
    day = _day(tokens, j)
    if day is not None and _year(tokens, j) is None:
        k = j + 1 + (tokens.low(j + 1) == ",")
        year = _year(tokens, k)
        value = _safe(year, month, day) if year else _in_past(month, day, published)
        end = k + 1 if year else j + 1
        return None if value is None else DateExpr(i, end, value, DAY)
    year = _year(tokens, j)
    if year is not None:
        return DateExpr(i, j + 1, date(year, month, 1), MONTH)
    if month == 5 and tokens.low(i - 1) not in ("in", "since", "of", "early", "late", "mid"):
        return None  # the verb "may"
    if month <= published.month:
        value = date(published.year, month, 1)
    else:  # the year before, which year 1 has not: then the publication date
        value = _safe(published.year - 1, month, 1) or published
    return DateExpr(i, i + 1, value, MONTH)


def _weekday(tokens: Tokens, i: int, published: date) -> DateExpr:
    """"Tuesday": the most recent Tuesday on or before publication; "last Tuesday" the most recent before it;
    "Tuesday last week" (or "of last week") that day of the week before publication's (weeks start on Monday)."""
    day = WEEKDAYS[tokens.lows[i]]
    back = (published.weekday() - day) % 7
    if tokens.low(i - 1) == "last":
        return DateExpr(i - 1, i + 1, days_before(published, back or 7), DAY)
    j = i + 1 + (tokens.low(i + 1) == "of")
    if tokens.lows[j : j + 2] == ["last", "week"]:
        return DateExpr(i, j + 2, days_before(published, published.weekday() + 7 - day), DAY)
    return DateExpr(i, i + 1, days_before(published, back), DAY)


def _relative_period(tokens: Tokens, i: int, published: date) -> DateExpr | None:
    """"last week", "last month", "earlier this week", "last night": the last day of the period before
    publication, or its first after "since" ("since last month")."""
    lows = tokens.lows
    if tokens.low(i - 1) in ("the", "this", "its", "their"):
        return None  # "in the last week" is the past seven days, up to publication
    words = lows[i : i + 3] if lows[i] == "earlier" else lows[i : i + 2]
    since = tokens.low(i - 1) == "since"
    if words == ["last", "night"]:
        value = days_before(published, 1)
    elif words == ["last", "week"]:  # weeks start on Monday: its Sunday, or its Monday after "since"
        value = days_before(published, published.weekday() + (7 if since else 1))
    elif words == ["last", "month"]:
        end = days_before(published, published.day)
        value = end.replace(day=1) if since else end
    elif words in (["earlier", "this", "week"], ["earlier", "this", "month"]):
        start = published.weekday() if words[2] == "week" else published.day - 1  # days since the period began
        value = days_before(published, start if since else min(1, start))
    else:
        return None
    return DateExpr(i, i + len(words), value, DAY)


def find_dates(tokens: Tokens, published: date) -> list[DateExpr]:
    """The date expressions in a tokenized sentence, left to right."""
    found: list[DateExpr] = []
    lows = tokens.lows
    resume = 0
    # only digit groups and date words can start a date
    pairs = enumerate(zip(tokens.kinds, lows, strict=True))
    candidates = [i for i, (kind, low) in pairs if kind == "num" or low in _DATE_WORDS]
    for i in candidates:
        if i < resume:
            continue
        low = lows[i]
        expr: DateExpr | None = None
        if low in WEEKDAYS:
            expr = _weekday(tokens, i, published)
        elif low in _PERIOD_OPENERS:
            expr = _relative_period(tokens, i, published)
        elif low in RELATIVE_DAYS:
            before = lows[max(0, i - 2) : i] == ["day", "before"]  # "the day before yesterday"
            expr = DateExpr(i, i + 1, days_before(published, RELATIVE_DAYS[low] + before), DAY)
        elif low in MONTHS:
            expr = _month_date(tokens, i, published)
        elif tokens.low(i + 1) in MONTHS and _day(tokens, i) is not None:  # "7 October 2023"
            month, day = MONTHS[tokens.lows[i + 1]], int(low)
            year = _year(tokens, i + 2)
            value = _safe(year, month, day) if year else _in_past(month, day, published)
            expr = None if value is None else DateExpr(i, i + 3 if year else i + 2, value, DAY)
        elif tokens.low(i - 1) in ("in", "since", "of", "by") and "," not in low and _year(tokens, i) is not None:
            expr = DateExpr(i, i + 1, date(int(low), 1, 1), YEAR)
        if expr is not None:
            found.append(expr)
            resume = expr.j
    return found
