"""Simulation: a world with known events, and the reports a mission's network would make of it.

The simulator models; it shares no code with fusion, which infers. ``simulate`` writes an
agreement, the intake files (reports and coverage, as ``docs/intake-format.md`` documents them)
and ``truth.json``, what really happened, so that ``ceasefire evaluate`` can score the chain
(fusion, verification) against it. The format and the scenarios are in ``docs/simulation.md``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "SCENARIOS": "ceasefire.simulation.scenario",
    "Scenario": "ceasefire.simulation.scenario",
    "SimulationSummary": "ceasefire.simulation.run",
    "TRUTH_FORMAT": "ceasefire.simulation.run",
    "simulate": "ceasefire.simulation.run",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.simulation.run import TRUTH_FORMAT, SimulationSummary, simulate
    from ceasefire.simulation.scenario import SCENARIOS, Scenario

__all__ = ["SCENARIOS", "TRUTH_FORMAT", "Scenario", "SimulationSummary", "simulate"]
