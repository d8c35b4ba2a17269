"""GeoJSON geometry in agreements: inline or in a file, read and checked with reasons.

Agreements give lines and areas as GeoJSON (inline, or a file beside the agreement). A bad
geometry silently corrupts every verdict that uses it, so each one is checked and refused with a
reason the author can act on: a ring that is not closed, a self-intersecting polygon, a latitude
that is really a longitude. Positions and polygons are checked by :mod:`ceasefire.geo.geojson`,
the one check coverage sectors use too; this module finds the geometries (inline, in a file, in
Features) and records each problem at its path in the agreement.
"""

from __future__ import annotations

import json
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, mapping
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement._context import LoadContext, at
from ceasefire.errors import GeometryInvalid
from ceasefire.geo.geojson import polygonal, position

__all__ = [
    "check_position",
    "geometry_to_geojson",
    "line_from_positions",
    "polygonal_part",
    "read_line",
    "read_polygonal",
]


def check_position(value: Any, path: str, ctx: LoadContext) -> tuple[float, float] | None:
    """Return a ``[lon, lat]`` position as a tuple, or ``None`` after recording why not.

    Args:
        value: the position as written.
        path: where it was written.
        ctx: the load context.

    Returns:
        (lon, lat), or ``None``.
    """
    try:
        return position(value)
    except GeometryInvalid as error:
        ctx.add(path, error.reason)
        return None


def geometry_to_geojson(geometry: BaseGeometry) -> dict[str, Any]:
    """Return a shapely geometry as a GeoJSON geometry dict with plain lists (JSON-ready)."""
    result: dict[str, Any] = json.loads(json.dumps(mapping(geometry)))
    return result


def _load(spec: Any, path: str, ctx: LoadContext) -> tuple[Any, str] | None:
    """Return (GeoJSON object, path to report at) for an inline object or a ``{file:}`` one."""
    if isinstance(spec, dict) and set(spec) == {"file"}:
        file_path = at(path, "file")
        text = ctx.read_file(spec["file"], file_path)
        if text is None:
            return None
        try:
            return json.loads(text), file_path
        except json.JSONDecodeError as exc:
            ctx.add(file_path, f"file {spec['file']!r} is not JSON: {exc}")
            return None
    return spec, path


def _geometries(obj: Any, path: str, ctx: LoadContext) -> list[dict[str, Any]] | None:
    """Return the geometry dicts inside a GeoJSON geometry, Feature or FeatureCollection."""
    if not isinstance(obj, dict) or "type" not in obj:
        ctx.add(path, "expected a GeoJSON geometry, Feature or FeatureCollection")
        return None
    kind = obj["type"]
    if kind == "FeatureCollection":
        features = obj.get("features")
        if not isinstance(features, list):
            ctx.add(path, "a FeatureCollection needs a list of features")
            return None
        found: list[dict[str, Any]] = []
        for i, feature in enumerate(features):
            inner = _geometries(feature, at(at(path, "features"), i), ctx)
            if inner is None:
                return None
            found.extend(inner)
        return found
    if kind == "Feature":
        geometry = obj.get("geometry")
        if geometry is None:
            ctx.add(path, "the Feature has no geometry")
            return None
        return _geometries(geometry, at(path, "geometry"), ctx)
    if not isinstance(obj.get("coordinates"), list):
        ctx.add(path, f"a GeoJSON {kind} needs a list of coordinates")
        return None
    return [obj]


def _positions(coords: Any, path: str, ctx: LoadContext) -> list[tuple[float, float]] | None:
    if not isinstance(coords, list):
        ctx.add(path, "expected a list of positions")
        return None
    points = [check_position(c, at(path, i), ctx) for i, c in enumerate(coords)]
    if any(p is None for p in points):
        return None
    return [p for p in points if p is not None]


def read_line(spec: Any, path: str, ctx: LoadContext) -> LineString | None:
    """Return the one LineString of an inline or ``{file:}`` GeoJSON object.

    Args:
        spec: a GeoJSON LineString (geometry, Feature or one-feature FeatureCollection), or
            ``{file: <path relative to the agreement>}``.
        path: where it was written.
        ctx: the load context.

    Returns:
        The line in WGS84, or ``None`` after recording a problem.
    """
    loaded = _load(spec, path, ctx)
    if loaded is None:
        return None
    geometries = _geometries(*loaded, ctx)
    if geometries is None:
        return None
    where = loaded[1]
    if len(geometries) != 1 or geometries[0].get("type") != "LineString":
        kinds = ", ".join(str(g.get("type")) for g in geometries) or "nothing"
        ctx.add(where, f"expected exactly one GeoJSON LineString, found {kinds}")
        return None
    coords = _positions(geometries[0]["coordinates"], at(where, "coordinates"), ctx)
    if coords is None:
        return None
    return line_from_positions(coords, where, ctx)


def line_from_positions(
    coords: list[tuple[float, float]], path: str, ctx: LoadContext
) -> LineString | None:
    """Return a LineString through the positions, or ``None`` if it is not a usable line.

    A reference line must have two distinct points and must not cross itself: a crossing line
    has no consistent left and right, so "the side a party holds" would mean nothing.

    Args:
        coords: (lon, lat) positions in order.
        path: where the line was written.
        ctx: the load context.

    Returns:
        The line, or ``None`` after recording a problem.
    """
    distinct = [c for i, c in enumerate(coords) if i == 0 or c != coords[i - 1]]
    if len(distinct) < 2:
        ctx.add(path, f"a line needs at least 2 distinct points, found {len(distinct)}")
        return None
    line = LineString(distinct)
    if not line.is_simple:
        ctx.add(path, "the line crosses itself, so its left and right sides are undefined")
        return None
    return line


def _within(path: str, where: tuple[str | int, ...]) -> str:
    """The path of a place inside a geometry written at ``path``."""
    for key in where:
        path = at(path, key)
    return path


def read_polygonal(spec: Any, path: str, ctx: LoadContext) -> BaseGeometry | None:
    """Return the (multi)polygon of an inline or ``{file:}`` GeoJSON object.

    Several polygon features in one file are merged into one area.

    Args:
        spec: a GeoJSON Polygon or MultiPolygon (geometry, Feature or FeatureCollection), or
            ``{file: <path relative to the agreement>}``.
        path: where it was written.
        ctx: the load context.

    Returns:
        A valid Polygon or MultiPolygon in WGS84, or ``None`` after recording a problem.
    """
    loaded = _load(spec, path, ctx)
    if loaded is None:
        return None
    geometries = _geometries(*loaded, ctx)
    if geometries is None:
        return None
    where = loaded[1]
    parts: list[Polygon | MultiPolygon] = []
    for geometry in geometries:
        try:
            parts.append(polygonal(geometry))
        except GeometryInvalid as error:
            ctx.add(_within(where, error.where), error.reason)
            return None
    if not parts:
        ctx.add(where, "no polygon found")
        return None
    if len(parts) == 1:
        return parts[0]  # kept as written (not re-noded by a union): it reads back identical
    merged = shapely.union_all(parts)
    if isinstance(merged, Polygon | MultiPolygon):
        return merged
    ctx.add(where, "the polygons do not form an area")
    return None


def polygonal_part(geometry: BaseGeometry) -> BaseGeometry:
    """Return the polygons of a geometry, dropping the lines and points an overlay may leave.

    Intersecting two areas can yield a GeometryCollection with slivers of shared edges; a zone
    is an area, and GeoJSON readers expect a Polygon or MultiPolygon.

    Args:
        geometry: any shapely geometry.

    Returns:
        A Polygon, a MultiPolygon, or an empty Polygon.
    """
    if isinstance(geometry, Polygon | MultiPolygon):
        return geometry
    polygons: list[Polygon] = []
    for part in getattr(geometry, "geoms", []):
        if isinstance(part, Polygon):
            polygons.append(part)
        elif isinstance(part, MultiPolygon):
            polygons.extend(part.geoms)
    if not polygons:
        return Polygon()
    return polygons[0] if len(polygons) == 1 else MultiPolygon(polygons)
