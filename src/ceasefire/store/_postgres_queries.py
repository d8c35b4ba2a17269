"""The SQL of :class:`~ceasefire.store.postgres.PostgresStore`: bulk inserts and spatial filters.

Each insert sends a whole batch as arrays in one statement (``unnest … WITH ORDINALITY``, so
rows keep their batch order and ``seq`` stays arrival order) and ``ON CONFLICT (id) DO NOTHING
RETURNING id``: what the database returns is exactly what this transaction inserted, whatever
other writers did at the same moment. One statement per table per batch, instead of one per
record, is what makes intake over a network connection fast.

The spatial filters are PostGIS in SQL, on the GiST indexes the schema creates: ``&&`` for a
bounding box, ``ST_Intersects`` on WGS84 geometry for "inside a zone" and "over a sector",
``ST_DWithin`` on geography (metres, on the spheroid) for "within D of a line".
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import psycopg
import shapely

from ceasefire.model.coverage import Coverage
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report
from ceasefire.model.source import Source
from ceasefire.store._documents import AGREEMENT_COLUMNS, QUARANTINE_COLUMNS
from ceasefire.store._sqlite_rows import json_text

__all__ = [
    "LOGGED_SELECT",
    "UNLOGGED_SELECT",
    "coverage_conditions",
    "insert_coverage",
    "insert_evidence",
    "insert_quarantine",
    "insert_reports",
    "insert_sources",
    "report_conditions",
]

Connection = psycopg.Connection[tuple[Any, ...]]

_WGS84 = "ST_SetSRID(ST_GeomFromGeoJSON(%s), 4326)"


def _inserted(db: Connection, query: str, columns: Sequence[Sequence[Any]]) -> set[str]:
    """Run one array insert and return the ids the database says it inserted."""
    if not columns or not columns[0]:
        return set()
    rows = db.execute(query, [list(c) for c in columns], binary=True).fetchall()
    return {str(row[0]) for row in rows}


def insert_sources(db: Connection, sources: Sequence[Source]) -> set[str]:
    """Register sources not yet registered; return the ids registered now."""
    return _inserted(
        db,
        "INSERT INTO sources (id, kind, document)"
        " SELECT id, kind, document FROM unnest(%b::text[], %b::text[], %b::text[])"
        " WITH ORDINALITY AS t(id, kind, document, ord) ORDER BY ord"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        [
            [s.id for s in sources],
            [s.kind.value for s in sources],
            [json_text(s.to_dict()) for s in sources],
        ],
    )


def insert_reports(
    db: Connection, reports: Sequence[Report], digests: Mapping[str, str]
) -> set[str]:
    """Insert reports not yet stored (by id); return the ids inserted now.

    ``digests`` gives each report's content digest, by id (the decision already computed it).
    """
    estimates = [report.location.estimate() for report in reports]
    return _inserted(
        db,
        "INSERT INTO reports (id, source_id, source_ref, observed_at, observed_until, activity,"
        " geom, uncertainty_m, received_at, schema_version, content_sha256, document)"
        " SELECT id, source_id, source_ref, observed_at, observed_until, activity,"
        " CASE WHEN lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END,"
        " uncertainty_m, received_at, schema_version, sha, document"
        " FROM unnest(%b::text[], %b::text[], %b::text[], %b::timestamptz[], %b::timestamptz[],"
        " %b::text[], %b::float8[], %b::float8[], %b::float8[], %b::timestamptz[], %b::int[],"
        " %b::text[], %b::text[]) WITH ORDINALITY AS t(id, source_id, source_ref, observed_at,"
        " observed_until, activity, lon, lat, uncertainty_m, received_at, schema_version, sha,"
        " document, ord) ORDER BY ord ON CONFLICT (id) DO NOTHING RETURNING id",
        [
            [r.id for r in reports],
            [r.source.id for r in reports],
            [r.source_ref for r in reports],
            [r.observed_at for r in reports],
            [r.observed_until for r in reports],
            [r.activity.value for r in reports],
            [e.lon if e else None for e in estimates],
            [e.lat if e else None for e in estimates],
            [e.uncertainty_m if e else None for e in estimates],
            [r.received_at for r in reports],
            [r.schema_version for r in reports],
            [digests[r.id] for r in reports],
            [json_text(r.to_dict()) for r in reports],
        ],
    )


def insert_evidence(db: Connection, reports: Sequence[Report]) -> None:
    """Index the evidence of reports inserted in this transaction."""
    items = [(r.id, e.sha256, e.media_type) for r in reports for e in r.evidence]
    if items:
        db.execute(
            "INSERT INTO evidence (report_id, sha256, media_type)"
            " SELECT * FROM unnest(%b::text[], %b::text[], %b::text[]) ON CONFLICT DO NOTHING",
            [list(column) for column in zip(*items, strict=True)],
        )


def insert_coverage(
    db: Connection, records: Sequence[Coverage], digests: Mapping[str, str]
) -> set[str]:
    """Insert coverage records not yet stored (by id); return the ids inserted now."""
    return _inserted(
        db,
        "INSERT INTO coverage (id, source_id, status, observed_from, observed_until, sector,"
        " received_at, content_sha256, document)"
        " SELECT id, source_id, status, observed_from, observed_until,"
        " ST_SetSRID(ST_GeomFromWKB(sector), 4326), received_at, sha, document"
        " FROM unnest(%b::text[], %b::text[], %b::text[], %b::timestamptz[],"
        " %b::timestamptz[], %b::bytea[], %b::timestamptz[], %b::text[], %b::text[])"
        " WITH ORDINALITY AS t(id, source_id, status, observed_from, observed_until, sector,"
        " received_at, sha, document, ord) ORDER BY ord ON CONFLICT (id) DO NOTHING RETURNING id",
        [
            [c.id for c in records],
            [c.source.id for c in records],
            [c.status.value for c in records],
            [c.observed_from for c in records],
            [c.observed_until for c in records],
            [shapely.to_wkb(c.sector) for c in records],
            [c.received_at for c in records],
            [digests[c.id] for c in records],
            [json_text(c.to_dict()) for c in records],
        ],
    )


def insert_quarantine(db: Connection, items: Sequence[QuarantinedRecord]) -> set[str]:
    """Keep refused inputs not yet kept (by id); return the ids kept now."""
    columns = ", ".join(QUARANTINE_COLUMNS)
    return _inserted(
        db,
        f"INSERT INTO quarantine ({columns}) SELECT {columns}"
        " FROM unnest(%b::text[], %b::text[], %b::text[], %b::text[], %b::text[], %b::text[],"
        f" %b::text[]) WITH ORDINALITY AS t({columns}, ord) ORDER BY ord"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        [
            [i.id for i in items],
            [i.origin for i in items],
            [i.position for i in items],
            [i.field for i in items],
            [i.reason for i in items],
            [i.raw for i in items],
            [i.received_at.isoformat() for i in items],
        ],
    )


def report_conditions(
    start: datetime | None,
    end: datetime | None,
    bbox: tuple[float, float, float, float] | None,
    near: dict[str, Any] | None,
    within_m: float | None,
    inside: dict[str, Any] | None,
) -> tuple[str, list[Any]]:
    """Return the WHERE clause (and its parameters) of a report query; see ``Store``."""
    clauses: list[str] = ["geom IS NOT NULL"]
    parameters: list[Any] = []
    if start is not None:
        clauses.append("observed_at >= %s")
        parameters.append(start)
    if end is not None:
        clauses.append("observed_at < %s")
        parameters.append(end)
    if bbox is not None:
        clauses.append("geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)")
        parameters.extend(bbox)
    if near is not None:
        clauses.append(f"ST_DWithin(geom::geography, ({_WGS84})::geography, %s)")
        parameters.extend([json.dumps(near), within_m])
    if inside is not None:
        clauses.append(f"ST_Intersects(geom, {_WGS84})")
        parameters.append(json.dumps(inside))
    return " AND ".join(clauses), parameters


def coverage_conditions(
    start: datetime | None, end: datetime | None, sector: dict[str, Any] | None
) -> tuple[str, list[Any]]:
    """Return the WHERE clause of a coverage query: window overlaps, sector intersects."""
    clauses: list[str] = ["TRUE"]
    parameters: list[Any] = []
    if start is not None:
        clauses.append("observed_until > %s")
        parameters.append(start)
    if end is not None:
        clauses.append("observed_from < %s")
        parameters.append(end)
    if sector is not None:
        clauses.append(f"ST_Intersects(sector, {_WGS84})")
        parameters.append(json.dumps(sector))
    return " AND ".join(clauses), parameters


#: Every leaf joined with the stored form of its record (columns: leaf 0-3, document 4,
#: quarantine 5-11, agreement 12-19, incident 20, finding 21, review 22).
LOGGED_SELECT = (
    "SELECT l.idx, l.kind, l.record_id, l.leaf_hash,"
    " coalesce(r.document, c.document, s.document), "
    + ", ".join(f"q.{column}" for column in QUARANTINE_COLUMNS)
    + ", "
    + ", ".join(f"a.{column.strip()}" for column in AGREEMENT_COLUMNS.split(","))
    + ", i.document, f.document, v.document FROM ledger_leaves l"
    " LEFT JOIN reports r ON l.kind = 'report' AND r.id = l.record_id"
    " LEFT JOIN coverage c ON l.kind = 'coverage' AND c.id = l.record_id"
    " LEFT JOIN sources s ON l.kind = 'source' AND s.id = l.record_id"
    " LEFT JOIN quarantine q ON l.kind = 'quarantine' AND q.id = l.record_id"
    " LEFT JOIN agreements a ON l.kind = 'agreement'"
    " AND a.agreement_id || '@' || a.version = l.record_id"
    " LEFT JOIN incidents i ON l.kind = 'incident' AND i.id = l.record_id"
    " LEFT JOIN findings f ON l.kind = 'finding' AND f.id = l.record_id"
    " LEFT JOIN reviews v ON l.kind = 'review' AND v.id = l.record_id"
)

#: (kind, id) of every stored record that has no leaf.
UNLOGGED_SELECT = " UNION ALL ".join(
    f"SELECT '{kind}', {key} FROM {table} t WHERE NOT EXISTS (SELECT 1 FROM ledger_leaves l"
    f" WHERE l.kind = '{kind}' AND l.record_id = {key})"
    for kind, table, key in (
        ("source", "sources", "t.id"),
        ("report", "reports", "t.id"),
        ("coverage", "coverage", "t.id"),
        ("quarantine", "quarantine", "t.id"),
        ("agreement", "agreements", "t.agreement_id || '@' || t.version"),
        ("incident", "incidents", "t.id"),
        ("finding", "findings", "t.id"),
        ("review", "reviews", "t.id"),
    )
)
