"""Zones: the areas where clauses apply, derived from lines and places or drawn as polygons.

A zone is either *derived* (a buffer of a reference line on one party's side, or circles around
settlements or sites) or *explicit* (a GeoJSON polygon). Derived zones are computed in metres in
the agreement's local projection, never in degrees, and stored in WGS84; the stored document
keeps the computed polygon, so a stored version never changes when geometry libraries do.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

import shapely
from shapely.geometry import LineString, MultiPoint, Point, Polygon
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement._context import LoadContext, at, read_time, resolve_place
from ceasefire.agreement._geojson import (
    check_position,
    geometry_to_geojson,
    polygonal_part,
    read_polygonal,
)
from ceasefire.agreement.line import ReferenceLine, Side
from ceasefire.agreement.party import Party
from ceasefire.geo.projection import LocalProjection

__all__ = ["InventoryItem", "TimeWindow", "Zone", "ZoneKind", "side_buffer", "zone_from_spec"]

# Segments per quarter circle: the chord of an arc sags at most 1 - cos(pi / 64), 0.12 %, below
# the buffer distance, well inside the 1 % to which zone widths are checked.
_QUAD_SEGS = 16


class ZoneKind(StrEnum):
    """The closed vocabulary of zone kinds."""

    WITHDRAWAL = "withdrawal"  # no weapons of the zone's classes (Minsk PoM-2 per class)
    DISENGAGEMENT = "disengagement"  # no forces or hardware at all (2016 Framework Decision)
    BUFFER = "buffer"  # a demilitarised or security zone
    SETTLEMENT_PROTECTION = "settlement_protection"  # no heavy weapons in or near settlements
    STORAGE_SITE = "storage_site"  # where withdrawn weapons must be held
    AIRSPACE = "airspace"
    SEA_AREA = "sea_area"
    LIVE_FIRE = "live_fire"  # notified exercise areas, exempt within their time windows


@dataclass(frozen=True, slots=True)
class TimeWindow:
    """A notified time window, e.g. of a live-fire exercise; start inclusive, end exclusive.

    Args:
        start: aware datetime.
        end: aware datetime, after ``start``.
    """

    start: datetime
    end: datetime

    def contains(self, when: datetime) -> bool:
        """Return whether ``when`` falls in the window."""
        return self.start <= when < self.end


@dataclass(frozen=True, slots=True)
class InventoryItem:
    """One line of a storage site's agreed list: how many of a weapon system it must hold.

    Args:
        system: the system's name, as the catalogue knows it (by name or alias).
        count: how many must be there.
    """

    system: str
    count: int


@dataclass(frozen=True)
class Zone:
    """An area where clauses apply.

    Args:
        id: the id clauses refer to.
        kind: the zone kind.
        geometry: the area in WGS84 (lon, lat).
        projection: the agreement's metric projection, for containment and distances.
        name: a readable name.
        weapon_classes: for withdrawal-type zones, the classes of weapon the zone excludes.
        windows: for live-fire zones, the notified time windows.
        line: the id of the reference line a buffer zone was derived from.
        reference: the line or points distances are measured from (WGS84), if any.
        derived_from: how the zone was derived (``buffer`` or ``around`` spec), for the record.
        source: where the agreement defines it.
        note: free text (e.g. "illustrative", "this example's parameter").
        inventory: for storage sites, the agreed list of weapons held there (what inventory
            reconciliation counts observations against).
    """

    id: str
    kind: ZoneKind
    geometry: BaseGeometry
    projection: LocalProjection = field(compare=False, repr=False)
    name: str = ""
    weapon_classes: tuple[str, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    line: str | None = None
    reference: BaseGeometry | None = field(default=None, repr=False)
    derived_from: dict[str, Any] = field(default_factory=dict, repr=False)
    source: str = ""
    note: str = ""
    inventory: tuple[InventoryItem, ...] = ()

    @cached_property
    def geometry_metric(self) -> BaseGeometry:
        """The area in the agreement's projection, in metres."""
        return self.projection.to_metric(self.geometry)

    @cached_property
    def _reference_metric(self) -> BaseGeometry | None:
        if self.reference is None:
            return None
        return self.projection.to_metric(self.reference)

    def contains(self, lon: float, lat: float) -> bool:
        """Return whether (lon, lat) lies in the zone (its boundary counts as inside)."""
        point = Point(self.projection.point_to_metric(lon, lat))
        return bool(self.geometry_metric.covers(point))

    def distance_m(self, lon: float, lat: float) -> float | None:
        """Return the distance in metres from (lon, lat) to the zone's reference.

        The reference is the line of a buffer zone, or the nearest settlement or site of an
        ``around`` zone; drawn polygons have none, and give ``None``.
        """
        reference = self._reference_metric
        if reference is None:
            return None
        return float(reference.distance(Point(self.projection.point_to_metric(lon, lat))))

    def active_at(self, when: datetime) -> bool:
        """Return whether a live-fire zone's notified window covers ``when`` (always for others)."""
        if self.kind is not ZoneKind.LIVE_FIRE:
            return True
        return any(w.contains(when) for w in self.windows)

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form: the polygon inlined, with how it was derived."""
        doc: dict[str, Any] = {
            "id": self.id,
            "kind": str(self.kind),
            "polygon": geometry_to_geojson(self.geometry),
        }
        if self.name:
            doc["name"] = self.name
        if self.weapon_classes:
            doc["weapon_classes"] = list(self.weapon_classes)
        if self.windows:
            doc["windows"] = [
                {"from": w.start.isoformat(), "until": w.end.isoformat()} for w in self.windows
            ]
        if self.derived_from:
            doc["derived_from"] = self.derived_from
        if self.source:
            doc["source"] = self.source
        if self.note:
            doc["note"] = self.note
        if self.inventory:
            doc["inventory"] = [{"system": i.system, "count": i.count} for i in self.inventory]
        return doc


def _extended(line: LineString, length: float) -> LineString:
    """Return the line prolonged at both ends by ``length`` along its end segments."""
    coords = list(line.coords)

    def beyond(tip: tuple[float, ...], before: tuple[float, ...]) -> tuple[float, float]:
        dx, dy = tip[0] - before[0], tip[1] - before[1]
        norm = math.hypot(dx, dy)
        return tip[0] + dx / norm * length, tip[1] + dy / norm * length

    return LineString([beyond(coords[0], coords[1]), *coords, beyond(coords[-1], coords[-2])])


def _side_of(line: LineString, x: float, y: float) -> Side:
    """Return the side of ``line`` the point (x, y) lies on, by its nearest segment."""
    coords = list(line.coords)
    best, best_cross = math.inf, 0.0
    for (ax, ay), (bx, by) in itertools.pairwise(coords):
        dx, dy = bx - ax, by - ay
        length2 = dx * dx + dy * dy
        t = max(0.0, min(1.0, ((x - ax) * dx + (y - ay) * dy) / length2)) if length2 else 0.0
        gap = math.hypot(x - (ax + t * dx), y - (ay + t * dy))
        cross = dx * (y - ay) - dy * (x - ax)
        # At a vertex two segments are equally near; the farther-reaching cross product decides.
        if gap < best - 1e-9 or (abs(gap - best) <= 1e-9 and abs(cross) > abs(best_cross)):
            best, best_cross = gap, cross
    return "left" if best_cross > 0 else "right"


def side_buffer(line: LineString, distance: float, side: Side | None) -> BaseGeometry:
    """Return the points within ``distance`` of a metric line, on one side of it or both.

    One side is the full (round-capped) buffer cut in two by the line prolonged at both ends
    beyond the buffer, keeping the pieces on that side. So a point beyond an end of the line
    (Novoazovsk, east of where the Minsk line meets the coast) is still on its proper side.
    GEOS's own single-sided buffer was tried first: on a line that bends as much as the Donbas
    line does, its 70 km offset folds over and puts Kramatorsk on both sides.

    Args:
        line: the line, in metres.
        distance: metres, > 0.
        side: ``"left"`` or ``"right"`` looking along the line, or ``None`` for both sides.

    Returns:
        The zone, in metres.
    """
    full = line.buffer(distance, quad_segs=_QUAD_SEGS)
    if side is None:
        return full
    cutter = _extended(line, 2 * distance + 1.0)
    pieces = shapely.polygonize([shapely.union_all([full.exterior, cutter])])
    kept = []
    for piece in getattr(pieces, "geoms", []):
        inside = piece.representative_point()
        if full.covers(inside) and _side_of(cutter, inside.x, inside.y) == side:
            kept.append(piece)
    result: BaseGeometry = shapely.union_all(kept) if kept else Polygon()
    return result


def _windows(spec: list[Any], path: str, ctx: LoadContext) -> tuple[TimeWindow, ...] | None:
    windows = []
    ok = True
    for i, window in enumerate(spec):
        where = at(path, i)
        start = read_time(window["from"], at(where, "from"), ctx)
        end = read_time(window["until"], at(where, "until"), ctx)
        if start is None or end is None:
            ok = False
        elif end <= start:
            ctx.add(where, f"the window ends ({end.isoformat()}) before it starts")
            ok = False
        else:
            windows.append(TimeWindow(start, end))
    return tuple(windows) if ok else None


def _buffer(
    spec: dict[str, Any],
    path: str,
    ctx: LoadContext,
    parties: dict[str, Party],
    lines: dict[str, ReferenceLine | None],
    projection: LocalProjection | None,
) -> tuple[BaseGeometry, LineString, dict[str, Any]] | None:
    line_id = spec["line"]
    if line_id not in lines:
        ctx.add(at(path, "line"), f"unknown line {line_id!r}")
        return None
    line = lines[line_id]
    side_spec = spec.get("side", "both")
    side: Side | None = None
    ok = True
    if side_spec != "both":
        if side_spec not in parties:
            ctx.add(at(path, "side"), f"unknown party {side_spec!r} (or write 'both')")
            ok = False
        elif line is not None:
            side = line.side_of(side_spec)
            if side is None:
                ctx.add(
                    at(path, "side"),
                    f"party {side_spec!r} holds no side of line {line_id!r} "
                    f"(its sides: {line.sides})",
                )
                ok = False
    clip_to = spec.get("clip_to")
    clip_area = None
    if clip_to is not None:
        if clip_to not in parties:
            ctx.add(at(path, "clip_to"), f"unknown party {clip_to!r}")
            ok = False
        else:
            clip_area = parties[clip_to].area
            if clip_area is None:
                ctx.add(at(path, "clip_to"), f"party {clip_to!r} has no area to clip to")
                ok = False
    if not ok or line is None or projection is None:
        return None
    metric = side_buffer(projection.to_metric(line.geometry), spec["km"] * 1000.0, side)
    if clip_area is not None:
        metric = metric.intersection(projection.to_metric(clip_area))
    derived = {"buffer": {k: spec[k] for k in ("line", "km", "side", "clip_to") if k in spec}}
    return polygonal_part(projection.to_wgs84(metric)), line.geometry, derived


def _around(
    spec: dict[str, Any], path: str, ctx: LoadContext, projection: LocalProjection | None
) -> tuple[BaseGeometry, MultiPoint, dict[str, Any]] | None:
    points: list[tuple[float, float]] = []
    ok = True
    for i, item in enumerate(spec.get("points", [])):
        position = check_position(item, at(at(path, "points"), i), ctx)
        if position is None:
            ok = False
        else:
            points.append(position)
    for i, name in enumerate(spec.get("places", [])):
        resolved = resolve_place(name, at(at(path, "places"), i), ctx)
        if resolved is None:
            ok = False
            continue
        points.append(resolved)
    if not ok or projection is None:
        return None
    anchors = MultiPoint(points)
    radius = spec["km"] * 1000.0
    metric = shapely.union_all(
        [Point(projection.point_to_metric(*p)).buffer(radius, quad_segs=_QUAD_SEGS) for p in points]
    )
    derived: dict[str, Any] = {"around": {"points": [list(p) for p in points], "km": spec["km"]}}
    if spec.get("places"):
        derived["around"]["places"] = list(spec["places"])
    return polygonal_part(projection.to_wgs84(metric)), anchors, derived


def _reference_of(
    derived: dict[str, Any], lines: dict[str, ReferenceLine | None]
) -> tuple[BaseGeometry | None, str | None]:
    """Return the reference of a zone stored as a polygon with its derivation."""
    if "buffer" in derived:
        line = lines.get(derived["buffer"].get("line"))
        return (line.geometry if line else None), derived["buffer"].get("line")
    if "around" in derived:
        return MultiPoint([tuple(p) for p in derived["around"].get("points", [])]), None
    return None, None


def zone_from_spec(
    spec: dict[str, Any],
    path: str,
    ctx: LoadContext,
    *,
    parties: dict[str, Party],
    lines: dict[str, ReferenceLine | None],
    class_ids: set[str],
    projection: LocalProjection | None,
) -> Zone | None:
    """Build a zone from its (schema-checked) YAML mapping.

    Args:
        spec: the mapping; exactly one of ``buffer``, ``polygon`` and ``around``.
        path: its path, e.g. ``zones[3]``.
        ctx: the load context.
        parties: the agreement's parties by id.
        lines: the agreement's lines by id (``None`` for a line that failed to load, so that
            references to it are not reported a second time).
        class_ids: the agreement's weapon class ids.
        projection: the agreement's projection (``None`` if it could not be set up).

    Returns:
        The zone, or ``None`` after recording a problem.
    """
    kind = ZoneKind(spec["kind"])
    ok = True
    for i, class_id in enumerate(spec.get("weapon_classes", [])):
        if class_id not in class_ids:
            ctx.add(at(at(path, "weapon_classes"), i), f"unknown weapon class {class_id!r}")
            ok = False
    windows = _zone_windows(spec, kind, path, ctx)
    geometry, reference, derived, line_id = _zone_geometry(spec, path, ctx, parties, lines,
                                                           projection)  # fmt: skip
    if "inventory" in spec and kind is not ZoneKind.STORAGE_SITE:
        ctx.add(at(path, "inventory"), "an agreed inventory is only for storage_site zones")
        ok = False
    if geometry is None or not ok or projection is None or windows is None:
        return None
    if geometry.is_empty:
        ctx.add(path, "the zone is empty (a clip or buffer left no area)")
        return None
    return Zone(
        id=spec["id"],
        kind=kind,
        geometry=geometry,
        projection=projection,
        name=spec.get("name", ""),
        weapon_classes=tuple(spec.get("weapon_classes", [])),
        windows=windows,
        line=line_id,
        reference=reference,
        derived_from=derived,
        source=spec.get("source", ""),
        note=spec.get("note", ""),
        inventory=tuple(
            InventoryItem(item["system"], int(item["count"])) for item in spec.get("inventory", [])
        ),
    )


def _zone_windows(
    spec: dict[str, Any], kind: ZoneKind, path: str, ctx: LoadContext
) -> tuple[TimeWindow, ...] | None:
    """A zone's notified time windows: required for live-fire zones, refused for others;
    ``None`` after a problem."""
    if "windows" in spec:
        misplaced = kind is not ZoneKind.LIVE_FIRE
        if misplaced:
            ctx.add(at(path, "windows"), "time windows are only for live_fire zones")
        windows = _windows(spec["windows"], at(path, "windows"), ctx)
        return None if misplaced else windows
    if kind is ZoneKind.LIVE_FIRE:
        ctx.add(path, "a live_fire zone needs its notified time windows ('windows')")
        return None
    return ()


def _zone_geometry(
    spec: dict[str, Any],
    path: str,
    ctx: LoadContext,
    parties: dict[str, Party],
    lines: dict[str, ReferenceLine | None],
    projection: LocalProjection | None,
) -> tuple[BaseGeometry | None, BaseGeometry | None, dict[str, Any], str | None]:
    """A zone's area, the line it was drawn from (if any), how it was derived, and that line's
    id, from whichever of ``buffer``, ``around`` and ``polygon`` it gives."""
    if "buffer" in spec:
        built = _buffer(spec["buffer"], at(path, "buffer"), ctx, parties, lines, projection)
        geometry, reference, derived = built if built else (None, None, {})
        return geometry, reference, derived, spec["buffer"]["line"]
    if "around" in spec:
        built_around = _around(spec["around"], at(path, "around"), ctx, projection)
        geometry, reference, derived = built_around if built_around else (None, None, {})
        return geometry, reference, derived, None
    geometry = read_polygonal(spec["polygon"], at(path, "polygon"), ctx)
    derived = dict(spec.get("derived_from", {}))
    reference, line_id = _reference_of(derived, lines)
    return geometry, reference, derived, line_id
