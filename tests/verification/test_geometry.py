"""Vectorised zone membership agrees with the one-point-at-a-time answer of the zone itself."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from shapely.geometry import Point

from ceasefire.agreement.terms import Agreement
from ceasefire.verification.geometry import Place, PointSet

LONS = st.floats(min_value=36.0, max_value=40.0)
LATS = st.floats(min_value=47.0, max_value=49.2)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(LONS, LATS, st.floats(min_value=0, max_value=30_000)), min_size=1, max_size=40
    )
)
def test_places_agree_with_zone_contains(
    minsk: Agreement, points: list[tuple[float, float, float]]
) -> None:
    """For every point and zone: INSIDE means inside and the circle clear of the boundary,
    OUTSIDE means outside and clear of it, STRADDLES means the circle reaches the boundary."""
    lons, lats, radii = (list(column) for column in zip(*points, strict=True))
    projected = PointSet(minsk, lons, lats, radii)
    for zone in minsk.zones[:8]:
        places = projected.places(zone)
        boundary = zone.geometry_metric.boundary
        for (lon, lat, radius), place in zip(points, places, strict=True):
            x, y = minsk.projection.point_to_metric(lon, lat)
            gap = boundary.distance(Point(x, y))
            if place == Place.STRADDLES:
                assert gap <= radius + 1e-6
            else:
                assert gap >= radius - 1e-6
                assert (place == Place.INSIDE) == zone.contains(lon, lat)


def test_points_without_location_are_unknown(minsk: Agreement) -> None:
    """An incident with no location is UNKNOWN for every zone, never inside or outside."""
    projected = PointSet(minsk, [float("nan"), 37.4], [float("nan"), 47.95], [0.0, 0.0])
    places = projected.places(minsk.zone("withdrawal_artillery_ua"))
    assert list(places) == [Place.UNKNOWN, Place.INSIDE]
    assert not np.any(projected.within(minsk.zone("disengagement_zolote"), 1000.0))
