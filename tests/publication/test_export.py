"""Exports: the audience filter applies, formula-like cells are neutralised, GDAL opens the GPKG."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.cli._demo import build_demo
from ceasefire.clock import FixedClock
from ceasefire.store import open_store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's store."""
    directory = tmp_path_factory.mktemp("export")
    build_demo(directory, FixedClock(datetime(2026, 3, 1, tzinfo=UTC), timedelta(seconds=1)))
    return directory / "ceasefire.db"


def _export(db: Path, fmt: str, audience: str, out: Path) -> None:
    result = CliRunner().invoke(
        cli, ["--db", str(db), "export", "--format", fmt, "--audience", audience, "--out", str(out)]
    )
    assert result.exit_code == 0, result.output


def test_each_audience_exports_what_it_may_see(demo_db: Path, tmp_path: Path) -> None:
    """The public's export is empty; a party's holds only its own complaints; the analyst's all."""
    with open_store(demo_db) as store:
        total = store.counts().reports
    counts = {}
    for audience in ("public", "party:UA", "participant", "analyst"):
        out = tmp_path / f"{audience.replace(':', '-')}.geojson"
        _export(demo_db, "geojson", audience, out)
        features = json.loads(out.read_text())["features"]
        counts[audience] = len(features)
        if audience == "party:UA":
            assert {f["properties"]["source_kind"] for f in features} == {"party_complaint"}
        if audience == "participant":
            assert all(f["properties"]["source_id"] is None for f in features)
    assert counts["public"] == 0
    assert 0 < counts["party:UA"] < counts["participant"] < counts["analyst"] == total


def test_csv_cells_that_look_like_formulas_are_neutralised(demo_db: Path, tmp_path: Path) -> None:
    """A narrative beginning with '=' (or +, -, @) reaches the spreadsheet as text."""
    record = {
        "source": {"id": "cam-x", "kind": "camera"},
        "source_ref": "formula-1",
        "observed_at": "2020-09-16T10:00+03:00",
        "location": {"lon": 37.7, "lat": 48.1},
        "activity": "explosion",
        "narrative": '=HYPERLINK("http://evil.example","click")',
    }
    db = tmp_path / "copy.db"
    shutil.copyfile(demo_db, db)
    source = tmp_path / "formula.jsonl"
    source.write_text(json.dumps(record) + "\n")
    assert CliRunner().invoke(cli, ["--db", str(db), "ingest", str(source)]).exit_code == 0
    out = tmp_path / "reports.csv"
    _export(db, "csv", "analyst", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    [row] = [r for r in rows if r["narrative"].startswith("'=")]
    assert row["narrative"] == "'" + record["narrative"]
    assert not any(r["narrative"].startswith(("=", "+", "-", "@")) for r in rows)


def test_the_geopackage_opens_in_gdal(demo_db: Path, tmp_path: Path) -> None:
    """ogrinfo reads the GeoPackage: a 'reports' point layer in WGS84 with every visible row."""
    if shutil.which("ogrinfo") is None:
        message = "needs GDAL's ogrinfo: apt-get install gdal-bin (.ci/run does)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    out = tmp_path / "reports.gpkg"
    _export(demo_db, "gpkg", "lead", out)
    info = subprocess.run(
        ["ogrinfo", "-so", "-al", str(out)], capture_output=True, text=True, check=True
    ).stdout
    assert "Layer name: reports" in info
    assert "Geometry: Point" in info
    assert "WGS 84" in info
    with open_store(demo_db) as store:
        located = sum(1 for r in store.iter_reports() if r.location.estimate() is not None)
    assert f"Feature Count: {located}" in info


def test_the_acled_export_is_incidents_in_acleds_columns(demo_db: Path, tmp_path: Path) -> None:
    """After fuse and verify, the analyst's ACLED export has one row per incident, ACLED's
    columns in order, a sub-event type under its own event type, and formula-safe notes; the
    public's holds only verified incidents (none yet)."""
    from ceasefire.publication.acled import ACLED_COLUMNS, SUB_EVENT_TYPE_OF

    db = tmp_path / "acled.db"
    shutil.copyfile(demo_db, db)
    for command in (["fuse"], ["verify"]):
        result = CliRunner().invoke(cli, ["--db", str(db), *command])
        assert result.exit_code in (0, 1), result.output
    with open_store(db) as store:
        incidents = list(store.iter_incidents())
    assert incidents
    out = tmp_path / "events.csv"
    _export(db, "acled", "analyst", out)
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert tuple(rows[0]) == ACLED_COLUMNS
    assert len(rows) == len(incidents)
    for row in rows:
        assert row["sub_event_type"] == SUB_EVENT_TYPE_OF.get(
            next(i.activity.value for i in incidents if i.id == row["event_id_cnty"]), "Other"
        )
        assert row["geo_precision"] in {"1", "2", "3"}
    public = tmp_path / "public.csv"
    _export(db, "acled", "public", public)
    assert list(csv.DictReader(io.StringIO(public.read_text()))) == []


def test_every_exported_sub_event_type_imports_back_to_its_activity() -> None:
    """The one table serves both directions: a sub-type the export writes for an activity is
    read back by the ACLED importer as that activity, wherever the importer names it."""
    from ceasefire.intake.readers._acled import SUB_EVENT_ACTIVITY
    from ceasefire.publication.acled import SUB_EVENT_TYPE_OF

    for activity, sub in SUB_EVENT_TYPE_OF.items():
        if SUB_EVENT_ACTIVITY.get(sub) not in (None, "other"):
            assert SUB_EVENT_ACTIVITY[sub] == activity or activity in {
                "mortar_fire", "mlrs_fire", "sniper_fire", "mine_laying"
            }, (activity, sub)  # fmt: skip
