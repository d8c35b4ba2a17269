"""The simulation's output as it accumulates: intake records per file, and the truth of each.

Every record a simulated channel emits goes through :class:`Output`, which keeps the intake
record (exactly as ``docs/intake-format.md`` documents it) beside what only the simulator knows
about it: which true event it describes (or none, for a false report), which independence group
it belongs to (one group per source and event; a copy joins the group of what it copies), and
what it copies.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from ceasefire.model.report import record_identity

__all__ = ["Output", "SourceSpec", "azimuth", "circle", "iso", "metres_between", "offset"]


@dataclass(frozen=True, slots=True)
class SourceSpec:
    """A simulated source, as the intake record's ``source`` object gives it."""

    id: str
    kind: str
    organisation: str
    reliability: str

    def to_dict(self) -> dict[str, str]:
        """Return the intake form."""
        return {
            "id": self.id,
            "kind": self.kind,
            "organisation": self.organisation,
            "reliability": self.reliability,
        }


def iso(moment: datetime) -> str:
    """Return the time as intake reads it: ISO 8601 with its offset, to the minute."""
    return moment.replace(second=0, microsecond=0).isoformat(timespec="minutes")


@cache
def _geod() -> Any:
    from pyproj import Geod

    return Geod(ellps="WGS84")


def circle(lon: float, lat: float, radius_m: float, points: int = 24) -> dict[str, Any]:
    """Return a GeoJSON Polygon approximating the circle of ``radius_m`` around (lon, lat)."""
    ring = []
    for index in range(points):
        bearing = 360.0 * index / points
        x, y, _ = _geod().fwd(lon, lat, bearing, radius_m)
        ring.append([round(float(x), 5), round(float(y), 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def metres_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the geodesic distance in metres between two (lon, lat) points."""
    _, _, distance = _geod().inv(a[0], a[1], b[0], b[1])
    return float(distance)


def azimuth(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Return the bearing from ``a`` to ``b`` in degrees, 0 = north, clockwise, in [0, 360)."""
    forward, _, _ = _geod().inv(a[0], a[1], b[0], b[1])
    return float(forward) % 360.0


def offset(lon: float, lat: float, sigma_m: float, rng: Any) -> tuple[float, float]:
    """Return (lon, lat) moved by a Gaussian error of ``sigma_m`` metres on each axis."""
    dx, dy = rng.gauss(0.0, sigma_m), rng.gauss(0.0, sigma_m)
    return (
        round(lon + dx / (111_320.0 * math.cos(math.radians(lat))), 6),
        round(lat + dy / 110_540.0, 6),
    )


@dataclass
class Output:
    """What a simulation run has emitted so far.

    Attributes:
        reports: intake records per file stem (``reports-mission`` and so on).
        coverage: coverage records (all in ``coverage-mission``).
        report_truth: one entry per report: id, source, source_ref, event, group, copy_of.
    """

    reports: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    coverage: list[dict[str, Any]] = field(default_factory=list)
    report_truth: list[dict[str, Any]] = field(default_factory=list)
    _refs: set[tuple[str, str]] = field(default_factory=set)

    def report(
        self,
        file: str,
        source: SourceSpec,
        ref: str,
        fields: dict[str, Any],
        *,
        event: str | None,
        group: str,
        copy_of: str | None = None,
    ) -> str:
        """Emit one report and return its id (the id intake will derive from source and ref).

        Args:
            file: the file stem it goes to.
            source: who reports.
            ref: the source's own reference (unique per source).
            fields: the rest of the intake record (observed_at, location, activity, ...).
            event: the true event it describes, or ``None`` for a false report.
            group: its independence group.
            copy_of: the id of the report it copies, if it is a copy.
        """
        assert (source.id, ref) not in self._refs, f"duplicate reference {source.id} {ref}"
        self._refs.add((source.id, ref))
        record = {"source": source.to_dict(), "source_ref": ref, **fields}
        self.reports.setdefault(file, []).append(record)
        report_id = record_identity(source.id, ref, dict, "r-", "c-")
        self.report_truth.append(
            {
                "id": report_id,
                "source": source.id,
                "source_ref": ref,
                "event": event,
                "group": group,
                "copy_of": copy_of,
            }
        )
        return report_id

    def coverage_record(
        self,
        source: SourceSpec,
        ref: str,
        status: str,
        window: tuple[datetime, datetime],
        sector: dict[str, Any],
        reason: str,
        imposed_by: str | None = None,
    ) -> None:
        """Emit one coverage record."""
        self.coverage.append(
            {
                "record": "coverage",
                "source": source.to_dict(),
                "source_ref": ref,
                "status": status,
                "observed_from": iso(window[0]),
                "observed_until": iso(window[1]),
                "sector": sector,
                "reason": reason,
                "imposed_by": imposed_by,
            }
        )
