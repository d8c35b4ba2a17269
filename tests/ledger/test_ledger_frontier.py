"""The Frontier appender and the node store: roots, emitted nodes, restart, and MemoryNodes."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ledger_naive import naive_path, naive_proof, root_of

from ceasefire.ledger import (
    EMPTY_ROOT,
    Frontier,
    MemoryNodes,
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    root_at,
    verify_consistency,
    verify_inclusion,
)


def _leaves(n: int, salt: int = 0) -> list[bytes]:
    return [leaf_hash(f"{salt}:{i}".encode()) for i in range(n)]


def _build(leaves: list[bytes]) -> tuple[Frontier, MemoryNodes]:
    frontier, store = Frontier(), MemoryNodes()
    for leaf in leaves:
        store.put(frontier.append(leaf))
    return frontier, store


def test_empty_frontier_has_empty_root() -> None:
    """A new log has size 0 and the RFC 6962 empty-tree root, SHA-256 of nothing."""
    frontier = Frontier()
    assert frontier.size == 0
    assert frontier.root() == EMPTY_ROOT
    assert frontier.hashes() == []


def test_append_returns_leaf_then_completed_parents() -> None:
    """Appending leaf 7 returns the leaf node and the three parents it completes, smallest first."""
    leaves = _leaves(8)
    frontier, _ = _build(leaves[:7])
    nodes = frontier.append(leaves[7])
    assert [(level, index) for level, index, _ in nodes] == [(0, 7), (1, 3), (2, 1), (3, 0)]
    assert nodes[0][2] == leaves[7]
    assert nodes[-1][2] == root_of(leaves) == frontier.root()


def test_every_emitted_node_is_a_complete_subtree() -> None:
    """Each stored node (level, index) is the MTH of leaves [index*2^level, (index+1)*2^level)."""
    leaves = _leaves(100)
    _, store = _build(leaves)
    # 100 leaves complete 100 + 50 + 25 + 12 + 6 + 3 + 1 nodes.
    assert len(store) == 197
    for level in range(7):
        for index in range(100 >> level):
            width = 1 << level
            expected = root_of(leaves[index * width : (index + 1) * width])
            assert store.get(level, index) == expected, (level, index)


@settings(max_examples=40, deadline=None)
@given(size=st.integers(min_value=0, max_value=3000), salt=st.integers(0, 2**32))
def test_frontier_root_equals_naive_root(size: int, salt: int) -> None:
    """For any size up to 3000 the frontier's root and root_at equal the naive MTH."""
    leaves = _leaves(size, salt)
    frontier, store = _build(leaves)
    assert frontier.size == size
    assert frontier.root() == root_of(leaves)
    assert root_at(size, store) == frontier.root()


@settings(max_examples=40, deadline=None)
@given(
    first=st.integers(min_value=0, max_value=1500),
    more=st.integers(min_value=0, max_value=500),
    salt=st.integers(0, 2**32),
)
def test_restart_continues_identically(first: int, more: int, salt: int) -> None:
    """A frontier rebuilt with from_nodes emits the same nodes and roots as one never stopped."""
    leaves = _leaves(first + more, salt)
    steady, steady_store = _build(leaves[:first])
    restarted = Frontier.from_nodes(first, steady_store)
    assert restarted.size == first
    assert restarted.hashes() == steady.hashes()
    for leaf in leaves[first:]:
        assert restarted.append(leaf) == steady.append(leaf)
        assert restarted.root() == steady.root()


@settings(max_examples=60, deadline=None)
@given(data=st.data(), size=st.integers(min_value=1, max_value=2000))
def test_random_proofs_equal_naive_and_verify(data: st.DataObject, size: int) -> None:
    """Random inclusion and consistency proofs in trees up to 2000 equal the naive ones."""
    leaves = _leaves(size)
    _, store = _build(leaves)
    root = root_of(leaves)
    index = data.draw(st.integers(0, size - 1), label="index")
    proof = inclusion_proof(index, size, store)
    assert proof == naive_path(index, leaves)
    verify_inclusion(index, size, leaves[index], proof, root)
    size1 = data.draw(st.integers(1, size), label="size1")
    proof = consistency_proof(size1, size, store)
    assert proof == naive_proof(size1, leaves)
    verify_consistency(size1, size, proof, root_of(leaves[:size1]), root)


def test_append_refuses_non_hash() -> None:
    """A leaf that is not a 32-byte hash is refused before it can poison the tree."""
    with pytest.raises(ValueError, match="32 bytes"):
        Frontier().append(b"raw entry, not hashed")


def test_frontier_constructor_checks_tiling() -> None:
    """A frontier whose hash count does not match its size's binary form is refused."""
    with pytest.raises(ValueError, match="tiled by 2"):
        Frontier(3, [b"\x00" * 32])
    with pytest.raises(ValueError, match="negative"):
        Frontier(-1)


def test_memory_nodes_refuses_rewrite() -> None:
    """Storing a different hash for an existing node fails: nodes are immutable."""
    store = MemoryNodes([(0, 0, b"a" * 32)])
    store.put([(0, 0, b"a" * 32)])
    with pytest.raises(ValueError, match="different hash"):
        store.put([(0, 0, b"b" * 32)])


def test_memory_nodes_missing_key_names_node() -> None:
    """A missing node raises KeyError that names the level and index."""
    with pytest.raises(KeyError, match="level 3, index 9"):
        MemoryNodes().get(3, 9)
