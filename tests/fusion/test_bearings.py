"""Bearings: two observers' bearings are intersected; one bearing gives a sector, not a point."""

from __future__ import annotations

from fusion_reports import make
from pyproj import Geod

from ceasefire.fusion.bearings import intersect_bearings
from ceasefire.fusion.incidents import plan_incidents
from ceasefire.fusion.settings import FusionSettings
from ceasefire.geo.projection import LocalProjection
from ceasefire.model.location import BearingLocation

GEOD = Geod(ellps="WGS84")
TARGET = (37.75, 48.14)
SETTINGS = FusionSettings()


def _bearing_from(lon: float, lat: float, band: list[float] | None = None) -> BearingLocation:
    azimuth, _, _ = GEOD.inv(lon, lat, *TARGET)
    return BearingLocation(
        lon, lat, azimuth % 360, 5.0,
        band[0] if band else None, band[1] if band else None,
    )  # fmt: skip


def test_two_bearings_meet_at_the_origin_within_the_uncertainty() -> None:
    """Bearings from two observers 6 km apart, both aimed at one point, intersect within the
    stated uncertainty of that point."""
    projection = LocalProjection.centred_on(*TARGET)
    bearings = [
        _bearing_from(37.70, 48.10, [3000, 8000]),
        _bearing_from(37.80, 48.10, [3000, 8000]),
    ]
    estimate = intersect_bearings(bearings, SETTINGS, projection)
    assert estimate is not None
    _, _, miss = GEOD.inv(estimate.lon, estimate.lat, *TARGET)
    assert miss <= estimate.uncertainty_m
    assert miss < 50


def test_parallel_or_diverging_bearings_give_no_point() -> None:
    """Bearings that point away from each other (they meet only behind the observers) give none."""
    projection = LocalProjection.centred_on(*TARGET)
    west = BearingLocation(37.70, 48.10, 270.0, 5.0)
    east = BearingLocation(37.80, 48.10, 90.0, 5.0)
    assert intersect_bearings([west, east], SETTINGS, projection) is None
    north_a = BearingLocation(37.70, 48.10, 0.0, 5.0)
    north_b = BearingLocation(37.80, 48.10, 0.0, 5.0)
    assert intersect_bearings([north_a, north_b], SETTINGS, projection) is None


def test_a_single_bearing_gives_a_sector_not_a_point() -> None:
    """One patrol's 'explosions to the south-east' with no range is an incident with a sector
    and no location."""
    report = make("b-1", location={"observer": {"lon": 37.70, "lat": 48.10}, "bearing_deg": "SE"})
    (incident,) = plan_incidents([report])
    assert incident.location is None
    assert incident.sector is not None
    assert incident.sector.bearing_deg == 135.0
    assert incident.to_dict()["location"] is None


def test_two_patrols_bearings_fuse_into_one_located_incident() -> None:
    """Two patrols hearing one explosion from different places, with range bands, make one
    incident located near where the bearings cross, backed by two independent sources."""
    reports = [
        make("x-1", "patrol-1", location={
            "observer": {"lon": 37.70, "lat": 48.10},
            "bearing_deg": _bearing_from(37.70, 48.10).bearing_deg, "range_m": [3000, 8000],
        }),
        make("x-2", "patrol-2", at="2020-09-15T21:42:00+03:00", location={
            "observer": {"lon": 37.80, "lat": 48.10},
            "bearing_deg": _bearing_from(37.80, 48.10).bearing_deg, "range_m": [3000, 8000],
        }),
    ]  # fmt: skip
    (incident,) = plan_incidents(reports)
    assert incident.independent_sources == 2
    assert incident.location is not None
    _, _, miss = GEOD.inv(incident.location.lon, incident.location.lat, *TARGET)
    assert miss < 100
