"""The audience filter: the one place that decides what each audience may see of each record.

Every response of the web API, every export and every report passes through here, and nothing
else decides: an endpoint names its audience and hands the records over, and what comes back is
all that audience may be shown. One filter means one policy to read, test and argue about.

The policy (``docs/audiences.md`` says it in words; the tests check every cell):

=============  ==========================================================================
audience       sees
=============  ==========================================================================
analyst        everything, exactly as stored; records decisions
lead           everything, exactly as stored
monitor        the mission's own reports and coverage (not the parties' complaints)
participant    what the lead shares: the mission's own reports and coverage without
               monitor identities; no raw complaints
party:<ID>     its own complaints, exactly as filed; nothing else raw
public         no raw material at all (reports, complaints and coverage are unverified
               and would reveal sensor and observer positions)
everyone       counts per region and day of the mission's own observations (the SMM
               published them daily: a number carries no position and no identity)
=============  ==========================================================================

Identities of monitors are the names of patrols and sensors; positions of observers are the
``observer`` of a bearing. Both are removed wherever a view is *redacted*. Incidents and findings
join the table when their stages land (verified findings, generalised to 1 km, for the public).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ceasefire.errors import InputRefused
from ceasefire.model.coverage import Coverage
from ceasefire.model.report import Report
from ceasefire.model.source import Source, SourceKind

__all__ = [
    "PUBLIC",
    "Audience",
    "Role",
    "counts_for_everyone",
    "generalise",
    "view_coverage",
    "view_report",
    "view_source",
]

#: The channels that are the mission's own means (everything but complaints and imports).
_MISSION_KINDS = frozenset(
    {
        SourceKind.MONITOR_PATROL,
        SourceKind.CAMERA,
        SourceKind.ACOUSTIC_SENSOR,
        SourceKind.UAV,
        SourceKind.SATELLITE,
    }
)


class Role(StrEnum):
    """Who is asking, as far as what they may see goes."""

    ANALYST = "analyst"  # the mission's analysts: everything, and they record decisions
    LEAD = "lead"  # the lead nation: everything
    MONITOR = "monitor"  # field monitors and sensor operators: send reports, read the mission's own
    PARTICIPANT = "participant"  # participating nations: what the lead shares
    PARTY = "party"  # a party to the agreement: its own complaints, findings that concern it
    PUBLIC = "public"  # anyone, without logging in


@dataclass(frozen=True, slots=True)
class Audience:
    """A role, and for a party the party's id (``party:UA``)."""

    role: Role
    party: str | None = None

    @classmethod
    def parse(cls, text: str) -> Audience:
        """Read ``analyst``, ``lead``, ``monitor``, ``participant``, ``public`` or ``party:ID``.

        Raises:
            InputRefused: not one of those.
        """
        name, _, party = text.strip().partition(":")
        try:
            role = Role(name)
        except ValueError:
            choices = ", ".join(r.value for r in Role if r is not Role.PARTY)
            raise InputRefused(f"audience {text!r} is not one of: {choices}, party:ID") from None
        if (role is Role.PARTY) != bool(party.strip()):
            raise InputRefused(f"audience {text!r}: a party is named as party:ID, e.g. party:UA")
        return cls(role, party.strip() or None)

    def __str__(self) -> str:
        return f"party:{self.party}" if self.role is Role.PARTY else self.role.value

    @property
    def sees_everything(self) -> bool:
        """True for the audiences that see every record exactly as stored."""
        return self.role in (Role.ANALYST, Role.LEAD)


PUBLIC = Audience(Role.PUBLIC)


def view_source(source: Source, audience: Audience) -> dict[str, Any] | None:
    """Return what ``audience`` may see of a source, or ``None``."""
    if audience.sees_everything:
        return source.to_dict()
    if audience.role is Role.PARTY:
        return source.to_dict() if _belongs_to(source, audience) else None
    if audience.role in (Role.MONITOR, Role.PARTICIPANT) and source.kind in _MISSION_KINDS:
        return source.to_dict() if audience.role is Role.MONITOR else _anonymous(source)
    return None


def view_report(report: Report, audience: Audience) -> dict[str, Any] | None:
    """Return what ``audience`` may see of a report, or ``None`` when it may see none of it."""
    if audience.sees_everything:
        return report.to_dict()
    if audience.role is Role.PARTY:
        return report.to_dict() if _belongs_to(report.source, audience) else None
    if report.source.kind not in _MISSION_KINDS:
        return None
    if audience.role is Role.MONITOR:
        return report.to_dict()
    if audience.role is Role.PARTICIPANT:
        document = report.to_dict()
        document["source"] = _anonymous(report.source)
        document["evidence"] = [
            {key: value for key, value in item.items() if key not in ("device", "custody")}
            for item in document["evidence"]
        ]
        return document
    return None


def view_coverage(record: Coverage, audience: Audience) -> dict[str, Any] | None:
    """Return what ``audience`` may see of a coverage record, or ``None``."""
    if audience.sees_everything or audience.role is Role.MONITOR:
        return record.to_dict()
    if audience.role is Role.PARTICIPANT and record.source.kind in _MISSION_KINDS:
        document = record.to_dict()
        document["source"] = _anonymous(record.source)
        return document
    return None


def counts_for_everyone(report: Report) -> bool:
    """Whether a report may be *counted* in figures every audience reads (daily totals per
    region): the mission's own observations are; a party's complaint is a claim, never counted."""
    return report.source.kind in _MISSION_KINDS


def generalise(lon: float, lat: float, grid_m: float = 1_000.0) -> tuple[float, float]:
    """Snap a position to the centre of its cell of a ``grid_m`` grid (what the public sees).

    The cell is ``grid_m`` on a side in metres at that latitude, so a published point says which
    square kilometre something happened in and no more.
    """
    metres_per_degree_lat = 111_320.0
    metres_per_degree_lon = metres_per_degree_lat * max(math.cos(math.radians(lat)), 1e-6)
    step_lat, step_lon = grid_m / metres_per_degree_lat, grid_m / metres_per_degree_lon
    snapped_lat = (math.floor(lat / step_lat) + 0.5) * step_lat
    snapped_lon = (math.floor(lon / step_lon) + 0.5) * step_lon
    return round(snapped_lon, 5), round(snapped_lat, 5)


def _belongs_to(source: Source, audience: Audience) -> bool:
    return source.kind is SourceKind.PARTY_COMPLAINT and source.party == audience.party


def _anonymous(source: Source) -> dict[str, Any]:
    """A source without who it is: its kind and organisation, never the patrol or sensor."""
    return {"kind": source.kind.value, "organisation": source.organisation}
