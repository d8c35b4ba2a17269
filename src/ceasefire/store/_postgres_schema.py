"""The PostgreSQL schema, as numbered migrations: the same tables as SQLite's, plus PostGIS.

Why plain versioned SQL and not alembic: the SQLite store already migrates by a tuple of
numbered scripts (:mod:`ceasefire.store._sqlite_schema`), and one tool for both stores means the
same rule everywhere: migration *n* takes version *n-1* to *n*, a shipped migration is never
edited, the next change is the next script. Alembic would bring SQLAlchemy (a second database
layer beside psycopg) for what is, in an append-only store, a short list of ``CREATE`` scripts;
its autogeneration needs ORM models this project does not have.

The version lives in ``schema_migrations`` (one row per applied migration, append-only like
everything else), read as ``max(version)``. Documents are stored whole as text (the exact
canonical JSON the ledger entry hashes; ``jsonb`` would renormalise numbers and keys) and the
columns beside them are indexes. Times that the ledger body carries (quarantine's
``received_at``, an agreement's ``in_force_from`` and ``loaded_at``) stay text so that the body
read back is byte-for-byte the one logged; times used in queries are ``timestamptz``.
Geometry sits in PostGIS columns (WGS84) with GiST indexes, one of them on the geography cast so
``ST_DWithin(geom::geography, …)`` measures metres on the spheroid and still uses an index.
"""

from __future__ import annotations

from ceasefire.store._postgres_findings import MIGRATION as FINDINGS_MIGRATION

__all__ = ["APPEND_ONLY_TABLES", "MIGRATIONS"]

#: Every table the store appends to and never changes.
APPEND_ONLY_TABLES = (
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
    "schema_migrations",
)

_REFUSE_CHANGE = """
CREATE FUNCTION ceasefire_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '% are append-only: nothing is deleted', TG_TABLE_NAME;
    END IF;
    RAISE EXCEPTION '% are append-only: corrections are new records', TG_TABLE_NAME;
END $$;
"""

_APPEND_ONLY = """
CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION ceasefire_refuse_change();
CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION ceasefire_refuse_change();
"""

_V1 = (
    """
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE TABLE schema_migrations (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sources (
    id text PRIMARY KEY,
    kind text NOT NULL,
    document text NOT NULL
);
CREATE TABLE reports (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    source_id text NOT NULL REFERENCES sources (id),
    source_ref text,
    observed_at timestamptz NOT NULL,
    observed_until timestamptz,
    activity text NOT NULL,
    geom geometry(Point, 4326),
    uncertainty_m double precision,
    received_at timestamptz NOT NULL,
    schema_version integer NOT NULL,
    content_sha256 text NOT NULL,
    document text NOT NULL
);
CREATE UNIQUE INDEX reports_source_ref ON reports (source_id, source_ref)
    WHERE source_ref IS NOT NULL;
CREATE INDEX reports_observed_at ON reports (observed_at);
CREATE INDEX reports_geom ON reports USING gist (geom);
CREATE INDEX reports_geography ON reports USING gist ((geom::geography));
CREATE TABLE evidence (
    report_id text NOT NULL REFERENCES reports (id),
    sha256 text NOT NULL,
    media_type text NOT NULL,
    PRIMARY KEY (report_id, sha256)
);
CREATE INDEX evidence_sha256 ON evidence (sha256);
CREATE TABLE coverage (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    source_id text NOT NULL REFERENCES sources (id),
    status text NOT NULL,
    observed_from timestamptz NOT NULL,
    observed_until timestamptz NOT NULL,
    sector geometry(Geometry, 4326) NOT NULL,
    received_at timestamptz NOT NULL,
    content_sha256 text NOT NULL,
    document text NOT NULL
);
CREATE INDEX coverage_window ON coverage (observed_from, observed_until);
CREATE INDEX coverage_sector ON coverage USING gist (sector);
CREATE TABLE quarantine (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    origin text NOT NULL,
    position text NOT NULL,
    field text NOT NULL,
    reason text NOT NULL,
    raw text NOT NULL,
    received_at text NOT NULL
);
CREATE TABLE agreements (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    agreement_id text NOT NULL,
    version text NOT NULL,
    title text NOT NULL,
    in_force_from text NOT NULL,
    sha256 text NOT NULL,
    source_text text NOT NULL,
    document text NOT NULL,
    loaded_at text NOT NULL,
    UNIQUE (agreement_id, version)
);
CREATE TABLE meta (
    key text PRIMARY KEY,
    value text NOT NULL
);
CREATE TABLE ledger_leaves (
    idx bigint PRIMARY KEY,
    kind text NOT NULL,
    record_id text NOT NULL,
    leaf_hash bytea NOT NULL,
    UNIQUE (kind, record_id)
);
CREATE TABLE ledger_nodes (
    level integer NOT NULL,
    idx bigint NOT NULL,
    hash bytea NOT NULL,
    PRIMARY KEY (level, idx)
);
CREATE TABLE checkpoints (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    size bigint NOT NULL,
    root bytea NOT NULL,
    note text NOT NULL,
    created_at timestamptz NOT NULL
);
"""
    + _REFUSE_CHANGE
    + "".join(_APPEND_ONLY.format(table=table) for table in APPEND_ONLY_TABLES)
)

#: Incidents (the fusion stage's output), as SQLite's migration 2: an incident that gained reports
#: is a new row naming the old one in ``supersedes``; ``incident_reports`` says which report sits
#: in which incident.
_V2 = """
CREATE TABLE incidents (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    activity text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL,
    geom geometry(Point, 4326),
    radius_m double precision,
    supersedes text,
    state text NOT NULL,
    document text NOT NULL
);
CREATE INDEX incidents_supersedes ON incidents (supersedes) WHERE supersedes IS NOT NULL;
CREATE INDEX incidents_started_at ON incidents (started_at);
CREATE INDEX incidents_geom ON incidents USING gist (geom);
CREATE TABLE incident_reports (
    incident_id text NOT NULL REFERENCES incidents (id),
    report_id text NOT NULL,
    PRIMARY KEY (incident_id, report_id)
);
CREATE INDEX incident_reports_report ON incident_reports (report_id);
""" + "".join(_APPEND_ONLY.format(table=table) for table in ("incidents", "incident_reports"))

#: Findings and review decisions (the verification stage's output), as SQLite's migration 3.
_V3 = FINDINGS_MIGRATION + "".join(
    _APPEND_ONLY.format(table=table) for table in ("findings", "reviews")
)

#: Migration *n* is ``MIGRATIONS[n - 1]``; each runs in one transaction with its version row.
MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3)
