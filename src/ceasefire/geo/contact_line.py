"""Lines of contact from maps of controlled territory, and where control changed between two maps.

A mission rarely gets the line of contact as data; it gets maps of who controls what (NZZ's
war map, DeepStateMap). The line is the boundary of the controlled area *where it faces the other
side*: the stretches that run along the state border or the coast are not a front. So the
boundary is projected to metres, the parts within a tolerance of the country's outer boundary
(which is both its land border and its coastline) are cut away, short artefacts where the two
maps disagree are dropped, and the rest is simplified to a stated tolerance. Lengths and areas
are geodesic (pyproj's ``Geod``), so they do not depend on the projection.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import shapely
from pyproj import Geod
from shapely.geometry import MultiLineString, mapping, shape
from shapely.geometry.base import BaseGeometry
from shapely.ops import linemerge, unary_union

from ceasefire.geo.projection import LocalProjection

__all__ = [
    "ControlChange",
    "DerivedLine",
    "derive_line",
    "diff_control",
    "geodesic_area_km2",
    "geodesic_length_km",
    "read_areas",
    "read_polygons",
]

_GEOD = Geod(ellps="WGS84")


def read_areas(path: Path) -> BaseGeometry:
    """Read a GeoJSON file of controlled territory: the union of its (Multi)Polygons.

    Raises:
        ValueError: not GeoJSON, or no polygon in it (the message names the file).
    """
    return unary_union(read_polygons(path))


def read_polygons(path: Path) -> list[BaseGeometry]:
    """Read the (Multi)Polygon of each feature of a GeoJSON file (e.g. one per country).

    Raises:
        ValueError: not GeoJSON, or no polygon in it (the message names the file).
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError(f"{path.name}: not a GeoJSON file ({error})") from None
    if not isinstance(document, dict):
        raise ValueError(f"{path.name}: not a GeoJSON object")
    if document.get("type") == "FeatureCollection":
        geometries = [f.get("geometry") for f in document.get("features") or []]
    elif document.get("type") == "Feature":
        geometries = [document.get("geometry")]
    else:
        geometries = [document]
    polygons = []
    for number, geometry in enumerate(geometries):
        if not isinstance(geometry, dict) or geometry.get("type") not in (
            "Polygon",
            "MultiPolygon",
        ):
            continue
        try:
            polygons.append(shapely.make_valid(shape(geometry)))
        except (ValueError, TypeError, AttributeError) as error:
            raise ValueError(f"{path.name}: feature [{number}]: bad geometry ({error})") from None
    if not polygons:
        raise ValueError(f"{path.name}: has no Polygon or MultiPolygon")
    return polygons


def geodesic_length_km(geometry: BaseGeometry) -> float:
    """Length on the WGS84 ellipsoid, in km."""
    return float(_GEOD.geometry_length(geometry)) / 1000


def geodesic_area_km2(geometry: BaseGeometry) -> float:
    """Area on the WGS84 ellipsoid, in km² (orientation ignored)."""
    if geometry.is_empty:
        return 0.0
    return abs(float(_GEOD.geometry_area_perimeter(geometry)[0])) / 1e6


@dataclass(frozen=True)
class DerivedLine:
    """The derived line: its runs (WGS84), what was cut and dropped, and the settings used."""

    runs: tuple[BaseGeometry, ...]
    dropped_runs_km: tuple[float, ...]
    boundary_km: float
    tolerance_m: float
    border_tolerance_m: float

    @property
    def length_km(self) -> float:
        """Total geodesic length of the kept runs."""
        return sum(geodesic_length_km(run) for run in self.runs)

    def to_geojson(self, source: str) -> dict[str, Any]:
        """Return a FeatureCollection: one LineString feature per run, with its properties."""
        features = [
            {
                "type": "Feature",
                "properties": {
                    "name": "line of contact, derived",
                    "run": index,
                    "length_km": round(geodesic_length_km(run), 1),
                    "start": [round(c, 5) for c in run.coords[0]],
                    "end": [round(c, 5) for c in run.coords[-1]],
                    "derived_from": source,
                    "tolerance_m": self.tolerance_m,
                    "border_tolerance_m": self.border_tolerance_m,
                },
                "geometry": mapping(run),
            }
            for index, run in enumerate(self.runs)
        ]
        return {"type": "FeatureCollection", "features": features}


def derive_line(
    control: BaseGeometry,
    border: list[BaseGeometry] | None = None,
    *,
    tolerance_m: float = 500.0,
    border_tolerance_m: float = 3000.0,
    min_run_km: float = 15.0,
) -> DerivedLine:
    """Derive the line of contact: the controlled area's boundary minus border and coast.

    Args:
        control: the controlled area (WGS84 polygons).
        border: the countries' polygons, one per country; the outer boundary of the one the
            area overlaps most (its land border and coast) is cut from the line. ``None``:
            nothing is cut.
        tolerance_m: simplification tolerance of the result (Douglas–Peucker, in metres).
        border_tolerance_m: boundary within this distance of the border or coast is cut.
        min_run_km: runs shorter than this after cutting are artefacts (where the control map
            and the border map disagree) and are dropped, with their lengths reported.
    """
    centre = control.centroid
    projection = LocalProjection.centred_on(centre.x, centre.y)
    boundary = projection.to_metric(control.boundary)
    if border is not None:
        country = _country_of(control, border)
        edge = projection.to_metric(country.boundary)
        boundary = boundary.difference(edge.buffer(border_tolerance_m))
    lines = [
        part
        for part in getattr(boundary, "geoms", [boundary])
        if part.geom_type == "LineString" and not part.is_empty
    ]
    merged = linemerge(MultiLineString(lines)) if len(lines) > 1 else MultiLineString(lines)
    parts = list(getattr(merged, "geoms", [merged]))
    kept: list[tuple[float, BaseGeometry]] = []
    dropped: list[tuple[float, BaseGeometry]] = []
    for part in parts:
        if part.is_empty:
            continue
        run = projection.to_wgs84(part.simplify(tolerance_m))
        length = geodesic_length_km(run)
        (kept if length >= min_run_km else dropped).append((length, run))
    kept.sort(key=lambda item: -item[0])
    return DerivedLine(
        runs=tuple(run for _, run in kept),
        dropped_runs_km=tuple(sorted((round(length, 1) for length, _ in dropped), reverse=True)),
        boundary_km=geodesic_length_km(control.boundary),
        tolerance_m=tolerance_m,
        border_tolerance_m=border_tolerance_m,
    )


def _country_of(control: BaseGeometry, countries: list[BaseGeometry]) -> BaseGeometry:
    """The country that the controlled area overlaps most."""
    return max(countries, key=lambda country: country.intersection(control).area)


@dataclass(frozen=True)
class ControlChange:
    """Where control changed from snapshot A to B: the holder's gains and losses."""

    gained: BaseGeometry
    lost: BaseGeometry

    @property
    def gained_km2(self) -> float:
        """Area the holder of the mapped territory gained (the other side lost)."""
        return geodesic_area_km2(self.gained)

    @property
    def lost_km2(self) -> float:
        """Area the holder lost (the other side gained)."""
        return geodesic_area_km2(self.lost)

    def to_geojson(self, min_km2: float = 0.0) -> dict[str, Any]:
        """Return the changed areas as a FeatureCollection, one feature per patch."""
        features = []
        for label, geometry in (("holder", self.gained), ("other side", self.lost)):
            for patch in getattr(geometry, "geoms", [geometry]):
                area = geodesic_area_km2(patch)
                if patch.is_empty or area < min_km2:
                    continue
                features.append(
                    {
                        "type": "Feature",
                        "properties": {"gained_by": label, "area_km2": round(area, 3)},
                        "geometry": mapping(patch),
                    }
                )
        return {"type": "FeatureCollection", "features": features}


def diff_control(before: BaseGeometry, after: BaseGeometry) -> ControlChange:
    """Compare two snapshots of one side's controlled territory."""
    gained = shapely.make_valid(after.difference(before))
    lost = shapely.make_valid(before.difference(after))
    return ControlChange(gained=_polygons(gained), lost=_polygons(lost))


def _polygons(geometry: BaseGeometry) -> BaseGeometry:
    """Keep the polygonal part of a difference (slivers of lines and points have no area)."""
    parts = [
        part
        for part in getattr(geometry, "geoms", [geometry])
        if part.geom_type in ("Polygon", "MultiPolygon")
    ]
    return unary_union(parts) if parts else shapely.Polygon()
