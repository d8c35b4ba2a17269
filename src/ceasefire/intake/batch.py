"""What intake hands a store in one transaction, and the protocol a store keeps for intake.

Intake owns this protocol and every store implements it, so the core never imports a store
module: :class:`ceasefire.store.base.Store` is one implementation of :class:`IntakeStore`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from ceasefire.model.coverage import Coverage
from ceasefire.model.quarantine import QuarantinedRecord
from ceasefire.model.report import Report
from ceasefire.model.source import Source

__all__ = ["IntakeBatch", "IntakeStore", "IntakeWritten"]


@dataclass(frozen=True, slots=True)
class IntakeBatch:
    """What one intake step writes, in one transaction."""

    reports: Sequence[Report] = ()
    coverage: Sequence[Coverage] = ()
    sources: Sequence[Source] = ()
    quarantined: Sequence[QuarantinedRecord] = ()


@dataclass(frozen=True, slots=True)
class IntakeWritten:
    """The ids a write actually inserted (the rest were already stored)."""

    reports: frozenset[str] = frozenset()
    coverage: frozenset[str] = frozenset()
    quarantined: frozenset[str] = frozenset()


class IntakeStore(Protocol):
    """What intake needs of a store."""

    def sources(self) -> dict[str, Source]:
        """Return every registered source by id."""
        ...

    def content_digests(self, ids: Collection[str]) -> dict[str, str]:
        """Return the content digest of each stored report or coverage record among ``ids``."""
        ...

    def write_intake(self, batch: IntakeBatch) -> IntakeWritten:
        """Store a batch in one transaction; records already stored (by id) are left unchanged."""
        ...
