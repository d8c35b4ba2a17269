"""What verification needs to know about an incident, gathered once from it and its reports.

Fusion's :class:`~ceasefire.model.incident.Incident` says what happened, where and when, and
which reports back it (and which of them are independent); the rules also need what only the
reports say: who was seen doing it (``actor``), where fire came from (``origin``), what each
party claims, and the sources' Admiralty grades. :func:`facts_of` reads all of that into one
:class:`Facts`, so the rules never reach back into the store.

The incident is read through the small :class:`IncidentLike` protocol (the contract of issue 9),
so the rules can be tested on incidents built by hand.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from ceasefire.agreement.weapon import WeaponFamily, WeaponObservation
from ceasefire.model.activity import Activity
from ceasefire.model.report import Credibility, Report
from ceasefire.model.source import Reliability, SourceKind

__all__ = ["Facts", "IncidentLike", "ReportLookup", "SourceView", "facts_of", "weapon_seen"]

#: Returns a stored report by id, or ``None`` when it is not stored.
ReportLookup = Callable[[str], Report | None]


class IncidentLike(Protocol):
    """The fields of an incident verification reads (the issue 9 contract)."""

    @property
    def id(self) -> str: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def started_at(self) -> datetime: ...
    @property
    def ended_at(self) -> datetime: ...
    @property
    def location(self) -> Any: ...
    @property
    def count(self) -> int: ...
    @property
    def weapon(self) -> Any: ...
    @property
    def reports(self) -> Sequence[Any]: ...
    @property
    def independent_sources(self) -> int: ...


@dataclass(frozen=True, slots=True)
class SourceView:
    """One report behind an incident, as grading and attribution see it."""

    report_id: str
    source_id: str
    kind: SourceKind
    organisation: str | None
    reliability: Reliability
    credibility: Credibility
    independent: bool
    actor: str | None
    attributed_to: str | None
    attribution_basis: str | None

    @property
    def is_party(self) -> bool:
        """Whether the source is a party's own channel (its complaints are claims)."""
        return self.kind is SourceKind.PARTY_COMPLAINT


@dataclass(frozen=True, slots=True)
class Facts:
    """One incident as the rules see it.

    Args:
        incident_id, activity, started_at, ended_at, count: from the incident.
        lon, lat, radius_m: the location estimate, or ``None`` when only a sector is known.
        weapon: the weapon as the agreement's taxonomy reads it, or ``None``.
        origin: (lon, lat, radius_m) of the origin of fire, when the reports give one.
        sources: every report behind the incident, copies included (marked not independent).
        independent_sources: the fused count of independent sources.
    """

    incident_id: str
    activity: Activity
    started_at: datetime
    ended_at: datetime
    count: int
    lon: float | None
    lat: float | None
    radius_m: float
    weapon: WeaponObservation | None
    origin: tuple[float, float, float] | None
    sources: tuple[SourceView, ...]
    independent_sources: int

    @property
    def independent(self) -> tuple[SourceView, ...]:
        """The sources that count as independent corroboration."""
        return tuple(s for s in self.sources if s.independent)

    @property
    def actors(self) -> frozenset[str]:
        """The actors the mission's own (non-party) sources saw."""
        return frozenset(s.actor for s in self.sources if s.actor and not s.is_party)


def weapon_seen(raw: Any) -> WeaponObservation | None:
    """Return a report's or incident's weapon in the agreement's taxonomy (unknown family: none).

    Args:
        raw: an object or mapping with ``family``, ``calibre_mm`` and ``system``, or ``None``.
    """
    if raw is None:
        return None
    family_raw, calibre, system = (_get(raw, k) for k in ("family", "calibre_mm", "system"))
    try:
        family = WeaponFamily(family_raw) if family_raw else None
    except ValueError:
        family = None  # a family outside the taxonomy tells the rules nothing they can use
    if family is None and calibre is None and not system:
        return None
    return WeaponObservation(
        family=family, calibre_mm=None if calibre is None else float(calibre), system=system
    )


def _get(item: Any, key: str) -> Any:
    """Read a field of a mapping or an object alike (incidents come as either)."""
    return item.get(key) if isinstance(item, dict) else getattr(item, key, None)


def _point(location: Any) -> tuple[float, float, float]:
    """Return (lon, lat, radius in metres) of an estimate given as ``radius_m`` or
    ``uncertainty_m``."""
    radius = _get(location, "radius_m")
    if radius is None:
        radius = _get(location, "uncertainty_m")
    return float(_get(location, "lon")), float(_get(location, "lat")), float(radius or 0.0)


def _origin(reports: Sequence[Report]) -> tuple[float, float, float] | None:
    """The tightest origin of fire any report gives (fusion intersects bearings; we read it)."""
    best: tuple[float, float, float] | None = None
    for report in reports:
        estimate = report.origin.estimate() if report.origin is not None else None
        if estimate is not None and (best is None or estimate.uncertainty_m < best[2]):
            best = (estimate.lon, estimate.lat, estimate.uncertainty_m)
    return best


def facts_of(incident: IncidentLike, lookup: ReportLookup) -> Facts:
    """Gather what the rules need about one incident.

    Args:
        incident: the incident.
        lookup: finds its reports; a report not stored is left out (and so cannot count).

    Returns:
        The facts.
    """
    views: list[SourceView] = []
    found: list[Report] = []
    for ref in incident.reports:
        report = lookup(ref.id)
        if report is None:
            continue
        found.append(report)
        views.append(
            SourceView(
                report_id=report.id,
                source_id=report.source.id,
                kind=report.source.kind,
                organisation=report.source.organisation,
                reliability=report.source.reliability,
                credibility=report.credibility,
                independent=bool(getattr(ref, "independent", True)),
                actor=report.actor,
                attributed_to=report.attributed_to,
                attribution_basis=report.attribution_basis,
            )
        )
    lon: float | None = None
    lat: float | None = None
    radius = math.inf
    if incident.location is not None:
        lon, lat, radius = _point(incident.location)
    origin = getattr(incident, "origin", None)
    return Facts(
        incident_id=incident.id,
        activity=Activity(incident.activity),
        started_at=incident.started_at,
        ended_at=incident.ended_at,
        count=int(incident.count),
        lon=lon,
        lat=lat,
        radius_m=radius,
        weapon=weapon_seen(incident.weapon),
        origin=_point(origin) if origin is not None else _origin(found),
        sources=tuple(views),
        independent_sources=int(incident.independent_sources),
    )
