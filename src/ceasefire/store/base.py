"""The one interface through which the core reaches storage, and the write-path design.

Implementations: SQLite (the embedded default: one file, no server), an in-memory store (pure
Python, for tests) and PostgreSQL with PostGIS (a mission's server). The same test suite,
``tests/store/``, runs against every implementation.

The contract every implementation keeps:

* **Append-only.** Nothing stored is updated or deleted through this interface. Writing a record
  whose id is already stored leaves the stored one exactly as it was.
* **One call, one transaction.** :meth:`Store.write_intake` stores a whole batch or nothing, so a
  crash never leaves half a batch; intake prints its receipt only after the call returns.
* **Decide inside the transaction, from what is stored.** The outcome of each record is decided
  by the store while it holds the write lock, never from a read made before it:

  1. take the write lock first (SQLite ``BEGIN IMMEDIATE``; PostgreSQL: a transaction-scoped
     advisory lock, or ``INSERT … ON CONFLICT DO NOTHING RETURNING id`` and then reading back
     the ids not returned, which sees rows committed by the racing writer);
  2. read the stored ``content_sha256`` of the batch's ids (one indexed column per chunk);
  3. per record: not stored → insert; stored with the same digest → ``duplicates``; stored with
     another digest → ``conflicts`` (field ``source_ref``, :func:`~ceasefire.intake.batch.
     conflict_reason`), and the record is quarantined *in the same transaction* from the
     batch's :class:`~ceasefire.intake.batch.Arrival` via
     :func:`~ceasefire.intake.batch.conflict_entry`. A record whose source is registered with
     another kind is a conflict on ``source.kind``. A second copy of an id within one batch is
     judged against the first.
  4. return :class:`~ceasefire.intake.batch.IntakeWritten`: every report/coverage id of the
     batch in exactly one of inserted (``reports``/``coverage``), ``duplicates``,
     ``conflicts``. Intake reports ``accepted`` only for ids the store says it inserted, so two
     processes can never both acknowledge one record, and a loser is never acknowledged.

  Intake's own ``content_digests`` look-up before the write is only a fast path for records
  already stored (append-only: that answer can no longer change).
* **Wait for the lock, then fail in one sentence.** A writer that meets another's lock waits
  (busy timeout, retry with backoff) up to a budget, then raises
  :class:`~ceasefire.errors.StoreBusy` with nothing of the step written; intake turns that into
  :class:`~ceasefire.intake.receipt.IntakeInterrupted`, which carries the receipt of what
  committed before.
* **Logged in the same transaction.** Every record written is appended to the ledger (an
  RFC 6962 Merkle log, :mod:`ceasefire.ledger`) inside the transaction that stores it, in the
  order sources, reports, coverage, quarantine; the entry is the canonical JSON of the record's
  stored form, so the store can always be audited against the log
  (:func:`ceasefire.ledger.audit.audit`). Columns kept beside a document are derived from it
  and checked against it by the audit: the content digest travels on
  :class:`~ceasefire.ledger.audit.LoggedRecord` (``content_sha256``) and is recomputed in the
  leaf's own serialisation pass; every other column (coordinates, times, kinds, evidence and
  membership rows, arrival order) is recomputed by :meth:`Store.derived_problems`.
* **Serialise once.** Intake hands the store each record's RFC 8785 body and content digest
  (:attr:`~ceasefire.intake.batch.IntakeBatch.bodies`, ``digests``); the store keeps that text
  as the document and builds the ledger entry from it
  (:func:`~ceasefire.ledger.canonical.entry_from_canonical`) without serialising again.
* **Migrate on read.** Documents are returned in the current layout, whatever layout they were
  stored in (see :mod:`ceasefire.model.migration`).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from types import TracebackType
from typing import Any

from ceasefire.agreement.stored import StoredAgreement
from ceasefire.intake.batch import IntakeBatch, IntakeWritten
from ceasefire.ledger.audit import LoggedRecord, StoredCheckpoint
from ceasefire.ledger.storage import LeafRef
from ceasefire.model.coverage import Coverage
from ceasefire.model.finding import Finding
from ceasefire.model.incident import Incident
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.query import ReportQuery
from ceasefire.model.report import Report
from ceasefire.model.review import ReviewDecision
from ceasefire.model.source import Source
from ceasefire.publication.access import Credential, User
from ceasefire.publication.record import Publication

__all__ = ["LEDGER_KINDS", "Store", "StoreCounts"]

#: The kinds of record the ledger holds, as they appear in its entries.
LEDGER_KINDS = (
    "source", "report", "coverage", "quarantine", "agreement", "incident", "finding", "review",
    "publication",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class StoreCounts:
    """How many records of each kind the store holds."""

    reports: int
    coverage: int
    quarantined: int
    sources: int
    agreement_versions: int
    incidents: int = 0  # current ones (not superseded)
    findings: int = 0  # every finding stored, current or not
    reviews: int = 0


class Store(ABC):  # implements IntakeStore and LogStore, and will grow one protocol per stage
    """Storage for reports, coverage, sources, quarantine and agreement versions."""

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    @abstractmethod
    def close(self) -> None:
        """Release the connection; the store is unusable afterwards."""

    # -- writing ---------------------------------------------------------------------------

    @abstractmethod
    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch in one transaction, deciding each record's outcome inside it.

        Records already stored (by id) are left unchanged and come back as duplicates or
        conflicts (see the module docstring); conflicts with an arrival are quarantined in the
        same transaction. Sources already registered are left unchanged too: the first
        definition of a source stays its registration.

        Raises:
            StoreBusy: another writer held the lock for longer than the store waits.
        """

    @abstractmethod
    def add_agreement(self, agreement: StoredAgreement) -> bool:
        """Store an agreement version; return ``False`` if that (id, version) is already stored.

        Raises:
            StoreError: the same (id, version) is stored with different content; a new text
                needs a new version.
        """

    @abstractmethod
    def write_incidents(self, incidents: Collection[Incident]) -> frozenset[str]:
        """Store incidents and log each, in one transaction; return the ids actually inserted.

        An incident whose id is already stored is left unchanged (fusing again writes nothing).
        An incident that replaces another names it in ``supersedes``; the old one stays stored.
        """

    @abstractmethod
    def write_findings(self, findings: Sequence[Finding]) -> int:
        """Append findings in one transaction, each logged; return how many were new.

        A finding already stored (same id: same question, same answer) is left as it was.
        """

    @abstractmethod
    def add_review(self, decision: ReviewDecision) -> None:
        """Append one review decision, logged in the same transaction (never edited)."""

    # -- reading ---------------------------------------------------------------------------

    def iter_unfused_reports(self) -> Iterator[Report]:
        """Yield stored reports that are in no incident (current or superseded), in arrival order.

        A superseded incident's reports are all in the incident that supersedes it, so these
        are exactly the reports fusion has not taken yet. This default reads every report; a
        store with an index of incident members (SQLite) answers in one query instead.
        """
        fused = {rid for incident in self.iter_incidents() for rid in incident.report_ids}
        return (report for report in self.iter_reports() if report.id not in fused)

    @abstractmethod
    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents (those no stored incident supersedes), oldest first."""

    @abstractmethod
    def get_incident(self, incident_id: str) -> Incident:
        """Return one incident, current or superseded.

        Raises:
            NotFound: no incident has that id.
        """

    @abstractmethod
    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""

    @abstractmethod
    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""

    @abstractmethod
    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports in arrival order, migrated to the current layout."""

    def query_reports(self, query: ReportQuery) -> Iterator[Report]:
        """Yield the reports that answer ``query`` in arrival order, at most ``query.limit``.

        This is the definition (:meth:`ReportQuery.matches` over every report); an
        implementation may answer faster, and the contract tests hold it to the same answer.
        """
        return islice((r for r in self.iter_reports() if query.matches(r)), query.limit)

    def record_ids_with_prefix(self, prefix: str, limit: int = 2) -> list[str]:
        """Return up to ``limit`` ids of logged records that start with ``prefix``, sorted.

        The CLI takes a unique prefix wherever it takes an id, as git does; asking for two tells
        "unique" from "ambiguous". This definition reads the whole log; implementations should
        answer from an index.
        """
        found = sorted({r.record_id for r in self.iter_logged() if r.record_id.startswith(prefix)})
        return found[:limit]

    @abstractmethod
    def get_report(self, report_id: str) -> Report:
        """Return one report.

        Raises:
            NotFound: no report has that id.
        """

    @abstractmethod
    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield stored coverage records in arrival order."""

    @abstractmethod
    def iter_quarantine(self) -> Iterator[QuarantinedRecord]:
        """Yield quarantined inputs in arrival order."""

    @abstractmethod
    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored agreement versions, oldest ``in_force_from`` first."""

    @abstractmethod
    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the current finding of each question (the newest per key), oldest first;
        findings of superseded incidents are left out.

        Args:
            verdict: only findings with this verdict.
            clause_id: only findings against this clause.
        """

    @abstractmethod
    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions in the order they were taken (of one incident, or all)."""

    @abstractmethod
    def counts(self) -> StoreCounts:
        """Return how many records of each kind are stored."""

    def agreement_in_force(self, agreement_id: str, at: datetime) -> StoredAgreement | None:
        """Return the version of ``agreement_id`` in force at ``at`` (the latest begun by then)."""
        in_force = [v for v in self.agreement_versions(agreement_id) if v.in_force_from <= at]
        return in_force[-1] if in_force else None

    # -- spatial queries -------------------------------------------------------------------
    # Geometries are GeoJSON geometry mappings in WGS84 (lon, lat), so stages pass them without
    # importing a store or a geometry library. PostgreSQL answers in SQL (PostGIS, GiST indexes),
    # SQLite in shapely/numpy; tests/store/test_spatial_queries.py holds the two to one answer.

    @abstractmethod
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
        """Return the ids of reports meeting every condition given, in arrival order.

        Only reports with a point estimate can match. Conditions left ``None`` do not filter.

        Args:
            start, end: ``observed_at`` in ``[start, end)``.
            bbox: (min lon, min lat, max lon, max lat), edges included.
            near, within_m: the point lies within ``within_m`` metres (on the ellipsoid) of
                the geometry ``near``, e.g. the contact line; both or neither.
            inside: the point intersects the geometry (a zone), boundary included.
        """

    @abstractmethod
    def coverage_where(
        self,
        *,
        start: datetime | None = None,
        end: datetime | None = None,
        sector: dict[str, Any] | None = None,
    ) -> list[str]:
        """Return the ids of coverage records whose window overlaps ``[start, end)`` and whose
        sector intersects ``sector``, in arrival order."""

    # -- the ledger ------------------------------------------------------------------------

    @abstractmethod
    def ledger_origin(self) -> str:
        """Return the log's origin: the unique name its checkpoints are signed under."""

    @abstractmethod
    def ledger_size(self) -> int:
        """Return the number of leaves in the log."""

    @abstractmethod
    def ledger_root(self, size: int | None = None) -> bytes:
        """Return the root of the log at ``size`` leaves (default: all of them)."""

    @abstractmethod
    def ledger_leaf(self, record_id: str, kind: str | None = None) -> LeafRef | None:
        """Return where a record sits in the log, or ``None`` if it is not logged."""

    @abstractmethod
    def ledger_inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the RFC 6962 inclusion proof of leaf ``index`` in the tree of ``size`` leaves."""

    @abstractmethod
    def ledger_consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Return the RFC 6962 consistency proof between two sizes of the log."""

    @abstractmethod
    def iter_logged(self) -> Iterator[LoggedRecord]:
        """Yield every leaf, in order, with the stored form of the record it names."""

    @abstractmethod
    def iter_ledger_nodes(self) -> Iterator[tuple[int, int, bytes]]:
        """Yield every stored tree node as (level, index, hash), by level then index."""

    @abstractmethod
    def derived_problems(self) -> Iterator[str]:
        """Yield each stored column kept beside a document that differs from the document.

        Every column an implementation keeps for queries (coordinates, times, kinds, digests,
        evidence rows, arrival order) must be recomputed from the document here, so that no
        copy can be edited unseen by ``ledger verify``.
        """

    @abstractmethod
    def unlogged_records(self) -> list[tuple[str, str]]:
        """Return (kind, id) of stored records that have no leaf (should always be empty)."""

    @abstractmethod
    def record_body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """Return the stored form of one record, as the ledger entry serialises it."""

    @abstractmethod
    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint (appended; never replaced)."""

    @abstractmethod
    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the stored checkpoints, oldest first."""

    # -- access (users and API tokens by hash; not ledger records) ---------------------------

    @abstractmethod
    def add_user(self, user: User) -> None:
        """Register a user.

        Raises:
            StoreError: the name is taken.
        """

    @abstractmethod
    def users(self) -> Sequence[User]:
        """Return every user, by name."""

    @abstractmethod
    def add_credential(self, credential: Credential) -> None:
        """Keep a new token's hash.

        Raises:
            NotFound: no such user.
        """

    @abstractmethod
    def revoke_credential(self, token_sha256: str, at: datetime) -> None:
        """Append the revocation of a token.

        Raises:
            NotFound: no such token.
        """

    @abstractmethod
    def credentials(self) -> Sequence[Credential]:
        """Return every token hash with its revocation time, if any."""

    # -- publications (issued documents by hash; ledger records) ----------------------------

    @abstractmethod
    def add_publication(self, publication: Publication) -> bool:
        """Keep an issued document's record, logged in the same transaction.

        Returns ``False`` when that document (by hash) was already kept.
        """

    @abstractmethod
    def publications(self) -> list[Publication]:
        """Return the issued documents, oldest first."""
