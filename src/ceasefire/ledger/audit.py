"""Audit a stored log against the records it committed to: what ``ceasefire ledger verify`` does.

The store hands over, in leaf order, each leaf with the record it names *as that record is stored
now*; the audit recomputes everything from those records and compares:

* each record's canonical entry must hash to its leaf (an edited byte shows up here, by id);
* leaves must be numbered 0, 1, 2, … with no gap (a deleted leaf shows up here);
* every leaf's record must exist (a deleted record), and every record must have a leaf (a
  record slipped in without being logged);
* the tree recomputed from the leaves must have, at each checkpoint's size, that checkpoint's
  root (reordered leaves, or a rewritten history, show up here);
* the stored tree nodes, which proofs are built from, must be exactly the recomputed ones (a
  tampered node would make the store serve proofs that fail); they are compared level by level
  through a running digest, so the check streams;
* each checkpoint's signatures must verify with the given keys, and each checkpoint must be
  consistent with the one before (it is, exactly when both roots match the recomputed tree).

Pure: no I/O. It streams, so 10^6 records need memory for the tree's frontier only.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ceasefire.errors import CeasefireError
from ceasefire.ledger.canonical import entry_bytes
from ceasefire.ledger.checkpoint import Checkpoint, open_note
from ceasefire.ledger.keys import Verifier
from ceasefire.ledger.merkle import Frontier, Node, leaf_hash
from ceasefire.ledger.note import parse_note

__all__ = ["AuditResult", "LoggedRecord", "StoredCheckpoint", "audit"]


@dataclass(frozen=True, slots=True)
class LoggedRecord:
    """One leaf of the log with the record it names, as that record is stored now.

    Args:
        index: the leaf's position.
        kind, record_id: what the leaf commits to.
        leaf_hash: the leaf as stored.
        body: the record's stored form, or ``None`` if no such record is stored any more.
    """

    index: int
    kind: str
    record_id: str
    leaf_hash: bytes
    body: Mapping[str, Any] | None


@dataclass(frozen=True, slots=True)
class StoredCheckpoint:
    """A signed checkpoint as the store keeps it."""

    size: int
    root: bytes
    note: bytes
    created_at: datetime


@dataclass(slots=True)
class AuditResult:
    """What the audit found: the recomputed head and every problem, in words."""

    size: int = 0
    root: bytes = b""
    checkpoints_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing was found wrong."""
        return not self.problems


def audit(
    records: Iterable[LoggedRecord],
    checkpoints: Sequence[StoredCheckpoint],
    unlogged: Iterable[tuple[str, str]],
    stored_nodes: Iterable[Node],
    verifiers: Sequence[Verifier] = (),
) -> AuditResult:
    """Recompute the log from the stored records and report every discrepancy.

    Args:
        records: every leaf with its record, in leaf order.
        checkpoints: the stored checkpoints, oldest first.
        unlogged: (kind, id) of stored records that have no leaf.
        stored_nodes: every stored tree node as (level, index, hash), ordered by level then
            index.
        verifiers: keys whose signatures on the checkpoints must verify; with none, signatures
            are not checked (only the checkpoints' size and root).
    """
    result = AuditResult()
    recomputed = _LevelDigests()
    frontier = Frontier()
    roots_at: dict[int, bytes] = {}
    wanted = {checkpoint.size for checkpoint in checkpoints}
    if 0 in wanted:
        roots_at[0] = frontier.root()
    for record in records:
        if record.index != frontier.size:
            result.problems.append(
                f"leaf {frontier.size} is missing (the next stored leaf is {record.index})"
                if record.index > frontier.size
                else f"leaf {record.index} appears twice or out of order"
            )
        _check_record(record, result.problems)
        recomputed.add(frontier.append(_as_leaf(record.leaf_hash)))
        if frontier.size in wanted:
            roots_at[frontier.size] = frontier.root()
    result.size, result.root = frontier.size, frontier.root()

    for kind, record_id in unlogged:
        result.problems.append(f"{kind} {record_id} is stored but not in the ledger")
    _check_nodes(recomputed, stored_nodes, result)
    _check_checkpoints(checkpoints, roots_at, verifiers, result)
    return result


def _check_record(record: LoggedRecord, problems: list[str]) -> None:
    label = f"{record.kind} {record.record_id} (leaf {record.index})"
    if record.body is None:
        problems.append(f"{label}: the record is missing from the store")
        return
    try:
        expected = leaf_hash(entry_bytes(record.kind, record.record_id, record.body))
    except CeasefireError as error:
        problems.append(f"{label}: the stored record cannot be serialised: {error}")
        return
    if expected != record.leaf_hash:
        problems.append(f"{label}: the stored record no longer matches its leaf")


def _as_leaf(value: bytes) -> bytes:
    # A mangled leaf hash must not stop the audit: pad it so the tree can still be recomputed;
    # the root comparison will then report it.
    return value if len(value) == 32 else value.ljust(32, b"\0")[:32]


class _LevelDigests:
    """A running SHA-256 of the node hashes of each tree level, in index order, and counts."""

    def __init__(self) -> None:
        self.digests: dict[int, Any] = {}
        self.counts: dict[int, int] = {}

    def add(self, nodes: Iterable[Node]) -> None:
        for level, _index, value in nodes:
            self.digests.setdefault(level, hashlib.sha256()).update(value)
            self.counts[level] = self.counts.get(level, 0) + 1

    def summary(self) -> dict[int, tuple[int, bytes]]:
        return {level: (self.counts[level], d.digest()) for level, d in self.digests.items()}


def _check_nodes(
    recomputed: _LevelDigests, stored_nodes: Iterable[Node], result: AuditResult
) -> None:
    # Frontier emits each level's nodes in index order, and the store lists them ordered by
    # (level, index): the two running digests agree exactly when the nodes do.
    stored = _LevelDigests()
    stored.add(stored_nodes)
    expected, found = recomputed.summary(), stored.summary()
    for level in sorted(expected.keys() | found.keys()):
        want, have = expected.get(level, (0, b"")), found.get(level, (0, b""))
        if want == have:
            continue
        detail = f"{have[0]} stored, {want[0]} expected" if want[0] != have[0] else "hashes differ"
        result.problems.append(
            f"the stored tree nodes at level {level} do not match the leaves ({detail}): "
            "the store would serve proofs that fail"
        )


def _check_checkpoints(
    checkpoints: Sequence[StoredCheckpoint],
    roots_at: Mapping[int, bytes],
    verifiers: Sequence[Verifier],
    result: AuditResult,
) -> None:
    previous: StoredCheckpoint | None = None
    for number, stored in enumerate(checkpoints, start=1):
        label = f"checkpoint {number} (size {stored.size})"
        try:
            if verifiers:
                checkpoint, _ = open_note(stored.note, verifiers)
            else:
                checkpoint = Checkpoint.from_body(parse_note(stored.note).text)
        except CeasefireError as error:
            result.problems.append(f"{label}: {error}")
            continue
        if (checkpoint.size, checkpoint.root) != (stored.size, stored.root):
            result.problems.append(f"{label}: the signed note does not say this size and root")
        if previous is not None and stored.size < previous.size:
            result.problems.append(f"{label}: smaller than the checkpoint before it")
        recomputed = roots_at.get(stored.size)
        if recomputed is None:
            result.problems.append(f"{label}: the log has only {result.size} leaves")
        elif recomputed != stored.root:
            result.problems.append(
                f"{label}: its root does not match the leaves; history was rewritten "
                "or reordered, and it is not consistent with the log as stored"
            )
        result.checkpoints_checked += 1
        previous = stored
