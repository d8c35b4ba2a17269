"""Finding: an incident held against one clause of the agreement in force.

The verdicts keep "could not tell" apart from "did not happen": a sector nobody could observe
yields ``undetermined``, never ``no_violation``; and firing in a notified live-fire area within its
window is ``exempt``, a verdict of its own, so that it is counted and shown rather than dropped.
The verification stage (:mod:`ceasefire.verification`) produces findings; this module fixes the
vocabulary, the record and its JSON form (the ``ceasefire findings --format json`` contract).

Identity: a finding answers one *question* (this incident, or this zone on this day, against this
clause of this agreement version), named by :attr:`Finding.key`; its ``id`` hashes the question
and the answer. Verifying again with nothing new gives the same id (storing it again is
harmless); new evidence or a new rule flag gives a new finding for the same key, appended beside
the old one, and the newest finding of a key is the current answer.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability

__all__ = ["Finding", "Verdict", "finding_from_dict"]


class Verdict(StrEnum):
    """The outcome of holding an incident (or an observed, quiet sector) against a clause."""

    VIOLATION = "violation"  # the clause was breached, on the evidence graded below
    POSSIBLE_VIOLATION = "possible_violation"  # consistent with a breach; not established
    NO_VIOLATION = "no_violation"  # observed, and what happened is allowed by the clause
    UNDETERMINED = "undetermined"  # cannot tell: not observable, or facts missing
    EXEMPT = "exempt"  # what the clause prohibits, done under one of its exemptions


@dataclass(frozen=True, slots=True)
class Finding:
    """One incident (or one zone on one day) against one clause.

    Args:
        id: derived identity (see the module docstring); ``""`` until :meth:`with_identity`.
        incident_id: the incident held against the clause; ``None`` for a sector finding (a
            zone on a day with no incident in it: observed and quiet, or not observable).
        agreement_id, agreement_version: the version in force at the incident's time.
        clause_id: the clause.
        verdict: the outcome.
        reasons: sentences a commission can read ("122 mm artillery observed 9.4 km from the
            contact line on the UA side; clause pom-2 requires 25 km").
        reliability, credibility: the Admiralty grade of the evidence behind the verdict.
        independent_sources: how many independent sources support it.
        attributed_to: the responsible party, or ``None`` when undetermined.
        attribution_basis: why, or ``"undetermined"`` with the reason in ``reasons``.
        flags: the rule-engine flags the verdict ran with, so a later rule change is traceable.
        zones: the zones the verdict turned on (in, straddled, or near).
        scope: for a sector finding, ``{"zone": id, "day": "YYYY-MM-DD"}``; else empty.
    """

    id: str
    incident_id: str | None
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
    zones: tuple[str, ...] = ()
    scope: dict[str, str] = field(default_factory=dict, hash=False)

    @property
    def grade(self) -> str:
        """The Admiralty grade, reliability letter then credibility digit (``"B2"``)."""
        return f"{self.reliability.value}{int(self.credibility)}"

    @property
    def key(self) -> str:
        """The question this finding answers: subject, clause and agreement version."""
        subject = self.incident_id or f"{self.scope.get('zone', '')}@{self.scope.get('day', '')}"
        return f"{subject}|{self.clause_id}|{self.agreement_id}@{self.agreement_version}"

    def content(self) -> dict[str, Any]:
        """Return everything but the id: the question and the answer."""
        return {
            "incident_id": self.incident_id,
            "agreement_id": self.agreement_id,
            "agreement_version": self.agreement_version,
            "clause_id": self.clause_id,
            "verdict": self.verdict.value,
            "reasons": list(self.reasons),
            "grade": self.grade,
            "independent_sources": self.independent_sources,
            "attributed_to": self.attributed_to,
            "attribution_basis": self.attribution_basis,
            "flags": list(self.flags),
            "zones": list(self.zones),
            "scope": dict(self.scope),
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the ``ceasefire findings --format json`` object (also the stored form)."""
        return {"id": self.id, **self.content()}

    def with_identity(self) -> Finding:
        """Return this finding with its id derived from its question and answer."""
        # sha256 of the sorted-key JSON: deterministic, and a tenth of the cost of the ledger's
        # RFC 8785 serialiser, which the ledger still applies to the stored form.
        text = json.dumps(self.content(), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        return replace(self, id="f-" + hashlib.sha256(text.encode()).hexdigest()[:32])


def _grade(raw: Any) -> tuple[Reliability, Credibility]:
    if not isinstance(raw, str) or len(raw) != 2:
        raise RecordRejected("grade", f"must be a letter A-F and a digit 1-6, got {raw!r}")
    try:
        return Reliability(raw[0].upper()), Credibility(int(raw[1]))
    except ValueError:
        raise RecordRejected(
            "grade", f"must be a letter A-F and a digit 1-6, got {raw!r}"
        ) from None


def finding_from_dict(data: dict[str, Any]) -> Finding:
    """Read a finding back from its stored form.

    Raises:
        RecordRejected: a field is missing or outside its vocabulary.
    """
    reliability, credibility = _grade(data.get("grade"))
    try:
        verdict = Verdict(str(data.get("verdict")))
    except ValueError:
        raise RecordRejected("verdict", f"unknown verdict {data.get('verdict')!r}") from None
    return Finding(
        id=str(data.get("id", "")),
        incident_id=data.get("incident_id"),
        agreement_id=str(data["agreement_id"]),
        agreement_version=str(data["agreement_version"]),
        clause_id=str(data["clause_id"]),
        verdict=verdict,
        reasons=tuple(data.get("reasons", ())),
        reliability=reliability,
        credibility=credibility,
        independent_sources=int(data.get("independent_sources", 0)),
        attributed_to=data.get("attributed_to"),
        attribution_basis=data.get("attribution_basis"),
        flags=tuple(data.get("flags", ())),
        zones=tuple(data.get("zones", ())),
        scope=dict(data.get("scope", {})),
    )
