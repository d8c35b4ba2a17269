"""What evaluation needs from a store: the current incidents and the findings, nothing else.

Each stage names the few store methods it uses in its own Protocol, so that the stage never
imports a store; any store with these two methods (SQLite, PostgreSQL, the in-memory one) can be
evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from ceasefire.evaluation.score import evaluate
from ceasefire.evaluation.truth import Truth

__all__ = ["EvaluationStore", "Published", "evaluate_store"]


class Published(Protocol):
    """A stored incident or finding: anything with the contract's ``to_dict``."""

    def to_dict(self) -> dict[str, Any]:
        """Return the published JSON form."""
        ...


class EvaluationStore(Protocol):
    """The store methods evaluation reads."""

    def iter_incidents(self) -> Iterable[Published]:
        """Yield the current incidents (superseded ones left out)."""
        ...

    def iter_findings(self) -> Iterable[Published]:
        """Yield the findings."""
        ...


def evaluate_store(truth: Truth, store: EvaluationStore) -> dict[str, Any]:
    """Score a store's incidents and findings against the truth (see :func:`evaluate`)."""
    incidents = [incident.to_dict() for incident in store.iter_incidents()]
    findings = [finding.to_dict() for finding in store.iter_findings()]
    return evaluate(truth, incidents, findings)
