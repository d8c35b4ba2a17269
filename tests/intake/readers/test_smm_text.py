"""SMM daily-report text: every count the real summaries and excerpts state, read right.

The expectations below were read off the texts in ``../shared/data/text/`` by hand: each stated
count, each "no"/"none" (0), and each count the text leaves unstated ("fewer", "a small number
of": null, never 0).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.cli import cli
from ceasefire.intake.smm import NUMBER_WORDS, extract_smm, number

SUMMARIES = "text/osce_smm_daily_report_summaries_215-216_2020.jsonl"
EXCERPTS = "text/osce_smm_report_excerpts_webpages.jsonl"

#: (file, line) → region (and day, for a multi-day report) → (violations, explosions, previous).
EXPECTED: dict[tuple[str, int], dict[tuple[str, str | None], tuple[int | None, ...]]] = {
    (SUMMARIES, 1): {("Donetsk", None): (1, None, 0), ("Luhansk", None): (0, None, 50)},
    (SUMMARIES, 2): {("Donetsk", None): (0, None, 1), ("Luhansk", None): (0, None, 0)},
    (EXCERPTS, 1): {
        ("Donetsk", "23-24 December"): (None, 60, None),
        ("Luhansk", "23-24 December"): (None, None, None),
        ("Donetsk", "24-25 December"): (None, None, None),
        ("Luhansk", "24-25 December"): (None, None, None),
        ("Donetsk", "25-26 December"): (None, None, None),
        ("Luhansk", "25-26 December"): (None, None, None),
    },
    (EXCERPTS, 2): {("Donetsk", None): (None, None, None), ("Luhansk", None): (None, None, None)},
    (EXCERPTS, 3): {("Donetsk", None): (None, None, None), ("Luhansk", None): (0, None, None)},
    (EXCERPTS, 4): {("Donetsk", None): (292, 48, 75), ("Luhansk", None): (114, 23, 118)},
    (EXCERPTS, 5): {("Donetsk", None): (36, None, 0), ("Luhansk", None): (34, None, 0)},
}
PERIOD_ENDS = {
    (SUMMARIES, 1): "2020-09-08T19:30+03:00",
    (SUMMARIES, 2): "2020-09-09T19:30+03:00",
    (EXCERPTS, 1): "2018-12-26T19:30+02:00",
    (EXCERPTS, 2): "2019-10-17T19:30+03:00",
    (EXCERPTS, 3): None,
    (EXCERPTS, 4): "2022-02-02T19:30+02:00",
    (EXCERPTS, 5): "2020-08-13T19:30+03:00",
}


def _record(shared_data: Any, relative: str, line: int) -> dict[str, Any]:
    lines = shared_data.path(relative).read_text("utf-8").splitlines()
    record = json.loads(lines[line - 1])
    assert isinstance(record, dict)
    return record


@pytest.mark.parametrize(("relative", "line"), sorted(EXPECTED))
def test_every_stated_count_is_read(shared_data: Any, relative: str, line: int) -> None:
    """Each region's violations, explosions and previous-period count are as the text states."""
    record = _record(shared_data, relative, line)
    extract = extract_smm(record, line)
    days = {
        (t["region"], t.get("period")): (
            t["ceasefire_violations"],
            t["explosions"],
            t["previous_ceasefire_violations"],
        )
        for t in extract.tallies
        if "summed_days" not in t
    }
    assert days == EXPECTED[(relative, line)]
    assert extract.period_end == PERIOD_ENDS[(relative, line)]


@pytest.mark.parametrize(("relative", "line"), sorted(EXPECTED))
def test_every_tally_span_quotes_its_count(shared_data: Any, relative: str, line: int) -> None:
    """A tally's span is text that speaks of ceasefire violations and names what it counted."""
    text = _record(shared_data, relative, line)["text"]
    for tally in extract_smm(_record(shared_data, relative, line), line).tallies:
        quoted = text[tally["span"][0] : tally["span"][1]]
        assert "ceasefire violation" in quoted or " in Luhansk region" in quoted
        for key in ("ceasefire_violations", "explosions"):
            if tally[key] not in (None, 0):
                assert str(tally[key]) in quoted or _word(tally[key]) in quoted


def _word(value: int) -> str:
    return next(word for word, n in NUMBER_WORDS.items() if n == value)


def test_a_multi_day_report_sums_only_what_every_day_states(shared_data: Any) -> None:
    """The three-day report's sum says it sums three days, and stays null (days are unstated)."""
    extract = extract_smm(_record(shared_data, EXCERPTS, 1), 1)
    sums = [t for t in extract.tallies if "summed_days" in t]
    assert {t["region"] for t in sums} == {"Donetsk", "Luhansk"}
    assert all(t["summed_days"] == 3 and t["ceasefire_violations"] is None for t in sums)


def test_a_two_day_report_with_counts_sums_them() -> None:
    """Where each day states its count, the sum adds them and says how many days it covers."""
    text = (
        "In Donetsk region, between the evenings of 18 and 19 February, the SMM recorded 12 "
        "ceasefire violations, including seven explosions. Between the evenings of 19 and 20 "
        "February, the SMM recorded 30 ceasefire violations in Donetsk region, including 9 "
        "explosions."
    )
    tallies = extract_smm({"text": text}, 1).tallies
    [summed] = [t for t in tallies if "summed_days" in t]
    assert (summed["ceasefire_violations"], summed["explosions"]) == (42, 16)
    assert summed["summed_days"] == 2


def test_restrictions_disengagement_areas_and_weapons(shared_data: Any) -> None:
    """Freedom-of-movement restrictions name their places; areas and weapon mentions are kept."""
    first = extract_smm(_record(shared_data, SUMMARIES, 1), 1)
    assert [(r["place"], r["region"]) for r in first.restrictions] == [
        ("Korsun", "Donetsk"),
        ("Leonove", "Luhansk"),
    ]
    assert [a["area"] for a in first.disengagement_areas] == [
        "Stanytsia Luhanska",
        "Zolote",
        "Petrivske",
    ]
    occasions = extract_smm(_record(shared_data, EXCERPTS, 3), 3)
    assert [r["count"] for r in occasions.restrictions] == [6]
    weapons = extract_smm(_record(shared_data, EXCERPTS, 5), 5).weapons
    assert [(w["count"], w["regions"]) for w in weapons] == [(None, ["Donetsk", "Luhansk"])]


def test_a_single_observation_becomes_a_bearing_with_its_span() -> None:
    """ "heard 3 undetermined explosions 2-4 km south-east of Zolote" is read with its range."""
    text = "Positioned in Zolote, the SMM heard three undetermined explosions 2-4km south-east of "
    text += "Zolote."
    [seen] = extract_smm({"text": text}, 1).observations
    assert (seen["count"], seen["activity"], seen["bearing"]) == (3, "explosion", "south-east")
    assert seen["range_m"] == [2000.0, 4000.0]
    assert seen["place"] == "Zolote"
    assert text[seen["span"][0] : seen["span"][1]].startswith("heard three")


def test_weapons_in_violation_with_type_count_and_place() -> None:
    """Weapons in violation of withdrawal lines are read with count, type, system and place."""
    text = (
        "In violation of withdrawal lines, the SMM saw two tanks (T-64) near Ukrainka and "
        "four howitzers (2A65 Msta-B, 152mm) near Khlibodarivka."
    )
    weapons = extract_smm({"text": text}, 1).weapons
    assert [(w["count"], w["type"], w["system"], w["place"]) for w in weapons] == [
        (2, "tanks", "T-64", "Ukrainka"),
        (4, "howitzers", "2A65 Msta-B, 152mm", "Khlibodarivka"),
    ]


@given(st.sampled_from(sorted(NUMBER_WORDS)))
def test_number_words_are_numbers(word: str) -> None:
    """Every number word reads as its value, in any case."""
    assert number(word) == NUMBER_WORDS[word]
    assert number(word.upper()) == NUMBER_WORDS[word]


def test_vague_words_are_no_number() -> None:
    """'fewer', 'more', 'a small number of' state no count."""
    assert number("fewer") is None
    assert number("a small number of") is None
    assert number(None) is None


def test_extract_smm_json_is_the_documented_shape(shared_data: Any) -> None:
    """extract smm --json prints an array, one object per line, with the documented keys."""
    result = CliRunner().invoke(cli, ["extract", "smm", str(shared_data.path(SUMMARIES)), "--json"])
    assert result.exit_code == 0
    lines = json.loads(result.stdout)
    assert [item["line"] for item in lines] == [1, 2]
    assert {"line", "report_no", "period_end", "tallies", "observations", "weapons",
            "restrictions"} <= set(lines[0])  # fmt: skip
    assert lines[0]["report_no"] == "215/2020"
    assert set(lines[0]["tallies"][0]) == {
        "region", "ceasefire_violations", "explosions", "previous_ceasefire_violations", "span",
    }  # fmt: skip


def test_extract_smm_refuses_a_bad_line_naming_it(tmp_path: Path) -> None:
    """A line that is not JSON is refused with exit 1, naming file and line."""
    path = tmp_path / "bad.jsonl"
    path.write_text('{"text": "The SMM recorded no ceasefire violations."}\nnot json\n')
    result = CliRunner().invoke(cli, ["extract", "smm", str(path)])
    assert result.exit_code == 1
    assert "bad.jsonl: line 2" in result.stderr


def test_smm_text_ingests_observations_as_bearing_reports(tmp_path: Path) -> None:
    """--format smm-text stores a single observation located by bearing from the named place."""
    line = {
        "report_no": "1/2020",
        "text": "Based on information from the Monitoring Teams as of 19:30, 15 September 2020. "
        "Positioned in Zolote, the SMM heard three undetermined explosions 2-4km south-east of "
        "Zolote.",
    }
    path = tmp_path / "smm.jsonl"
    path.write_text(json.dumps(line) + "\n")
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["--db", db, "ingest", str(path), "--format", "smm-text"])
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["--db", db, "reports", "--json"])
    [report] = [json.loads(text) for text in shown.stdout.splitlines()]
    assert report["activity"] == "explosion"
    assert report["count"] == 3
    assert report["location"]["bearing_deg"] == 135.0
    assert report["location"]["range_m"] == [2000.0, 4000.0]
    assert report["observed_until"] == "2020-09-15T19:30:00+03:00"
    assert report["narrative"].startswith("heard three undetermined explosions")
    again = CliRunner().invoke(
        cli, ["--db", db, "ingest", str(path), "--json", "--format", "smm-text"]
    )
    assert json.loads(again.stdout)["duplicate"] == 1


def test_smm_text_restrictions_on_the_real_texts(shared_data: Any, tmp_path: Path) -> None:
    """Restrictions at places GeoNames has are stored; the others are refused naming 'place'."""
    gazetteer = shared_data.path("geo/gazetteer_geonames_cities500_UA_plus_border_RU_BY_MD.csv")
    files = [str(shared_data.path(SUMMARIES)), str(shared_data.path(EXCERPTS))]
    result = CliRunner().invoke(
        cli,
        [
            "--db",
            str(tmp_path / "t.db"),
            "ingest",
            *files,
            "--json",
            "-o",
            f"gazetteer={gazetteer}",
        ],
    )
    receipt = json.loads(result.stdout)
    assert receipt["accepted"] == 4
    assert {
        (r["field"], r["position"]) for r in receipt["records"] if r["outcome"] == "rejected"
    } == {
        ("place", "line 1 restriction [1]"),
        ("place", "line 2 restriction [0]"),
    }


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The SMM recorded twenty-five ceasefire violations in Donetsk region.", 25),
        ("The SMM recorded 1,200 ceasefire violations in Donetsk region.", 1200),
        ("The SMM recorded no ceasefire violations in Luhansk region.", 0),
        ("The SMM recorded fewer ceasefire violations in Luhansk region.", None),
    ],
)
def test_counts_in_words_digits_and_vague_words(text: str, expected: int | None) -> None:
    """Compound number words and thousands separators are numbers; vague words are null."""
    [tally] = extract_smm({"text": text}, 1).tallies
    assert tally["ceasefire_violations"] == expected
