"""Who reported: monitors, sensors, parties, open sources, other organisations.

A source is graded on the first half of the NATO Admiralty code (STANAG 2511): the letter A–F
says how reliable the *source* has been, independently of any one report. The second half, the
credibility 1–6 of the information itself, belongs to each report
(see :mod:`ceasefire.model.report`).
Grading the two separately is what lets fusion later weigh "a usually reliable camera saw it"
against "a party that is not usually reliable says so".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.model._fields import optional_str, required_str, vocabulary

__all__ = ["Reliability", "Source", "SourceKind", "source_from_dict"]


class SourceKind(StrEnum):
    """The channel a report came through; it decides who may see the source's identity."""

    MONITOR_PATROL = "monitor_patrol"
    CAMERA = "camera"
    ACOUSTIC_SENSOR = "acoustic_sensor"
    UAV = "uav"
    SATELLITE = "satellite"
    PARTY_COMPLAINT = "party_complaint"
    OPEN_SOURCE = "open_source"
    IMPORT = "import"


class Reliability(StrEnum):
    """Admiralty source reliability, A (completely reliable) to F (cannot be judged)."""

    A = "A"  # completely reliable
    B = "B"  # usually reliable
    C = "C"  # fairly reliable
    D = "D"  # not usually reliable
    E = "E"  # unreliable
    F = "F"  # reliability cannot be judged


@dataclass(frozen=True, slots=True)
class Source:
    """A reporting source.

    Args:
        id: stable identifier, e.g. ``smm-cam-avdiivka`` or ``party-ua-jccc``.
        kind: the channel.
        organisation: who operates it (``OSCE SMM``, ``UCDP``, a party's liaison office).
        reliability: Admiralty letter; ``F`` when nobody has judged it yet.
        name: a human label, optional.
        party: for a party's complaint channel, the party it speaks for (``UA``): what lets
            that party, and only it, read its own complaints. Omitted from the document when
            absent, so sources registered before it existed keep their stored form.
    """

    id: str
    kind: SourceKind
    organisation: str | None = None
    reliability: Reliability = Reliability.F
    name: str | None = None
    party: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form stored and hashed by the ledger."""
        document: dict[str, Any] = {
            "id": self.id,
            "kind": self.kind.value,
            "organisation": self.organisation,
            "reliability": self.reliability.value,
            "name": self.name,
        }
        if self.party is not None:
            document["party"] = self.party
        return document


def source_from_dict(data: Any, field: str = "source") -> Source:
    """Build a source from its JSON form, naming the field at fault if it is malformed.

    Raises:
        RecordRejected: a required field is missing or a value is outside its vocabulary.
    """
    if not isinstance(data, dict):
        raise RecordRejected(field, "must be an object with at least 'id' and 'kind'")
    source_id = data.get("id")
    if not isinstance(source_id, str) or not source_id.strip():
        raise RecordRejected(f"{field}.id", "is required and must be a non-empty string")
    source_id = required_str(data, "id", f"{field}.id")
    kind = vocabulary(SourceKind, data.get("kind"), f"{field}.kind")
    reliability_raw = data.get("reliability")
    reliability = (
        Reliability.F
        if reliability_raw in (None, "")
        else vocabulary(Reliability, str(reliability_raw).upper(), f"{field}.reliability")
    )
    return Source(
        id=source_id,
        kind=kind,
        organisation=_label(data, "organisation", f"{field}.organisation"),
        reliability=reliability,
        name=_label(data, "name", f"{field}.name"),
        party=optional_str(data, "party", f"{field}.party"),
    )


def _label(data: dict[str, Any], key: str, field: str) -> str | None:
    # Labels were kept unstripped before; strip only for the control check, keep the value.
    value = data.get(key)
    if value in (None, ""):
        return None
    optional_str(data, key, field)
    return str(value)
