"""The findings and review tables of the SQLite store: insert (with the ledger append), read back.

Kept apart from :mod:`ceasefire.store.sqlite` as the incident tables are; the store calls these
inside its own write transaction, so a finding or decision and its leaf commit together. A
finding's ``key`` names the question it answers; the newest row of a key is the current answer,
the older ones stay (append-only).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC
from typing import Any

from ceasefire.model.finding import Finding, finding_from_dict
from ceasefire.model.review import ReviewDecision, review_from_dict
from ceasefire.store._sqlite_ledger import SQLiteLog

__all__ = ["MIGRATION", "insert_findings", "insert_review", "iter_findings", "iter_reviews"]

#: The schema migration that adds the two tables (appended to ``MIGRATIONS`` after fusion's).
MIGRATION = """
CREATE TABLE findings (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    key TEXT NOT NULL,
    incident_id TEXT,
    agreement_id TEXT NOT NULL,
    agreement_version TEXT NOT NULL,
    clause_id TEXT NOT NULL,
    verdict TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX findings_key ON findings (key, seq);
CREATE INDEX findings_incident ON findings (incident_id);
CREATE TABLE reviews (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    incident_id TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX reviews_incident ON reviews (incident_id, seq);
"""


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def insert_findings(db: sqlite3.Connection, log: SQLiteLog, findings: Iterable[Finding]) -> int:
    """Insert findings not yet stored (by id), log each, and return how many were new."""
    written = 0
    for finding in findings:
        body = finding.to_dict()
        cursor = db.execute(
            "INSERT INTO findings (id, key, incident_id, agreement_id, agreement_version,"
            " clause_id, verdict, document) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT (id) DO NOTHING",
            (
                finding.id,
                finding.key,
                finding.incident_id,
                finding.agreement_id,
                finding.agreement_version,
                finding.clause_id,
                finding.verdict.value,
                _json(body),
            ),
        )
        if cursor.rowcount:
            written += 1
            log.append("finding", finding.id, body)
    return written


def insert_review(db: sqlite3.Connection, log: SQLiteLog, decision: ReviewDecision) -> None:
    """Insert one review decision (unless stored) and log it."""
    body = decision.to_dict()
    cursor = db.execute(
        "INSERT INTO reviews (id, incident_id, decided_at, document) VALUES (?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        (
            decision.id,
            decision.incident_id,
            decision.decided_at.astimezone(UTC).isoformat(),
            _json(body),
        ),
    )
    if cursor.rowcount:
        log.append("review", decision.id, body)


def iter_findings(
    db: sqlite3.Connection, verdict: str | None = None, clause_id: str | None = None
) -> Iterator[Finding]:
    """Yield the newest finding of each key, oldest first, optionally filtered.

    Findings of an incident that a later incident supersedes are left out: they answer for a
    picture that has changed (the new incident gets its own findings when verified again).
    """
    query = (
        "SELECT document FROM findings f WHERE seq = "
        "(SELECT max(seq) FROM findings g WHERE g.key = f.key)"
        " AND (incident_id IS NULL OR incident_id NOT IN"
        " (SELECT supersedes FROM incidents WHERE supersedes IS NOT NULL))"
    )
    parameters: list[str] = []
    if verdict is not None:
        query += " AND verdict = ?"
        parameters.append(verdict)
    if clause_id is not None:
        query += " AND clause_id = ?"
        parameters.append(clause_id)
    for row in db.execute(query + " ORDER BY seq", parameters).fetchall():
        yield finding_from_dict(json.loads(row[0]))


def iter_reviews(
    db: sqlite3.Connection, incident_id: str | None = None
) -> Iterator[ReviewDecision]:
    """Yield review decisions in the order they were taken (of one incident, or all)."""
    query, parameters = "SELECT document FROM reviews", tuple[str, ...]()
    if incident_id is not None:
        query, parameters = query + " WHERE incident_id = ?", (incident_id,)
    for row in db.execute(query + " ORDER BY seq", parameters).fetchall():
        yield review_from_dict(json.loads(row[0]))
