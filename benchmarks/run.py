"""Run every benchmark (``make bench``): each prints its figures and its ratio to a baseline
measured in the same run, so the numbers compare on whatever machine runs them."""

from __future__ import annotations

import runpy
import sys
from pathlib import Path

BENCHMARKS = ("merkle.py", "ledger.py", "intake.py", "agreement.py", "store.py")


def main() -> None:
    """Run the benchmarks one after the other, in this process."""
    here = Path(__file__).resolve().parent
    for name in BENCHMARKS:
        print(f"== {name}", flush=True)
        sys.argv = [name]
        runpy.run_path(str(here / name), run_name="__main__")


if __name__ == "__main__":
    main()
