"""The demo builds the whole chain so far from the bundled samples, and is harmless to re-run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.cli.verify import run_bundle_check
from ceasefire.clock import SystemClock
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.store import open_store


def test_demo_builds_and_second_run_adds_nothing(tmp_path: Path) -> None:
    """The demo loads the agreement, ingests every sample, quarantines the bad records on
    purpose, writes map layers; running it again stores nothing new."""
    directory = tmp_path / "demo"
    first = CliRunner().invoke(cli, ["demo", "--dir", str(directory)], catch_exceptions=False)
    assert first.exit_code == 0
    assert "agreement minsk 2020-07-27: stored" in first.stdout
    with open_store(directory / "ceasefire.db") as store:
        counts = store.counts()
        assert (counts.reports, counts.coverage, counts.quarantined) == (11, 3, 5)
        assert counts.agreement_versions == 1
        assert counts.incidents > 0
        assert counts.findings > 0
        verdicts = {f.verdict.value for f in store.iter_findings()}
        assert "violation" in verdicts
        assert LogKeeper(store, SystemClock()).verify().ok
        size = store.ledger_size()
    zones = json.loads((directory / "zones.geojson").read_text())
    reports = json.loads((directory / "reports.geojson").read_text())
    assert len(zones["features"]) > 10
    assert len(reports["features"]) == 10  # the bearing without a range has no point
    svg = (directory / "map.svg").read_text()
    assert svg.startswith("<svg")
    assert svg.count("<circle") == 2 * 10
    daily = directory / "daily-report-2020-09-16-public.pdf"
    assert daily.read_bytes().startswith(b"%PDF")
    assert f"daily report (public): {daily}" in first.stdout

    assert "verify: every record matches its leaf" in first.stdout
    assert "fuse: 11 new reports" in first.stdout
    assert "pom-2" in first.stdout  # the findings table
    witness = directory / "ledger-keys/demo-witness.pub"
    assert run_bundle_check(directory / "bundle.json", [witness]) == 0

    second = CliRunner().invoke(cli, ["demo", "--dir", str(directory)], catch_exceptions=False)
    assert second.exit_code == 0
    assert "already stored" in second.stdout
    assert "already signed" in second.stdout
    with open_store(directory / "ceasefire.db") as store:
        assert store.counts() == counts
        assert store.ledger_size() == size


def test_init_creates_an_empty_store_with_its_ledger_origin(tmp_path: Path) -> None:
    """`init --origin` creates the store and names its ledger; another name later is refused."""
    db = tmp_path / "new.db"
    result = CliRunner().invoke(cli, ["--db", str(db), "init", "--origin", "mission.example/log"])
    assert result.exit_code == 0
    assert "0 reports" in result.stdout
    assert "ledger mission.example/log" in result.stdout
    again = CliRunner().invoke(cli, ["--db", str(db), "init", "--origin", "other.example/log"])
    assert again.exit_code == 1
    assert "already names its ledger mission.example/log" in again.stderr


def test_init_refuses_an_origin_no_checkpoint_could_carry(tmp_path: Path) -> None:
    """An empty origin is refused with exit code 1 and no store is half-made."""
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "x.db"), "init", "--origin", ""])
    assert result.exit_code == 1
    assert "origin" in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_readme_quick_start_targets_exist() -> None:
    """The README's two quick-start commands are Makefile targets, and CI runs the test one."""
    root = Path(__file__).resolve().parents[2]
    readme = (root / "README.md").read_text()
    makefile = (root / "Makefile").read_text()
    ci = (root / ".ci" / "run").read_text()
    for target in ("demo", "test"):
        assert f"$ make {target}" in readme
        assert f"\n{target}:" in makefile
    assert "make test" in ci


def test_demo_hints_name_programs_that_run_as_printed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The hint is the bare name when that is what PATH finds, else a path to the program
    beside the running one (e.g. .venv/bin/ceasefire-verify), relative to where the user is."""
    from ceasefire.cli.demo import program

    bin_dir = tmp_path / "venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("ceasefire", "ceasefire-verify"):
        (bin_dir / name).write_text("#!/bin/sh\n")
        (bin_dir / name).chmod(0o755)
    monkeypatch.setattr("sys.argv", [str(bin_dir / "ceasefire"), "demo"])
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert program("ceasefire-verify") == "venv/bin/ceasefire-verify"
    assert (tmp_path / program("ceasefire-verify")).is_file()
    monkeypatch.setenv("PATH", str(bin_dir))
    assert program("ceasefire-verify") == "ceasefire-verify"
