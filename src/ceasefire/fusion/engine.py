"""The clustering engine: which rows of a :class:`FusionPoints` batch are one event.

The method (``docs/fusion.md`` has the long form):

1. **Candidate pairs** from a k-d tree over (x, y, v·t), with a ball radius that provably
   contains every pair the gate can accept; rows with wide windows or radii get their own,
   larger query, so a place-precision report is not missed and does not widen everyone's ball.
2. **The gate**, exactly, on each candidate: activities compatible, and the normalised
   space-time distance ``d²/(r_a²+r_b²) + gap²/(τ_a²+τ_b²)`` within the chi-square threshold,
   where ``gap`` is the time between the two windows (0 when they overlap). Position alone never
   decides: a pair must pass in time and activity too.
3. **A density forest** instead of single linkage: each row links to its nearest compatible
   neighbour of higher density (more compatible neighbours), as in density-peak clustering;
   the roots are the events. A row links to *one* parent, so two dense events joined by a
   stray row do not fuse into one, which is how single linkage chains.
4. **Mutual compatibility**: a tree whose rows are not all pairwise compatible is split greedily
   (each row, densest first, joins the first group it is compatible with *every* member of),
   vectorised over all trees of up to 64 rows at once with bit masks. So every incident's
   reports are mutually compatible: never merely linked by a path.

Deterministic: the result depends only on the rows and their order. Existing incidents enter
as *anchor* rows: anchors are roots, and no two anchors are ever compatible, so new reports may
join an incident but two incidents are never merged (history is not re-clustered).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Protocol

import numpy as np
from scipy.spatial import cKDTree

from ceasefire.fusion.points import BoolArray, FloatArray, FusionPoints, IntArray
from ceasefire.fusion.points import activity_compatibility as _compatibility
from ceasefire.fusion.settings import FusionSettings

__all__ = ["Engine", "InProcessEngine", "compatible_pairs", "pair_scores"]


class Engine(Protocol):
    """Anything that labels a batch: one label per row, rows with one label are one event.

    Labels are ``0..k-1`` numbered in the order of each group's first row, so two engines'
    results compare with ``==``.
    """

    def labels(self, points: FusionPoints, settings: FusionSettings) -> IntArray:
        """Return one label per row of ``points``."""
        ...


class InProcessEngine:
    """The numpy/SciPy engine: the whole batch in this process's memory."""

    def labels(self, points: FusionPoints, settings: FusionSettings) -> IntArray:
        """Label a batch (see the module docstring for the method)."""
        size = len(points)
        if size == 0:
            return np.zeros(0, dtype=np.int64)
        first, second, score = compatible_pairs(points, settings)
        key = _density_key(size, first, second, points.anchor)
        roots = _roots(_density_parents(size, first, second, score, key))
        return renumber(_split_non_cliques(roots, first, second, key))


def pair_scores(points: FusionPoints, first: IntArray, second: IntArray) -> FloatArray:
    """Return the normalised space-time distance of each pair (``first[k]``, ``second[k]``)."""
    dx = points.x[first] - points.x[second]
    dy = points.y[first] - points.y[second]
    radius = points.radius
    spatial = dx * dx + dy * dy
    spatial /= radius[first] ** 2 + radius[second] ** 2
    gap = points.t_lo[second] - points.t_hi[first]
    np.maximum(gap, points.t_lo[first] - points.t_hi[second], out=gap)
    np.maximum(gap, 0.0, out=gap)
    gap *= gap
    gap /= points.tau[first] ** 2 + points.tau[second] ** 2
    spatial += gap
    return spatial


def compatible_pairs(
    points: FusionPoints, settings: FusionSettings
) -> tuple[IntArray, IntArray, FloatArray]:
    """Return every pair (first < second) that passes the gate, with its score.

    Raises nothing: an empty batch gives empty arrays.
    """
    first, second = _candidate_pairs(points, settings.gate)
    # The cheap integer tests first, so the scores are computed for fewer pairs.
    table = _compatibility(settings)
    keep = table[points.activity[first], points.activity[second]]
    keep &= ~(points.anchor[first] & points.anchor[second])
    first, second = first[keep], second[keep]
    score = pair_scores(points, first, second)
    keep = score <= settings.gate
    return first[keep], second[keep], score[keep]


def _candidate_pairs(points: FusionPoints, gate: float) -> tuple[IntArray, IntArray]:
    """Pairs that *may* pass the gate: a superset, found with a k-d tree in (x, y, v·t)."""
    width = points.t_hi - points.t_lo
    # "Narrow" rows (most of them) share one ball; the few wide ones get their own queries.
    narrow = (points.radius <= 2.0 * np.median(points.radius)) & (
        width <= 2.0 * np.median(points.tau)
    )
    if not narrow.any():  # all rows wide (a batch of "night of" reports): one ball for all
        narrow = np.ones(len(points), dtype=bool)
    radius_cut = float(points.radius[narrow].max())
    width_cut = float(width[narrow].max())
    tau_cut = float(points.tau[narrow].max())
    speed = radius_cut / max(tau_cut, 1e-9)  # metres per second: makes the gate round
    middle = (points.t_lo + points.t_hi) / 2.0
    tree = cKDTree(np.column_stack([points.x, points.y, middle * speed]))
    # Two narrow rows passing the gate are within this ball (triangle inequality; docs/fusion.md).
    ball = math.sqrt(2.0 * gate) * radius_cut + speed * width_cut
    pairs = tree.query_pairs(ball, output_type="ndarray").astype(np.int64)
    wide = np.flatnonzero(~narrow)
    if wide.size == 0:
        return pairs[:, 0], pairs[:, 1]
    extra = _wide_candidates(points, wide, tree, gate, speed)
    both = np.concatenate([pairs, extra])
    low, high = np.minimum(both[:, 0], both[:, 1]), np.maximum(both[:, 0], both[:, 1])
    code = np.unique(low[low != high] * len(points) + high[low != high])
    return code // len(points), code % len(points)


def _wide_candidates(
    points: FusionPoints, wide: IntArray, tree: cKDTree, gate: float, speed: float
) -> IntArray:
    """Candidates of the wide rows: each queried with a ball that covers its own reach."""
    width = points.t_hi - points.t_lo
    reach_space = np.sqrt(gate * (points.radius[wide] ** 2 + points.radius.max() ** 2))
    reach_time = (
        np.sqrt(gate * (points.tau[wide] ** 2 + points.tau.max() ** 2))
        + (width[wide] + width.max()) / 2.0
    )
    balls = reach_space + speed * reach_time
    coordinates = tree.data[wide]
    found = tree.query_ball_point(coordinates, balls, return_sorted=False)
    rows = [np.full(len(hits), row, dtype=np.int64) for row, hits in zip(wide, found, strict=True)]
    cols = [np.asarray(hits, dtype=np.int64) for hits in found]
    if not rows:
        return np.zeros((0, 2), dtype=np.int64)
    return np.column_stack([np.concatenate(rows), np.concatenate(cols)])


def _density_key(size: int, first: IntArray, second: IntArray, anchor: BoolArray) -> IntArray:
    """A unique rank per row: anchors first, then more compatible neighbours, then earlier."""
    degree = np.bincount(first, minlength=size) + np.bincount(second, minlength=size)
    key = degree.astype(np.int64) * (size + 1) + (size - np.arange(size, dtype=np.int64))
    return np.where(anchor, key + (int(key.max()) + 1), key)


def _density_parents(
    size: int, first: IntArray, second: IntArray, score: FloatArray, key: IntArray
) -> IntArray:
    """Each row's parent: its nearest compatible row of higher rank (roots are their own)."""
    parents = np.arange(size, dtype=np.int64)
    if first.size == 0:
        return parents
    up = key[first] < key[second]
    child = np.where(up, first, second)
    parent = np.where(up, second, first)
    # By child, then nearest (score is within [0, gate], so it fits in the fraction).
    order = np.argsort(child + score / (float(score.max()) * 2.0 + 1.0), kind="stable")
    child, parent = child[order], parent[order]
    head = np.ones(child.size, dtype=bool)
    head[1:] = child[1:] != child[:-1]
    parents[child[head]] = parent[head]
    # Anchors are roots: an existing incident never becomes a member of something else.
    return parents


def _roots(parents: IntArray) -> IntArray:
    """Follow parents to the roots by pointer jumping (O(log depth) vectorised steps)."""
    while True:
        jumped = parents[parents]
        if np.array_equal(jumped, parents):
            return parents
        parents = jumped


def _split_non_cliques(
    labels: IntArray, first: IntArray, second: IntArray, key: IntArray
) -> IntArray:
    """Split every group whose rows are not all pairwise compatible (greedy, densest first).

    Each row, densest first, joins the first group of its tree that it is compatible with every
    member of, or starts a new group. Trees of up to 64 rows (nearly all) are split together,
    vectorised over trees, with one 64-bit adjacency mask per row; larger ones one by one.
    """
    size = labels.size
    same = labels[first] == labels[second]
    inner = np.bincount(labels[first[same]], minlength=size)
    members = np.bincount(labels, minlength=size)
    bad = members * (members - 1) // 2 != inner
    if not bad.any():
        return labels
    result = labels.copy()
    small = bad & (members <= _MASK_BITS)
    next_label = _split_small(result, small, first[same], second[same], key, size)
    large = bad & ~small
    if large.any():
        in_large = large[labels[first]] & same
        low, high = first[in_large], second[in_large]
        adjacency = set(np.concatenate([low * size + high, high * size + low]).tolist())
        rows = np.flatnonzero(large[labels])
        rows = rows[np.lexsort((-key[rows], labels[rows]))]
        bounds = np.flatnonzero(np.diff(labels[rows])) + 1
        for part in np.split(rows, bounds):
            for group in _greedy_cliques(part.tolist(), adjacency, size):
                result[group] = next_label
                next_label += 1
    return result


_MASK_BITS = 64


def _split_small(
    result: IntArray,
    small: BoolArray,
    first: IntArray,
    second: IntArray,
    key: IntArray,
    size: int,
) -> int:
    """Greedy split of the small bad trees, all at once; return the next free label.

    ``first``/``second`` are the compatible pairs inside one tree.
    """
    rows = np.flatnonzero(small[result])
    if rows.size == 0:
        return size
    rows = rows[np.lexsort((-key[rows], result[rows]))]
    tree_of = result[rows]
    starts = np.flatnonzero(np.r_[True, tree_of[1:] != tree_of[:-1]])
    lengths = np.diff(np.r_[starts, rows.size])
    position = np.arange(rows.size) - np.repeat(starts, lengths)
    where = np.full(size, -1, dtype=np.int64)
    where[rows] = np.arange(rows.size)
    keep = small[result[first]]
    a, b = where[first[keep]], where[second[keep]]
    adjacency = np.zeros(rows.size, dtype=np.uint64)
    np.bitwise_or.at(adjacency, a, np.left_shift(np.uint64(1), position[b].astype(np.uint64)))
    np.bitwise_or.at(adjacency, b, np.left_shift(np.uint64(1), position[a].astype(np.uint64)))
    trees = starts.size
    groups = np.zeros((trees, _MASK_BITS), dtype=np.uint64)
    count = np.zeros(trees, dtype=np.int64)
    chosen_group = np.zeros(rows.size, dtype=np.int64)
    for step in range(int(lengths.max())):
        active = np.flatnonzero(lengths > step)
        row = starts[active] + step
        missing = ~adjacency[row]
        chosen = np.full(active.size, -1, dtype=np.int64)
        for group in range(int(count[active].max()) if active.size else 0):
            fits = (chosen < 0) & (group < count[active])
            fits &= (groups[active, group] & missing) == 0
            chosen[fits] = group
        new = chosen < 0
        chosen[new] = count[active[new]]
        count[active[new]] += 1
        groups[active, chosen] |= np.uint64(1) << np.uint64(step)
        chosen_group[row] = chosen
    offset = np.r_[0, np.cumsum(count)[:-1]]
    tree_index = np.repeat(np.arange(trees), lengths)
    result[rows] = size + offset[tree_index] + chosen_group
    return size + int(count.sum())


def _greedy_cliques(rows: Iterable[int], adjacency: set[int], size: int) -> list[list[int]]:
    """Partition rows (densest first) into groups whose members are all pairwise compatible.

    ``adjacency`` holds ``a * size + b`` for every compatible (a, b), in both orders.
    """
    groups: list[list[int]] = []
    for row in rows:
        base = row * size
        for group in groups:
            if all(base + member in adjacency for member in group):
                group.append(row)
                break
        else:
            groups.append([row])
    return groups


def renumber(labels: IntArray) -> IntArray:
    """Relabel to ``0..k-1`` in the order of each group's first row."""
    if labels.size == 0:
        return labels
    _, first_row, inverse = np.unique(labels, return_index=True, return_inverse=True)
    rank = np.empty(first_row.size, dtype=np.int64)
    rank[np.argsort(first_row, kind="stable")] = np.arange(first_row.size, dtype=np.int64)
    return rank[inverse.reshape(-1)]
