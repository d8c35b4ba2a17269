"""Warnings about records that are well-formed but doubtful against the loaded agreements.

Some records are valid and still probably wrong: ``attributed_to`` names a party that no loaded
agreement binds (a typo, or a group the agreement does not know), or the report lies far from
everything the agreements cover (latitude and longitude swapped puts Avdiivka in Iran). These are
not refused: a report is the record of what a source said, and refusing it would lose that, and
would make the same record's fate depend on which agreements happened to be loaded. Each is
accepted with a warning in the receipt instead (``warnings`` per record in ``ingest --json``),
so the sender and the analyst see it at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ceasefire.intake.receipt import RecordWarning
from ceasefire.model.location import Estimate
from ceasefire.model.report import Report

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

    from ceasefire.agreement.terms import Agreement
    from ceasefire.model.coverage import Coverage

__all__ = ["AREA_MARGIN_KM", "RecordChecks"]

#: How far outside the box around every line, zone and party area of the loaded agreements a
#: report may lie before it is warned about: artillery reaches 70 km, observers see further.
AREA_MARGIN_KM = 200.0

_KM_PER_DEGREE = 111.32


@dataclass(frozen=True, slots=True)
class RecordChecks:
    """What the loaded agreements say a plausible record looks like.

    Args:
        parties: every party id the loaded agreements bind.
        area: (west, south, east, north) around everything they cover, margin included; ``None``
            when no agreement gives any geometry.
    """

    parties: frozenset[str]
    area: tuple[float, float, float, float] | None

    @classmethod
    def from_agreements(cls, agreements: Iterable[Agreement]) -> RecordChecks | None:
        """Return the checks of some agreements, or ``None`` when there are none to check by."""
        loaded = list(agreements)
        if not loaded:
            return None
        parties = frozenset(party.id for agreement in loaded for party in agreement.parties)
        bounds = [
            geometry.bounds
            for agreement in loaded
            for geometry in _geometries(agreement)
            if not geometry.is_empty
        ]
        return cls(parties, _with_margin(bounds) if bounds else None)

    def warnings(self, record: Report | Coverage) -> tuple[RecordWarning, ...]:
        """Return the warnings about one parsed record (none for a coverage record)."""
        if not isinstance(record, Report):
            return ()
        found = []
        if record.attributed_to is not None and record.attributed_to not in self.parties:
            known = ", ".join(sorted(self.parties)) or "none"
            found.append(
                RecordWarning(
                    "attributed_to",
                    f"{record.attributed_to!r} is not a party of any loaded agreement "
                    f"(parties: {known}); kept as sent",
                )
            )
        estimate = record.location.estimate()
        if self.area is not None and estimate is not None and not self._inside(estimate):
            found.append(
                RecordWarning(
                    "location",
                    f"({estimate.lon:g}, {estimate.lat:g}) is more than {AREA_MARGIN_KM:g} km "
                    "outside every area the loaded agreements cover (latitude and longitude "
                    "swapped?); kept as sent",
                )
            )
        return tuple(found)

    def _inside(self, estimate: Estimate) -> bool:
        assert self.area is not None
        west, south, east, north = self.area
        return west <= estimate.lon <= east and south <= estimate.lat <= north


def _geometries(agreement: Agreement) -> list[BaseGeometry]:
    shapes: list[BaseGeometry] = [line.geometry for line in agreement.lines]
    shapes += [zone.geometry for zone in agreement.zones]
    shapes += [party.area for party in agreement.parties if party.area is not None]
    return shapes


def _with_margin(
    bounds: list[tuple[float, float, float, float]],
) -> tuple[float, float, float, float]:
    west = min(b[0] for b in bounds)
    south = min(b[1] for b in bounds)
    east = max(b[2] for b in bounds)
    north = max(b[3] for b in bounds)
    dlat = AREA_MARGIN_KM / _KM_PER_DEGREE
    widest = max(abs(south - dlat), abs(north + dlat))
    dlon = AREA_MARGIN_KM / (_KM_PER_DEGREE * max(math.cos(math.radians(min(widest, 89.0))), 0.01))
    return (west - dlon, max(south - dlat, -90.0), east + dlon, min(north + dlat, 90.0))
