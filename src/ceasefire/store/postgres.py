"""The server store: PostgreSQL with PostGIS, for a mission headquarters with many writers.

The embedded SQLite file stays the laptop and demo default; this is the deployment. It keeps the
same contract (:mod:`ceasefire.store.base`) and the same schema (:mod:`._postgres_schema`), and
differs where a server allows more:

* **Many writers at once.** A connection pool (psycopg_pool) per store object, and any number of
  processes on one database. Whether a record is new is decided by the unique constraints and
  ``INSERT … ON CONFLICT DO NOTHING RETURNING`` (never check-then-insert): the ids the database
  returns are the ids this transaction inserted, and only those are logged
  (:mod:`._postgres_intake`).
* **One ordered log.** Each write transaction holds a transaction-scoped advisory lock, so
  writes (not reads) take turns and the arrival order is the log's order
  (see :mod:`._postgres_ledger`).
* **Spatial queries in SQL**, answered by PostGIS on GiST indexes (:mod:`._postgres_queries`).
* **Append-only in the database**: triggers refuse UPDATE, DELETE and TRUNCATE on every table.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any, TypeVar

import psycopg
import psycopg_pool

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
from ceasefire.model.report import Report
from ceasefire.model.review import ReviewDecision
from ceasefire.model.source import Source, source_from_dict
from ceasefire.publication.access import Credential, User
from ceasefire.publication.record import Publication
from ceasefire.store import _postgres_access as access_sql
from ceasefire.store import _postgres_findings as finding_sql
from ceasefire.store import _postgres_incidents as incident_sql
from ceasefire.store import _postgres_queries as queries
from ceasefire.store._documents import (
    AGREEMENT_COLUMNS,
    QUARANTINE_COLUMNS,
    agreement_body,
    agreement_record_id,
    quarantine_body,
)
from ceasefire.store._postgres_derived import derived_problems
from ceasefire.store._postgres_intake import stored_values, write_intake_batch
from ceasefire.store._postgres_ledger import PostgresLog, PostgresNodes, persisted_size
from ceasefire.store._postgres_schema import MIGRATIONS
from ceasefire.store._sqlite_ledger import damage_reported
from ceasefire.store._sqlite_rows import coverage_of, json_text, report_of, utc_text
from ceasefire.store.base import Store, StoreCounts

__all__ = ["PostgresStore", "redacted"]

_T = TypeVar("_T")
#: Serialises schema migrations of one database between processes opening it at once.
_MIGRATION_LOCK = 0x6365617365666973

Connection = psycopg.Connection[tuple[Any, ...]]


def redacted(url: str) -> str:
    """Return a connection URL without its password, fit for messages and logs."""
    info = psycopg.conninfo.conninfo_to_dict(url)
    user, host = info.get("user", ""), info.get("host", "localhost")
    return f"postgresql://{user}@{host}:{info.get('port', 5432)}/{info.get('dbname', '')}"


class PostgresStore(Store):
    """The :class:`Store` on a PostgreSQL database with PostGIS.

    Args:
        url: a libpq connection URL, ``postgresql://user@host:port/dbname``. The database must
            exist; its schema is created or upgraded on open (PostGIS is enabled by the first
            migration, which needs the right to ``CREATE EXTENSION``).
        origin: the ledger's origin, used only when the schema is created.
        pool_size: the most connections this store object opens at once.

    Raises:
        StoreError: the server cannot be reached, or refuses the connection.
        SchemaTooNew: the database was written by a newer ceasefire.
    """

    def __init__(self, url: str, *, origin: str | None = None, pool_size: int = 4) -> None:
        self.url = url
        if origin is not None:
            Checkpoint(origin, 0, EMPTY_ROOT)  # refuses an origin no checkpoint could carry
        self._pool: psycopg_pool.ConnectionPool[Connection] = psycopg_pool.ConnectionPool(
            url, min_size=1, max_size=pool_size, open=False, timeout=60, configure=_configure
        )
        try:
            self._pool.open(wait=True, timeout=10)
        except (psycopg_pool.PoolTimeout, psycopg.Error) as error:
            self._pool.close()
            raise StoreError(
                f"cannot connect to PostgreSQL at {redacted(url)}: {error}. Is the server running"
                " and the database created (createdb)?"
            ) from None
        self._log = PostgresLog()
        try:
            self._migrate(origin)
        except BaseException:
            self._pool.close()
            raise

    @property
    def schema_version(self) -> int:
        """The schema version of the open database."""
        with self._pool.connection() as db:
            return _schema_version(db)

    def _migrate(self, origin: str | None) -> None:
        with self._pool.connection() as db, db.transaction():
            db.execute("SELECT pg_advisory_xact_lock(%s)", (_MIGRATION_LOCK,))
            current = _schema_version(db)
            if current > len(MIGRATIONS):
                raise SchemaTooNew(
                    f"{redacted(self.url)} has schema version {current}; this ceasefire knows up"
                    f" to {len(MIGRATIONS)}: upgrade ceasefire"
                )
            for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
                db.execute(script)
                db.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (number,))
                if number == 1:
                    # A log's origin names it uniquely and forever; its checkpoints carry it.
                    db.execute(
                        "INSERT INTO meta (key, value) VALUES ('ledger_origin', %s)",
                        (origin or f"ceasefire.invalid/log/{uuid.uuid4()}",),
                    )

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._pool.connection() as db:
            yield db

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        """Run ``work`` in one transaction holding the log's lock; write its leaves; COMMIT."""
        try:
            with self._pool.connection() as db, db.transaction():
                self._log.begin(db)
                result = work(db)
                self._log.flush(db)
            return result
        except BaseException:
            self._log.rollback()
            raise

    # -- writing ---------------------------------------------------------------------------

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch in one transaction, leaving anything already stored untouched."""
        return self._write(lambda db: write_intake_batch(db, self._log, batch))

    def add_agreement(self, agreement: StoredAgreement) -> bool:
        """Store an agreement version, refusing a changed text under an existing version."""
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

        def insert(db: Connection) -> bool:
            row = db.execute(
                f"INSERT INTO agreements ({AGREEMENT_COLUMNS}) VALUES"
                " (%s, %s, %s, %s, %s, %s, %s, %s)"
                " ON CONFLICT (agreement_id, version) DO NOTHING RETURNING seq",
                values,
            ).fetchone()
            if row is not None:
                self._log.append("agreement", agreement_record_id(values), agreement_body(values))
                return True
            stored = db.execute(
                "SELECT sha256 FROM agreements WHERE agreement_id = %s AND version = %s",
                values[:2],
            ).fetchone()
            if stored is not None and stored[0] != agreement.sha256:
                raise StoreError(
                    f"agreement {agreement.agreement_id} version {agreement.version} is "
                    "already stored with a different text; give the new text a new version"
                )
            return False

        return self._write(insert)

    def write_incidents(self, incidents: Collection[Incident]) -> frozenset[str]:
        """Store incidents not yet stored, each logged in the same transaction."""
        return self._write(lambda db: incident_sql.insert_incidents(db, self._log, incidents))

    def add_publication(self, publication: Publication) -> bool:
        """Keep an issued document's record, logged in the same transaction."""
        return self._write(lambda db: access_sql.add_publication(db, self._log, publication))

    def publications(self) -> list[Publication]:
        """Return the issued documents, oldest first."""
        with self._read() as db:
            return access_sql.publications(db)

    def add_user(self, user: User) -> None:
        """Register a user; a name already taken is refused."""
        self._write(lambda db: access_sql.add_user(db, user))

    def users(self) -> Sequence[User]:
        """Return every user, by name."""
        with self._read() as db:
            return access_sql.users(db)

    def add_credential(self, credential: Credential) -> None:
        """Keep a token's hash for a registered user."""
        self._write(lambda db: access_sql.add_credential(db, credential))

    def revoke_credential(self, token_sha256: str, at: datetime) -> None:
        """Append the revocation of a token."""
        self._write(lambda db: access_sql.revoke_credential(db, token_sha256, at))

    def credentials(self) -> Sequence[Credential]:
        """Return every token hash, with its revocation time if any."""
        with self._read() as db:
            return access_sql.credentials(db)

    def write_findings(self, findings: Sequence[Finding]) -> int:
        """Append findings in one transaction, each logged; return how many were new."""
        return self._write(lambda db: finding_sql.insert_findings(db, self._log, findings))

    def add_review(self, decision: ReviewDecision) -> None:
        """Append one review decision, logged in the same transaction."""
        self._write(lambda db: finding_sql.insert_review(db, self._log, decision))

    # -- reading ---------------------------------------------------------------------------

    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the newest finding of each key, oldest first, optionally filtered."""
        with self._read() as db:
            found = list(finding_sql.iter_findings(db, verdict, clause_id))
        yield from found

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions in the order they were taken."""
        with self._read() as db:
            found = list(finding_sql.iter_reviews(db, incident_id))
        yield from found

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents, oldest first (read whole: a caller may write meanwhile)."""
        with self._read() as db:
            found = list(incident_sql.iter_current_incidents(db))
        yield from found

    def get_incident(self, incident_id: str) -> Incident:
        """Return one incident by id, current or superseded."""
        with self._read() as db:
            return incident_sql.get_incident(db, incident_id)

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""
        wanted = list(ids)
        with self._read() as db:
            found = stored_values(db, "reports", "content_sha256", wanted)
            found.update(stored_values(db, "coverage", "content_sha256", wanted))
        return {key: str(value) for key, value in found.items()}

    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""
        with self._read() as db:
            rows = db.execute("SELECT document FROM sources ORDER BY id").fetchall()
        found = (source_from_dict(json.loads(row[0])) for row in rows)
        return {source.id: source for source in found}

    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports in arrival order, migrated to the current layout (streamed)."""
        for (document,) in self._stream(
            "SELECT document FROM reports ORDER BY seq LIMIT %s", (limit,)
        ):
            yield report_of(json.loads(document))

    def get_report(self, report_id: str) -> Report:
        """Return one report by id."""
        with self._read() as db:
            row = db.execute("SELECT document FROM reports WHERE id = %s", (report_id,)).fetchone()
        if row is None:
            raise NotFound(f"no report with id {report_id!r}")
        return report_of(json.loads(row[0]))

    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield coverage records in arrival order."""
        for (document,) in self._stream("SELECT document FROM coverage ORDER BY seq"):
            yield coverage_of(json.loads(document))

    def iter_quarantine(self) -> Iterator[QuarantinedRecord]:
        """Yield quarantined inputs in arrival order."""
        columns = ", ".join(QUARANTINE_COLUMNS)
        for row in self._stream(f"SELECT {columns} FROM quarantine ORDER BY seq"):
            values = dict(zip(QUARANTINE_COLUMNS, row, strict=True))
            values["received_at"] = datetime.fromisoformat(values["received_at"])
            yield QuarantinedRecord(**values)

    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored versions, oldest ``in_force_from`` first."""
        query = f"SELECT {AGREEMENT_COLUMNS} FROM agreements"
        parameters: tuple[Any, ...] = ()
        if agreement_id is not None:
            query += " WHERE agreement_id = %s"
            parameters = (agreement_id,)
        with self._read() as db:
            rows = db.execute(query + " ORDER BY in_force_from, seq", parameters).fetchall()
        return [
            StoredAgreement(
                agreement_id=row[0],
                version=row[1],
                title=row[2],
                in_force_from=datetime.fromisoformat(row[3]),
                sha256=row[4],
                source_text=row[5],
                document=json.loads(row[6]),
                loaded_at=datetime.fromisoformat(row[7]),
            )
            for row in rows
        ]

    def counts(self) -> StoreCounts:
        """Return how many records of each kind are stored."""
        with self._read() as db:
            row = db.execute(
                "SELECT (SELECT count(*) FROM reports), (SELECT count(*) FROM coverage),"
                " (SELECT count(*) FROM quarantine), (SELECT count(*) FROM sources),"
                " (SELECT count(*) FROM agreements),"
                f" (SELECT count(*) FROM ({incident_sql.CURRENT_INCIDENTS}) AS current),"
                " (SELECT count(*) FROM findings), (SELECT count(*) FROM reviews)"
            ).fetchone()
        assert row is not None
        return StoreCounts(*(int(value) for value in row))

    def _stream(self, query: str, parameters: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        """Yield a query's rows through a server-side cursor, so 10^6 rows need little memory."""
        with (
            self._read() as db,
            db.transaction(),
            db.cursor(name=f"scan_{uuid.uuid4().hex}") as cursor,
        ):
            cursor.itersize = 2_000
            cursor.execute(query, parameters)
            yield from cursor

    # -- spatial queries -------------------------------------------------------------------

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
        """Return the ids of reports matching every condition given, in arrival order (PostGIS)."""
        where, parameters = queries.report_conditions(start, end, bbox, near, within_m, inside)
        with self._read() as db:
            rows = db.execute(f"SELECT id FROM reports WHERE {where} ORDER BY seq", parameters)
            return [str(row[0]) for row in rows]

    def coverage_where(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        sector: dict[str, Any] | None = None,
    ) -> list[str]:
        """Return the ids of coverage records over ``sector`` during the window (PostGIS)."""
        where, parameters = queries.coverage_conditions(start, end, sector)
        with self._read() as db:
            rows = db.execute(f"SELECT id FROM coverage WHERE {where} ORDER BY seq", parameters)
            return [str(row[0]) for row in rows]

    # -- the ledger ------------------------------------------------------------------------

    def ledger_origin(self) -> str:
        """Return the log's origin, fixed when the store was created."""
        with self._read() as db:
            row = db.execute("SELECT value FROM meta WHERE key = 'ledger_origin'").fetchone()
        if row is None:
            raise LedgerError(
                "the store is damaged: its ledger origin (meta.ledger_origin) is gone"
            )
        return str(row[0])

    def ledger_size(self) -> int:
        """Return the number of leaves."""
        with self._read() as db:
            return persisted_size(db)

    def ledger_root(self, size: int | None = None) -> bytes:
        """Return the root at ``size`` leaves, computed from the persisted nodes."""
        with self._read() as db, db.transaction():
            # One snapshot: the size and the nodes it reads agree even while others append.
            db.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            at = persisted_size(db) if size is None else size
            return damage_reported(lambda: root_at(at, PostgresNodes(db)))

    def ledger_leaf(self, record_id: str, kind: str | None = None) -> LeafRef | None:
        """Return where a record sits in the log."""
        query = "SELECT idx, kind, leaf_hash FROM ledger_leaves WHERE record_id = %s"
        parameters: tuple[str, ...] = (record_id,)
        if kind is not None:
            query += " AND kind = %s"
            parameters = (record_id, kind)
        with self._read() as db:
            row = db.execute(query + " ORDER BY idx LIMIT 1", parameters).fetchone()
        return None if row is None else LeafRef(int(row[0]), str(row[1]), record_id, bytes(row[2]))

    def ledger_inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the inclusion proof of leaf ``index`` in the tree of ``size``."""
        with self._read() as db:
            return damage_reported(lambda: inclusion_proof(index, size, PostgresNodes(db)))

    def ledger_consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Return the consistency proof between two sizes."""
        with self._read() as db:
            nodes = PostgresNodes(db)
            return damage_reported(lambda: consistency_proof(size1, size2, nodes))

    def iter_logged(self) -> Iterator[LoggedRecord]:
        """Yield every leaf with the stored form of its record, in one ordered, streamed scan."""
        for row in self._stream(queries.LOGGED_SELECT + " ORDER BY l.idx"):
            yield _logged(row)

    def iter_ledger_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Yield every stored tree node, by level then index (the primary key's order)."""
        for row in self._stream("SELECT level, idx, hash FROM ledger_nodes ORDER BY level, idx"):
            yield int(row[0]), int(row[1]), bytes(row[2])

    def derived_problems(self) -> Iterator[str]:
        """Yield each column that differs from its document (see ``_postgres_derived``)."""
        with self._read() as db:
            found = list(derived_problems(db))
        yield from found

    def unlogged_records(self) -> list[tuple[str, str]]:
        """Return (kind, id) of stored records without a leaf."""
        with self._read() as db:
            rows = db.execute(queries.UNLOGGED_SELECT).fetchall()
        return [(str(row[0]), str(row[1])) for row in rows]

    def record_body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """Return one record's stored form, as its ledger entry serialises it."""
        leaf = self.ledger_leaf(record_id, kind)
        if leaf is None:
            return None
        with self._read() as db:
            row = db.execute(queries.LOGGED_SELECT + " WHERE l.idx = %s", (leaf.index,)).fetchone()
        body = None if row is None else _logged(row).body
        return None if body is None else dict(body)

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint."""
        with self._pool.connection() as db, db.transaction():
            db.execute(
                "INSERT INTO checkpoints (size, root, note, created_at) VALUES (%s, %s, %s, %s)",
                (
                    checkpoint.size,
                    checkpoint.root,
                    checkpoint.note.decode("utf-8"),
                    checkpoint.created_at,
                ),
            )

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the stored checkpoints, oldest first."""
        with self._read() as db:
            rows = db.execute(
                "SELECT size, root, note, created_at FROM checkpoints ORDER BY seq"
            ).fetchall()
        return [
            StoredCheckpoint(int(row[0]), bytes(row[1]), str(row[2]).encode("utf-8"), row[3])
            for row in rows
        ]


def _configure(db: Connection) -> None:
    """Set up each new pooled connection.

    JIT off: the store's queries are short and selective, and PostgreSQL's JIT compile (half a
    second in the benchmark's spatial query) costs more than it ever saves them.
    """
    db.autocommit = True
    db.execute("SET jit = off")
    db.autocommit = False


def _schema_version(db: Connection) -> int:
    row = db.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()
    if row is None or not row[0]:
        return 0
    found = db.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchone()
    return 0 if found is None else int(found[0])


def _logged(row: tuple[Any, ...]) -> LoggedRecord:
    """Build a leaf with its record's body from a row of :data:`queries.LOGGED_SELECT`.

    A document that is no longer JSON comes back as its text under ``unreadable document``,
    which cannot hash to any leaf: the audit reports it by id instead of stopping (as SQLite's).
    """
    index, kind, record_id, leaf = row[:4]
    try:
        body = _logged_body(str(kind), row)
    except ValueError:
        body = {"unreadable document": [row[4], row[18], *row[20:24]]}
    return LoggedRecord(int(index), str(kind), str(record_id), bytes(leaf), body)


#: Where each document-logged kind's document sits in a row of :data:`queries.LOGGED_SELECT`.
_DOCUMENT_AT = {
    "report": 4,
    "coverage": 4,
    "source": 4,
    "incident": 20,
    "finding": 21,
    "review": 22,
    "publication": 23,
}


def _logged_body(kind: str, row: tuple[Any, ...]) -> dict[str, Any] | None:
    if kind in _DOCUMENT_AT:
        document = row[_DOCUMENT_AT[kind]]
        return None if document is None else dict(json.loads(document))
    if kind == "quarantine" and row[5] is not None:
        return quarantine_body(dict(zip(QUARANTINE_COLUMNS, row[5:12], strict=True)))
    if kind == "agreement" and row[12] is not None:
        return agreement_body(row[12:20])
    return None
