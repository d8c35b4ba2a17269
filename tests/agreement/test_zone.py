"""Zones: buffers measured in metres on the right side, around-zones, clipping, windows."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyproj import Geod
from shapely.geometry import LineString, Point

from ceasefire.agreement.loader import parse_agreement
from ceasefire.agreement.zone import side_buffer
from ceasefire.geo.projection import LocalProjection

GEOD = Geod(ellps="WGS84")
LINE = LineString([(30.0, 50.0), (30.0, 50.5), (30.2, 51.0)])


def _farthest_geodesic_m(zone_wgs84: object, line: LineString) -> float:
    """Geodesic distance from the line to the zone vertex farthest from it."""
    samples: list[tuple[float, float]] = []
    coords = list(line.coords)
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
        samples.append((lon1, lat1))
        samples.extend(GEOD.npts(lon1, lat1, lon2, lat2, 400))
    samples.append(coords[-1])
    lons = [s[0] for s in samples]
    lats = [s[1] for s in samples]
    farthest = 0.0
    for lon, lat in zone_wgs84.exterior.coords[::3]:  # type: ignore[attr-defined]
        _, _, dist = GEOD.inv([lon] * len(lons), [lat] * len(lats), lons, lats)
        farthest = max(farthest, min(dist))
    return farthest


@settings(max_examples=15, deadline=None)
@given(km=st.floats(min_value=1, max_value=100), side=st.sampled_from(["left", "right"]))
def test_buffer_half_width_is_the_distance(km: float, side: str) -> None:
    """Any distance d in [1, 100] km gives a zone whose farthest point is d from the line (1 %)."""
    projection = LocalProjection.centred_on(30.1, 50.5)
    metric = side_buffer(projection.to_metric(LINE), km * 1000, side)  # type: ignore[arg-type]
    zone = projection.to_wgs84(metric)
    assert _farthest_geodesic_m(zone, LINE) == pytest.approx(km * 1000, rel=0.01)


@settings(max_examples=20, deadline=None)
@given(km=st.floats(min_value=1, max_value=100), fraction=st.floats(0.05, 0.95))
def test_points_are_on_their_own_side_only(km: float, fraction: float) -> None:
    """A point west of a northward line is in the left zone and never in the right one."""
    projection = LocalProjection.centred_on(30.0, 50.25)
    line = projection.to_metric(LineString([(30.0, 50.0), (30.0, 50.5)]))
    left = side_buffer(line, km * 1000, "left")  # type: ignore[arg-type]
    right = side_buffer(line, km * 1000, "right")  # type: ignore[arg-type]
    west = Point(-fraction * km * 1000, 0)
    assert left.covers(west)
    assert not right.covers(west)


def test_both_sides_is_the_union_of_each_side() -> None:
    """side: both covers what left and right cover together."""
    line = LineString([(0, 0), (10_000, 5_000), (20_000, 0)])
    both = side_buffer(line, 3_000, None)
    union = side_buffer(line, 3_000, "left").union(side_buffer(line, 3_000, "right"))  # type: ignore[arg-type]
    assert both.symmetric_difference(union).area < 1e-3 * both.area


def test_clip_to_party_area(minimal_text: str) -> None:
    """A buffer clipped to a party's area keeps only what lies in that area."""
    text = minimal_text.replace(
        "{id: A, name: Party A}",
        "{id: A, name: Party A, area: {type: Polygon, coordinates: "
        "[[[29.0, 50.0], [30.0, 50.0], [30.0, 50.3], [29.0, 50.3], [29.0, 50.0]]]}}",
    ).replace("side: A}", "side: A, clip_to: A}")
    agreement = parse_agreement(text, "t.yaml")
    zone = agreement.zone("z1")
    assert zone.contains(29.95, 50.1)
    assert not zone.contains(29.95, 50.6)


def test_zone_distance_is_to_its_line(minimal_text: str) -> None:
    """A buffer zone measures distances to its reference line, in metres."""
    agreement = parse_agreement(minimal_text, "t.yaml")
    _, _, expected = GEOD.inv(29.9, 50.25, 30.0, 50.25)
    assert agreement.zone("z1").distance_m(29.9, 50.25) == pytest.approx(expected, rel=1e-3)


def test_live_fire_zone_is_active_only_in_its_window(minimal_text: str) -> None:
    """A live-fire zone is active within its notified window, end excluded."""
    text = minimal_text.replace(
        "clauses:",
        "  - id: range\n    kind: live_fire\n"
        '    windows: [{from: "2020-06-01T08:00:00+03:00", until: "2020-06-01T16:00:00+03:00"}]\n'
        "    around: {points: [[29.0, 50.0]], km: 2}\nclauses:",
    )
    zone = parse_agreement(text, "t.yaml").zone("range")
    assert zone.active_at(datetime(2020, 6, 1, 6, 0, tzinfo=UTC))
    assert not zone.active_at(datetime(2020, 6, 1, 13, 0, tzinfo=UTC))
    assert zone.contains(29.0, 50.01)
