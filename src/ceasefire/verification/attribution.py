"""Attribution: which party an incident is attributed to, and on what basis, or undetermined.

The bases, tried in this order (the first that decides wins; conflicting answers leave it
undetermined):

1. **admission**: a party's own channel reports the act as its own (its complaint names itself
   as the actor or the responsible party);
2. **observed actor**: the mission's own sources (anything but a party's complaint) saw who did
   it (``actor``), and they agree;
3. **position relative to the line**, for presence (weapons, troops, mines): a weapon stands on
   the side of the line it is seen on, and that side's holder holds it; a location whose
   uncertainty reaches across the line decides nothing;
4. **direction of fire**, for firing: the origin of fire (an ``origin`` in the reports, or
   fusion's intersection of bearings) lies certainly on one side of the line.

A party's complaint about the other side is a *claim*: it is named in the reasons, never a basis
on its own. Which party a complaint channel speaks for is read from its source: the party id must
appear as a word in the source's id or organisation (``party-ua-liaison`` → ``UA``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import shapely
from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.line import ReferenceLine
from ceasefire.agreement.terms import Agreement
from ceasefire.model.activity import Activity
from ceasefire.verification.facts import Facts, SourceView

__all__ = ["Attribution", "attribute", "party_of", "side_of_line"]

#: Activities whose author is the holder of the ground they are seen on.
PRESENCE = frozenset({Activity.WEAPON_PRESENCE, Activity.TROOP_PRESENCE, Activity.MINE_LAYING})
#: Activities whose author is found from where the fire came from.
FIRE = frozenset(
    {
        Activity.EXPLOSION,
        Activity.ARTILLERY_FIRE,
        Activity.MORTAR_FIRE,
        Activity.MLRS_FIRE,
        Activity.SMALL_ARMS_FIRE,
        Activity.SNIPER_FIRE,
        Activity.DRONE_STRIKE,
    }
)


@dataclass(frozen=True, slots=True)
class Attribution:
    """The attributed party (or ``None``), the basis, and sentences for the finding's reasons."""

    party: str | None
    basis: str
    notes: tuple[str, ...] = ()


def party_of(source: SourceView, party_ids: frozenset[str]) -> str | None:
    """Return the party a complaint channel speaks for, read from its id or organisation."""
    words = set(re.split(r"[^a-z0-9]+", f"{source.source_id} {source.organisation or ''}".lower()))
    found = [p for p in party_ids if p.lower() in words]
    return found[0] if len(found) == 1 else None


def side_of_line(
    line: ReferenceLine, agreement: Agreement, lon: float, lat: float
) -> tuple[str | None, float]:
    """Return (the party holding the side of ``line`` the point is on, distance in metres)."""
    metric = agreement.projection.to_metric(line.geometry)
    x, y = agreement.projection.point_to_metric(lon, lat)
    point = Point(x, y)
    along = float(shapely.line_locate_point(metric, point))
    step = 1.0
    a = metric.interpolate(max(0.0, along - step))
    b = metric.interpolate(min(metric.length, along + step))
    cross = (b.x - a.x) * (y - a.y) - (b.y - a.y) * (x - a.x)
    side = "left" if cross > 0 else "right"
    return line.sides.get(side), float(metric.distance(point))


def _metric_line(line: ReferenceLine, agreement: Agreement) -> BaseGeometry:
    """The line in metres, projected once per (agreement version, line)."""
    key = (agreement.id, agreement.version, agreement.sha256, line.id)
    found = _LINES.get(key)
    if found is None:
        found = _LINES[key] = agreement.projection.to_metric(line.geometry)
    return found


_LINES: dict[tuple[str, str, str, str], BaseGeometry] = {}


def _by_admission(facts: Facts, parties: frozenset[str]) -> Attribution | None:
    for source in facts.sources:
        if not source.is_party:
            continue
        speaker = party_of(source, parties)
        if speaker is not None and speaker in {source.actor, source.attributed_to}:
            return Attribution(speaker, f"admission: {speaker}'s own report ({source.source_id})")
    return None


def _by_line(
    facts: Facts, agreement: Agreement, lon: float, lat: float, radius: float, what: str
) -> Attribution | None:
    answers = []
    for line in agreement.lines:
        holder, distance = side_of_line(line, agreement, lon, lat)
        if holder is None:
            continue
        if distance <= radius:
            return Attribution(
                None,
                "undetermined",
                (
                    f"the {what} ({distance / 1000:.1f} km from {line.id}, ±{radius / 1000:.1f} km)"
                    " cannot be placed on one side of the line",
                ),
            )
        answers.append(
            (holder, f"{what}: {distance / 1000:.1f} km on the {holder} side of {line.id}")
        )
    holders = {h for h, _ in answers}
    if len(holders) == 1:
        return Attribution(answers[0][0], answers[0][1])
    return None


def attribute(facts: Facts, agreement: Agreement) -> Attribution:
    """Attribute an incident (see the module docstring for the order of bases).

    Args:
        facts: the incident's facts.
        agreement: the version it is judged under (its parties and lines).

    Returns:
        The attribution; ``party`` is ``None`` when no basis decides.
    """
    parties = frozenset(p.id for p in agreement.parties)
    claims = tuple(
        f"{party_of(s, parties) or s.source_id} (party complaint {s.source_id}) attributes it to "
        f"{s.attributed_to}: a claim, not a basis on its own"
        for s in facts.sources
        if s.is_party and s.attributed_to and s.attributed_to != party_of(s, parties)
    )
    found = _by_admission(facts, parties)
    if found is None:
        seen = facts.actors & parties
        if len(seen) == 1 and facts.actors <= parties:
            (actor,) = seen
            witnesses = sorted({s.source_id for s in facts.sources if s.actor == actor})
            found = Attribution(actor, f"observed actor: {actor}, seen by {', '.join(witnesses)}")
        elif len(seen) > 1:
            return Attribution(
                None,
                "undetermined",
                (f"the sources saw different actors: {', '.join(sorted(seen))}", *claims),
            )
    if found is None and facts.activity in PRESENCE and facts.lon is not None:
        assert facts.lat is not None
        found = _by_line(facts, agreement, facts.lon, facts.lat, facts.radius_m, "position")
    if found is None and facts.activity in FIRE and facts.origin is not None:
        lon, lat, radius = facts.origin
        found = _by_line(facts, agreement, lon, lat, radius, "direction of fire (origin)")
    if found is None:
        return Attribution(None, "undetermined", claims)
    if found.party is None:
        return Attribution(None, "undetermined", (*found.notes, *claims))
    return Attribution(found.party, found.basis, (*found.notes, *claims))
