"""The weapon families an observer can tell apart: the one vocabulary reports and agreements share.

It lives in ``model/`` because both a report (``weapon.family``, checked at intake) and the
agreement's weapon taxonomy (:mod:`ceasefire.agreement.weapon`, which re-exports it) use it, and
the model may not import the agreement.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = ["WeaponFamily"]


class WeaponFamily(StrEnum):
    """The closed vocabulary of weapon families an observer can tell apart."""

    GUN = "gun"
    HOWITZER = "howitzer"
    SELF_PROPELLED_GUN = "self_propelled_gun"
    ANTI_TANK_GUN = "anti_tank_gun"
    MORTAR = "mortar"
    MLRS = "mlrs"
    TACTICAL_MISSILE = "tactical_missile"
    TANK = "tank"
    ARMOURED_VEHICLE = "armoured_vehicle"
    INFANTRY_FIGHTING_VEHICLE = "infantry_fighting_vehicle"
    ANTI_TANK_MISSILE = "anti_tank_missile"
    AIR_DEFENCE = "air_defence"
    GRENADE_LAUNCHER = "grenade_launcher"
    HEAVY_MACHINE_GUN = "heavy_machine_gun"
    SMALL_ARMS = "small_arms"
    UAV = "uav"
    AIRCRAFT = "aircraft"
    OTHER = "other"
