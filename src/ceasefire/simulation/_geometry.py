"""The simulated front: places along the contact line and on either side of it, in metres.

The world model places everything relative to the agreement's own contact line (distance along
it, distance off it on one party's side), then turns it into WGS84 for the intake files. It uses
the agreement's metric projection, so "8 km from the line" here is what the zones measure too.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from shapely.geometry import LineString, MultiLineString, Point

from ceasefire.agreement.line import ReferenceLine
from ceasefire.agreement.terms import Agreement

__all__ = ["Front", "destination"]


def destination(
    lon: float, lat: float, bearing_deg: float, distance_m: float
) -> tuple[float, float]:
    """Return the point ``distance_m`` from (lon, lat) on ``bearing_deg`` (WGS84 ellipsoid)."""
    from pyproj import Geod

    end_lon, end_lat, _ = Geod(ellps="WGS84").fwd(lon, lat, bearing_deg, distance_m)
    return float(end_lon), float(end_lat)


@dataclass(frozen=True)
class Front:
    """The contact line of an agreement, and a way to place points relative to it.

    Args:
        agreement: the agreement whose line and projection are used.
        line_id: the id of the contact line.
    """

    agreement: Agreement
    line_id: str = "contact_line"

    @cached_property
    def line(self) -> ReferenceLine:
        """The reference line."""
        return self.agreement.line(self.line_id)

    @cached_property
    def metric(self) -> LineString:
        """The line in the agreement's projection (metres)."""
        geometry = self.agreement.projection.to_metric(self.line.geometry)
        assert isinstance(geometry, LineString)
        return geometry

    @property
    def length_m(self) -> float:
        """The line's length in metres."""
        return float(self.metric.length)

    def place(self, along_m: float, off_m: float, party: str) -> tuple[float, float]:
        """Return (lon, lat) ``along_m`` along the line and ``off_m`` off it on ``party``'s side.

        The side is the one the line's ``sides`` gives the party (left or right, looking along
        the line as drawn); ``off_m`` of 0 is on the line.
        """
        along = min(max(along_m, 0.0), self.length_m)
        if off_m <= 0.0:
            point = self.metric.interpolate(along)
            return self._to_wgs84(point.x, point.y)
        # GEOS offset curves (positive = left) stay ``off_m`` from every part of the line, so a
        # point never crosses to the other side at a sharp bend, as a perpendicular step would.
        sign = 1.0 if self.line.side_of(party) == "left" else -1.0
        curve = self.metric.offset_curve(sign * off_m, join_style="round")
        if curve.is_empty:
            raise ValueError(f"no room {off_m:.0f} m off the line on {party}'s side")
        if isinstance(curve, MultiLineString):  # a bend tighter than the offset splits it
            curve = max(curve.geoms, key=lambda part: part.length)
        point = curve.interpolate(along / self.length_m, normalized=True)
        return self._to_wgs84(point.x, point.y)

    def distance_m(self, lon: float, lat: float) -> float:
        """Return the distance in metres from (lon, lat) to the line."""
        x, y = self.agreement.projection.point_to_metric(lon, lat)
        return float(self.metric.distance(Point(x, y)))

    def _to_wgs84(self, x: float, y: float) -> tuple[float, float]:
        point = self.agreement.projection.to_wgs84(Point(x, y))
        assert isinstance(point, Point)
        return round(point.x, 6), round(point.y, 6)
