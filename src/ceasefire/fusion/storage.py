"""What the fusion stage needs of a store: the protocol every store implements for it.

Fusion owns this protocol (as intake owns :class:`~ceasefire.intake.batch.IntakeStore` and the
ledger owns :class:`~ceasefire.ledger.storage.LogStore`), so the stage never imports a store.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Protocol

from ceasefire.model.incident import Incident
from ceasefire.model.report import Report

__all__ = ["FusionStore"]


class FusionStore(Protocol):
    """The store methods fusion reads and writes through."""

    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports in arrival order."""
        ...

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents (not superseded), oldest first."""
        ...

    def write_incidents(self, incidents: Collection[Incident]) -> frozenset[str]:
        """Store incidents (each logged) in one transaction; return the ids inserted."""
        ...
