"""The review workflow: allowed moves, four eyes for verified, decisions appended."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ceasefire.errors import DecisionRefused
from ceasefire.model.incident import ReviewState
from ceasefire.model.review import ReviewDecision, review_from_dict
from ceasefire.verification.review import plan_decision, state_after

AT = datetime(2020, 9, 17, 9, 0, tzinfo=UTC)


def step(history: list[ReviewDecision], decision: str, by: str) -> list[ReviewDecision]:
    """Take a decision and return the longer history."""
    planned = plan_decision(history, "i-1", ReviewState(decision), by, "checked the video", AT)
    return [*history, planned]


def test_verified_needs_two_different_analysts() -> None:
    """One analyst's verified leaves the incident under review; a second one verifies it."""
    history = step([], "under_review", "alice")
    history = step(history, "verified", "alice")
    assert state_after(history) is ReviewState.UNDER_REVIEW
    history = step(history, "verified", "bob")
    assert state_after(history) is ReviewState.VERIFIED
    assert [d.by for d in history] == ["alice", "alice", "bob"]


def test_the_same_analyst_cannot_verify_twice() -> None:
    """A second verified by the same analyst is refused, naming the four-eyes rule."""
    history = step(step([], "under_review", "alice"), "verified", "alice")
    with pytest.raises(DecisionRefused, match="four eyes"):
        step(history, "verified", "alice")


def test_a_reopened_incident_starts_a_new_round() -> None:
    """After reopening, an earlier verified request no longer counts toward four eyes."""
    history = step([], "under_review", "alice")
    history = step(history, "verified", "alice")
    history = step(history, "verified", "bob")
    history = step(history, "under_review", "carol")
    history = step(history, "verified", "alice")
    assert state_after(history) is ReviewState.UNDER_REVIEW


def test_moves_the_workflow_forbids_are_refused() -> None:
    """A reported incident cannot jump to refuted; the message lists where it can go."""
    with pytest.raises(DecisionRefused, match="under_review"):
        step([], "refuted", "alice")


def test_analyst_and_reason_are_required() -> None:
    """Every decision records who and why; blanks are refused."""
    with pytest.raises(DecisionRefused, match="--by"):
        plan_decision([], "i-1", ReviewState.UNDER_REVIEW, " ", "why", AT)
    with pytest.raises(DecisionRefused, match="--reason"):
        plan_decision([], "i-1", ReviewState.UNDER_REVIEW, "alice", "", AT)


def test_decisions_round_trip_through_their_stored_form() -> None:
    """A decision read back from its stored form is the same decision."""
    decision = step([], "under_review", "alice")[0]
    assert review_from_dict(decision.to_dict()) == decision
    assert decision.id.startswith("d-")
