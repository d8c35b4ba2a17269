"""The embedded store: one SQLite file, WAL, foreign keys on, schema migrations by number.

Why SQLite by default: a monitoring team on a laptop, or a forward base with no server, must be
able to run the whole chain. Why these settings:

* ``journal_mode=WAL`` lets readers (a report being rendered) run while intake writes.
* ``synchronous=FULL`` because intake acknowledges a record only after its transaction commits;
  FULL makes "acknowledged" survive power loss, not just a crash of the process.
* ``wal_autocheckpoint=10000`` pages (and a 64 MB page cache): fewer checkpoints, so fewer
  copies of the same index pages written back (measured in ``benchmarks/intake.py``).
* ``foreign_keys=ON`` is off by default in SQLite, per connection; we need it on.
* Triggers refuse UPDATE and DELETE on every record table: the store is append-only, and a code
  path that tried to change history should fail loudly rather than succeed quietly.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Collection, Iterator, Sequence
from contextlib import AbstractContextManager
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

from ceasefire.agreement.stored import StoredAgreement
from ceasefire.errors import LedgerError, NotFound, SchemaTooNew, StoreError
from ceasefire.intake.batch import IntakeBatch, IntakeWritten
from ceasefire.ledger import EMPTY_ROOT, Checkpoint, consistency_proof, inclusion_proof, root_at
from ceasefire.ledger.audit import LoggedRecord, StoredCheckpoint
from ceasefire.ledger.storage import LeafRef
from ceasefire.model.coverage import Coverage
from ceasefire.model.finding import Finding
from ceasefire.model.incident import Incident
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.query import ReportQuery
from ceasefire.model.report import Report
from ceasefire.model.review import ReviewDecision
from ceasefire.model.source import Source, source_from_dict
from ceasefire.publication.record import Publication
from ceasefire.store import _sqlite_findings, _sqlite_incidents
from ceasefire.store._documents import (
    AGREEMENT_COLUMNS,
    agreement_body,
    agreement_record_id,
    quarantine_body,
)
from ceasefire.store._sqlite_access import SQLiteAccess
from ceasefire.store._sqlite_derived import derived_problems
from ceasefire.store._sqlite_intake import stored_values, write_intake_batch
from ceasefire.store._sqlite_ledger import SQLiteLog, damage_reported
from ceasefire.store._sqlite_rows import coverage_of, json_text, report_of, utc_text
from ceasefire.store._sqlite_schema import MIGRATIONS
from ceasefire.store._sqlite_transaction import DEFAULT_BUSY_TIMEOUT, transaction, waiting
from ceasefire.store.base import Store, StoreCounts

__all__ = ["SQLiteStore"]

_R = TypeVar("_R", Report, Coverage)


class SQLiteStore(SQLiteAccess, Store):
    """The :class:`Store` on one SQLite database file (or ``:memory:``).

    Args:
        path: the database file; created with its schema if absent. ``":memory:"`` gives a
            private in-memory store (one per test).
        origin: the ledger's origin, used only when the store is created (the C2SP checkpoint
            origin: a unique, URL-like name such as ``mission.example/ceasefire-log``); by
            default a random one under ``ceasefire.invalid/log/``.
        busy_timeout: seconds a write waits for another process's write lock before giving up
            with :class:`~ceasefire.errors.StoreBusy` (see
            :mod:`ceasefire.store._sqlite_transaction`).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        origin: str | None = None,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ) -> None:
        self.path = str(path)
        self._busy_timeout = busy_timeout
        if origin is not None:
            Checkpoint(origin, 0, EMPTY_ROOT)  # refuses an origin no checkpoint could carry
        self._new_origin = origin
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, so a batch is one transaction.
        self._db = sqlite3.connect(self.path, isolation_level=None, timeout=busy_timeout)
        self._db.row_factory = sqlite3.Row
        self._log: SQLiteLog | None = None
        try:
            waiting(self.path, busy_timeout, self._configure)
            self._migrate()
            self._log = SQLiteLog(self._db)
        except sqlite3.DatabaseError as error:
            self._db.close()
            if isinstance(error, sqlite3.OperationalError):
                raise
            # A file that is not SQLite (a --db pointing at the wrong file) is a user's mistake.
            raise StoreError(f"{self.path} is not a ceasefire store ({error})") from None
        except BaseException:
            self._db.close()
            raise

    def _configure(self) -> None:
        self._db.execute("PRAGMA foreign_keys = ON")
        if self.path != ":memory:":
            self._db.execute("PRAGMA journal_mode = WAL")
        self._db.execute("PRAGMA synchronous = FULL")
        # Checkpoint the WAL every ~40 MB instead of every 4 MB: each checkpoint copies the
        # pages dirtied since the last one back into the file, and intake's random-key indexes
        # dirty the same pages again and again (issue 13: bytes written per record).
        self._db.execute("PRAGMA wal_autocheckpoint = 10000")
        self._db.execute("PRAGMA journal_size_limit = 67108864")
        self._db.execute("PRAGMA cache_size = -65536")

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        current = self.schema_version
        if current > len(MIGRATIONS):
            raise SchemaTooNew(
                f"{self.path} has schema version {current}; this ceasefire knows up to "
                f"{len(MIGRATIONS)}: upgrade ceasefire"
            )
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            with self._transaction():
                if self.schema_version >= number:
                    continue  # another process migrated while this one waited for the lock
                for statement in _statements(script):
                    self._db.execute(statement)
                self._db.execute(f"PRAGMA user_version = {number}")
                if number == 1:
                    # A log's origin names it uniquely and forever; its checkpoints carry it.
                    self._db.execute(
                        "INSERT INTO meta (key, value) VALUES ('ledger_origin', ?)",
                        (self._new_origin or f"ceasefire.invalid/log/{uuid.uuid4()}",),
                    )

    def _transaction(self) -> AbstractContextManager[None]:
        return transaction(self._db, self._log, self.path, self._busy_timeout)

    @property
    def _ledger(self) -> SQLiteLog:
        assert self._log is not None, "the log is opened right after the schema migrations"
        return self._log

    def close(self) -> None:
        """Close the connection."""
        self._db.close()

    # -- writing ---------------------------------------------------------------------------

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch in one transaction, deciding new / duplicate / conflict inside it."""
        with self._transaction():
            return write_intake_batch(self._db, self._ledger, batch)

    def add_agreement(self, agreement: StoredAgreement) -> bool:
        """Store an agreement version, refusing a changed text under an existing version."""
        with self._transaction():
            row = self._db.execute(
                "SELECT sha256 FROM agreements WHERE agreement_id = ? AND version = ?",
                (agreement.agreement_id, agreement.version),
            ).fetchone()
            if row is not None:
                if row["sha256"] != agreement.sha256:
                    raise StoreError(
                        f"agreement {agreement.agreement_id} version {agreement.version} is "
                        "already stored with a different text; give the new text a new version"
                    )
                return False
            values = (
                agreement.agreement_id,
                agreement.version,
                agreement.title,
                utc_text(agreement.in_force_from),
                agreement.sha256,
                agreement.source_text,
                json_text(agreement.document),
                utc_text(agreement.loaded_at),
            )
            self._db.execute(
                f"INSERT INTO agreements ({AGREEMENT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                values,
            )
            self._ledger.append("agreement", agreement_record_id(values), agreement_body(values))
        return True

    def add_publication(self, publication: Publication) -> bool:
        """Keep an issued document's record and log it; ``False`` if it was already kept."""
        body = publication.to_dict()
        with self._transaction():
            cursor = self._db.execute(
                "INSERT INTO publications (id, document) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (publication.id, json_text(body)),
            )
            if cursor.rowcount:
                self._ledger.append("publication", publication.id, body)
        return bool(cursor.rowcount)

    def publications(self) -> list[Publication]:
        """Return the issued documents, oldest first."""
        rows = self._db.execute("SELECT document FROM publications ORDER BY seq")
        return [Publication.from_dict(json.loads(row[0])) for row in rows]

    def write_incidents(self, incidents: Collection[Incident]) -> frozenset[str]:
        """Store incidents not yet stored, each logged in the same transaction."""
        with self._transaction():
            return _sqlite_incidents.insert_incidents(self._db, self._ledger, incidents)

    def write_findings(self, findings: Sequence[Finding]) -> int:
        """Append findings in one transaction, each logged; return how many were new."""
        with self._transaction():
            return _sqlite_findings.insert_findings(self._db, self._ledger, findings)

    def add_review(self, decision: ReviewDecision) -> None:
        """Append one review decision, logged in the same transaction."""
        with self._transaction():
            _sqlite_findings.insert_review(self._db, self._ledger, decision)

    # -- reading ---------------------------------------------------------------------------

    def iter_unfused_reports(self) -> Iterator[Report]:
        """Yield the reports in no incident, in arrival order."""
        rows = self._db.execute(
            "SELECT document FROM reports WHERE id NOT IN"
            " (SELECT report_id FROM incident_reports) ORDER BY seq"
        ).fetchall()
        for row in rows:
            yield report_of(json.loads(row["document"]))

    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the newest finding of each key, oldest first, optionally filtered."""
        return _sqlite_findings.iter_findings(self._db, verdict, clause_id)

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions in the order they were taken."""
        return _sqlite_findings.iter_reviews(self._db, incident_id)

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents, oldest first."""
        # Materialised first: a caller may write incidents while iterating (incremental fusion).
        yield from list(_sqlite_incidents.iter_current_incidents(self._db))

    def get_incident(self, incident_id: str) -> Incident:
        """Return one incident by id, current or superseded."""
        return _sqlite_incidents.get_incident(self._db, incident_id)

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""
        wanted = list(ids)
        found = stored_values(self._db, "reports", "content_sha256", wanted)
        found.update(stored_values(self._db, "coverage", "content_sha256", wanted))
        return found

    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""
        rows = self._db.execute("SELECT document FROM sources ORDER BY id")
        sources = (source_from_dict(json.loads(row["document"])) for row in rows)
        return {source.id: source for source in sources}

    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports in arrival order, migrated to the current layout."""
        rows = self._db.execute(
            "SELECT document FROM reports ORDER BY seq LIMIT ?", (-1 if limit is None else limit,)
        )
        for row in rows:
            yield report_of(json.loads(row["document"]))

    def query_reports(self, query: ReportQuery) -> Iterator[Report]:
        """Yield the reports that answer ``query``: source and activity filtered in SQL, times
        in Python (stored times keep their own offsets, so their text does not sort by instant)."""
        where = [("source_id = ?", query.source_id), ("activity = ?", query.activity)]
        conditions = [(sql, value) for sql, value in where if value is not None]
        clause = " AND ".join(sql for sql, _ in conditions) or "1"
        rows = self._db.execute(  # the clause is fixed text; the values are bound
            f"SELECT document FROM reports WHERE {clause} ORDER BY seq",
            [str(value) for _, value in conditions],
        )
        found = (report_of(json.loads(row["document"])) for row in rows)
        yield from islice((r for r in found if query.matches(r)), query.limit)

    def record_ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        """Return up to ``limit`` logged record ids starting with ``prefix``, sorted."""
        rows = self._db.execute(
            "SELECT DISTINCT record_id FROM ledger_leaves WHERE substr(record_id, 1, ?) = ?"
            " ORDER BY record_id LIMIT ?",
            (len(prefix), prefix, limit),
        )
        return [row["record_id"] for row in rows]

    def get_report(self, report_id: str) -> Report:
        """Return one report by id."""
        row = self._db.execute("SELECT document FROM reports WHERE id = ?", (report_id,)).fetchone()
        if row is None:
            raise NotFound(f"no report with id {report_id!r}")
        return report_of(json.loads(row["document"]))

    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield coverage records in arrival order."""
        for row in self._db.execute("SELECT document FROM coverage ORDER BY seq"):
            yield coverage_of(json.loads(row["document"]))

    def iter_quarantine(self) -> Iterator[QuarantinedRecord]:
        """Yield quarantined inputs in arrival order."""
        for row in self._db.execute(
            "SELECT id, origin, position, field, reason, raw, received_at FROM quarantine"
            " ORDER BY seq"
        ):
            yield QuarantinedRecord(
                id=row["id"],
                origin=row["origin"],
                position=row["position"],
                field=row["field"],
                reason=row["reason"],
                raw=row["raw"],
                received_at=datetime.fromisoformat(row["received_at"]),
            )

    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored versions, oldest ``in_force_from`` first."""
        query = (
            "SELECT agreement_id, version, title, in_force_from, sha256, source_text, document,"
            " loaded_at FROM agreements"
        )
        parameters: tuple[Any, ...] = ()
        if agreement_id is not None:
            query += " WHERE agreement_id = ?"
            parameters = (agreement_id,)
        rows = self._db.execute(query + " ORDER BY in_force_from, seq", parameters)
        return [
            StoredAgreement(
                agreement_id=row["agreement_id"],
                version=row["version"],
                title=row["title"],
                in_force_from=datetime.fromisoformat(row["in_force_from"]),
                sha256=row["sha256"],
                source_text=row["source_text"],
                document=json.loads(row["document"]),
                loaded_at=datetime.fromisoformat(row["loaded_at"]),
            )
            for row in rows
        ]

    def counts(self) -> StoreCounts:
        """Return how many records of each kind are stored."""

        def count(table: str) -> int:
            return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

        return StoreCounts(
            reports=count("reports"),
            coverage=count("coverage"),
            quarantined=count("quarantine"),
            sources=count("sources"),
            agreement_versions=count("agreements"),
            incidents=int(
                self._db.execute(
                    f"SELECT count(*) FROM ({_sqlite_incidents.CURRENT_INCIDENTS})"
                ).fetchone()[0]
            ),
            findings=count("findings"),
            reviews=count("reviews"),
        )

    # -- spatial queries (SQL narrows by time and box, shapely decides) -----------------------

    def reports_where(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        near: dict[str, Any] | None = None,
        within_m: float | None = None,
        inside: dict[str, Any] | None = None,
    ) -> list[str]:
        """Return the ids of reports meeting every condition given, in arrival order."""
        from ceasefire.store import _spatial

        clauses, parameters = ["lon IS NOT NULL"], list[Any]()
        if start is not None:
            clauses.append("observed_at >= ?")
            parameters.append(utc_text(start))
        if end is not None:
            clauses.append("observed_at < ?")
            parameters.append(utc_text(end))
        boxes = [bbox] if bbox is not None else []
        if near is not None:
            boxes.append(_spatial.near_bbox(near, float(within_m or 0.0)))
        for box in boxes:
            clauses.append("lon BETWEEN ? AND ? AND lat BETWEEN ? AND ?")
            parameters.extend((box[0], box[2], box[1], box[3]))
        rows = self._db.execute(
            f"SELECT id, lon, lat FROM reports WHERE {' AND '.join(clauses)} ORDER BY seq",
            parameters,
        ).fetchall()
        ids, lon, lat = [r[0] for r in rows], [r[1] for r in rows], [r[2] for r in rows]
        keep = [True] * len(ids)
        if near is not None and ids:
            keep = list(_spatial.points_within(near, float(within_m or 0.0), lon, lat) & keep)
        if inside is not None and ids:
            keep = list(_spatial.points_inside(inside, lon, lat) & keep)
        return [report_id for report_id, kept in zip(ids, keep, strict=True) if kept]

    def coverage_where(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        sector: dict[str, Any] | None = None,
    ) -> list[str]:
        """Return the ids of coverage records over ``sector`` during the window."""
        import shapely
        from shapely.geometry import shape

        clauses, parameters = ["1"], list[str]()
        if start is not None:
            clauses.append("observed_until > ?")
            parameters.append(utc_text(start))
        if end is not None:
            clauses.append("observed_from < ?")
            parameters.append(utc_text(end))
        rows = self._db.execute(
            f"SELECT document FROM coverage WHERE {' AND '.join(clauses)} ORDER BY seq",
            parameters,
        )
        records = [coverage_of(json.loads(row[0])) for row in rows]
        if sector is None:
            return [record.id for record in records]
        area = shape(sector)
        return [record.id for record in records if shapely.intersects(area, record.sector)]

    # -- the ledger ------------------------------------------------------------------------

    def ledger_origin(self) -> str:
        """Return the log's origin, fixed when the store was created."""
        row = self._db.execute("SELECT value FROM meta WHERE key = 'ledger_origin'").fetchone()
        if row is None:
            raise LedgerError(
                "the store is damaged: its ledger origin (meta.ledger_origin) is gone"
            )
        return str(row[0])

    def ledger_size(self) -> int:
        """Return the number of leaves."""
        return self._ledger.persisted_size()

    def ledger_root(self, size: int | None = None) -> bytes:
        """Return the root at ``size`` leaves, computed from the persisted nodes."""
        at = self.ledger_size() if size is None else size
        return damage_reported(lambda: root_at(at, self._ledger.nodes))

    def ledger_leaf(self, record_id: str, kind: str | None = None) -> LeafRef | None:
        """Return where a record sits in the log."""
        found = self._ledger.leaf_of(kind, record_id)
        if found is None:
            return None
        index, found_kind, leaf = found
        return LeafRef(index, found_kind, record_id, leaf)

    def ledger_inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the inclusion proof of leaf ``index`` in the tree of ``size``."""
        return damage_reported(lambda: inclusion_proof(index, size, self._ledger.nodes))

    def ledger_consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Return the consistency proof between two sizes."""
        return damage_reported(lambda: consistency_proof(size1, size2, self._ledger.nodes))

    def iter_logged(self) -> Iterator[LoggedRecord]:
        """Yield every leaf with the stored form of its record, in one ordered scan."""
        for row in self._db.execute(_LOGGED_SELECT + " ORDER BY l.idx"):
            yield _logged(row)

    def iter_ledger_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Yield every stored tree node, by level then index (the primary key's order)."""
        for row in self._db.execute(
            "SELECT level, idx, hash FROM ledger_nodes ORDER BY level, idx"
        ):
            yield int(row[0]), int(row[1]), bytes(row[2])

    def derived_problems(self) -> Iterator[str]:
        """Yield each column that differs from its document (see ``_sqlite_derived``)."""
        return derived_problems(self._db)

    def unlogged_records(self) -> list[tuple[str, str]]:
        """Return (kind, id) of stored records without a leaf."""
        found: list[tuple[str, str]] = []
        for kind, table, key in (
            ("source", "sources", "id"),
            ("report", "reports", "id"),
            ("coverage", "coverage", "id"),
            ("quarantine", "quarantine", "id"),
            ("agreement", "agreements", "agreement_id || '@' || version"),
            ("incident", "incidents", "id"),
            ("finding", "findings", "id"),
            ("review", "reviews", "id"),
            ("publication", "publications", "id"),
        ):
            rows = self._db.execute(
                f"SELECT {key} FROM {table} WHERE {key} NOT IN"
                " (SELECT record_id FROM ledger_leaves WHERE kind = ?)",
                (kind,),
            )
            found.extend((kind, str(row[0])) for row in rows)
        return found

    def record_body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """Return one record's stored form, as its ledger entry serialises it."""
        leaf = self._ledger.leaf_of(kind, record_id)
        if leaf is None:
            return None
        row = self._db.execute(_LOGGED_SELECT + " WHERE l.idx = ?", (leaf[0],)).fetchone()
        body = _logged(row).body
        return None if body is None else dict(body)

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint."""
        with self._transaction():
            self._db.execute(
                "INSERT INTO checkpoints (size, root, note, created_at) VALUES (?, ?, ?, ?)",
                (
                    checkpoint.size,
                    checkpoint.root,
                    checkpoint.note.decode("utf-8"),
                    utc_text(checkpoint.created_at),
                ),
            )

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the stored checkpoints, oldest first."""
        rows = self._db.execute("SELECT size, root, note, created_at FROM checkpoints ORDER BY seq")
        return [
            StoredCheckpoint(
                size=int(row["size"]),
                root=bytes(row["root"]),
                note=str(row["note"]).encode("utf-8"),
                created_at=datetime.fromisoformat(row["created_at"]),
            )
            for row in rows
        ]


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers contain inner semicolons)."""
    statements: list[str] = []
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            statements.append(buffer.strip())
            buffer = ""
    if buffer.strip():
        statements.append(buffer.strip())
    return statements


#: Every leaf joined with the stored form of its record; each kind's body is rebuilt from it.
_LOGGED_SELECT = (
    "SELECT l.idx, l.kind, l.record_id, l.leaf_hash,"
    " r.document AS report, c.document AS coverage, s.document AS source,"
    " coalesce(r.content_sha256, c.content_sha256) AS content_sha256,"
    " q.id, q.origin, q.position, q.field, q.reason, q.raw, q.received_at,"
    " i.document AS incident, f.document AS finding, v.document AS review,"
    " p.document AS publication, "
    + ", ".join(f"a.{c.strip()} AS a_{c.strip()}" for c in AGREEMENT_COLUMNS.split(","))
    + " FROM ledger_leaves l"
    " LEFT JOIN reports r ON l.kind = 'report' AND r.id = l.record_id"
    " LEFT JOIN coverage c ON l.kind = 'coverage' AND c.id = l.record_id"
    " LEFT JOIN sources s ON l.kind = 'source' AND s.id = l.record_id"
    " LEFT JOIN quarantine q ON l.kind = 'quarantine' AND q.id = l.record_id"
    " LEFT JOIN incidents i ON l.kind = 'incident' AND i.id = l.record_id"
    " LEFT JOIN findings f ON l.kind = 'finding' AND f.id = l.record_id"
    " LEFT JOIN reviews v ON l.kind = 'review' AND v.id = l.record_id"
    " LEFT JOIN publications p ON l.kind = 'publication' AND p.id = l.record_id"
    " LEFT JOIN agreements a ON l.kind = 'agreement'"
    " AND a.agreement_id || '@' || a.version = l.record_id"
)


def _logged(row: sqlite3.Row) -> LoggedRecord:
    return LoggedRecord(
        index=int(row["idx"]),
        kind=row["kind"],
        record_id=row["record_id"],
        leaf_hash=bytes(row["leaf_hash"]),
        body=_logged_body(row),
        content_sha256=row["content_sha256"],
    )


def _logged_body(row: sqlite3.Row) -> dict[str, Any] | None:
    """Rebuild a record's ledger body from the columns the ordered scan selected.

    A document that is no longer JSON comes back as its text under ``unreadable document``,
    which cannot hash to any leaf: the audit reports it by id instead of stopping.
    """
    try:
        return _parsed_body(row)
    except ValueError:
        text = {key: row[key] for key in ("report", "coverage", "source", "a_document")}
        return {"unreadable document": text}


def _parsed_body(row: sqlite3.Row) -> dict[str, Any] | None:
    kind = row["kind"]
    if kind in ("report", "coverage", "source", "incident", "finding", "review", "publication"):
        document = row[kind]
        return None if document is None else dict(json.loads(document))
    if kind == "quarantine":
        return None if row["id"] is None else quarantine_body(row)
    if kind == "agreement":
        values = tuple(row["a_" + c.strip()] for c in AGREEMENT_COLUMNS.split(","))
        return None if values[0] is None else agreement_body(values)
    return None
