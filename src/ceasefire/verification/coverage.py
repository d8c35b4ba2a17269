"""Coverage: what the mission could see each day, and what a quiet zone means.

"No violation observed" and "not observable" must never look alike. Coverage records (which
camera, patrol or UAV watched which sector when; outages, jamming, access denials) give a
*coverage map* per UTC day: the union of the sectors watched, less every sector some record says
was blind for part of that day (the conservative reading: a sector is counted watched only if
nothing says it was not). A zone a clause is checked over, on a day with no incident in it, then
gets a *sector finding*: ``no_violation`` ("no violation observed") when at least
``min_coverage`` of it was watched, else ``undetermined`` ("not observable"), naming what
blinded the mission. Days with no coverage record at all get no sector finding: nothing is
claimed about them either way.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import shapely
import shapely.errors
from shapely.geometry import mapping
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.zone import Zone
from ceasefire.model.coverage import Coverage, CoverageStatus
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability
from ceasefire.verification.settings import VerificationSettings

__all__ = ["CoverageDay", "coverage_days", "coverage_map", "sector_findings"]

_ORDER = "ABCDEF"


@dataclass(frozen=True)
class CoverageDay:
    """The coverage map of one UTC day.

    Args:
        day: the day.
        watched: the area watched (WGS84), blind sectors removed.
        blind: the area some record says could not be watched (outage, jamming, denial...).
        records: the coverage records overlapping the day.
    """

    day: date
    watched: BaseGeometry
    blind: BaseGeometry
    records: tuple[Coverage, ...]

    def to_geojson(self) -> dict[str, Any]:
        """Return the map as a GeoJSON FeatureCollection (``watched`` and ``blind`` features)."""
        features = [
            {"type": "Feature", "geometry": mapping(geometry), "properties": {"coverage": name}}
            for name, geometry in (("watched", self.watched), ("blind", self.blind))
            if not geometry.is_empty
        ]
        return {
            "type": "FeatureCollection",
            "properties": {"day": self.day.isoformat()},
            "features": features,
        }


def _bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time(0), tzinfo=UTC)
    return start, start + timedelta(days=1)


def coverage_days(records: Iterable[Coverage]) -> list[date]:
    """Return every UTC day some coverage record overlaps, in order."""
    days: set[date] = set()
    for record in records:
        day = record.observed_from.astimezone(UTC).date()
        while True:  # the first day always; each later one that starts before the window ends
            days.add(day)
            day += timedelta(days=1)
            if _bounds(day)[0] >= record.observed_until:
                break
    return sorted(days)


def coverage_map(records: Iterable[Coverage], day: date) -> CoverageDay:
    """Return the coverage map of one UTC day.

    Args:
        records: coverage records (any days; those not overlapping ``day`` are ignored).
        day: the day.
    """
    start, end = _bounds(day)
    overlapping = tuple(r for r in records if r.observed_from < end and r.observed_until > start)
    watching = [r.sector for r in overlapping if r.status is CoverageStatus.OBSERVING]
    blinded = [r.sector for r in overlapping if r.status is not CoverageStatus.OBSERVING]
    blind = shapely.union_all(blinded) if blinded else shapely.Polygon()
    seen = shapely.union_all(watching) if watching else shapely.Polygon()
    try:
        watched = seen.difference(blind)
    except shapely.errors.GEOSException:
        watched = shapely.make_valid(seen).difference(shapely.make_valid(blind))
    return CoverageDay(day, watched, blind, overlapping)


def _share(area: BaseGeometry, watched: BaseGeometry) -> float:
    """The share of ``area`` that ``watched`` covers (both in metres)."""
    if not area.area:
        return 0.0
    try:
        overlap = area.intersection(watched)
    except shapely.errors.GEOSException:
        overlap = shapely.make_valid(shapely.set_precision(area, 1.0)).intersection(watched)
    return float(overlap.area / area.area)


def _blinded_by(record: Coverage) -> str:
    who = f" by {record.imposed_by}" if record.imposed_by else ""
    why = f" ({record.reason})" if record.reason else ""
    return f"{record.status.value.replace('_', ' ')}{who}: {record.source.id}{why}"


def sector_findings(
    agreement: Agreement,
    records: Sequence[Coverage],
    touched: set[tuple[str, date]],
    settings: VerificationSettings,
) -> list[Finding]:
    """Return the sector findings of one agreement version over the days coverage covers.

    Args:
        agreement: the version; only days on which it is the version in force should be asked
            for, which the caller ensures by passing its records.
        records: the coverage records of the days to judge.
        touched: (zone id, day) pairs an incident finding already speaks for.
        settings: for ``min_coverage`` and the flags.

    Returns:
        One finding per (binding clause, zone, day) with no incident.
    """
    findings: list[Finding] = []
    for day in coverage_days(records):
        start, _end = _bounds(day)
        if start < agreement.in_force_from:
            continue
        cover = coverage_map(records, day)
        # Snapped to 1 m and made valid: sector unions from many sensors can come out with
        # slivers GEOS refuses to intersect ("side location conflict").
        watched = shapely.make_valid(
            shapely.set_precision(agreement.projection.to_metric(cover.watched), 1.0)
        )
        observers = {
            r.source.id: r.source for r in cover.records if r.status is CoverageStatus.OBSERVING
        }
        for clause in agreement.clauses_in_force(start):
            if clause.where.everywhere or not clause.is_binding(start):
                continue
            for zone_id in clause.where.zones:
                if (zone_id, day) in touched:
                    continue
                zone = agreement.zone(zone_id)
                area = zone.geometry_metric
                share = _share(area, watched)
                findings.append(
                    _sector_finding(
                        agreement, clause.id, zone, day, share, cover, observers, settings
                    )
                )
    return findings


def _sector_finding(
    agreement: Agreement,
    clause_id: str,
    zone: Zone,
    day: date,
    share: float,
    cover: CoverageDay,
    observers: dict[str, Any],
    settings: VerificationSettings,
) -> Finding:
    zone_id = zone.id
    if share >= settings.min_coverage:
        verdict = Verdict.NO_VIOLATION
        reasons = [
            f"no violation observed in {zone_id} on {day.isoformat()}: {share:.0%} of it "
            f"watched by {', '.join(sorted(observers))}"
        ]
        reliability = min((s.reliability for s in observers.values()), key=_ORDER.index)
        credibility = Credibility.PROBABLY_TRUE
    else:
        verdict = Verdict.UNDETERMINED
        reasons = [
            f"not observable: only {share:.0%} of {zone_id} was watched on "
            f"{day.isoformat()} (a quiet day needs {settings.min_coverage:.0%})"
        ]
        reasons += [
            _blinded_by(r)
            for r in cover.records
            if r.status is not CoverageStatus.OBSERVING and r.sector.intersects(zone.geometry)
        ]
        reliability, credibility = Reliability.F, Credibility.CANNOT_BE_JUDGED
    return Finding(
        id="",
        incident_id=None,
        agreement_id=agreement.id,
        agreement_version=agreement.version,
        clause_id=clause_id,
        verdict=verdict,
        reasons=tuple(reasons),
        reliability=reliability,
        credibility=credibility,
        independent_sources=len(observers) if verdict is Verdict.NO_VIOLATION else 0,
        flags=settings.flags,
        zones=(zone_id,),
        scope={"zone": zone_id, "day": day.isoformat()},
    ).with_identity()
