"""A local metric projection, so that every distance and buffer is in metres.

Agreements speak in kilometres from a line ("25 km from the line of contact"). Buffering in
degrees would make a "25 km" zone 40 % narrower east-west than north-south at 48° N, so the
agreement's geometry is projected to a transverse Mercator centred on the area of interest,
where scale error stays below 0.1 % within 300 km of the centre, and only then measured.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import shapely
from pyproj import CRS, Transformer
from shapely.geometry.base import BaseGeometry

__all__ = ["WGS84", "LocalProjection", "centre_of"]

WGS84 = CRS.from_epsg(4326)


@dataclass(frozen=True)
class LocalProjection:
    """A metric CRS and the transforms between it and WGS84 longitude/latitude.

    Build it with :meth:`centred_on` (the usual case) or :meth:`from_crs` (an agreement that
    names its own projected CRS). Equal projections compare equal by their definition.

    Args:
        definition: the CRS as a PROJ string or authority code, e.g. ``EPSG:32637``.
        centre: the (lon, lat) the projection was centred on, or ``None`` for a named CRS.
    """

    definition: str
    centre: tuple[float, float] | None = None
    _forward: Any = field(init=False, repr=False, compare=False)
    _inverse: Any = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        crs = CRS.from_user_input(self.definition)
        if not crs.is_projected:
            raise ValueError(f"{self.definition!r} is not a projected CRS")
        units = {axis.unit_name for axis in crs.axis_info}
        if units != {"metre"}:
            raise ValueError(f"{self.definition!r} is not in metres (units: {sorted(units)})")
        # always_xy: GeoJSON and shapely are (lon, lat); EPSG:4326's own axis order is (lat, lon).
        object.__setattr__(self, "_forward", Transformer.from_crs(WGS84, crs, always_xy=True))
        object.__setattr__(self, "_inverse", Transformer.from_crs(crs, WGS84, always_xy=True))

    @classmethod
    def centred_on(cls, lon: float, lat: float) -> LocalProjection:
        """Return a transverse Mercator projection centred on (lon, lat), scale 1 at the centre.

        Args:
            lon: longitude of the centre, degrees east.
            lat: latitude of the centre, degrees north.

        Returns:
            The projection.
        """
        definition = (
            f"+proj=tmerc +lat_0={lat:.6f} +lon_0={lon:.6f} +k=1 +x_0=0 +y_0=0 "
            "+ellps=WGS84 +units=m +no_defs"
        )
        return cls(definition=definition, centre=(round(lon, 6), round(lat, 6)))

    @classmethod
    def from_crs(cls, definition: str) -> LocalProjection:
        """Return the projection of a named projected CRS in metres.

        Args:
            definition: anything pyproj accepts, e.g. ``EPSG:32637`` or a PROJ string.

        Returns:
            The projection.

        Raises:
            ValueError: the CRS is unknown, not projected, or not in metres.
        """
        try:
            return cls(definition=definition)
        except ValueError:
            raise
        except Exception as exc:  # pyproj raises its own CRSError for unknown CRSs
            raise ValueError(f"unknown CRS {definition!r}: {exc}") from exc

    def to_metric(self, geometry: BaseGeometry) -> BaseGeometry:
        """Project a WGS84 (lon, lat) geometry to this projection's metres.

        Args:
            geometry: a shapely geometry in WGS84 longitude/latitude.

        Returns:
            The same geometry in metres.
        """
        result: BaseGeometry = shapely.transform(
            geometry, self._forward.transform, interleaved=False
        )
        return result

    def to_wgs84(self, geometry: BaseGeometry) -> BaseGeometry:
        """Unproject a geometry in this projection's metres to WGS84 (lon, lat).

        Args:
            geometry: a shapely geometry in metres.

        Returns:
            The same geometry in WGS84 longitude/latitude.
        """
        result: BaseGeometry = shapely.transform(
            geometry, self._inverse.transform, interleaved=False
        )
        return result

    def point_to_metric(self, lon: float, lat: float) -> tuple[float, float]:
        """Project one WGS84 point to metres.

        Args:
            lon: longitude, degrees east.
            lat: latitude, degrees north.

        Returns:
            (x, y) in metres.
        """
        x, y = self._forward.transform(lon, lat)
        return float(x), float(y)

    def arrays_to_metric(self, lon: Any, lat: Any) -> tuple[Any, Any]:
        """Project many WGS84 points to metres in one call (numpy arrays in, arrays out)."""
        x, y = self._forward.transform(lon, lat)
        return x, y

    def arrays_to_wgs84(self, x: Any, y: Any) -> tuple[Any, Any]:
        """Return many metric points to WGS84 longitude/latitude in one call."""
        lon, lat = self._inverse.transform(x, y)
        return lon, lat

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form used in agreement documents (``crs:`` in the YAML)."""
        if self.centre is not None:
            return {"centre": [self.centre[0], self.centre[1]]}
        return {"proj": self.definition}


def centre_of(geometries: Iterable[BaseGeometry]) -> tuple[float, float]:
    """Return the (lon, lat) centre of the bounding box of some WGS84 geometries.

    The bounding box, not the centroid of the union, is used because it keeps the projection's
    largest distance from the centre (and so its scale error) smallest over the whole area.

    Args:
        geometries: shapely geometries in WGS84.

    Returns:
        (lon, lat) of the centre.

    Raises:
        ValueError: there are no non-empty geometries.
    """
    boxes = [g.bounds for g in geometries if not g.is_empty]
    if not boxes:
        raise ValueError("no geometry to centre a projection on")
    west = min(b[0] for b in boxes)
    south = min(b[1] for b in boxes)
    east = max(b[2] for b in boxes)
    north = max(b[3] for b in boxes)
    return (west + east) / 2, (south + north) / 2
