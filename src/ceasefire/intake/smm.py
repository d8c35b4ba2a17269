"""Reading OSCE SMM daily-report text: tallies, observations, weapons, restrictions, areas.

The SMM's daily reports are prose with a fixed house style ("The SMM recorded 36 ceasefire
violations in Donetsk region ... In the previous reporting period, it recorded 75 ceasefire
violations in the region."). This module reads that style with rules, never guessing: a count
the text does not state is ``None`` (never 0); "no ceasefire violations" and "none" are 0; number
words are numbers; every item keeps the character span of the text it came from. A report that
covers several days ("between the evenings of 23 and 24 December ...") gives one tally per day
and, where every day states its count, a sum that says how many days it sums. ``docs/smm-text.md``
states the limits, with examples the rules get wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

__all__ = ["NUMBER_WORDS", "SmmExtract", "extract_smm", "number"]

NUMBER_WORDS = {
    "no": 0, "none": 0, "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_TENS = r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
_UNITS = r"(?:one|two|three|four|five|six|seven|eight|nine)"
_NUM = (
    rf"(?:\d[\d,]*|{_TENS}-{_UNITS}|"
    + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
    + r")(?![\w-])"
)
_VAGUE = r"(?:a small number of|small numbers of|a similar number of|a number of|fewer|more)"
_REGION = (
    r"(?P<where>both (?:Donetsk and Luhansk )?regions|Donetsk and Luhansk regions|"
    r"(?:Donetsk|Luhansk)(?: region|(?! city))|the region)"
)
_COUNT = re.compile(
    rf"\b(?:(?P<count>{_NUM}|{_VAGUE}) ceasefire violations?"
    rf"(?:, including (?:about )?(?P<expl>{_NUM}) explosions)?"
    rf"(?:(?:(?!\b{_NUM} ceasefire|\band {_NUM} in )[^.;])*?"
    rf"\bin (?-i:(?:[a-z-]+ ){{0,4}}){_REGION}"
    rf"(?:, including (?:about )?(?P<expl2>{_NUM}) explosions)?)?"
    rf"|(?<=and )(?P<elliptic>{_NUM}|none|fewer|more) in {_REGION.replace('where', 'where2')})",
    re.IGNORECASE,
)
#: Counts after this in a sentence are the previous period's ("compared with the previous 24
#: hours" only compares, so it is not one of them).
_PREVIOUS = re.compile(r"in the previous reporting period", re.I)
_PREFIX_REGION = re.compile(r"^\s*(?:-\s*)?In (Donetsk|Luhansk) region,", re.I)
_DAY = re.compile(r"between the evenings of (\d{1,2}) and (\d{1,2}) (\w+)", re.I)
_OBSERVATION = re.compile(
    rf"\b(?P<verb>heard|saw|recorded|observed) (?P<count>{_NUM}) (?P<what>(?:undetermined |"
    r"unidentified )?(?:explosions?|bursts?|shots?|projectiles?)(?: of [\w\s-]+?)?)"
    r"(?: at an assessed range of| at)? (?P<rmin>\d+(?:\.\d+)?)(?:-|–| to )(?P<rmax>\d+(?:\.\d+)?)"
    r" ?km (?P<dir>(?:north|south|east|west)(?:-(?:north|south|east|west))*) of "
    r"(?P<place>(?-i:[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?))",
    re.IGNORECASE,
)
_WEAPON = re.compile(
    rf"\b(?P<count>{_NUM}) (?P<type>(?:[\w-]+ )?(?:tanks?|howitzers?|mortars?|"
    r"multiple launch rocket systems?|anti-tank guns?|anti-aircraft guns?|"
    r"armoured combat vehicles?|surface-to-air missile systems?|artillery pieces?))"
    r"(?: \((?P<system>[^)]+)\))?(?: near (?P<place>(?-i:[A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)))?",
    re.IGNORECASE,
)
_NEAR_PLACE = re.compile(
    r"\b(?:near|in|at) (?:(?:non-)?government-controlled )?(?P<place>[A-Z][\w'’-]+"
    r"(?:[- ][A-Z][\w'’-]+)?)(?:, (?P<region>Donetsk|Luhansk) region)?"
)
_AREAS = re.compile(
    r"disengagement areas? (?:near|at) (?P<list>[A-Z][\w'’ -]+?(?:, [A-Z][\w'’ -]+?)*"
    r"(?: and [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?))|(?:the|inside the) (?P<one>[A-Z][\w'’-]+"
    r"(?: [A-Z][\w'’-]+)?) disengagement area"
)
_OCCASIONS = re.compile(rf"on (?P<count>{_NUM}) o?c+asions", re.I)
_AS_OF = re.compile(r"as of (\d{1,2}):(\d{2}),? (\d{1,2} \w+ \d{4})", re.I)
_ISSUED = re.compile(r"issued on (\d{1,2} \w+ \d{4})", re.I)
_DATED = re.compile(r"\bdate (\d{4})-\d{2}-\d{2}\b")
_REPORT_NO = re.compile(r"Daily Report (\d+/\d{4})")
_SENTENCE = re.compile(r"[^.\n]+(?:\.(?!\d)|\n|$)")


def number(text: str | None) -> int | None:
    """Read a stated count: digits or a number word; ``None`` for vague words or no text."""
    if text is None:
        return None
    lowered = text.strip().lower().replace(",", "")
    if lowered.isdigit():
        return int(lowered)
    tens, _, unit = lowered.partition("-")
    if unit and tens in NUMBER_WORDS and unit in NUMBER_WORDS:  # twenty-five
        return NUMBER_WORDS[tens] + NUMBER_WORDS[unit]
    return NUMBER_WORDS.get(lowered)


@dataclass
class SmmExtract:
    """What one report text says, item by item, each with its character span."""

    line: int
    report_no: str | None
    period_end: str | None
    tallies: list[dict[str, Any]] = field(default_factory=list)
    observations: list[dict[str, Any]] = field(default_factory=list)
    weapons: list[dict[str, Any]] = field(default_factory=list)
    restrictions: list[dict[str, Any]] = field(default_factory=list)
    disengagement_areas: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``extract smm --json`` prints for one input line."""
        return {
            "line": self.line,
            "report_no": self.report_no,
            "period_end": self.period_end,
            "tallies": self.tallies,
            "observations": self.observations,
            "weapons": self.weapons,
            "restrictions": self.restrictions,
            "disengagement_areas": self.disengagement_areas,
        }


def extract_smm(record: dict[str, Any], line: int) -> SmmExtract:
    """Extract everything this module reads from one JSONL record (``text``, ``title``...).

    Args:
        record: the JSON object of one line: ``text`` and, if known, ``report_no``, ``title``.
        line: its line number, echoed in the result.
    """
    text = str(record.get("text") or "")
    title = str(record.get("title") or "")
    found = _REPORT_NO.search(title) or _REPORT_NO.search(text)
    report_no = record.get("report_no") or (found.group(1) if found else None)
    extract = SmmExtract(line, report_no, _period_end(title + "\n" + text))
    sentences = [(m.start(), m.group(0)) for m in _SENTENCE.finditer(text)]
    _tallies(extract, sentences)
    for start, sentence in sentences:
        _observations(extract, start, sentence)
        _weapons(extract, start, sentence)
        _restrictions(extract, start, sentence)
        _areas(extract, start, sentence)
    return extract


def _period_end(text: str) -> str | None:
    """The end of the reporting period, in Kyiv time.

    "as of 19:30, 17 October 2019" when stated; else the last "between the evenings of 25 and
    26 December" of a report dated 2018-12-27; else the day before "issued on", at 19:30 (the
    SMM's daily cut-off).
    """
    as_of, dated, days = _AS_OF.search(text), _DATED.search(text), _DAY.findall(text)
    issued = _ISSUED.search(text)
    try:
        if as_of:
            day = datetime.strptime(as_of.group(3), "%d %B %Y")
            moment = day.replace(hour=int(as_of.group(1)), minute=int(as_of.group(2)))
        elif dated and days:
            last = max(days, key=lambda found: int(found[1]))
            moment = datetime.strptime(
                f"{last[1]} {last[2]} {dated.group(1)} 19:30", "%d %B %Y %H:%M"
            )
        elif issued:
            day = datetime.strptime(issued.group(1), "%d %B %Y") - timedelta(days=1)
            moment = day.replace(hour=19, minute=30)
        else:
            return None
    except ValueError:
        return None
    return moment.isoformat(timespec="minutes") + _kyiv_offset(moment)


def _kyiv_offset(moment: datetime) -> str:
    """Kyiv's UTC offset: +03:00 (summer time) from the last Sunday of March to the last
    Sunday of October, +02:00 otherwise (the EU rule Ukraine followed)."""

    def last_sunday(month: int) -> datetime:
        day = datetime(moment.year, month, 31)
        return day - timedelta(days=(day.weekday() + 1) % 7)

    summer = last_sunday(3).replace(hour=3) <= moment < last_sunday(10).replace(hour=4)
    return "+03:00" if summer else "+02:00"


def _regions(where: str | None, own: str | None, context: str | None) -> list[str | None]:
    """The regions a count is for: those it names; "the region" is the one last named; a
    count naming none is for the region its sentence opens with ("In Donetsk region, ...")."""
    if where is None:
        return [own]
    if where.lower() == "the region":
        return [context]
    lowered = where.lower()
    if lowered.startswith("both") or " and " in lowered:
        return ["Donetsk", "Luhansk"]
    return [where.split()[0].capitalize()]


def _tallies(extract: SmmExtract, sentences: list[tuple[int, str]]) -> None:
    """Tally each region's counts, sentence by sentence; days of a multi-day report apart."""
    tallies: dict[tuple[str | None, str | None], dict[str, Any]] = {}
    context_region: str | None = None
    for start, sentence in sentences:
        prefix = _PREFIX_REGION.match(sentence)
        own_region = prefix.group(1).capitalize() if prefix else None
        context_region = own_region or context_region
        day = _DAY.search(sentence)
        period = f"{day.group(1)}-{day.group(2)} {day.group(3)}" if day else None
        previous_at = _PREVIOUS.search(sentence)
        for match in _COUNT.finditer(sentence):
            where = match.group("where") or match.group("where2")
            stated = match.group("count") or match.group("elliptic")
            is_previous = previous_at is not None and previous_at.start() < match.start()
            for region in _regions(where, own_region, context_region):
                if region is None:
                    continue
                context_region = region if where and "both" not in where.lower() else context_region
                tally = tallies.setdefault(
                    (region, period),
                    {"region": region, "ceasefire_violations": None, "explosions": None,
                     "previous_ceasefire_violations": None, "span": None},
                )  # fmt: skip
                key = "previous_ceasefire_violations" if is_previous else "ceasefire_violations"
                if tally[key] is None:
                    tally[key] = number(stated)
                explosions = match.group("expl") or match.group("expl2")
                if not is_previous and explosions and tally["explosions"] is None:
                    tally["explosions"] = number(explosions)
                span = [start + match.start(), start + match.end()]
                old = tally["span"]
                tally["span"] = (
                    span if old is None else [min(old[0], span[0]), max(old[1], span[1])]
                )
                if period is not None:
                    tally["period"] = period
    extract.tallies = list(tallies.values())
    _sum_days(extract)


def _sum_days(extract: SmmExtract) -> None:
    """Add, per region, the sum of a multi-day report's days where every day states counts."""
    by_region: dict[str, list[dict[str, Any]]] = {}
    for tally in extract.tallies:
        if "period" in tally:
            by_region.setdefault(tally["region"], []).append(tally)
    for region, days in by_region.items():
        if len(days) < 2:
            continue
        summed: dict[str, Any] = {"region": region}
        for key in ("ceasefire_violations", "explosions"):
            values = [day[key] for day in days]
            summed[key] = None if None in values else sum(values)
        summed["previous_ceasefire_violations"] = None
        summed["span"] = [min(d["span"][0] for d in days), max(d["span"][1] for d in days)]
        summed["summed_days"] = len(days)
        extract.tallies.append(summed)


def _observations(extract: SmmExtract, start: int, sentence: str) -> None:
    for match in _OBSERVATION.finditer(sentence):
        what = match.group("what").lower()
        activity = "explosion" if "explosion" in what else "small_arms_fire"
        extract.observations.append(
            {"count": number(match.group("count")), "activity": activity, "what": what,
             "range_m": [float(match.group("rmin")) * 1000, float(match.group("rmax")) * 1000],
             "bearing": match.group("dir").lower(), "place": match.group("place"),
             "span": [start + match.start(), start + match.end()]}
        )  # fmt: skip


def _weapons(extract: SmmExtract, start: int, sentence: str) -> None:
    if not re.search(r"in violation of (?:the )?withdrawal lines", sentence, re.I):
        return
    items = list(_WEAPON.finditer(sentence))
    for match in items:
        extract.weapons.append(
            {"count": number(match.group("count")), "type": match.group("type").lower(),
             "system": match.group("system"), "place": match.group("place"),
             "span": [start + match.start(), start + match.end()]}
        )  # fmt: skip
    if not items:  # stated, but with no count or type: kept as such
        regions = sorted(set(re.findall(r"(Donetsk|Luhansk)", sentence)))
        extract.weapons.append(
            {"count": None, "type": None, "system": None, "place": None, "regions": regions,
             "span": [start, start + len(sentence.rstrip())]}
        )  # fmt: skip


def _restrictions(extract: SmmExtract, start: int, sentence: str) -> None:
    if not re.search(r"restrict", sentence, re.I):
        return
    occasions = _OCCASIONS.search(sentence)
    places = [
        m for m in _NEAR_PLACE.finditer(sentence) if m.group("place") not in {"Donetsk", "Luhansk"}
    ]
    for match in places:
        extract.restrictions.append(
            {"place": match.group("place"), "region": match.group("region"), "count": None,
             "span": [start + match.start(), start + match.end()]}
        )  # fmt: skip
    if not places:
        extract.restrictions.append(
            {"place": None, "region": None,
             "count": number(occasions.group("count")) if occasions else None,
             "span": [start, start + len(sentence.rstrip())]}
        )  # fmt: skip


def _areas(extract: SmmExtract, start: int, sentence: str) -> None:
    for match in _AREAS.finditer(sentence):
        if match.group("one"):
            names = [match.group("one")]
        else:
            names = re.split(r", | and ", match.group("list"))
        for name in names:
            extract.disengagement_areas.append(
                {"area": name.strip(), "span": [start + match.start(), start + match.end()]}
            )
