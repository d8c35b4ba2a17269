"""The simulator: deterministic worlds, intake files that intake takes whole, and a truth that
accounts for every report it wrote."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceasefire.agreement.loader import load_agreement
from ceasefire.cli import cli
from ceasefire.simulation.run import SimulationSummary, simulate
from ceasefire.simulation.scenario import SCENARIOS


def _truth(run: SimulationSummary) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((run.directory / "truth.json").read_text())
    return data


def _records(run: SimulationSummary, pattern: str) -> list[dict[str, Any]]:
    return [
        json.loads(line)
        for path in sorted(run.directory.glob(pattern))
        for line in path.read_text().splitlines()
    ]


def test_same_seed_same_bytes_other_seed_other_world(tmp_path: Path) -> None:
    """A scenario and seed always write the same files; another seed writes another world."""
    first = simulate("escalation", 3, 2, tmp_path / "a")
    again = simulate("escalation", 3, 2, tmp_path / "b")
    other = simulate("escalation", 4, 2, tmp_path / "c")
    names = sorted(p.name for p in first.directory.iterdir())
    assert names == sorted(p.name for p in again.directory.iterdir())
    for name in names:
        assert (first.directory / name).read_bytes() == (again.directory / name).read_bytes()
    assert (first.directory / "truth.json").read_bytes() != (
        other.directory / "truth.json"
    ).read_bytes()


def test_directory_holds_the_documented_files(simulated: dict[str, SimulationSummary]) -> None:
    """DIR holds agreement.yaml, truth.json, reports*.jsonl and coverage*.jsonl, nothing else."""
    for run in simulated.values():
        names = {p.name for p in run.directory.iterdir()}
        assert {"agreement.yaml", "truth.json", "coverage-mission.jsonl"} <= names
        assert all(
            n.startswith(("reports", "coverage")) for n in names - {"agreement.yaml", "truth.json"}
        )
        assert load_agreement(run.directory / "agreement.yaml").id == "minsk-sim"


@pytest.mark.parametrize("scenario", ["quiet", "escalation", "osint-noise"])
def test_intake_takes_every_record_and_derives_the_truths_ids(
    simulated: dict[str, SimulationSummary], scenario: str, tmp_path: Path
) -> None:
    """Every simulated record is accepted by intake, and the ids intake derives are the truth's."""
    from ceasefire.store import open_store

    run = simulated[scenario]
    db = str(tmp_path / "sim.db")
    result = CliRunner().invoke(
        cli, ["--db", db, "ingest", "--json", *map(str, run.files)], catch_exceptions=False
    )
    receipt = json.loads(result.stdout)
    assert result.exit_code == 0, result.stderr
    assert receipt["rejected"] == 0
    assert receipt["duplicate"] == 0
    with open_store(db) as store:
        stored = {report.id for report in store.iter_reports()}
    assert stored == {entry["id"] for entry in _truth(run)["reports"]}


def test_truth_partitions_the_reports(simulated: dict[str, SimulationSummary]) -> None:
    """Each report belongs to exactly one event or one false-report cluster, as it says itself."""
    for run in simulated.values():
        truth = _truth(run)
        owners: Counter[str] = Counter()
        for event in truth["events"]:
            owners.update(event["reports"])
            assert event["observed"] == bool(event["reports"])
        for phantom in truth["false_reports"]:
            owners.update(phantom["reports"])
        entries = {entry["id"]: entry for entry in truth["reports"]}
        assert set(owners) == set(entries)
        assert set(owners.values()) == {1}
        for event in truth["events"]:
            assert all(entries[r]["event"] == event["id"] for r in event["reports"])
        assert len(entries) == run.reports == len(_records(run, "reports*.jsonl"))


def test_copies_cite_their_upstream_and_share_its_group(
    simulated: dict[str, SimulationSummary],
) -> None:
    """An outlet's copy cites the statement it copies, names it in the truth and joins its group,
    and its text is a rewording, not the statement's bytes."""
    run = simulated["osint-noise"]
    entries = {e["id"]: e for e in _truth(run)["reports"]}
    by_ref = {(r["source"]["id"], r["source_ref"]): r for r in _records(run, "reports*.jsonl")}
    copies = [e for e in entries.values() if e["copy_of"]]
    assert len(copies) > 20
    for copy in copies:
        upstream = entries[copy["copy_of"]]
        record = by_ref[(copy["source"], copy["source_ref"])]
        original = by_ref[(upstream["source"], upstream["source_ref"])]
        assert record["cites"] == upstream["source_ref"]
        assert copy["group"] == upstream["group"]
        assert copy["event"] == upstream["event"]
        assert record["narrative"] != original["narrative"]


def test_scenarios_differ_as_their_names_say(simulated: dict[str, SimulationSummary]) -> None:
    """Escalation has more firing and more weapons inside their zones than the quiet line;
    the open-source scenario has the most copies."""

    def count(run: SimulationSummary, test: Any) -> int:
        return sum(1 for event in _truth(run)["events"] if test(event))

    def in_zone(event: dict[str, Any]) -> bool:
        return event["kind"] == "weapon" and any(
            c["verdict"] == "violation" for c in event["clauses"]
        )

    quiet, escalation = simulated["quiet"], simulated["escalation"]
    assert count(escalation, lambda e: e["kind"] == "firing") > count(
        quiet, lambda e: e["kind"] == "firing"
    )
    assert count(escalation, in_zone) > count(quiet, in_zone)
    copies = {
        name: sum(1 for e in _truth(run)["reports"] if e["copy_of"])
        for name, run in simulated.items()
    }
    assert copies["osint-noise"] == max(copies.values())


def test_coverage_has_every_kind_of_gap(simulated: dict[str, SimulationSummary]) -> None:
    """Across the scenarios the coverage records include observing, outage, jammed and
    access_denied, and each denial names the side that imposed it."""
    statuses: Counter[str] = Counter()
    for run in simulated.values():
        for record in _records(run, "coverage*.jsonl"):
            statuses[record["status"]] += 1
            if record["status"] == "access_denied":
                assert record["imposed_by"] in {"UA", "RU"}
    assert {"observing", "outage", "jammed", "access_denied"} <= set(statuses)


def test_true_verdicts_follow_the_zones(simulated: dict[str, SimulationSummary]) -> None:
    """A weapon event's true pom-2 or addendum verdict is violation exactly when the weapon
    stands in a zone of its own class, and the mission's UAV flights are exempt."""
    run = simulated["escalation"]
    agreement = load_agreement(run.directory / "agreement.yaml")
    classes = {"D-30": "artillery_100mm_plus", "2S1 Gvozdika": "artillery_100mm_plus",
               "2A65 Msta-B": "artillery_100mm_plus", "BM-21 Grad": "mlrs",
               "T-72": "tanks_artillery_below_100mm_mortars",
               "2B11": "tanks_artillery_below_100mm_mortars"}  # fmt: skip
    checked = 0
    for event in _truth(run)["events"]:
        if event["kind"] == "mission_uav":
            assert [c["verdict"] for c in event["clauses"]] == ["exempt"]
        if event["kind"] != "weapon":
            continue
        wanted = classes[event["weapon"]["system"]]
        zones = [z for z in agreement.zones if wanted in z.weapon_classes]
        inside = any(z.contains(event["location"]["lon"], event["location"]["lat"]) for z in zones)
        clause = "addendum-2015" if wanted.startswith("tanks") else "pom-2"
        verdict = next(c["verdict"] for c in event["clauses"] if c["clause_id"] == clause)
        assert verdict == ("violation" if inside else "no_violation")
        checked += 1
    assert checked > 5


def test_help_lists_the_scenarios_and_bad_options_are_usage_errors(tmp_path: Path) -> None:
    """simulate --help names every scenario; an unknown scenario or 0 days exits 2, no traceback."""
    runner = CliRunner()
    shown = runner.invoke(cli, ["simulate", "--help"]).output
    assert all(name in shown for name in SCENARIOS)
    for args in (["--scenario", "nope"], ["--scenario", "quiet", "--days", "0"]):
        result = runner.invoke(cli, ["simulate", *args, "--out", str(tmp_path / "x")])
        assert result.exit_code == 2
        assert "Traceback" not in result.output


def test_simulate_command_writes_and_says_what_next(tmp_path: Path) -> None:
    """The command writes the run and prints the counts and the chain's next commands."""
    result = CliRunner().invoke(
        cli,
        ["simulate", "--scenario", "quiet", "--seed", "2", "--days", "1", "--out", str(tmp_path)],
    )
    assert result.exit_code == 0, result.output
    assert "events" in result.output
    assert "ceasefire evaluate --truth" in result.output
    assert (tmp_path / "truth.json").exists()
