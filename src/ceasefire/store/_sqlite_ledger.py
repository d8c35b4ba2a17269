"""The ledger's persistence in SQLite: leaves, complete-subtree nodes and signed checkpoints.

The log is appended *inside* the transaction that stores the record it commits to, so a record
and its leaf exist together or not at all, whatever moment the process dies. The in-memory
:class:`~ceasefire.ledger.Frontier` is a cache of the persisted nodes: at the start of each write
transaction the appender checks that the persisted size is the one it knows, and rebuilds the
frontier from the nodes (O(log n) reads) if another process appended in between. That, with
``BEGIN IMMEDIATE`` serialising writers, is what makes the store the log's one writer.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

from ceasefire.errors import LedgerError
from ceasefire.ledger import Frontier, NodeKey, entry_bytes, leaf_hash

__all__ = ["SQLiteLog", "SQLiteNodes", "damage_reported"]

_T = TypeVar("_T")


def damage_reported(read: Callable[[], _T]) -> _T:
    """Run a read of the tree, turning a missing node into a :class:`LedgerError` that says so.

    Raises:
        LedgerError: a node the tree needs is not stored (the store is damaged).
    """
    try:
        return read()
    except KeyError as error:
        raise LedgerError(
            f"the ledger is damaged: a tree node is missing ({error.args[0]}); run "
            "`ceasefire ledger verify` to see what else is wrong"
        ) from None


class SQLiteNodes:
    """A :class:`~ceasefire.ledger.NodeReader` over the ``ledger_nodes`` table."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def get(self, level: int, index: int) -> bytes:
        """Return one complete-subtree hash.

        Raises:
            KeyError: the node is not stored.
        """
        row = self._db.execute(
            "SELECT hash FROM ledger_nodes WHERE level = ? AND idx = ?", (level, index)
        ).fetchone()
        if row is None:
            raise KeyError((level, index))
        return bytes(row[0])

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return several node hashes in the order asked, in one query."""
        if not keys:
            return []
        clauses = " OR ".join("(level = ? AND idx = ?)" for _ in keys)
        parameters = [value for key in keys for value in key]
        rows = self._db.execute(
            f"SELECT level, idx, hash FROM ledger_nodes WHERE {clauses}", parameters
        ).fetchall()
        found = {(row[0], row[1]): bytes(row[2]) for row in rows}
        missing = [key for key in keys if key not in found]
        if missing:
            raise KeyError(missing[0])
        return [found[key] for key in keys]


class SQLiteLog:
    """Appends entries to the log tables; used by :class:`~ceasefire.store.sqlite.SQLiteStore`.

    Every method that writes must be called inside the store's open write transaction.
    """

    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db
        self.nodes = SQLiteNodes(db)
        # Built on the first write, not on open: a damaged tree must not stop read-only commands.
        self._frontier: Frontier | None = None
        # Rows are written in bulk just before COMMIT: one executemany per table per
        # transaction instead of two statements per record (appends/s doubled in the benchmark).
        self._pending_leaves: list[tuple[int, str, str, bytes]] = []
        self._pending_nodes: list[tuple[int, int, bytes]] = []

    def persisted_size(self) -> int:
        """Return the number of leaves stored."""
        row = self._db.execute("SELECT coalesce(max(idx) + 1, 0) FROM ledger_leaves").fetchone()
        return int(row[0])

    def begin(self) -> None:
        """Re-sync with the persisted log at the start of a write transaction."""
        size = self.persisted_size()
        if self._frontier is None or size != self._frontier.size:
            self._frontier = damage_reported(lambda: Frontier.from_nodes(size, self.nodes))

    def append(self, kind: str, record_id: str, body: Mapping[str, Any]) -> int:
        """Append the entry for one stored record and return its leaf index."""
        return self.append_entry(kind, record_id, entry_bytes(kind, record_id, body))

    def append_entry(self, kind: str, record_id: str, entry: bytes) -> int:
        """Append an entry already built (:func:`~ceasefire.ledger.canonical.
        entry_from_canonical`), so the record is not serialised again."""
        leaf = leaf_hash(entry)
        assert self._frontier is not None, "append runs inside a write transaction, after begin()"
        index = self._frontier.size
        self._pending_nodes.extend(self._frontier.append(leaf))
        self._pending_leaves.append((index, kind, record_id, leaf))
        return index

    def flush(self) -> None:
        """Write the transaction's pending leaves and nodes; called just before COMMIT."""
        if self._pending_leaves:
            self._db.executemany(
                "INSERT INTO ledger_leaves (idx, kind, record_id, leaf_hash) VALUES (?, ?, ?, ?)",
                self._pending_leaves,
            )
            self._db.executemany(
                "INSERT INTO ledger_nodes (level, idx, hash) VALUES (?, ?, ?)", self._pending_nodes
            )
        self._pending_leaves, self._pending_nodes = [], []

    def rollback(self) -> None:
        """Forget appends of a transaction that was rolled back."""
        self._pending_leaves, self._pending_nodes = [], []
        self._frontier = None  # rebuilt from the persisted nodes at the next begin()

    def leaves(self) -> Iterator[tuple[int, str, str, bytes]]:
        """Yield (index, kind, record id, leaf hash) in index order."""
        for row in self._db.execute(
            "SELECT idx, kind, record_id, leaf_hash FROM ledger_leaves ORDER BY idx"
        ):
            yield int(row[0]), str(row[1]), str(row[2]), bytes(row[3])

    def leaf_of(self, kind: str | None, record_id: str) -> tuple[int, str, bytes] | None:
        """Return (index, kind, leaf hash) of a record's leaf, or ``None``."""
        query = "SELECT idx, kind, leaf_hash FROM ledger_leaves WHERE record_id = ?"
        parameters: tuple[str, ...] = (record_id,)
        if kind is not None:
            query += " AND kind = ?"
            parameters = (record_id, kind)
        row = self._db.execute(query + " ORDER BY idx LIMIT 1", parameters).fetchone()
        return None if row is None else (int(row[0]), str(row[1]), bytes(row[2]))
