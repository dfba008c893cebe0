"""Labelled lists (streams/extraction/lists.py) and official bulletins as items (streams/bulletins.py): the Gaza
health ministry's bulletins scored against their official figures, and the same rules on other wordings of the kind
(UN OCHA situation reports, other ministries), which no bulletin uses.

The bulletins are read from ``../shared/data/official-series/gaza-moh-bulletins`` next to the repository (never
copied in); bench/bulletins_report.py holds the scoring and prints it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from streams._exceptions import InputError
from streams.bulletins import bulletin_item, front_matter
from streams.claims import Claim
from streams.extraction import Extractor
from streams.items import NewsItem
from tests.conftest import bench_module

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
BULLETINS = REPO / ".." / "shared" / "data" / "official-series" / "gaza-moh-bulletins"
EXTRACTOR = Extractor.from_files()


@pytest.mark.skipif(
    not BULLETINS.is_dir(),
    reason=f"the ministry's bulletins are not at {BULLETINS} (they are read from there, never copied in)",
)
def test_the_ministry_bulletins_front_matter_figures_are_found_in_95_percent_of_bulletins() -> None:
    report = bench_module("bulletins_report").score(BULLETINS, EXTRACTOR)
    assert report.bulletins >= 50  # the 58 bulletins less the 8 published in Arabic only
    assert report.share >= 0.95, report.failures
    for name in ("killed_cum", "injured_cum", "killed", "injured", "ceasefire_killed", "ceasefire_injured"):
        assert report.stated[name] >= 45, name  # each kind of figure is scored, not only some
    assert len(report.unstated) <= 10, report.unstated  # few front-matter figures are missing from the text


def extract(body: str, published: str = "2024-05-20T09:00:00Z", title: str = "Gaza") -> list[Claim]:
    return EXTRACTOR.extract(NewsItem(id="l-1", published_at=published, outlet="OCHA", title=title, body=body))


def brief(claim: Claim) -> tuple[object, ...]:
    return (claim.metric, claim.value, claim.basis, claim.since, claim.as_of)


def test_an_ocha_style_list_under_a_since_heading_is_running_totals_from_its_start() -> None:
    body = "Hostilities in the Gaza Strip\n\nCasualties since 7 October 2023:\n\nKilled: 35,562\nInjured: 79,652\n"
    assert [brief(c) for c in extract(body)] == [
        ("killed", 35562, "total", "2023-10-07", "2024-05-20"),
        ("injured", 79652, "total", "2023-10-07", "2024-05-20"),
    ]


def test_a_list_under_a_period_heading_is_that_day_s_figures() -> None:
    body = "Gaza Strip\nIn the past 24 hours:\n- Killed: 45\n- Injured: 120\n"
    got = extract(body)
    assert [brief(c) for c in got] == [
        ("killed", 45, "incident", None, "2024-05-20"),
        ("injured", 120, "incident", None, "2024-05-20"),
    ]
    assert {c.place for c in got} == {None}


def test_a_label_that_states_its_own_start() -> None:
    got = extract("Situation in Gaza\n• Total deaths since 7 October: 34,000\n• Total injuries since 7 October: 77,000")
    assert [brief(c) for c in got] == [
        ("killed", 34000, "total", "2023-10-07", "2024-05-20"),
        ("injured", 77000, "total", "2023-10-07", "2024-05-20"),
    ]


def test_a_heading_with_a_start_of_its_own_gives_that_start() -> None:
    body = "Sudan health ministry update\n\nSince the fighting in El Fasher began (10 May 2024):\n\n"
    body += "▪ Deaths: 1,210\n▪ Injuries: 4,500"
    got = extract(body, published="2024-09-01T09:00:00Z", title="Sudan")
    assert [(c.conflict, *brief(c)) for c in got] == [
        ("sudan", "killed", 1210, "total", "2024-05-10", "2024-09-01"),
        ("sudan", "injured", 4500, "total", "2024-05-10", "2024-09-01"),
    ]


def test_headings_change_the_period_of_the_entries_beneath_them() -> None:
    body = (
        "Lebanon: daily report\n"
        "Today:\n* 12 deaths\n* 40 injuries\n"
        "Cumulative figures since 8 October 2023:\n* Number of deaths: 3,481\n* Number of injuries: 14,786\n"
    )
    got = extract(body, published="2024-11-05T09:00:00Z", title="Lebanon")
    assert [brief(c) for c in got] == [
        ("killed", 12, "incident", None, "2024-11-05"),
        ("injured", 40, "incident", None, "2024-11-05"),
        ("killed", 3481, "total", "2023-10-08", "2024-11-05"),
        ("injured", 14786, "total", "2023-10-08", "2024-11-05"),
    ]


def test_an_entry_s_breakdown_and_detail_lines_are_not_figures_of_their_own() -> None:
    body = (
        "Gaza Strip, the past 24 hours:\n"
        "* Number of deaths: 12 (10 new deaths + 2 who died of their wounds)\n"
        "* Number of injured: 30\n"
        "* Number of deaths in Rafah: 9\n"
        "7 killed in one strike, 2 killed by gunfire\n"
        "• 4 injuries\n"
        "• (3 in Khan Younis, 1 in Rafah)\n"
    )
    got = extract(body)
    assert [(c.metric, c.value, c.basis) for c in got] == [
        ("killed", 12, "incident"), ("injured", 30, "incident"), ("killed", 9, "incident"), ("injured", 4, "incident"),
    ]  # fmt: skip


def test_a_part_with_a_group_of_its_own_stays_a_part() -> None:
    got = extract("Gaza, since 7 October 2023:\n• Killed: 35,000, including 14,500 children\n")
    assert [(c.metric, c.value, c.group, c.basis) for c in got] == [
        ("killed", 35000, None, "total"),
        ("killed", 14500, "children", "total"),
    ]


def test_a_figure_added_to_a_total_is_the_increment_not_the_total() -> None:
    body = "Gaza\nCumulative figures since 7 October 2023:\n• Killed: 73,221\n"
    body += "Note: 96 martyrs have been added to the cumulative total after their data was completed."
    got = extract(body, published="2026-07-11T12:00:00Z")
    assert [(c.value, c.basis) for c in got] == [(73221, "total"), (96, "incident")]


def test_a_label_must_name_what_it_counts_with_its_head() -> None:
    assert extract("Gaza\nSince the ceasefire (October 11):\n• Total number of rescued cases: 802\n") == []


def test_prose_with_a_colon_and_a_prose_line_opening_with_a_number_are_read_as_before() -> None:
    body = (
        "The ministry gave its daily update for the Gaza Strip since the war began.\n"
        "12 people were killed and 5 others died of their wounds, the health ministry said on Monday.\n"
        "The health ministry said in a statement on Monday about the situation in the territory: 30 people were killed."
    )
    assert [(c.value, c.basis) for c in extract(body)] == [(12, "incident"), (5, "incident"), (30, "incident")]


def test_a_line_break_inside_a_label_keeps_label_and_number_together() -> None:
    body = "Gaza, past 24 hours:\n* Number of martyrs\n: 4 (2 who succumbed to their injuries, 2 bodies recovered).\n"
    body += "Cumulative statistics since October 7, 2023:\n• Cumulative number of injuries:\n174,231\n"
    got = extract(body, published="2026-08-05T12:00:00Z")
    assert [(c.metric, c.value, c.basis) for c in got] == [
        ("killed", 4, "incident"), ("bodies_recovered", 2, "incident"), ("injured", 174231, "total"),
    ]  # fmt: skip


BULLETIN = """---
report_date: 2026-06-15
report_source: mohtel
killed: 7
killed_cum: 73003
editorial_notes: From Facebook
  https://example.org/post
---
🇵🇸 وزارة الصحة الفلسطينية – غزة 🇵🇸
• العدد التراكمي للشهداء:73,003

Palestinian Ministry of Health – Gaza
Cumulative statistics since the beginning of the aggression on October 7, 2023:
• Cumulative number of martyrs: 73,003
"""


def test_a_bulletin_is_an_item_of_its_issuer_on_its_day_with_its_english_text() -> None:
    bulletin = bulletin_item(BULLETIN, "Gaza health ministry", "gaza-moh")
    assert bulletin.figures == {
        "report_date": "2026-06-15", "report_source": "mohtel", "killed": 7, "killed_cum": 73003,
        "editorial_notes": "From Facebook",
    }  # fmt: skip
    item = bulletin.item
    assert (item.id, item.published_at) == ("gaza-moh-2026-06-15", "2026-06-15T12:00:00Z")
    assert item.outlet == "Gaza health ministry"
    assert item.body.startswith("Palestinian Ministry of Health") and "للشهداء" not in item.body
    [claim] = EXTRACTOR.extract(item)
    assert brief(claim) == ("killed", 73003, "total", "2023-10-07", "2026-06-15")
    assert claim.source == "Gaza health ministry"


def test_a_bulletin_without_a_date_or_with_an_open_front_matter_is_refused() -> None:
    with pytest.raises(InputError, match="report_date"):
        bulletin_item("---\nkilled: 3\n---\ntext", "Gaza health ministry", "gaza-moh")
    with pytest.raises(InputError, match="never closed"):
        front_matter("---\nreport_date: 2026-06-15\n")
    assert front_matter("no front matter") == ({}, "no front matter")


def test_a_snapshot_label_beyond_a_day_s_toll_is_a_running_total() -> None:
    body = "Hostilities in the Gaza Strip and Israel | Reported impact\n\n"
    body += "Palestinians killed in Gaza*: 35,000+\nDeath toll in the strike: 12\n"
    got = extract(body)
    assert [(c.value, c.low, c.qualifier, c.basis, c.since) for c in got] == [
        (35000, 35001, "more_than", "total", "2023-10-07"),
        (12, 12, "exact", "incident", None),
    ]


def test_a_month_heading_dates_its_entries_to_the_month_s_last_day() -> None:
    body = "Ukraine: civilian casualties\nSince 24 February 2022:\n- Killed: 12,654\nIn May 2025:\n- Killed: 183\n"
    got = extract(body, published="2025-06-10T09:00:00Z", title="Ukraine")
    assert [brief(c) for c in got] == [
        ("killed", 12654, "total", "2022-02-24", "2025-06-10"),
        ("killed", 183, "incident", None, "2025-05-31"),
    ]


def test_an_event_heading_makes_its_entries_that_event_s_figures() -> None:
    got = extract("Missile strike on Kharkiv\n• Killed: 12\n• Injured: 1,200\n", title="Kharkiv")
    assert [(c.conflict, c.metric, c.value, c.basis) for c in got] == [
        ("russia-ukraine", "killed", 12, "incident"),
        ("russia-ukraine", "injured", 1200, "incident"),
    ]
