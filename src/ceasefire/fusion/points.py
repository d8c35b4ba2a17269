"""The engine's input: one row per report (or per existing incident), as plain numpy columns.

This is the seam between the domain (reports with their three location forms and four time
precisions) and the clustering engines: every engine takes a :class:`FusionPoints` and returns
one label per row, so an in-process engine and a distributed one (Dask, a later issue) are
interchangeable and can be held against each other row for row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from ceasefire.fusion.settings import FusionSettings, Preview
from ceasefire.model.activity import Activity

__all__ = ["ACTIVITY_CODES", "FusionPoints", "activity_compatibility"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

#: Each activity's row in the compatibility table.
ACTIVITY_CODES: dict[Activity, int] = {activity: code for code, activity in enumerate(Activity)}

_SPECIFIC_FIRE = (Activity.ARTILLERY_FIRE, Activity.MORTAR_FIRE, Activity.MLRS_FIRE)


def activity_compatibility(settings: FusionSettings) -> BoolArray:
    """Return the table of which activities may be one event (``[a, b]`` is True if so).

    An activity is compatible with itself; "explosion" (what a patrol that only heard it can
    say) with any kind of fire or strike; small-arms fire with sniper fire (the specific kind).
    Two different specific kinds of fire are different events unless
    :attr:`Preview.CONFUSABLE_FIRE` is on.
    """
    size = len(ACTIVITY_CODES)
    table = np.eye(size, dtype=bool)

    def link(a: Activity, b: Activity) -> None:
        table[ACTIVITY_CODES[a], ACTIVITY_CODES[b]] = True
        table[ACTIVITY_CODES[b], ACTIVITY_CODES[a]] = True

    for fire in (*_SPECIFIC_FIRE, Activity.DRONE_STRIKE):
        link(Activity.EXPLOSION, fire)
    link(Activity.SMALL_ARMS_FIRE, Activity.SNIPER_FIRE)
    if settings.enabled(Preview.CONFUSABLE_FIRE):
        for a in _SPECIFIC_FIRE:
            for b in _SPECIFIC_FIRE:
                link(a, b)
    return table


@dataclass(frozen=True, slots=True)
class FusionPoints:
    """The columns the engine clusters; every array has one entry per row.

    Args:
        x, y: the best position in metres, in a local metric projection.
        radius: the position's uncertainty in metres (treated as one standard deviation).
        t_lo, t_hi: the time window the row allows, seconds since the epoch.
        tau: the time error beyond the window's edges, seconds.
        activity: :data:`ACTIVITY_CODES` of the row's activity.
        anchor: ``True`` for an existing incident that new reports may join; two anchors are
            never grouped together (fusion never re-clusters history).
    """

    x: FloatArray
    y: FloatArray
    radius: FloatArray
    t_lo: FloatArray
    t_hi: FloatArray
    tau: FloatArray
    activity: IntArray
    anchor: BoolArray

    def __len__(self) -> int:
        return int(self.x.shape[0])

    @classmethod
    def of(
        cls,
        x: Sequence[float] | FloatArray,
        y: Sequence[float] | FloatArray,
        radius: Sequence[float] | FloatArray,
        t_lo: Sequence[float] | FloatArray,
        t_hi: Sequence[float] | FloatArray,
        tau: Sequence[float] | FloatArray,
        activity: Sequence[int] | IntArray,
        anchor: Sequence[bool] | BoolArray | None = None,
    ) -> FusionPoints:
        """Build from any sequences, converting each to the array type the engines expect."""
        size = len(x)
        return cls(
            x=np.asarray(x, dtype=np.float64),
            y=np.asarray(y, dtype=np.float64),
            radius=np.asarray(radius, dtype=np.float64),
            t_lo=np.asarray(t_lo, dtype=np.float64),
            t_hi=np.asarray(t_hi, dtype=np.float64),
            tau=np.asarray(tau, dtype=np.float64),
            activity=np.asarray(activity, dtype=np.int64),
            anchor=(
                np.zeros(size, dtype=bool) if anchor is None else np.asarray(anchor, dtype=bool)
            ),
        )

    def take(self, rows: IntArray) -> FusionPoints:
        """Return the given rows, in that order (a partition of the batch)."""
        return FusionPoints(
            self.x[rows],
            self.y[rows],
            self.radius[rows],
            self.t_lo[rows],
            self.t_hi[rows],
            self.tau[rows],
            self.activity[rows],
            self.anchor[rows],
        )
