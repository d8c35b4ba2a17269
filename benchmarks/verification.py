"""Benchmark of verification against the Minsk example: zone membership and verdicts per second.

Run: ``.venv/bin/python benchmarks/verification.py [incidents]`` (default 100,000).

Incidents are simulated along the Minsk line of contact (uniform in a box around it, a mix of
fire, weapon presence with named systems, drone flights; 500 m uncertainty; 30 days). Measured in
one run, on the same points:

* **membership, vectorised**: :class:`~ceasefire.verification.geometry.PointSet` (all points
  projected at once, one shapely 2 vectorised call per zone) for every zone of the agreement;
* **membership, baseline**: ``Zone.contains`` one point at a time (a projection and a GEOS call
  per point per zone), on a sample of 2,000 points, scaled per point;
* **verify**: :func:`ceasefire.verification.verify` end to end (facts, rules, grading,
  attribution, finding ids), reported as incidents and findings per second.

It prints a table with the ratio baseline/vectorised per point and the peak RSS. Speed lives here
only; no test depends on it.
"""

from __future__ import annotations

import resource
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.terms import Agreement
from ceasefire.model.activity import Activity
from ceasefire.verification import verify
from ceasefire.verification.geometry import PointSet

MINSK = Path(__file__).resolve().parents[1] / "examples" / "minsk" / "agreement.yaml"
SAMPLE = 2_000
EPOCH = datetime(2020, 9, 1, tzinfo=UTC)
ACTIVITIES = (
    Activity.ARTILLERY_FIRE,
    Activity.EXPLOSION,
    Activity.WEAPON_PRESENCE,
    Activity.SMALL_ARMS_FIRE,
    Activity.DRONE_FLIGHT,
)
SYSTEMS = ("D-30", "2S1 Gvozdika", "BM-21 Grad", "T-72", None)


@dataclass(frozen=True)
class Ref:
    """An incident's reference to a report (none are stored: grading sees no sources)."""

    id: str
    independent: bool = True


@dataclass(frozen=True)
class SimulatedIncident:
    """An incident in the contract's shape."""

    id: str
    activity: Activity
    started_at: datetime
    ended_at: datetime
    location: dict[str, float]
    count: int
    weapon: dict[str, Any] | None
    reports: tuple[Ref, ...] = ()
    independent_sources: int = 1
    settings: dict[str, Any] = field(default_factory=dict)


def simulate(count: int) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], list[Any]]:
    """Return lons, lats and incidents spread over the Donbas front over 30 days."""
    rng = np.random.default_rng(9)
    lons = rng.uniform(37.0, 39.6, count)
    lats = rng.uniform(47.1, 48.9, count)
    minutes = rng.integers(0, 30 * 24 * 60, count)
    incidents = []
    for n in range(count):
        activity = ACTIVITIES[n % len(ACTIVITIES)]
        system = SYSTEMS[(n // len(ACTIVITIES)) % len(SYSTEMS)]
        at = EPOCH + timedelta(minutes=int(minutes[n]))
        weapon = {"system": system} if activity is Activity.WEAPON_PRESENCE and system else None
        location = {"lon": float(lons[n]), "lat": float(lats[n]), "radius_m": 500.0}
        incidents.append(SimulatedIncident(f"i-{n}", activity, at, at, location, 1, weapon))
    return lons, lats, incidents


def _timed(work: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def run(count: int, console: Console) -> Table:
    """Run the three measurements and return the table."""
    agreement: Agreement = load_agreement(MINSK)
    lons, lats, incidents = simulate(count)
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task("membership, vectorised", total=3)

        def vectorised() -> None:
            points = PointSet(agreement, lons, lats, np.full(count, 500.0))
            for zone in agreement.zones:
                points.places(zone)

        fast, _ = _timed(vectorised)
        progress.update(task, advance=1, description="membership, one point at a time")
        sample = min(SAMPLE, count)

        def baseline() -> None:
            for zone in agreement.zones:
                for n in range(sample):
                    zone.contains(float(lons[n]), float(lats[n]))

        slow, _ = _timed(baseline)
        progress.update(task, advance=1, description="verify")
        took, result = _timed(lambda: verify(incidents, lambda _id: None, [agreement]))
        progress.update(task, advance=1)
    zones = len(agreement.zones)
    fast_per = fast / (count * zones)
    slow_per = slow / (sample * zones)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    table = Table(
        title=f"verification against {agreement.id} {agreement.version}, {count:,} incidents"
    )
    for column in ("measure", "wall time", "per point x zone / per incident", "ratio"):
        table.add_column(column)
    table.add_row(
        f"membership vectorised ({count:,} points x {zones} zones)",
        f"{fast:.2f} s",
        f"{fast_per * 1e6:.2f} µs",
        "1.0",
    )
    table.add_row(
        f"membership one at a time ({sample:,} points x {zones} zones)",
        f"{slow:.2f} s",
        f"{slow_per * 1e6:.2f} µs",
        f"{slow_per / fast_per:.1f}x slower",
    )
    table.add_row(
        f"verify ({len(result.findings):,} findings)",
        f"{took:.2f} s",
        f"{took / count * 1e6:.0f} µs; {count / took:,.0f} incidents/s",
        "",
    )
    table.caption = f"peak RSS {peak:,.0f} MiB"
    return table


def main() -> None:
    """Parse the size and print the table."""
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    console = Console()
    console.print(run(count, console))


if __name__ == "__main__":
    main()
