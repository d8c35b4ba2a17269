"""The findings and review tables of the PostgreSQL store: the same rules as SQLite's.

Mirrors :mod:`ceasefire.store._sqlite_findings`: a finding's ``key`` names the question it
answers and the newest row of a key is the current answer; a review decision is appended, never
edited; each is queued for the ledger inside the store's write transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from psycopg import Connection

from ceasefire.model.finding import Finding, finding_from_dict
from ceasefire.model.review import ReviewDecision, review_from_dict
from ceasefire.store._postgres_ledger import PostgresLog
from ceasefire.store._sqlite_rows import json_text as to_json

__all__ = ["MIGRATION", "insert_findings", "insert_review", "iter_findings", "iter_reviews"]

#: The migration that adds the two tables (PostgreSQL's migration 3, as SQLite's).
MIGRATION = """
CREATE TABLE findings (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    key text NOT NULL,
    incident_id text,
    agreement_id text NOT NULL,
    agreement_version text NOT NULL,
    clause_id text NOT NULL,
    verdict text NOT NULL,
    document text NOT NULL
);
CREATE INDEX findings_key ON findings (key, seq);
CREATE INDEX findings_incident ON findings (incident_id);
CREATE TABLE reviews (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    incident_id text NOT NULL,
    decided_at timestamptz NOT NULL,
    document text NOT NULL
);
CREATE INDEX reviews_incident ON reviews (incident_id, seq);
"""


def insert_findings(db: Connection, log: PostgresLog, findings: Iterable[Finding]) -> int:
    """Insert findings not yet stored (by id), queue each for the log; return how many."""
    written = 0
    for finding in findings:
        body = finding.to_dict()
        row = db.execute(
            "INSERT INTO findings (id, key, incident_id, agreement_id, agreement_version,"
            " clause_id, verdict, document) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (id) DO NOTHING RETURNING id",
            (
                finding.id,
                finding.key,
                finding.incident_id,
                finding.agreement_id,
                finding.agreement_version,
                finding.clause_id,
                finding.verdict.value,
                to_json(body),
            ),
        ).fetchone()
        if row is not None:
            written += 1
            log.append("finding", finding.id, body)
    return written


def insert_review(db: Connection, log: PostgresLog, decision: ReviewDecision) -> None:
    """Insert one review decision (unless stored) and queue it for the log."""
    body = decision.to_dict()
    row = db.execute(
        "INSERT INTO reviews (id, incident_id, decided_at, document) VALUES (%s, %s, %s, %s)"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        (decision.id, decision.incident_id, decision.decided_at, to_json(body)),
    ).fetchone()
    if row is not None:
        log.append("review", decision.id, body)


def iter_findings(
    db: Connection, verdict: str | None = None, clause_id: str | None = None
) -> Iterator[Finding]:
    """Yield the newest finding of each key, oldest first, leaving out superseded incidents'."""
    query = (
        "SELECT document FROM findings f WHERE seq ="
        " (SELECT max(seq) FROM findings g WHERE g.key = f.key)"
        " AND (incident_id IS NULL OR incident_id NOT IN"
        " (SELECT supersedes FROM incidents WHERE supersedes IS NOT NULL))"
    )
    parameters: list[str] = []
    if verdict is not None:
        query += " AND verdict = %s"
        parameters.append(verdict)
    if clause_id is not None:
        query += " AND clause_id = %s"
        parameters.append(clause_id)
    for row in db.execute(query + " ORDER BY seq", parameters).fetchall():
        yield finding_from_dict(json.loads(row[0]))


def iter_reviews(db: Connection, incident_id: str | None = None) -> Iterator[ReviewDecision]:
    """Yield review decisions in the order they were taken (of one incident, or all)."""
    if incident_id is None:
        rows = db.execute("SELECT document FROM reviews ORDER BY seq").fetchall()
    else:
        rows = db.execute(
            "SELECT document FROM reviews WHERE incident_id = %s ORDER BY seq", (incident_id,)
        ).fetchall()
    for row in rows:
        yield review_from_dict(json.loads(row[0]))
