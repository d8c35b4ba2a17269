"""The verification stage's parameters, in one settings object every finding records.

Every number a verdict turns on lives here (as black's ``Mode`` carries every formatting choice),
and a change that would alter verdicts goes behind a named flag in :class:`Preview` first; each
finding lists the flags it ran with, so a later rule change is traceable to the findings it moved.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = ["RULES_VERSION", "Preview", "VerificationSettings"]

#: The rule set's version, recorded in every finding's flags (``rules:1``).
RULES_VERSION = 1


class Preview(StrEnum):
    """Rule changes not yet on by default (none yet; the mechanism is what is fixed)."""


@dataclass(frozen=True, slots=True)
class VerificationSettings:
    """The verification parameters.

    Args:
        near_disengagement_m: fire within this distance of a disengagement area is named as
            "in or near" it in the finding's reasons (the Framework Decision's areas are 2 km
            across; 1 km is this project's choice).
        min_coverage: the share of a zone that must have been watched on a day, with nothing
            seen, for the day's sector finding to be ``no_violation`` rather than
            ``undetermined`` ("not observable").
        preview: the preview flags turned on.
    """

    near_disengagement_m: float = 1_000.0
    min_coverage: float = 0.9
    preview: frozenset[Preview] = frozenset()

    @property
    def flags(self) -> tuple[str, ...]:
        """The flags a finding records: the rules version and each preview flag on."""
        return (f"rules:{RULES_VERSION}", *sorted(f"preview:{p.value}" for p in self.preview))
