"""Lines of contact from control maps (NZZ 2022-02-24) and control changes (DeepStateMap)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from shapely.geometry import Point, shape

from ceasefire.cli import cli
from ceasefire.geo.contact_line import (
    DerivedLine,
    derive_line,
    diff_control,
    geodesic_area_km2,
    read_areas,
    read_polygons,
)
from ceasefire.geo.projection import LocalProjection

ORDLO = "frontline/donbas_ordlo_polygon_2022-02-24_nzz.geojson"
DERIVED = "frontline/donbas_contact_line_pre2022_DERIVED_from_nzz.geojson"
COUNTRIES = "geo/ne10m_admin0_deu_pov_ukraine_region.geojson"
OCTOBER = "frontline/deepstate/deepstatemap_data_20241001.geojson"
NOVEMBER = "frontline/deepstate/deepstatemap_data_20241101.geojson"
SHYROKYNE = (37.81795, 47.09839)
STANYTSIA_LUHANSKA = (39.48, 48.65)
SHARED = Path(__file__).resolve().parents[3] / "shared" / "data"
PROJECTION = LocalProjection.centred_on(38.3, 48.0)


@cache
def _derived(tolerance_m: float = 500.0) -> DerivedLine:
    """The line derived from the shared files (the calling test has skipped if they are absent)."""
    return derive_line(
        read_areas(SHARED / ORDLO), read_polygons(SHARED / COUNTRIES), tolerance_m=tolerance_m
    )


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    return PROJECTION.to_metric(Point(a)).distance(PROJECTION.to_metric(Point(b))) / 1000


def test_nzz_line_runs_400_to_460_km_from_the_azov_coast_to_the_russian_border(
    shared_data: Any,
) -> None:
    """The derived line is one run of 400-460 km from near Shyrokyne to the Russian border."""
    shared_data.path(ORDLO)
    derived = _derived()
    [run] = derived.runs
    assert 400 <= derived.length_km <= 460
    ends = [run.coords[0][:2], run.coords[-1][:2]]
    south = min(ends, key=lambda end: end[1])
    north = max(ends, key=lambda end: end[1])
    assert _km(south, SHYROKYNE) < 10
    assert _km(north, STANYTSIA_LUHANSKA) < 20
    russia = next(
        shape(f["geometry"])
        for f in json.loads(shared_data.path(COUNTRIES).read_text())["features"]
        if f["properties"]["ADM0_A3"] == "RUS"
    )
    assert PROJECTION.to_metric(russia).distance(PROJECTION.to_metric(Point(north))) < 5_000


def test_nzz_line_follows_the_published_derivation(shared_data: Any) -> None:
    """The line lies within 5 km of the shared DERIVED line everywhere, and vice versa."""
    shared_data.path(ORDLO)
    [run] = _derived().runs
    reference = shape(json.loads(shared_data.path(DERIVED).read_text())["features"][0]["geometry"])
    distance = PROJECTION.to_metric(run).hausdorff_distance(PROJECTION.to_metric(reference))
    assert distance < 5_000


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.sampled_from([100.0, 1000.0, 3000.0]))
def test_simplification_stays_within_its_tolerance(shared_data: Any, tolerance_m: float) -> None:
    """The simplified line is within the stated tolerance of the 1 m line, and not longer."""
    shared_data.path(ORDLO)
    fine = _derived(1.0).runs[0]
    coarse = _derived(tolerance_m)
    [run] = coarse.runs
    gap = PROJECTION.to_metric(run).hausdorff_distance(PROJECTION.to_metric(fine))
    assert gap <= tolerance_m * 1.02 + 50
    assert coarse.length_km <= _derived(1.0).length_km + 0.01


def test_without_a_border_the_whole_boundary_is_the_line(shared_data: Any) -> None:
    """With no border map nothing is cut: the line is the area's whole boundary."""
    derived = derive_line(read_areas(shared_data.path(ORDLO)), None, tolerance_m=1.0)
    assert derived.length_km == pytest.approx(derived.boundary_km, rel=0.01)


def test_deepstate_month_diff_gains_add_up(shared_data: Any) -> None:
    """October→November 2024: the holder's net gain equals the change of its mapped area."""
    before = read_areas(shared_data.path(OCTOBER))
    after = read_areas(shared_data.path(NOVEMBER))
    change = diff_control(before, after)
    assert change.gained_km2 > change.lost_km2 > 0
    net = geodesic_area_km2(after) - geodesic_area_km2(before)
    assert change.gained_km2 - change.lost_km2 == pytest.approx(net, abs=1.0)
    patches = change.to_geojson()["features"]
    by_side = {"holder": 0.0, "other side": 0.0}
    for patch in patches:
        by_side[patch["properties"]["gained_by"]] += patch["properties"]["area_km2"]
    assert by_side["holder"] == pytest.approx(change.gained_km2, rel=0.001)
    assert by_side["other side"] == pytest.approx(change.lost_km2, rel=0.001)


def test_a_snapshot_against_itself_changed_nothing(shared_data: Any) -> None:
    """Diffing a map with itself gains nobody anything and lists no changed area."""
    snapshot = read_areas(shared_data.path(OCTOBER))
    change = diff_control(snapshot, snapshot)
    assert (change.gained_km2, change.lost_km2) == (0.0, 0.0)
    assert change.to_geojson()["features"] == []


def test_cli_derive_writes_a_line_and_diff_prints_json(shared_data: Any, tmp_path: Path) -> None:
    """line derive writes a GeoJSON line with its length; line diff --json names both sides."""
    out = tmp_path / "line.geojson"
    runner = CliRunner()
    derived = runner.invoke(
        cli,
        ["line", "derive", "--from", str(shared_data.path(ORDLO)), "--border",
         str(shared_data.path(COUNTRIES)), "--tolerance-m", "500", "--out", str(out), "--json"],
    )  # fmt: skip
    assert derived.exit_code == 0, derived.output
    [feature] = json.loads(out.read_text())["features"]
    assert feature["geometry"]["type"] == "LineString"
    assert 400 <= feature["properties"]["length_km"] <= 460
    assert json.loads(derived.stdout)["length_km"] == feature["properties"]["length_km"]
    diffed = runner.invoke(
        cli,
        ["line", "diff", str(shared_data.path(OCTOBER)), str(shared_data.path(NOVEMBER)),
         "--holder", "RU", "--other", "UA", "--json"],
    )  # fmt: skip
    assert diffed.exit_code == 0, diffed.output
    result = json.loads(diffed.stdout)
    assert set(result["gained_km2"]) == {"RU", "UA"}
    assert result["gained_km2"]["RU"] > result["gained_km2"]["UA"]
    assert {f["properties"]["gained_by"] for f in result["changed"]["features"]} == {"RU", "UA"}


def test_cli_refuses_a_file_that_is_not_a_control_map(tmp_path: Path) -> None:
    """A file without polygons is refused with exit 1, naming it."""
    bad = tmp_path / "points.geojson"
    bad.write_text('{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}')
    result = CliRunner().invoke(
        cli, ["line", "derive", "--from", str(bad), "--out", str(tmp_path / "x.geojson")]
    )
    assert result.exit_code == 1
    assert "points.geojson" in result.stderr
