"""Incident: what we believe happened, fused from one or more reports.

This module holds the noun and its review workflow. Building incidents from reports (clustering
in space and time, telling copies from independent corroboration, intersecting bearings) is the
fusion stage's job and arrives with its own issue; the shape here is what fusion will produce and
what verification and adjudication consume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from ceasefire.model.activity import Activity
from ceasefire.model.location import Estimate

__all__ = ["Incident", "ReviewState", "can_move"]


class ReviewState(StrEnum):
    """Where an incident stands in the analysts' workflow.

    ``reported → under_review → verified | unverified | disputed | refuted``; a decided incident
    may be reopened (back to ``under_review``) when new reports arrive, never silently changed.
    """

    REPORTED = "reported"  # fused from reports, nobody has looked yet
    UNDER_REVIEW = "under_review"  # an analyst has taken it
    VERIFIED = "verified"  # established; needs a second analyst's agreement (four eyes)
    UNVERIFIED = "unverified"  # could not be established either way with what we have
    DISPUTED = "disputed"  # a party contests it and the dispute stands
    REFUTED = "refuted"  # established that it did not happen as reported


_MOVES: dict[ReviewState, frozenset[ReviewState]] = {
    ReviewState.REPORTED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.UNDER_REVIEW: frozenset(
        {ReviewState.VERIFIED, ReviewState.UNVERIFIED, ReviewState.DISPUTED, ReviewState.REFUTED}
    ),
    ReviewState.VERIFIED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.UNVERIFIED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.DISPUTED: frozenset({ReviewState.UNDER_REVIEW}),
    ReviewState.REFUTED: frozenset({ReviewState.UNDER_REVIEW}),
}


def can_move(current: ReviewState, target: ReviewState) -> bool:
    """Tell whether the workflow lets a decision move an incident from ``current`` to ``target``."""
    return target in _MOVES[current]


@dataclass(frozen=True, slots=True)
class Incident:
    """What we believe happened.

    Args:
        id: stable identity of the incident.
        activity: the activity the fused reports agree on.
        location: best estimate and uncertainty.
        started_at, ended_at: the time window the reports allow.
        count: the fused count (explosions, projectiles), not the sum of duplicate reports.
        report_ids: every report fused into it.
        independent_report_ids: the subset that counts as independent corroboration: one per
            source and never a copy of another (same text, same evidence hash, same wire).
        state: the review state.
    """

    id: str
    activity: Activity
    location: Estimate
    started_at: datetime
    ended_at: datetime
    count: int
    report_ids: tuple[str, ...]
    independent_report_ids: tuple[str, ...]
    state: ReviewState = ReviewState.REPORTED
