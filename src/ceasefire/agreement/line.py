"""Reference lines: the line of contact and any other line distances are measured from.

Real agreements describe lines by ordered settlements ("from Shyrokyne ... to Stanytsia
Luhanska") or by maps; a line here is GeoJSON (inline or a file) or ordered waypoints, each a
``[lon, lat]`` or a gazetteer place name. Which party holds which side is stated as seen looking
along the line in the order it is drawn: ``sides: {left: UA, right: RU}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from shapely.geometry import LineString, Point

from ceasefire.agreement._context import LoadContext, at, read_time, resolve_place
from ceasefire.agreement._geojson import (
    check_position,
    geometry_to_geojson,
    line_from_positions,
    read_line,
)
from ceasefire.geo.projection import LocalProjection

__all__ = ["ReferenceLine", "Side", "line_from_spec"]

Side = Literal["left", "right"]


@dataclass(frozen=True)
class ReferenceLine:
    """A reference line and the sides the parties hold.

    Args:
        id: the id zones refer to.
        name: a readable name.
        geometry: the line in WGS84 (lon, lat).
        sides: ``{"left": party id, "right": party id}``, looking along the line as drawn.
        party: when the line is one party's own reference (Minsk measured each party's
            withdrawal from a different line), that party's id.
        valid_from: when the line took effect, if the agreement says.
        derived_from: how the line was given (the waypoints as written, or the file name);
            kept so a stored document still says where its coordinates came from.
    """

    id: str
    name: str
    geometry: LineString
    sides: dict[str, str]
    party: str | None = None
    valid_from: datetime | None = None
    derived_from: tuple[str, ...] = field(default=())

    def side_of(self, party: str) -> Side | None:
        """Return the side of the line ``party`` holds, or ``None`` if it holds neither."""
        if self.sides.get("left") == party:
            return "left"
        if self.sides.get("right") == party:
            return "right"
        return None

    def distance_m(self, lon: float, lat: float, projection: LocalProjection) -> float:
        """Return the distance in metres from (lon, lat) to the line, in ``projection``."""
        line = projection.to_metric(self.geometry)
        return float(line.distance(Point(projection.point_to_metric(lon, lat))))

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form, with the geometry inlined as a GeoJSON LineString."""
        doc: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "geojson": geometry_to_geojson(self.geometry),
            "sides": dict(self.sides),
        }
        if self.party is not None:
            doc["party"] = self.party
        if self.valid_from is not None:
            doc["valid_from"] = self.valid_from.isoformat()
        if self.derived_from:
            doc["derived_from"] = list(self.derived_from)
        return doc


def _waypoints(spec: list[Any], path: str, ctx: LoadContext) -> LineString | None:
    coords: list[tuple[float, float]] = []
    ok = True
    for i, waypoint in enumerate(spec):
        where = at(path, i)
        if isinstance(waypoint, str):
            resolved = resolve_place(waypoint, where, ctx)
            if resolved is None:
                ok = False
                continue
            coords.append(resolved)
        else:
            position = check_position(waypoint, where, ctx)
            if position is None:
                ok = False
                continue
            coords.append(position)
    if not ok:
        return None
    return line_from_positions(coords, path, ctx)


def line_from_spec(
    spec: dict[str, Any], path: str, ctx: LoadContext, party_ids: set[str]
) -> ReferenceLine | None:
    """Build a reference line from its (schema-checked) YAML mapping.

    Args:
        spec: the mapping; exactly one of ``geojson`` and ``waypoints``.
        path: its path, e.g. ``lines[0]``.
        ctx: the load context.
        party_ids: the ids of the agreement's parties, for ``sides`` and ``party``.

    Returns:
        The line, or ``None`` after recording a problem.
    """
    ok = True
    sides: dict[str, str] = dict(spec["sides"])
    for side, holder in sides.items():
        if holder not in party_ids:
            ctx.add(at(at(path, "sides"), side), f"unknown party {holder!r}")
            ok = False
    if len(sides) == 2 and sides["left"] == sides["right"]:
        ctx.add(at(path, "sides"), f"one party ({sides['left']}) cannot hold both sides")
        ok = False
    party = spec.get("party")
    if party is not None and party not in party_ids:
        ctx.add(at(path, "party"), f"unknown party {party!r}")
        ok = False
    valid_from = None
    if "valid_from" in spec:
        valid_from = read_time(spec["valid_from"], at(path, "valid_from"), ctx)
        ok = ok and valid_from is not None
    if "waypoints" in spec:
        geometry = _waypoints(spec["waypoints"], at(path, "waypoints"), ctx)
        derived = tuple(w if isinstance(w, str) else f"{w[0]}, {w[1]}" for w in spec["waypoints"])
    else:
        geometry = read_line(spec["geojson"], at(path, "geojson"), ctx)
        source = spec["geojson"]
        derived = (f"file: {source['file']}",) if set(source) == {"file"} else ()
    if geometry is None or not ok:
        return None
    return ReferenceLine(
        id=spec["id"],
        name=spec.get("name", spec["id"]),
        geometry=geometry,
        sides=sides,
        party=party,
        valid_from=valid_from,
        derived_from=tuple(spec.get("derived_from", derived)),
    )
