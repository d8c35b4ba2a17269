"""What only the SQLite store does: schema versions on disk, reopening a file."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ceasefire.clock import FixedClock
from ceasefire.errors import SchemaTooNew
from ceasefire.intake.batch import IntakeBatch
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import open_store
from ceasefire.store.sqlite import SQLiteStore

CAMERA = Source("cam-1", SourceKind.CAMERA)


def _report(ref: str) -> Report:
    data = {
        "source": CAMERA.to_dict(),
        "source_ref": ref,
        "observed_at": "2020-09-15T21:40:00+03:00",
        "location": {"lon": 37.75, "lat": 48.14},
        "activity": "explosion",
    }
    return report_from_dict(data, received_at=datetime(2026, 1, 1, tzinfo=UTC), resolver=None)


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    """A database written by a newer ceasefire is refused rather than misread."""
    path = tmp_path / "future.db"
    open_store(path).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    with pytest.raises(SchemaTooNew, match="upgrade ceasefire"):
        open_store(path)


def test_reopening_keeps_everything_and_the_log_continues(tmp_path: Path) -> None:
    """Closing and reopening a store file keeps its records, and new appends extend the log."""
    path = tmp_path / "again.db"
    with open_store(path) as store:
        store.write_intake(IntakeBatch(reports=[_report("a")], sources=[CAMERA]))
        size, root = store.ledger_size(), store.ledger_root()
    with open_store(path) as store:
        assert store.ledger_size() == size
        assert store.ledger_root(size) == root
        store.write_intake(IntakeBatch(reports=[_report("b")]))
        assert store.ledger_size() == size + 1
        assert store.ledger_root(size) == root


def test_verify_derives_each_report_row_as_the_writer_did(tmp_path: Path) -> None:
    """For points, places and bearings, the row ledger verify derives from a stored document
    is exactly the row the write path stored (so a difference always means tampering)."""
    from ceasefire.geo.gazetteer import bundled
    from ceasefire.intake import Intake
    from ceasefire.intake.readers import Format, read_records
    from ceasefire.store._sqlite_derived import _expected_report
    from ceasefire.store._sqlite_rows import REPORT_COLUMNS

    samples = Path(__file__).resolve().parents[2] / "src" / "ceasefire" / "samples" / "reports"
    clock = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
    with SQLiteStore(tmp_path / "store.db") as store:
        for name in ("patrols.jsonl", "cameras.csv", "complaints.geojson"):
            text = (samples / name).read_text(encoding="utf-8")
            Intake(store, clock, bundled()).ingest(read_records(name, text, Format.AUTO))
        rows = store._db.execute(f"SELECT {', '.join(REPORT_COLUMNS)} FROM reports").fetchall()
        assert len(rows) >= 10
        for row in rows:
            expected, _evidence = _expected_report(row["document"])
            assert tuple(row) == expected
        assert list(store.derived_problems()) == []
