"""Locations keep the precision they were reported with."""

from __future__ import annotations

import pytest
from pyproj import Geod

from ceasefire.errors import RecordRejected
from ceasefire.geo.gazetteer import bundled
from ceasefire.model.location import (
    BearingLocation,
    PlaceLocation,
    PlacePrecision,
    PointLocation,
    location_from_dict,
)

GEOD = Geod(ellps="WGS84")


def test_point_keeps_its_uncertainty() -> None:
    """A point with an uncertainty is estimated as itself with that radius."""
    location = location_from_dict({"lon": 37.7, "lat": 48.1, "uncertainty_m": 250}, None)
    assert location == PointLocation(37.7, 48.1, 250.0)
    assert location.estimate().uncertainty_m == 250.0


def test_place_precision_sets_the_radius() -> None:
    """A place name resolves through the gazetteer; its precision code gives the radius."""
    location = location_from_dict({"place": "Zolote", "precision": "near"}, bundled())
    assert isinstance(location, PlaceLocation)
    assert location.estimate().uncertainty_m == PlacePrecision.NEAR.radius_m
    assert 48.6 < location.lat < 48.8


def test_bearing_with_range_is_placed_mid_band_on_the_bearing() -> None:
    """'2-4 km south-east' is estimated 3 km from the observer at bearing 135°."""
    location = location_from_dict(
        {
            "observer": {"lon": 37.75, "lat": 48.14},
            "bearing_deg": "south-east",
            "range_m": [2000, 4000],
        },
        None,
    )
    assert isinstance(location, BearingLocation)
    estimate = location.estimate()
    assert estimate is not None
    azimuth, _, distance = GEOD.inv(37.75, 48.14, estimate.lon, estimate.lat)
    assert distance == pytest.approx(3000, rel=1e-6)
    assert azimuth == pytest.approx(135, abs=1e-6)
    assert estimate.uncertainty_m >= 1000


def test_bearing_without_range_has_no_point() -> None:
    """A bearing with no range cannot honestly be placed: no estimate."""
    location = location_from_dict(
        {"observer": {"lon": 37.75, "lat": 48.14}, "bearing_deg": 200}, None
    )
    assert location.estimate() is None


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"lon": 200, "lat": 48}, "location.lon"),
        ({"lon": 37}, "location.lat"),
        ({"place": "Atlantis"}, "location.place"),
        ({"observer": {"lon": 37, "lat": 48}, "bearing_deg": "up"}, "location.bearing_deg"),
        ({"observer": {"lon": 37, "lat": 48}, "bearing_deg": 400}, "location.bearing_deg"),
        (
            {"observer": {"lon": 37, "lat": 48}, "bearing_deg": 10, "range_m": [4000, 2000]},
            "location.range_m",
        ),
        ({"somewhere": True}, "location"),
        ("Avdiivka", "location"),
    ],
)
def test_malformed_locations_name_the_field(data: object, field: str) -> None:
    """Each malformed location is refused naming the exact field."""
    with pytest.raises(RecordRejected) as caught:
        location_from_dict(data, bundled())
    assert caught.value.field == field
