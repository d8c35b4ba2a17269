"""Hostile input through the command line: non-regular files, size bounds, rich markup in stored
values, and receipt warnings against the loaded agreement. No user input ends in a traceback."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from records import jsonl, report

AGREEMENT = (
    (Path(__file__).parents[1] / "agreement" / "bad" / "negative_distance.yaml")
    .read_text(encoding="utf-8")
    .replace("km: -5", "km: 5")
)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store file path for one test."""
    return str(tmp_path / "test.db")


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_device_is_refused_not_read(db: str) -> None:
    """``ingest /dev/zero`` is refused at once (exit 1, one line) instead of filling memory."""
    code, _, err = _run(db, "ingest", "--format", "jsonl", "/dev/zero")
    assert code == 1
    assert "not a regular file" in err


def test_fifo_is_refused_not_waited_on(db: str, tmp_path: Path) -> None:
    """A FIFO with no writer is refused rather than blocking the command for ever."""
    fifo = tmp_path / "pipe.jsonl"
    os.mkfifo(fifo)
    code, _, err = _run(db, "ingest", str(fifo))
    assert code == 1
    assert "not a regular file" in " ".join(err.split())


def test_file_over_the_size_bound_is_refused(db: str, tmp_path: Path) -> None:
    """A file larger than --max-file-mb is refused whole, naming the bound; nothing is stored."""
    path = tmp_path / "big.jsonl"
    line = json.dumps(report("a", narrative="x" * 2000)) + "\n"
    path.write_text(line * 600)  # about 1.3 MiB
    code, _, err = _run(db, "ingest", "--max-file-mb", "1", str(path))
    assert code == 1
    assert "larger than 1 MiB" in " ".join(err.split())
    assert not Path(db).exists()  # refused before the store was even opened


@pytest.mark.parametrize(
    "overrides",
    [
        {"source": {"id": "[/x]", "kind": "camera"}},
        {"activity": "[/x]"},
        {"narrative": "[bold]explosion[/bold]"},
        {"source_ref": "[/]", "attribution_basis": "[red]"},
    ],
    ids=["source id", "activity", "narrative", "source_ref"],
)
def test_rich_markup_in_a_value_never_breaks_a_command(
    db: str, tmp_path: Path, overrides: dict[str, object]
) -> None:
    """A stored or quarantined value that looks like rich markup is shown, never interpreted."""
    path = tmp_path / "markup.jsonl"
    path.write_text(jsonl([report("ok"), report("m", **overrides)]))
    code, _, err = _run(db, "ingest", str(path))
    assert code in (0, 1)
    assert "Traceback" not in err
    for command in ("reports", "quarantine"):
        code, out, err = _run(db, command)
        assert code == 0, err
    code, out, _ = _run(db, "reports")
    if "source" in overrides:
        assert "[/x]" in out


def test_receipt_warns_about_unknown_party_and_far_location(db: str, tmp_path: Path) -> None:
    """With an agreement loaded, an unknown attributed_to and a swapped lat/lon are taken with
    warnings in the --json receipt; a plausible record has none."""
    agreement = tmp_path / "agreement.yaml"
    agreement.write_text(AGREEMENT)
    assert _run(db, "agreement", "load", str(agreement))[0] == 0
    near = {"lon": 30.1, "lat": 50.2, "uncertainty_m": 100}
    swapped = {"lon": 50.2, "lat": 30.1, "uncertainty_m": 100}
    path = tmp_path / "w.jsonl"
    path.write_text(
        jsonl(
            [
                report("fine", location=near, attributed_to="A"),
                report("who", location=near, attributed_to="Party Z"),
                report("where", location=swapped),
            ]
        )
    )
    code, out, _ = _run(db, "ingest", "--json", str(path))
    assert code == 0
    receipt = json.loads(out)
    assert (receipt["accepted"], receipt["warned"]) == (3, 2)
    fields = [[w["field"] for w in r["warnings"]] for r in receipt["records"]]
    assert fields == [[], ["attributed_to"], ["location"]]
    path.write_text(jsonl([report("who-again", location=near, attributed_to="Party Z")]))
    code, _, err = _run(db, "ingest", str(path))
    assert code == 0
    assert "attributed_to: 'Party Z' is not a party" in " ".join(err.split())


def test_no_warnings_without_an_agreement(db: str, tmp_path: Path) -> None:
    """With no agreement loaded there is nothing to judge by, so nothing is warned about."""
    path = tmp_path / "w.jsonl"
    path.write_text(jsonl([report("who", attributed_to="Party Z")]))
    code, out, _ = _run(db, "ingest", "--json", str(path))
    assert (code, json.loads(out)["warned"]) == (0, 0)


@pytest.mark.parametrize("name", ["zero", "fifo"], ids=["device", "FIFO"])
def test_agreement_check_refuses_non_regular_files(db: str, tmp_path: Path, name: str) -> None:
    """``agreement check`` refuses /dev/zero and a FIFO instead of filling memory or blocking."""
    target = Path("/dev/zero")
    if name == "fifo":
        target = tmp_path / "pipe.yaml"
        os.mkfifo(target)
    code, _, err = _run(db, "agreement", "check", str(target))
    assert code == 1
    assert "not a regular file" in " ".join(err.split())


def test_agreement_problem_quoting_markup_is_printed_not_interpreted(
    db: str, tmp_path: Path
) -> None:
    """A problem quoting a key that looks like rich markup (``[/x]``) is shown as written."""
    path = tmp_path / "markup.yaml"
    path.write_text(AGREEMENT + '"[/x]": 1\n')
    code, _, err = _run(db, "agreement", "check", str(path))
    assert code == 1
    assert "unknown key '[/x]'" in " ".join(err.split())
