"""An in-memory store in plain Python (``memory://``): the second implementation of the contract.

Why it exists: it runs the whole contract suite in ``tests/store/`` with no database, which
makes those tests fast and proves that :class:`~ceasefire.store.base.Store` is an interface and
not a description of SQLite. It keeps everything the contract promises — append-only, one call
one transaction (a batch is checked completely before anything is applied), the decision new /
duplicate / conflict made at write time from what is stored, every record logged in the same
call — but nothing survives the process. ``open_store(":memory:")`` is still SQLite in memory.

Records are kept as their stored JSON documents (copied in and out), so a reader never shares
an object with the store and reads back exactly what SQLite would give.
"""

from __future__ import annotations

import copy
import uuid
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from ceasefire.agreement.stored import StoredAgreement
from ceasefire.errors import NotFound, StoreError
from ceasefire.intake.batch import (
    Conflict,
    IntakeBatch,
    IntakeWritten,
    conflict_entry,
    conflict_reason,
    source_kind_reason,
)
from ceasefire.ledger import EMPTY_ROOT, Checkpoint, consistency_proof, inclusion_proof, root_at
from ceasefire.ledger.audit import LoggedRecord, StoredCheckpoint
from ceasefire.ledger.canonical import content_digest, entry_bytes
from ceasefire.ledger.merkle import Frontier, Node, NodeKey, leaf_hash
from ceasefire.ledger.storage import LeafRef
from ceasefire.model.coverage import Coverage
from ceasefire.model.finding import Finding, finding_from_dict
from ceasefire.model.incident import Incident, incident_from_dict
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report
from ceasefire.model.review import ReviewDecision, review_from_dict
from ceasefire.model.source import Source, source_from_dict
from ceasefire.publication.access import Credential, User
from ceasefire.publication.record import Publication
from ceasefire.store._sqlite_rows import coverage_of, report_of
from ceasefire.store.base import Store, StoreCounts

__all__ = ["MemoryStore"]


class _Log:
    """The ledger: leaves, complete-subtree nodes (a NodeReader) and the frontier."""

    def __init__(self) -> None:
        self.leaves: list[tuple[str, str, bytes]] = []
        self.index: dict[tuple[str, str], int] = {}
        self.nodes: dict[NodeKey, bytes] = {}
        self.frontier = Frontier()

    def append(self, kind: str, record_id: str, body: Mapping[str, Any]) -> None:
        leaf = leaf_hash(entry_bytes(kind, record_id, body))
        self.index[(kind, record_id)] = len(self.leaves)
        self.leaves.append((kind, record_id, leaf))
        for level, index, value in self.frontier.append(leaf):
            self.nodes[(level, index)] = value

    def get(self, level: int, index: int) -> bytes:
        return self.nodes[(level, index)]

    def get_many(self, keys: Sequence[NodeKey]) -> list[bytes]:
        return [self.nodes[key] for key in keys]


class MemoryStore(Store):
    """The :class:`Store` in this process's memory.

    Args:
        origin: the ledger's origin (default: a random one under ``ceasefire.invalid/log/``).
    """

    def __init__(self, *, origin: str | None = None) -> None:
        if origin is not None:
            Checkpoint(origin, 0, EMPTY_ROOT)  # refuses an origin no checkpoint could carry
        self._origin = origin or f"ceasefire.invalid/log/{uuid.uuid4()}"
        # kind -> id -> stored body (the ledger entry's body), in arrival order.
        self._bodies: dict[str, dict[str, dict[str, Any]]] = {
            kind: {} for kind in ("source", "report", "coverage", "quarantine", "agreement")
        }
        self._bodies["incident"] = {}
        self._bodies["finding"] = {}
        self._bodies["review"] = {}
        self._bodies["publication"] = {}
        self._users: dict[str, User] = {}
        self._credentials: dict[str, Credential] = {}
        self._digests: dict[str, str] = {}
        self._log = _Log()
        self._checkpoints: list[StoredCheckpoint] = []
        self._closed = False

    def close(self) -> None:
        """Forget nothing (there is nowhere to write) but refuse further use."""
        self._closed = True

    def _open(self) -> None:
        if self._closed:
            raise StoreError("the memory store is closed")

    def _keep(self, kind: str, record_id: str, body: Mapping[str, Any]) -> None:
        """Store one record and append its leaf (the caller has checked everything first)."""
        kept = copy.deepcopy(dict(body))
        self._bodies[kind][record_id] = kept
        self._log.append(kind, record_id, kept)

    # -- writing ---------------------------------------------------------------------------

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch all-or-nothing, deciding new / duplicate / conflict from what is kept."""
        self._open()
        sources = {s.id: s.kind.value for s in batch.sources if s.id not in self._bodies["source"]}
        registered = {i: b["kind"] for i, b in self._bodies["source"].items()} | sources
        plan: list[tuple[str, Report | Coverage, str]] = []
        duplicates: set[str] = set()
        conflicts: dict[str, Conflict] = {}
        quarantine: dict[str, QuarantinedRecord] = {}
        seen = dict(self._digests)
        for kind, records in (("report", batch.reports), ("coverage", batch.coverage)):
            for record in records:
                digest = batch.digests.get(record.id) or content_digest(record.content())
                field, reason = self._refusal(record, digest, seen, registered)
                if field is None and reason is None:
                    if record.source.id not in registered:
                        raise StoreError(
                            f"FOREIGN KEY constraint failed: {kind} {record.id} names source "
                            f"{record.source.id!r}, which is not registered"
                        )
                    plan.append((kind, record, digest))
                    seen[record.id] = digest
                elif field is None:
                    duplicates.add(record.id)
                else:
                    assert reason is not None
                    arrival = batch.arrivals.get(record.id)
                    entry = None if arrival is None else conflict_entry(arrival, field, reason)
                    if entry is not None:
                        quarantine.setdefault(entry.id, entry)
                    entry_id = None if entry is None else entry.id
                    conflicts[record.id] = Conflict(field, reason, seen.get(record.id), entry_id)
        for item in batch.quarantined:
            quarantine.setdefault(item.id, item)
        return self._apply(batch, plan, duplicates, conflicts, quarantine)

    def _apply(
        self,
        batch: IntakeBatch,
        plan: list[tuple[str, Report | Coverage, str]],
        duplicates: set[str],
        conflicts: dict[str, Conflict],
        quarantine: dict[str, QuarantinedRecord],
    ) -> IntakeWritten:
        for source in batch.sources:
            if source.id not in self._bodies["source"]:
                self._keep("source", source.id, source.to_dict())
        inserted: dict[str, set[str]] = {"report": set(), "coverage": set()}
        for kind, record, digest in plan:
            self._keep(kind, record.id, record.to_dict())
            self._digests[record.id] = digest
            inserted[kind].add(record.id)
        new_quarantine = set()
        for item in quarantine.values():
            if item.id not in self._bodies["quarantine"]:
                self._keep("quarantine", item.id, item.to_dict())
                new_quarantine.add(item.id)
        return IntakeWritten(
            reports=frozenset(inserted["report"]),
            coverage=frozenset(inserted["coverage"]),
            quarantined=frozenset(new_quarantine),
            duplicates=frozenset(duplicates),
            conflicts=conflicts,
        )

    @staticmethod
    def _refusal(
        record: Report | Coverage, digest: str, seen: dict[str, str], registered: dict[str, str]
    ) -> tuple[str | None, str | None]:
        """(None, None) new; (None, reason) duplicate; (field, reason) conflict."""
        stored = seen.get(record.id)
        if stored is not None:
            if stored == digest:
                return None, "duplicate"
            return "source_ref", conflict_reason(record, stored)
        kind = registered.get(record.source.id)
        if kind is not None and kind != record.source.kind.value:
            return "source.kind", source_kind_reason(record, kind)
        return None, None

    def add_agreement(self, agreement: StoredAgreement) -> bool:
        """Store an agreement version, refusing a changed text under an existing version."""
        self._open()
        record_id = f"{agreement.agreement_id}@{agreement.version}"
        stored = self._bodies["agreement"].get(record_id)
        if stored is not None:
            if stored["sha256"] != agreement.sha256:
                raise StoreError(
                    f"agreement {agreement.agreement_id} version {agreement.version} is "
                    "already stored with a different text; give the new text a new version"
                )
            return False
        self._keep("agreement", record_id, _agreement_body(agreement))
        return True

    def write_incidents(self, incidents: Collection[Incident]) -> frozenset[str]:
        """Store incidents not yet stored, each logged."""
        self._open()
        inserted = set()
        for incident in incidents:
            if incident.id not in self._bodies["incident"]:
                self._keep("incident", incident.id, incident.to_dict())
                inserted.add(incident.id)
        return frozenset(inserted)

    def write_findings(self, findings: Sequence[Finding]) -> int:
        """Append findings not yet stored (by id), each logged; return how many were new."""
        self._open()
        written = 0
        for item in findings:
            if item.id not in self._bodies["finding"]:
                self._keep("finding", item.id, item.to_dict())
                written += 1
        return written

    def add_review(self, decision: ReviewDecision) -> None:
        """Append one review decision (unless already stored), logged."""
        self._open()
        if decision.id not in self._bodies["review"]:
            self._keep("review", decision.id, decision.to_dict())

    def add_publication(self, publication: Publication) -> bool:
        """Keep an issued document's record, logged; ``False`` if already kept."""
        self._open()
        if publication.id in self._bodies["publication"]:
            return False
        self._keep("publication", publication.id, publication.to_dict())
        return True

    def publications(self) -> list[Publication]:
        """Return the issued documents, oldest first."""
        return [Publication.from_dict(b) for b in self._bodies["publication"].values()]

    def add_user(self, user: User) -> None:
        """Register a user; a name already taken is refused."""
        self._open()
        if user.name in self._users:
            raise StoreError(f"user {user.name!r} already exists")
        self._users[user.name] = user

    def users(self) -> Sequence[User]:
        """Return every user, by name."""
        return [self._users[name] for name in sorted(self._users)]

    def add_credential(self, credential: Credential) -> None:
        """Keep a token's hash for a registered user."""
        self._open()
        if credential.user not in self._users:
            raise NotFound(f"no user {credential.user!r}; add one with `ceasefire users add`")
        self._credentials.setdefault(credential.token_sha256, credential)

    def revoke_credential(self, token_sha256: str, at: datetime) -> None:
        """Record the revocation of a token (revoking twice changes nothing)."""
        self._open()
        known = self._credentials.get(token_sha256)
        if known is None:
            raise NotFound("no such token")
        if known.revoked_at is None:
            self._credentials[token_sha256] = replace(known, revoked_at=at)

    def credentials(self) -> Sequence[Credential]:
        """Return every token hash, with its revocation time if it was revoked."""
        return list(self._credentials.values())

    def add_checkpoint(self, checkpoint: StoredCheckpoint) -> None:
        """Keep a signed checkpoint."""
        self._open()
        self._checkpoints.append(checkpoint)

    # -- reading ---------------------------------------------------------------------------

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the incidents no other supersedes, oldest first."""
        bodies = list(self._bodies["incident"].values())
        superseded = {body.get("supersedes") for body in bodies}
        for body in bodies:
            if body["id"] not in superseded:
                yield incident_from_dict(copy.deepcopy(body))

    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the newest finding of each key, oldest first, leaving out superseded
        incidents' findings (the same rule as the SQLite store)."""
        superseded = {b.get("supersedes") for b in self._bodies["incident"].values()}
        findings = [finding_from_dict(copy.deepcopy(b)) for b in self._bodies["finding"].values()]
        newest = {item.key: index for index, item in enumerate(findings)}
        for index, item in enumerate(findings):
            if newest[item.key] != index or item.incident_id in superseded - {None}:
                continue
            if verdict is not None and item.verdict.value != verdict:
                continue
            if clause_id is not None and item.clause_id != clause_id:
                continue
            yield item

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions in the order they were taken."""
        for body in list(self._bodies["review"].values()):
            if incident_id is None or body["incident_id"] == incident_id:
                yield review_from_dict(copy.deepcopy(body))

    def get_incident(self, incident_id: str) -> Incident:
        """Return one incident, current or superseded."""
        body = self._bodies["incident"].get(incident_id)
        if body is None:
            raise NotFound(f"no incident with id {incident_id!r}")
        return incident_from_dict(copy.deepcopy(body))

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""
        return {i: self._digests[i] for i in ids if i in self._digests}

    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""
        bodies = sorted(self._bodies["source"].items())
        return {i: source_from_dict(copy.deepcopy(body)) for i, body in bodies}

    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports in arrival order, migrated to the current layout."""
        for number, body in enumerate(list(self._bodies["report"].values())):
            if limit is not None and number >= limit:
                return
            yield report_of(copy.deepcopy(body))

    def get_report(self, report_id: str) -> Report:
        """Return one report by id."""
        body = self._bodies["report"].get(report_id)
        if body is None:
            raise NotFound(f"no report with id {report_id!r}")
        return report_of(copy.deepcopy(body))

    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield coverage records in arrival order."""
        for body in list(self._bodies["coverage"].values()):
            yield coverage_of(copy.deepcopy(body))

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
        """Return the ids of reports meeting every condition, by the same geometry as SQLite."""
        from ceasefire.store import _spatial

        found = []
        for report in self.iter_reports():
            estimate = report.location.estimate()
            if estimate is None:
                continue
            if (start is not None and report.observed_at < start) or (
                end is not None and report.observed_at >= end
            ):
                continue
            if bbox is not None and not (
                bbox[0] <= estimate.lon <= bbox[2] and bbox[1] <= estimate.lat <= bbox[3]
            ):
                continue
            found.append((report.id, estimate.lon, estimate.lat))
        keep = [True] * len(found)
        lon, lat = [item[1] for item in found], [item[2] for item in found]
        if near is not None and found:
            keep = list(_spatial.points_within(near, float(within_m or 0.0), lon, lat) & keep)
        if inside is not None and found:
            keep = list(_spatial.points_inside(inside, lon, lat) & keep)
        return [item[0] for item, kept in zip(found, keep, strict=True) if kept]

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

        area = shape(sector) if sector is not None else None
        return [
            record.id
            for record in self.iter_coverage()
            if (start is None or record.observed_until > start)
            and (end is None or record.observed_from < end)
            and (area is None or shapely.intersects(area, record.sector))
        ]

    def iter_quarantine(self) -> Iterator[QuarantinedRecord]:
        """Yield quarantined inputs in arrival order."""
        for body in list(self._bodies["quarantine"].values()):
            yield QuarantinedRecord(
                **{**body, "received_at": datetime.fromisoformat(body["received_at"])}
            )

    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored versions, oldest ``in_force_from`` first."""
        versions = [
            _agreement_of(body)
            for body in self._bodies["agreement"].values()
            if agreement_id is None or body["agreement_id"] == agreement_id
        ]
        return sorted(versions, key=lambda version: version.in_force_from)

    def counts(self) -> StoreCounts:
        """Return how many records of each kind are stored."""
        return StoreCounts(
            reports=len(self._bodies["report"]),
            coverage=len(self._bodies["coverage"]),
            quarantined=len(self._bodies["quarantine"]),
            sources=len(self._bodies["source"]),
            agreement_versions=len(self._bodies["agreement"]),
            incidents=sum(1 for _ in self.iter_incidents()),
            findings=len(self._bodies["finding"]),
            reviews=len(self._bodies["review"]),
        )

    # -- the ledger ------------------------------------------------------------------------

    def ledger_origin(self) -> str:
        """Return the log's origin."""
        return self._origin

    def ledger_size(self) -> int:
        """Return the number of leaves."""
        return len(self._log.leaves)

    def ledger_root(self, size: int | None = None) -> bytes:
        """Return the root at ``size`` leaves."""
        return root_at(self.ledger_size() if size is None else size, self._log)

    def ledger_leaf(self, record_id: str, kind: str | None = None) -> LeafRef | None:
        """Return where a record sits in the log."""
        for found_kind in (kind,) if kind is not None else self._bodies:
            index = self._log.index.get((found_kind, record_id))
            if index is not None:
                return LeafRef(index, found_kind, record_id, self._log.leaves[index][2])
        return None

    def ledger_inclusion_proof(self, index: int, size: int) -> list[bytes]:
        """Return the inclusion proof of leaf ``index`` in the tree of ``size``."""
        return inclusion_proof(index, size, self._log)

    def ledger_consistency_proof(self, size1: int, size2: int) -> list[bytes]:
        """Return the consistency proof between two sizes."""
        return consistency_proof(size1, size2, self._log)

    def iter_logged(self) -> Iterator[LoggedRecord]:
        """Yield every leaf with the stored form of its record."""
        for index, (kind, record_id, leaf) in enumerate(list(self._log.leaves)):
            body = self.record_body(kind, record_id)
            digest = self._digests.get(record_id) if kind in ("report", "coverage") else None
            yield LoggedRecord(index, kind, record_id, leaf, body, digest)

    def iter_ledger_nodes(self) -> Iterator[Node]:
        """Yield every stored tree node, by level then index."""
        for (level, index), value in sorted(self._log.nodes.items()):
            yield level, index, value

    def derived_problems(self) -> Iterator[str]:
        """Nothing to report: the one value kept beside a document is its content digest,
        which :meth:`iter_logged` hands to the audit to recompute with the leaf."""
        return iter(())

    def unlogged_records(self) -> list[tuple[str, str]]:
        """Return (kind, id) of stored records without a leaf."""
        return [
            (kind, record_id)
            for kind, bodies in self._bodies.items()
            for record_id in bodies
            if (kind, record_id) not in self._log.index
        ]

    def record_body(self, kind: str, record_id: str) -> dict[str, Any] | None:
        """Return one record's stored form, as its ledger entry serialises it."""
        body = self._bodies.get(kind, {}).get(record_id)
        return None if body is None else copy.deepcopy(body)

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the stored checkpoints, oldest first."""
        return list(self._checkpoints)


def _agreement_body(agreement: StoredAgreement) -> dict[str, Any]:
    """The same ledger body as SQLite's: the version's columns, the document parsed."""
    return {
        "agreement_id": agreement.agreement_id,
        "version": agreement.version,
        "title": agreement.title,
        "in_force_from": agreement.in_force_from.astimezone(UTC).isoformat(),
        "sha256": agreement.sha256,
        "source_text": agreement.source_text,
        "document": copy.deepcopy(agreement.document),
        "loaded_at": agreement.loaded_at.astimezone(UTC).isoformat(),
    }


def _agreement_of(body: Mapping[str, Any]) -> StoredAgreement:
    return StoredAgreement(
        agreement_id=body["agreement_id"],
        version=body["version"],
        title=body["title"],
        in_force_from=datetime.fromisoformat(body["in_force_from"]),
        sha256=body["sha256"],
        source_text=body["source_text"],
        document=copy.deepcopy(body["document"]),
        loaded_at=datetime.fromisoformat(body["loaded_at"]),
    )
