"""Write the development stream corpus/stream/dev-stream.jsonl: real-style news items whose figures follow
the official daily series, for ``figurewatch evaluate stream``.

Deterministic: one ``random.Random(SEED)`` drives every choice, the days are walked in order, and the
hand-written items of corpus/stream/hand.jsonl are merged in by publication time. The figures come from
../shared/data/official-series/ (public domain): the Gaza ministry's cumulative and daily counts
(``killed_cum`` or, where a day lacks it, ``ext_killed_cum``; ``injured_cum``; ``killed``;
``ext_killed_children_cum``), the since-ceasefire totals read from the ministry's 2026 bulletins, and
Lebanon's cumulative count. The wording templates below were written after reading wire and web copy
(AP, Reuters, AFP, Al Jazeera and others, through the search tool); no outside text is copied.

    python bench/make_stream.py [--shared ../shared] [--out corpus/stream/dev-stream.jsonl]

See corpus/stream/README.md for what the stream holds and how it is meant to be used.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

SEED = 20231007
ROOT = Path(__file__).resolve().parent.parent
WINDOWS = ((date(2023, 10, 14), date(2024, 2, 29)), (date(2026, 6, 15), date(2026, 8, 22)))

OUTLETS = ("Reuters", "Associated Press", "AFP", "Al Jazeera English", "BBC News", "The Guardian", "CNN",
           "Anadolu Agency", "Middle East Eye", "The National", "Times of Israel", "Arab News", "Xinhua",
           "NPR", "Sky News", "France 24", "Deutsche Welle", "Daily Sabah", "UN News", "Euronews")
# How many days late an outlet repeats the ministry's figure, and how often.
LAGS = ((0, 50), (1, 30), (2, 12), (3, 8))

GAZA_PLACES = ("Jabalia", "Beit Lahia", "Beit Hanoun", "Gaza City", "Shati", "Zeitoun", "Shujaiya", "Nuseirat",
               "Bureij", "Maghazi", "Deir al-Balah", "Khan Younis", "Rafah", "Mawasi", "Tel al-Sultan")
# (target words, a noun phrase for the strike's target)
TARGETS = (("school", "a school sheltering displaced families"), ("school", "a UN-run school used as a shelter"),
           ("home", "a family home"), ("home", "a house"), ("apartment", "a residential building"),
           ("apartment", "an apartment block"), ("camp", "tents housing displaced people"),
           ("camp", "a tent encampment"), ("hospital", "the courtyard of a hospital"),
           ("hospital", "the entrance of a hospital"), ("market", "a crowded market"), ("mosque", "a mosque"),
           ("aid", "people waiting for aid trucks"), ("aid", "an aid distribution point"),
           ("convoy", "an aid convoy"), ("car", "a car"))
INCIDENT_SOURCES = ("the civil defence agency", "medics", "hospital officials", "the health ministry",
                    "the Palestinian Red Crescent", "health officials", "witnesses and medics")

MINISTRY = ("the Gaza health ministry", "the health ministry in Gaza", "Gaza's health ministry",
            "the Hamas-run health ministry", "the Ministry of Health in Gaza", "health officials in Gaza",
            "the territory's health ministry", "the Palestinian health ministry in Gaza")
WHO = ("Palestinians", "people", "Palestinians", "people", "Gazans")
WHERE = ("in Gaza", "in the Gaza Strip", "in the territory", "in the Palestinian enclave", "")
SINCE = ("since October 7", "since the war began", "since the start of the war", "since October 7, 2023",
         "since the war erupted", "")

# Running-total sentences: {n} is the figure as written (with its own qualifier), {who} {where} {since}
# {src} as above. Written after reading how wires and web outlets restate the ministry's toll.
TOTAL_BODY = (
    "{src_cap} said {n} {who} have been killed {where} {since}.",
    "The death toll {where} has risen to {n}, {src} said.",
    "{src_cap} said the Israeli offensive had killed {n} {who} {since}.",
    "Israel's campaign has killed {n} {who} {where}, according to {src}, which does not distinguish "
    "between civilians and fighters.",
    "The overall toll {since} stood at {n} killed, {src} said on its daily update.",
    "{src_cap} put the number of dead at {n}.",
    "The war has killed {n} {who} {where}, {src} said.",
    "The number of {who} killed {where} {since} has reached {n}, {src} said.",
)
# The same, with a qualifier of their own: only for a figure stated exactly.
TOTAL_BODY_QUALIFIED = (
    "At least {n} {who} have been killed {where} {since}, according to {src}.",
    "More than {n} {who} have been killed {where} {since}, {src} said.",
)
TOTAL_TITLE = (
    "Gaza death toll {verb} {r}, health ministry says",
    "Gaza's death toll {verb} {r}",
    "Death toll in Gaza {verb} {r} as strikes continue",
    "Palestinian death toll {verb} {r}: ministry",
    "Number of Palestinians killed in Gaza {verb} {r}",
)
CROSS_VERBS = ("passes", "tops", "surpasses", "crosses", "exceeds", "hits", "climbs past", "rises above")
INJURED = (" Another {w} have been wounded, it said.", " It said {w} people had been wounded.",
           " The ministry said {w} others were injured.", "")
DAILY = ("At least {k} {who} were killed in the past 24 hours, {src} said.",
         "{src_cap} said {k} bodies had been brought to hospitals over the past day.",
         "In the previous 24 hours, {k} people were killed and {j} injured, {src} said.",
         "The toll includes {k} deaths over the past 24 hours, {src} said.",
         "Hospitals received {k} dead in the past 24 hours, according to {src}.")
CHILDREN = (" Among the dead are more than {c} children, it said.",
            " The ministry says {c} of the dead are children.", "")
INCIDENT = ("An Israeli strike on {target} in {place} killed at least {n} people, {isrc} said.",
            "At least {n} Palestinians were killed when an Israeli air strike hit {target} in {place}, "
            "according to {isrc}.",
            "{isrc_cap} said {n} people, including children, were killed in a strike on {target} in {place}.",
            "A strike on {target} in {place} overnight killed {n} people, {isrc} said.",
            "Israeli fire killed {n} people near {target} in {place}, {isrc} said.",
            "{isrc_cap} said a strike on {target} in {place} killed {n} members of one family.")
INCIDENT_NOPLACE = ("Elsewhere, a strike on {target} killed {n} people, {isrc} said.",
                    "An Israeli strike on {target} killed {n} people, according to {isrc}.",
                    "In another attack, {n} people were killed when {target} was hit, {isrc} said.",
                    "Across Gaza, a strike on {target} killed at least {n} people, {isrc} said.")
INCIDENT_TITLE = ("Israeli strike on {short} in {place} kills {n}", "{n} killed in strike on {short} in {place}",
                  "Gaza strike kills {n} at {short}", "Israeli strikes kill dozens across Gaza",
                  "Strike on {short} in {place} kills at least {n}, medics say")
# Headline-only items (a wire's headline feed, an aggregator's ticker): the body is the headline.
HEADLINE_TOTAL = ("Gaza death toll {verb} {r}, health ministry says", "Gaza's death toll {verb} {r}",
                  "Number of Palestinians killed in Gaza war {verb} {r}", "Israel-Hamas war: Gaza toll {verb} {r}",
                  "Over {r} Palestinians killed in Gaza, ministry says",
                  "Palestinian death toll in Gaza rises to {n}", "Gaza health ministry says {n} killed since Oct. 7",
                  "Death toll in Gaza climbs to {n} as Israeli strikes continue",
                  "{n} killed in Gaza since start of war: ministry", "Gaza war death toll reaches {n}")
HEADLINE_INCIDENT = ("Israeli strike on {short} in {place} kills {n}", "Strike on Gaza {short} kills at least {n}, "
                     "medics say", "{n} killed in Israeli strike on {short} in {place}",
                     "At least {n} dead after strike on {short} in {place}")
HEADLINE_DAY = ("At least {k} killed in Israeli strikes across Gaza on {weekday}",
                "Gaza: {k} killed in past 24 hours, ministry says", "Israeli strikes kill {k} Palestinians in a day")
RISES = "The toll from {when} strike on {target} in {place} rose to {n}, {isrc} said."
FILLER = ("Israel says it targets Hamas militants and blames the group for civilian deaths.",
          "The Israeli military said it was looking into the reports.",
          "Aid agencies have warned of famine conditions in the north of the territory.",
          "Mediators in Qatar and Egypt pressed on with talks on a truce and a hostage exchange.",
          "Most of the territory's people have been displaced, many several times.",
          "The military said it had struck dozens of militant targets over the past day.",
          "Hospitals in the south are running short of fuel and medicine, the World Health Organization said.",
          "The ministry does not say how many of the dead were fighters.")
ISRAEL = ("The war began when Hamas-led militants attacked southern Israel on October 7, killing about 1,200 "
          "people and taking some 250 hostages.",
          "Hamas fighters killed around 1,200 people in Israel on October 7, according to Israeli tallies.")
ISRAEL_EARLY = "Israeli officials say about 1,300 people were killed in the Hamas attack on October 7."
# Israel's own toll (1,300-1,400) lies within 10 % of Gaza's count of the week before until about 21 October
# 2023; the stream names it only from 22 October, so that the restatement measure does not take it for one.
ISRAEL_FROM = date(2023, 10, 22)

# Other running totals of the same war, other populations or places: they must not join Gaza's series.
# Approximate counts as reported at the time (West Bank: Palestinian health ministry in Ramallah; soldiers:
# the Israeli military), interpolated between these days; they are not checked against any truth.
WEST_BANK = ((date(2023, 10, 14), 55), (date(2023, 11, 1), 125), (date(2023, 12, 1), 240),
             (date(2024, 1, 1), 320), (date(2024, 2, 29), 410))
SOLDIERS = ((date(2023, 10, 28), 1), (date(2023, 11, 15), 50), (date(2023, 12, 15), 116),
            (date(2024, 1, 15), 190), (date(2024, 2, 29), 245))
OTHER_TOTALS = (
    ("In the occupied West Bank, at least {wb} Palestinians have been killed by Israeli troops or settlers "
     "since October 7, according to the Palestinian health ministry in Ramallah."),
    "The Palestinian health ministry said {wb} Palestinians had been killed in the West Bank since October 7.",
    "The Israeli military says {s} soldiers have been killed in the ground offensive in Gaza.",
    "Israel says {s} of its soldiers have been killed since the ground operation in Gaza began.",
)
UKRAINE = ("A Russian missile strike on {place} killed {n} people and wounded {m}, the regional governor said.",
           "Russian drones hit residential buildings in {place} overnight, killing {n} people, officials said.",
           "At least {n} civilians were killed in Russian shelling of {place}, Ukrainian officials said.")
UKRAINE_PLACES = ("Kharkiv", "Odesa", "Dnipro", "Zaporizhzhia", "Kherson", "Kyiv", "Sumy", "Pokrovsk")
SUDAN = ("An attack by the Rapid Support Forces on {place} killed at least {n} civilians, local activists said.",
         "Drone strikes on a market in {place} killed {n} people, a medical group said.",
         "Shelling of a displacement camp near {place} killed {n} people, aid workers said.")
SUDAN_PLACES = ("El Fasher", "Omdurman", "Zamzam", "Abu Shouk", "Nyala", "El Obeid", "Khartoum", "Kadugli")
LEBANON = ("An Israeli strike on a house in {place} in south Lebanon killed {n} people, Lebanon's health "
           "ministry said.",
           "Israeli strikes on {place} killed {n} people, Lebanese state media reported.")
LEBANON_PLACES = ("Nabatieh", "Tyre", "Bint Jbeil", "Marjayoun", "Khiam", "Naqoura", "Baalbek")
LEBANON_TOTAL = "Lebanon's health ministry says {n} people have been killed in Israeli attacks since October 8."


@dataclass
class Item:
    published: datetime
    outlet: str
    title: str
    body: str
    kind: str

    def to_json(self, number: int) -> dict[str, Any]:
        slug = re.sub(r"[^a-z0-9]+", "-", self.outlet.lower()).strip("-")
        return {"id": f"dev-stream-{number:05d}", "published_at": self.published.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "outlet": self.outlet, "title": self.title, "body": self.body,
                "url": f"https://{slug}.example/{self.published:%Y/%m/%d}/{number:05d}", "language": "en",
                "stream_kind": self.kind}


class Truth:
    """The official daily counts, with each missing day taken from the last day before it that has one."""

    def __init__(self, shared: Path) -> None:
        series = shared / "data" / "official-series"
        rows = json.loads((series / "gaza-casualties-daily.json").read_text())
        self.gaza = {row["report_date"]: row for row in rows}
        self.lebanon = {row["report_date"]: row for row in
                        json.loads((series / "lebanon-casualties-daily.json").read_text())}
        self.ceasefire: dict[str, tuple[int, int]] = {}
        for path in sorted((series / "gaza-moh-bulletins").glob("*.md")):
            english = path.read_text().split("Since the ceasefire", 1)
            if len(english) == 2:
                found = re.findall(r"Total number of (?:martyrs|injuries):\s*([\d,]+)", english[1])
                if len(found) >= 2:
                    self.ceasefire[path.stem] = (int(found[0].replace(",", "")), int(found[1].replace(",", "")))

    def gaza_value(self, day: date, *fields: str) -> int | None:
        for back in range(10):
            row = self.gaza.get((day - timedelta(days=back)).isoformat(), {})
            for field in fields:
                if row.get(field) is not None:
                    return int(row[field])
        return None

    def lebanon_value(self, day: date) -> int | None:
        for back in range(120):
            row = self.lebanon.get((day - timedelta(days=back)).isoformat())
            if row and row.get("killed_cum") is not None and row.get("phase") == 1:
                return int(row["killed_cum"])
        return None


def interpolate(anchors: tuple[tuple[date, int], ...], day: date) -> int:
    """The count on ``day``, linear between the anchors (the first or last one outside them)."""
    if day <= anchors[0][0]:
        return anchors[0][1]
    for (start, low), (end, high) in itertools.pairwise(anchors):
        if day <= end:
            return round(low + (high - low) * (day - start).days / (end - start).days)
    return anchors[-1][1]


def fmt(n: int) -> str:
    return f"{n:,}"


def cap(text: str) -> str:
    return text[:1].upper() + text[1:]


SINGULARS = ((" 1 deaths", " 1 death"), (" 1 bodies had", " 1 body had"), (" 1 people were", " 1 person was"),
             (" 1 Palestinians were", " 1 Palestinian was"), (" 1 Gazans were", " 1 Gazan was"))


def tidy(text: str) -> str:
    for plural, singular in SINGULARS:
        text = text.replace(plural, singular)
    text = re.sub(r" {2,}", " ", text)
    return re.sub(r" ([,.])", r"\1", text).strip()


class Generator:
    def __init__(self, truth: Truth, rng: random.Random) -> None:
        self.truth = truth
        self.rng = rng
        self.items: list[Item] = []

    def pick(self, options: tuple[str, ...]) -> str:
        return self.rng.choice(options)

    def at(self, day: date, earliest: int = 5, latest: int = 23) -> datetime:
        hour = self.rng.randint(earliest, latest - 1)
        return datetime(day.year, day.month, day.day, hour, self.rng.randint(0, 59), self.rng.randint(0, 59))

    def lag(self) -> int:
        return self.rng.choices([lag for lag, _ in LAGS], weights=[w for _, w in LAGS])[0]

    def stated_total(self, total: int) -> tuple[str, str | None]:
        """The running total as an outlet writes it, and a rounded headline figure with its verb (or None)."""
        step = 1000 if total >= 10_000 else 100
        floor = total // step * step
        roll = self.rng.random()
        if roll < 0.6:
            return fmt(total), None
        if roll < 0.75:
            return f"more than {fmt(floor)}", None
        if roll < 0.82:
            near = -(-total // step) * step
            if near - total <= step * 0.3:
                return f"nearly {fmt(near)}", None
            return f"over {fmt(floor)}", None
        if roll < 0.9:
            return f"some {fmt(round(total / step) * step)}", None
        return fmt(total), fmt(floor)

    def gaza_total(self, day: date, incidents: list[dict[str, Any]]) -> None:
        lag = self.lag()
        seen = day - timedelta(days=lag)
        total = self.truth.gaza_value(seen, "killed_cum", "ext_killed_cum")
        if total is None:
            return
        outlet = self.pick(OUTLETS)
        stated, headline = self.stated_total(total)
        src = self.pick(MINISTRY)
        fill = {"n": stated, "who": self.pick(WHO), "where": self.pick(WHERE), "since": self.pick(SINCE),
                "src": src, "src_cap": cap(src)}
        exact = stated[0].isdigit()
        templates = TOTAL_BODY + TOTAL_BODY_QUALIFIED if exact else TOTAL_BODY
        sentences = [self.pick(templates).format(**fill)]
        injured = self.truth.gaza_value(seen, "injured_cum", "ext_injured_cum")
        if injured:
            sentences[0] += self.pick(INJURED).format(w=fmt(injured))
        if self.rng.random() < 0.45:
            killed = self.truth.gaza_value(seen, "killed", "ext_killed")
            if killed:
                daily_injured = self.truth.gaza_value(seen, "injured", "ext_injured") or killed * 2
                sentences.append(self.pick(DAILY).format(k=fmt(killed), j=fmt(daily_injured), who=self.pick(WHO),
                                                         src=src, src_cap=cap(src)))
        if self.rng.random() < 0.25:
            children = self.truth.gaza_value(seen, "killed_children_cum", "ext_killed_children_cum")
            if children:
                step = 1000 if children >= 10_000 else 100
                sentences.append(self.pick(CHILDREN).format(c=fmt(children // step * step)))
        kind = "total"
        if incidents and self.rng.random() < 0.5:
            event = self.rng.choice(incidents)
            sentences.insert(0, self.incident_sentence(event, event["n"]))
            kind = "total+incident"
        if self.rng.random() < 0.5:
            sentences.append(self.pick(FILLER))
        if self.rng.random() < 0.3 and day >= ISRAEL_FROM:
            sentences.append(ISRAEL_EARLY if day < date(2023, 11, 10) else self.pick(ISRAEL))
        if headline is not None:
            title = self.pick(TOTAL_TITLE).format(verb=self.pick(CROSS_VERBS), r=headline)
            kind += "+headline"
        elif self.rng.random() < 0.3:
            title = f"Gaza: {stated} killed, ministry says"
        else:
            title = self.rng.choice(("Israeli strikes pound Gaza as death toll climbs",
                                     "Gaza health ministry gives new toll", "Latest: war in Gaza",
                                     "Strikes continue across Gaza", "Gaza war: what we know today"))
        self.items.append(Item(self.at(day), outlet, title, tidy(" ".join(sentences)), kind))

    def incident_sentence(self, event: dict[str, Any], n: int) -> str:
        isrc = event["source"]
        fill = {"target": event["target"], "place": event["place"], "n": n, "isrc": isrc, "isrc_cap": cap(isrc)}
        template = event["template"]
        return template.format(**fill)

    def gaza_incidents(self, day: date) -> list[dict[str, Any]]:
        events = []
        for _ in range(self.rng.choice((1, 2, 2, 3, 3, 4))):
            kind, target = self.rng.choice(TARGETS)
            placed = self.rng.random() < 0.75
            n = self.rng.choice((3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 15, 17, 18, 20, 22, 25, 27, 30, 33, 40, 45))
            if kind == "car":
                n = min(n, 5)
            events.append({"kind": kind, "target": target, "place": self.pick(GAZA_PLACES) if placed else "",
                           "n": n, "source": self.pick(INCIDENT_SOURCES),
                           "template": self.pick(INCIDENT if placed else INCIDENT_NOPLACE)})
        for event in events:
            reports = self.rng.choice((1, 1, 2, 2, 3))
            for index in range(reports):
                n = event["n"]
                kind = "incident"
                if index > 0 and self.rng.random() < 0.25:
                    # A true disagreement: another source's count of the same strike.
                    n = n + self.rng.choice((2, 3, 5, 8, 10))
                    other = dict(event, source=self.pick(INCIDENT_SOURCES))
                    sentence = self.incident_sentence(other, n)
                    kind = "incident-disagreement"
                else:
                    sentence = self.incident_sentence(event, n)
                short = event["target"].split(" ")[-1] if event["kind"] != "aid" else "aid seekers"
                place = event["place"] or "Gaza"
                title = self.pick(INCIDENT_TITLE).format(short=short, place=place, n=n)
                body = [sentence]
                if self.rng.random() < 0.5:
                    body.append(self.pick(FILLER))
                self.items.append(Item(self.at(day), self.pick(OUTLETS), title, tidy(" ".join(body)), kind))
            if event["place"] and self.rng.random() < 0.12:
                later = day + timedelta(days=1)
                when = f"{day:%A}'s"
                sentence = RISES.format(when=when, target=event["target"], place=event["place"],
                                        n=event["n"] + self.rng.choice((2, 4, 6, 9)), isrc=event["source"])
                self.items.append(Item(self.at(later, 5, 12), self.pick(OUTLETS),
                                       f"Toll from {event['place']} strike rises", sentence, "incident-rise"))
        return events

    def headline(self, day: date, incidents: list[dict[str, Any]]) -> None:
        """A headline-only item: a running total (most), one strike's toll, or the day's toll."""
        roll = self.rng.random()
        seen = day - timedelta(days=self.lag())
        total = self.truth.gaza_value(seen, "killed_cum", "ext_killed_cum")
        if roll < 0.6 and total:
            step = 1000 if total >= 10_000 else 100
            text = self.pick(HEADLINE_TOTAL).format(verb=self.pick(CROSS_VERBS), r=fmt(total // step * step),
                                                    n=fmt(total))
            kind = "headline-total"
        elif roll < 0.9 and incidents:
            event = self.rng.choice(incidents)
            short = event["target"].split(" ")[-1] if event["kind"] != "aid" else "aid seekers"
            text = self.pick(HEADLINE_INCIDENT).format(short=short, place=event["place"] or "Gaza", n=event["n"])
            kind = "headline-incident"
        else:
            killed = self.truth.gaza_value(day, "killed", "ext_killed")
            if not killed:
                return
            text = self.pick(HEADLINE_DAY).format(k=fmt(killed), weekday=f"{day:%A}")
            kind = "headline-day"
        self.items.append(Item(self.at(day), self.pick(OUTLETS), text, text, kind))

    def ceasefire_report(self, day: date) -> None:
        """After the October 2025 ceasefire: the ministry's daily report as outlets retell it."""
        key = day.isoformat()
        row = self.truth.gaza.get(key)
        since = self.truth.ceasefire.get(key)
        if row is None or since is None or row.get("killed_cum") is None:
            return
        src = self.pick(MINISTRY)
        killed, total = row.get("killed", 0), row["killed_cum"]
        body = (f"{cap(src)} said {killed} people had been killed in the past 24 hours. "
                f"Since the ceasefire took effect on October 11, {fmt(since[0])} people have been killed and "
                f"{fmt(since[1])} injured, it said, bringing the toll since October 7, 2023 to {fmt(total)}.")
        self.items.append(Item(self.at(day, 12, 20), self.pick(OUTLETS),
                               "Gaza ministry reports new deaths despite ceasefire", body, "ceasefire-report"))

    def other_totals(self, day: date) -> None:
        """The West Bank's toll or Israel's soldiers killed in Gaza, as wires add them to a Gaza story."""
        template = self.pick(OTHER_TOTALS)
        if "{s}" in template and day < SOLDIERS[0][0]:
            return
        body = template.format(wb=fmt(interpolate(WEST_BANK, day)), s=fmt(interpolate(SOLDIERS, day)))
        self.items.append(Item(self.at(day), self.pick(OUTLETS), "Israel-Hamas war: latest", body,
                               "other-total"))

    def other_conflicts(self, day: date) -> None:
        roll = self.rng.random()
        n = self.rng.choice((2, 3, 4, 5, 6, 8, 10, 12, 14, 19, 25, 40))
        if roll < 0.35:
            body = self.pick(UKRAINE).format(place=self.pick(UKRAINE_PLACES), n=n, m=n * 3)
            self.items.append(Item(self.at(day), self.pick(OUTLETS), "Russian strikes hit Ukrainian cities", body,
                                   "other"))
        elif roll < 0.6:
            body = self.pick(SUDAN).format(place=self.pick(SUDAN_PLACES), n=n * 3)
            self.items.append(Item(self.at(day), self.pick(OUTLETS), "Civilians killed in Sudan fighting", body,
                                   "other"))
        elif roll < 0.75:
            body = self.pick(LEBANON).format(place=self.pick(LEBANON_PLACES), n=n)
            total = self.truth.lebanon_value(day)
            if total and self.rng.random() < 0.5:
                body += " " + LEBANON_TOTAL.format(n=fmt(total))
            self.items.append(Item(self.at(day), self.pick(OUTLETS), "Israeli strikes on south Lebanon", body,
                                   "other"))

    def run(self) -> list[Item]:
        for start, end in WINDOWS:
            day = start
            while day <= end:
                late = start.year >= 2026
                incidents = self.gaza_incidents(day) if not late or self.rng.random() < 0.4 else []
                for _ in range(self.rng.choice((1, 1, 2) if late else (2, 3, 3, 4))):
                    self.gaza_total(day, incidents)
                for _ in range(self.rng.choice((0, 1, 1) if late else (1, 2, 2, 3))):
                    self.headline(day, incidents)
                if late:
                    self.ceasefire_report(day)
                self.other_conflicts(day)
                if not late and self.rng.random() < 0.3:
                    self.other_totals(day)
                day += timedelta(days=1)
        return self.items


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--hand", type=Path, default=ROOT / "corpus" / "stream" / "hand.jsonl")
    parser.add_argument("--out", type=Path, default=ROOT / "corpus" / "stream" / "dev-stream.jsonl")
    args = parser.parse_args(argv)
    items = Generator(Truth(args.shared), random.Random(SEED)).run()
    rows = [item.to_json(0) for item in items]
    hand = [json.loads(line) for line in args.hand.read_text().splitlines() if line.strip()]
    merged = sorted(rows + hand, key=lambda row: (row["published_at"], row["id"]))
    with args.out.open("w") as out:
        for number, row in enumerate(merged, 1):
            if row["id"].startswith("dev-stream-"):
                row["id"] = f"dev-stream-{number:05d}"
                row["url"] = re.sub(r"/\d{5}$", f"/{number:05d}", row["url"])
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"wrote {len(merged)} items ({len(hand)} hand-written) to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
