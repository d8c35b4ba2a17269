"""Benchmark of the two stores: ingest throughput, a spatial query, and PostGIS clustering.

Run: ``.venv/bin/python benchmarks/store.py [--reports N] [--points M]`` (defaults 100,000 and
1,000,000), or ``make bench``. PostgreSQL is ``$CEASEFIRE_BENCH_POSTGRES`` (default
``postgresql://postgres@127.0.0.1:5432/postgres``); a throw-away database is created there and
dropped at the end. Without a server the PostgreSQL figures are left out, and it says so.

1. **Ingest**: N reports written through ``Store.write_intake`` in batches of 500 (intake's
   chunk: one transaction each, ledger appended inside it), into a fresh SQLite file and a fresh
   PostgreSQL database. Baselines, the same rows (id, document, lon, lat, time) in the same run:
   SQLite ``executemany`` into a plain table in transactions of 500, PostgreSQL one ``COPY``
   into a plain table. Printed as reports/s and the ratio store time / baseline time.
2. **Within 25 km of the contact line** (the Minsk sample's) over M reports loaded straight into
   each store's ``reports`` table (bulk rows, not through the write path: the query reads only
   that table), answered by ``Store.reports_where(near=line, within_m=25_000)``: PostGIS
   ``ST_DWithin`` on geography with its GiST index, SQLite a box in SQL then shapely. Best of 3.
3. **PostGIS clustering as a fusion baseline**: ``ST_ClusterDBSCAN(geom in UTM 37N, eps 2 km,
   minpoints 1) OVER (PARTITION BY hour)`` over the same M points. How it differs from the
   project's fusion is printed with the figure.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from ceasefire.agreement.loader import load_agreement
from ceasefire.intake.batch import IntakeBatch
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import Store, open_store

SERVER = os.environ.get("CEASEFIRE_BENCH_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
CAMERA = Source("cam-1", SourceKind.CAMERA)
T0 = datetime(2020, 9, 1, tzinfo=UTC)
CHUNK = 500
AGREEMENT = Path(__file__).resolve().parents[1] / "src/ceasefire/samples/minsk/agreement.yaml"

DBSCAN_DIFFERENCES = """\
  How ST_ClusterDBSCAN differs from the project's fusion:
  - fixed time buckets: two reports a minute apart across an hour boundary never join, and
    one bucket joins reports 59 minutes apart; fusion gates on the time between reports;
  - one distance for every point: fusion weighs each report's own uncertainty (a 5 km place
    name and a 50 m GPS fix are not equally close);
  - chaining: DBSCAN links A-B-C even when A and C are far apart; fusion bounds an incident;
  - no activity, no provenance: it clusters an explosion with a drone flight, and counts a copy
    of a report as a second point, where fusion counts independent sources only."""


def _contact_line() -> dict[str, Any]:
    import shapely

    line = load_agreement(AGREEMENT).line("contact_line").geometry
    return dict(shapely.geometry.mapping(line))


def _points(count: int, seed: int) -> Iterator[tuple[float, float, datetime]]:
    """Random points over the contact line's box widened by 1°, over 30 days."""
    rng = random.Random(seed)
    west, south, east, north = 36.8, 46.9, 40.7, 49.2
    for _ in range(count):
        minutes = rng.randrange(30 * 24 * 60)
        yield rng.uniform(west, east), rng.uniform(south, north), T0 + timedelta(minutes=minutes)


def _reports(count: int) -> list[Report]:
    now = datetime(2026, 1, 1, tzinfo=UTC)
    return [
        report_from_dict(
            {
                "source": CAMERA.to_dict(),
                "source_ref": f"EV-{n}",
                "observed_at": at.isoformat(),
                "location": {"lon": round(lon, 5), "lat": round(lat, 5), "uncertainty_m": 500},
                "activity": "explosion",
                "narrative": "Camera: undetermined explosion.",
            },
            received_at=now,
            resolver=None,
        )
        for n, (lon, lat, at) in enumerate(_points(count, seed=1))
    ]


def _timed(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _ingest(store: Store, reports: list[Report]) -> None:
    store.write_intake(IntakeBatch(sources=[CAMERA]))
    for start in range(0, len(reports), CHUNK):
        store.write_intake(IntakeBatch(reports=reports[start : start + CHUNK]))


def _rows(reports: list[Report]) -> list[tuple[str, str, float, float, str]]:
    rows = []
    for report in reports:
        estimate = report.location.estimate()
        assert estimate is not None
        document = json.dumps(report.to_dict(), sort_keys=True, separators=(",", ":"))
        rows.append(
            (report.id, document, estimate.lon, estimate.lat, report.observed_at.isoformat())
        )
    return rows


def _sqlite_baseline(path: Path, rows: list[tuple[str, str, float, float, str]]) -> None:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute(
        "CREATE TABLE plain (id TEXT PRIMARY KEY, document TEXT, lon REAL, lat REAL, t TEXT)"
    )
    for start in range(0, len(rows), CHUNK):
        db.execute("BEGIN")
        db.executemany("INSERT INTO plain VALUES (?, ?, ?, ?, ?)", rows[start : start + CHUNK])
        db.execute("COMMIT")
    db.close()


def _postgres_baseline(url: str, rows: list[tuple[str, str, float, float, str]]) -> None:
    import psycopg

    with psycopg.connect(url) as db:
        db.execute(
            "CREATE TABLE plain (id text PRIMARY KEY, document text, lon float8, lat float8,"
            " t timestamptz)"
        )
        with db.cursor() as cursor, cursor.copy("COPY plain FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


class _Postgres:
    """A throw-away benchmark database on the server, or the reason there is none."""

    def __init__(self) -> None:
        self.name = f"ceasefire_bench_{uuid.uuid4().hex[:10]}"
        self.error: str | None = None
        try:
            import psycopg

            with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{self.name}"')
        except Exception as error:  # the driver missing or the server down: say so, go on
            self.error = str(error).strip()

    def url(self) -> str:
        import psycopg.conninfo

        info = psycopg.conninfo.conninfo_to_dict(SERVER)
        user, host = info.get("user", "postgres"), info.get("host", "127.0.0.1")
        return f"postgresql://{user}@{host}:{info.get('port', 5432)}/{self.name}"

    def drop(self) -> None:
        if self.error is None:
            import psycopg

            with psycopg.connect(SERVER, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def ingest(count: int, workdir: Path, postgres: _Postgres) -> None:
    """Benchmark 1: write_intake against executemany / COPY of the same rows."""
    print(f"-- ingest: {count:,} reports, transactions of {CHUNK}", flush=True)
    reports = _reports(count)
    rows = _rows(reports)
    with open_store(workdir / "ingest.db") as store:
        ours = _timed(lambda: _ingest(store, reports))
    baseline = _timed(lambda: _sqlite_baseline(workdir / "baseline.db", rows))
    _ingest_line("SQLite", count, ours, "executemany", baseline)
    if postgres.error is not None:
        return
    with open_store(postgres.url(), origin="bench.invalid/ingest") as store:
        ours = _timed(lambda: _ingest(store, reports))
        assert store.counts().reports == count
    baseline = _timed(lambda: _postgres_baseline(postgres.url(), rows))
    _ingest_line("PostgreSQL", count, ours, "COPY", baseline)


def _ingest_line(name: str, count: int, ours: float, how: str, baseline: float) -> None:
    print(
        f"{name:<11} store {count / ours:>9,.0f} reports/s ({ours:6.2f} s)   "
        f"{how} {count / baseline:>9,.0f} rows/s ({baseline:6.2f} s)"
        f"   ratio {ours / baseline:5.1f}x",
        flush=True,
    )


def _bulk_rows(count: int) -> Iterator[tuple[str, float, float, str]]:
    for n, (lon, lat, at) in enumerate(_points(count, seed=2)):
        yield f"r-{n:032x}", lon, lat, at.isoformat()


def _load_sqlite(path: Path, count: int) -> float:
    """Load ``count`` report rows straight into a fresh store's table; return the seconds."""
    open_store(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    started = time.perf_counter()
    db.execute("BEGIN")
    db.execute(
        "INSERT INTO sources (id, kind, document) VALUES ('cam-1', 'camera', ?)",
        (json.dumps(CAMERA.to_dict()),),
    )
    db.executemany(
        "INSERT INTO reports (id, source_id, observed_at, activity, lon, lat, uncertainty_m,"
        " received_at, schema_version, content_sha256, document)"
        " VALUES (?, 'cam-1', ?, 'explosion', ?, ?, 500, ?, 2, '', '{}')",
        ((rid, at, lon, lat, at) for rid, lon, lat, at in _bulk_rows(count)),
    )
    db.execute("COMMIT")
    db.close()
    return time.perf_counter() - started


def _load_postgres(url: str, count: int) -> float:
    import psycopg

    open_store(url, origin="bench.invalid/query").close()
    started = time.perf_counter()
    with psycopg.connect(url) as db:
        db.execute(
            "INSERT INTO sources (id, kind, document) VALUES ('cam-1', 'camera', %s)",
            (json.dumps(CAMERA.to_dict()),),
        )
        with (
            db.cursor() as cursor,
            cursor.copy(
                "COPY reports (id, source_id, observed_at, activity, geom, uncertainty_m,"
                " received_at, schema_version, content_sha256, document) FROM STDIN"
            ) as copy,
        ):
            for rid, lon, lat, at in _bulk_rows(count):
                copy.write_row(
                    (
                        rid,
                        "cam-1",
                        at,
                        "explosion",
                        f"SRID=4326;POINT({lon} {lat})",
                        500,
                        at,
                        2,
                        "",
                        "{}",
                    )
                )
    with psycopg.connect(url, autocommit=True) as db:
        db.execute("ANALYZE reports")
    return time.perf_counter() - started


def _best_of(times: int, work: Callable[[], list[str]]) -> tuple[float, list[str]]:
    best, answer = float("inf"), []
    for _ in range(times):
        started = time.perf_counter()
        answer = work()
        best = min(best, time.perf_counter() - started)
    return best, answer


def query(count: int, workdir: Path, postgres: _Postgres) -> None:
    """Benchmark 2 and 3: the 25 km query on both stores, then ST_ClusterDBSCAN."""
    print(f"-- reports within 25 km of the contact line, {count:,} reports", flush=True)
    line = _contact_line()
    loaded = _load_sqlite(workdir / "query.db", count)
    with open_store(workdir / "query.db") as store:
        took, ours = _best_of(3, lambda: store.reports_where(near=line, within_m=25_000))
    print(
        f"SQLite      load {loaded:6.2f} s   query {took:6.3f} s   {len(ours):,} reports",
        flush=True,
    )
    if postgres.error is not None:
        return
    loaded = _load_postgres(postgres.url(), count)
    with open_store(postgres.url()) as store:
        took, theirs = _best_of(3, lambda: store.reports_where(near=line, within_m=25_000))
    differ = len(set(ours) ^ set(theirs))
    print(
        f"PostgreSQL  load {loaded:6.2f} s   query {took:6.3f} s   {len(theirs):,} reports"
        f"   ({differ} differ from SQLite: points at the limit, projected vs spheroid)",
        flush=True,
    )
    _dbscan(postgres.url(), count)


def _dbscan(url: str, count: int) -> None:
    import psycopg

    print(f"-- fusion baseline: ST_ClusterDBSCAN, eps 2 km, per hour, {count:,} points", flush=True)
    with psycopg.connect(url) as db:
        started = time.perf_counter()
        row = db.execute(
            "SELECT count(DISTINCT (bucket, cluster)) FROM (SELECT date_trunc('hour', observed_at)"
            " AS bucket, ST_ClusterDBSCAN(ST_Transform(geom, 32637), eps := 2000, minpoints := 1)"
            " OVER (PARTITION BY date_trunc('hour', observed_at)) AS cluster FROM reports) t"
        ).fetchone()
        took = time.perf_counter() - started
    clusters = int(row[0]) if row else 0
    print(f"PostGIS     {took:6.2f} s   {clusters:,} clusters   ({count / took:,.0f} points/s)")
    print(DBSCAN_DIFFERENCES, flush=True)


def main() -> None:
    """Run the three benchmarks and print their figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="reports to ingest")
    parser.add_argument("--points", type=int, default=1_000_000, help="reports to query")
    args = parser.parse_args()
    for_ingest, for_query = _Postgres(), _Postgres()
    if for_ingest.error is not None:
        print(f"PostgreSQL left out: {for_ingest.error} (set CEASEFIRE_BENCH_POSTGRES)")
    try:
        with tempfile.TemporaryDirectory() as directory:
            ingest(args.reports, Path(directory), for_ingest)
            query(args.points, Path(directory), for_query)
    finally:
        for_ingest.drop()
        for_query.drop()


if __name__ == "__main__":
    main()
