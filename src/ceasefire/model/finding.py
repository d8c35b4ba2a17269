"""Finding: an incident held against one clause of the agreement in force.

The verdicts keep "could not tell" apart from "did not happen": a sector nobody could observe
yields ``undetermined``, never ``no_violation``. Producing findings is the verification stage's
job (its own issue); this module fixes the vocabulary and the record that stage produces.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability

__all__ = ["Finding", "Verdict"]


class Verdict(StrEnum):
    """The outcome of holding an incident against a clause."""

    VIOLATION = "violation"  # the clause was breached, on the evidence graded below
    POSSIBLE_VIOLATION = "possible_violation"  # consistent with a breach; not established
    NO_VIOLATION = "no_violation"  # observed, and what happened is allowed by the clause
    UNDETERMINED = "undetermined"  # cannot tell: not observable, or facts missing


@dataclass(frozen=True, slots=True)
class Finding:
    """One incident against one clause.

    Args:
        id: stable identity (incident, clause, agreement version).
        incident_id: the incident held against the clause.
        agreement_id, agreement_version: the version in force at the incident's time.
        clause_id: the clause.
        verdict: the outcome.
        reasons: sentences a commission can read ("122 mm artillery observed 9.4 km from the
            contact line on the UA side; clause PoM-2 requires 25 km").
        reliability, credibility: the Admiralty grade of the evidence behind the verdict.
        independent_sources: how many independent sources support it.
        attributed_to: the responsible party, or ``None`` when undetermined.
        attribution_basis: why.
        flags: the rule-engine flags the verdict ran with, so a later rule change is traceable.
    """

    id: str
    incident_id: str
    agreement_id: str
    agreement_version: str
    clause_id: str
    verdict: Verdict
    reasons: tuple[str, ...]
    reliability: Reliability
    credibility: Credibility
    independent_sources: int
    attributed_to: str | None = None
    attribution_basis: str | None = None
    flags: tuple[str, ...] = ()
