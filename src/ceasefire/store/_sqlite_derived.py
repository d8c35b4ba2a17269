"""What ``ledger verify`` checks of SQLite beyond the documents: every column kept beside them.

The ledger commits to each record's document (and, for quarantine and agreements, to every
column). The other columns — ``reports.lat``, ``observed_at``, ``content_sha256``,
``coverage.status``, ``sources.kind``, the ``evidence`` and ``incident_reports`` rows, the
arrival order ``seq`` — are copies the queries use; a copy that could be edited unseen would let
a map, a filter or the duplicate check lie while ``verify`` passed. So each one is recomputed
here from the document's own values (a test holds this against
:func:`~ceasefire.store._sqlite_rows.report_row`, the code that wrote them), and every
difference is reported naming the table, the record and the column.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from ceasefire.errors import CeasefireError
from ceasefire.model.incident import incident_from_dict
from ceasefire.model.location import location_from_dict
from ceasefire.model.migration import migrate_report
from ceasefire.store._documents import DOCUMENT_COLUMNS, document_values
from ceasefire.store._sqlite_incidents import INCIDENT_COLUMNS, incident_row
from ceasefire.store._sqlite_rows import COVERAGE_COLUMNS, REPORT_COLUMNS, utc_text

__all__ = ["derived_problems"]

#: Columns the audit already checks (the document against its leaf; the content digest in the
#: same serialisation pass, see :class:`~ceasefire.ledger.audit.LoggedRecord`).
_COVERED = {"document", "content_sha256"}


def derived_problems(db: sqlite3.Connection) -> Iterator[str]:
    """Yield one sentence per stored column that differs from the document it derives from."""
    yield from _report_problems(db)
    yield from _coverage_problems(db)
    yield from _source_problems(db)
    yield from _incident_problems(db)
    yield from _verification_problems(db)
    yield from _orphan_evidence(db)
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


def _report_problems(db: sqlite3.Connection) -> Iterator[str]:
    columns = ", ".join(REPORT_COLUMNS)
    rows = db.execute(
        f"SELECT {columns}, (SELECT group_concat(e.sha256 || ' ' || e.media_type, char(10))"
        " FROM evidence e WHERE e.report_id = r.id) AS evidence FROM reports r ORDER BY seq"
    )
    for row in rows:
        label = f"reports row {row['id']!r}"
        try:
            expected, wanted = _expected_report(row["document"])
        except (CeasefireError, ValueError, KeyError, TypeError, AttributeError) as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, REPORT_COLUMNS, row, expected)
        stored = set((row["evidence"] or "").split("\n")) - {""}
        for missing in sorted(wanted - stored):
            yield f"{label}: evidence {missing} is in the document but not in the evidence table"
        for extra in sorted(stored - wanted):
            yield f"{label}: evidence row {extra} is not in the report's document"


def _expected_report(text: str) -> tuple[tuple[Any, ...], set[str]]:
    """The ``reports`` row and evidence rows a stored document implies.

    Read straight from the document (migrated to the current layout) rather than through the
    full report parser: the same values :func:`report_row` takes from a :class:`Report`, at a
    fraction of the cost, so that ``ledger verify`` streams (issue 13).
    """
    document = json.loads(text)
    current = migrate_report(document)
    estimate = location_from_dict(current["location"], None).estimate()
    until = current.get("observed_until")
    row = (
        document["id"],
        current["source"]["id"],
        current.get("source_ref"),
        utc_text(datetime.fromisoformat(current["observed_at"])),
        utc_text(datetime.fromisoformat(until)) if until else None,
        current["activity"],
        estimate.lon if estimate else None,
        estimate.lat if estimate else None,
        estimate.uncertainty_m if estimate else None,
        utc_text(datetime.fromisoformat(document["received_at"])),
        document.get("schema_version"),  # the layout it was stored in
        None,  # content_sha256: checked by the audit with the leaf
        text,
    )
    evidence = {f"{item['sha256']} {item['media_type']}" for item in current.get("evidence") or []}
    return row, evidence


def _coverage_problems(db: sqlite3.Connection) -> Iterator[str]:
    rows = db.execute(f"SELECT {', '.join(COVERAGE_COLUMNS)} FROM coverage ORDER BY seq")
    for row in rows:
        label = f"coverage row {row['id']!r}"
        try:
            document = json.loads(row["document"])
            expected = (
                document["id"],
                document["source"]["id"],
                document["status"],
                utc_text(datetime.fromisoformat(document["observed_from"])),
                utc_text(datetime.fromisoformat(document["observed_until"])),
                utc_text(datetime.fromisoformat(document["received_at"])),
                None,  # content_sha256: checked by the audit with the leaf
                row["document"],
            )
        except (CeasefireError, ValueError, KeyError, TypeError) as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, COVERAGE_COLUMNS, row, expected)


def _source_problems(db: sqlite3.Connection) -> Iterator[str]:
    for row in db.execute("SELECT id, kind, document FROM sources ORDER BY id"):
        label = f"sources row {row['id']!r}"
        try:
            document = json.loads(row["document"])
            expected = (document["id"], document["kind"])
        except (ValueError, KeyError, TypeError) as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, ("id", "kind"), row, expected)


def _incident_problems(db: sqlite3.Connection) -> Iterator[str]:
    rows = db.execute(
        f"SELECT {', '.join(INCIDENT_COLUMNS)}, (SELECT group_concat(m.report_id, char(10))"
        " FROM incident_reports m WHERE m.incident_id = i.id) AS members"
        " FROM incidents i ORDER BY seq"
    )
    for row in rows:
        label = f"incidents row {row['id']!r}"
        try:
            document = json.loads(row["document"])
            incident = incident_from_dict(document)
            expected = incident_row(incident, document)
        except (CeasefireError, ValueError, KeyError, TypeError) as error:
            yield f"{label}: its document cannot be read back ({error})"
            continue
        yield from _differences(label, INCIDENT_COLUMNS, row, expected)
        stored = set((row["members"] or "").split("\n")) - {""}
        wanted = set(incident.report_ids)
        for missing in sorted(wanted - stored):
            yield f"{label}: member {missing} is in the document but not in incident_reports"
        for extra in sorted(stored - wanted):
            yield f"{label}: incident_reports row {extra} is not in the incident's document"
    orphans = db.execute(
        "SELECT incident_id, report_id FROM incident_reports"
        " WHERE incident_id NOT IN (SELECT id FROM incidents)"
    )
    for incident_id, report_id in orphans:
        yield f"incident_reports row {report_id} names incident {incident_id!r}, not stored"


def _orphan_evidence(db: sqlite3.Connection) -> Iterator[str]:
    rows = db.execute(
        "SELECT report_id, sha256 FROM evidence WHERE report_id NOT IN (SELECT id FROM reports)"
    )
    for row in rows:
        yield f"evidence row {row[1]} names report {row[0]!r}, which is not stored"


def _verification_problems(db: sqlite3.Connection) -> Iterator[str]:
    """Findings, review decisions and publications: every column against the document."""
    for table, columns in DOCUMENT_COLUMNS.items():
        rows = db.execute(f"SELECT {', '.join(columns)}, document FROM {table} ORDER BY seq")
        for row in rows:
            label = f"{table} row {row['id']!r}"
            try:
                expected = tuple(
                    utc_text(value) if isinstance(value, datetime) else value
                    for value in document_values(table, json.loads(row["document"]))
                )
            except (CeasefireError, ValueError, KeyError, TypeError) as error:
                yield f"{label}: its document cannot be read back ({error})"
                continue
            yield from _differences(label, columns, row, expected)


def _order_problems(db: sqlite3.Connection, table: str, kind: str, key: str) -> Iterator[str]:
    """Rows listed in arrival order (``seq``) must be in the order the ledger logged them."""
    rows = db.execute(
        f"SELECT {key}, l.idx FROM {table} t JOIN ledger_leaves l"
        f" ON l.kind = ? AND l.record_id = {key} ORDER BY t.seq",
        (kind,),
    )
    previous = -1
    for record_id, index in rows:
        if index < previous:
            yield (
                f"{table} row {record_id!r}: listed after leaf {previous} but logged at leaf "
                f"{index}: the arrival order (seq) was changed"
            )
        previous = max(previous, index)


def _differences(
    label: str, columns: Sequence[str], row: sqlite3.Row, expected: Sequence[Any]
) -> Iterator[str]:
    for column, want in zip(columns, expected, strict=True):
        if column in _COVERED:
            continue
        have = row[column]
        if have != want:
            yield f"{label}: column {column} is {have!r} but its document says {want!r}"
