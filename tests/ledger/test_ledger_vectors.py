"""The RFC 6962 test vectors of transparency-dev/merkle, run against our hashing and verifiers."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from ceasefire.errors import ProofInvalid
from ceasefire.ledger import (
    EMPTY_ROOT,
    Frontier,
    MemoryNodes,
    leaf_hash,
    node_hash,
    root_at,
    verify_consistency,
    verify_inclusion,
)

VECTORS = "vectors/rfc6962"


def _load(shared_data: Any) -> dict[str, Any]:
    path: Path = shared_data.path(f"{VECTORS}/leaves_and_roots.json")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _b64(text: str) -> bytes:
    return base64.b64decode(text, validate=True)


def test_roots_for_sizes_0_to_8(shared_data: Any) -> None:
    """The frontier and the node store give the published root for every size 0..8."""
    data = _load(shared_data)
    leaves = [bytes.fromhex(h) for h in data["leaf_inputs_hex"]]
    expected = {r["tree_size"]: bytes.fromhex(r["root_hex"]) for r in data["root_hashes_hex"]}
    assert sorted(expected) == list(range(9))
    frontier, store = Frontier(), MemoryNodes()
    assert frontier.root() == expected[0]
    for size, leaf in enumerate(leaves, start=1):
        store.put(frontier.append(leaf_hash(leaf)))
        assert frontier.root() == expected[size], f"size {size}"
    for size in range(9):
        assert root_at(size, store) == expected[size], f"root_at({size})"


def test_node_hashes_match_levels(shared_data: Any) -> None:
    """Every complete subtree hash the frontier emits equals the published node hash."""
    data = _load(shared_data)
    frontier, store = Frontier(), MemoryNodes()
    for leaf in data["leaf_inputs_hex"]:
        store.put(frontier.append(leaf_hash(bytes.fromhex(leaf))))
    levels = data["node_hashes_hex"]["levels"]
    count = 0
    for level, hashes in enumerate(levels):
        for index, digest in enumerate(hashes):
            assert store.get(level, index) == bytes.fromhex(digest), f"node ({level}, {index})"
            count += 1
    assert count == len(store) == 15


def test_hasher_vectors(shared_data: Any) -> None:
    """The four rfc6962_test.go cases (empty root, empty leaf, leaf, node) reproduce exactly."""
    cases = _load(shared_data)["hasher_vectors"]
    assert len(cases) == 4
    for case in cases:
        function, given = case["function"], case["input"]
        if function == "EmptyRoot()":
            got = EMPTY_ROOT
        elif function == "HashLeaf(leaf)":
            got = leaf_hash(bytes.fromhex(given["leaf_hex"]))
        else:
            assert function == "HashChildren(left, right)"
            got = node_hash(bytes.fromhex(given["left_hex"]), bytes.fromhex(given["right_hex"]))
        assert got.hex() == case["want_hex"], case["desc"]


def _probes(shared_data: Any, kind: str) -> list[Path]:
    base: Path = shared_data.path(f"{VECTORS}/{kind}")
    # rglob, not a glob built from names: the names hold "[0]", a glob character class.
    return sorted(base.rglob("*.json"))


def _run_probe(kind: str, path: Path) -> bool:
    probe = json.loads(path.read_text(encoding="utf-8"))
    proof = [_b64(h) for h in probe["proof"] or []]
    try:
        if kind == "inclusion":
            verify_inclusion(
                probe["leafIdx"],
                probe["treeSize"],
                _b64(probe["leafHash"]),
                proof,
                _b64(probe["root"]),
            )
        else:
            verify_consistency(
                probe["size1"], probe["size2"], proof, _b64(probe["root1"]), _b64(probe["root2"])
            )
    except ProofInvalid:
        return probe["wantErr"] is True
    return probe["wantErr"] is False


@pytest.mark.parametrize("kind", ["inclusion", "consistency"])
def test_all_probe_vectors(shared_data: Any, kind: str) -> None:
    """Every probe file is accepted exactly when its wantErr is false (98 + 98 files)."""
    paths = _probes(shared_data, kind)
    assert len(paths) == 98
    failures = []
    for path in paths:
        if not _run_probe(kind, path):
            desc = json.loads(path.read_text(encoding="utf-8"))["desc"]
            failures.append(f"{path.relative_to(path.parents[1])}: {desc}")
    assert not failures, "probes disagreeing with wantErr:\n" + "\n".join(failures)
