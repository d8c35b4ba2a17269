"""The demo chain, command by command, on both stores: the same counts, the same verdicts."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.cli._demo import DEMO_INPUTS

SAMPLES = resources.files("ceasefire").joinpath("samples")


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _chain(db: str, keys: Path) -> dict[str, object]:
    """Run what `ceasefire demo` does, as separate commands against ``db``; return the outcome."""
    outcome: dict[str, object] = {}
    code, out, _ = _run("--db", db, "init", "--origin", "mission.example/log")
    assert code == 0, out
    with resources.as_file(SAMPLES.joinpath("minsk", "agreement.yaml")) as agreement:
        code, out, err = _run("--db", db, "agreement", "load", str(agreement))
    assert code == 0, out + err
    files = []
    for name in DEMO_INPUTS:
        with resources.as_file(SAMPLES.joinpath("reports", name)) as path:
            files.append(str(path))
    code, out, _ = _run("--db", db, "ingest", *files, "--json")
    receipt = json.loads(out)
    outcome["ingest"] = (code, receipt["accepted"], receipt["duplicate"], receipt["rejected"])
    for name in ("lead", "witness"):
        assert _run("ledger", "keygen", name, "--dir", str(keys))[0] == 0
    code, out, err = _run(
        "--db", db, "ledger", "checkpoint", "--key", str(keys / "lead.key"),
        "--key", str(keys / "witness.key"),
    )  # fmt: skip
    assert code == 0, out + err
    code, out, err = _run("--db", db, "ledger", "verify", "--key", str(keys / "witness.pub"))
    outcome["verify"] = code
    code, out, _ = _run("--db", db, "reports", "--json")
    outcome["reports"] = sorted(json.loads(line)["id"] for line in out.splitlines())
    code, out, _ = _run("--db", db, "quarantine", "--json")
    outcome["quarantined"] = sorted(json.loads(line)["id"] for line in out.splitlines())
    first = outcome["reports"][0]  # type: ignore[index]
    code, out, _ = _run("--db", db, "ledger", "prove", str(first))
    outcome["prove"] = code
    code, out, _ = _run("--db", db, "ingest", *files, "--json")
    again = json.loads(out)
    outcome["again"] = (again["accepted"], again["duplicate"])
    return outcome


def test_demo_chain_gives_the_same_on_sqlite_and_postgres(
    tmp_path: Path, postgres_url: str
) -> None:
    """init, agreement load, ingest, checkpoint, verify, prove and a second ingest give the same
    counts, the same stored ids and the same exit codes on PostgreSQL as on SQLite."""
    on_sqlite = _chain(str(tmp_path / "demo.db"), tmp_path / "keys-sqlite")
    on_postgres = _chain(postgres_url, tmp_path / "keys-postgres")
    assert on_postgres == on_sqlite
    assert on_sqlite["verify"] == 0
    assert on_sqlite["prove"] == 0
    _, accepted, duplicate, _ = on_sqlite["ingest"]  # type: ignore[misc]
    assert accepted > 0
    assert on_sqlite["again"] == (0, accepted + duplicate)


@pytest.mark.parametrize(
    "url", ["postgresql://nobody@127.0.0.1:1/none", "mysql://somewhere/db"], ids=["down", "scheme"]
)
def test_unusable_store_url_is_an_error_not_a_traceback(url: str) -> None:
    """A server that cannot be reached, or a URL no store takes, exits 1 with a message."""
    code, _, err = _run("--db", url, "init")
    assert code == 1
    assert "error:" in err
    assert "Traceback" not in err
