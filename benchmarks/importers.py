"""Benchmark of the importers: rows per second from file text to records, against a baseline.

Run: ``make bench`` or ``.venv/bin/python benchmarks/importers.py [repeats]`` (default 3).

For each real file of ``../shared/data/events`` (skipped where absent) it times, best of the
repeats, the **baseline** — the plain CSV reader alone (``--format csv`` turning the text into
raw rows, no conversion) — and the **importer** (``--format auto``: recognition, the CSV reader
and the row → record conversion with its checks). It prints rows/s for both and the ratio
importer/baseline of the time taken, so the cost of the conversion shows on any machine. Storing
is not timed here (``benchmarks/ledger.py`` measures the write path).
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from ceasefire.intake.readers import READERS, read_records

EVENTS = Path(__file__).resolve().parents[2] / "shared" / "data" / "events"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _best(repeats: int, name: str, text: str, fmt: str) -> float:
    """Best time of ``repeats`` reads of the text in the format (``csv``: the baseline)."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        if fmt == "csv":
            list(READERS["csv"].read(name, text))
        else:
            list(read_records(name, text, fmt, now=NOW))
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time every real events file and print the table."""
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    files = sorted(EVENTS.glob("*.csv"))
    if not files:
        print(f"no shared data at {EVENTS}; nothing to measure")
        return
    print(f"{'file':58} {'rows':>6} {'csv rows/s':>11} {'import rows/s':>13} {'ratio':>6}")
    for path in files:
        text = path.read_text("utf-8")
        rows = sum(1 for _ in READERS["csv"].read(path.name, text))
        baseline = _best(repeats, path.name, text, "csv")
        imported = _best(repeats, path.name, text, "auto")
        print(
            f"{path.name[:58]:58} {rows:>6} {rows / baseline:>11,.0f} {rows / imported:>13,.0f}"
            f" {imported / baseline:>6.1f}"
        )


if __name__ == "__main__":
    main()
