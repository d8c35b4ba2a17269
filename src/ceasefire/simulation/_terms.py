"""What the terms say about a true event: the verdict a perfect observer would reach.

This is ground truth, not inference: it holds the event as it really was (its true place, time,
weapon and actor) against each clause of the simulated agreement, using the agreement's own
zones and weapon classes. Verification has to reach the same verdicts from noisy, partial,
copied reports; the evaluation compares the two.

Besides the verdict, each entry lists the verdicts a careful verifier may fairly give instead
(``acceptable``): ``possible_violation`` where the true position lies within
:data:`BOUNDARY_MARGIN_M` of a zone's edge (the reports' error can put it either side), and
``no_violation`` beside ``exempt`` (a verifier may record an exemption as "not a violation").
"""

from __future__ import annotations

from dataclasses import dataclass

from shapely.geometry import Point

from ceasefire.agreement.clause import Clause
from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.weapon import WeaponFamily, WeaponObservation
from ceasefire.model.activity import Activity
from ceasefire.simulation._world import TrueEvent

__all__ = ["BOUNDARY_MARGIN_M", "ClauseTruth", "clause_truths"]

#: Distance from a zone's edge within which ``possible_violation`` is an acceptable verdict.
BOUNDARY_MARGIN_M = 1_500.0


@dataclass(frozen=True, slots=True)
class ClauseTruth:
    """The true verdict of one event against one clause."""

    clause_id: str
    verdict: str
    acceptable: tuple[str, ...]
    reason: str

    def to_dict(self) -> dict[str, object]:
        """Return the ``truth.json`` form."""
        return {
            "clause_id": self.clause_id,
            "verdict": self.verdict,
            "acceptable": list(self.acceptable),
            "reason": self.reason,
        }


def clause_truths(agreement: Agreement, event: TrueEvent) -> list[ClauseTruth]:
    """Return the true verdict of every clause the event's activity and weapon fall under.

    A clause is listed when it is binding at the event's time, names the event's activity and
    (if it names weapon classes) covers the true weapon. Its verdict is ``exempt`` when an
    exemption holds, ``violation`` when the event is in the clause's area and its actor is
    bound, else ``no_violation``.
    """
    truths = []
    for clause in agreement.clauses:
        if not clause.is_binding(event.started_at):
            continue
        if Activity(event.activity) not in clause.activities:
            continue
        if clause.weapon_classes and not _weapon_in(agreement, clause, event):
            continue
        truths.append(_judge(agreement, clause, event))
    return truths


def _classes(agreement: Agreement, event: TrueEvent) -> set[str]:
    """The weapon classes the true weapon falls in (none without a weapon)."""
    if event.weapon is None:
        return set()
    seen = WeaponObservation(
        family=WeaponFamily(event.weapon.family),
        calibre_mm=event.weapon.calibre_mm,
        system=event.weapon.system,
    )
    return set(agreement.classify(seen).classes)


def _weapon_in(agreement: Agreement, clause: Clause, event: TrueEvent) -> bool:
    return bool(_classes(agreement, event) & set(clause.weapon_classes))


def _judge(agreement: Agreement, clause: Clause, event: TrueEvent) -> ClauseTruth:
    for exemption in clause.who.exempt:
        actor_fits = exemption.actor in (None, event.actor)
        activity_fits = not exemption.activities or Activity(event.activity) in exemption.activities
        zone_fits = not exemption.zones or any(
            _in_zone(agreement, zone_id, event) for zone_id in exemption.zones
        )
        if actor_fits and activity_fits and zone_fits:
            return ClauseTruth(clause.id, "exempt", ("exempt", "no_violation"), exemption.note)
    if event.actor not in clause.who.parties:
        return ClauseTruth(clause.id, "no_violation", ("no_violation",), "actor not bound")
    if clause.where.everywhere:
        return ClauseTruth(clause.id, "violation", ("violation",), "prohibited everywhere")
    # A withdrawal zone excludes only its own weapon classes: a howitzer 40 km back stands in
    # the 70 km zone of the heavy MLRS, which does not concern it.
    classes = _classes(agreement, event)
    zones = [
        zone_id
        for zone_id in clause.where.zones
        if not agreement.zone(zone_id).weapon_classes
        or classes & set(agreement.zone(zone_id).weapon_classes)
    ]
    if not zones:
        return ClauseTruth(clause.id, "no_violation", ("no_violation",), "no zone for the weapon")
    inside = [z for z in zones if _in_zone(agreement, z, event)]
    margin = min(_edge_distance(agreement, z, event) for z in zones)
    near_edge = ("possible_violation",) if margin < BOUNDARY_MARGIN_M else ()
    if inside:
        reason = f"inside {', '.join(inside)}, {margin:.0f} m from the nearest zone edge"
        return ClauseTruth(clause.id, "violation", ("violation", *near_edge), reason)
    reason = f"outside the clause's zones, {margin:.0f} m from the nearest zone edge"
    return ClauseTruth(clause.id, "no_violation", ("no_violation", *near_edge), reason)


def _in_zone(agreement: Agreement, zone_id: str, event: TrueEvent) -> bool:
    zone = agreement.zone(zone_id)
    return zone.contains(event.lon, event.lat) and zone.active_at(event.started_at)


def _edge_distance(agreement: Agreement, zone_id: str, event: TrueEvent) -> float:
    zone = agreement.zone(zone_id)
    point = Point(agreement.projection.point_to_metric(event.lon, event.lat))
    return float(zone.geometry_metric.boundary.distance(point))
