"""Fixtures for the simulation and evaluation tests: one simulated run per scenario, made once."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.simulation.run import SimulationSummary, simulate


@pytest.fixture(scope="session")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SimulationSummary]:
    """Each shipped scenario simulated once (seed 1, 4 days), shared by the tests that read it."""
    runs = {}
    for name in ("quiet", "escalation", "osint-noise"):
        directory: Path = tmp_path_factory.mktemp(f"sim-{name}")
        runs[name] = simulate(name, 1, 4, directory)
    return runs
