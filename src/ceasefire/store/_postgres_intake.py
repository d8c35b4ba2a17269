"""The PostgreSQL write of one intake batch: the decision made from what the database did.

The same contract as SQLite's (:mod:`ceasefire.store._sqlite_intake`, described in
:mod:`ceasefire.store.base`), reached the way a server with many writers allows. SQLite takes
the one write lock first and then reads; here writers run side by side, so the database decides:

1. sources are registered with ``INSERT … ON CONFLICT DO NOTHING RETURNING id``, then the kind
   registered for every source the batch names is read back;
2. records whose source is registered with another kind, and second copies of an id within the
   batch, are settled in Python before anything is written (as SQLite does);
3. the rest go in with one array ``INSERT … ON CONFLICT (id) DO NOTHING RETURNING id`` per
   table: the ids returned are exactly the ones this transaction inserted. A racing writer's
   uncommitted row makes the insert wait for that writer's COMMIT (or ROLLBACK);
4. for the ids *not* returned, the stored ``content_sha256`` is read back; under READ COMMITTED
   that read sees the racing writer's committed row. The same digest is a duplicate, another is
   a conflict, quarantined in this same transaction from the batch's arrival.

So two processes ingesting the same file at once never both report a record inserted, and a
loser with other content is refused, never silently dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import psycopg

from ceasefire.intake.batch import (
    Conflict,
    IntakeBatch,
    IntakeWritten,
    conflict_entry,
    conflict_reason,
    source_kind_reason,
)
from ceasefire.ledger.canonical import content_digest
from ceasefire.model.coverage import Coverage
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report
from ceasefire.store import _postgres_queries as queries
from ceasefire.store._postgres_ledger import PostgresLog

__all__ = ["stored_values", "write_intake_batch"]

Connection = psycopg.Connection[tuple[Any, ...]]


class _Decisions:
    """What one batch's write decided, gathered as it goes."""

    def __init__(self, batch: IntakeBatch) -> None:
        self.batch = batch
        self.conflicts: dict[str, Conflict] = {}
        self.quarantine: dict[str, QuarantinedRecord] = {}
        self.duplicates: set[str] = set()

    def conflict(
        self, record: Report | Coverage, field: str, reason: str, stored: str | None
    ) -> None:
        arrival = self.batch.arrivals.get(record.id)
        entry = None if arrival is None else conflict_entry(arrival, field, reason)
        if entry is not None:
            self.quarantine.setdefault(entry.id, entry)
        self.conflicts[record.id] = Conflict(
            field, reason, stored, None if entry is None else entry.id
        )


def write_intake_batch(db: Connection, log: PostgresLog, batch: IntakeBatch) -> IntakeWritten:
    """Write ``batch``; must run inside the store's open transaction."""
    kinds = _write_sources(db, log, batch)
    decided = _Decisions(batch)
    inserted: dict[str, set[str]] = {}
    for kind, records in (("report", batch.reports), ("coverage", batch.coverage)):
        inserted[kind] = _write_records(db, log, kind, records, kinds, decided)
    for item in batch.quarantined:
        decided.quarantine.setdefault(item.id, item)
    items = list(decided.quarantine.values())
    kept = queries.insert_quarantine(db, items)
    for item in items:
        if item.id in kept:
            log.append("quarantine", item.id, item.to_dict())
    return IntakeWritten(
        reports=frozenset(inserted["report"]),
        coverage=frozenset(inserted["coverage"]),
        quarantined=frozenset(kept),
        duplicates=frozenset(decided.duplicates),
        conflicts=decided.conflicts,
    )


def _write_sources(db: Connection, log: PostgresLog, batch: IntakeBatch) -> dict[str, str]:
    """Register the batch's new sources; return the registered kind of every source it names."""
    first = {source.id: source for source in reversed(batch.sources)}  # the first one wins
    ordered = [source for source in batch.sources if first.get(source.id) is source]
    registered_now = queries.insert_sources(db, ordered)
    for source in ordered:
        if source.id in registered_now:
            log.append("source", source.id, source.to_dict())
    named = {source.id for source in batch.sources}
    for records in (batch.reports, batch.coverage):
        named.update(record.source.id for record in records)
    return {str(k): str(v) for k, v in stored_values(db, "sources", "kind", list(named)).items()}


def _write_records(
    db: Connection,
    log: PostgresLog,
    kind: str,
    records: Sequence[Report | Coverage],
    kinds: dict[str, str],
    decided: _Decisions,
) -> set[str]:
    """Insert what is new, and sort the rest into duplicates and conflicts; return inserted."""
    digests: dict[str, str] = {}
    candidates: list[Report | Coverage] = []
    for record in records:
        digest = decided.batch.digests.get(record.id) or content_digest(record.content())
        first = digests.get(record.id)
        if first is not None:  # a second copy in this batch is judged against the first
            if first == digest:
                decided.duplicates.add(record.id)
            else:
                decided.conflict(record, "source_ref", conflict_reason(record, first), first)
            continue
        registered = kinds.get(record.source.id)
        if registered is not None and registered != record.source.kind.value:
            reason = source_kind_reason(record, registered)
            decided.conflict(record, "source.kind", reason, None)
            continue
        digests[record.id] = digest
        candidates.append(record)
    if kind == "report":
        reports = [r for r in candidates if isinstance(r, Report)]
        inserted = queries.insert_reports(db, reports, digests)
        queries.insert_evidence(db, [r for r in reports if r.id in inserted])
    else:
        sectors = [c for c in candidates if isinstance(c, Coverage)]
        inserted = queries.insert_coverage(db, sectors, digests)
    for record in candidates:
        if record.id in inserted:
            log.append(kind, record.id, record.to_dict())
    lost = [record for record in candidates if record.id not in inserted]
    table = "reports" if kind == "report" else "coverage"
    stored = stored_values(db, table, "content_sha256", [record.id for record in lost])
    for record in lost:
        have = str(stored[record.id])
        if have == digests[record.id]:
            decided.duplicates.add(record.id)
        else:
            decided.conflict(record, "source_ref", conflict_reason(record, have), have)
    return inserted


def stored_values(db: Connection, table: str, column: str, ids: Sequence[str]) -> dict[str, Any]:
    """Return ``column`` of each stored row of ``table`` among ``ids``, by id."""
    if not ids:
        return {}
    rows = db.execute(f"SELECT id, {column} FROM {table} WHERE id = ANY(%b::text[])", [list(ids)])
    return {str(row[0]): row[1] for row in rows.fetchall()}
