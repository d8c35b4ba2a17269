"""RFC 6962 / RFC 9162 Merkle tree: hashing, a storage-agnostic node store, proofs and verifiers.

Every record the mission publishes becomes one leaf of an append-only Merkle tree, so that any
party holding two signed tree heads can check that nothing was removed or rewritten between them
(a consistency proof) and that a given record is in the log (an inclusion proof). The hashing is
exactly RFC 6962 §2.1 with SHA-256, so off-the-shelf Certificate Transparency tooling can verify
our proofs:

* ``leaf_hash(d) = SHA-256(0x00 || d)`` and ``node_hash(l, r) = SHA-256(0x01 || l || r)``; the two
  prefixes keep a leaf from ever being passed off as an interior node (second pre-images);
* the tree over ``n > 1`` leaves splits at the largest power of two *strictly* below ``n``;
* the empty tree hashes to ``SHA-256(b"")`` (:data:`EMPTY_ROOT`).

Storage contract
----------------
The real log holds millions of entries in SQLite or PostgreSQL, so nothing here keeps the whole
tree in memory. The store persists *complete subtree hashes* ("nodes"): node ``(level, index)`` is
the hash of the perfect subtree over leaves ``[index * 2**level, (index + 1) * 2**level)``. Such a
node never changes once it exists, which is what makes it safe to cache and to persist in the same
transaction as the entry that completed it.

* **Append** (:meth:`Frontier.append`): O(log n) time; returns the level-0 node (the leaf hash) plus
  every node the new leaf completed, on average two nodes per append and never more than
  ``1 + log2(n)``. The caller persists exactly those rows, then the frontier is up to date.
* **Restart** (:meth:`Frontier.from_nodes`): one batch read of ``popcount(n)`` nodes.
* **Root at any past size** (:func:`root_at`): one batch read of ``popcount(size)`` nodes.
* **Inclusion and consistency proofs**: one batch read of at most ``2 * log2(n) + 1`` nodes. A proof
  element that covers a ragged right edge (a subtree whose size is not a power of two) is folded
  from the complete nodes that tile it; RFC 6962 recursion meets at most one such element per
  proof, so the reads stay O(log n).

Stores implement :class:`NodeReader`; :class:`MemoryNodes` is the dict-backed one used by tests
and small logs.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterable, Sequence
from typing import Protocol

from ceasefire.errors import ProofInvalid

__all__ = [
    "EMPTY_ROOT",
    "HASH_SIZE",
    "Frontier",
    "MemoryNodes",
    "Node",
    "NodeKey",
    "NodeReader",
    "consistency_proof",
    "inclusion_proof",
    "leaf_hash",
    "node_hash",
    "root_at",
    "verify_consistency",
    "verify_inclusion",
]

HASH_SIZE = 32
"""Length in bytes of every hash in the tree (SHA-256)."""

EMPTY_ROOT = hashlib.sha256(b"").digest()
"""Root hash of the empty tree, RFC 6962 §2.1: the hash of the empty string."""

NodeKey = tuple[int, int]
"""``(level, index)`` of a complete subtree."""

Node = tuple[int, int, bytes]
"""``(level, index, hash)`` of a complete subtree, as a store persists it."""

_LEAF_PREFIX = b"\x00"
_NODE_PREFIX = b"\x01"


def leaf_hash(entry: bytes) -> bytes:
    """Hash one log entry into a leaf.

    Args:
        entry: the entry exactly as logged (here, :func:`~ceasefire.ledger.entry_bytes`).

    Returns:
        ``SHA-256(0x00 || entry)``, 32 bytes. The 0x00 prefix is what stops an interior node from
        being presented as a leaf.
    """
    return hashlib.sha256(_LEAF_PREFIX + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Hash two children into their parent.

    Args:
        left: hash of the left subtree.
        right: hash of the right subtree.

    Returns:
        ``SHA-256(0x01 || left || right)``. The lengths are not checked, because RFC 6962's own
        test vectors hash 4-byte stand-ins; the verifiers check lengths where it matters.
    """
    return hashlib.sha256(_NODE_PREFIX + left + right).digest()


class NodeReader(Protocol):
    """Read access to the persisted complete-subtree hashes of one log.

    A store (SQLite, PostgreSQL, a tile server) implements both methods. ``get_many`` exists so
    that a proof costs one round trip, not one per node; a store with no batch query can
    implement it as ``[self.get(*k) for k in keys]``. A missing node must raise ``KeyError``
    (or another ``LookupError``): asking for a node the log never completed is a caller bug or
    a damaged store, and must never be papered over.
    """

    def get(self, level: int, index: int) -> bytes:
        """Return the hash of node ``(level, index)``; raise ``KeyError`` if absent."""
        ...

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of ``keys`` in the same order; raise ``KeyError`` if any is absent."""
        ...


class MemoryNodes:
    """A :class:`NodeReader` over a dict, for tests and small in-memory logs.

    Args:
        nodes: initial ``(level, index, hash)`` rows, e.g. everything a :class:`Frontier` returned.
    """

    def __init__(self, nodes: Iterable[Node] = ()) -> None:
        self._nodes: dict[NodeKey, bytes] = {}
        self.put(nodes)

    def put(self, nodes: Iterable[Node]) -> None:
        """Store nodes, as a database would in the append transaction.

        Args:
            nodes: ``(level, index, hash)`` rows, typically the return value of
                :meth:`Frontier.append`.

        Raises:
            ValueError: a node already stored with a different hash. Nodes are immutable, so a
                second, different value means two writers or a bug, never a legitimate update.
        """
        for level, index, digest in nodes:
            old = self._nodes.setdefault((level, index), digest)
            if old != digest:
                raise ValueError(f"node ({level}, {index}) already stored with a different hash")

    def get(self, level: int, index: int) -> bytes:
        """Return the hash of node ``(level, index)``.

        Raises:
            KeyError: the node is not stored.
        """
        try:
            return self._nodes[(level, index)]
        except KeyError:
            raise KeyError(f"node (level {level}, index {index}) is not stored") from None

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return the hashes of ``keys`` in order.

        Raises:
            KeyError: one of the nodes is not stored.
        """
        return [self.get(level, index) for level, index in keys]

    def __len__(self) -> int:
        """Return the number of stored nodes (about twice the number of leaves)."""
        return len(self._nodes)


class Frontier:
    """The compact range of a log: the roots of the perfect subtrees that tile it, left to right.

    This is all an appender needs to keep in memory: ``popcount(size)`` hashes. Appending merges
    equal-sized subtrees like a binary counter carries, and reports each node it completes so the
    caller can persist it atomically with the entry.

    Args:
        size: number of leaves the ``hashes`` cover.
        hashes: roots of the perfect subtrees of ``size``'s binary decomposition, largest first.

    Raises:
        ValueError: ``hashes`` does not match ``size`` (count or hash length).
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        if size < 0:
            raise ValueError(f"tree size must not be negative, got {size}")
        if len(hashes) != size.bit_count():
            raise ValueError(
                f"a tree of size {size} is tiled by {size.bit_count()} subtrees, got {len(hashes)}"
            )
        if any(len(h) != HASH_SIZE for h in hashes):
            raise ValueError(f"every frontier hash must be {HASH_SIZE} bytes")
        self._size = size
        self._hashes = list(hashes)

    @classmethod
    def from_nodes(cls, size: int, reader: NodeReader) -> Frontier:
        """Rebuild the frontier of a persisted log, e.g. after a restart.

        Args:
            size: the number of leaves the store holds.
            reader: the store's nodes.

        Returns:
            A frontier equal to the one that appended those ``size`` leaves, after one batch read
            of ``popcount(size)`` nodes.

        Raises:
            ValueError: ``size`` is negative.
            KeyError: the store lacks a node it should have (it is damaged or ``size`` is wrong).
        """
        if size < 0:
            raise ValueError(f"tree size must not be negative, got {size}")
        return cls(size, reader.get_many(_tiling(0, size)))

    @property
    def size(self) -> int:
        """Number of leaves appended so far."""
        return self._size

    def hashes(self) -> list[bytes]:
        """Return the subtree roots that tile the tree, largest first (a copy)."""
        return list(self._hashes)

    def append(self, leaf: bytes) -> list[Node]:
        """Append one leaf hash.

        Args:
            leaf: the leaf's hash, :func:`leaf_hash` of the entry (32 bytes).

        Returns:
            The nodes this append completed, smallest first: ``(0, size, leaf)`` and then each
            parent it finished. The caller must persist all of them, in the same transaction as
            the entry, or proofs will later find holes.

        Raises:
            ValueError: ``leaf`` is not 32 bytes; accepting it would make proofs unverifiable.
        """
        if len(leaf) != HASH_SIZE:
            raise ValueError(f"a leaf hash is {HASH_SIZE} bytes, got {len(leaf)}")
        index = self._size
        digest = leaf
        completed: list[Node] = [(0, index, digest)]
        level = 0
        # Each trailing 1 bit of the old size is a perfect subtree the new one now pairs with.
        while (index >> level) & 1:
            digest = node_hash(self._hashes.pop(), digest)
            level += 1
            completed.append((level, index >> level, digest))
        self._hashes.append(digest)
        self._size += 1
        return completed

    def root(self) -> bytes:
        """Return the RFC 6962 root hash of the leaves appended so far."""
        return _fold(self._hashes)


def _tiling(start: int, length: int) -> list[NodeKey]:
    """Return the complete nodes that tile ``[start, start + length)``, largest (leftmost) first.

    ``start`` must be a multiple of the largest power of two <= ``length``, which holds for every
    subtree RFC 6962's recursion produces.
    """
    keys: list[NodeKey] = []
    position = start
    for level in range(length.bit_length() - 1, -1, -1):
        if (length >> level) & 1:
            keys.append((level, position >> level))
            position += 1 << level
    return keys


def _fold(hashes: Sequence[bytes]) -> bytes:
    """Combine a tiling (largest subtree first) into the RFC 6962 hash of the range it covers.

    MTH splits at the largest power of two below n, so the leftmost tile is the left child and
    the rest is folded recursively on the right: a right fold.
    """
    if not hashes:
        return EMPTY_ROOT
    digest = hashes[-1]
    for left in reversed(hashes[:-1]):
        digest = node_hash(left, digest)
    return digest


def _check_size(name: str, value: int) -> None:
    if value < 0:
        raise ValueError(f"{name} must not be negative, got {value}")


def root_at(size: int, reader: NodeReader) -> bytes:
    """Return the root hash the log had when it held ``size`` leaves.

    Args:
        size: a tree size, at most the store's current size.
        reader: the store's nodes.

    Returns:
        The RFC 6962 root, from one batch read of ``popcount(size)`` nodes.

    Raises:
        ValueError: ``size`` is negative.
        KeyError: the store lacks a needed node (``size`` exceeds the log, or the store is damaged).
    """
    _check_size("size", size)
    return _fold(reader.get_many(_tiling(0, size)))


# A proof plan is a list of tilings: each proof element is the fold of one tiling. Planning first
# lets one batch read serve the whole proof.
_Plan = list[list[NodeKey]]


def _fetch(plan: _Plan, reader: NodeReader) -> list[bytes]:
    keys = [key for tiling in plan for key in tiling]
    values = dict(zip(keys, reader.get_many(keys), strict=True))
    return [_fold([values[key] for key in tiling]) for tiling in plan]


def _largest_power_below(n: int) -> int:
    """Return the largest power of two strictly less than ``n`` (``n >= 2``)."""
    return 1 << ((n - 1).bit_length() - 1)


def _inclusion_plan(index: int, size: int) -> _Plan:
    """Plan RFC 6962 PATH(index, D[size]) (§2.1.1), leaf level first."""
    plan: _Plan = []
    start, length, m = 0, size, index
    # Walk from the root down, collecting siblings top-first, then reverse into PATH order.
    while length > 1:
        k = _largest_power_below(length)
        if m < k:
            plan.append(_tiling(start + k, length - k))
            length = k
        else:
            plan.append(_tiling(start, k))
            start, length, m = start + k, length - k, m - k
    plan.reverse()
    return plan


def inclusion_proof(index: int, size: int, reader: NodeReader) -> list[bytes]:
    """Build the inclusion proof of leaf ``index`` in the tree of ``size`` leaves.

    Args:
        index: 0-based leaf index, ``0 <= index < size``.
        size: the tree size the proof is for (that of a signed checkpoint).
        reader: the store's nodes.

    Returns:
        RFC 6962 PATH(index, D[size]): sibling hashes from the leaf level upward, as
        :func:`verify_inclusion` and every CT client expect them.

    Raises:
        ValueError: ``index`` is not in ``[0, size)``.
        KeyError: the store lacks a needed node.
    """
    _check_size("index", index)
    if index >= size:
        raise ValueError(f"leaf index {index} is not in a tree of size {size}")
    return _fetch(_inclusion_plan(index, size), reader)


def _consistency_plan(size1: int, size2: int) -> _Plan:
    """Plan RFC 6962 PROOF(size1, D[size2]) = SUBPROOF(size1, D[size2], true) (§2.1.2)."""
    plan: _Plan = []
    start, length, m, whole = 0, size2, size1, True
    while m != length:
        k = _largest_power_below(length)
        if m <= k:
            plan.append(_tiling(start + k, length - k))
            length = k
        else:
            plan.append(_tiling(start, k))
            start, length, m, whole = start + k, length - k, m - k, False
    if not whole:
        # The old tree's last subtree; always a complete node (see module docstring).
        plan.append(_tiling(start, length))
    plan.reverse()
    return plan


def consistency_proof(size1: int, size2: int, reader: NodeReader) -> list[bytes]:
    """Build the proof that the tree of ``size2`` leaves extends the tree of ``size1`` leaves.

    Args:
        size1: the older tree size, ``0 < size1 <= size2``.
        size2: the newer tree size.
        reader: the store's nodes.

    Returns:
        RFC 6962 PROOF(size1, D[size2]) in its order; empty when the sizes are equal.

    Raises:
        ValueError: ``size1`` is 0 (nothing to be consistent with; RFC 9162 leaves it undefined
            and verifiers reject it) or greater than ``size2``.
        KeyError: the store lacks a needed node.
    """
    if size1 <= 0:
        raise ValueError(f"size1 must be positive, got {size1}")
    if size1 > size2:
        raise ValueError(f"size1 {size1} is larger than size2 {size2}")
    return _fetch(_consistency_plan(size1, size2), reader)


def _check_proof_hashes(proof: Sequence[bytes]) -> None:
    for position, element in enumerate(proof):
        if len(element) != HASH_SIZE:
            raise ProofInvalid(
                f"proof[{position}] is {len(element)} bytes, a hash is {HASH_SIZE} bytes"
            )


def _inclusion_shape(index: int, size: int) -> tuple[int, int]:
    """Split an inclusion proof's length into (inner, border) parts.

    The ``inner`` hashes are siblings below the level where the paths to ``index`` and to the
    last leaf ``size - 1`` meet; the ``border`` hashes are the left siblings above it, one per set
    bit of ``index`` there (the right edge has no right siblings).
    """
    inner = (index ^ (size - 1)).bit_length()
    border = (index >> inner).bit_count()
    return inner, border


def verify_inclusion(
    leaf_index: int, tree_size: int, leaf_hash: bytes, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that a leaf is in the tree with the given root (RFC 9162 §2.1.3.2).

    Beyond the RFC steps, this applies the argument checks of the reference Go verifier
    (transparency-dev/merkle ``proof.VerifyInclusion``), which its test vectors require: a leaf
    hash must be exactly 32 bytes and the proof exactly as long as the index and size imply. We
    also require every proof element to be 32 bytes, so junk is reported as junk.

    Args:
        leaf_index: 0-based index of the leaf.
        tree_size: size of the tree that ``root`` is the root of.
        leaf_hash: the leaf's hash, ``leaf_hash(entry)``, not the entry itself.
        proof: PATH(leaf_index, D[tree_size]), leaf level first.
        root: the trusted root hash, e.g. from a verified checkpoint.

    Raises:
        ProofInvalid: the arguments are out of range or the proof does not lead to ``root``.
    """
    if leaf_index < 0 or tree_size < 0:
        raise ProofInvalid(f"negative index {leaf_index} or tree size {tree_size}")
    if leaf_index >= tree_size:
        raise ProofInvalid(f"leaf index {leaf_index} is not in a tree of size {tree_size}")
    if len(leaf_hash) != HASH_SIZE:
        raise ProofInvalid(f"leaf hash is {len(leaf_hash)} bytes, a hash is {HASH_SIZE} bytes")
    inner, border = _inclusion_shape(leaf_index, tree_size)
    if len(proof) != inner + border:
        raise ProofInvalid(
            f"proof has {len(proof)} hashes; leaf {leaf_index} of a tree of size {tree_size}"
            f" needs {inner + border}"
        )
    _check_proof_hashes(proof)
    digest = _chain_inner(leaf_hash, proof[:inner], leaf_index)
    digest = _chain_border_right(digest, proof[inner:])
    if digest != root:
        raise ProofInvalid(
            f"inclusion proof for leaf {leaf_index} of tree size {tree_size} leads to root"
            f" {_b64(digest)}, not the expected {_b64(root)}"
        )


def _chain_inner(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Hash ``seed`` up through siblings that sit left or right, as the bits of ``index`` say."""
    for level, sibling in enumerate(proof):
        seed = node_hash(sibling, seed) if (index >> level) & 1 else node_hash(seed, sibling)
    return seed


def _chain_inner_right(seed: bytes, proof: Sequence[bytes], index: int) -> bytes:
    """Like :func:`_chain_inner`, but use only left siblings: those that the old tree also had."""
    for level, sibling in enumerate(proof):
        if (index >> level) & 1:
            seed = node_hash(sibling, seed)
    return seed


def _chain_border_right(seed: bytes, proof: Sequence[bytes]) -> bytes:
    for sibling in proof:
        seed = node_hash(sibling, seed)
    return seed


def _same_tree(size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes) -> bool:
    """Apply the reference verifier's argument checks, in its order; tell whether the sizes are
    equal (then nothing more is to be checked).

    Raises:
        ProofInvalid: a size is out of range, or the proof cannot be right for the sizes.
    """
    if size1 < 0 or size2 < 0:
        raise ProofInvalid(f"negative tree size: size1 {size1}, size2 {size2}")
    if size2 < size1:
        raise ProofInvalid(f"size2 {size2} is smaller than size1 {size1}: a log cannot shrink")
    if size1 == 0:
        raise ProofInvalid("size1 is 0: consistency with the empty tree is not proved")
    if size1 == size2:
        if proof:
            raise ProofInvalid(f"sizes are equal ({size1}) but the proof has {len(proof)} hashes")
        if root1 != root2:
            raise ProofInvalid(f"sizes are equal ({size1}) but the roots differ")
        return True
    if not proof:
        raise ProofInvalid(f"empty proof for sizes {size1} -> {size2}")
    return False


def verify_consistency(
    size1: int, size2: int, proof: Sequence[bytes], root1: bytes, root2: bytes
) -> None:
    """Check that tree (``size2``, ``root2``) extends tree (``size1``, ``root1``) by appends only.

    This is the check that catches a log rewriting history or showing different parties
    different trees. It follows RFC 9162 §2.1.4.2 with the argument checks of the reference Go
    verifier, in its order: ``size2 < size1`` is rejected; ``size1 == 0`` is rejected (an empty
    tree proves nothing, and the upstream vectors require it); equal sizes need an empty proof and
    byte-equal roots; otherwise the proof must be non-empty and exactly as long as the sizes
    imply.

    Args:
        size1: the older tree size.
        size2: the newer tree size.
        proof: PROOF(size1, D[size2]) in RFC 6962 order.
        root1: the trusted root at ``size1``.
        root2: the trusted root at ``size2``.

    Raises:
        ProofInvalid: the arguments are out of range or the proof does not link the two roots.
    """
    if _same_tree(size1, size2, proof, root1, root2):
        return

    inner, border = _inclusion_shape(size1 - 1, size2)
    # Below level `shift` the old tree's right edge is a perfect subtree shared by both trees.
    shift = (size1 & -size1).bit_length() - 1
    inner -= shift
    if size1 == 1 << shift:
        # The old tree is itself that perfect subtree, so its root seeds the chain.
        seed, rest = root1, proof
        expected = inner + border
    else:
        seed, rest = proof[0], proof[1:]
        expected = 1 + inner + border
    if len(proof) != expected:
        raise ProofInvalid(
            f"proof has {len(proof)} hashes; sizes {size1} -> {size2} need {expected}"
        )
    _check_proof_hashes(proof)
    mask = (size1 - 1) >> shift
    hash1 = _chain_border_right(_chain_inner_right(seed, rest[:inner], mask), rest[inner:])
    if hash1 != root1:
        raise ProofInvalid(
            f"consistency proof {size1} -> {size2} leads to old root {_b64(hash1)},"
            f" not the expected {_b64(root1)}"
        )
    hash2 = _chain_border_right(_chain_inner(seed, rest[:inner], mask), rest[inner:])
    if hash2 != root2:
        raise ProofInvalid(
            f"consistency proof {size1} -> {size2} leads to new root {_b64(hash2)},"
            f" not the expected {_b64(root2)}"
        )


def _b64(digest: bytes) -> str:
    """A hash as messages show it: standard base64, the encoding checkpoints carry roots in."""
    return base64.b64encode(digest).decode("ascii")
