"""Incident: what we believe happened, fused from one or more reports.

The fusion stage (:mod:`ceasefire.fusion`) makes incidents from reports; verification holds them
against the agreement and analysts move them through the review workflow below. An incident is
a stored, append-only record: when later reports join it, fusion writes a *new* incident that
names the old one in ``supersedes``, and the old one stays in the store and the ledger.

``Incident.to_dict()`` is the ``ceasefire incidents --format json`` object (a contract: see
``docs/fusion.md``); :func:`incident_from_dict` reads it back.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.model._fields import timestamp, vocabulary
from ceasefire.model.activity import Activity
from ceasefire.model.location import Estimate
from ceasefire.model.report import WeaponObservation

__all__ = [
    "Incident",
    "IncidentReport",
    "ReviewState",
    "Sector",
    "can_move",
    "incident_from_dict",
    "incident_id",
]


class ReviewState(StrEnum):
    """Where an incident stands in the analysts' workflow.

    ``reported → under_review → verified | unverified | disputed | refuted``; a decided incident
    may be reopened (back to ``under_review``) when new reports arrive, never silently changed.
    """

    REPORTED = "reported"  # fused from reports, nobody has looked yet
    UNDER_REVIEW = "under_review"  # an analyst has taken it
    VERIFIED = "verified"  # established; needs a second analyst's agreement (four eyes)
    UNVERIFIED = "unverified"  # could not be established either way with what we have
    DISPUTED = "disputed"  # a party contests it and the dispute stands
    REFUTED = "refuted"  # established that it did not happen as reported


_MOVES: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.REPORTED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.UNDER_REVIEW: frozenset(
        {ReviewState.VERIFIED, ReviewState.UNVERIFIED, ReviewState.DISPUTED, ReviewState.REFUTED}
    ),
    ReviewState.VERIFIED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.UNVERIFIED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.DISPUTED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.REFUTED: frozenset({ReviewState.UNDER_REVIEW}),
}


def can_move(current: ReviewState, target: ReviewState) -> bool:
    """Tell whether the workflow lets a decision move an incident from ``current`` to ``target``."""
    return target in _MOVES[current]


def incident_id(report_ids: Iterable[str]) -> str:
    """Derive an incident's id from the ids of the reports it holds.

    Order-free and deterministic: the same reports always make the same id, so fusing again
    writes nothing new, and an incident that gains a report gets a new id (and a ``supersedes``
    naming the old one) instead of an edit.
    """
    key = "\n".join(sorted(set(report_ids))).encode()
    return "i-" + hashlib.sha256(key).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class IncidentReport:
    """One report as fused into an incident, and whether it counts as independent corroboration.

    Args:
        id: the report's id.
        source: the report's source id.
        source_ref: the source's own reference for the report, if any.
        independent: ``True`` when this report is the one counted for its independence group
            (see :mod:`ceasefire.fusion.independence`); copies and repeats are ``False``.
        copy_of: the id of the report this one copies or repeats (same source, same evidence,
            near-identical text, same upstream item), or ``None``.
    """

    id: str
    source: str
    source_ref: str | None
    independent: bool
    copy_of: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form (``reports[]`` of the incidents contract)."""
        return {
            "id": self.id,
            "source": self.source,
            "source_ref": self.source_ref,
            "independent": self.independent,
            "copy_of": self.copy_of,
        }


@dataclass(frozen=True, slots=True)
class Sector:
    """Where a single bearing puts an event: a wedge from the observer, not a point.

    Args:
        observer_lon, observer_lat: the observer's position.
        bearing_deg: the bearing, 0 = north, clockwise.
        bearing_error_deg: the half-width of the wedge.
        range_min_m, range_max_m: the range band, when one was given.
    """

    observer_lon: float
    observer_lat: float
    bearing_deg: float
    bearing_error_deg: float
    range_min_m: float | None = None
    range_max_m: float | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "observer": {"lon": self.observer_lon, "lat": self.observer_lat},
            "bearing_deg": self.bearing_deg,
            "bearing_error_deg": self.bearing_error_deg,
            "range_m": (
                [self.range_min_m, self.range_max_m] if self.range_max_m is not None else None
            ),
        }


@dataclass(frozen=True, slots=True)
class Incident:
    """What we believe happened.

    Args:
        id: derived from the reports it holds (:func:`incident_id`).
        activity: the most specific activity the fused reports agree on.
        started_at, ended_at: the time window every report allows (aware).
        location: best estimate and radius, or ``None`` when only a sector is known.
        sector: for an event placed by one bearing only, the wedge it lies in; else ``None``.
        count: the fused count (explosions, projectiles), not the sum of duplicate reports.
        weapon: the weapon as far as the reports agree, or ``None``.
        reports: every report fused into it, each marked independent or a copy.
        independent_sources: how many independent sources back it (copies never count).
        settings: the fusion settings and flags it was made with (for traceability).
        supersedes: the id of the incident this one replaces (it gained reports), or ``None``.
        state: the review state it was recorded in.
        origin: the estimated origin of fire (from intersected bearings or reported origins),
            apart from ``location``, the point of impact or observation; ``None`` if unknown.
    """

    id: str
    activity: Activity
    started_at: datetime
    ended_at: datetime
    location: Estimate | None
    count: int
    reports: tuple[IncidentReport, ...]
    independent_sources: int
    sector: Sector | None = None
    weapon: WeaponObservation | None = None
    settings: Mapping[str, Any] = field(default_factory=dict)
    supersedes: str | None = None
    state: ReviewState = ReviewState.REPORTED
    origin: Estimate | None = None

    @property
    def report_ids(self) -> tuple[str, ...]:
        """The ids of every report fused into the incident."""
        return tuple(item.id for item in self.reports)

    @property
    def independent_report_ids(self) -> tuple[str, ...]:
        """The ids of the reports counted as independent corroboration."""
        return tuple(item.id for item in self.reports if item.independent)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form: the ``ceasefire incidents --format json`` object, extras last."""
        return {
            "id": self.id,
            "activity": self.activity.value,
            "started_at": self.started_at.isoformat(),
            "ended_at": self.ended_at.isoformat(),
            "location": _estimate_dict(self.location),
            "count": self.count,
            "independent_sources": self.independent_sources,
            "reports": [item.to_dict() for item in self.reports],
            "state": self.state.value,
            "weapon": self.weapon.to_dict() if self.weapon else None,
            "sector": self.sector.to_dict() if self.sector else None,
            "origin": _estimate_dict(self.origin),
            "supersedes": self.supersedes,
            "settings": dict(self.settings),
        }


def _estimate_dict(estimate: Estimate | None) -> dict[str, float] | None:
    if estimate is None:
        return None
    return {"lon": estimate.lon, "lat": estimate.lat, "radius_m": estimate.uncertainty_m}


def incident_from_dict(data: Mapping[str, Any]) -> Incident:
    """Read an incident from its JSON form (as stored, or as ``incidents --format json`` prints).

    Raises:
        RecordRejected: a field is missing or malformed; the error names it.
    """
    reports_raw = data.get("reports")
    if not isinstance(reports_raw, list) or not reports_raw:
        raise RecordRejected("reports", "must be a non-empty list")
    reports = tuple(_incident_report(item, f"reports[{n}]") for n, item in enumerate(reports_raw))
    weapon_raw = data.get("weapon")
    return Incident(
        id=str(data.get("id") or ""),
        activity=vocabulary(Activity, data.get("activity"), "activity"),
        started_at=timestamp(data.get("started_at"), "started_at"),
        ended_at=timestamp(data.get("ended_at"), "ended_at"),
        location=_estimate(data.get("location"), "location"),
        count=int(data.get("count") or 1),
        reports=reports,
        independent_sources=int(data.get("independent_sources") or 0),
        sector=_sector(data.get("sector")),
        weapon=WeaponObservation(**weapon_raw) if isinstance(weapon_raw, dict) else None,
        settings=dict(data.get("settings") or {}),
        supersedes=data.get("supersedes") or None,
        state=vocabulary(ReviewState, data.get("state") or "reported", "state"),
        origin=_estimate(data.get("origin"), "origin"),
    )


def _incident_report(raw: Any, name: str) -> IncidentReport:
    if not isinstance(raw, dict) or not raw.get("id") or not raw.get("source"):
        raise RecordRejected(name, "must be an object with at least id and source")
    return IncidentReport(
        id=str(raw["id"]),
        source=str(raw["source"]),
        source_ref=raw.get("source_ref"),
        independent=bool(raw.get("independent")),
        copy_of=raw.get("copy_of"),
    )


def _estimate(raw: Any, name: str) -> Estimate | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or not {"lon", "lat", "radius_m"} <= raw.keys():
        raise RecordRejected(name, "must be {lon, lat, radius_m} or null")
    return Estimate(float(raw["lon"]), float(raw["lat"]), float(raw["radius_m"]))


def _sector(raw: Any) -> Sector | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "observer" not in raw or "bearing_deg" not in raw:
        raise RecordRejected(
            "sector", "must be {observer, bearing_deg, bearing_error_deg, range_m}"
        )
    band = raw.get("range_m") or [None, None]
    return Sector(
        observer_lon=float(raw["observer"]["lon"]),
        observer_lat=float(raw["observer"]["lat"]),
        bearing_deg=float(raw["bearing_deg"]),
        bearing_error_deg=float(raw.get("bearing_error_deg") or 11.25),
        range_min_m=None if band[0] is None else float(band[0]),
        range_max_m=None if band[1] is None else float(band[1]),
    )
