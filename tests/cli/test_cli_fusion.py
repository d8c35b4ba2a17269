"""The fusion commands: fuse (stable, incremental) and incidents (table, json contract, geojson)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from records import PATROL, jsonl, report

CONTRACT_KEYS = [
    "id", "activity", "started_at", "ended_at", "location", "count", "independent_sources",
    "reports", "state",
]  # fmt: skip


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with four reports ingested: three of one event (two from one camera), one apart."""
    path = str(tmp_path / "test.db")
    records = [
        report("a"),
        report("b", observed_at="2020-09-15T21:43:00+03:00"),
        report("p", source=dict(PATROL), observed_at="2020-09-15T21:41:00+03:00"),
        report("far", location={"observer": {"lon": 38.3, "lat": 48.5}, "bearing_deg": "NE"}),
    ]
    (tmp_path / "in.jsonl").write_text(jsonl(records))
    assert _run(path, "ingest", str(tmp_path / "in.jsonl"))[0] == 0
    return path


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_fuse_then_again_changes_nothing(db: str) -> None:
    """fuse makes the incidents and says so; a second fuse says nothing was new."""
    code, out, _ = _run(db, "fuse", "--json")
    assert code == 0
    assert json.loads(out) == {
        "reports_fused": 4, "incidents_created": 2, "incidents_superseded": 0,
        "incidents_written": 2, "incidents_current": 2,
    }  # fmt: skip
    code, out, _ = _run(db, "fuse")
    assert code == 0
    assert "nothing new to fuse" in out


def test_incidents_json_is_the_contract(db: str) -> None:
    """incidents --format json prints an array of objects with the contract's keys, in order,
    and copies are shown but not counted."""
    _run(db, "fuse")
    code, out, _ = _run(db, "incidents", "--format", "json")
    assert code == 0
    incidents = json.loads(out)
    assert [list(item)[: len(CONTRACT_KEYS)] for item in incidents] == [CONTRACT_KEYS] * 2
    (event,) = [item for item in incidents if len(item["reports"]) == 3]
    assert event["independent_sources"] == 2
    assert set(event["location"]) == {"lon", "lat", "radius_m"}
    assert [set(entry) for entry in event["reports"]] == [
        {"id", "source", "source_ref", "independent", "copy_of"}
    ] * 3
    assert sum(entry["copy_of"] is not None for entry in event["reports"]) == 1
    (sector_only,) = [item for item in incidents if len(item["reports"]) == 1]
    assert sector_only["location"] is None
    assert sector_only["state"] == "reported"


def test_incidents_geojson_and_status_filter(db: str) -> None:
    """geojson gives a point for a located incident and a wedge for a sector; --status filters."""
    _run(db, "fuse")
    code, out, _ = _run(db, "incidents", "--format", "geojson")
    assert code == 0
    kinds = sorted(f["geometry"]["type"] for f in json.loads(out)["features"])
    assert kinds == ["Point", "Polygon"]
    code, out, _ = _run(db, "incidents", "--status", "verified", "--format", "json")
    assert (code, json.loads(out)) == (0, [])
    code, out, _ = _run(db, "incidents")
    assert code == 0
    assert "Incidents (2)" in out


def test_bad_usage_is_exit_2_without_traceback(db: str) -> None:
    """An unknown format or preview flag is a usage error (exit 2), not a crash."""
    result = CliRunner().invoke(cli, ["--db", db, "incidents", "--format", "xml"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["--db", db, "fuse", "--preview", "nope"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


def test_fuse_and_incidents_on_an_empty_store(tmp_path: Path) -> None:
    """An empty store fuses to nothing and lists no incidents, with exit 0 and no traceback;
    a store that does not exist is refused (exit 2), not created by a fuse."""
    path = str(tmp_path / "empty.db")
    assert _run(path, "fuse")[0] == 2
    assert _run(path, "init")[0] == 0
    code, out, _ = _run(path, "fuse")
    assert (code, "nothing new to fuse" in out) == (0, True)
    code, out, _ = _run(path, "incidents", "--format", "json")
    assert (code, json.loads(out)) == (0, [])


def test_incidents_show_the_review_state(db: str) -> None:
    """After an analyst takes an incident under review, incidents shows it in that state and
    --status finds it there (the state is the outcome of the last review decision)."""
    _run(db, "fuse")
    _, out, _ = _run(db, "incidents", "--format", "json")
    first = json.loads(out)[0]["id"]
    code, _, err = _run(
        db, "review", first, "--decision", "under_review", "--by", "analyst-a", "--reason", "t"
    )
    assert code == 0, err
    _, out, _ = _run(db, "incidents", "--status", "under_review", "--format", "json")
    assert [item["id"] for item in json.loads(out)] == [first]
