"""The incident tables of the SQLite store: insert (with the ledger append) and read back.

Kept apart from :mod:`ceasefire.store.sqlite` so the store module stays one screenful per
concern; :class:`~ceasefire.store.sqlite.SQLiteStore` calls these inside its own transaction.
An incident's ledger entry is its full JSON form (:meth:`Incident.to_dict`), the document kept.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from ceasefire.errors import NotFound
from ceasefire.model.incident import Incident, incident_from_dict
from ceasefire.store._sqlite_ledger import SQLiteLog

__all__ = [
    "CURRENT_INCIDENTS",
    "INCIDENT_COLUMNS",
    "get_incident",
    "incident_row",
    "insert_incidents",
    "iter_current_incidents",
]

#: Incidents that no stored incident supersedes: the current picture.
CURRENT_INCIDENTS = (
    "SELECT document FROM incidents WHERE id NOT IN"
    " (SELECT supersedes FROM incidents WHERE supersedes IS NOT NULL)"
)


def insert_incidents(
    db: sqlite3.Connection, log: SQLiteLog, incidents: Iterable[Incident]
) -> frozenset[str]:
    """Insert incidents not yet stored (by id) and log each; return the ids inserted.

    Must run inside the store's write transaction, so an incident and its leaf commit together.
    """
    inserted: set[str] = set()
    marks = ", ".join("?" * len(INCIDENT_COLUMNS))
    for incident in incidents:
        body = incident.to_dict()
        cursor = db.execute(
            f"INSERT INTO incidents ({', '.join(INCIDENT_COLUMNS)}) VALUES ({marks})"
            " ON CONFLICT (id) DO NOTHING",
            incident_row(incident, body),
        )
        if not cursor.rowcount:
            continue
        db.executemany(
            "INSERT INTO incident_reports (incident_id, report_id) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            [(incident.id, report_id) for report_id in incident.report_ids],
        )
        log.append("incident", incident.id, body)
        inserted.add(incident.id)
    return frozenset(inserted)


#: The ``incidents`` columns, in :func:`incident_row` order.
INCIDENT_COLUMNS = (
    "id",
    "activity",
    "started_at",
    "ended_at",
    "lon",
    "lat",
    "radius_m",
    "supersedes",
    "state",
    "document",
)


def incident_row(incident: Incident, body: dict[str, object]) -> tuple[object, ...]:
    """Return the ``incidents`` row of an incident; ``ledger verify`` recomputes it too."""
    location = incident.location
    return (
        incident.id,
        incident.activity.value,
        _utc(incident.started_at),
        _utc(incident.ended_at),
        location.lon if location else None,
        location.lat if location else None,
        location.uncertainty_m if location else None,
        incident.supersedes,
        incident.state.value,
        _json(body),
    )


def iter_current_incidents(db: sqlite3.Connection) -> Iterator[Incident]:
    """Yield the incidents no other incident supersedes, in the order they were stored."""
    for row in db.execute(CURRENT_INCIDENTS + " ORDER BY seq"):
        yield incident_from_dict(json.loads(row[0]))


def get_incident(db: sqlite3.Connection, incident_id: str) -> Incident:
    """Return one incident, current or superseded.

    Raises:
        NotFound: no incident has that id.
    """
    row = db.execute("SELECT document FROM incidents WHERE id = ?", (incident_id,)).fetchone()
    if row is None:
        raise NotFound(f"no incident with id {incident_id!r}")
    return incident_from_dict(json.loads(row[0]))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
