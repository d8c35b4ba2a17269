"""Every parameter of fusion in one settings object, and the named flags that change outcomes.

Each incident records the settings it was made with (:meth:`FusionSettings.to_dict`), so a
figure in a report can always be traced to the gates that produced it. A change that would alter
which reports make one incident goes in first behind a :class:`Preview` flag (black's
``--preview`` is the model): off by default, named on every incident made with it, promoted to
the default only in a release that says so in ``CHANGES.md``.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import Any

__all__ = ["FusionSettings", "Preview"]


class Preview(StrEnum):
    """Outcome-changing behaviour that is not yet the default."""

    #: Treat artillery, mortar and MLRS fire as one activity for grouping: observers who only
    #: heard the fire often cannot tell them apart. Off by default because it merges reports a
    #: camera would keep apart; the incident keeps the most specific activity reported.
    CONFUSABLE_FIRE = "confusable_fire"


@dataclass(frozen=True, slots=True)
class FusionSettings:
    """The gates and thresholds of fusion.

    Args:
        gate: the chi-square threshold on the normalised space-time distance of two reports
            (see ``docs/fusion.md``): ``d² / (r_a² + r_b²) + gap² / (τ_a² + τ_b²) ≤ gate``.
            16.27 is the 99.9 % point of chi-square with 3 degrees of freedom (x, y, t), so two
            reports of one event fail the gate once in a thousand pairs.
        minute_sigma_s: the clock error assumed for a time given to the minute (τ).
        coarse_sigma_s: the error assumed beyond the edges of an hour, day or interval window.
        min_radius_m: the smallest radius used, so that a GPS fix of "3 m" cannot veto a match.
        bearing_reach_m: how far away a sound with no range band may have come from (the
            sector's depth; 15 km is beyond the audible range of most artillery).
        bearing_min_baseline_m: two observers closer than this cannot triangulate.
        text_similarity: the rapidfuzz ``token_sort_ratio`` (0-100) at or above which two
            narratives are near-duplicates (one copies the other); see
            :mod:`ceasefire.fusion.independence` for how 90 was chosen.
        text_min_tokens: narratives shorter than this are never compared: the SMM's formulaic
            "heard 3 explosions 2-4 km SE" from two patrols is not a copy.
        anchor_lookback_s: how far back in time an existing incident may gain new reports.
        preview: the :class:`Preview` flags switched on.
    """

    gate: float = 16.27
    minute_sigma_s: float = 300.0
    coarse_sigma_s: float = 600.0
    min_radius_m: float = 100.0
    bearing_reach_m: float = 15_000.0
    bearing_min_baseline_m: float = 300.0
    text_similarity: float = 90.0
    text_min_tokens: int = 12
    anchor_lookback_s: float = 7 * 86_400.0
    preview: frozenset[Preview] = field(default_factory=frozenset)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form recorded on each incident (flags sorted, so it is stable)."""
        data = asdict(self)
        data["preview"] = sorted(flag.value for flag in self.preview)
        return data

    def enabled(self, flag: Preview) -> bool:
        """Tell whether a preview flag is on."""
        return flag in self.preview
