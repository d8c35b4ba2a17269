"""A writer that meets another's lock waits, then gives up in one sentence, losing nothing."""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.clock import FixedClock
from ceasefire.errors import StoreBusy
from ceasefire.intake import Intake
from ceasefire.intake.batch import IntakeBatch, IntakeWritten
from ceasefire.intake.readers import Format, read_records
from ceasefire.intake.receipt import IntakeInterrupted, Outcome
from ceasefire.model.source import Source
from ceasefire.store import open_store
from ceasefire.store.sqlite import SQLiteStore
from records import jsonl, report

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def locked(tmp_path: Path) -> Iterator[Path]:
    """A store file whose write lock another connection holds for the whole test."""
    db = tmp_path / "store.db"
    open_store(db).close()
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    yield db
    holder.execute("ROLLBACK")
    holder.close()


def test_a_writer_gives_up_with_store_busy_and_writes_nothing(locked: Path) -> None:
    """Past its wait the write raises StoreBusy naming the file; nothing of it is stored."""
    raw = read_records("a.jsonl", jsonl([report("a")]), Format.JSONL)
    with SQLiteStore(locked, busy_timeout=0.2) as store:
        with pytest.raises(IntakeInterrupted, match="locked by another writer") as caught:
            Intake(store, FixedClock(NOW), None).ingest(raw)
        assert isinstance(caught.value.cause, StoreBusy)
    with open_store(locked) as store:
        assert store.counts().reports == 0


def test_ingest_on_a_locked_store_exits_1_with_one_line(
    locked: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`ceasefire ingest` on a store locked past CEASEFIRE_BUSY_TIMEOUT prints one error line
    and exits 1, with no traceback."""
    monkeypatch.setenv("CEASEFIRE_BUSY_TIMEOUT", "0.2")
    batch = tmp_path / "a.jsonl"
    batch.write_text(jsonl([report("a")]))
    result = CliRunner().invoke(cli, ["--db", str(locked), "ingest", str(batch), "--json"])
    assert result.exit_code == 1
    assert "locked by another writer" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_bad_busy_timeout_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """CEASEFIRE_BUSY_TIMEOUT that is not a number of seconds is a clear error."""
    monkeypatch.setenv("CEASEFIRE_BUSY_TIMEOUT", "soon")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "init"])
    assert result.exit_code == 1
    assert "CEASEFIRE_BUSY_TIMEOUT" in result.output


class _BusyAfterFirstWrite:
    """A store that takes one chunk, then finds the lock held for good."""

    def __init__(self, inner: SQLiteStore) -> None:
        self.inner = inner
        self.writes = 0

    def sources(self) -> dict[str, Source]:
        return self.inner.sources()

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        return self.inner.content_digests(ids)

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        self.writes += 1
        if self.writes > 1:
            raise StoreBusy("store.db is locked by another writer")
        return self.inner.write_intake(batch)


def test_an_interrupted_intake_keeps_the_receipt_of_what_committed(tmp_path: Path) -> None:
    """When a later chunk fails on the lock, the error carries the receipt of the chunks that
    committed before it, and exactly those records are stored."""
    with SQLiteStore(tmp_path / "store.db") as inner:
        store = _BusyAfterFirstWrite(inner)
        raw = read_records("a.jsonl", jsonl([report(f"r{n}") for n in range(5)]), Format.JSONL)
        with pytest.raises(IntakeInterrupted) as caught:
            Intake(store, FixedClock(NOW), None, chunk_size=2).ingest(raw)
        receipt = caught.value.receipt
        assert [r.outcome for r in receipt.records] == [Outcome.ACCEPTED] * 2
        assert {r.id for r in receipt.records} == {r.id for r in inner.iter_reports()}
        assert "2 record(s) before this point" in str(caught.value)
