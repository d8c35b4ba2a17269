"""The Admiralty grade of a finding, derived from the independent sources behind its incident.

The rule (documented in ``docs/fusion.md``, tested in ``tests/verification/test_grading.py``):

* **Reliability** (A-F) is the best reliability among the *independent* sources. A source nobody
  has judged is ``F`` and ranks below every judged letter; copies never count.
* **Credibility** (1-6) comes from corroboration, never from the number of copies:

  - two or more independent sources that are not a party's channel: ``1`` (confirmed by
    independent sources);
  - one such source: ``2`` if its reliability is A or B, else ``3``; a worse credibility the
    source's grader gave the report itself (not ``6``, which means "not graded") is kept;
  - only parties' complaints: ``2`` when both sides report it, ``3`` for one party's alone (a
    claim: possibly true, not confirmed);
  - nothing stored behind it: ``6``.
"""

from __future__ import annotations

from collections.abc import Sequence

from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability
from ceasefire.verification.facts import SourceView

__all__ = ["grade"]

_ORDER = [Reliability.A, Reliability.B, Reliability.C, Reliability.D, Reliability.E, Reliability.F]


def grade(sources: Sequence[SourceView]) -> tuple[Reliability, Credibility]:
    """Return (reliability, credibility) for an incident's sources.

    Args:
        sources: every source view behind the incident; only the independent ones count.

    Returns:
        The grade.
    """
    independent = [s for s in sources if s.independent]
    if not independent:
        return Reliability.F, Credibility.CANNOT_BE_JUDGED
    reliability = min((s.reliability for s in independent), key=_ORDER.index)
    mission = {s.source_id: s for s in independent if not s.is_party}
    if len(mission) >= 2:
        return reliability, Credibility.CONFIRMED
    if len(mission) == 1:
        (only,) = mission.values()
        base = 2 if only.reliability in (Reliability.A, Reliability.B) else 3
        graded = int(only.credibility)
        if graded != int(Credibility.CANNOT_BE_JUDGED):
            base = max(base, graded)
        return reliability, Credibility(base)
    parties = {s.organisation or s.source_id for s in independent}
    return reliability, Credibility(2 if len(parties) >= 2 else 3)
