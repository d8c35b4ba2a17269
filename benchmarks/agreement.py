"""Benchmark of the agreement loader on a long ``sources`` list (issue 7: 330,000 items).

Run: ``.venv/bin/python benchmarks/agreement.py [items]`` (default 60,000). The baseline,
measured in the same run, is PyYAML's pure-Python ``SafeLoader`` on the same text: what the
loader's YAML stage cost before it took its events from libyaml. A profile of the old loader
spent most of its time in that pure-Python scanner, and the rest in JSON Schema validation
(two passes now: the file, and its stored document read back as ``load`` needs).
"""

from __future__ import annotations

import sys
import time

import yaml

from ceasefire.agreement import loader

__all__ = ["main"]

_AGREEMENT = """\
format: ceasefire-agreement/1
id: big
version: "1"
title: Many sources
in_force_from: "2020-01-01T00:00:00+00:00"
parties: [{id: A, name: Party A}, {id: B, name: Party B}]
lines:
  - id: l1
    sides: {left: A, right: B}
    waypoints: [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]
weapon_classes:
  - id: art
    any_of: [{families: [howitzer], calibre_mm: {gte: 100}}]
zones:
  - {id: z1, kind: withdrawal, weapon_classes: [art], buffer: {line: l1, km: 10, side: A}}
clauses:
  - id: c1
    text: No artillery in the zone.
    source: {document: doc0, point: "1"}
    what: {activities: [weapon_presence], weapon_classes: [art]}
    where: {zones: [z1]}
sources:
"""


def _text(items: int) -> str:
    rows = "".join(f"  - {{id: doc{i}, title: Document {i}}}\n" for i in range(items))
    return _AGREEMENT + rows


def _seconds(action: object) -> float:
    start = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - start


def main(items: int) -> None:
    """Time the YAML stage and the whole load of an agreement with ``items`` sources."""
    text = _text(items)
    baseline = _seconds(lambda: yaml.load(text, Loader=yaml.SafeLoader))

    def ours() -> None:
        parser = loader._Loader(text)
        parser.duplicates, parser.sizes = [], {}
        parser.get_single_data()

    yaml_stage = _seconds(ours)
    whole = _seconds(lambda: loader.parse_agreement(text, "big.yaml"))
    print(f"{items:,} sources: pure-Python SafeLoader (baseline) {baseline:6.2f} s")
    print(
        f"  loader YAML stage (libyaml events, bounded)   {yaml_stage:6.2f} s"
        f"  ratio {yaml_stage / baseline:.2f}"
    )
    print(
        f"  whole parse_agreement (schema, build, stored) {whole:6.2f} s"
        f"  ratio {whole / baseline:.2f}  ({items / whole:,.0f} items/s)"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60_000)
