"""Fusion: reports of one event become one incident (see ``docs/fusion.md``).

Reports → candidate pairs (time, activity, location gates) → groups that are mutually
compatible (no chaining) → independence (copies never count) → incidents with a location,
time window, count and provenance. The heavy parts (numpy, SciPy) load on first use.
"""

from __future__ import annotations

from ceasefire._lazy import lazy_exports

__all__ = [
    "Engine",
    "FusionOutcome",
    "FusionSettings",
    "FusionStore",
    "InProcessEngine",
    "PartitionedEngine",
    "Preview",
    "fuse",
    "plan_incidents",
]

__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {
        "Engine": "ceasefire.fusion.engine",
        "FusionOutcome": "ceasefire.fusion.run",
        "FusionSettings": "ceasefire.fusion.settings",
        "FusionStore": "ceasefire.fusion.storage",
        "InProcessEngine": "ceasefire.fusion.engine",
        "PartitionedEngine": "ceasefire.fusion.partition",
        "Preview": "ceasefire.fusion.settings",
        "fuse": "ceasefire.fusion.run",
        "plan_incidents": "ceasefire.fusion.incidents",
    },
)
