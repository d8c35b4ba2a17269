"""The clustering engine: gates, no chaining, determinism, anchors and the partition seam."""

from __future__ import annotations

import itertools

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.fusion.engine import InProcessEngine, compatible_pairs, pair_scores
from ceasefire.fusion.partition import PartitionedEngine
from ceasefire.fusion.points import ACTIVITY_CODES, FusionPoints
from ceasefire.fusion.settings import FusionSettings, Preview
from ceasefire.model.activity import Activity

EXPLOSION = ACTIVITY_CODES[Activity.EXPLOSION]
ARTILLERY = ACTIVITY_CODES[Activity.ARTILLERY_FIRE]
MORTAR = ACTIVITY_CODES[Activity.MORTAR_FIRE]
SETTINGS = FusionSettings()


def _points(
    xs: list[float], ts: list[float], activities: list[int] | None = None, **kw: object
) -> FusionPoints:
    size = len(xs)
    return FusionPoints.of(
        xs,
        [0.0] * size,
        [500.0] * size,
        ts,
        ts,
        [300.0] * size,
        activities or [EXPLOSION] * size,
        **kw,  # type: ignore[arg-type]
    )


def _scatter(seed: int, events: int) -> FusionPoints:
    rng = np.random.default_rng(seed)
    centres = rng.uniform(0, 20_000, (events, 2))
    times = rng.uniform(0, 6 * 3600, events)
    per = rng.integers(1, 6, events)
    which = np.repeat(np.arange(events), per)
    x = centres[which, 0] + rng.normal(0, 500, which.size)
    y = centres[which, 1] + rng.normal(0, 500, which.size)
    t = times[which] + rng.normal(0, 300, which.size)
    order = np.argsort(t)
    size = which.size
    return FusionPoints.of(
        x[order], y[order], np.full(size, 500.0), t[order], t[order], np.full(size, 300.0),
        np.full(size, EXPLOSION),
    )  # fmt: skip


def test_reports_of_one_event_are_one_incident() -> None:
    """Three reports 300 m and 2 minutes apart are one group; a fourth 20 km away is another."""
    labels = InProcessEngine().labels(_points([0, 300, 150, 20_000], [0, 120, 60, 0]), SETTINGS)
    assert labels.tolist() == [0, 0, 0, 1]


def test_position_alone_never_decides() -> None:
    """Reports at one spot three hours apart, or of incompatible activities, stay apart."""
    apart_in_time = InProcessEngine().labels(_points([0, 0], [0, 3 * 3600]), SETTINGS)
    assert apart_in_time.tolist() == [0, 1]
    other_activity = _points([0, 0], [0, 0], [ARTILLERY, MORTAR])
    assert InProcessEngine().labels(other_activity, SETTINGS).tolist() == [0, 1]


def test_generic_explosion_joins_a_specific_fire() -> None:
    """'Explosion' (heard) and 'artillery fire' (seen) at one time and place are one event."""
    points = _points([0, 100], [0, 60], [EXPLOSION, ARTILLERY])
    assert InProcessEngine().labels(points, SETTINGS).tolist() == [0, 0]


def test_preview_flag_changes_the_outcome() -> None:
    """With Preview.CONFUSABLE_FIRE on, artillery and mortar fire at one spot become one."""
    points = _points([0, 100], [0, 60], [ARTILLERY, MORTAR])
    flagged = FusionSettings(preview=frozenset({Preview.CONFUSABLE_FIRE}))
    assert InProcessEngine().labels(points, SETTINGS).tolist() == [0, 1]
    assert InProcessEngine().labels(points, flagged).tolist() == [0, 0]


def test_no_chaining_along_a_line() -> None:
    """Twenty reports 1.5 km apart in a line (each compatible with its neighbours only) are not
    fused into one incident, and every incident's members are pairwise compatible."""
    xs = [1_500.0 * k for k in range(20)]
    points = _points(xs, [0.0] * 20)
    labels = InProcessEngine().labels(points, SETTINGS)
    assert labels.max() >= 3
    _assert_groups_are_cliques(points, labels)


def test_anchors_are_never_merged() -> None:
    """Two existing incidents with a new report between them: the report joins one, and the
    two incidents stay apart (history is not re-clustered)."""
    points = _points([0, 1_000, 2_000], [0, 0, 0], anchor=[True, False, True])
    labels = InProcessEngine().labels(points, SETTINGS)
    assert labels[0] != labels[2]
    assert labels[1] in (labels[0], labels[2])


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), events=st.integers(1, 60))
def test_every_group_is_mutually_compatible(seed: int, events: int) -> None:
    """On random scatters, every pair in every group passes the gate (no group is merely linked
    by a path), and labelling again gives the same labels (deterministic)."""
    points = _scatter(seed, events)
    labels = InProcessEngine().labels(points, SETTINGS)
    _assert_groups_are_cliques(points, labels)
    assert np.array_equal(labels, InProcessEngine().labels(points, SETTINGS))
    assert labels.min() == 0
    assert sorted(set(labels.tolist())) == list(range(int(labels.max()) + 1))


def test_partitioned_engine_matches_in_process() -> None:
    """Partitioning by time with an overlap wider than an incident's reach gives the same
    labels as the whole batch at once."""
    points = _scatter(7, 120)
    whole = InProcessEngine().labels(points, SETTINGS)
    parted = PartitionedEngine(window_s=3_600, overlap_s=1_800).labels(points, SETTINGS)
    assert np.array_equal(whole, parted)


def test_partitioned_engine_keeps_groups_mutually_compatible() -> None:
    """Even with a too-small overlap, the stitched groups are cliques and every row is labelled."""
    points = _scatter(11, 150)
    labels = PartitionedEngine(window_s=1_200, overlap_s=60).labels(points, SETTINGS)
    assert (labels >= 0).all()
    _assert_groups_are_cliques(points, labels)


def test_wide_rows_find_their_matches() -> None:
    """A report with a day-long window and a 10 km radius is matched with a precise one inside
    it, although it is far outside the precise rows' search ball."""
    points = FusionPoints.of(
        [0, 100, 5_000], [0, 0, 0], [500, 500, 10_000], [0, 60, -40_000], [0, 60, 46_400],
        [300, 300, 600], [EXPLOSION] * 3,
    )  # fmt: skip
    first, second, _ = compatible_pairs(points, SETTINGS)
    assert {(0, 2), (1, 2), (0, 1)} <= set(zip(first.tolist(), second.tolist(), strict=True))


def _assert_groups_are_cliques(points: FusionPoints, labels: np.ndarray) -> None:
    for label in set(labels.tolist()):
        rows = np.flatnonzero(labels == label)
        for a, b in itertools.combinations(rows.tolist(), 2):
            score = pair_scores(points, np.array([a]), np.array([b]))[0]
            assert score <= SETTINGS.gate, f"rows {a} and {b} share group {label}, score {score}"


def test_a_batch_of_only_wide_rows_is_labelled() -> None:
    """A single day-long report, or a batch of them only, is labelled (no row is 'narrow')."""
    alone = FusionPoints.of([0], [0], [2_000], [0], [86_400], [600], [EXPLOSION])
    assert InProcessEngine().labels(alone, SETTINGS).tolist() == [0]
    pair = FusionPoints.of(
        [0, 500], [0, 0], [2_000, 2_000], [0, 3_600], [86_400, 90_000], [600, 600],
        [EXPLOSION] * 2,
    )  # fmt: skip
    assert InProcessEngine().labels(pair, SETTINGS).tolist() == [0, 0]
