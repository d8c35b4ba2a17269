"""What only the PostgreSQL store does: schema versions in the database, the database refusing
changes, migrations racing, PostGIS indexes in use."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from ceasefire.errors import SchemaTooNew
from ceasefire.intake.batch import IntakeBatch
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import open_store
from postgres import HOW_TO_RUN

psycopg = pytest.importorskip("psycopg", reason=HOW_TO_RUN)

from ceasefire.store._postgres_schema import APPEND_ONLY_TABLES, MIGRATIONS  # noqa: E402

CAMERA = Source("cam-1", SourceKind.CAMERA)


def _report(ref: str, lon: float = 37.75, lat: float = 48.14) -> Report:
    data = {
        "source": CAMERA.to_dict(),
        "source_ref": ref,
        "observed_at": "2020-09-15T21:40:00+03:00",
        "location": {"lon": lon, "lat": lat},
        "activity": "explosion",
    }
    return report_from_dict(data, received_at=datetime(2026, 1, 1, tzinfo=UTC), resolver=None)


def test_a_newer_schema_is_refused(postgres_url: str) -> None:
    """A database migrated by a newer ceasefire is refused rather than misread."""
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("SET session_replication_role = replica")
        db.execute("INSERT INTO schema_migrations (version) VALUES (99)")
    with pytest.raises(SchemaTooNew, match="upgrade ceasefire"):
        open_store(postgres_url)


def test_reopening_keeps_everything_and_the_log_continues(postgres_url: str) -> None:
    """Closing and reopening keeps the records; new appends extend the same log."""
    with open_store(postgres_url, origin="mission.example/log") as store:
        store.write_intake(IntakeBatch(reports=[_report("a")], sources=[CAMERA]))
        size, root = store.ledger_size(), store.ledger_root()
    with open_store(postgres_url, origin="someone.else/log") as store:
        assert store.ledger_origin() == "mission.example/log"
        assert store.ledger_size() == size
        assert store.ledger_root(size) == root
        store.write_intake(IntakeBatch(reports=[_report("b")]))
        assert store.ledger_size() == size + 1
        assert store.ledger_root(size) == root
    with psycopg.connect(postgres_url) as db:
        versions = [row[0] for row in db.execute("SELECT version FROM schema_migrations")]
    assert versions == list(range(1, len(MIGRATIONS) + 1))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE reports SET document = '{}'",
        "DELETE FROM reports",
        "TRUNCATE reports CASCADE",
        "UPDATE ledger_leaves SET idx = idx + 1",
        "DELETE FROM ledger_nodes",
    ],
)
def test_the_database_refuses_changes_to_history(postgres_url: str, statement: str) -> None:
    """UPDATE, DELETE and TRUNCATE on stored records and the log fail in the database itself,
    whoever sends them, and nothing changes."""
    with open_store(postgres_url) as store:
        store.write_intake(IntakeBatch(reports=[_report("a")], sources=[CAMERA]))
        before = (store.counts(), store.ledger_root())
    with (
        psycopg.connect(postgres_url) as db,
        pytest.raises(psycopg.errors.RaiseException, match="append-only"),
    ):
        db.execute(statement)
    with open_store(postgres_url) as store:
        assert (store.counts(), store.ledger_root()) == before


def test_every_table_has_its_guard(postgres_url: str) -> None:
    """Every table the schema creates (but PostGIS's own) is guarded by the append-only trigger."""
    open_store(postgres_url).close()
    with psycopg.connect(postgres_url) as db:
        tables = {
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            )
        }
        guarded = {
            row[0]
            for row in db.execute(
                "SELECT DISTINCT event_object_table FROM information_schema.triggers"
                " WHERE trigger_schema = current_schema() AND action_statement LIKE"
                " '%ceasefire_refuse_change%'"
            )
        }
    assert "reports" in tables
    assert tables - {"spatial_ref_sys"} == guarded
    assert set(APPEND_ONLY_TABLES) <= guarded


def test_stores_opening_a_new_database_at_once_migrate_it_once(postgres_url: str) -> None:
    """Four stores opening an empty database at the same moment: one migrates, all open."""
    errors: list[BaseException] = []
    origins: list[str] = []

    def open_one() -> None:
        try:
            with open_store(postgres_url) as store:
                origins.append(store.ledger_origin())
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=open_one) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(origins)) == 1


def test_spatial_queries_use_the_gist_indexes(postgres_url: str) -> None:
    """With enough rows, the planner answers box and distance queries from the GiST indexes."""
    reports = [_report(f"r{n}", 30 + (n % 100) / 10, 40 + (n // 100) / 10) for n in range(5_000)]
    with open_store(postgres_url) as store:
        store.write_intake(IntakeBatch(reports=reports, sources=[CAMERA]))
    near = "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)::geography"
    line = '{"type": "LineString", "coordinates": [[31.0, 41.0], [31.0, 41.5]]}'
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute("ANALYZE reports")
        box = "\n".join(
            str(row[0])
            for row in db.execute(
                "EXPLAIN SELECT id FROM reports WHERE geom && ST_MakeEnvelope(31, 41, 31.2, 41.2,"
                " 4326)"
            )
        )
        distance = "\n".join(
            str(row[0])
            for row in db.execute(
                f"EXPLAIN SELECT id FROM reports WHERE ST_DWithin(geom::geography, {near}, 1000)",
                (line,),
            )
        )
    assert "reports_geom" in box
    assert "reports_geography" in distance
