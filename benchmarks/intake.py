"""Benchmark of intake end to end, against a floor measured in the same run.

Run: ``make bench`` or ``.venv/bin/python benchmarks/intake.py [--records N]`` (default 100,000).

Realistic records (points, place names and bearings; camera, patrol, complaint and open-source
sources; evidence on a third) are written once as CSV and once as JSONL. Each phase runs in its
own process, so its peak memory is its own:

* **floor** (per format): read the file with the project's reader, SHA-256 of each record's
  text, one RFC 6962 leaf hash, and a plain ``executemany`` of (id, text) into one table, in
  chunks of 500, with the store's SQLite settings (WAL, synchronous=FULL);
* **intake**: ``Intake.ingest`` into a fresh store (chunks of 500, every validation and the
  ledger on);
* **duplicates**: the same file again into that store (everything is a duplicate);
* **verify**: ``ledger verify`` of that store.

It prints, per phase: rows/s, the time ratio to its format's floor (intake phases), bytes
written to disk per record (``/proc/self/io`` ``write_bytes``; the file sizes where that is not
available), the stored size per record, and peak RSS. Targets (issue 13): >= 20,000 rows/s end
to end within 2x of the floor; duplicates >= 50,000 rows/s; bytes written per record within 3x
of the stored size; ``ledger verify`` at 10^6 entries < 20 s (extrapolated from the rate here).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

PLACES = ("Shyrokyne", "Pikuzy", "Hnutove", "Sartana", "Mariupol", "Volnovakha", "Olenivka")
KINDS = ("camera", "monitor_patrol", "party_complaint", "open_source")
ACTIVITIES = ("explosion", "artillery_fire", "mortar_fire", "small_arms_fire")
CHUNK = 500


def records(count: int) -> list[dict[str, Any]]:
    """The realistic records: a mix of locations, kinds and evidence, deterministic."""
    rng = random.Random(13)
    start = datetime(2020, 9, 15, 18, 0, tzinfo=UTC)
    out = []
    for n in range(count):
        kind = KINDS[n % len(KINDS)]
        record: dict[str, Any] = {
            "source": {"id": f"{kind}-{n % 40}", "kind": kind, "organisation": "Bench"},
            "source_ref": f"B-{n}",
            "observed_at": (start + timedelta(seconds=37 * n)).isoformat(),
            "time_precision": "minute",
            "activity": ACTIVITIES[n % len(ACTIVITIES)],
            "count": 1 + n % 5,
            "credibility": 1 + n % 6,
            "narrative": f"Bench record {n}: heard explosions, assessed as {kind} report.",
        }
        shape = n % 3
        if shape == 0:
            record["location"] = {
                "lon": round(37.5 + rng.random(), 5),
                "lat": round(47.0 + rng.random(), 5),
                "uncertainty_m": 500,
            }
        elif shape == 1:
            record["location"] = {"place": PLACES[n % len(PLACES)]}
        else:
            record["location"] = {
                "observer": {"lon": round(37.6 + rng.random(), 5), "lat": 47.5},
                "bearing_deg": rng.randrange(360),
                "range_m": [1000, 3000],
            }
        if n % 3 == 0:
            digest = hashlib.sha256(f"evidence-{n}".encode()).hexdigest()
            record["evidence"] = [{"sha256": digest, "media_type": "video/mp4"}]
        out.append(record)
    return out


def as_jsonl(items: list[dict[str, Any]]) -> str:
    """JSON Lines, one record a line."""
    return "".join(json.dumps(item) + "\n" for item in items)


def as_csv(items: list[dict[str, Any]]) -> str:
    """The flat CSV layout (see docs/intake-format.md)."""
    columns = [
        "source_id", "source_kind", "source_organisation", "source_ref", "observed_at",
        "time_precision", "lon", "lat", "uncertainty_m", "place", "observer_lon",
        "observer_lat", "bearing_deg", "range_min_m", "range_max_m", "activity", "count",
        "credibility", "evidence_sha256", "evidence_media_type", "narrative",
    ]  # fmt: skip
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, lineterminator="\n")
    writer.writeheader()
    for item in items:
        location = item["location"]
        evidence = item.get("evidence") or [{}]
        observer = location.get("observer", {})
        ranges = location.get("range_m") or [None, None]
        writer.writerow(
            {
                "source_id": item["source"]["id"],
                "source_kind": item["source"]["kind"],
                "source_organisation": item["source"]["organisation"],
                "source_ref": item["source_ref"],
                "observed_at": item["observed_at"],
                "time_precision": item["time_precision"],
                "lon": location.get("lon"),
                "lat": location.get("lat"),
                "uncertainty_m": location.get("uncertainty_m"),
                "place": location.get("place"),
                "observer_lon": observer.get("lon"),
                "observer_lat": observer.get("lat"),
                "bearing_deg": location.get("bearing_deg"),
                "range_min_m": ranges[0],
                "range_max_m": ranges[1],
                "activity": item["activity"],
                "count": item["count"],
                "credibility": item["credibility"],
                "evidence_sha256": evidence[0].get("sha256"),
                "evidence_media_type": evidence[0].get("media_type"),
                "narrative": item["narrative"],
            }
        )
    return buffer.getvalue()


def _written_bytes() -> int | None:
    try:
        for line in Path("/proc/self/io").read_text().splitlines():
            if line.startswith("write_bytes:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def _size(db: Path) -> int:
    return sum(p.stat().st_size for p in db.parent.glob(db.name + "*") if p.is_file())


def _floor(path: Path, db: Path) -> int:
    from ceasefire.intake.readers import Format, read_records
    from ceasefire.ledger.merkle import leaf_hash

    connection = sqlite3.connect(db, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = FULL")
    connection.execute("CREATE TABLE rows (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
    count = 0
    batch: list[tuple[str, str]] = []
    for raw in read_records(path.name, path.read_text(encoding="utf-8"), Format.AUTO):
        digest = hashlib.sha256(raw.raw.encode()).hexdigest()
        leaf_hash(digest.encode())
        batch.append((digest, raw.raw))
        if len(batch) >= CHUNK:
            count += _commit(connection, batch)
            batch = []
    count += _commit(connection, batch)
    connection.close()
    return count


def _commit(connection: sqlite3.Connection, batch: list[tuple[str, str]]) -> int:
    connection.execute("BEGIN IMMEDIATE")
    connection.executemany("INSERT OR IGNORE INTO rows VALUES (?, ?)", batch)
    connection.execute("COMMIT")
    return len(batch)


def _intake(path: Path, db: Path) -> int:
    from ceasefire.clock import SystemClock
    from ceasefire.geo.gazetteer import bundled
    from ceasefire.intake import Intake
    from ceasefire.intake.readers import Format, read_records
    from ceasefire.store import open_store

    raw = read_records(path.name, path.read_text(encoding="utf-8"), Format.AUTO)
    with open_store(db) as store:
        receipt = Intake(store, SystemClock(), bundled(), chunk_size=CHUNK).ingest(raw)
    assert not receipt.rejected, receipt.rejected[:3]
    return len(receipt.records)


def _verify(db: Path) -> int:
    from ceasefire.clock import SystemClock
    from ceasefire.ledger.keeper import LogKeeper
    from ceasefire.store import open_store

    with open_store(db) as store:
        result = LogKeeper(store, SystemClock()).verify()
    assert result.ok, result.problems[:3]
    return result.size


def run_phase(phase: str, path: Path, db: Path) -> dict[str, Any]:
    """Run one phase in this process and return its measurements."""
    written_before, started = _written_bytes(), time.perf_counter()
    if phase == "floor":
        count = _floor(path, db)
    elif phase in ("intake", "duplicates"):
        count = _intake(path, db)
    else:
        count = _verify(db)
    seconds = time.perf_counter() - started
    written_after = _written_bytes()
    written = (
        written_after - written_before
        if written_before is not None and written_after is not None
        else None
    )
    return {
        "rows": count,
        "seconds": seconds,
        "written": written,
        "stored": _size(db),
        "peak_rss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def _child(phase: str, path: Path, db: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--phase", phase, str(path), str(db)]
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"phase {phase} on {path.name} failed:\n{result.stderr}")
    measured: dict[str, Any] = json.loads(result.stdout)
    return measured


def main() -> None:
    """Generate the files, run every phase in a child process, print the table."""
    from rich.console import Console
    from rich.progress import Progress

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--phase", nargs=3, metavar=("PHASE", "FILE", "DB"))
    arguments = parser.parse_args()
    if arguments.phase:
        phase, path, db = arguments.phase
        print(json.dumps(run_phase(phase, Path(path), Path(db))))
        return
    items = records(arguments.records)
    rows: list[tuple[str, str, dict[str, Any]]] = []
    with tempfile.TemporaryDirectory() as directory, Progress(transient=True) as progress:
        here = Path(directory)
        task = progress.add_task("intake benchmark", total=10)
        for fmt, text in (("csv", as_csv(items)), ("jsonl", as_jsonl(items))):
            path = here / f"bench.{fmt}"
            path.write_text(text, encoding="utf-8")
            for phase, db in (
                ("floor", here / f"floor-{fmt}.db"),
                ("intake", here / f"store-{fmt}.db"),
                ("duplicates", here / f"store-{fmt}.db"),
                ("verify", here / f"store-{fmt}.db"),
            ):
                progress.update(task, description=f"{fmt}: {phase}")
                rows.append((fmt, phase, _child(phase, path, db)))
                progress.advance(task)
    _print(Console(), rows, arguments.records)


def _print(console: Any, rows: list[tuple[str, str, dict[str, Any]]], count: int) -> None:
    from rich.table import Table

    table = Table(title=f"intake, {count:,} records per format (chunks of {CHUNK})")
    for column in ("format", "phase", "rows/s", "x floor", "written B/rec", "stored B/rec",
                   "peak RSS MB"):  # fmt: skip
        table.add_column(column, justify="right")
    floors = {fmt: m["seconds"] for fmt, phase, m in rows if phase == "floor"}
    for fmt, phase, m in rows:
        rate = m["rows"] / m["seconds"] if m["seconds"] else float("inf")
        ratio = "" if phase in ("floor", "verify") else f"{m['seconds'] / floors[fmt]:.1f}"
        written = "n/a" if m["written"] is None else f"{m['written'] / count:,.0f}"
        table.add_row(
            fmt,
            phase,
            f"{rate:,.0f}",
            ratio,
            written,
            f"{m['stored'] / count:,.0f}",
            f"{m['peak_rss_kb'] / 1024:,.0f}",
        )
    console.print(table)
    for fmt, phase, m in rows:
        if phase == "verify":
            per_million = m["seconds"] / m["rows"] * 1_000_000
            console.print(f"{fmt}: ledger verify {m['rows']:,} entries in {m['seconds']:.1f} s "
                          f"(~{per_million:.0f} s at 10^6)")  # fmt: skip


if __name__ == "__main__":
    main()
