"""Where many incidents lie relative to an agreement's zones and lines, in one call per zone.

Verification asks of every incident "inside this zone, outside it, or can we not tell?". Asked
one point at a time that is one projection and one GEOS call per point per zone; here the points
are projected once, together (one MultiPoint through the agreement's projection), and each zone
answers for all of them with shapely 2's vectorised predicates (``contains_xy``, ``dwithin``) on
the projected coordinates. A point whose uncertainty circle crosses the zone's boundary is
:attr:`Place.STRADDLES`: the rules turn that into ``possible_violation``, never a certainty.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

import numpy as np
import numpy.typing as npt
import shapely
from shapely.geometry import MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.zone import Zone

__all__ = ["Place", "PointSet"]


class Place(IntEnum):
    """Where a located point lies relative to a zone."""

    UNKNOWN = 0  # no location (only a sector is known)
    OUTSIDE = 1  # its whole uncertainty circle is outside
    STRADDLES = 2  # the circle crosses the boundary
    INSIDE = 3  # the whole circle is inside


class PointSet:
    """Many incident locations in an agreement's metric projection.

    Args:
        agreement: the agreement version the points are judged under.
        lons, lats: WGS84 coordinates; ``nan`` for an incident with no location.
        radii_m: each point's uncertainty radius in metres.
    """

    def __init__(
        self,
        agreement: Agreement,
        lons: npt.ArrayLike,
        lats: npt.ArrayLike,
        radii_m: npt.ArrayLike,
    ) -> None:
        self.agreement = agreement
        lon = np.asarray(lons, dtype=float)
        lat = np.asarray(lats, dtype=float)
        self.radius = np.nan_to_num(np.asarray(radii_m, dtype=float), posinf=0.0)
        self.located = ~(np.isnan(lon) | np.isnan(lat))
        self.x = np.full(lon.shape, np.nan)
        self.y = np.full(lon.shape, np.nan)
        if self.located.any():
            # One transform for every point: a MultiPoint goes through pyproj as one array.
            projected = agreement.projection.to_metric(
                MultiPoint(np.column_stack([lon[self.located], lat[self.located]]))
            )
            coords = shapely.get_coordinates(projected)
            self.x[self.located], self.y[self.located] = coords[:, 0], coords[:, 1]
        self._places: dict[str, np.ndarray[Any, np.dtype[np.int8]]] = {}
        self._within: dict[str, np.ndarray[Any, np.dtype[np.bool_]]] = {}
        self._metric: dict[str, BaseGeometry] = {}

    def __len__(self) -> int:
        return len(self.x)

    def places(self, zone: Zone) -> np.ndarray[Any, np.dtype[np.int8]]:
        """Return each point's :class:`Place` relative to ``zone`` (computed once per zone)."""
        cached = self._places.get(zone.id)
        if cached is not None:
            return cached
        result = np.full(len(self), Place.UNKNOWN, dtype=np.int8)
        idx = np.flatnonzero(self.located)
        if idx.size:
            area = zone.geometry_metric
            shapely.prepare(area)
            inside = shapely.contains_xy(area, self.x[idx], self.y[idx]) | shapely.intersects_xy(
                area.boundary, self.x[idx], self.y[idx]
            )
            boundary = area.boundary
            shapely.prepare(boundary)
            fuzzy = self.radius[idx] > 0
            near = np.zeros(idx.size, dtype=bool)
            if fuzzy.any():
                points = shapely.points(self.x[idx][fuzzy], self.y[idx][fuzzy])
                near[fuzzy] = shapely.dwithin(boundary, points, self.radius[idx][fuzzy])
            result[idx] = np.where(
                near, Place.STRADDLES, np.where(inside, Place.INSIDE, Place.OUTSIDE)
            )
        self._places[zone.id] = result
        return result

    def point(self, i: int) -> Point:
        """The i-th point in metres (for the few scalar questions a reason needs)."""
        return Point(float(self.x[i]), float(self.y[i]))

    def metric(self, key: str, geometry: BaseGeometry) -> BaseGeometry:
        """Return ``geometry`` (WGS84) in metres, projected once per key and kept."""
        cached = self._metric.get(key)
        if cached is None:
            cached = self.agreement.projection.to_metric(geometry)
            shapely.prepare(cached)
            self._metric[key] = cached
        return cached

    def distance_to(self, key: str, geometry: BaseGeometry, i: int) -> float:
        """Metres from the i-th point to ``geometry`` (WGS84, projected once per key)."""
        return float(self.metric(key, geometry).distance(self.point(i)))

    def within(self, zone: Zone, distance_m: float) -> np.ndarray[Any, np.dtype[np.bool_]]:
        """Return whether each point's whole uncertainty circle lies within ``distance_m`` of the
        zone (or in it): a point that is only perhaps near is not said to be near."""
        key = f"{zone.id}\n{distance_m}"
        cached = self._within.get(key)
        if cached is not None:
            return cached
        result = np.zeros(len(self), dtype=bool)
        idx = np.flatnonzero(self.located)
        if idx.size:
            area = zone.geometry_metric
            shapely.prepare(area)
            points = shapely.points(self.x[idx], self.y[idx])
            reach = distance_m - self.radius[idx]
            result[idx] = (reach >= 0) & shapely.dwithin(area, points, np.maximum(reach, 0.0))
        self._within[key] = result
        return result
