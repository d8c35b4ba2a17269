"""Proofs built from the node store equal RFC 6962 PATH/PROOF, verify, and resist mutation."""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable, Iterator, Sequence

import pytest
from ledger_naive import naive_path, naive_proof, root_of

from ceasefire.errors import ProofInvalid
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

EXHAUSTIVE = 64
MUTATED = 24


def _leaves(n: int) -> list[bytes]:
    return [leaf_hash(f"entry {i}".encode()) for i in range(n)]


def _store(n: int) -> MemoryNodes:
    frontier, store = Frontier(), MemoryNodes()
    for leaf in _leaves(n):
        store.put(frontier.append(leaf))
    return store


LEAVES = _leaves(EXHAUSTIVE)
STORE = _store(EXHAUSTIVE)
ROOTS = [root_of(LEAVES[:n]) for n in range(EXHAUSTIVE + 1)]


def test_root_at_every_size() -> None:
    """root_at(size) from the store equals the naive MTH for every size up to 64."""
    for size in range(EXHAUSTIVE + 1):
        assert root_at(size, STORE) == ROOTS[size], f"size {size}"


def test_inclusion_proofs_equal_naive_path_and_verify() -> None:
    """Every (index, size <= 64) inclusion proof equals RFC 6962 PATH and verifies."""
    for size in range(1, EXHAUSTIVE + 1):
        for index in range(size):
            proof = inclusion_proof(index, size, STORE)
            assert proof == naive_path(index, LEAVES[:size]), f"index {index}, size {size}"
            verify_inclusion(index, size, LEAVES[index], proof, ROOTS[size])


def test_consistency_proofs_equal_naive_proof_and_verify() -> None:
    """Every 1 <= size1 <= size2 <= 64 consistency proof equals RFC 6962 PROOF and verifies."""
    for size2 in range(1, EXHAUSTIVE + 1):
        for size1 in range(1, size2 + 1):
            proof = consistency_proof(size1, size2, STORE)
            assert proof == naive_proof(size1, LEAVES[:size2]), f"{size1} -> {size2}"
            verify_consistency(size1, size2, proof, ROOTS[size1], ROOTS[size2])


def _flip(proof: Sequence[bytes], position: int, bit: int) -> list[bytes]:
    changed = list(proof)
    element = bytearray(changed[position])
    element[bit // 8] ^= 1 << (bit % 8)
    changed[position] = bytes(element)
    return changed


def _proof_mutations(proof: list[bytes], extra: bytes) -> Iterator[tuple[str, list[bytes]]]:
    """Yield (description, mutated proof) for every proof-level mutation we test."""
    for position in range(len(proof)):
        for bit in (0, 7, 100, 255):
            yield f"proof[{position}] bit {bit} flipped", _flip(proof, position, bit)
    if proof:
        yield "truncated", proof[:-1]
        yield "first dropped", proof[1:]
    yield "extra appended", [*proof, extra]
    yield "extra prepended", [extra, *proof]
    if len(proof) >= 2:
        yield "two swapped", [proof[1], proof[0], *proof[2:]]


def _rejected(check: Callable[..., None], *args: object) -> bool:
    try:
        check(*args)
    except ProofInvalid:
        return True
    return False


def test_inclusion_mutations_rejected() -> None:
    """Wrong leaf, index ±1, size halved/doubled and any proof edit are all rejected."""
    # Not "size + 1": the path of leaf 0 in a tree of 3 also checks out as a tree of 4 against
    # the same root, so a proof alone does not bind the size; the signed checkpoint does.
    extra = hashlib.sha256(b"extra").digest()
    accepted = []
    for size in range(1, MUTATED + 1):
        root = ROOTS[size]
        for index in range(size):
            proof = inclusion_proof(index, size, STORE)
            leaf = LEAVES[index]
            cases: list[tuple[str, int, int, bytes, list[bytes]]] = [
                ("wrong leaf", index, size, LEAVES[(index + 1) % EXHAUSTIVE], proof),
                ("index + 1", index + 1, size, leaf, proof),
                ("index - 1", index - 1, size, leaf, proof),
                ("index = 2**64 - 1", 2**64 - 1, size, leaf, proof),
                ("size halved", index, size // 2, leaf, proof),
                ("size doubled", index, size * 2, leaf, proof),
                ("short leaf hash", index, size, leaf[:31], proof),
            ]
            cases += [(d, index, size, leaf, p) for d, p in _proof_mutations(proof, extra)]
            for desc, i, n, lh, p in cases:
                if not _rejected(verify_inclusion, i, n, lh, p, root):
                    accepted.append(f"index {index}, size {size}: {desc}")
    assert not accepted, "\n".join(accepted)


def test_consistency_mutations_rejected() -> None:
    """Sizes ±1, size2 halved/doubled, swapped or wrong roots and any proof edit are rejected."""
    extra = hashlib.sha256(b"extra").digest()
    accepted = []
    for size2 in range(2, MUTATED + 1):
        for size1 in range(1, size2):
            proof = consistency_proof(size1, size2, STORE)
            r1, r2 = ROOTS[size1], ROOTS[size2]
            cases: list[tuple[str, int, int, list[bytes], bytes, bytes]] = [
                ("size1 + 1", size1 + 1, size2, proof, r1, r2),
                ("size1 - 1", size1 - 1, size2, proof, r1, r2),
                ("size2 halved", size1, size2 // 2, proof, r1, r2),
                ("size2 doubled", size1, size2 * 2, proof, r1, r2),
                ("roots swapped", size1, size2, proof, r2, r1),
                ("wrong root1", size1, size2, proof, extra, r2),
                ("wrong root2", size1, size2, proof, r1, extra),
                ("empty proof", size1, size2, [], r1, r2),
            ]
            cases += [(d, size1, size2, p, r1, r2) for d, p in _proof_mutations(proof, extra)]
            for desc, m, n, p, a, b in cases:
                if not _rejected(verify_consistency, m, n, p, a, b):
                    accepted.append(f"{size1} -> {size2}: {desc}")
    assert not accepted, "\n".join(accepted)


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        ((3, 2, [], b"a", b"a"), "smaller"),
        ((0, 0, [], b"a", b"a"), "size1 is 0"),
        ((0, 5, [], b"a", b"b"), "size1 is 0"),
        ((2, 2, [b"x" * 32], b"a", b"a"), "sizes are equal"),
        ((2, 2, [], b"a", b"b"), "roots differ"),
        ((-1, 2, [], b"a", b"b"), "negative"),
    ],
)
def test_consistency_argument_checks_say_why(
    args: tuple[int, int, list[bytes], bytes, bytes], reason: str
) -> None:
    """Out-of-range sizes are rejected with a message naming the broken rule."""
    with pytest.raises(ProofInvalid, match=reason):
        verify_consistency(*args)


def test_equal_sizes_accept_equal_opaque_roots() -> None:
    """Equal sizes with an empty proof accept byte-equal roots of any length (as upstream)."""
    verify_consistency(1, 1, [], b"don't care 2", b"don't care 2")


def test_inclusion_rejects_huge_index_without_crashing() -> None:
    """An index of 2**64 - 1 is refused as out of range, not an overflow."""
    with pytest.raises(ProofInvalid, match="not in a tree"):
        verify_inclusion(2**64 - 1, 8, LEAVES[0], [LEAVES[1]] * 3, ROOTS[8])


def test_inclusion_rejects_short_proof_element() -> None:
    """A proof element that is not 32 bytes is reported as such."""
    proof = inclusion_proof(0, 2, STORE)
    with pytest.raises(ProofInvalid, match=r"proof\[0\] is 31 bytes"):
        verify_inclusion(0, 2, LEAVES[0], [proof[0][:31]], ROOTS[2])


def test_proof_builders_refuse_bad_arguments() -> None:
    """Asking for a proof outside the tree is a caller error, raised as ValueError."""
    with pytest.raises(ValueError, match="not in a tree"):
        inclusion_proof(5, 5, STORE)
    with pytest.raises(ValueError, match="must be positive"):
        consistency_proof(0, 5, STORE)
    with pytest.raises(ValueError, match="larger"):
        consistency_proof(6, 5, STORE)
    with pytest.raises(ValueError, match="negative"):
        root_at(-1, STORE)


def test_missing_node_is_a_key_error() -> None:
    """A proof past the stored tree fails loudly with KeyError, never a made-up hash."""
    with pytest.raises(KeyError):
        inclusion_proof(0, EXHAUSTIVE + 1, STORE)


class _CountingReader:
    """A reader that invents a hash for any key and counts batch calls and keys read."""

    def __init__(self) -> None:
        self.calls = 0
        self.keys = 0

    def get(self, level: int, index: int) -> bytes:
        return self.get_many([(level, index)])[0]

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        self.calls += 1
        self.keys += len(keys)
        return [hashlib.sha256(f"{k}".encode()).digest() for k in keys]


@pytest.mark.parametrize("size", [10**6, 2**20 - 1, 2**40 + 12345, 2**63 + 2**62 + 7])
def test_proofs_read_logarithmically(size: int) -> None:
    """Each proof is one batch read of at most 2*log2(n)+1 nodes, however large the log."""
    bound = 2 * math.ceil(math.log2(size)) + 1
    for index in (0, 1, size // 3, size - 2, size - 1):
        reader = _CountingReader()
        assert len(inclusion_proof(index, size, reader)) <= math.ceil(math.log2(size))
        assert reader.calls == 1
        assert reader.keys <= bound, f"index {index}: {reader.keys} reads"
    for size1 in (1, 2, 3, size // 2 + 1, size - 1, size):
        reader = _CountingReader()
        consistency_proof(size1, size, reader)
        assert reader.calls == 1
        assert reader.keys <= bound, f"size1 {size1}: {reader.keys} reads"
