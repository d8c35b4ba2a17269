"""A review decision: one analyst's step in an incident's review workflow.

Decisions are appended, never edited: the incident's state is what its decisions, replayed in
order, make of it (:func:`ceasefire.verification.review.state_after`). Each decision keeps who,
when and why, so a commission can see how an incident came to be ``verified`` and by whom.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from ceasefire.ledger.canonical import content_digest
from ceasefire.model._fields import timestamp
from ceasefire.model.incident import ReviewState

__all__ = ["ReviewDecision", "review_from_dict"]


@dataclass(frozen=True, slots=True)
class ReviewDecision:
    """One analyst's decision on one incident.

    Args:
        id: derived from the content (``d-`` + hash); ``""`` until :meth:`with_identity`.
        incident_id: the incident decided on.
        decision: the state the analyst moves it to (or, for ``verified`` before a second
            analyst agrees, asks for).
        by: the analyst.
        reason: why, in the analyst's words.
        decided_at: when (aware).
        from_state: the state the incident was in when the decision was taken.
        to_state: the state it is in after (``under_review`` while ``verified`` awaits its
            second analyst).
    """

    id: str
    incident_id: str
    decision: ReviewState
    by: str
    reason: str
    decided_at: datetime
    from_state: ReviewState
    to_state: ReviewState

    def content(self) -> dict[str, Any]:
        """Return everything but the id."""
        return {
            "incident_id": self.incident_id,
            "decision": self.decision.value,
            "by": self.by,
            "reason": self.reason,
            "decided_at": self.decided_at.isoformat(),
            "from_state": self.from_state.value,
            "to_state": self.to_state.value,
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the stored (and logged) form."""
        return {"id": self.id, **self.content()}

    def with_identity(self) -> ReviewDecision:
        """Return this decision with its id derived from its content."""
        return replace(self, id="d-" + content_digest(self.content())[:32])


def review_from_dict(data: dict[str, Any]) -> ReviewDecision:
    """Read a decision back from its stored form."""
    return ReviewDecision(
        id=str(data["id"]),
        incident_id=str(data["incident_id"]),
        decision=ReviewState(data["decision"]),
        by=str(data["by"]),
        reason=str(data["reason"]),
        decided_at=timestamp(data["decided_at"], "decided_at"),
        from_state=ReviewState(data["from_state"]),
        to_state=ReviewState(data["to_state"]),
    )
