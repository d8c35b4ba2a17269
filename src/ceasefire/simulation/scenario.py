"""Scenarios: the named worlds ``ceasefire simulate`` can make, each a set of rates.

A scenario says how much happens (events per day of each kind, how many of the weapons stand
inside their withdrawal zones) and how noisy the channels are (how many party complaints,
false reports and open-source copies). The sensor network itself (cameras, patrols, the
mission's UAVs, and their errors) is the same in every scenario: a scenario changes the world,
not the way the mission looks at it, so the scores of two scenarios can be compared.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["SCENARIOS", "Scenario", "scenario_named"]


@dataclass(frozen=True, slots=True)
class Scenario:
    """The rates of one scenario.

    Args:
        name: the id given to ``simulate --scenario``.
        summary: one line for ``simulate --help``.
        firing_per_day: firing events per day at the start and at the end of the run (the rate
            grows linearly between them: an escalation).
        weapons_per_day: heavy-weapon sightings per day, start and end.
        weapons_in_zone: the share of weapons standing inside their withdrawal zone, start and end.
        side_drones_per_day: flights of the sides' UAVs per day.
        restrictions_per_day: denials of the monitors' freedom of movement per day.
        live_fire_exercises: notified exercises held over the run (firing that is exempt).
        complaint_rate: the chance a party complains about an event on its side.
        false_complaints_per_day: complaints about events that never happened, per party.
        wire_rate: the chance a complaint is picked up by the wire and copied by outlets.
        outlets: how many outlets copy one wire story (lower and upper bound).
        eyewitness_rate: the chance a local eyewitness channel posts about a firing event.
        false_osint_per_day: rumours about events that never happened, per day.
    """

    name: str
    summary: str
    firing_per_day: tuple[float, float]
    weapons_per_day: tuple[float, float]
    weapons_in_zone: tuple[float, float]
    side_drones_per_day: float
    restrictions_per_day: float
    live_fire_exercises: int
    complaint_rate: float
    false_complaints_per_day: float
    wire_rate: float
    outlets: tuple[int, int]
    eyewitness_rate: float
    false_osint_per_day: float


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            name="quiet",
            summary="quiet line with sporadic fire; weapons mostly withdrawn",
            firing_per_day=(3.0, 3.0),
            weapons_per_day=(2.0, 2.0),
            weapons_in_zone=(0.1, 0.1),
            side_drones_per_day=0.5,
            restrictions_per_day=0.3,
            live_fire_exercises=1,
            complaint_rate=0.3,
            false_complaints_per_day=0.3,
            wire_rate=0.2,
            outlets=(1, 3),
            eyewitness_rate=0.05,
            false_osint_per_day=0.2,
        ),
        Scenario(
            name="escalation",
            summary="fire grows day by day and heavy weapons return to the zones",
            firing_per_day=(4.0, 20.0),
            weapons_per_day=(2.0, 8.0),
            weapons_in_zone=(0.2, 0.9),
            side_drones_per_day=2.0,
            restrictions_per_day=1.0,
            live_fire_exercises=0,
            complaint_rate=0.5,
            false_complaints_per_day=0.5,
            wire_rate=0.3,
            outlets=(2, 5),
            eyewitness_rate=0.1,
            false_osint_per_day=0.5,
        ),
        Scenario(
            name="osint-noise",
            summary="dense open-source noise: complaints copied by many outlets, rumours",
            firing_per_day=(6.0, 6.0),
            weapons_per_day=(2.0, 2.0),
            weapons_in_zone=(0.4, 0.4),
            side_drones_per_day=1.0,
            restrictions_per_day=0.5,
            live_fire_exercises=1,
            complaint_rate=0.8,
            false_complaints_per_day=1.0,
            wire_rate=0.9,
            outlets=(5, 20),
            eyewitness_rate=0.4,
            false_osint_per_day=2.0,
        ),
    )
}


def scenario_named(name: str) -> Scenario:
    """Return the scenario called ``name``.

    Raises:
        KeyError: no such scenario (the message lists the names there are).
    """
    try:
        return SCENARIOS[name]
    except KeyError:
        raise KeyError(f"no scenario {name!r}; there are: {', '.join(SCENARIOS)}") from None
