"""The SQLite schema, as numbered migrations.

Migration *n* takes a database from ``PRAGMA user_version`` *n-1* to *n*. Never edit a migration
that has shipped: add the next one. Documents are stored whole (``document``, canonical JSON) and
the columns beside them are indexes for queries; the document is the record. The ``ledger_*``
tables hold the Merkle log over every record (see :mod:`ceasefire.store._sqlite_ledger`).
"""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

_APPEND_ONLY = """
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} are append-only: corrections are new records'); END;
CREATE TRIGGER {table}_no_delete BEFORE DELETE ON {table}
BEGIN SELECT RAISE(ABORT, '{table} are append-only: nothing is deleted'); END;
"""

_V1 = """
CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE TABLE reports (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL REFERENCES sources (id),
    source_ref TEXT,
    observed_at TEXT NOT NULL,
    observed_until TEXT,
    activity TEXT NOT NULL,
    lon REAL,
    lat REAL,
    uncertainty_m REAL,
    received_at TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    content_sha256 TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE UNIQUE INDEX reports_source_ref ON reports (source_id, source_ref)
    WHERE source_ref IS NOT NULL;
CREATE INDEX reports_observed_at ON reports (observed_at);
CREATE INDEX reports_lon_lat ON reports (lon, lat);
CREATE TABLE evidence (
    report_id TEXT NOT NULL REFERENCES reports (id),
    sha256 TEXT NOT NULL,
    media_type TEXT NOT NULL,
    PRIMARY KEY (report_id, sha256)
);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE TABLE coverage (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT NOT NULL REFERENCES sources (id),
    status TEXT NOT NULL,
    observed_from TEXT NOT NULL,
    observed_until TEXT NOT NULL,
    received_at TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX coverage_window ON coverage (observed_from, observed_until);
CREATE TABLE quarantine (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    origin TEXT NOT NULL,
    position TEXT NOT NULL,
    field TEXT NOT NULL,
    reason TEXT NOT NULL,
    raw TEXT NOT NULL,
    received_at TEXT NOT NULL
);
CREATE TABLE agreements (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    agreement_id TEXT NOT NULL,
    version TEXT NOT NULL,
    title TEXT NOT NULL,
    in_force_from TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    source_text TEXT NOT NULL,
    document TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    UNIQUE (agreement_id, version)
);
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE ledger_leaves (
    idx INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    record_id TEXT NOT NULL,
    leaf_hash BLOB NOT NULL,
    UNIQUE (kind, record_id)
);
CREATE TABLE ledger_nodes (
    level INTEGER NOT NULL,
    idx INTEGER NOT NULL,
    hash BLOB NOT NULL,
    PRIMARY KEY (level, idx)
) WITHOUT ROWID;
CREATE TABLE checkpoints (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    size INTEGER NOT NULL,
    root BLOB NOT NULL,
    note TEXT NOT NULL,
    created_at TEXT NOT NULL
);
""" + "".join(
    _APPEND_ONLY.format(table=table)
    for table in (
        "sources",
        "reports",
        "evidence",
        "coverage",
        "quarantine",
        "agreements",
        "meta",
        "ledger_leaves",
        "ledger_nodes",
        "checkpoints",
    )
)

#: Verification (issue 9): findings and review decisions, append-only like every record. A
#: finding's ``key`` names the question it answers; the newest finding of a key is the current one.
_V_VERIFICATION = """
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
""" + "".join(_APPEND_ONLY.format(table=table) for table in ("findings", "reviews"))

MIGRATIONS: tuple[str, ...] = (_V1, _V_VERIFICATION)
