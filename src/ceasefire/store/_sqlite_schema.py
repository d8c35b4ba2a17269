"""The SQLite schema, as numbered migrations.

Migration *n* takes a database from ``PRAGMA user_version`` *n-1* to *n*. Never edit a migration
that has shipped: add the next one. Documents are stored whole (``document``, canonical JSON) and
the columns beside them are indexes for queries; the document is the record. The ``ledger_*``
tables hold the Merkle log over every record (see :mod:`ceasefire.store._sqlite_ledger`).
"""

from __future__ import annotations

from ceasefire.store._sqlite_findings import MIGRATION as _FINDINGS

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

#: Incidents (the fusion stage's output): append-only like every record; an incident that gained
#: reports is a new row naming the old one in ``supersedes``. ``incident_reports`` indexes which
#: report sits in which incident, so incremental fusion finds a report's incident without a scan.
_V2 = """
CREATE TABLE incidents (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    activity TEXT NOT NULL,
    started_at TEXT NOT NULL,
    ended_at TEXT NOT NULL,
    lon REAL,
    lat REAL,
    radius_m REAL,
    supersedes TEXT,
    state TEXT NOT NULL,
    document TEXT NOT NULL
);
CREATE INDEX incidents_supersedes ON incidents (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX incidents_started_at ON incidents (started_at);
CREATE TABLE incident_reports (
    incident_id TEXT NOT NULL REFERENCES incidents (id),
    report_id TEXT NOT NULL,
    PRIMARY KEY (incident_id, report_id)
) WITHOUT ROWID;
CREATE INDEX incident_reports_report ON incident_reports (report_id);
""" + "".join(_APPEND_ONLY.format(table=table) for table in ("incidents", "incident_reports"))

#: Verification (issue 9): findings and review decisions (the tables are in _sqlite_findings).
_V3 = _FINDINGS + "".join(_APPEND_ONLY.format(table=table) for table in ("findings", "reviews"))

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)
