"""What ``ledger verify`` checks of PostgreSQL beyond the documents: every column beside them.

The same checks as SQLite's (:mod:`ceasefire.store._sqlite_derived`): the ledger commits to
each record's document, and every other column (``observed_at``, the point in ``geom``,
``content_sha256``, ``coverage.sector``, ``sources.kind``, the incident columns, the
``evidence`` and ``incident_reports`` rows, the arrival order ``seq``) is a copy the queries
use, so each is recomputed from the document and every difference is named by table, record and
column. A map, a spatial query or the duplicate check
could otherwise be made to lie while ``verify`` passed.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import psycopg
import shapely

from ceasefire.errors import CeasefireError
from ceasefire.ledger.canonical import content_digest
from ceasefire.model.incident import incident_from_dict
from ceasefire.store._documents import DOCUMENT_COLUMNS, document_values
from ceasefire.store._sqlite_rows import coverage_of, report_of

__all__ = ["derived_problems"]

Connection = psycopg.Connection[tuple[Any, ...]]

_REPORT_COLUMNS = (
    "id",
    "source_id",
    "source_ref",
    "observed_at",
    "observed_until",
    "activity",
    "lon",
    "lat",
    "uncertainty_m",
    "received_at",
    "schema_version",
    "content_sha256",
)
_COVERAGE_COLUMNS = (
    "id",
    "source_id",
    "status",
    "observed_from",
    "observed_until",
    "received_at",
    "content_sha256",
    "sector",
)
_UNREADABLE = (CeasefireError, ValueError, KeyError, TypeError)


def derived_problems(db: Connection) -> Iterator[str]:
    """Yield one sentence per stored column that differs from the document it derives from."""
    yield from _report_problems(db)
    yield from _coverage_problems(db)
    yield from _source_problems(db)
    yield from _incident_problems(db)
    yield from _verification_problems(db)
    for row in db.execute(
        "SELECT report_id, sha256 FROM evidence e"
        " WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = e.report_id)"
    ).fetchall():
        yield f"evidence row {row[1]} names report {row[0]!r}, which is not stored"
    for table, kind, key in (
        ("reports", "report", "t.id"),
        ("coverage", "coverage", "t.id"),
        ("quarantine", "quarantine", "t.id"),
        ("agreements", "agreement", "t.agreement_id || '@' || t.version"),
        ("incidents", "incident", "t.id"),
        ("findings", "finding", "t.id"),
        ("reviews", "review", "t.id"),
        ("publications", "publication", "t.id"),
    ):
        yield from _order_problems(db, table, kind, key)


def _content(document: dict[str, Any]) -> str:
    """The content digest of a stored document: everything but its id and arrival time."""
    return content_digest({k: v for k, v in document.items() if k not in ("id", "received_at")})


def _report_problems(db: Connection) -> Iterator[str]:
    columns = ", ".join(_REPORT_COLUMNS).replace("lon, lat", "ST_X(geom), ST_Y(geom)")
    with db.cursor(name="derived_reports") as cursor:
        cursor.execute(
            f"SELECT {columns}, document, (SELECT array_agg(e.sha256 || ' ' || e.media_type)"
            " FROM evidence e WHERE e.report_id = r.id) FROM reports r ORDER BY seq"
        )
        for row in cursor:
            label = f"reports row {row[0]!r}"
            try:
                document = json.loads(row[12])
                report = report_of(json.loads(row[12]))  # migration may edit its argument
                expected = _report_columns(report, document)
            except _UNREADABLE as error:
                yield f"{label}: its document cannot be read back ({error})"
                continue
            yield from _differences(label, _REPORT_COLUMNS, row[:12], expected)
            wanted = {f"{item.sha256} {item.media_type}" for item in report.evidence}
            stored = set(row[13] or ())
            for missing in sorted(wanted - stored):
                yield (
                    f"{label}: evidence {missing} is in the document but not in the evidence table"
                )
            for extra in sorted(stored - wanted):
                yield f"{label}: evidence row {extra} is not in the report's document"


def _report_columns(report: Any, document: dict[str, Any]) -> tuple[Any, ...]:
    estimate = report.location.estimate()
    return (
        document["id"],
        report.source.id,
        report.source_ref,
        report.observed_at,
        report.observed_until,
        report.activity.value,
        estimate.lon if estimate else None,
        estimate.lat if estimate else None,
        estimate.uncertainty_m if estimate else None,
        report.received_at,
        document.get("schema_version"),  # the layout it was stored in, not the one it migrates to
        _content(document),
    )


def _coverage_problems(db: Connection) -> Iterator[str]:
    columns = ", ".join(_COVERAGE_COLUMNS).replace("sector", "ST_AsBinary(sector)")
    with db.cursor(name="derived_coverage") as cursor:
        cursor.execute(f"SELECT {columns}, document FROM coverage ORDER BY seq")
        for row in cursor:
            label = f"coverage row {row[0]!r}"
            try:
                document = json.loads(row[8])
                record = coverage_of(json.loads(row[8]))
                expected = (
                    document["id"],
                    record.source.id,
                    record.status.value,
                    record.observed_from,
                    record.observed_until,
                    datetime.fromisoformat(document["received_at"]),
                    _content(document),
                    record.sector,
                )
            except _UNREADABLE as error:
                yield f"{label}: its document cannot be read back ({error})"
                continue
            stored = list(row[:8])
            stored[7] = shapely.from_wkb(bytes(stored[7])) if stored[7] is not None else None
            if stored[7] is not None and shapely.equals(stored[7], record.sector):
                stored[7] = record.sector
            yield from _differences(label, _COVERAGE_COLUMNS, stored, expected)


def _source_problems(db: Connection) -> Iterator[str]:
    for row in db.execute("SELECT id, kind, document FROM sources ORDER BY id").fetchall():
        label = f"sources row {row[0]!r}"
        try:
            document = json.loads(row[2])
            expected = (document["id"], document["kind"])
        except _UNREADABLE as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, ("id", "kind"), row[:2], expected)


_INCIDENT_COLUMNS = (
    "id",
    "activity",
    "started_at",
    "ended_at",
    "lon",
    "lat",
    "radius_m",
    "supersedes",
    "state",
)


def _incident_problems(db: Connection) -> Iterator[str]:
    """Incident columns and ``incident_reports`` rows against each incident's document."""
    columns = ", ".join(_INCIDENT_COLUMNS).replace("lon, lat", "ST_X(geom), ST_Y(geom)")
    rows = db.execute(
        f"SELECT {columns}, document, (SELECT array_agg(m.report_id) FROM incident_reports m"
        " WHERE m.incident_id = i.id) FROM incidents i ORDER BY seq"
    ).fetchall()
    for row in rows:
        label = f"incidents row {row[0]!r}"
        try:
            document = json.loads(row[9])
            incident = incident_from_dict(document)
            point = incident.location
            expected = (
                document["id"],
                incident.activity.value,
                incident.started_at,
                incident.ended_at,
                point.lon if point else None,
                point.lat if point else None,
                point.uncertainty_m if point else None,
                incident.supersedes,
                incident.state.value,
            )
        except _UNREADABLE as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, _INCIDENT_COLUMNS, row[:9], expected)
        wanted, stored = set(incident.report_ids), set(row[10] or ())
        for missing in sorted(wanted - stored):
            yield f"{label}: member {missing} is in the document but not in incident_reports"
        for extra in sorted(stored - wanted):
            yield f"{label}: incident_reports row {extra} is not in the incident's document"
    for incident_id, report_id in db.execute(
        "SELECT incident_id, report_id FROM incident_reports m"
        " WHERE NOT EXISTS (SELECT 1 FROM incidents i WHERE i.id = m.incident_id)"
    ).fetchall():
        yield f"incident_reports row {report_id} names incident {incident_id!r}, not stored"


def _verification_problems(db: Connection) -> Iterator[str]:
    """Findings, review decisions and publications: every column against the document."""
    for table, columns in DOCUMENT_COLUMNS.items():
        rows = db.execute(
            f"SELECT {', '.join(columns)}, document FROM {table} ORDER BY seq"
        ).fetchall()
        for row in rows:
            label = f"{table} row {row[0]!r}"
            try:
                expected = document_values(table, json.loads(row[-1]))
            except _UNREADABLE as error:
                yield f"{label}: its document cannot be read back ({error})"
                continue
            yield from _differences(label, columns, row[:-1], expected)


def _order_problems(db: Connection, table: str, kind: str, key: str) -> Iterator[str]:
    """Rows listed in arrival order (``seq``) must be in the order the ledger logged them."""
    rows = db.execute(
        f"SELECT {key}, l.idx FROM {table} t JOIN ledger_leaves l"
        f" ON l.kind = %s AND l.record_id = {key} ORDER BY t.seq",
        (kind,),
    ).fetchall()
    previous = -1
    for record_id, index in rows:
        if index < previous:
            yield (
                f"{table} row {record_id!r}: listed after leaf {previous} but logged at leaf "
                f"{index}: the arrival order (seq) was changed"
            )
        previous = max(previous, index)


def _differences(
    label: str, columns: Sequence[str], row: Sequence[Any], expected: Sequence[Any]
) -> Iterator[str]:
    for column, have, want in zip(columns, row, expected, strict=True):
        if have != want:
            yield f"{label}: column {column} is {have!r} but its document says {want!r}"
