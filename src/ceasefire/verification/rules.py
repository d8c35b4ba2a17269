"""The rules: one incident against one clause, giving a verdict and the reasons for it.

Every question a rule asks is three-valued plus "no data" (:class:`Tri`): is the weapon of a
class the clause regulates (yes / no / can't tell from what was seen)? Is the incident in the
zone (inside / outside / its uncertainty straddles the boundary / no location)? Answers combine
as logic does, and the combination maps onto the verdicts: yes → ``violation``, maybe →
``possible_violation``, no → ``no_violation``, no data → ``undetermined``.

One rule covers every clause the agreement format can state, because a clause says what it
prohibits (activities, weapon classes), where (zones or everywhere), whom it binds (parties,
exemptions) and when (in force, deadline). The issue's list maps onto it: weapons in withdrawal
zones (``weapon_presence`` × withdrawal zones), heavy weapons in or near settlements (× settlement
zones), mine laying and presence in disengagement areas, firing where banned incl. sniper fire
(``everywhere``), aerial vehicles (the monitors' UAVs exempt by the clause's own exemption),
freedom-of-movement restrictions and attacks on monitors, and the live-fire exemption (``exempt``
when inside the area within its window; ``possible_violation`` when the location straddles it).
Fire in or near a disengagement area is named in the reasons of the firing clause's finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC
from enum import IntEnum

from ceasefire.agreement.clause import Clause, Exemption
from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.weapon import Classification, WeaponObservation
from ceasefire.agreement.zone import Zone, ZoneKind
from ceasefire.model.finding import Verdict
from ceasefire.verification.attribution import FIRE
from ceasefire.verification.facts import Facts
from ceasefire.verification.geometry import Place, PointSet
from ceasefire.verification.settings import VerificationSettings

__all__ = ["Judgement", "Tri", "judge"]


class Tri(IntEnum):
    """A rule's answer; combined with :func:`_both` (and) and :func:`_either` (or)."""

    NO = 0
    UNKNOWN = 1  # no data to answer with
    MAYBE = 2  # the data allows both answers
    YES = 3


_VERDICT = {
    Tri.YES: Verdict.VIOLATION,
    Tri.MAYBE: Verdict.POSSIBLE_VIOLATION,
    Tri.NO: Verdict.NO_VIOLATION,
    Tri.UNKNOWN: Verdict.UNDETERMINED,
}
_PLACE = {
    Place.INSIDE: Tri.YES,
    Place.STRADDLES: Tri.MAYBE,
    Place.OUTSIDE: Tri.NO,
    Place.UNKNOWN: Tri.UNKNOWN,
}


def _both(*values: Tri) -> Tri:
    for answer in (Tri.NO, Tri.UNKNOWN, Tri.MAYBE):
        if answer in values:
            return answer
    return Tri.YES


def _either(values: list[Tri]) -> Tri:
    for answer in (Tri.YES, Tri.MAYBE, Tri.UNKNOWN):
        if answer in values:
            return answer
    return Tri.NO


@dataclass
class Judgement:
    """A verdict with its reasons and the zones it turned on."""

    verdict: Verdict
    reasons: list[str] = field(default_factory=list)
    zones: list[str] = field(default_factory=list)


def _km(metres: float) -> str:
    return f"{metres / 1000:.1f} km"


_FAMILY_WORDS = {"mlrs": "MLRS", "self_propelled_gun": "self-propelled gun", "uav": "UAV"}


def _describe_weapon(facts: Facts, classification: Classification | None) -> str:
    if facts.weapon is None or classification is None:
        return "a weapon (not identified)" if facts.weapon is None else "a weapon"
    seen = classification.observation
    parts = []
    if seen.calibre_mm is not None:
        parts.append(f"{seen.calibre_mm:g} mm")
    parts.append(
        _FAMILY_WORDS.get(str(seen.family), str(seen.family).replace("_", " "))
        if seen.family
        else "weapon"
    )
    text = " ".join(parts)
    return f"{text} ({seen.system})" if seen.system else text


def _weapon_answer(classes: set[str], classification: Classification | None) -> Tri:
    if not classes:
        return Tri.YES
    if classification is None:
        return Tri.UNKNOWN
    if classes & classification.classes:
        return Tri.YES
    return Tri.MAYBE if classes & classification.undetermined else Tri.NO


def _where(zone: Zone, facts: Facts, place: Place, points: PointSet, i: int) -> str:
    """Say where the incident is relative to one zone, in a commission's words."""
    assert facts.lon is not None
    assert facts.lat is not None
    plus = f" (±{_km(facts.radius_m)})" if facts.radius_m > 0 else ""
    buffer = zone.derived_from.get("buffer")
    around = zone.derived_from.get("around")
    distance = points.distance_to(f"ref:{zone.id}", zone.reference, i) if zone.reference else None
    if buffer and distance is not None:
        side = buffer.get("side", "both")
        on = f" on the {side} side" if side != "both" else ""
        text = f"{_km(distance)}{plus} from {zone.line or 'the line'}{on}"
        need = f"requires {buffer['km']:g} km ({zone.id})"
    elif around and distance is not None:
        text = f"{_km(distance)}{plus} from the nearest listed place of {zone.id}"
        need = f"covers {around['km']:g} km around each"
    else:
        state = {Place.INSIDE: "inside", Place.OUTSIDE: "outside"}.get(place, "at the edge of")
        text, need = f"{state} {zone.name or zone.id}{plus}", f"covers {zone.id}"
    if place is Place.STRADDLES:
        text += ", its uncertainty straddling the zone's boundary"
    return f"{text}; the clause {need}"


def _gap(zone: Zone, points: PointSet, i: int) -> float:
    """Metres from the incident to the zone (0 inside), to name the nearest zone it is not in."""
    return float(zone.geometry_metric.distance(points.point(i)))


def _classify(agreement: Agreement, weapon: WeaponObservation) -> Classification:
    """Classify a weapon, once per (agreement version, observation): observations repeat."""
    key = (agreement.id, agreement.version, agreement.sha256, weapon)
    found = _CLASSIFIED.get(key)
    if found is None:
        if len(_CLASSIFIED) > 10_000:
            _CLASSIFIED.clear()
        found = _CLASSIFIED[key] = agreement.classify(weapon)
    return found


_CLASSIFIED: dict[tuple[str, str, str, WeaponObservation], Classification] = {}


def _zone_rule(
    facts: Facts, i: int, clause: Clause, agreement: Agreement, points: PointSet
) -> Judgement:
    classification = _classify(agreement, facts.weapon) if facts.weapon is not None else None
    weapon = _describe_weapon(facts, classification)
    answers: list[tuple[Tri, Zone, Place, Tri]] = []
    for zone_id in clause.where.zones:
        zone = agreement.zone(zone_id)
        classes = set(clause.weapon_classes)
        if zone.weapon_classes:
            classes = (classes & set(zone.weapon_classes)) if classes else set(zone.weapon_classes)
        w = _weapon_answer(classes, classification)
        place = Place(int(points.places(zone)[i]))
        answers.append((_both(w, _PLACE[place]), zone, place, w))
    result = _either([a for a, *_ in answers])
    judgement = Judgement(_VERDICT[result])
    activity = facts.activity.value.replace("_", " ")
    what = (
        f"{weapon} observed"
        if facts.weapon is not None or clause.weapon_classes
        else (f"{activity} observed")
    )
    if result is Tri.NO and all(w is Tri.NO for *_, w in answers):
        judgement.reasons.append(
            f"{weapon} is not of a class clause {clause.id} regulates ("
            + ", ".join(agreement.weapon_class(c).name for c in clause.weapon_classes)
            + ")"
        )
        return judgement
    if facts.lon is None:
        judgement.reasons.append(
            f"{what}, but only a sector is known: it cannot be placed in or out of the zones "
            f"of clause {clause.id}"
        )
        return judgement
    decisive: list[tuple[Zone, Place, Tri]] = [
        (zone, place, w) for a, zone, place, w in answers if a is result
    ]
    if result is Tri.NO:  # say why not by the nearest zone of the right class
        candidates: list[tuple[Zone, Place, Tri]] = [
            (z, p, w) for a, z, p, w in answers if w is not Tri.NO
        ]
        decisive = sorted(candidates, key=lambda c: _gap(c[0], points, i))[:1]
    for zone, place, w in decisive:
        judgement.zones.append(zone.id)
        sentence = f"{what} {_where(zone, facts, place, points, i)}"
        if w is Tri.MAYBE:
            sentence += "; what was seen cannot tell whether the weapon is of the zone's class"
        elif w is Tri.UNKNOWN:
            sentence += "; the weapon was not identified, so its class cannot be told"
        judgement.reasons.append(sentence)
    return judgement


def _is_inventory_clause(clause: Clause, agreement: Agreement) -> bool:
    """A clause over storage sites with agreed lists: weapons must be there, not absent."""
    zones = [agreement.zone(z) for z in clause.where.zones]
    return bool(zones) and all(z.kind is ZoneKind.STORAGE_SITE and z.inventory for z in zones)


def _listed_as(agreement: Agreement, name: str) -> str:
    """The catalogue name an agreed list's entry stands for (its own name if not catalogued)."""
    system = agreement.catalogue.get(name)
    return system.name if system is not None else name


def _inventory_rule(
    facts: Facts, i: int, clause: Clause, agreement: Agreement, points: PointSet
) -> Judgement:
    """Reconcile a count made at a storage site with the site's agreed list."""
    classification = _classify(agreement, facts.weapon) if facts.weapon is not None else None
    system = classification.system if classification is not None else None
    answers: list[Tri] = []
    judgement = Judgement(Verdict.NO_VIOLATION)
    for zone_id in clause.where.zones:
        zone = agreement.zone(zone_id)
        place = Place(int(points.places(zone)[i]))
        if place is Place.OUTSIDE:
            continue
        judgement.zones.append(zone.id)
        name = zone.name or zone.id
        if place is Place.UNKNOWN or system is None:
            answers.append(Tri.UNKNOWN)
            judgement.reasons.append(
                f"a count at {name} needs a location and a named weapon system to be matched "
                "against the agreed list"
            )
            continue
        items = [it for it in zone.inventory if _listed_as(agreement, it.system) == system.name]
        if not items:
            answers.append(Tri.NO)
            judgement.reasons.append(f"{system.name} is not on the agreed list of {name}")
            continue
        agreed = sum(it.count for it in items)
        missing = agreed - facts.count
        if missing > 0:
            answers.append(Tri.YES if place is Place.INSIDE else Tri.MAYBE)
            judgement.reasons.append(
                f"{facts.count} of {agreed} agreed {system.name} counted at {name}: "
                f"{missing} missing"
                + (
                    "; the location straddles the site's boundary"
                    if place is Place.STRADDLES
                    else ""
                )
            )
        else:
            answers.append(Tri.NO)
            judgement.reasons.append(f"all {agreed} agreed {system.name} counted at {name}")
    if not answers:
        judgement.reasons.append(f"not at a storage site of clause {clause.id}")
    judgement.verdict = _VERDICT[_either(answers)]
    return judgement


def _exemption(
    exemption: Exemption, facts: Facts, i: int, agreement: Agreement, points: PointSet
) -> tuple[Tri, str]:
    """Return whether the exemption covers the incident, and a sentence saying why."""
    if exemption.activities and facts.activity not in exemption.activities:
        return Tri.NO, ""
    if exemption.actor is not None and facts.actors != {exemption.actor}:
        return Tri.NO, ""
    if not exemption.zones:
        return Tri.YES, f"exempt: {exemption.note.strip()}"
    answers: list[Tri] = []
    notes: list[str] = []
    for zone_id in exemption.zones:
        zone = agreement.zone(zone_id)
        place = _PLACE[Place(int(points.places(zone)[i]))]
        if place in (Tri.YES, Tri.MAYBE) and not zone.active_at(facts.started_at):
            notes.append(f"inside {zone.id} but outside its notified windows: not exempt")
            place = Tri.NO
        elif place is Tri.YES:
            notes.append(f"inside {zone.id} during its notified window: {exemption.note.strip()}")
        elif place is Tri.MAYBE:
            notes.append(f"the location straddles the boundary of {zone.id}: it may be exempt")
        answers.append(place)
    return _either(answers), "; ".join(notes)


def _binding(facts: Facts, clause: Clause) -> Tri:
    if clause.is_binding(facts.started_at):
        return Tri.YES
    return Tri.MAYBE if clause.is_binding(facts.ended_at) else Tri.NO


def judge(
    facts: Facts,
    i: int,
    clause: Clause,
    agreement: Agreement,
    points: PointSet,
    settings: VerificationSettings,
) -> Judgement:
    """Hold one incident against one clause whose activities include the incident's.

    Args:
        facts: the incident.
        i: its index in ``points``.
        clause: the clause (in force at the incident's start).
        agreement: the version the clause belongs to.
        points: every incident location of this version, projected once.
        settings: the verification settings.

    Returns:
        The verdict, reasons and zones.
    """
    binding = _binding(facts, clause)
    deadline = clause.when.binding_from.astimezone(UTC).isoformat(timespec="minutes")
    if binding is Tri.NO:
        return Judgement(
            Verdict.NO_VIOLATION,
            [
                f"clause {clause.id} is binding only from its deadline {deadline}; the incident "
                f"({facts.started_at.astimezone(UTC).isoformat(timespec='minutes')}) precedes it"
            ],
        )
    if clause.where.everywhere:
        judgement = Judgement(
            Verdict.VIOLATION,
            [
                f"{facts.activity.value.replace('_', ' ')} "
                f"observed; clause {clause.id} bans it everywhere"
            ],
        )
        if facts.activity in FIRE:
            _near_disengagement(judgement, i, agreement, points, settings)
    elif _is_inventory_clause(clause, agreement):
        judgement = _inventory_rule(facts, i, clause, agreement, points)
    else:
        judgement = _zone_rule(facts, i, clause, agreement, points)
    result = {v: k for k, v in _VERDICT.items()}[judgement.verdict]
    if result in (Tri.YES, Tri.MAYBE):
        if binding is Tri.MAYBE:
            judgement.reasons.append(f"the incident's time window spans the deadline {deadline}")
            result = _both(result, Tri.MAYBE)
        bound = set(clause.who.parties)
        for exemption in clause.who.exempt:
            exempt, note = _exemption(exemption, facts, i, agreement, points)
            if note:
                judgement.reasons.append(note)
            if exempt is Tri.YES:
                judgement.verdict = Verdict.EXEMPT
                return judgement
            if exempt is Tri.MAYBE:
                result = _both(result, Tri.MAYBE)
        if facts.actors and not facts.actors & bound:
            judgement.reasons.append(
                f"carried out by {', '.join(sorted(facts.actors))}, whom clause {clause.id} does "
                "not bind"
            )
            result = Tri.NO
        independent = facts.independent
        if result is Tri.YES and independent and all(s.is_party for s in independent):
            judgement.reasons.append(
                "reported only in party complaints ("
                + ", ".join(sorted({s.source_id for s in independent}))
                + "): a claim the mission has not observed"
            )
            result = Tri.MAYBE
    judgement.verdict = _VERDICT[result]
    return judgement


def _near_disengagement(
    judgement: Judgement,
    i: int,
    agreement: Agreement,
    points: PointSet,
    settings: VerificationSettings,
) -> None:
    for zone in agreement.zones:
        if zone.kind is not ZoneKind.DISENGAGEMENT:
            continue
        if points.within(zone, settings.near_disengagement_m)[i]:
            name = zone.name or zone.id
            inside = Place(int(points.places(zone)[i])) is Place.INSIDE
            near = f"within {_km(settings.near_disengagement_m)} of"
            judgement.reasons.append(f"{'inside' if inside else near} {name}")
            judgement.zones.append(zone.id)
