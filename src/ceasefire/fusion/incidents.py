"""From groups of reports to incidents: the pure planning step of fusion (no store).

:func:`plan_incidents` takes new reports and the existing incidents they may join, runs an
engine, and returns the incidents to write: new ones, and for every existing incident that
gained reports a new record that names it in ``supersedes``. The golden cases
(``tests/cases``) call it directly: reports in, incidents out.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from ceasefire.fusion._rows import build_points, report_window
from ceasefire.fusion.bearings import place
from ceasefire.fusion.engine import Engine, InProcessEngine
from ceasefire.fusion.independence import independence
from ceasefire.fusion.settings import FusionSettings
from ceasefire.geo.projection import LocalProjection
from ceasefire.model.activity import Activity
from ceasefire.model.incident import Incident, incident_id
from ceasefire.model.location import Location
from ceasefire.model.report import Report, WeaponObservation

__all__ = ["build_incident", "plan_incidents"]

#: Activities that say less than another they are compatible with (the incident takes the other).
_GENERIC = frozenset({Activity.EXPLOSION, Activity.SMALL_ARMS_FIRE})


def plan_incidents(
    reports: Sequence[Report],
    *,
    anchors: Sequence[Incident] = (),
    members_of: Callable[[Incident], Sequence[Report]] | None = None,
    settings: FusionSettings | None = None,
    engine: Engine | None = None,
    step: Callable[[str], None] | None = None,
) -> list[Incident]:
    """Fuse new reports, joining existing incidents where they fit; return what to write.

    Args:
        reports: reports not yet in any incident.
        anchors: current incidents the new reports may join (never merged with each other).
        members_of: returns the reports of an anchor; called only for anchors that gain
            reports, to re-make them (required when ``anchors`` is not empty).
        settings: the gates; the defaults if omitted.
        engine: the clustering engine; the in-process one if omitted.
        step: called with the name of each phase as it starts (for progress and profiling).

    Returns:
        The incidents to store, ordered by their earliest report; an anchor that gained
        nothing is not repeated.
    """
    settings = settings or FusionSettings()
    engine = engine or InProcessEngine()
    say = step or (lambda _name: None)
    say("projecting")
    ordered = sorted(reports, key=lambda r: (report_window(r, settings)[0], r.id))
    if not ordered:
        return []
    points, projection = build_points(anchors, ordered, settings)
    say("clustering")
    labels = engine.labels(points, settings)
    say("building incidents")
    count = len(anchors)
    groups: dict[int, list[int]] = {}
    for row, label in enumerate(labels.tolist()):
        groups.setdefault(label, []).append(row)
    planned: list[Incident] = []
    for rows in groups.values():
        anchor = anchors[rows[0]] if rows[0] < count else None
        new = [ordered[row - count] for row in rows if row >= count]
        if not new:
            continue
        previous: list[Report] = []
        if anchor is not None:
            if members_of is None:
                raise ValueError("members_of is required to re-make an incident that gains reports")
            previous = list(members_of(anchor))
        planned.append(build_incident([*previous, *new], settings, projection, anchor))
    return sorted(planned, key=lambda item: (item.started_at, item.id))


def build_incident(
    members: Sequence[Report],
    settings: FusionSettings,
    projection: LocalProjection,
    supersedes: Incident | None = None,
) -> Incident:
    """Make the incident of one group of mutually compatible reports."""
    entries, independent = independence(members, settings)
    counted = {entry.id for entry in entries if entry.independent}
    witnesses = [report for report in members if report.id in counted]
    placement = place([r.location for r in witnesses], settings, projection)
    origins: list[Location] = [r.origin for r in witnesses if r.origin is not None]
    origin = place(origins, settings, projection).estimate if origins else None
    started, ended = _window(members, settings)
    return Incident(
        id=incident_id(entry.id for entry in entries),
        activity=_activity(members),
        started_at=started,
        ended_at=ended,
        location=placement.estimate,
        count=max(report.count for report in members),
        reports=entries,
        independent_sources=independent,
        sector=placement.sector,
        weapon=_weapon(members),
        settings=_recorded(settings),
        supersedes=supersedes.id if supersedes is not None else None,
        origin=origin,
    )


@functools.lru_cache(maxsize=8)
def _recorded(settings: FusionSettings) -> dict[str, Any]:
    """The settings as recorded on incidents: made once per settings, not once per incident."""
    return settings.to_dict()


def _window(members: Sequence[Report], settings: FusionSettings) -> tuple[datetime, datetime]:
    """The window every report allows (their intersection), or their hull if they do not meet."""
    windows = [report_window(r, settings) for r in members]
    start, end = max(w[0] for w in windows), min(w[1] for w in windows)
    if start > end:
        start, end = min(w[0] for w in windows), max(w[1] for w in windows)
    return datetime.fromtimestamp(start, UTC), datetime.fromtimestamp(end, UTC)


def _activity(members: Sequence[Report]) -> Activity:
    """The most specific activity reported (the commonest, then the earliest, among those)."""
    said = [report.activity for report in members]
    specific = [activity for activity in said if activity not in _GENERIC] or said
    tally = Counter(specific)
    best = max(tally.values())
    return next(activity for activity in specific if tally[activity] == best)


def _weapon(members: Sequence[Report]) -> WeaponObservation | None:
    """What the reports agree on about the weapon: each part kept only if no report differs."""
    seen = [report.weapon for report in members if report.weapon is not None]
    if not seen:
        return None
    families = {w.family for w in seen if w.family is not None}
    calibres = {w.calibre_mm for w in seen if w.calibre_mm is not None}
    systems = {w.system for w in seen if w.system is not None}
    weapon = WeaponObservation(
        family=families.pop() if len(families) == 1 else None,
        calibre_mm=calibres.pop() if len(calibres) == 1 else None,
        system=systems.pop() if len(systems) == 1 else None,
    )
    return None if weapon == WeaponObservation() else weapon
