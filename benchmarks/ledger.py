"""Benchmark of the ledger on the embedded store: appends per second and proof times.

Run: ``make bench`` or ``.venv/bin/python benchmarks/ledger.py [entries]`` (default 1,000,000).

Two runs over the same rows, each in transactions of 10,000 on a fresh SQLite file with the
store's settings (WAL, synchronous=FULL):

* **baseline**: a plain INSERT of each record's row (id and JSON document);
* **ledger**: the same INSERT plus the ledger append in the same transaction (RFC 8785 entry,
  leaf hash, leaf row and the completed tree nodes), through the store's own appender.

It prints appends/s for both, the ratio ledger/baseline of the time taken, and the time to build
and verify inclusion and consistency proofs at the final size (from the nodes on disk). Targets
(issue "The ledger"): >= 20,000 appends/s and a proof in < 5 ms.
"""

from __future__ import annotations

import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ceasefire.ledger import verify_consistency, verify_inclusion
from ceasefire.store._sqlite_ledger import SQLiteLog
from ceasefire.store.sqlite import SQLiteStore

BATCH = 10_000


def _documents(count: int) -> Iterator[tuple[str, dict[str, Any]]]:
    """Report-shaped documents, like the ones intake stores."""
    rng = random.Random(7)
    for n in range(count):
        yield (
            f"r-{n:032x}",
            {
                "id": f"r-{n:032x}",
                "schema_version": 2,
                "source": {"id": f"cam-{n % 25}", "kind": "camera", "reliability": "A"},
                "source_ref": f"EV-{n}",
                "observed_at": "2020-09-15T21:40:00+03:00",
                "time_precision": "minute",
                "location": {
                    "lon": round(37.5 + rng.random(), 5),
                    "lat": round(47.5 + rng.random(), 5),
                    "uncertainty_m": 500,
                },
                "activity": "explosion",
                "count": 1 + n % 7,
                "credibility": 2,
                "narrative": "Camera: undetermined explosion.",
            },
        )


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    return db


def _baseline(path: Path, count: int) -> float:
    db = _connect(path)
    db.execute("CREATE TABLE records (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
    started = time.perf_counter()
    rows = ((rid, json.dumps(doc, separators=(",", ":"))) for rid, doc in _documents(count))
    _in_batches(db, lambda batch: db.executemany("INSERT INTO records VALUES (?, ?)", batch), rows)
    elapsed = time.perf_counter() - started
    db.close()
    return elapsed


def _with_ledger(path: Path, count: int) -> tuple[float, SQLiteStore]:
    store = SQLiteStore(path)  # creates the schema, including the ledger tables
    db = store._db  # the benchmark drives the appender directly, as write_intake does
    db.execute("CREATE TABLE records (id TEXT PRIMARY KEY, document TEXT NOT NULL)")
    log = SQLiteLog(db)

    def write(batch: list[tuple[str, dict[str, Any]]]) -> None:
        db.executemany(
            "INSERT INTO records VALUES (?, ?)",
            [(rid, json.dumps(doc, separators=(",", ":"))) for rid, doc in batch],
        )
        for rid, doc in batch:
            log.append("report", rid, doc)

    started = time.perf_counter()
    _in_batches(db, write, _documents(count), log)
    return time.perf_counter() - started, store


def _in_batches(
    db: sqlite3.Connection, write: Any, rows: Iterator[Any], log: SQLiteLog | None = None
) -> None:
    batch: list[Any] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            _commit(db, write, batch, log)
            batch = []
    if batch:
        _commit(db, write, batch, log)


def _commit(db: sqlite3.Connection, write: Any, batch: list[Any], log: SQLiteLog | None) -> None:
    """One transaction, as the store runs it: begin, write, flush the log's rows, commit."""
    db.execute("BEGIN IMMEDIATE")
    if log is not None:
        log.begin()
    write(batch)
    if log is not None:
        log.flush()
    db.execute("COMMIT")


def _proof_times(store: SQLiteStore, size: int, samples: int = 200) -> dict[str, float]:
    rng = random.Random(11)
    root = store.ledger_root(size)
    inclusion, consistency = [], []
    for _ in range(samples):
        index = rng.randrange(size)
        started = time.perf_counter()
        proof = store.ledger_inclusion_proof(index, size)
        inclusion.append(time.perf_counter() - started)
        leaf = store._db.execute(
            "SELECT leaf_hash FROM ledger_leaves WHERE idx = ?", (index,)
        ).fetchone()[0]
        verify_inclusion(index, size, bytes(leaf), proof, root)
        old = rng.randrange(1, size)
        started = time.perf_counter()
        steps = store.ledger_consistency_proof(old, size)
        consistency.append(time.perf_counter() - started)
        verify_consistency(old, size, steps, store.ledger_root(old), root)
    return {
        "inclusion_median_ms": statistics.median(inclusion) * 1e3,
        "inclusion_max_ms": max(inclusion) * 1e3,
        "consistency_median_ms": statistics.median(consistency) * 1e3,
    }


def main(count: int = 1_000_000) -> dict[str, float]:
    """Run the benchmark over ``count`` entries and print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        base = _baseline(Path(folder) / "baseline.db", count)
        ledger, store = _with_ledger(Path(folder) / "ledger.db", count)
        proofs = _proof_times(store, store.ledger_size())
        store.close()
    figures = {
        "entries": count,
        "baseline_inserts_per_s": count / base,
        "ledger_appends_per_s": count / ledger,
        "ratio_time_ledger_to_baseline": ledger / base,
        **proofs,
    }
    print(
        f"ledger benchmark, {count:,} entries, SQLite (WAL, synchronous=FULL), batches of {BATCH:,}"
    )
    print(f"  baseline: plain INSERT           {figures['baseline_inserts_per_s']:>12,.0f} rows/s")
    print(
        f"  ledger:   INSERT + ledger append {figures['ledger_appends_per_s']:>12,.0f} appends/s"
        f"   (target >= 20,000)"
    )
    print(
        f"  ratio:    ledger takes {figures['ratio_time_ledger_to_baseline']:.2f}x"
        " the baseline's time"
    )
    print(
        f"  inclusion proof at {count:,}: median {proofs['inclusion_median_ms']:.3f} ms, "
        f"max {proofs['inclusion_max_ms']:.3f} ms   (target < 5 ms)"
    )
    print(f"  consistency proof at {count:,}: median {proofs['consistency_median_ms']:.3f} ms")
    return figures


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
