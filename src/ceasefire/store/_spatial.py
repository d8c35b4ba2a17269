"""The spatial queries answered in Python, for the embedded store: shapely and numpy.

PostgreSQL answers the same queries in SQL with PostGIS (:mod:`._postgres_queries`); these
functions give SQLite the same answers from the columns it has (``lon``, ``lat``, the coverage
documents), after SQL has narrowed the rows by time and bounding box:

* **inside a zone** and **over a sector**: planar intersection in WGS84 longitude/latitude, the
  same predicate PostGIS's ``ST_Intersects`` on ``geometry(…, 4326)`` evaluates, so the answers
  agree exactly (boundary points included in both).
* **within D metres of a line**: the geometry and the points are projected to a transverse
  Mercator centred on the geometry (:class:`~ceasefire.geo.projection.LocalProjection`), where
  distances are true to 0.1 % within 300 km, and measured there; PostGIS measures on the
  spheroid (``geography``). The two agree except for points within that error of the limit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import shapely
from pyproj import Transformer
from shapely.geometry import shape

from ceasefire.geo.projection import WGS84, LocalProjection

__all__ = ["near_bbox", "points_inside", "points_within"]

_METRES_PER_DEGREE = 111_320.0
#: A buffer of 32 segments per quarter circle lies within 0.013 % of the true distance, so
#: buffers 0.1 % narrower and wider bracket it safely.
_QUAD_SEGS = 32
_BUFFER_MARGIN = 0.001


def near_bbox(geometry: dict[str, Any], within_m: float) -> tuple[float, float, float, float]:
    """Return a (min lon, min lat, max lon, max lat) box holding every point within ``within_m``.

    Generous on purpose (it only narrows the rows SQL returns; the exact test follows).
    """
    min_lon, min_lat, max_lon, max_lat = shape(geometry).bounds
    dlat = 1.01 * within_m / _METRES_PER_DEGREE
    widest = math.cos(math.radians(min(89.0, max(abs(min_lat), abs(max_lat)) + dlat)))
    dlon = 1.01 * within_m / (_METRES_PER_DEGREE * widest)
    return (min_lon - dlon, min_lat - dlat, max_lon + dlon, max_lat + dlat)


def points_inside(geometry: dict[str, Any], lon: Sequence[float], lat: Sequence[float]) -> Any:
    """Return a boolean array: which (lon, lat) points intersect the WGS84 geometry."""
    zone = shape(geometry)
    shapely.prepare(zone)
    return shapely.intersects_xy(zone, np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def points_within(
    geometry: dict[str, Any], within_m: float, lon: Sequence[float], lat: Sequence[float]
) -> Any:
    """Return a boolean array: which points lie within ``within_m`` metres of the geometry."""
    target = shape(geometry)
    if len(lon) == 0:
        return np.zeros(0, dtype=bool)
    centre = target.centroid
    projection = LocalProjection.centred_on(centre.x, centre.y)
    metric = projection.to_metric(target)
    forward = Transformer.from_crs(WGS84, projection.definition, always_xy=True)
    x, y = forward.transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    # Point-in-polygon on prepared buffers settles nearly every point cheaply: inside a buffer a
    # little narrower than D is within, outside one a little wider is not. Only the points in
    # the thin ring between get an exact distance.
    inner = metric.buffer(within_m * (1 - _BUFFER_MARGIN), quad_segs=_QUAD_SEGS)
    outer = metric.buffer(within_m * (1 + _BUFFER_MARGIN) + 1.0, quad_segs=_QUAD_SEGS)
    shapely.prepare(inner)
    shapely.prepare(outer)
    within = shapely.contains_xy(inner, x, y)
    ring = shapely.contains_xy(outer, x, y) & ~within
    if ring.any():
        within[ring] = shapely.dwithin(metric, shapely.points(x[ring], y[ring]), within_m)
    return within
