"""The evaluation table: every shipped scenario x seeds, through the whole chain, from the CLI.

For each (scenario, seed): ``simulate`` -> ``agreement load`` -> ``ingest`` -> ``fuse`` ->
``verify`` -> ``evaluate --json``, each a real ``ceasefire`` process on a fresh SQLite store, and
one row of the table: incident precision, recall and F1, verdict accuracy, copies counted as
independent, attribution accuracy, and whether the bars of issue 9 hold. This measures quality,
not speed, so ``make bench`` does not run it; run it on its own:

    .venv/bin/python benchmarks/evaluation.py [--seeds 1-5] [--days 5] [--json]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import Progress
from rich.table import Table

SCENARIOS = ("quiet", "escalation", "osint-noise")
CEASEFIRE = str(Path(sys.executable).with_name("ceasefire"))


def _run(*args: str) -> str:
    done = subprocess.run([CEASEFIRE, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"ceasefire {' '.join(args)} exited {done.returncode}: {done.stderr}")
    return done.stdout


def run_chain(scenario: str, seed: int, days: int, work: Path) -> dict[str, Any]:
    """Run the whole chain for one scenario and seed in ``work``; return the evaluation object."""
    sim, db = work / f"{scenario}-{seed}", str(work / f"{scenario}-{seed}.db")
    _run("simulate", "--scenario", scenario, "--seed", str(seed), "--days", str(days),
         "--out", str(sim))  # fmt: skip
    _run("--db", db, "agreement", "load", str(sim / "agreement.yaml"))
    files = sorted(str(p) for p in sim.glob("reports*.jsonl"))
    files += sorted(str(p) for p in sim.glob("coverage*.jsonl"))
    _run("--db", db, "ingest", *files)
    _run("--db", db, "fuse")
    _run("--db", db, "verify")
    result: dict[str, Any] = json.loads(_run("--db", db, "evaluate", "--truth", str(sim), "--json"))
    return result


def _seeds(text: str) -> list[int]:
    low, _, high = text.partition("-")
    return list(range(int(low), int(high or low) + 1))


def _fmt(value: Any) -> str:
    return "-" if value is None else (f"{value:.3f}" if isinstance(value, float) else str(value))


def main() -> None:
    """Run the chain for every scenario and seed and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", default="1-5", help="seeds, e.g. 1-5 (default) or 3")
    parser.add_argument("--days", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print the evaluation objects")
    args = parser.parse_args()
    runs = [(s, seed) for s in SCENARIOS for seed in _seeds(args.seeds)]
    results = []
    console = Console(stderr=True)
    with tempfile.TemporaryDirectory() as tmp, Progress(console=console, transient=True) as bar:
        task = bar.add_task("simulate -> ingest -> fuse -> verify -> evaluate", total=len(runs))
        for scenario, seed in runs:
            results.append(run_chain(scenario, seed, args.days, Path(tmp)))
            bar.advance(task)
    if args.json:
        print(json.dumps(results, indent=1))
        return
    table = Table(title=f"evaluation, {args.days} days per run")
    for column in ("scenario", "seed", "incidents", "clusters", "precision", "recall", "F1",
                   "verdicts", "accuracy", "copies", "attribution", "bars"):  # fmt: skip
        table.add_column(column, justify="right")
    for r in results:
        i, v, bars = r["incidents"], r["verdicts"], r["bars"]
        met = all(b["met"] for b in bars.values())
        table.add_row(
            r["scenario"], str(r["seed"]), str(i["incidents"]), str(i["truth_clusters"]),
            _fmt(i["precision"]), _fmt(i["recall"]), _fmt(i["f1"]), str(v["scored"]),
            _fmt(v["accuracy"]), str(r["independence"]["copies_counted_as_independent"]),
            _fmt(r["attribution"]["accuracy"]), "[green]met[/]" if met else "[red]not met[/]",
        )  # fmt: skip
    Console().print(table)


if __name__ == "__main__":
    main()
