"""Benchmark of fusion: the core engine against two baselines, on the same simulated points.

Run: ``.venv/bin/python benchmarks/fusion.py [sizes...]`` (default ``100000 1000000``), or
``--e2e-only`` / ``--no-e2e``; ``make bench`` runs it with the others.

**The points.** Events along a ~450 km front line (a gentle sine over 450 km, events spread
±20 km across it) over 30 days; each event is seen by 1–8 reports with 500 m positional error
(per axis, stated as ``uncertainty_m = 500``) and 5 minutes' clock error (minute precision);
10 % of reports are false (random place, time and activity). Activities: artillery, mortar,
MLRS, small arms, drone flight; 40 % of fire reports only say "explosion". The ±20 km spread is
chosen so that the single-linkage floor scores ARI ≈ 0.91 at 10^6, as on the issue's anchor data.

**The methods**, each in a fresh process (so peak memory is its own), on identical points:

* ``fusion``: :class:`ceasefire.fusion.InProcessEngine` at the default settings;
* ``sklearn``: ``DBSCAN(eps=1.5, min_samples=1, algorithm="kd_tree", n_jobs=2)`` on (x km,
  y km, t scaled so 15 min = 1.5 km) — with ``min_samples=1`` every point is a core point;
* ``floor``: SciPy ``cKDTree.query_pairs(1.5)`` + ``connected_components`` on the same
  coordinates: single linkage, the fastest honest baseline.

Printed: wall time, ratio to sklearn and to the floor, peak RSS of the process, ARI and
incident F1 against the generator's truth (a predicted group matches a true event when each
holds a strict majority of the other; a false report is its own one-report "event", since
fusion cannot know it is false). Targets at 10^6 (issue 9): fused in < 3 s, faster than
sklearn, within 3x of the floor, peak < 2 GiB, ARI above the floor's and >= 0.93.

**End to end** (``--e2e``, on by default): 10^5 reports written as JSONL, ingested into a fresh
SQLite store, then ``ceasefire fuse`` run as a subprocess (wall time), and on a copy of the
store the same fusion in-process with each phase timed, to say where the time goes.

Verification of the fused incidents against the Minsk example (:func:`verify_hook`): the Minsk
agreement is loaded into the fused store, ``ceasefire verify`` is run as a subprocess (wall time),
then ``verify_store`` in-process (incidents per second).
"""

from __future__ import annotations

import json
import multiprocessing
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

LINE_KM = 450.0
DAYS = 30
BAND_M = 20_000.0
SIGMA_M = 500.0
SIGMA_S = 300.0
FALSE_SHARE = 0.10
ACTIVITIES = ("artillery_fire", "mortar_fire", "mlrs_fire", "small_arms_fire", "drone_flight")
EPOCH = datetime(2020, 9, 1, tzinfo=UTC)


def simulate(size: int, seed: int = 1) -> dict[str, np.ndarray]:
    """Return the reports (x, y in metres, t in seconds, activity index) and the truth labels."""
    rng = np.random.default_rng(seed)
    false_count = int(size * FALSE_SHARE)
    true_count = size - false_count
    per = rng.integers(1, 9, size=int(true_count / 4.5 * 1.2) + 10)
    per = per[: int(np.searchsorted(np.cumsum(per), true_count)) + 1]
    per[-1] -= int(per.sum()) - true_count
    events = per.size
    along = rng.uniform(0, LINE_KM * 1000, events)
    across = rng.uniform(-BAND_M, BAND_M, events)
    event_x, event_y = along, 20_000 * np.sin(along / 60_000) + across
    event_t = rng.uniform(0, DAYS * 86_400, events)
    event_activity = rng.integers(0, len(ACTIVITIES), events)
    which = np.repeat(np.arange(events), per)
    x = event_x[which] + rng.normal(0, SIGMA_M, true_count)
    y = event_y[which] + rng.normal(0, SIGMA_M, true_count)
    t = event_t[which] + rng.normal(0, SIGMA_S, true_count)
    activity = event_activity[which]
    generic = (rng.random(true_count) < 0.4) & (activity < 3)  # fire heard, not seen
    activity = np.where(generic, -1, activity)  # -1: "explosion"
    false_along = rng.uniform(0, LINE_KM * 1000, false_count)
    false_y = 20_000 * np.sin(false_along / 60_000) + rng.uniform(-BAND_M, BAND_M, false_count)
    order_key = np.concatenate([t, rng.uniform(0, DAYS * 86_400, false_count)])
    data = {
        "x": np.concatenate([x, false_along]),
        "y": np.concatenate([y, false_y]),
        "t": order_key,
        "activity": np.concatenate([activity, rng.integers(0, len(ACTIVITIES), false_count)]),
        "truth": np.concatenate([which, events + np.arange(false_count)]),
    }
    order = np.argsort(data["t"], kind="stable")
    return {key: value[order] for key, value in data.items()}


def _fusion_points(data: dict[str, np.ndarray]) -> Any:
    from ceasefire.fusion.points import ACTIVITY_CODES, FusionPoints
    from ceasefire.model.activity import Activity

    codes = np.array([ACTIVITY_CODES[Activity(name)] for name in ACTIVITIES])
    activity = np.where(data["activity"] < 0, ACTIVITY_CODES[Activity.EXPLOSION], 0)
    activity = np.where(data["activity"] >= 0, codes[np.maximum(data["activity"], 0)], activity)
    size = data["x"].size
    return FusionPoints.of(
        data["x"], data["y"], np.full(size, SIGMA_M), data["t"], data["t"],
        np.full(size, SIGMA_S), activity,
    )  # fmt: skip


def _space_time_km(data: dict[str, np.ndarray]) -> np.ndarray:
    return np.column_stack([data["x"] / 1000, data["y"] / 1000, data["t"] / 900 * 1.5])


def _run_method(method: str, size: int, queue: Any) -> None:
    """Child process: simulate, time one method, score it, report peak RSS."""
    data = simulate(size)
    if method == "fusion":
        from ceasefire.fusion.engine import InProcessEngine
        from ceasefire.fusion.settings import FusionSettings

        points = _fusion_points(data)
        start = time.perf_counter()
        labels = InProcessEngine().labels(points, FusionSettings())
    elif method == "sklearn":
        from sklearn.cluster import DBSCAN

        coordinates = _space_time_km(data)
        start = time.perf_counter()
        labels = DBSCAN(eps=1.5, min_samples=1, algorithm="kd_tree", n_jobs=2).fit_predict(
            coordinates
        )
    else:
        from scipy.sparse import coo_matrix
        from scipy.sparse.csgraph import connected_components
        from scipy.spatial import cKDTree

        coordinates = _space_time_km(data)
        start = time.perf_counter()
        pairs = cKDTree(coordinates).query_pairs(1.5, output_type="ndarray")
        graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(size, size))
        labels = connected_components(graph, directed=False)[1]
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    queue.put((seconds, peak, *score(data["truth"], np.asarray(labels))))


def score(truth: np.ndarray, labels: np.ndarray) -> tuple[float, float]:
    """Return (adjusted Rand index, incident F1) of ``labels`` against ``truth``."""
    from sklearn.metrics import adjusted_rand_score

    ari = float(adjusted_rand_score(truth, labels))
    pairs = truth.astype(np.int64) * (int(labels.max()) + 1) + labels
    combo, shared = np.unique(pairs, return_counts=True)
    true_of, label_of = combo // (int(labels.max()) + 1), combo % (int(labels.max()) + 1)
    true_size = np.bincount(truth)[true_of]
    label_size = np.bincount(labels)[label_of]
    matched = int(np.sum((2 * shared > true_size) & (2 * shared > label_size)))
    precision = matched / np.unique(labels).size
    recall = matched / np.unique(truth).size
    return ari, 2 * precision * recall / (precision + recall)


def measure(size: int, console: Console) -> dict[str, tuple[float, float, float, float]]:
    """Run the three methods on ``size`` points, each in its own process."""
    context = multiprocessing.get_context("spawn")
    results = {}
    with Progress(console=console, transient=True) as progress:
        task = progress.add_task(f"{size:,} reports", total=3)
        for method in ("fusion", "sklearn", "floor"):
            progress.update(task, description=f"{size:,} reports: {method}")
            queue = context.Queue()
            child = context.Process(target=_run_method, args=(method, size, queue))
            child.start()
            results[method] = queue.get()
            child.join()
            progress.advance(task)
    return results


def _table(size: int, results: dict[str, tuple[float, float, float, float]]) -> Table:
    table = Table(title=f"Fusion benchmark, {size:,} reports")
    for column in ("method", "wall s", "÷ sklearn", "÷ floor", "peak MiB", "ARI", "incident F1"):
        table.add_column(column, justify="right")
    for method, (seconds, peak, ari, f1) in results.items():
        table.add_row(
            method,
            f"{seconds:.2f}",
            f"{seconds / results['sklearn'][0]:.2f}",
            f"{seconds / results['floor'][0]:.2f}",
            f"{peak / 2**20:,.0f}",
            f"{ari:.4f}",
            f"{f1:.4f}",
        )
    return table


def verify_hook(store_path: Path, console: Console) -> None:
    """Verify the fused store against the Minsk example: ``ceasefire verify`` end to end (a
    subprocess, wall time incl. start-up) and in-process, with incidents and findings per second.
    """
    from ceasefire.agreement.loader import load_agreement
    from ceasefire.agreement.stored import StoredAgreement
    from ceasefire.store import open_store
    from ceasefire.verification import verify_store

    minsk = Path(__file__).resolve().parents[1] / "examples" / "minsk" / "agreement.yaml"
    with open_store(store_path) as store:
        store.add_agreement(StoredAgreement.of(load_agreement(minsk), datetime.now(UTC)))
        incidents = store.counts().incidents
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "ceasefire.cli.main", "--db", str(store_path), "verify", "--quiet"],
        check=True,
        capture_output=True,
    )
    cli_s = time.perf_counter() - start
    with console.status("verify, in-process"), open_store(store_path) as store:
        start = time.perf_counter()
        result = verify_store(store)
        took = time.perf_counter() - start
    table = Table(title=f"Verification against Minsk, {incidents:,} fused incidents")
    table.add_column("step")
    table.add_column("s", justify="right")
    table.add_column("rate", justify="right")
    table.add_row("ceasefire verify (CLI, wall, incl. start-up)", f"{cli_s:.2f}", "")
    table.add_row(
        f"in-process verify_store ({len(result.findings):,} findings, all already stored)",
        f"{took:.2f}",
        f"{incidents / took:,.0f} incidents/s" if took else "",
    )
    console.print(table)


def _write_reports(size: int, path: Path) -> None:
    """Write ``size`` simulated reports as intake JSONL (lon/lat via a local projection)."""
    from ceasefire.geo.projection import LocalProjection

    data = simulate(size, seed=2)
    projection = LocalProjection.centred_on(38.0, 48.2)
    lon, lat = projection.arrays_to_wgs84(data["x"] - LINE_KM * 500, data["y"])
    names = [*ACTIVITIES, "explosion"]
    with path.open("w") as handle:
        for n in range(size):
            at = EPOCH + timedelta(seconds=float(data["t"][n]))
            record = {
                "source": {"id": f"sensor-{n % 400}", "kind": "acoustic_sensor"},
                "source_ref": f"bench-{n}",
                "observed_at": at.isoformat(timespec="seconds"),
                "location": {"lon": float(lon[n]), "lat": float(lat[n]), "uncertainty_m": 500},
                "activity": names[int(data["activity"][n])],
            }
            handle.write(json.dumps(record) + "\n")


def end_to_end(size: int, console: Console) -> None:
    """Ingest ``size`` reports, then time ``ceasefire fuse`` and say where the time goes."""
    from ceasefire.clock import SystemClock
    from ceasefire.fusion.run import fuse
    from ceasefire.intake import Intake
    from ceasefire.intake.readers import Format, read_records
    from ceasefire.store import open_store

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        _write_reports(size, work / "reports.jsonl")
        with console.status(f"ingesting {size:,} reports"):
            start = time.perf_counter()
            raw = read_records("reports.jsonl", (work / "reports.jsonl").read_text(), Format.JSONL)
            with open_store(work / "a.db") as store:
                Intake(store, SystemClock(), None, chunk_size=10_000).ingest(raw)
            ingest_s = time.perf_counter() - start
        shutil.copy(work / "a.db", work / "b.db")
        executable = Path(sys.executable).with_name("ceasefire")
        with console.status("ceasefire fuse"):
            start = time.perf_counter()
            subprocess.run(
                [str(executable), "--db", str(work / "a.db"), "fuse", "--json"],
                check=True, capture_output=True,
            )  # fmt: skip
            cli_s = time.perf_counter() - start
        phases: dict[str, float] = {}
        last = [time.perf_counter(), ""]

        def step(name: str) -> None:
            now = time.perf_counter()
            if last[1]:
                phases[str(last[1])] = now - float(last[0])
            last[0], last[1] = now, name

        with console.status("fuse, phase by phase"), open_store(work / "b.db") as store:
            outcome = fuse(store, step=step)
            step("")
        table = Table(title=f"End to end, {size:,} ingested reports")
        table.add_column("step")
        table.add_column("s", justify="right")
        table.add_row("ingest (intake + ledger; not fusion)", f"{ingest_s:.2f}")
        table.add_row("ceasefire fuse (CLI, wall, incl. start-up)", f"{cli_s:.2f}")
        for name, seconds in phases.items():
            table.add_row(f"  in-process: {name}", f"{seconds:.2f}")
        console.print(table)
        console.print(f"{outcome.incidents_written:,} incidents written")
        verify_hook(work / "a.db", console)


def main() -> None:
    """Parse the few arguments, run the measurements, print the tables."""
    arguments = sys.argv[1:]
    sizes = [int(a) for a in arguments if a.isdigit()] or [100_000, 1_000_000]
    console = Console()
    if "--e2e-only" not in arguments:
        for size in sizes:
            console.print(_table(size, measure(size, console)))
    if "--no-e2e" not in arguments:
        end_to_end(100_000, console)


if __name__ == "__main__":
    main()
