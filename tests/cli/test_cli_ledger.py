"""The ledger commands: the bundle takes the strongest checkpoint (or the one named), ids by
prefix, and ``ceasefire-verify`` answers for every key it was told to require."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceasefire.cli import cli
from ceasefire.cli.verify import main as verify_main
from records import jsonl, report


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def signed(tmp_path: Path) -> tuple[str, Path, list[str]]:
    """A store with two reports, signed twice at the same size: by the lead alone, then by the
    lead and a witness. Returns the store, the key directory and the report ids."""
    db = str(tmp_path / "l.db")
    path = tmp_path / "r.jsonl"
    path.write_text(jsonl([report("a"), report("b")]))
    _invoke("--db", db, "ingest", str(path))
    keys = tmp_path / "keys"
    for name in ("lead", "witness", "absent"):
        assert _invoke("ledger", "keygen", name, "--dir", str(keys)).exit_code == 0
    lead, witness = str(keys / "lead.key"), str(keys / "witness.key")
    assert _invoke("--db", db, "ledger", "checkpoint", "--key", lead).exit_code == 0
    both = _invoke("--db", db, "ledger", "checkpoint", "--key", lead, "--key", witness)
    assert both.exit_code == 0
    ids = [line.split("\t")[0] for line in _invoke("--db", db, "reports").stdout.splitlines()]
    return db, keys, ids


def _signers(bundle: Path) -> list[str]:
    note = json.loads(bundle.read_text())["checkpoint"]
    return [line.split()[1] for line in note.splitlines() if line.startswith("— ")]


def test_bundle_takes_the_most_signed_checkpoint_at_the_latest_size(
    signed: tuple[str, Path, list[str]], tmp_path: Path
) -> None:
    """Of two checkpoints at one size, the bundle carries the one the witness cosigned."""
    db, _, ids = signed
    out = tmp_path / "b.json"
    result = _invoke("--db", db, "ledger", "bundle", ids[0], "--out", str(out))
    assert result.exit_code == 0
    assert "(2 signature(s))" in result.stdout
    assert _signers(out) == ["lead", "witness"]


def test_bundle_checkpoint_option_names_one(
    signed: tuple[str, Path, list[str]], tmp_path: Path
) -> None:
    """--checkpoint 1 uses the first checkpoint; a number past the last exits 1."""
    db, _, ids = signed
    out = tmp_path / "b.json"
    first = _invoke("--db", db, "ledger", "bundle", ids[0], "--out", str(out), "--checkpoint", "1")
    assert first.exit_code == 0
    assert _signers(out) == ["lead"]
    past = _invoke("--db", db, "ledger", "bundle", ids[0], "--out", str(out), "--checkpoint", "3")
    assert past.exit_code == 1
    assert "no checkpoint 3: 2 have been signed" in past.stderr


def test_checkpoints_lists_each_with_its_signers(signed: tuple[str, Path, list[str]]) -> None:
    """`ledger checkpoints` lists both, numbered, with base64 roots and who signed."""
    db, _, _ = signed
    rows = [
        line.split("\t")
        for line in _invoke("--db", db, "ledger", "checkpoints").stdout.splitlines()
    ]
    assert [row[0] for row in rows] == ["1", "2"]
    assert [row[3] for row in rows] == ["lead", "lead, witness"]
    assert rows[0][2] == rows[1][2]
    assert rows[0][2].endswith("=")  # 32 bytes in padded base64


def test_prove_takes_a_unique_prefix(signed: tuple[str, Path, list[str]]) -> None:
    """`ledger prove` with the first 12 characters of an id proves that record."""
    db, _, ids = signed
    result = _invoke("--db", db, "ledger", "prove", ids[1][:12])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["id"] == ids[1]


def test_ceasefire_verify_prints_one_line_per_required_key(
    signed: tuple[str, Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Each --key gets its own line; all signed: exit 0; one that did not sign: exit 1."""
    db, keys, ids = signed
    out = tmp_path / "b.json"
    _invoke("--db", db, "ledger", "bundle", *ids, "--out", str(out))
    lead, witness, absent = (str(keys / f"{name}.pub") for name in ("lead", "witness", "absent"))
    with pytest.raises(SystemExit) as passed:
        verify_main([str(out), "--key", lead, "--key", witness])
    assert passed.value.code == 0
    printed = capsys.readouterr()
    assert [line.split()[:2] for line in printed.out.splitlines()[:2]] == [
        ["✓", "lead"],
        ["✓", "witness"],
    ]
    with pytest.raises(SystemExit) as failed:
        verify_main([str(out), "--key", lead, "--key", absent])
    assert failed.value.code == 1
    printed = capsys.readouterr()
    assert "✓ lead" in printed.out
    assert "✗ absent" in printed.err
    assert "did not sign" in printed.err
    assert "FAILED" in printed.err


def test_ceasefire_verify_with_only_an_absent_key_fails_naming_it(
    signed: tuple[str, Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """When no required key signed, each still gets its line, and the check fails."""
    db, keys, ids = signed
    out = tmp_path / "b.json"
    _invoke("--db", db, "ledger", "bundle", ids[0], "--out", str(out))
    with pytest.raises(SystemExit) as failed:
        verify_main([str(out), "--key", str(keys / "absent.pub")])
    assert failed.value.code == 1
    assert "✗ absent" in capsys.readouterr().err


def test_ceasefire_verify_refuses_a_private_key_as_usage(
    signed: tuple[str, Path, list[str]], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A .key given to ceasefire-verify is refused in one line with exit 2, no traceback."""
    db, keys, ids = signed
    out = tmp_path / "b.json"
    _invoke("--db", db, "ledger", "bundle", ids[0], "--out", str(out))
    with pytest.raises(SystemExit) as refused:
        verify_main([str(out), "--key", str(keys / "lead.key")])
    assert refused.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_roots_are_shown_in_one_encoding(signed: tuple[str, Path, list[str]]) -> None:
    """`ledger verify`, `ledger checkpoints` and `ledger prove` show roots and hashes in the
    same base64 the signed checkpoint carries."""
    db, _, ids = signed
    listed = _invoke("--db", db, "ledger", "checkpoints").stdout.splitlines()[-1].split("\t")[2]
    note = json.loads(_invoke("--db", db, "ledger", "prove", ids[0]).stdout)["checkpoint"]
    assert note.splitlines()[2] == listed  # origin, size, root: the note's third line
    assert f"root {listed};" in _invoke("--db", db, "ledger", "verify").stdout
