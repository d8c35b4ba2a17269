"""Crash safety: SIGKILL at random moments of a batch ingest loses no acknowledged report and
never leaves the store and its ledger out of step."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ceasefire.clock import FixedClock
from ceasefire.ledger import Signer, generate_key
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.store import open_store
from records import jsonl, report

KILLS = 50
RECORDS_PER_RUN = 400
CHUNK = 20
CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))


def _ingest_process(db: Path, batch: Path) -> subprocess.Popen[str]:
    command = [
        sys.executable, "-c", "from ceasefire.cli import main; main()",
        "--db", str(db), "ingest", str(batch), "--acks", "--chunk-size", str(CHUNK),
    ]  # fmt: skip
    return subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )


@pytest.mark.slow
def test_sigkill_during_ingest_loses_no_acknowledged_report(tmp_path: Path) -> None:
    """Kill the ingesting process at 50 random moments; after each restart the ledger
    verifies and every report whose acknowledgement was printed is stored."""
    db = tmp_path / "crash.db"
    signer = Signer.from_string(generate_key("lead")[0])
    rng = random.Random(20261124)
    acknowledged: set[str] = set()
    killed_mid_run = 0
    killed_mid_batch = 0  # some but not all of the run's records acknowledged
    for run in range(KILLS):
        batch = tmp_path / f"batch-{run}.jsonl"
        batch.write_text(
            jsonl([report(f"run{run}-{n}", count=n + 1) for n in range(RECORDS_PER_RUN)])
        )
        process = _ingest_process(db, batch)
        assert process.stdout is not None
        # Kill once a random number of chunks has been acknowledged, plus a random fraction of
        # a transaction: the moment lands among the commits whatever the machine's speed.
        wait_for = rng.randrange(0, RECORDS_PER_RUN // CHUNK) * CHUNK
        lines = [process.stdout.readline() for _ in range(wait_for)]
        time.sleep(rng.uniform(0.0, 0.02))
        if process.poll() is None:
            process.send_signal(signal.SIGKILL)
            killed_mid_run += 1
        lines.extend(process.stdout)  # what was printed before the kill is still in the pipe
        process.wait()
        process.stdout.close()
        killed_mid_batch += 0 < len([line for line in lines if line]) < RECORDS_PER_RUN
        for line in lines:
            if line.strip():
                outcome = json.loads(line)
                if outcome["outcome"] in {"accepted", "duplicate"}:
                    acknowledged.add(outcome["id"])

        with open_store(db) as store:
            keeper = LogKeeper(store, CLOCK)
            result = keeper.verify()
            assert result.ok, f"run {run}: {result.problems}"
            stored = {r.id for r in store.iter_reports()}
            assert acknowledged <= stored, f"run {run}: acknowledged but lost"
            if run % 10 == 9:
                keeper.checkpoint([signer])
    # The moments must really fall inside the work, not all before or after it.
    assert killed_mid_run >= KILLS // 2
    assert killed_mid_batch >= KILLS // 2
    with open_store(db) as store:
        assert 0 < len(acknowledged) <= store.counts().reports
