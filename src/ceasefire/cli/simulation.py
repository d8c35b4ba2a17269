"""``ceasefire simulate`` and ``ceasefire evaluate``: a world with known truth, and the score."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.cli.render import say, table
from ceasefire.errors import InputRefused, StoreError

# The scenario table imports nothing heavy, so --help can list the names without the simulator.
from ceasefire.simulation.scenario import SCENARIOS

__all__ = ["evaluate", "simulate"]


def _scenario_help() -> str:
    lines = "; ".join(f"{name}: {spec.summary}" for name, spec in SCENARIOS.items())
    return f"The scenario ({lines})."


@cli.command()
@click.option(
    "--scenario", type=click.Choice(list(SCENARIOS)), required=True, help=_scenario_help()
)
@click.option(
    "--seed", type=int, default=1, show_default=True, help="The seed: one seed, one world."
)
@click.option(
    "--days", type=click.IntRange(1, 365), default=5, show_default=True, help="Days to simulate."
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    required=True,
    help="The directory to write (created if missing; an earlier run's files are replaced).",
)
@pass_context
@refusals_exit_1
def simulate(context: Context, scenario: str, seed: int, days: int, out_dir: Path) -> None:
    """Simulate a front, its events and the reports a mission's network would make of them.

    Writes agreement.yaml (the Minsk example with the run's live-fire notifications), the intake
    files reports-*.jsonl and coverage-mission.jsonl, and truth.json (what really happened; see
    docs/simulation.md). The same scenario, seed and days write the same files.

    \b
    Example:
        ceasefire simulate --scenario escalation --seed 1 --days 5 --out sim/
    """
    from ceasefire.simulation.run import simulate as run

    try:
        summary = run(scenario, seed, days, out_dir)
    except OSError as error:
        raise InputRefused(f"{out_dir}: cannot write the simulation: {error}") from None
    say(
        context.out,
        "simulated {scenario} (seed {seed}, {days} days) in {out}: {events} events ({observed} "
        "observed), {reports} reports ({false} false), {coverage} coverage records",
        scenario=scenario,
        seed=seed,
        days=days,
        out=out_dir,
        events=summary.events,
        observed=summary.observed,
        reports=summary.reports,
        false=summary.false_reports,
        coverage=summary.coverage,
    )
    say(
        context.out,
        "next: ceasefire agreement load {agreement}; ceasefire ingest {files}; "
        "ceasefire fuse; ceasefire verify; ceasefire evaluate --truth {out}",
        agreement=out_dir / "agreement.yaml",
        files=" ".join(str(path) for path in summary.files),
        out=out_dir,
    )


@cli.command()
@click.option(
    "--truth",
    "truth_path",
    type=click.Path(exists=True, path_type=Path),
    required=True,
    help="A simulation directory (or its truth.json).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the evaluation object as JSON.")
@pass_context
@refusals_exit_1
def evaluate(context: Context, truth_path: Path, as_json: bool) -> None:
    """Score the stored incidents and findings against a simulation's truth.

    Incident precision, recall and F1 (matching rule in docs/simulation.md), verdict accuracy,
    copies counted as independent and attribution, each held against the bars of issue 9.

    \b
    Example:
        ceasefire evaluate --truth sim/ --json
    """
    from ceasefire.evaluation.store import evaluate_store
    from ceasefire.evaluation.truth import read_truth

    truth = read_truth(truth_path)
    with context.store() as store:
        if not (hasattr(store, "iter_incidents") and hasattr(store, "iter_findings")):
            raise StoreError("this store keeps no incidents or findings to evaluate")
        result = evaluate_store(truth, store)
    if as_json:
        click.echo(json.dumps(result, indent=2))
        return
    table(
        context.out,
        f"evaluation: {result['scenario']} seed {result['seed']}",
        ("measure", "value", "bar", "met"),
        _rows(result),
    )


def _rows(result: dict[str, Any]) -> list[tuple[object, ...]]:
    """The evaluation as table rows: the counts, then each bar with whether it was met."""
    incidents, verdicts = result["incidents"], result["verdicts"]
    rows: list[tuple[object, ...]] = [
        (
            "incidents / truth clusters",
            f"{incidents['incidents']} / {incidents['truth_clusters']}",
            None,
            None,
        ),
        ("incident precision", _number(incidents["precision"]), None, None),
        ("incident recall", _number(incidents["recall"]), None, None),
        ("verdicts scored", verdicts["scored"], None, None),
        ("attribution accuracy", _number(result["attribution"]["accuracy"]), None, None),
    ]
    for name, bar in result["bars"].items():
        met = "yes" if bar["met"] else "no"
        rows.append((name.replace("_", " "), _number(bar["value"]), bar["bar"], met))
    return rows


def _number(value: float | int | None) -> str | None:
    """A score to three decimals; ``None`` (not measurable) stays unknown ("—")."""
    return None if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))
