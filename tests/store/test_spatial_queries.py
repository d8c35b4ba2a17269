"""The spatial queries: known answers on every store, and SQLite (shapely) against PostGIS."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import shapely

from ceasefire.geo.projection import LocalProjection
from ceasefire.intake.batch import IntakeBatch
from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import Store, open_store
from postgres import Server

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CAMERA = Source("cam-1", SourceKind.CAMERA)
T0 = datetime(2020, 9, 15, tzinfo=UTC)
#: A north-south "contact line" along 38.5° E, from 47.5° N to 48.5° N.
LINE = {"type": "LineString", "coordinates": [[38.5, 47.5], [38.5, 48.5]]}
#: A square zone 37.6-37.8° E, 48.0-48.2° N.
ZONE = {
    "type": "Polygon",
    "coordinates": [[[37.6, 48.0], [37.8, 48.0], [37.8, 48.2], [37.6, 48.2], [37.6, 48.0]]],
}


def _report(ref: str, lon: float, lat: float, at: datetime) -> Report:
    data = {
        "source": CAMERA.to_dict(),
        "source_ref": ref,
        "observed_at": at.isoformat(),
        "location": {"lon": lon, "lat": lat, "uncertainty_m": 100},
        "activity": "explosion",
    }
    return report_from_dict(data, received_at=NOW, resolver=None)


def _coverage(ref: str, west: float, south: float, start: datetime, hours: int) -> Coverage:
    ring = [[west, south], [west + 0.1, south], [west + 0.1, south + 0.1], [west, south]]
    return coverage_from_dict(
        {
            "source_ref": ref,
            "status": "observing",
            "observed_from": start.isoformat(),
            "observed_until": (start + timedelta(hours=hours)).isoformat(),
            "sector": {"type": "Polygon", "coordinates": [ring]},
        },
        received_at=NOW,
        source=CAMERA,
    )


def _east_of_line(km: float, lat: float = 48.0) -> tuple[float, float]:
    """The point ``km`` kilometres due east of the line at ``lat`` (measured in metres)."""
    projection = LocalProjection.centred_on(38.5, lat)
    point = projection.to_wgs84(shapely.Point(km * 1000, 0))
    return point.x, point.y


def test_known_answers(store: Store) -> None:
    """Near the line, inside the zone, in the box and window: each report where it should be."""
    near = _report("near", *_east_of_line(10), T0)
    far = _report("far", *_east_of_line(40), T0)
    in_zone = _report("zone", 37.7, 48.1, T0 + timedelta(hours=1))
    on_edge = _report("edge", 37.6, 48.1, T0 + timedelta(hours=2))
    later = _report("later", 37.7, 48.1, T0 + timedelta(days=3))
    everything = [near, far, in_zone, on_edge, later]
    store.write_intake(IntakeBatch(reports=everything, sources=[CAMERA]))

    assert store.reports_where(near=LINE, within_m=25_000) == [near.id]
    assert store.reports_where(near=LINE, within_m=50_000) == [near.id, far.id]
    assert store.reports_where(inside=ZONE) == [in_zone.id, on_edge.id, later.id]
    window = {"start": T0, "end": T0 + timedelta(days=1)}
    assert store.reports_where(inside=ZONE, **window) == [in_zone.id, on_edge.id]
    assert store.reports_where(start=T0 + timedelta(hours=1), end=T0 + timedelta(hours=2)) == [
        in_zone.id
    ]  # the window is half-open: [start, end)
    assert store.reports_where(bbox=(37.6, 48.0, 37.7, 48.1)) == [in_zone.id, on_edge.id, later.id]
    assert store.reports_where(bbox=(30.0, 40.0, 31.0, 41.0)) == []


def test_known_coverage_answers(store: Store) -> None:
    """Coverage over a sector during a window: overlapping windows and sectors only."""
    early = _coverage("early", 37.6, 48.0, T0, 6)
    late = _coverage("late", 37.6, 48.0, T0 + timedelta(hours=12), 6)
    elsewhere = _coverage("elsewhere", 39.0, 47.0, T0, 24)
    store.write_intake(IntakeBatch(coverage=[early, late, elsewhere], sources=[CAMERA]))
    assert store.coverage_where(sector=ZONE) == [early.id, late.id]
    assert store.coverage_where(start=T0 + timedelta(hours=5), end=T0 + timedelta(hours=13)) == [
        early.id,
        late.id,
        elsewhere.id,
    ]
    assert store.coverage_where(sector=ZONE, start=T0 + timedelta(hours=6)) == [late.id]
    assert store.coverage_where() == [early.id, late.id, elsewhere.id]


def _scatter(count: int, seed: int) -> tuple[list[Report], list[Coverage]]:
    rng = random.Random(seed)
    reports = [
        _report(
            f"r{n}",
            rng.uniform(37.0, 39.0),
            rng.uniform(47.3, 48.7),
            T0 + timedelta(minutes=rng.randrange(0, 7 * 24 * 60)),
        )
        for n in range(count)
    ]
    coverage = [
        _coverage(
            f"c{n}",
            rng.uniform(37.0, 38.9),
            rng.uniform(47.3, 48.6),
            T0 + timedelta(hours=rng.randrange(0, 7 * 24)),
            rng.randrange(1, 24),
        )
        for n in range(count // 10)
    ]
    return reports, coverage


@pytest.fixture(scope="module")
def both(
    tmp_path_factory: pytest.TempPathFactory, postgres_server: Server
) -> Iterator[tuple[Store, Store]]:
    """A SQLite store and a PostgreSQL store holding the same 3,000 reports and 300 sectors
    (built once for the module: the tests only read)."""
    postgres_url = postgres_server.fresh_schema()
    reports, coverage = _scatter(3_000, seed=11)
    batch = IntakeBatch(reports=reports, coverage=coverage, sources=[CAMERA])
    sqlite_path = tmp_path_factory.mktemp("spatial") / "s.db"
    with open_store(sqlite_path) as sqlite, open_store(postgres_url) as postgres:
        sqlite.write_intake(batch)
        postgres.write_intake(batch)
        yield sqlite, postgres


QUERIES: dict[str, dict[str, Any]] = {
    "window and box": {
        "start": T0 + timedelta(days=1),
        "end": T0 + timedelta(days=3),
        "bbox": (37.5, 47.8, 38.4, 48.3),
    },
    "inside a zone": {"inside": ZONE},
    "inside a zone in a window": {"inside": ZONE, "start": T0, "end": T0 + timedelta(days=2)},
    "box only": {"bbox": (37.0, 47.3, 37.5, 47.6)},
}


@pytest.mark.parametrize("name", QUERIES)
def test_sqlite_and_postgis_give_the_same_reports(both: tuple[Store, Store], name: str) -> None:
    """Window, box and zone queries: shapely on SQLite and PostGIS return the same ids in order."""
    sqlite, postgres = both
    answer = sqlite.reports_where(**QUERIES[name])
    assert answer  # a query that matches nothing would compare nothing
    assert postgres.reports_where(**QUERIES[name]) == answer


@pytest.mark.parametrize("km", [5, 25])
def test_within_distance_agrees_but_for_points_at_the_limit(
    both: tuple[Store, Store], km: int
) -> None:
    """Within D km of the line: the projected (SQLite) and spheroidal (PostGIS) answers differ
    only for points whose distance is within 0.2 % of D."""
    sqlite, postgres = both
    ours = sqlite.reports_where(near=LINE, within_m=km * 1000)
    theirs = postgres.reports_where(near=LINE, within_m=km * 1000)
    assert len(ours) > 50
    projection = LocalProjection.centred_on(38.5, 48.0)
    line = projection.to_metric(shapely.geometry.shape(LINE))
    for report_id in set(ours) ^ set(theirs):
        estimate = sqlite.get_report(report_id).location.estimate()
        assert estimate is not None
        distance = line.distance(
            shapely.Point(projection.point_to_metric(estimate.lon, estimate.lat))
        )
        assert abs(distance - km * 1000) < 0.002 * km * 1000, report_id
    assert len(set(ours) ^ set(theirs)) <= 0.01 * len(ours)


def test_sqlite_and_postgis_give_the_same_coverage(both: tuple[Store, Store]) -> None:
    """Coverage over a sector in a window: the same ids in order from both stores."""
    sqlite, postgres = both
    window = {"start": T0 + timedelta(days=2), "end": T0 + timedelta(days=4)}
    answer = sqlite.coverage_where(sector=ZONE, **window)
    assert answer
    assert postgres.coverage_where(sector=ZONE, **window) == answer
    assert postgres.coverage_where(**window) == sqlite.coverage_where(**window)
