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
