"""``ledger verify`` names what differs, trusts published checkpoints, survives a damaged tree;
``ledger checkpoint --out`` publishes the note and refuses a changed origin."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceasefire.cli import cli
from ceasefire.clock import FixedClock
from ceasefire.intake import Intake
from ceasefire.intake.readers import read_records
from ceasefire.ledger import Signer, Verifier, generate_key, save_signer, save_verifier
from ceasefire.store import open_store
from records import jsonl, report

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
SIGNER_TEXT, VERIFIER_TEXT = generate_key("lead")


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    """The lead's key pair as files."""
    key, pub = tmp_path / "lead.key", tmp_path / "lead.pub"
    save_signer(key, Signer.from_string(SIGNER_TEXT))
    save_verifier(pub, Verifier.from_string(VERIFIER_TEXT))
    return key, pub


@pytest.fixture
def db(tmp_path: Path) -> Path:
    """A store with 20 reports (leaves 1-20, after their source at leaf 0)."""
    path = tmp_path / "store.db"
    with open_store(path, origin="mission.example/log") as store:
        text = jsonl([report(f"ref-{n}", count=n + 1) for n in range(20)])
        Intake(store, CLOCK, None).ingest(read_records("batch.jsonl", text))
    return path


def _run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def _tamper(db: Path, *statements: str) -> None:
    connection = sqlite3.connect(db, isolation_level=None)
    for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'"):
        connection.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        connection.execute(statement)
    connection.close()


def test_two_swapped_leaves_are_named(db: Path) -> None:
    """Swapping two whole leaves names exactly those two leaves."""
    _tamper(
        db,
        "UPDATE ledger_leaves SET idx = -1 WHERE idx = 5",
        "UPDATE ledger_leaves SET idx = 5 WHERE idx = 9",
        "UPDATE ledger_leaves SET idx = 9 WHERE idx = -1",
    )
    result = _run(db, "ledger", "verify")
    assert result.exit_code == 1
    assert "level 0 do not match the leaves: 2 differ (leaf 5, 9)" in result.stderr


def test_one_deleted_middle_leaf_is_one_missing_leaf(db: Path) -> None:
    """A deleted middle leaf is reported once, as that one leaf, not as every leaf after it."""
    _tamper(db, "DELETE FROM ledger_leaves WHERE idx = 7")
    result = _run(db, "ledger", "verify")
    assert result.exit_code == 1
    assert "leaf 7 is missing (the next stored leaf is 8)" in result.stderr
    assert result.stderr.count("is missing") == 1
    assert "1 extra, with no leaves under them (leaf 7)" in result.stderr


def test_a_missing_tree_node_is_damage_and_reading_still_works(db: Path) -> None:
    """With a tree node gone, verify reports it, read-only commands still work, and a write
    is refused in one line, never with a KeyError traceback."""
    _tamper(db, "DELETE FROM ledger_nodes WHERE level = 4 AND idx = 0")
    verify = _run(db, "ledger", "verify")
    assert verify.exit_code == 1
    assert "level 4 do not match the leaves: 1 missing (index 0)" in verify.stderr
    listed = _run(db, "reports", "--json")
    assert listed.exit_code == 0
    assert listed.stdout.count("\n") == 20
    assert _run(db, "quarantine").exit_code == 0
    batch = db.parent / "more.jsonl"
    batch.write_text(jsonl([report("new-1")]))
    ingest = _run(db, "ingest", str(batch))
    assert ingest.exit_code == 1
    assert "the ledger is damaged: a tree node is missing" in ingest.stderr
    assert not isinstance(ingest.exception, KeyError)


def test_checkpoint_out_is_trusted_by_verify(db: Path, keys: tuple[Path, Path]) -> None:
    """`checkpoint --out` writes the signed note; `verify --checkpoint` with it passes on the
    untouched log and catches a log cut back to before it."""
    key, pub = keys
    published = db.parent / "published" / "checkpoint.txt"
    signed = _run(db, "ledger", "checkpoint", "--key", str(key), "--out", str(published))
    assert signed.exit_code == 0, signed.output
    assert published.read_text() == signed.stdout
    ok = _run(db, "ledger", "verify", "--key", str(pub), "--checkpoint", str(published))
    assert ok.exit_code == 0, ok.output
    assert "1 trusted from outside" in ok.stdout
    _tamper(
        db,
        "DELETE FROM reports WHERE id IN (SELECT record_id FROM ledger_leaves WHERE idx >= 15)",
        "DELETE FROM ledger_leaves WHERE idx >= 15",
        "DELETE FROM ledger_nodes WHERE ((idx + 1) << level) > 15",
        "DELETE FROM checkpoints",
    )
    assert _run(db, "ledger", "verify").exit_code == 0  # alone, the store cannot tell
    cut = _run(db, "ledger", "verify", "--checkpoint", str(published))
    assert cut.exit_code == 1
    assert "the log has only 15 leaves; entries it signed were removed" in cut.stderr


def test_keeper_refuses_to_sign_under_a_changed_origin(db: Path, keys: tuple[Path, Path]) -> None:
    """Once a checkpoint is signed, a changed meta.ledger_origin is refused at the next one
    and reported by verify."""
    key, _pub = keys
    assert _run(db, "ledger", "checkpoint", "--key", str(key)).exit_code == 0
    _tamper(db, "UPDATE meta SET value = 'evil.example/log' WHERE key = 'ledger_origin'")
    again = _run(db, "ledger", "checkpoint", "--key", str(key))
    assert again.exit_code == 1
    assert "the origin was changed" in again.stderr
    verify = _run(db, "ledger", "verify")
    assert verify.exit_code == 1
    assert "signed for origin 'mission.example/log'" in verify.stderr
