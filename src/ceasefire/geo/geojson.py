"""GeoJSON polygons, read and checked once for every input that carries an area.

An agreement's zones and a coverage record's sector are both GeoJSON Polygons or MultiPolygons in
lon/lat. A bad one silently corrupts every verdict that uses it, so both are read by
:func:`polygonal`, which refuses with where in the geometry and why: a position that is not
``[lon, lat]`` (or has them swapped), a ring that is not closed or too short, a polygon that
crosses itself. Callers prefix :attr:`ceasefire.errors.GeometryInvalid.where` with where the
geometry was written (``zones[1].polygon``, ``sector``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ceasefire.errors import GeometryInvalid

if TYPE_CHECKING:  # shapely is imported when a polygon is read, not with the package
    from shapely.geometry import MultiPolygon, Polygon

__all__ = ["polygonal", "position"]

Keys = tuple[str | int, ...]


def position(value: Any, where: Keys = ()) -> tuple[float, float]:
    """Return a GeoJSON position ``[lon, lat]`` (an altitude is allowed and ignored).

    Raises:
        GeometryInvalid: not two or three numbers, or a coordinate out of range; a latitude out
            of range whose longitude would fit says the order is longitude first.
    """
    if (
        not isinstance(value, Sequence)
        or isinstance(value, str)
        or len(value) not in (2, 3)
        or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
    ):
        raise GeometryInvalid(where, f"expected a position [lon, lat], got {value!r}")
    lon, lat = float(value[0]), float(value[1])
    if not -180 <= lon <= 180:
        raise GeometryInvalid(where, f"longitude {lon:g} is out of range -180..180")
    if not -90 <= lat <= 90:
        hint = " (positions are [lon, lat], longitude first)" if -90 <= lon <= 90 else ""
        raise GeometryInvalid(where, f"latitude {lat:g} is out of range -90..90{hint}")
    return lon, lat


def polygonal(geometry: Any) -> Polygon | MultiPolygon:
    """Read a GeoJSON Polygon or MultiPolygon geometry, checked, as shapely keeps it.

    Args:
        geometry: the geometry object (``{"type": "Polygon", "coordinates": [...]}``).

    Returns:
        The valid, non-empty polygon or multipolygon in lon/lat, exactly as written (not
        re-noded, so a stored area reads back identical).

    Raises:
        GeometryInvalid: the first thing wrong, with where it is inside the geometry.
    """
    from shapely.geometry import MultiPolygon
    from shapely.validation import explain_validity

    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        kind = geometry.get("type") if isinstance(geometry, dict) else type(geometry).__name__
        raise GeometryInvalid((), f"expected a GeoJSON Polygon or MultiPolygon, found {kind}")
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or not coordinates:
        raise GeometryInvalid(("coordinates",), "expected a non-empty list of coordinates")
    if geometry["type"] == "Polygon":
        return _polygon(coordinates, ("coordinates",))
    parts = [_polygon(p, ("coordinates", i)) for i, p in enumerate(coordinates)]
    written = MultiPolygon(parts)
    if not written.is_valid:
        raise GeometryInvalid((), f"invalid multipolygon: {explain_validity(written)}")
    return written


def _polygon(rings: Any, where: Keys) -> Polygon:
    from shapely.geometry import Polygon
    from shapely.validation import explain_validity

    if not isinstance(rings, list) or not rings:
        raise GeometryInvalid(where, "a polygon needs at least one ring")
    shell, *holes = [_ring(ring, (*where, i)) for i, ring in enumerate(rings)]
    polygon = Polygon(shell, holes)
    if not polygon.is_valid:
        raise GeometryInvalid((), f"invalid polygon: {explain_validity(polygon)}")
    return polygon


def _ring(coords: Any, where: Keys) -> list[tuple[float, float]]:
    if not isinstance(coords, list):
        raise GeometryInvalid(where, "expected a list of positions")
    positions = [position(c, (*where, i)) for i, c in enumerate(coords)]
    if len(positions) < 4:
        raise GeometryInvalid(
            where, f"a polygon ring needs at least 4 positions, found {len(positions)}"
        )
    if positions[0] != positions[-1]:
        raise GeometryInvalid(
            where, "the polygon ring is not closed (its last position must repeat the first)"
        )
    return positions
