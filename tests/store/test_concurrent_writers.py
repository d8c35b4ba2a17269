"""Concurrent writers on one SQLite file, as real processes (``ceasefire ingest``).

What must hold, whatever the interleaving: no record of any input is lost (each is stored with
exactly its content, or is in quarantine), no record is acknowledged as ``accepted`` by two
processes, every ``accepted`` is stored with that receipt's content, and no writer dies on a
lock: each exits 0 or 1 with a receipt and no traceback.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from ceasefire.clock import FixedClock
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.quarantine import quarantine_id
from ceasefire.store import open_store
from records import report

_CLI = [sys.executable, "-c", "from ceasefire.cli import main; main()"]


@dataclass
class _Run:
    """One ingest process: its input lines and what it said."""

    lines: list[str]
    returncode: int
    receipt: dict[str, Any]
    stderr: str


def _write_input(path: Path, refs: list[str], variant: int, order: int | None = None) -> list[str]:
    """Write one JSONL record per ref (its content set by ``variant``), shuffled by ``order``:
    two writers taking the same refs in different orders meet on shared refs in almost every
    pair of chunks they commit at the same time, so the race is tried many times per run."""
    lines = [json.dumps(report(ref, count=variant + 1)) for ref in refs]
    if order is not None:
        random.Random(order).shuffle(lines)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return lines


def _ingest_concurrently(db: Path, inputs: list[tuple[Path, list[str]]], chunk: int) -> list[_Run]:
    """Start one ``ceasefire ingest --json`` per input at once and wait for them all."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    processes = [
        subprocess.Popen(
            [*_CLI, "--db", str(db), "ingest", str(path), "--json", "--chunk-size", str(chunk)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for path, _lines in inputs
    ]
    runs = []
    for process, (_path, lines) in zip(processes, inputs, strict=True):
        stdout, stderr = process.communicate(timeout=600)
        assert "Traceback" not in stderr, stderr
        assert process.returncode in (0, 1), (process.returncode, stderr)
        assert stdout.strip(), f"a writer exited without its receipt: {stderr}"
        runs.append(_Run(lines, process.returncode, json.loads(stdout), stderr))
    return runs


def _assert_nothing_lost(db: Path, runs: list[_Run]) -> dict[str, int]:
    """Check every record of every input against the store; return the outcome counts."""
    with open_store(db) as store:
        assert LogKeeper(store, FixedClock(datetime(2026, 1, 1, tzinfo=UTC))).verify().ok
        stored = {r.id: r for r in store.iter_reports()}
        quarantined = {q.id: q.raw for q in store.iter_quarantine()}
    accepted_by: dict[str, int] = {}
    counts = {"accepted": 0, "duplicate": 0, "rejected": 0}
    for number, run in enumerate(runs):
        records = run.receipt["records"]
        assert len(records) == len(run.lines)  # every record is accounted for in the receipt
        for line, outcome in zip(run.lines, records, strict=True):
            sent = json.loads(line)
            counts[outcome["outcome"]] += 1
            if outcome["outcome"] == "rejected":
                assert quarantined.get(outcome["id"]) == line, "refused but not in quarantine"
                assert quarantine_id(line) == outcome["id"]
                continue
            kept = stored.get(outcome["id"])
            assert kept is not None, f"{outcome['outcome']} but not stored: {outcome}"
            assert kept.count == sent["count"], f"{outcome['outcome']} with other content"
            if outcome["outcome"] == "accepted":
                assert outcome["id"] not in accepted_by, "two processes both accepted it"
                accepted_by[outcome["id"]] = number
    return counts


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(3))
def test_two_writers_with_different_content_lose_nothing(tmp_path: Path, attempt: int) -> None:
    """Two processes send the same source_refs with different content at once: each record is
    accepted by exactly one, the other's version is refused and quarantined, none is lost."""
    refs = [f"race{attempt}-{n}" for n in range(1500)]
    inputs = []
    for variant in (0, 1):
        path = tmp_path / f"variant-{variant}.jsonl"
        inputs.append((path, _write_input(path, refs, variant, order=attempt * 2 + variant)))
    counts = _assert_nothing_lost(tmp_path / "store.db", _ingest_concurrently(
        tmp_path / "store.db", inputs, chunk=100
    ))  # fmt: skip
    assert counts["accepted"] == len(refs)  # every ref is stored once, by one of the two
    assert counts["rejected"] == len(refs)  # and the other version of it is in quarantine


@pytest.mark.slow
def test_two_writers_of_the_same_records_never_both_accept(tmp_path: Path) -> None:
    """Two processes ingest the same records at once: each record is accepted by one of them
    and is a duplicate for the other; nothing is refused."""
    refs = [f"same-{n}" for n in range(1500)]
    inputs = []
    for copy in (0, 1):  # the same records, in two orders (see _write_input)
        path = tmp_path / f"copy-{copy}.jsonl"
        inputs.append((path, _write_input(path, refs, 0, order=copy)))
    runs = _ingest_concurrently(tmp_path / "store.db", inputs, chunk=100)
    counts = _assert_nothing_lost(tmp_path / "store.db", runs)
    assert counts == {"accepted": 1500, "duplicate": 1500, "rejected": 0}
    assert all(run.returncode == 0 for run in runs)


@pytest.mark.slow
@pytest.mark.parametrize("chunk", [500, 5000])
@pytest.mark.parametrize("attempt", range(5))
def test_four_writers_wait_for_the_lock(tmp_path: Path, chunk: int, attempt: int) -> None:
    """Four processes ingest 5,000 different records each into one fresh file: every writer
    waits its turn and succeeds; all 20,000 records are stored and the ledger verifies."""
    db = tmp_path / "store.db"
    inputs = []
    for writer in range(4):
        path = tmp_path / f"writer-{writer}.jsonl"
        refs = [f"w{attempt}-{writer}-{n}" for n in range(5000)]
        inputs.append((path, _write_input(path, refs, writer)))
    runs = _ingest_concurrently(db, inputs, chunk=chunk)
    assert [run.returncode for run in runs] == [0, 0, 0, 0]
    assert _assert_nothing_lost(db, runs) == {"accepted": 20_000, "duplicate": 0, "rejected": 0}
