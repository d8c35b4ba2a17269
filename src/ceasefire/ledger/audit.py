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
  tampered node would make the store serve proofs that fail); each missing, edited or extra node
  is counted and the first few named (two swapped leaves are named as the two leaves);
* each checkpoint's signatures must verify with the given keys, each must carry the store's
  origin, and each must be consistent with the one before (it is, exactly when both roots
  match the recomputed tree);
* each *trusted* checkpoint from outside must be consistent with the log: a local database
  cannot prove what it forgot, but a checkpoint published earlier can;
* the columns a store keeps beside each document must agree with it (the store recomputes
  them and hands over what differs).

Pure: no I/O. Leaves and records stream; the recomputed tree is kept packed, 32 bytes a node
(about 64 MB at 10^6 leaves), so that a differing node can be named.
"""

from __future__ import annotations

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

__all__ = ["AuditInput", "AuditResult", "LoggedRecord", "StoredCheckpoint", "audit"]


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


@dataclass(frozen=True, slots=True)
class AuditInput:
    """Everything the audit reads besides the leaves, gathered by the keeper from the store.

    Args:
        checkpoints: the stored checkpoints, oldest first.
        unlogged: (kind, id) of stored records that have no leaf.
        stored_nodes: every stored tree node as (level, index, hash), ordered by level then
            index.
        verifiers: keys whose signatures must verify; with none, signatures are not checked
            (only sizes, roots and origins).
        origin: the origin the store says its log has; every checkpoint must carry it.
        trusted: signed notes from outside the store (a published bundle's, a witness's copy):
            each must be consistent with the log, which proves nothing it covers was removed.
        derived_problems: what the store found wrong with the columns it keeps beside each
            document (each column recomputed from the document; see the store's docs).
    """

    checkpoints: Sequence[StoredCheckpoint] = ()
    unlogged: Iterable[tuple[str, str]] = ()
    stored_nodes: Iterable[Node] = ()
    verifiers: Sequence[Verifier] = ()
    origin: str | None = None
    trusted: Sequence[bytes] = ()
    derived_problems: Iterable[str] = ()


def audit(
    records: Iterable[LoggedRecord],
    checkpoints: Sequence[StoredCheckpoint] = (),
    unlogged: Iterable[tuple[str, str]] = (),
    stored_nodes: Iterable[Node] = (),
    verifiers: Sequence[Verifier] = (),
    *,
    given: AuditInput | None = None,
) -> AuditResult:
    """Recompute the log from the stored records and report every discrepancy.

    Args:
        records: every leaf with its record, in leaf order.
        checkpoints, unlogged, stored_nodes, verifiers: as in :class:`AuditInput` (the short
            form, for callers with nothing more to check).
        given: everything to check the recomputed log against, including the origin, trusted
            notes and derived-column problems; when given, the four above are ignored.
    """
    if given is None:
        given = AuditInput(checkpoints, unlogged, stored_nodes, verifiers)
    checkpoints, verifiers = given.checkpoints, given.verifiers
    trusted = _trusted_checkpoints(given.trusted, verifiers)
    result = AuditResult()
    recomputed = _LevelNodes()
    frontier = Frontier()
    roots_at: dict[int, bytes] = {}
    wanted = {checkpoint.size for checkpoint in checkpoints}
    wanted.update(
        checkpoint.size for _, checkpoint in trusted if isinstance(checkpoint, Checkpoint)
    )
    if 0 in wanted:
        roots_at[0] = frontier.root()
    expected_index = 0
    for record in records:
        if record.index != expected_index:
            result.problems.append(
                _gap(expected_index, record.index)
                if record.index > expected_index
                else f"leaf {record.index} appears twice or out of order"
            )
        expected_index = max(expected_index, record.index + 1)
        _check_record(record, result.problems)
        recomputed.put_leaf(record.index, _as_leaf(record.leaf_hash))
        recomputed.add(frontier.append(_as_leaf(record.leaf_hash)))
        if frontier.size in wanted:
            roots_at[frontier.size] = frontier.root()
    result.size, result.root = frontier.size, frontier.root()

    for kind, record_id in given.unlogged:
        result.problems.append(f"{kind} {record_id} is stored but not in the ledger")
    result.problems.extend(given.derived_problems)
    _check_nodes(recomputed, given.stored_nodes, result)
    _check_checkpoints(checkpoints, roots_at, verifiers, result, given.origin)
    _check_trusted(trusted, roots_at, result, given.origin)
    _check_trusted_kept(trusted, checkpoints, result)
    return result


def _gap(expected: int, found: int) -> str:
    missing = found - expected
    if missing == 1:
        return f"leaf {expected} is missing (the next stored leaf is {found})"
    return f"leaves {expected} to {found - 1} are missing ({missing} leaves)"


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


class _LevelNodes:
    """The recomputed tree nodes, level by level, packed 32 bytes each (64 MB at 10^6 leaves)."""

    def __init__(self) -> None:
        self.levels: dict[int, bytearray] = {}
        self.holes: set[int] = set()  # leaf indices with no stored leaf

    def add(self, nodes: Iterable[Node]) -> None:
        for level, _index, value in nodes:
            if level:  # level 0 is put by the leaf's own index, see put_leaf
                self.levels.setdefault(level, bytearray()).extend(value)

    def put_leaf(self, index: int, value: bytes) -> None:
        """Keep a leaf at its stored index, so that one missing leaf is one hole, not a shift
        of every leaf after it."""
        packed = self.levels.setdefault(0, bytearray())
        if len(packed) < index * 32:
            self.holes.update(range(len(packed) // 32, index))
            packed.extend(bytes(index * 32 - len(packed)))
        packed[index * 32 : index * 32 + 32] = value
        self.holes.discard(index)

    def count(self, level: int) -> int:
        return len(self.levels.get(level, b"")) // 32

    def get(self, level: int, index: int) -> bytes | None:
        packed = self.levels.get(level)
        if packed is None or index >= len(packed) // 32 or (level == 0 and index in self.holes):
            return None
        return bytes(packed[index * 32 : index * 32 + 32])


@dataclass(slots=True)
class _LevelFindings:
    """What the node comparison found at one level: indices that differ or are missing."""

    differ: list[int] = field(default_factory=list)
    missing: list[int] = field(default_factory=list)
    extra: list[int] = field(default_factory=list)
    seen: int = 0


def _check_nodes(
    recomputed: _LevelNodes, stored_nodes: Iterable[Node], result: AuditResult
) -> None:
    """Compare each stored node with the one recomputed from the leaves, naming the first few.

    The store lists its nodes ordered by (level, index), so one streaming pass finds missing
    (a gap in the indices), edited and extra nodes.
    """

    def _hole(level: int, index: int) -> bool:  # no leaf there: already reported as missing
        return level == 0 and index in recomputed.holes

    findings: dict[int, _LevelFindings] = {}
    for level, index, value in stored_nodes:
        found = findings.setdefault(level, _LevelFindings())
        found.missing.extend(
            i for i in range(found.seen, min(index, recomputed.count(level))) if not _hole(level, i)
        )
        found.seen = max(found.seen, index + 1)
        expected = recomputed.get(level, index)
        if expected is None:
            found.extra.append(index)
        elif expected != value:
            found.differ.append(index)
    for level in sorted(findings.keys() | recomputed.levels.keys()):
        found = findings.setdefault(level, _LevelFindings())
        found.missing.extend(
            i for i in range(found.seen, recomputed.count(level)) if not _hole(level, i)
        )
        for what, indices in (
            ("missing", found.missing),
            ("differ", found.differ),
            ("extra, with no leaves under them", found.extra),
        ):
            if indices:
                result.problems.append(_nodes_problem(level, what, indices))


def _nodes_problem(level: int, what: str, indices: Sequence[int]) -> str:
    shown = ", ".join(str(index) for index in indices[:5]) + (", …" if len(indices) > 5 else "")
    where = "leaf" if level == 0 else "index"
    return (
        f"the stored tree nodes at level {level} do not match the leaves: {len(indices)} {what}"
        f" ({where} {shown}); the store would serve proofs that fail"
    )


def _check_checkpoints(
    checkpoints: Sequence[StoredCheckpoint],
    roots_at: Mapping[int, bytes],
    verifiers: Sequence[Verifier],
    result: AuditResult,
    origin: str | None,
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
        if origin is not None and checkpoint.origin != origin:
            result.problems.append(
                f"{label}: signed for origin {checkpoint.origin!r}, but the store says its log "
                f"is {origin!r} (the origin was changed)"
            )
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


def _trusted_checkpoints(
    notes: Sequence[bytes], verifiers: Sequence[Verifier]
) -> list[tuple[int, Checkpoint | CeasefireError]]:
    """Open each trusted note (checking signatures when keys are given)."""
    opened: list[tuple[int, Checkpoint | CeasefireError]] = []
    for number, note in enumerate(notes, start=1):
        try:
            if verifiers:
                checkpoint, _ = open_note(note, verifiers)
            else:
                checkpoint = Checkpoint.from_body(parse_note(note).text)
        except CeasefireError as error:
            opened.append((number, error))
            continue
        opened.append((number, checkpoint))
    return opened


def _check_trusted(
    trusted: Sequence[tuple[int, Checkpoint | CeasefireError]],
    roots_at: Mapping[int, bytes],
    result: AuditResult,
    origin: str | None,
) -> None:
    """A trusted checkpoint is consistent with the log exactly when the log's recomputed root at
    its size is its root; a log shorter than it has lost entries it had signed."""
    for number, checkpoint in trusted:
        label = f"trusted checkpoint {number}"
        if not isinstance(checkpoint, Checkpoint):
            result.problems.append(f"{label}: {checkpoint}")
            continue
        label += f" (size {checkpoint.size})"
        if origin is not None and checkpoint.origin != origin:
            result.problems.append(
                f"{label}: it is for log {checkpoint.origin!r}, but this store's log is {origin!r}"
            )
            continue
        recomputed = roots_at.get(checkpoint.size)
        if recomputed is None:
            result.problems.append(
                f"{label}: the log has only {result.size} leaves; entries it signed were removed"
            )
        elif recomputed != checkpoint.root:
            result.problems.append(
                f"{label}: the log is not consistent with it; history was rewritten or reordered"
            )
        result.checkpoints_checked += 1


def _check_trusted_kept(
    trusted: Sequence[tuple[int, Checkpoint | CeasefireError]],
    checkpoints: Sequence[StoredCheckpoint],
    result: AuditResult,
) -> None:
    """A checkpoint the log signed and published must still be among the stored ones."""
    kept = {(stored.size, stored.root) for stored in checkpoints}
    for number, checkpoint in trusted:
        if isinstance(checkpoint, Checkpoint) and (checkpoint.size, checkpoint.root) not in kept:
            result.problems.append(
                f"trusted checkpoint {number} (size {checkpoint.size}) is not among the stored "
                "checkpoints: stored checkpoints were removed"
            )
