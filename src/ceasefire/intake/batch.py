"""What intake hands a store in one transaction, what the store says it did, and the protocol.

Intake owns this protocol and every store implements it, so the core never imports a store
module: :class:`ceasefire.store.base.Store` is one implementation of :class:`IntakeStore`.

The decision that matters — is this record new, a duplicate, or a conflicting correction? — is
made by the store *inside* its write transaction, from what is actually stored at that moment
(see :mod:`ceasefire.store.base`). Intake's own look-up before the transaction is only a fast
path for records already stored (append-only: what it sees there can no longer change). So two
processes sending the same record at once can never both be told "accepted", and a loser with
different content is quarantined in the same transaction that refuses it, using the
:class:`Arrival` the batch carries for it and the one message :func:`conflict_entry` builds.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from ceasefire.model.coverage import Coverage
from ceasefire.model.quarantine import QuarantinedRecord, quarantine_id
from ceasefire.model.report import Report
from ceasefire.model.source import Source

__all__ = [
    "Arrival",
    "Conflict",
    "IntakeBatch",
    "IntakeStore",
    "IntakeWritten",
    "conflict_entry",
    "conflict_reason",
    "source_kind_reason",
]


@dataclass(frozen=True, slots=True)
class Arrival:
    """Where a record came from: what a store needs to quarantine it if it loses a race.

    Args:
        origin: the file or stream.
        position: where in it (``line 7``).
        raw: the record's text exactly as received.
        received_at: when it arrived.
    """

    origin: str
    position: str
    raw: str
    received_at: datetime


@dataclass(frozen=True, slots=True)
class IntakeBatch:
    """What one intake step writes, in one transaction.

    Args:
        reports, coverage: the records to store; each id at most once.
        sources: sources to register (the first registration of an id stays).
        quarantined: refused inputs to keep.
        arrivals: by record id, where each report or coverage record came from; a record that
            turns out to conflict with a stored one is quarantined from its arrival (without
            one it is still refused, just not quarantined: that is for callers that are not
            intake, such as tests and migrations).
        digests: by record id, the content digest intake already computed (the store computes
            the missing ones), so a record is serialised once.
        bodies: by record id, the RFC 8785 bytes of the record's stored document
            (:func:`~ceasefire.ledger.canonical.canonical_record`), which the store keeps as the
            document's text and hashes into the ledger entry without serialising again.
    """

    reports: Sequence[Report] = ()
    coverage: Sequence[Coverage] = ()
    sources: Sequence[Source] = ()
    quarantined: Sequence[QuarantinedRecord] = ()
    arrivals: Mapping[str, Arrival] = field(default_factory=dict)
    digests: Mapping[str, str] = field(default_factory=dict)
    bodies: Mapping[str, bytes] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Conflict:
    """Why a store refused a record inside its write transaction.

    Args:
        field: the field at fault (``source_ref`` for a changed record, ``source.kind`` for a
            source registered with another kind).
        reason: the refusal, in words (the same words intake's fast path uses).
        stored_digest: the content digest stored under the record's id, if that was the cause.
        quarantine_id: the quarantine entry written for it, or ``None`` without an arrival.
    """

    field: str
    reason: str
    stored_digest: str | None
    quarantine_id: str | None


@dataclass(frozen=True, slots=True)
class IntakeWritten:
    """What a write did with each record of the batch.

    Every report and coverage id of the batch is in exactly one of ``reports`` / ``coverage``
    (inserted now), ``duplicates`` (already stored with the same content: nothing written) or
    ``conflicts`` (refused, and quarantined when it had an arrival).
    """

    reports: frozenset[str] = frozenset()
    coverage: frozenset[str] = frozenset()
    quarantined: frozenset[str] = frozenset()
    duplicates: frozenset[str] = frozenset()
    conflicts: Mapping[str, Conflict] = field(default_factory=dict)


def conflict_reason(record: Report | Coverage, stored_digest: str) -> str:
    """The refusal of a record whose id is stored with other content (one wording for all)."""
    return (
        f"{record.source.id}/{record.source_ref} is already stored as {record.id} with "
        f"different content (stored sha256 {stored_digest[:16]}…); send the change as a new "
        "report with 'corrects' set"
    )


def source_kind_reason(record: Report | Coverage, registered_kind: str) -> str:
    """The refusal of a record whose source is registered with another kind."""
    return (
        f"source {record.source.id!r} is registered as {registered_kind}, "
        f"not {record.source.kind.value}"
    )


def conflict_entry(arrival: Arrival, field_name: str, reason: str) -> QuarantinedRecord:
    """Return the quarantine entry for a record refused as a conflict."""
    return QuarantinedRecord(
        id=quarantine_id(arrival.raw),
        origin=arrival.origin,
        position=arrival.position,
        field=field_name,
        reason=reason,
        raw=arrival.raw,
        received_at=arrival.received_at,
    )


class IntakeStore(Protocol):
    """What intake needs of a store."""

    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""
        ...

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""
        ...

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch in one transaction, deciding new / duplicate / conflict inside it."""
        ...
