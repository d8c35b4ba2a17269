"""The intake commands: ingest, reports, quarantine; exit codes and receipts."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from records import jsonl, report

SAMPLES = resources.files("ceasefire").joinpath("samples", "reports")


@pytest.fixture(params=["sqlite", "postgres"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A store for one test: a SQLite file, or an empty PostgreSQL schema."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return str(tmp_path / "test.db")


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_ingest_then_again_says_nothing_changed(db: str, tmp_path: Path) -> None:
    """A clean file ingests with exit 0; the second time nothing is added and the output says so."""
    path = tmp_path / "ok.jsonl"
    path.write_text(jsonl([report("a"), report("b")]))
    code, _, err = _run(db, "ingest", str(path))
    assert code == 0
    assert "2 accepted" in err
    code, out, err = _run(db, "ingest", str(path))
    assert code == 0
    assert out == "ok.jsonl\t0\t2\t0\n"
    assert "0 accepted, 2 duplicate, 0 rejected" in err
    assert "nothing changed" in err


def test_refused_records_exit_1_with_reasons_on_stderr(db: str, tmp_path: Path) -> None:
    """A file with a malformed record exits 1, names file, line, field and reason on stderr."""
    path = tmp_path / "mixed.jsonl"
    path.write_text(jsonl([report("a"), report("b", activity="explosoin")]))
    code, _, err = _run(db, "ingest", str(path))
    assert code == 1
    assert "1 accepted" in err
    assert "mixed.jsonl: line 2: activity:" in err
    code, out, _ = _run(db, "quarantine", "--json")
    [item] = [json.loads(line) for line in out.splitlines()]
    assert item["field"] == "activity"
    assert item["position"] == "line 2"


def test_json_receipt(db: str) -> None:
    """--json prints a machine-readable receipt with counts and each record's fate."""
    files = [str(SAMPLES.joinpath(name)) for name in ("patrols.jsonl", "cameras.csv")]
    code, out, _ = _run(db, "ingest", *files, "--json")
    receipt = json.loads(out)
    assert code == 1  # the samples hold malformed records on purpose
    assert receipt["accepted"] == 9
    assert receipt["duplicate"] == 1
    assert receipt["rejected"] == 4
    assert {r["field"] for r in receipt["records"] if r["outcome"] == "rejected"} == {
        "observed_at",
        "location.place",
        "activity",
        "location.lat",
    }


def test_reports_lists_what_is_stored(db: str, tmp_path: Path) -> None:
    """`reports --format json` prints one stored report per line, in arrival order."""
    path = tmp_path / "ok.jsonl"
    path.write_text(jsonl([report("a"), report("b", activity="mortar_fire")]))
    _run(db, "ingest", str(path))
    code, out, _ = _run(db, "reports", "--format", "json")
    assert code == 0
    assert [json.loads(line)["activity"] for line in out.splitlines()] == [
        "explosion",
        "mortar_fire",
    ]
    result = CliRunner().invoke(cli, ["--db", db, "reports"], env={"TTY_COMPATIBLE": "1"})
    assert "Reports (2 shown of 2 stored)" in result.stdout


def test_unknown_default_source_is_refused(db: str, tmp_path: Path) -> None:
    """--source naming an unregistered source exits 1 before taking anything."""
    path = tmp_path / "ok.jsonl"
    path.write_text(jsonl([report("a")]))
    code, _, err = _run(db, "ingest", str(path), "--source", "ghost")
    assert code == 1
    assert "ghost" in err


def test_usage_error_exits_2(db: str) -> None:
    """A usage error (missing file argument) exits with code 2."""
    code, _, _ = _run(db, "ingest")
    assert code == 2


def _commands(group: object, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    import click

    assert isinstance(group, click.Group)
    found: list[tuple[str, ...]] = []
    for name, command in group.commands.items():
        found.append((*prefix, name))
        if isinstance(command, click.Group):
            found.extend(_commands(command, (*prefix, name)))
    return found


@pytest.mark.parametrize("command", _commands(cli), ids=" ".join)
def test_every_help_ends_with_an_example(command: tuple[str, ...]) -> None:
    """Every command's --help ends with an example invocation of ceasefire."""
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    last_two = [line.strip() for line in result.stdout.rstrip().splitlines()[-2:]]
    assert last_two[0] == "Example:"
    assert last_two[1].startswith("ceasefire ")
