"""The incident tables of the PostgreSQL store: insert (queued for the ledger) and read back.

The same tables and rules as :mod:`ceasefire.store._sqlite_incidents`; an incident's ledger
entry is its full JSON form (:meth:`Incident.to_dict`), the document kept. Inserts are one array
statement with ``ON CONFLICT (id) DO NOTHING RETURNING id``, so two fusion runs writing the same
incident at once store and log it once.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator
from typing import Any

import psycopg

from ceasefire.errors import NotFound
from ceasefire.model.incident import Incident, incident_from_dict
from ceasefire.store._postgres_ledger import PostgresLog
from ceasefire.store._sqlite_rows import json_text

__all__ = ["CURRENT_INCIDENTS", "get_incident", "insert_incidents", "iter_current_incidents"]

Connection = psycopg.Connection[tuple[Any, ...]]

#: Incidents that no stored incident supersedes: the current picture.
CURRENT_INCIDENTS = (
    "SELECT document FROM incidents i WHERE NOT EXISTS"
    " (SELECT 1 FROM incidents s WHERE s.supersedes = i.id)"
)


def insert_incidents(
    db: Connection, log: PostgresLog, incidents: Collection[Incident]
) -> frozenset[str]:
    """Insert incidents not yet stored (by id), queue each for the log; return the ids inserted.

    Must run inside the store's write transaction, so an incident and its leaf commit together.
    """
    if not incidents:
        return frozenset()
    points = [incident.location for incident in incidents]
    rows = db.execute(
        "INSERT INTO incidents (id, activity, started_at, ended_at, geom, radius_m, supersedes,"
        " state, document) SELECT id, activity, started_at, ended_at,"
        " CASE WHEN lon IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(lon, lat), 4326) END,"
        " radius_m, supersedes, state, document FROM unnest(%b::text[], %b::text[],"
        " %b::timestamptz[], %b::timestamptz[], %b::float8[], %b::float8[], %b::float8[],"
        " %b::text[], %b::text[], %b::text[]) WITH ORDINALITY AS t(id, activity, started_at,"
        " ended_at, lon, lat, radius_m, supersedes, state, document, ord) ORDER BY ord"
        " ON CONFLICT (id) DO NOTHING RETURNING id",
        [
            [i.id for i in incidents],
            [i.activity.value for i in incidents],
            [i.started_at for i in incidents],
            [i.ended_at for i in incidents],
            [p.lon if p else None for p in points],
            [p.lat if p else None for p in points],
            [p.uncertainty_m if p else None for p in points],
            [i.supersedes for i in incidents],
            [i.state.value for i in incidents],
            [json_text(i.to_dict()) for i in incidents],
        ],
    ).fetchall()
    inserted = {str(row[0]) for row in rows}
    logged: set[str] = set()
    members: list[tuple[str, str]] = []
    for incident in incidents:
        if incident.id in inserted and incident.id not in logged:
            logged.add(incident.id)
            log.append("incident", incident.id, incident.to_dict())
            members.extend((incident.id, report_id) for report_id in incident.report_ids)
    if members:
        db.execute(
            "INSERT INTO incident_reports (incident_id, report_id)"
            " SELECT * FROM unnest(%b::text[], %b::text[]) ON CONFLICT DO NOTHING",
            [list(column) for column in zip(*members, strict=True)],
        )
    return frozenset(logged)


def iter_current_incidents(db: Connection) -> Iterator[Incident]:
    """Yield the incidents no other incident supersedes, in the order they were stored."""
    for row in db.execute(CURRENT_INCIDENTS + " ORDER BY seq").fetchall():
        yield incident_from_dict(json.loads(row[0]))


def get_incident(db: Connection, incident_id: str) -> Incident:
    """Return one incident, current or superseded.

    Raises:
        NotFound: no incident has that id.
    """
    row = db.execute("SELECT document FROM incidents WHERE id = %s", (incident_id,)).fetchone()
    if row is None:
        raise NotFound(f"no incident with id {incident_id!r}")
    return incident_from_dict(json.loads(row[0]))
