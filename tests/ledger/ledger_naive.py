"""Naive RFC 6962 reference (MTH, PATH, PROOF), written straight from RFC 6962 §2.1.

It recurses over the leaf list, so it is only fit for tests; the package computes the same values
from stored complete-subtree nodes, and these functions are what the tests hold it to.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.ledger import EMPTY_ROOT, node_hash

__all__ = ["naive_path", "naive_proof", "root_of"]


def _split(n: int) -> int:
    """Return the largest power of two strictly below ``n``."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def root_of(leaves: Sequence[bytes]) -> bytes:
    """Return MTH(D[n]) over leaf *hashes* (RFC 6962 §2.1, with leaf hashing already done)."""
    if not leaves:
        return EMPTY_ROOT
    if len(leaves) == 1:
        return leaves[0]
    k = _split(len(leaves))
    return node_hash(root_of(leaves[:k]), root_of(leaves[k:]))


def naive_path(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Return PATH(m, D[n]) (RFC 6962 §2.1.1)."""
    n = len(leaves)
    if n <= 1:
        return []
    k = _split(n)
    if m < k:
        return [*naive_path(m, leaves[:k]), root_of(leaves[k:])]
    return [*naive_path(m - k, leaves[k:]), root_of(leaves[:k])]


def _subproof(m: int, leaves: Sequence[bytes], whole: bool) -> list[bytes]:
    n = len(leaves)
    if m == n:
        return [] if whole else [root_of(leaves)]
    k = _split(n)
    if m <= k:
        return [*_subproof(m, leaves[:k], whole), root_of(leaves[k:])]
    return [*_subproof(m - k, leaves[k:], False), root_of(leaves[:k])]


def naive_proof(m: int, leaves: Sequence[bytes]) -> list[bytes]:
    """Return PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 6962 §2.1.2)."""
    return _subproof(m, leaves, True)
