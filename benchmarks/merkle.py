"""Micro-benchmark of the pure Merkle core: appends per second and proof times, in memory.

Run: ``.venv/bin/python benchmarks/merkle.py [leaves]`` (default 1,000,000). Figures are for the
pure core over :class:`MemoryNodes`; a database store adds its own read/write costs, but the
number of nodes touched (printed too) is what it will pay for.
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Sequence

from ceasefire.ledger import (
    Frontier,
    MemoryNodes,
    NodeKey,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_at,
    verify_consistency,
    verify_inclusion,
)

__all__ = ["main"]


class _Counting:
    """Wrap a reader to count the nodes each proof reads."""

    def __init__(self, inner: MemoryNodes) -> None:
        self.inner = inner
        self.keys = 0

    def get(self, level: int, index: int) -> bytes:
        self.keys += 1
        return self.inner.get(level, index)

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        self.keys += len(keys)
        return self.inner.get_many(keys)


def _per_call(label: str, seconds: float, calls: int) -> None:
    print(f"{label:<44} {seconds / calls * 1e6:9.1f} µs/call")


def main(n: int) -> None:
    """Build an n-leaf log in memory and time appends, roots and proofs."""
    leaves = [leaf_hash(i.to_bytes(8, "big")) for i in range(n)]

    frontier = Frontier()
    start = time.perf_counter()
    for leaf in leaves:
        frontier.append(leaf)
    elapsed = time.perf_counter() - start
    print(f"Frontier.append only: {n / elapsed:,.0f} appends/s ({n:,} leaves)")

    frontier, store = Frontier(), MemoryNodes()
    start = time.perf_counter()
    for leaf in leaves:
        store.put(frontier.append(leaf))
    elapsed = time.perf_counter() - start
    print(f"Frontier.append + MemoryNodes.put: {n / elapsed:,.0f} appends/s, {len(store):,} nodes")

    rng = random.Random(6962)
    root = frontier.root()
    rounds = 2000
    indices = [rng.randrange(n) for _ in range(rounds)]
    start = time.perf_counter()
    proofs = [inclusion_proof(i, n, store) for i in indices]
    _per_call(f"inclusion_proof at n={n:,}", time.perf_counter() - start, rounds)
    start = time.perf_counter()
    for i, proof in zip(indices, proofs, strict=True):
        verify_inclusion(i, n, leaves[i], proof, root)
    _per_call("verify_inclusion", time.perf_counter() - start, rounds)

    sizes = [rng.randrange(1, n) for _ in range(rounds)]
    start = time.perf_counter()
    cproofs = [consistency_proof(m, n, store) for m in sizes]
    _per_call(f"consistency_proof to n={n:,}", time.perf_counter() - start, rounds)
    old_roots = [root_at(m, store) for m in sizes]
    start = time.perf_counter()
    for m, proof, old in zip(sizes, cproofs, old_roots, strict=True):
        verify_consistency(m, n, proof, old, root)
    _per_call("verify_consistency", time.perf_counter() - start, rounds)

    start = time.perf_counter()
    for m in sizes:
        root_at(m, store)
    _per_call("root_at (random size)", time.perf_counter() - start, rounds)
    start = time.perf_counter()
    Frontier.from_nodes(n, store)
    _per_call("Frontier.from_nodes", time.perf_counter() - start, 1)

    worst_incl = worst_cons = 0
    for i, m in zip(indices[:200], sizes[:200], strict=True):
        counter = _Counting(store)
        inclusion_proof(i, n, counter)
        worst_incl = max(worst_incl, counter.keys)
        counter = _Counting(store)
        consistency_proof(m, n, counter)
        worst_cons = max(worst_cons, counter.keys)
    print(f"nodes read per proof (max of 200): inclusion {worst_incl}, consistency {worst_cons}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
