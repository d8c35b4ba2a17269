"""Reports and existing incidents as engine rows: where, when and what, each with its error.

How each form becomes a row (``docs/fusion.md`` gives the table):

* time: a time to the minute is the instant with the clock error ``minute_sigma_s``; an hour or
  a day is the whole hour or day from the stated time; an interval is ``observed_at`` to
  ``observed_until``; coarse windows have ``coarse_sigma_s`` beyond their edges;
* place: a point or a place is its estimate and radius; a bearing with a range band is the
  middle of the band, with a radius covering its depth and spread; a bearing with no range is
  the middle of the sector out to ``bearing_reach_m``, with half that reach as its radius (a
  disc over the sector: compatible with whatever the sector could hold);
* an existing incident is its fused location and time window, and is marked an anchor.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import timedelta
from typing import NamedTuple

import numpy as np

from ceasefire.fusion.points import ACTIVITY_CODES, FusionPoints
from ceasefire.fusion.settings import FusionSettings
from ceasefire.geo.projection import LocalProjection
from ceasefire.model.incident import Incident
from ceasefire.model.location import BearingLocation, Estimate, Location
from ceasefire.model.report import Report, TimePrecision

__all__ = ["Row", "build_points", "location_row", "projection_for", "report_window"]

_SPAN = {TimePrecision.HOUR: timedelta(hours=1), TimePrecision.DAY: timedelta(days=1)}


class Row(NamedTuple):
    """One engine row before projection."""

    lon: float
    lat: float
    radius_m: float
    t_lo: float
    t_hi: float
    tau: float
    activity: int
    anchor: bool


def report_window(report: Report, settings: FusionSettings) -> tuple[float, float, float]:
    """Return (start, end, error) in epoch seconds for a report's time as precisely as known."""
    start = report.observed_at
    if report.observed_until is not None:
        end = report.observed_until
    else:
        end = start + _SPAN.get(report.time_precision, timedelta(0))
    precise = report.time_precision is TimePrecision.MINUTE and report.observed_until is None
    error = settings.minute_sigma_s if precise else settings.coarse_sigma_s
    return start.timestamp(), end.timestamp(), error


def location_row(location: Location, settings: FusionSettings) -> Estimate:
    """Return a position and radius for any location form (see the module docstring)."""
    estimate = location.estimate()
    if estimate is None:
        assert isinstance(location, BearingLocation), "only a bearing lacks an estimate"
        reach = settings.bearing_reach_m
        sector = BearingLocation(
            location.observer_lon,
            location.observer_lat,
            location.bearing_deg,
            location.bearing_error_deg,
            0.0,
            reach,
        )
        centre = sector.estimate()
        assert centre is not None
        return Estimate(centre.lon, centre.lat, reach / 2)
    return estimate


def _report_row(report: Report, settings: FusionSettings) -> Row:
    where = location_row(report.location, settings)
    start, end, error = report_window(report, settings)
    radius = max(where.uncertainty_m, settings.min_radius_m)
    return Row(
        where.lon, where.lat, radius, start, end, error, ACTIVITY_CODES[report.activity], False
    )


def _incident_row(incident: Incident, settings: FusionSettings) -> Row:
    where = incident.location
    if where is None and incident.sector is not None:
        sector = incident.sector
        where = location_row(
            BearingLocation(
                sector.observer_lon,
                sector.observer_lat,
                sector.bearing_deg,
                sector.bearing_error_deg,
                sector.range_min_m,
                sector.range_max_m,
            ),
            settings,
        )
    if where is None:  # pragma: no cover - fusion never makes an incident with neither
        raise ValueError(f"incident {incident.id} has neither a location nor a sector")
    return Row(
        where.lon,
        where.lat,
        max(where.uncertainty_m, settings.min_radius_m),
        incident.started_at.timestamp(),
        incident.ended_at.timestamp(),
        settings.minute_sigma_s,
        ACTIVITY_CODES[incident.activity],
        True,
    )


def projection_for(lons: Sequence[float], lats: Sequence[float]) -> LocalProjection:
    """A transverse Mercator centred on the middle of the batch (scale error < 0.1 % in 300 km)."""
    return LocalProjection.centred_on((min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2)


def build_points(
    anchors: Sequence[Incident], reports: Sequence[Report], settings: FusionSettings
) -> tuple[FusionPoints, LocalProjection]:
    """Return the engine rows (anchors first, then reports, in the order given) and the
    projection they were made in."""
    rows = [_incident_row(item, settings) for item in anchors]
    rows += [_report_row(item, settings) for item in reports]
    columns = list(zip(*rows, strict=True))
    projection = projection_for(columns[0], columns[1])
    x, y = projection.arrays_to_metric(np.asarray(columns[0]), np.asarray(columns[1]))
    points = FusionPoints.of(x, y, *columns[2:])
    if not math.isfinite(float(np.sum(points.x))):
        raise ValueError("a location could not be projected")
    return points, projection
