"""The whole chain on one simulated run: simulate -> agreement load -> ingest -> fuse -> verify
-> evaluate, from the command line, held against the bars of issue 9.

XXX: the bars test is a strict xfail for a defect outside simulation and evaluation, named in its
reason (fusion's merges of close exchanges of fire); a fix turns it into an XPASS failure, which is
the cue to drop the mark. (The verify crash the chain test was marked for is fixed: coverage maps
are made valid after projection.)
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli


def _run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    if result.exit_code != 0:
        raise RuntimeError(
            f"ceasefire {args[2] if args[0] == '--db' else args[0]}: "
            f"{result.exception!r} {result.output[-300:]}"
        )
    return result.stdout


@pytest.fixture(scope="module")
def evaluation(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The evaluation object of escalation, seed 1, 4 days, through the whole chain (or, if a
    step fails, ``{"failed": "what failed"}``, so each test can say which defect it meets)."""
    work = tmp_path_factory.mktemp("chain")
    sim, db = work / "sim", str(work / "chain.db")
    _run("simulate", "--scenario", "escalation", "--seed", "1", "--days", "4", "--out", str(sim))
    _run("--db", db, "agreement", "load", str(sim / "agreement.yaml"))
    _run("--db", db, "ingest", *sorted(str(p) for p in sim.glob("*.jsonl")))
    try:
        _run("--db", db, "fuse")
        _run("--db", db, "verify")
    except RuntimeError as error:
        return {"failed": str(error)}
    result: dict[str, Any] = json.loads(_run("--db", db, "evaluate", "--truth", str(sim), "--json"))
    return result


def test_chain_runs_and_evaluates_every_cluster(evaluation: dict[str, Any]) -> None:
    """Every step of the chain succeeds, and the evaluation sees every incident the chain made
    and every cluster of the truth."""
    assert "failed" not in evaluation, evaluation.get("failed")
    incidents = evaluation["incidents"]
    assert incidents["ignored_incidents"] == 0
    assert incidents["truth_clusters"] > 20
    assert incidents["incidents"] > 0
    assert evaluation["verdicts"]["scored"] > 0


@pytest.mark.xfail(
    strict=True,
    reason="fusion merges exchanges of fire close in time "
    "and place, mostly through hour-precision complaints and their copies compatible with both "
    "events (incident F1 0.91 on escalation seed 1, 5 days; docs/simulation.md has the table)",
)
def test_chain_meets_the_bars(evaluation: dict[str, Any]) -> None:
    """Incident F1 and verdict accuracy reach 0.95 and no copy counts as independent."""
    assert "failed" not in evaluation, evaluation.get("failed")
    failing = {name: bar for name, bar in evaluation["bars"].items() if not bar["met"]}
    assert not failing, json.dumps(
        {"failing": failing, "wrong": evaluation["verdicts"]["wrong"][:10]}, indent=1
    )
