"""Coverage: who was watching which sector when, and what stopped them.

"No violations recorded" and "nobody could see" must never look alike in a report. The SMM's
daily reports noted camera outages, jammed UAV flights and denied patrol routes in footnotes; here
they are records, so verification can tell a quiet sector from a blind one, and so that access
denials and attacks on the monitors' means can themselves be counted as violations.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from ceasefire.errors import GeometryInvalid, RecordRejected
from ceasefire.model._fields import check_keys, optional_str, timestamp, vocabulary
from ceasefire.model.report import record_identity, refuse_intake_stamps
from ceasefire.model.source import Source, source_from_dict

if TYPE_CHECKING:
    from shapely.geometry.base import BaseGeometry

__all__ = [
    "COVERAGE_KEYS",
    "Coverage",
    "CoverageStatus",
    "coverage_from_dict",
    "coverage_from_stored",
]


class CoverageStatus(StrEnum):
    """What the observer could do in the sector during the window."""

    OBSERVING = "observing"  # watching; silence here means something
    OUTAGE = "outage"  # the means failed (camera down, sensor offline)
    JAMMED = "jammed"  # signal interference, "assessed as jamming"
    ACCESS_DENIED = "access_denied"  # a party refused passage or access
    RESTRICTED = "restricted"  # partial access (conditional, delayed, escorted)
    WEATHER = "weather"  # conditions prevented observation (fog, night without thermal)


@dataclass(frozen=True, slots=True)
class Coverage:
    """One observer's coverage of one sector over one time window.

    Args:
        id: derived identity, as for reports (source reference, else content hash).
        source: the observer or sensor.
        status: what the observer could do.
        sector: the area covered (WGS84), e.g. a camera's field of view or a patrol route buffer.
        observed_from, observed_until: the window.
        reason: free text (who denied access, what failed).
        imposed_by: the party that denied or restricted access, where one did.
    """

    id: str
    source: Source
    status: CoverageStatus
    sector: BaseGeometry
    observed_from: datetime
    observed_until: datetime
    received_at: datetime
    source_ref: str | None = None
    reason: str | None = None
    imposed_by: str | None = None

    def content(self) -> dict[str, Any]:
        """Return the record's content, everything but its id and arrival time."""
        return _jsonable(
            {
                "record": "coverage",
                "source": self.source.to_dict(),
                "source_ref": self.source_ref,
                "status": self.status.value,
                "sector": _mapping(self.sector),
                "observed_from": self.observed_from.isoformat(),
                "observed_until": self.observed_until.isoformat(),
                "reason": self.reason,
                "imposed_by": self.imposed_by,
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the stored document."""
        return {"id": self.id, "received_at": self.received_at.isoformat(), **self.content()}

    def with_identity(self) -> Coverage:
        """Return this record with its id derived like a report's (``v-`` reference, ``w-``
        content)."""
        identity = record_identity(self.source.id, self.source_ref, self.content, "v-", "w-")
        return replace(self, id=identity)


#: Every key a sender's coverage record may have, for :func:`check_keys`.
COVERAGE_KEYS: dict[str, Any] = {
    **dict.fromkeys(("record", "schema_version", "source_ref", "status", "sector", "reason")),
    **dict.fromkeys(("observed_from", "observed_until", "imposed_by")),
    "source": dict.fromkeys(("id", "kind", "organisation", "reliability", "name")),
}


def coverage_from_dict(data: dict[str, Any], *, received_at: datetime, source: Source) -> Coverage:
    """Read a coverage record as a sender sent it, naming the field at fault.

    As for reports, unknown keys, ``id``/``received_at`` and times after the mission's clock
    (``received_at``) are refused here; :func:`coverage_from_stored` reads a stored one back.

    Raises:
        RecordRejected: the window is inverted, the sector is not a valid polygon, or a field is
            outside its vocabulary.
    """
    refuse_intake_stamps(data)
    check_keys(data, COVERAGE_KEYS)
    return _coverage(data, received_at, source, now=received_at)


def coverage_from_stored(document: dict[str, Any]) -> Coverage:
    """Read a stored coverage document back as it was stored.

    Raises:
        RecordRejected: the document is not a coverage document.
    """
    received_at = timestamp(document.get("received_at"), "received_at")
    return _coverage(document, received_at, source_from_dict(document.get("source")), now=None)


def _coverage(
    data: dict[str, Any], received_at: datetime, source: Source, now: datetime | None
) -> Coverage:
    start = timestamp(data.get("observed_from"), "observed_from", now=now)
    end = timestamp(data.get("observed_until"), "observed_until", now=now)
    if end < start:
        raise RecordRejected("observed_until", "is before observed_from")
    sector = _sector(data.get("sector"))
    record = Coverage(
        id="",
        source=source,
        source_ref=optional_str(data, "source_ref", "source_ref"),
        status=vocabulary(CoverageStatus, data.get("status"), "status"),
        sector=sector,
        observed_from=start,
        observed_until=end,
        reason=optional_str(data, "reason", "reason", free_text=True),
        imposed_by=optional_str(data, "imposed_by", "imposed_by"),
        received_at=received_at,
    )
    return record.with_identity()


def _jsonable(value: dict[str, Any]) -> dict[str, Any]:
    """Turn shapely's tuples into lists so the canonical JSON is the same as a re-read's."""
    result: dict[str, Any] = _lists(value)
    return result


def _lists(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _lists(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_lists(item) for item in value]
    return value


def _mapping(geometry: BaseGeometry) -> dict[str, Any]:
    from shapely.geometry import mapping

    result: dict[str, Any] = dict(mapping(geometry))
    return result


def _sector(raw: Any) -> BaseGeometry:
    """Read the sector with the one GeoJSON polygon check, naming where in it a fault is."""
    from ceasefire.geo.geojson import polygonal  # geometry is paid for only where it is needed

    try:
        return polygonal(raw)
    except GeometryInvalid as error:
        where = "".join(f"[{k}]" if isinstance(k, int) else f".{k}" for k in error.where)
        raise RecordRejected(f"sector{where}", error.reason) from None
