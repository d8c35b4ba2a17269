"""The SQLite write of one intake batch, run inside the store's ``BEGIN IMMEDIATE`` transaction.

Holding the write lock, it reads what is stored under the batch's ids (one indexed column per
table per chunk of ids), decides for each record inserted / duplicate / conflict from that, and
writes everything in one ``executemany`` per table. Because the decision and the write happen
under the same lock, no other writer can slip in between: a record is reported inserted only if
this transaction inserted it, and a loser with different content is quarantined right here
(see :mod:`ceasefire.store.base` for the contract every store keeps).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ceasefire.intake.batch import (
    Conflict,
    IntakeBatch,
    IntakeWritten,
    conflict_entry,
    conflict_reason,
    source_kind_reason,
)
from ceasefire.ledger.canonical import canonical_record, content_digest, entry_from_canonical
from ceasefire.model.coverage import Coverage
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report
from ceasefire.store._sqlite_ledger import SQLiteLog
from ceasefire.store._sqlite_rows import (
    COVERAGE_COLUMNS,
    REPORT_COLUMNS,
    coverage_row,
    json_text,
    report_row,
)

__all__ = ["write_intake_batch"]

#: SQLite caps the bound parameters of one statement; stay well under the cap.
_IDS_PER_QUERY = 500


def write_intake_batch(db: sqlite3.Connection, log: SQLiteLog, batch: IntakeBatch) -> IntakeWritten:
    """Write ``batch``; must run inside the store's open write transaction."""
    registered_kinds = _write_sources(db, log, batch)
    conflicts: dict[str, Conflict] = {}
    quarantine: dict[str, QuarantinedRecord] = {}
    duplicates: set[str] = set()
    inserted: dict[str, set[str]] = {}
    for table, records in (("reports", batch.reports), ("coverage", batch.coverage)):
        stored = stored_values(db, table, "content_sha256", [record.id for record in records])
        fresh: list[tuple[Report | Coverage, str]] = []
        for record in records:
            digest = batch.digests.get(record.id) or content_digest(record.content())
            field_name, reason, stored_digest = _refusal(record, digest, stored, registered_kinds)
            if reason is None:
                fresh.append((record, digest))
                stored[record.id] = digest  # the same id again in this batch is no longer new
            elif field_name is None:
                duplicates.add(record.id)
            else:
                arrival = batch.arrivals.get(record.id)
                entry = None if arrival is None else conflict_entry(arrival, field_name, reason)
                if entry is not None:
                    quarantine.setdefault(entry.id, entry)
                conflicts[record.id] = Conflict(
                    field_name, reason, stored_digest, None if entry is None else entry.id
                )
        inserted[table] = _insert_records(db, log, table, fresh, batch.bodies)
    for item in batch.quarantined:
        quarantine.setdefault(item.id, item)
    return IntakeWritten(
        reports=frozenset(inserted["reports"]),
        coverage=frozenset(inserted["coverage"]),
        quarantined=frozenset(_write_quarantine(db, log, list(quarantine.values()))),
        duplicates=frozenset(duplicates),
        conflicts=conflicts,
    )


def _refusal(
    record: Report | Coverage,
    digest: str,
    stored: dict[str, Any],
    registered_kinds: dict[str, str],
) -> tuple[str | None, str | None, str | None]:
    """Return (field, reason, stored digest): all ``None`` for a new record, a reason with no
    field for a duplicate, and field and reason for a conflict."""
    stored_digest = stored.get(record.id)
    if stored_digest is not None:
        if stored_digest == digest:
            return None, "duplicate", stored_digest
        return "source_ref", conflict_reason(record, stored_digest), stored_digest
    registered = registered_kinds.get(record.source.id)
    if registered is not None and registered != record.source.kind.value:
        return "source.kind", source_kind_reason(record, registered), None
    return None, None, None


def stored_values(
    db: sqlite3.Connection, table: str, column: str, ids: Sequence[str]
) -> dict[str, Any]:
    """Return ``column`` of each stored row of ``table`` among ``ids``, by id."""
    found: dict[str, Any] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        part = ids[start : start + _IDS_PER_QUERY]
        marks = ",".join("?" * len(part))
        rows = db.execute(f"SELECT id, {column} FROM {table} WHERE id IN ({marks})", part)
        found.update((row[0], row[1]) for row in rows)
    return found


def _write_sources(db: sqlite3.Connection, log: SQLiteLog, batch: IntakeBatch) -> dict[str, str]:
    """Register the batch's new sources; return the registered kind of every source it names."""
    named = {source.id: source for source in batch.sources}
    for records in (batch.reports, batch.coverage):
        for record in records:
            named.setdefault(record.source.id, record.source)
    registered: dict[str, str] = stored_values(db, "sources", "kind", list(named))
    new = [source for source in batch.sources if source.id not in registered]
    rows = []
    for source in new:
        body = source.to_dict()
        rows.append((source.id, source.kind.value, json_text(body)))
        log.append("source", source.id, body)
        registered[source.id] = source.kind.value
    db.executemany("INSERT INTO sources (id, kind, document) VALUES (?, ?, ?)", rows)
    return registered


def _insert_records(
    db: sqlite3.Connection,
    log: SQLiteLog,
    table: str,
    fresh: Iterable[tuple[Report | Coverage, str]],
    bodies: Mapping[str, bytes],
) -> set[str]:
    """Insert new records with one ``executemany`` per table; each record is serialised once
    (intake's canonical body is its stored text and its ledger entry's body)."""
    rows: list[tuple[Any, ...]] = []
    evidence: list[tuple[str, str, str]] = []
    kind = "report" if table == "reports" else "coverage"
    for record, digest in fresh:
        body = bodies.get(record.id) or canonical_record(record.to_dict()).body
        document = body.decode("utf-8")
        if isinstance(record, Report):
            rows.append(report_row(record, digest, document))
            evidence.extend((record.id, item.sha256, item.media_type) for item in record.evidence)
        else:
            rows.append(coverage_row(record, digest, document))
        log.append_entry(kind, record.id, entry_from_canonical(kind, record.id, body))
    columns = REPORT_COLUMNS if table == "reports" else COVERAGE_COLUMNS
    marks = ",".join("?" * len(columns))
    db.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
    if evidence:
        db.executemany(
            "INSERT INTO evidence (report_id, sha256, media_type) VALUES (?, ?, ?)"
            " ON CONFLICT DO NOTHING",
            evidence,
        )
    return {row[0] for row in rows}


def _write_quarantine(
    db: sqlite3.Connection, log: SQLiteLog, items: Sequence[QuarantinedRecord]
) -> set[str]:
    stored = stored_values(db, "quarantine", "id", [item.id for item in items])
    new = [item for item in items if item.id not in stored]
    db.executemany(
        "INSERT INTO quarantine (id, origin, position, field, reason, raw, received_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (
                item.id,
                item.origin,
                item.position,
                item.field,
                item.reason,
                item.raw,
                item.received_at.isoformat(),
            )
            for item in new
        ],
    )
    for item in new:
        log.append("quarantine", item.id, item.to_dict())
    return {item.id for item in new}
