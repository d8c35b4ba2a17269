"""The ledger's persistence in PostgreSQL: the same leaves, nodes and checkpoints as SQLite's.

One ordered log, many writers. Every writing transaction stores its records first (concurrently
with other writers: the unique constraints and ``ON CONFLICT`` decide races) and then, just
before COMMIT, takes a transaction-scoped advisory lock (:data:`LEDGER_LOCK`), re-reads the
persisted size, rebuilds its cached :class:`~ceasefire.ledger.Frontier` from the stored nodes if
another process appended in between (O(log n) reads), and writes its leaves and nodes. The lock
is released by the COMMIT itself, so the next writer sees the leaves it must follow; a record
and its leaf commit together or not at all.

Why an advisory lock and not a single appender process: the appender would be a daemon of its
own, and the record and its leaf would no longer be written in one transaction (a crash between
the two would leave a record unlogged). The lock is held only for the leaf and node inserts, so
writers overlap for everything else (parsing, the record inserts, evidence rows).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import psycopg

from ceasefire.ledger import Frontier, NodeKey, entry_bytes, leaf_hash

__all__ = ["LEDGER_LOCK", "PostgresLog", "PostgresNodes"]

#: The advisory lock key that serialises appends to the log (any fixed 64-bit number will do;
#: this one is "ceasefir" in ASCII).
LEDGER_LOCK = 0x6365617365666972


class PostgresNodes:
    """A :class:`~ceasefire.ledger.NodeReader` over ``ledger_nodes`` on one connection."""

    def __init__(self, db: psycopg.Connection[Any]) -> None:
        self._db = db

    def get(self, level: int, index: int) -> bytes:
        """Return one complete-subtree hash.

        Raises:
            KeyError: the node is not stored.
        """
        row = self._db.execute(
            "SELECT hash FROM ledger_nodes WHERE level = %s AND idx = %s", (level, index)
        ).fetchone()
        if row is None:
            raise KeyError((level, index))
        return bytes(row[0])

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        """Return several node hashes in the order asked, in one query."""
        if not keys:
            return []
        rows = self._db.execute(
            "SELECT n.level, n.idx, n.hash FROM ledger_nodes n"
            " JOIN unnest(%s::int[], %s::bigint[]) AS k(level, idx)"
            " ON n.level = k.level AND n.idx = k.idx",
            ([key[0] for key in keys], [key[1] for key in keys]),
        ).fetchall()
        found = {(int(row[0]), int(row[1])): bytes(row[2]) for row in rows}
        missing = [key for key in keys if key not in found]
        if missing:
            raise KeyError(missing[0])
        return [found[key] for key in keys]


def persisted_size(db: psycopg.Connection[Any]) -> int:
    """Return the number of leaves stored (the next leaf's index)."""
    row = db.execute("SELECT coalesce(max(idx) + 1, 0) FROM ledger_leaves").fetchone()
    assert row is not None
    return int(row[0])


class PostgresLog:
    """The log's appender: collects a transaction's entries, writes them under the lock.

    The frontier is a cache shared by every transaction of one store object; it is checked
    against the persisted size under the lock before each flush, so it is never trusted stale.
    """

    def __init__(self) -> None:
        self._frontier: Frontier | None = None
        self._pending: list[tuple[str, str, bytes]] = []

    def append(self, kind: str, record_id: str, body: Mapping[str, Any]) -> None:
        """Queue the entry of one record stored in the open transaction."""
        self._pending.append((kind, record_id, leaf_hash(entry_bytes(kind, record_id, body))))

    def flush(self, db: psycopg.Connection[Any]) -> None:
        """Lock the log, append the queued leaves in order and write them; just before COMMIT."""
        if not self._pending:
            return
        db.execute("SELECT pg_advisory_xact_lock(%s)", (LEDGER_LOCK,))
        size = persisted_size(db)
        if self._frontier is None or self._frontier.size != size:
            self._frontier = Frontier.from_nodes(size, PostgresNodes(db))
        leaves: list[tuple[int, str, str, bytes]] = []
        nodes: list[tuple[int, int, bytes]] = []
        for kind, record_id, leaf in self._pending:
            leaves.append((self._frontier.size, kind, record_id, leaf))
            nodes.extend(self._frontier.append(leaf))
        self._pending = []
        with db.cursor() as cursor:
            with cursor.copy(
                "COPY ledger_leaves (idx, kind, record_id, leaf_hash) FROM STDIN"
            ) as copy:
                for row in leaves:
                    copy.write_row(row)
            with cursor.copy("COPY ledger_nodes (level, idx, hash) FROM STDIN") as copy:
                for node in nodes:
                    copy.write_row(node)

    def rollback(self) -> None:
        """Forget a rolled-back transaction's entries; the frontier is re-read next time."""
        self._pending = []
        self._frontier = None


def leaves(db: psycopg.Connection[Any]) -> Iterator[tuple[int, str, str, bytes]]:
    """Yield (index, kind, record id, leaf hash) in index order, streamed."""
    with db.cursor(name="ledger_leaves_scan") as cursor:
        cursor.execute("SELECT idx, kind, record_id, leaf_hash FROM ledger_leaves ORDER BY idx")
        for row in cursor:
            yield int(row[0]), str(row[1]), str(row[2]), bytes(row[3])
