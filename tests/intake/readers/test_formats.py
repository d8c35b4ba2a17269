"""The adapter registry: ``ceasefire formats`` lists every adapter; options are typed, checked."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.errors import InputRefused
from ceasefire.intake.readers import READERS, describe_options, parse_options, recognise_format


def test_formats_json_lists_every_adapter_with_its_options() -> None:
    """`formats --json` names each registered adapter, with each option's type, default and help."""
    result = CliRunner().invoke(cli, ["formats", "--json"])
    assert result.exit_code == 0
    listing = json.loads(result.stdout)
    assert [entry["name"] for entry in listing] == list(READERS)
    for entry in listing:
        expected = [option.to_dict() for option in describe_options(READERS[entry["name"]].options)]
        assert entry["options"] == expected
        assert all(option["help"] for option in entry["options"])
    ucdp = next(entry for entry in listing if entry["name"] == "ucdp-ged")
    assert "cp1252" in ucdp["encodings"]
    assert {"name": "reliability", "type": "str", "default": "B"}.items() <= ucdp["options"][
        1
    ].items()


def test_formats_text_names_every_adapter() -> None:
    """The human listing shows each adapter and its -o options."""
    result = CliRunner().invoke(cli, ["formats"])
    assert result.exit_code == 0
    for name in READERS:
        assert f"{name}:" in result.stdout
    assert "-o utc_offset=+00:00" in result.stdout


def test_options_are_converted_to_their_declared_types() -> None:
    """KEY=VALUE text becomes the option's type; an empty value clears an optional option."""
    options = parse_options(READERS["uawardata"].options, {"uncertainty_m": "250", "bbox": ""}, "x")
    assert options.uncertainty_m == 250.0
    assert options.bbox is None


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"colour": "red"}, "no such option"),
        ({"uncertainty_m": "far"}, "not a float"),
        ({"bbox": "1,2,3"}, "bbox must be"),
        ({"reliability": "Z"}, "Admiralty letter"),
        ({"utc_offset": "3"}, "utc_offset"),
    ],
)
def test_bad_options_are_refused_naming_them(given: dict[str, str], message: str) -> None:
    """An unknown option or a malformed value is refused with the option named."""
    with pytest.raises(InputRefused, match=message):
        parse_options(READERS["uawardata"].options, given, "uawardata")


def test_bad_option_on_the_command_line_is_a_usage_error(tmp_path: Path) -> None:
    """ingest -o with a bad value exits 2 (usage), before reading any row."""
    path = tmp_path / "u.csv"
    path.write_text("date,lat,lng,unit,country\n2022-03-31,47.1,37.8,1st Army,ru\n")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "ingest", str(path), "-o", "bbox=oops"]
    )
    assert result.exit_code == 2
    assert "bbox" in result.stderr


@pytest.mark.parametrize(
    ("name", "head", "expected"),
    [
        ("a.csv", "event_id_cnty,event_date,geo_precision,time_precision\n", "acled"),
        ("a.txt", "date,lat,lng,unit,type_of_btg,country\n", "uawardata"),
        ("a.csv", "source_id,source_kind,observed_at,lon,lat,activity\n", "csv"),
        ("a.jsonl", '{"a": 1}\n{"a": 2}\n', "jsonl"),
        ("a", '{"type": "FeatureCollection", "features": []}', "geojson"),
    ],
)
def test_auto_tells_importers_from_our_formats(name: str, head: str, expected: str) -> None:
    """An importer is recognised by its header; anything else falls back to suffix and content."""
    assert recognise_format(name, head) == expected


def test_the_documented_acled_table_is_the_one_the_code_uses() -> None:
    """docs/importers.md lists exactly the ACLED sub-event → activity table of the importer."""
    from ceasefire.intake.readers._acled import SUB_EVENT_ACTIVITY

    docs = (Path(__file__).resolve().parents[3] / "docs" / "importers.md").read_text()
    documented = dict(re.findall(r"^\| ([A-Z][^|]+?) \| `([a-z_]+)` \|$", docs, re.MULTILINE))
    for sub_event, activity in SUB_EVENT_ACTIVITY.items():
        assert documented.get(sub_event) == activity, sub_event
