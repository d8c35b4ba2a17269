"""The ledger kept by the store: every record logged, any silent change caught by verify."""

from __future__ import annotations

import base64
import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.cli.verify import run_bundle_check
from ceasefire.clock import FixedClock
from ceasefire.errors import LedgerError
from ceasefire.intake import Intake
from ceasefire.intake.readers import read_records
from ceasefire.ledger import (
    Checkpoint,
    Signer,
    Verifier,
    entry_bytes,
    generate_key,
    leaf_hash,
    sign,
    verify_inclusion,
)
from ceasefire.ledger.bundle import check_bundle
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.ledger.note import parse_note
from ceasefire.store import Store, open_store
from records import jsonl, report

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


def _keys(name: str) -> tuple[Signer, Verifier]:
    signer_text, verifier_text = generate_key(name)
    return Signer.from_string(signer_text), Verifier.from_string(verifier_text)


LEAD = _keys("lead")
WITNESS = _keys("witness")


@pytest.fixture(params=["sqlite", "postgres"])
def db_path(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store (SQLite file or PostgreSQL schema) with 5 reports, 1 quarantined record and
    their source, checkpointed."""
    if request.param == "postgres":
        url = str(request.getfixturevalue("postgres_url"))
    else:
        url = str(tmp_path / "ledger.db")
    with open_store(url) as store:
        text = jsonl([report(f"ref-{n}", count=n + 1) for n in range(5)]) + "{broken\n"
        Intake(store, CLOCK, None).ingest(read_records("batch.jsonl", text))
        LogKeeper(store, CLOCK).checkpoint([LEAD[0], WITNESS[0]])
    return url


@pytest.fixture
def store(db_path: str) -> Iterator[Store]:
    """The checkpointed store, open."""
    with open_store(db_path) as opened:
        yield opened


#: A 32-byte zero hash, in each backend's SQL.
ZERO_HASH = "{zero_hash}"


def _tamper(db_path: str, *statements: str) -> None:
    """Change the database behind the store's back, as someone with its files or its superuser
    could: the append-only triggers (and foreign keys) are switched off first."""
    if db_path.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(db_path, autocommit=True) as db:
            # replica mode fires no ordinary triggers: neither append-only nor foreign keys.
            db.execute("SET session_replication_role = replica")
            for statement in statements:
                db.execute(statement.replace(ZERO_HASH, "decode(repeat('00', 32), 'hex')"))
        return
    db = sqlite3.connect(db_path)
    drops = "".join(
        f"DROP TRIGGER {table}_no_{change};"
        for table in ("reports", "ledger_leaves", "ledger_nodes")
        for change in ("update", "delete")
    )
    db.executescript(
        drops
        + "PRAGMA foreign_keys = OFF;"
        + ";".join(s.replace(ZERO_HASH, "zeroblob(32)") for s in statements)
    )
    db.commit()
    db.close()


def _verify(db_path: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--db", str(db_path), "ledger", "verify"])
    return result.exit_code, result.stdout + result.stderr


def test_every_stored_record_has_a_leaf_that_matches_it(store: Store) -> None:
    """Each source, report and quarantined input is a leaf whose entry is its stored form."""
    logged = list(store.iter_logged())
    assert [r.kind for r in logged] == ["source"] + ["report"] * 5 + ["quarantine"]
    for record in logged:
        assert record.body is not None
        assert (
            leaf_hash(entry_bytes(record.kind, record.record_id, record.body)) == record.leaf_hash
        )
    assert store.unlogged_records() == []


def test_clean_store_verifies(db_path: str) -> None:
    """An untouched store passes ledger verify with exit code 0."""
    code, output = _verify(db_path)
    assert code == 0, output
    assert "7 records match" in output


def test_one_edited_byte_is_named(db_path: str, store: Store) -> None:
    """Editing one byte of a stored report in SQLite makes verify name that report and exit 1."""
    victim = list(store.iter_reports())[2]
    store.close()
    _tamper(
        db_path,
        f"UPDATE reports SET document = replace(document, '\"count\":3', '\"count\":4') "
        f"WHERE id = '{victim.id}'",
    )
    code, output = _verify(db_path)
    assert code == 1
    assert f"report {victim.id}" in output
    assert "no longer matches its leaf" in output


def test_deleted_row_is_caught(db_path: str, store: Store) -> None:
    """Deleting a stored report is caught: its leaf names a record that is gone."""
    victim = next(iter(store.iter_reports()))
    store.close()
    _tamper(
        db_path,
        f"DELETE FROM reports WHERE id = '{victim.id}'",
    )
    code, output = _verify(db_path)
    assert code == 1
    assert f"report {victim.id}" in output
    assert "missing" in output


def test_swapped_rows_are_caught(db_path: str, store: Store) -> None:
    """Swapping the stored documents of two reports is caught for both."""
    first, second = list(store.iter_reports())[:2]
    store.close()
    _tamper(
        db_path,
        "CREATE TEMP TABLE t AS SELECT id, document FROM reports",
        f"UPDATE reports SET document = (SELECT document FROM t WHERE id = '{second.id}') "
        f"WHERE id = '{first.id}'",
        f"UPDATE reports SET document = (SELECT document FROM t WHERE id = '{first.id}') "
        f"WHERE id = '{second.id}'",
    )
    code, output = _verify(db_path)
    assert code == 1
    assert first.id in output
    assert second.id in output


def test_reordered_leaves_are_caught_by_the_checkpoint(db_path: str) -> None:
    """Swapping two whole leaves (record and hash) keeps each record matching its leaf,
    but the recomputed root no longer matches the signed checkpoint."""
    _tamper(
        db_path,
        "UPDATE ledger_leaves SET idx = -1 WHERE idx = 1",
        "UPDATE ledger_leaves SET idx = 1 WHERE idx = 2",
        "UPDATE ledger_leaves SET idx = 2 WHERE idx = -1",
    )
    code, output = _verify(db_path)
    assert code == 1
    assert "checkpoint 1" in output
    assert "rewritten" in output


def test_deleted_leaf_is_caught(db_path: str) -> None:
    """Deleting a leaf leaves a gap and an unlogged record, and both are reported."""
    _tamper(db_path, "DELETE FROM ledger_leaves WHERE idx = 3")
    code, output = _verify(db_path)
    assert code == 1
    assert "leaf 3 is missing" in output
    assert "not in the ledger" in output


def test_signatures_are_checked_with_given_keys(db_path: str, tmp_path: Path) -> None:
    """With --key, a checkpoint signed by nobody trusted fails verify."""
    stranger = tmp_path / "stranger.pub"
    stranger.write_text(_keys("stranger")[1].to_string() + "\n")
    result = CliRunner().invoke(
        cli, ["--db", str(db_path), "ledger", "verify", "--key", str(stranger)]
    )
    assert result.exit_code == 1
    assert "checkpoint 1" in result.stderr


def test_tampered_tree_node_is_caught(db_path: str) -> None:
    """A stored node the root does not read (so proofs through it would fail) is caught."""
    _tamper(
        db_path,
        f"UPDATE ledger_nodes SET hash = {ZERO_HASH} WHERE level = 0 AND idx = 0",
    )
    code, output = _verify(db_path)
    assert code == 1
    assert "nodes at level 0 do not match" in output


def test_keeper_refuses_to_sign_a_rewritten_history(db_path: str) -> None:
    """After history is rewritten, the keeper refuses to sign a new checkpoint."""
    _tamper(
        db_path,
        f"UPDATE ledger_nodes SET hash = {ZERO_HASH} WHERE level = 2 AND idx = 0",
    )
    with open_store(db_path) as store, pytest.raises(LedgerError, match="not consistent"):
        LogKeeper(store, CLOCK).checkpoint([LEAD[0]])


def test_checkpoints_chain_as_the_log_grows(store: Store) -> None:
    """A later checkpoint over a grown log is consistent with the first, and verify passes."""
    Intake(store, CLOCK, None).ingest(read_records("more.jsonl", jsonl([report("later")])))
    LogKeeper(store, CLOCK).checkpoint([LEAD[0]])
    result = LogKeeper(store, CLOCK).verify([LEAD[1], WITNESS[1]])
    assert result.ok, result.problems
    assert result.checkpoints_checked == 2
    assert [c.size for c in store.checkpoints()] == [7, 8]


def test_bundle_verifies_offline_and_catches_an_edit(store: Store) -> None:
    """A bundle checks with nothing but itself and trusted keys; an edited body fails."""
    victim = list(store.iter_reports())[1]
    document = LogKeeper(store, CLOCK).bundle([victim.id], [LEAD[1], WITNESS[1]])
    reread = json.loads(json.dumps(document))
    good = check_bundle(reread, [WITNESS[1]])
    assert good.ok
    assert good.verified == [victim.id]
    assert good.signed_by == ["witness"]
    reread["entries"][0]["body"]["count"] += 1
    bad = check_bundle(reread, [WITNESS[1]])
    assert not bad.ok
    assert victim.id in bad.problems[0]


def test_bundle_with_forged_keys_fails_against_trusted_keys(store: Store) -> None:
    """A bundle re-signed with its own keys passes alone but fails against the trusted keys."""
    victim = next(store.iter_reports())
    forger = _keys("lead")
    document = LogKeeper(store, CLOCK).bundle([victim.id], [forger[1]])
    body = Checkpoint.from_body(parse_note(str(document["checkpoint"]).encode()).text)
    document["checkpoint"] = sign(body, [forger[0]]).decode()
    assert check_bundle(document).ok
    assert check_bundle(document).keys_from_bundle
    assert not check_bundle(document, [LEAD[1]]).ok


def test_cli_prove_and_verify_bundle(
    db_path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`ledger prove` prints a proof that verifies; `ceasefire-verify` checks a bundle file."""
    with open_store(db_path) as store:
        victim = next(store.iter_reports())
        root = store.checkpoints()[-1].root
    runner = CliRunner()
    printed = runner.invoke(cli, ["--db", str(db_path), "ledger", "prove", victim.id]).stdout
    proof = json.loads(printed)
    verify_inclusion(
        proof["leaf_index"],
        proof["tree_size"],
        base64.b64decode(proof["leaf_hash"]),
        [base64.b64decode(step) for step in proof["proof"]],
        root,
    )
    pub = tmp_path / "lead.pub"
    pub.write_text(LEAD[1].to_string() + "\n")
    out = tmp_path / "bundle.json"
    made = runner.invoke(
        cli, ["--db", str(db_path), "ledger", "bundle", victim.id, "--out", str(out)]
    )
    assert made.exit_code == 0, made.output
    assert run_bundle_check(out, [pub]) == 0
    assert "OK: 1 record(s)" in capsys.readouterr().out


#: Edits of the columns kept beside a report's document, in each backend's SQL ({id} is the
#: victim): the position a map or a spatial query reads, the digest the duplicate check reads,
#: the time a window query reads.
DERIVED_EDITS = {
    "position": (
        "UPDATE reports SET lat = lat + 0.5 WHERE id = '{id}'",
        "UPDATE reports SET geom = ST_Translate(geom, 0, 0.5) WHERE id = '{id}'",
        "column lat",
    ),
    "digest": (
        "UPDATE reports SET content_sha256 = 'forged' WHERE id = '{id}'",
        "UPDATE reports SET content_sha256 = 'forged' WHERE id = '{id}'",
        "content_sha256",
    ),
    "time": (
        "UPDATE reports SET observed_at = '2019-01-01T00:00:00+00:00' WHERE id = '{id}'",
        "UPDATE reports SET observed_at = '2019-01-01T00:00:00+00:00' WHERE id = '{id}'",
        "column observed_at",
    ),
}


@pytest.mark.parametrize("edit", DERIVED_EDITS)
def test_edited_derived_columns_are_caught(db_path: str, store: Store, edit: str) -> None:
    """Editing a column kept beside the document (which the ledger entry does not cover) is
    caught by verify, naming the record and the column, on either store."""
    victim = list(store.iter_reports())[1]
    store.close()
    sqlite_sql, postgres_sql, named = DERIVED_EDITS[edit]
    statement = postgres_sql if db_path.startswith("postgresql://") else sqlite_sql
    _tamper(db_path, statement.format(id=victim.id))
    code, output = _verify(db_path)
    assert code == 1
    assert victim.id in output
    assert named in output
