"""What the ledger needs of a store: the small protocol the log keeper and the audit work through.

The ledger owns this protocol and the stores implement it, so dependencies run one way: a store
module imports the ledger, never the reverse. Every method reads, except
:meth:`LogStore.add_checkpoint`; the appends themselves happen inside each store's own write
transactions, next to the records they commit to.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Protocol

from ceasefire.ledger.audit import LoggedRecord, StoredCheckpoint

__all__ = ["LeafRef", "LogStore"]


@dataclass(frozen=True, slots=True)
class LeafRef:
    """Where a record sits in the log."""

    index: int
    kind: str
    record_id: str
    leaf_hash: bytes


class LogStore(Protocol):
    """A store whose records are committed to an RFC 6962 log kept beside them."""

    def ledger_origin(self) -> str:
        """Return the log's origin: the unique name its checkpoints are signed under."""
        ...

    def ledger_size(self) -> int:
        """Return the number of leaves in the log."""
        ...

    def ledger_root(self, size: int | None = None) -> bytes:
        """Return the root of the log at ``size`` leaves (default: all of them)."""
        ...

    def ledger_leaf(self, record_id: str, kind: str | None = None) -> LeafRef | None:
        """Return where a record sits in the log, or ``None`` if it is not logged."""
        ...

    def ledger_inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the RFC 6962 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""
        ...

    def ledger_consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Return the RFC 6962 consistency proof between two sizes of the log."""
        ...

    def iter_logged(self) -> Iterator[LoggedRecord]:
        """Yield every leaf, in order, with the stored form of the record it names."""
        ...

    def iter_ledger_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Yield every stored tree node as (level, index, hash), by level then index."""
        ...

    def derived_problems(self) -> Iterator[str]:
        """Yield each stored column (beside a document) that differs from what the document
        says, as a sentence naming table, record and column; nothing when all agree."""
        ...

    def unlogged_records(self) -> list[tuple[str, str]]:
        """Return (kind, id) of stored records that have no leaf (should always be empty)."""
        ...

    def record_body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """Return the stored form of one record, as the ledger entry serialises it."""
        ...

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint (appended; never replaced)."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the stored checkpoints, oldest first."""
        ...
