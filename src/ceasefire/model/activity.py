"""The closed vocabulary of activities that reports describe and clauses prohibit.

One vocabulary for both sides of the comparison: a clause can only be held against a report if
both speak of the same activity, so intake, fusion and the agreement all import it from here.
The values are those of ``domain.md``.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Activity"]


class Activity(StrEnum):
    """What was done: the ``activity`` of a report and the ``what`` of a clause."""

    EXPLOSION = "explosion"
    ARTILLERY_FIRE = "artillery_fire"
    MORTAR_FIRE = "mortar_fire"
    MLRS_FIRE = "mlrs_fire"
    SMALL_ARMS_FIRE = "small_arms_fire"
    SNIPER_FIRE = "sniper_fire"
    DRONE_FLIGHT = "drone_flight"
    DRONE_STRIKE = "drone_strike"
    WEAPON_PRESENCE = "weapon_presence"
    TROOP_PRESENCE = "troop_presence"
    MINE_LAYING = "mine_laying"
    AIRSPACE_VIOLATION = "airspace_violation"
    MARITIME_INCIDENT = "maritime_incident"
    RESTRICTION_OF_MOVEMENT = "restriction_of_movement"
    ATTACK_ON_MONITORS = "attack_on_monitors"
    CIVILIAN_HARM = "civilian_harm"
    INFRASTRUCTURE_DAMAGE = "infrastructure_damage"
    OTHER = "other"
