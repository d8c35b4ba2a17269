"""The log keeper: signs checkpoints of a store's ledger, proves records, audits the whole.

These are the ledger operations that need a store; everything cryptographic is in the pure
modules beside this one. The keeper never signs a checkpoint that is not consistent with the
last one it signed: a log that forks its own history is exactly what witnesses exist to catch,
and the mission's own software should refuse to produce one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from ceasefire.clock import Clock
from ceasefire.errors import CeasefireError, LedgerError, NotFound, ProofInvalid
from ceasefire.ledger.audit import AuditInput, AuditResult, LoggedRecord, StoredCheckpoint, audit
from ceasefire.ledger.bundle import BundleEntry, bundle_document
from ceasefire.ledger.checkpoint import Checkpoint, sign
from ceasefire.ledger.keys import Signer, Verifier
from ceasefire.ledger.merkle import verify_consistency
from ceasefire.ledger.note import parse_note
from ceasefire.ledger.storage import LogStore

__all__ = ["LogKeeper", "RecordProof", "signature_count"]


@dataclass(frozen=True, slots=True)
class RecordProof:
    """A record's inclusion proof against a signed checkpoint."""

    entry: BundleEntry
    leaf_hash: bytes
    checkpoint: StoredCheckpoint


class LogKeeper:
    """Ledger operations over one store.

    Args:
        store: the store whose log is kept.
        clock: stamps checkpoints.
    """

    def __init__(self, store: LogStore, clock: Clock) -> None:
        self._store = store
        self._clock = clock

    def checkpoint(self, signers: Sequence[Signer]) -> StoredCheckpoint:
        """Sign the current head with every signer and keep the checkpoint.

        Raises:
            LedgerError: the head is not consistent with the last checkpoint (history changed).
            ValueError: no signer was given.
        """
        size = self._store.ledger_size()
        root = self._store.ledger_root(size)
        origin = self._store.ledger_origin()
        previous = self._store.checkpoints()
        if previous:
            self._check_origin(previous[-1], origin)
            self._check_extends(previous[-1], size, root)
        note = sign(Checkpoint(origin, size, root), signers)
        stored = StoredCheckpoint(size=size, root=root, note=note, created_at=self._clock.now())
        self._store.add_checkpoint(stored)
        return stored

    @staticmethod
    def _check_origin(last: StoredCheckpoint, origin: str) -> None:
        """The origin is fixed when the log is created; never sign under a changed one."""
        try:
            signed_for = Checkpoint.from_body(parse_note(last.note).text).origin
        except CeasefireError as error:
            raise LedgerError(
                f"refusing to sign: the last checkpoint cannot be read ({error}). "
                "Run `ceasefire ledger verify`."
            ) from None
        if signed_for != origin:
            raise LedgerError(
                f"refusing to sign: the store says its log is {origin!r}, but its checkpoints "
                f"were signed for {signed_for!r}; the origin was changed. "
                "Run `ceasefire ledger verify`."
            )

    def _check_extends(self, last: StoredCheckpoint, size: int, root: bytes) -> None:
        if size < last.size:
            raise LedgerError(
                f"the log has {size} leaves, fewer than its last checkpoint's {last.size}"
            )
        if last.size == 0:
            return
        try:
            proof = (
                self._store.ledger_consistency_proof(last.size, size) if size > last.size else []
            )
            verify_consistency(last.size, size, proof, last.root, root)
        except ProofInvalid as error:
            raise LedgerError(
                f"refusing to sign: the log is not consistent with its last checkpoint "
                f"(size {last.size}): {error}. Run `ceasefire ledger verify`."
            ) from None

    def latest_checkpoint(self) -> StoredCheckpoint:
        """Return the latest checkpoint.

        Raises:
            NotFound: no checkpoint has been signed yet.
        """
        checkpoints = self._store.checkpoints()
        if not checkpoints:
            raise NotFound("no checkpoint yet: sign one with `ceasefire ledger checkpoint`")
        return checkpoints[-1]

    def best_checkpoint(self, number: int | None = None) -> StoredCheckpoint:
        """Return the checkpoint to prove against: the ``number``-th signed (1 is the first),
        or by default the one with the most signatures among those at the largest size.

        Why most signatures: witnesses cosign after the log signs, so the same head may be kept
        once signed by the log alone and again cosigned; a bundle should carry the strongest
        (ties go to the later one).

        Raises:
            NotFound: no checkpoint yet, or no checkpoint ``number``.
        """
        checkpoints = self._store.checkpoints()
        if number is not None:
            if not 1 <= number <= len(checkpoints):
                raise NotFound(f"no checkpoint {number}: {len(checkpoints)} have been signed")
            return checkpoints[number - 1]
        largest = self.latest_checkpoint().size
        at_largest = [(c, i) for i, c in enumerate(checkpoints) if c.size == largest]
        return max(at_largest, key=lambda pair: (signature_count(pair[0]), pair[1]))[0]

    def prove(
        self, record_id: str, kind: str | None = None, checkpoint: StoredCheckpoint | None = None
    ) -> RecordProof:
        """Return a record's inclusion proof against a checkpoint (by default the best one,
        see :meth:`best_checkpoint`).

        Raises:
            NotFound: the record is not logged, or was logged after the checkpoint.
        """
        checkpoint = checkpoint or self.best_checkpoint()
        leaf = self._store.ledger_leaf(record_id, kind)
        if leaf is None:
            raise NotFound(f"no logged record has id {record_id!r}")
        if leaf.index >= checkpoint.size:
            raise NotFound(
                f"{record_id} was logged (leaf {leaf.index}) after the checkpoint "
                f"(size {checkpoint.size}); sign a new checkpoint first"
            )
        body = self._store.record_body(leaf.kind, record_id)
        if body is None:
            raise NotFound(f"{leaf.kind} {record_id} is logged but missing from the store")
        proof = self._store.ledger_inclusion_proof(leaf.index, checkpoint.size)
        entry = BundleEntry(leaf.kind, record_id, body, leaf.index, tuple(proof))
        return RecordProof(entry=entry, leaf_hash=leaf.leaf_hash, checkpoint=checkpoint)

    def bundle(
        self,
        record_ids: Sequence[str],
        public_keys: Sequence[Verifier],
        checkpoint: StoredCheckpoint | None = None,
    ) -> dict[str, object]:
        """Return a bundle of records with their proofs against one checkpoint (by default the
        best one, see :meth:`best_checkpoint`)."""
        checkpoint = checkpoint or self.best_checkpoint()
        proofs = [self.prove(record_id, checkpoint=checkpoint) for record_id in record_ids]
        return bundle_document(checkpoint.note, public_keys, [proof.entry for proof in proofs])

    def verify(
        self,
        verifiers: Sequence[Verifier] = (),
        on_record: Callable[[int], None] | None = None,
        trusted: Sequence[bytes] = (),
    ) -> AuditResult:
        """Recompute the whole log from the stored records and report every discrepancy.

        Args:
            verifiers: keys whose signatures on the checkpoints must verify.
            on_record: called with each leaf index as it is checked (for a progress bar: at
                10^6 records the audit takes the better part of a minute).
            trusted: signed notes kept outside the store (``ledger verify --checkpoint``); the
                log must be consistent with each, which shows nothing they cover was removed.
        """
        records = self._store.iter_logged()
        if on_record is not None:
            records = _reporting(records, on_record)
        problems: list[str] = []
        try:
            origin: str | None = self._store.ledger_origin()
        except LedgerError as error:
            origin = None
            problems.append(str(error))
        result = audit(
            records,
            given=AuditInput(
                checkpoints=self._store.checkpoints(),
                unlogged=self._store.unlogged_records(),
                stored_nodes=self._store.iter_ledger_nodes(),
                verifiers=verifiers,
                origin=origin,
                trusted=trusted,
                derived_problems=self._store.derived_problems(),
            ),
        )
        result.problems[:0] = problems
        return result


def signature_count(checkpoint: StoredCheckpoint) -> int:
    """Return how many signature lines a stored checkpoint's note carries."""
    return len(parse_note(checkpoint.note).signatures)


def _reporting(
    records: Iterator[LoggedRecord], report: Callable[[int], None]
) -> Iterator[LoggedRecord]:
    for record in records:
        report(record.index)
        yield record
