"""The simulated agreement: the bundled Minsk example, with the run's live-fire notifications.

The world is simulated against real terms (the Minsk contact line, zones and clauses) so that
verification is exercised on the geometry it will meet. Two changes are made, both stated in the
file's header: the illustrative live-fire area gets the run's notified exercise windows, and the
live-fire exemption of the ceasefire clause (pom-1) is extended to the 2020 ban on firing
(measures-2020-2), so that a notified exercise is exempt under every firing clause at once.
"""

from __future__ import annotations

from datetime import datetime
from importlib import resources
from typing import Any

import yaml

__all__ = ["LIVE_FIRE_ZONE", "derived_agreement_text", "minsk_sample"]

#: The zone of the bundled example the simulated exercises are held in.
LIVE_FIRE_ZONE = "live_fire_example"

_HEADER = """\
# Written by `ceasefire simulate` (scenario {scenario}, seed {seed}): the bundled Minsk example
# (src/ceasefire/samples/minsk/agreement.yaml) with two changes for the simulation:
# - zone {zone} carries the run's notified live-fire windows;
# - clause measures-2020-2 carries the live-fire exemption of pom-1.
"""


def minsk_sample() -> dict[str, Any]:
    """Return the bundled Minsk example, parsed."""
    text = resources.files("ceasefire").joinpath("samples", "minsk", "agreement.yaml")
    loaded = yaml.safe_load(text.read_text("utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def derived_agreement_text(
    scenario: str, seed: int, windows: list[tuple[datetime, datetime]]
) -> str:
    """Return the simulated agreement's YAML.

    Args:
        scenario, seed: named in the version label and the header.
        windows: the notified live-fire windows of the run.
    """
    data = minsk_sample()
    data["id"] = "minsk-sim"
    data["version"] = f"{scenario}-seed-{seed}"
    data["title"] = f"{data['title']} (simulation: scenario {scenario}, seed {seed})"
    for zone in data["zones"]:
        if zone["id"] == LIVE_FIRE_ZONE:
            zone["windows"] = zone.get("windows", []) + [
                {"from": opens.isoformat(), "until": closes.isoformat()}
                for opens, closes in windows
            ]
            zone["note"] = "Invented; the windows are the simulated run's notifications."
    clauses = {clause["id"]: clause for clause in data["clauses"]}
    exemption = clauses["pom-1"]["who"]["exempt"]
    clauses["measures-2020-2"]["who"]["exempt"] = exemption
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    return _HEADER.format(scenario=scenario, seed=seed, zone=LIVE_FIRE_ZONE) + body
