"""Adjudication: analysts move incidents through the review workflow, four eyes for ``verified``.

The workflow's states and allowed moves are at :class:`~ceasefire.model.incident.ReviewState`
and :func:`~ceasefire.model.incident.can_move`. Decisions are appended, never edited: an
incident's state is the ``to_state`` of its last decision (``reported`` before any).

Four eyes: moving an incident to ``verified`` needs two ``verified`` decisions by two different
analysts in the same review round (since it last entered ``under_review``). The first is
recorded with the incident still ``under_review`` (awaiting the second); the same analyst asking
twice is refused.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Protocol

from ceasefire.errors import DecisionRefused
from ceasefire.model.incident import ReviewState, can_move
from ceasefire.model.review import ReviewDecision

__all__ = ["ReviewStore", "decide", "plan_decision", "state_after"]


class ReviewStore(Protocol):
    """What adjudication needs of a store."""

    def get_incident(self, incident_id: str) -> object:
        """Return the incident (raises ``NotFound``)."""
        ...

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield decisions in the order they were taken."""
        ...

    def add_review(self, decision: ReviewDecision) -> None:
        """Append a decision (and log it) in one transaction."""
        ...


def state_after(history: Sequence[ReviewDecision]) -> ReviewState:
    """Return the state an incident's decisions leave it in."""
    return history[-1].to_state if history else ReviewState.REPORTED


def _pending_verifiers(history: Sequence[ReviewDecision]) -> set[str]:
    """The analysts who asked for ``verified`` in the current review round."""
    pending: set[str] = set()
    for decision in history:
        if decision.from_state is not ReviewState.UNDER_REVIEW:
            pending = set()  # the incident (re)entered review: a new round
        if decision.to_state is not ReviewState.UNDER_REVIEW:
            pending = set()
        elif decision.decision is ReviewState.VERIFIED:
            pending.add(decision.by)
    return pending


def plan_decision(
    history: Sequence[ReviewDecision],
    incident_id: str,
    decision: ReviewState,
    by: str,
    reason: str,
    at: datetime,
) -> ReviewDecision:
    """Return the decision to append, or refuse it (pure: nothing is stored).

    Raises:
        DecisionRefused: no analyst or reason, a move the workflow forbids, or a second
            ``verified`` by the same analyst.
    """
    by, reason = by.strip(), reason.strip()
    if not by:
        raise DecisionRefused("--by: name the analyst taking the decision")
    if not reason:
        raise DecisionRefused("--reason: say why; every decision records its reason")
    current = state_after(history)
    if not can_move(current, decision):
        allowed = sorted(s.value for s in ReviewState if can_move(current, s))
        raise DecisionRefused(
            f"incident {incident_id} is {current.value}; it can move to {', '.join(allowed)}, "
            f"not {decision.value}"
        )
    target = decision
    if decision is ReviewState.VERIFIED:
        pending = _pending_verifiers(history)
        if by in pending:
            raise DecisionRefused(
                f"{by} has already asked for verified on {incident_id}; a second, different "
                "analyst must confirm it (four eyes)"
            )
        if not pending:
            target = ReviewState.UNDER_REVIEW  # recorded; awaits a second analyst
    return ReviewDecision(
        id="",
        incident_id=incident_id,
        decision=decision,
        by=by,
        reason=reason,
        decided_at=at,
        from_state=current,
        to_state=target,
    ).with_identity()


def decide(
    store: ReviewStore,
    incident_id: str,
    decision: ReviewState,
    by: str,
    reason: str,
    at: datetime,
) -> ReviewDecision:
    """Take one decision on a stored incident and append it.

    Args:
        store: the store.
        incident_id: the incident.
        decision: the state asked for.
        by: the analyst.
        reason: why.
        at: when (from the injected clock).

    Returns:
        The decision as appended.

    Raises:
        NotFound: no such incident.
        DecisionRefused: see :func:`plan_decision`.
    """
    store.get_incident(incident_id)
    history = list(store.iter_reviews(incident_id))
    planned = plan_decision(history, incident_id, decision, by, reason, at)
    store.add_review(planned)
    return planned
