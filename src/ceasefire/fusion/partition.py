"""The engine seam in use: run any engine over time partitions with an overlap, then stitch.

This is the shape a distributed engine (Dask, a later issue) takes: each partition is labelled
on its own, with the same inputs and outputs as the in-process engine. How a boundary is
handled (``docs/fusion.md``):

* partition *k* owns the rows whose window starts in ``[k·w, (k+1)·w)``, and is clustered
  together with every row that starts up to ``overlap`` before or after that span;
* a group found in partition *k* is kept only if its earliest row is owned by *k*; so an event
  straddling a boundary is kept once, by the partition its first report falls in;
* a row kept by two partitions stays with the first; a row no kept group holds (rare: the two
  sides split it differently) is clustered again with the other leftovers in a final pass.

With ``overlap`` at least the time reach of one incident (the gate's reach plus the longest
window), a group is seen whole by the partition that keeps it, and the result usually equals
the unpartitioned one; a row near an overlap's outer edge sees fewer neighbours, so its density
rank (and the greedy split) can differ. Every group stays mutually compatible regardless.
"""

from __future__ import annotations

import numpy as np

from ceasefire.fusion.engine import Engine, InProcessEngine, renumber
from ceasefire.fusion.points import FloatArray, FusionPoints, IntArray
from ceasefire.fusion.settings import FusionSettings

__all__ = ["PartitionedEngine"]


class PartitionedEngine:
    """Label a batch partition by partition (in time) with an inner engine.

    Args:
        window_s: the span each partition owns, in seconds.
        overlap_s: how far each partition reaches into its neighbours, in seconds.
        inner: the engine run on each partition (in-process by default).
    """

    def __init__(self, window_s: float, overlap_s: float, inner: Engine | None = None) -> None:
        if window_s <= 0 or overlap_s < 0:
            raise ValueError("window_s must be positive and overlap_s not negative")
        self.window_s = window_s
        self.overlap_s = overlap_s
        self.inner = inner or InProcessEngine()

    def labels(self, points: FusionPoints, settings: FusionSettings) -> IntArray:
        """Return one label per row, as the inner engine would on the whole batch."""
        size = len(points)
        result = np.full(size, -1, dtype=np.int64)
        if size == 0:
            return result
        start = points.t_lo
        origin = float(start.min())
        owner = np.floor((start - origin) / self.window_s).astype(np.int64)
        next_label = 0
        for part in range(int(owner.max()) + 1):
            low = origin + part * self.window_s
            rows = np.flatnonzero(
                (start >= low - self.overlap_s) & (start < low + self.window_s + self.overlap_s)
            )
            if rows.size == 0:
                continue
            local = self.inner.labels(points.take(rows), settings)
            next_label = _keep_owned(result, rows, local, owner, start, part, next_label)
        leftover = np.flatnonzero(result < 0)
        if leftover.size:
            local = self.inner.labels(points.take(leftover), settings)
            result[leftover] = local + next_label
        return renumber(result)


def _keep_owned(
    result: IntArray,
    rows: IntArray,
    local: IntArray,
    owner: IntArray,
    start: FloatArray,
    part: int,
    next_label: int,
) -> int:
    """Keep the partition's groups whose first row it owns; return the next free label."""
    order = np.lexsort((rows, local))
    grouped_rows, grouped_labels = rows[order], local[order]
    bounds = np.flatnonzero(np.diff(grouped_labels)) + 1
    for members in np.split(grouped_rows, bounds):
        if owner[members[np.argmin(start[members])]] != part:
            continue
        free = members[result[members] < 0]
        if free.size:
            result[free] = next_label
            next_label += 1
    return next_label
