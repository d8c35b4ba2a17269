"""uawardata unit and battalion-group positions (``--format uawardata``): force-presence reports.

uawardata.com published dated positions of units (``units`` file: type, strength, BTG count,
subordination) and of battalion tactical groups (``btgs`` file: type of BTG). Each row is a
``troop_presence`` report whose ``actor`` is the side (``ru`` → ``RU``, ``ua`` → ``UA``); unit
type and strength have no field of their own, so they are stated in the narrative. The files
give no row id, so identity is by content: a repeated row (a unit drawn twice at one point) is
a duplicate. Both files are told apart by their header and read by this one adapter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers import _csv
from ceasefire.intake.readers._base import Reader
from ceasefire.intake.readers._rows import (
    bbox_check,
    cell,
    check_options,
    coordinate_pair,
    day_bounds,
    event_date,
    header_has,
    read_table,
    whole_number,
)

__all__ = ["READER", "UawardataOptions"]

REQUIRED = ("date", "lat", "lng", "unit", "country")
SIDES = {"ru": "RU", "ua": "UA"}


@dataclass(frozen=True, slots=True)
class UawardataOptions:
    """Settings of the uawardata importer."""

    source_id: str = field(default="uawardata", metadata={"help": "Source id."})
    reliability: str = field(default="F", metadata={"help": "Admiralty letter given to it."})
    utc_offset: str = field(default="+03:00", metadata={"help": "UTC offset of its dates."})
    bbox: str | None = field(
        default="20,43,45,56",
        metadata={"help": "lon_min,lat_min,lon_max,lat_max: refuse points outside (catches "
                  "swapped coordinates); empty for none."},
    )  # fmt: skip
    uncertainty_m: float = field(
        default=10000.0, metadata={"help": "Uncertainty (m) of a unit's drawn position."}
    )

    def __post_init__(self) -> None:
        check_options(self)


def _to_record(row: dict[str, Any], options: UawardataOptions, now: datetime) -> dict[str, Any]:
    lon, lat = coordinate_pair(row, "lng", "lat")
    bbox_check(lon, lat, options.bbox, "lat")
    day = event_date(row, "date", now.date())
    observed_at, _ = day_bounds(day, day, options.utc_offset)
    country = (cell(row, "country") or "").lower()
    if country not in SIDES:
        raise RecordRejected("country", f"must be ru or ua, got {cell(row, 'country')!r}")
    unit = cell(row, "unit")
    if unit is None:
        raise RecordRejected("unit", "is required")
    return {
        "source": {"id": options.source_id, "kind": "import", "organisation": "uawardata.com",
                   "reliability": options.reliability, "name": "uawardata"},
        "observed_at": observed_at,
        "time_precision": "day",
        "location": {"lon": lon, "lat": lat, "uncertainty_m": options.uncertainty_m},
        "activity": "troop_presence",
        "actor": SIDES[country],
        "narrative": _narrative(row, unit, SIDES[country]),
        "language": "en",
    }  # fmt: skip


def _narrative(row: dict[str, Any], unit: str, side: str) -> str:
    """State the unit, its type and strength (the facts a report has no field for)."""
    parts = [f"{unit} ({side})"]
    unit_type = cell(row, "type") or cell(row, "type_of_btg")
    if unit_type:
        parts.append(f"type: {unit_type}")
    if cell(row, "strength"):
        parts.append(f"strength: {cell(row, 'strength')}")
    if "strength_in_btg_number" in row:
        btgs = _btgs(row)
        if btgs is not None:
            parts.append(f"battalion tactical groups: {btgs}")
    if cell(row, "subordinate_to"):
        parts.append(f"subordinate to: {cell(row, 'subordinate_to')}")
    return "; ".join(parts)


def _btgs(row: dict[str, Any]) -> int | None:
    return whole_number(row, "strength_in_btg_number")


READER = Reader(
    "uawardata",
    "uawardata.com unit or BTG positions CSV (units_all or btgs_all): force presence",
    (),
    read_table(REQUIRED, _csv.READER.read),
    recognise=lambda name, head: header_has(head, ("date", "lat", "lng", "unit", "country")),
    options=UawardataOptions,
    to_record=_to_record,
)
