"""Fusion: reports of one event become one incident (see ``docs/fusion.md``).

Reports → candidate pairs (time, activity, location gates) → groups that are mutually
compatible (no chaining) → independence (copies never count) → incidents with a location,
time window, count and provenance. The heavy parts (numpy, SciPy) load on first use.
"""

from __future__ import annotations

from ceasefire._lazy import lazy_exports

__all__ = ["FusionStore"]

__getattr__, __dir__ = lazy_exports(
    __name__,
    globals(),
    {"FusionStore": "ceasefire.fusion.storage"},
)
