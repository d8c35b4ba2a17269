"""The receipt of an intake run: what happened to each record, and where to find it in its file.

A receipt is the sender's proof of what the mission took: every record is accounted for as
accepted, duplicate or rejected (accepted + duplicate + rejected = records sent), and each rejected
one names its file, position, field and reason. A taken record may also carry warnings: it was
stored, but something about it is doubtful (see :mod:`ceasefire.intake.checks`).
``ceasefire ingest --json`` prints :meth:`Receipt.to_dict`; ``--acks`` prints
:meth:`RecordOutcome.to_dict` per record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ceasefire.errors import StoreError

__all__ = ["IntakeInterrupted", "Outcome", "Receipt", "RecordOutcome", "RecordWarning"]


class Outcome(StrEnum):
    """What intake did with one record."""

    ACCEPTED = "accepted"  # stored now
    DUPLICATE = "duplicate"  # already stored with the same content; nothing written
    REJECTED = "rejected"  # refused and quarantined (or already in quarantine)


@dataclass(frozen=True, slots=True)
class RecordWarning:
    """Something doubtful about a record that was nevertheless taken: the field, and why."""

    field: str
    reason: str

    def to_dict(self) -> dict[str, str]:
        """Return the JSON form used in receipts."""
        return {"field": self.field, "reason": self.reason}


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """The fate of one record, with enough to find it in its file."""

    origin: str
    position: str
    outcome: Outcome
    id: str | None = None
    field: str | None = None
    reason: str | None = None
    warnings: tuple[RecordWarning, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form used in receipts (``warnings`` is always present, maybe empty)."""
        return {
            "origin": self.origin,
            "position": self.position,
            "outcome": self.outcome.value,
            "id": self.id,
            "field": self.field,
            "reason": self.reason,
            "warnings": [warning.to_dict() for warning in self.warnings],
        }


@dataclass(slots=True)
class Receipt:
    """What an intake run did, record by record."""

    records: list[RecordOutcome] = field(default_factory=list)

    def count(self, outcome: Outcome) -> int:
        """Return how many records had ``outcome``."""
        return sum(1 for record in self.records if record.outcome is outcome)

    @property
    def warned(self) -> list[RecordOutcome]:
        """The records taken with warnings, in input order."""
        return [record for record in self.records if record.warnings]

    @property
    def rejected(self) -> list[RecordOutcome]:
        """The refused records, in input order."""
        return [record for record in self.records if record.outcome is Outcome.REJECTED]

    def to_dict(self) -> dict[str, Any]:
        """Return the machine-readable receipt (``ceasefire ingest --json``)."""
        return {
            "accepted": self.count(Outcome.ACCEPTED),
            "duplicate": self.count(Outcome.DUPLICATE),
            "rejected": self.count(Outcome.REJECTED),
            "warned": len(self.warned),
            "records": [record.to_dict() for record in self.records],
        }


class IntakeInterrupted(StoreError):
    """The store stopped taking records part-way (e.g. another writer held the lock too long).

    Carries the receipt of everything committed before the failure, so the sender still learns
    exactly which records are stored: a receipt is never lost to a later chunk's failure.
    """

    def __init__(self, cause: StoreError, receipt: Receipt) -> None:
        self.cause = cause
        self.receipt = receipt
        stored = len(receipt.records)
        super().__init__(
            f"{cause} — intake stopped; the {stored} record(s) before this point were taken "
            "(see the receipt) and re-sending the file is harmless"
        )
