"""ACLED events (``--format acled``): another organisation's coded events, one report per row.

ACLED codes each event with ``geo_precision`` 1–3 and ``time_precision`` 1–3 (field-reference
§4.1); both map onto ours. Event types and sub-types map to our activity vocabulary by the one
table :data:`SUB_EVENT_ACTIVITY` (documented in ``docs/importers.md``; the ACLED export will
read the same table the other way). ACLED's actors "do not imply directionality", so they are
kept, stated, in the narrative and never become an attribution. ``event_id_cnty`` is the
``source_ref``: ACLED revises events weekly, and a revised row arrives as a changed record.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
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

__all__ = ["GEO_PRECISION_RADIUS_M", "READER", "SUB_EVENT_ACTIVITY", "AcledOptions"]

REQUIRED = (
    "event_id_cnty", "event_date", "time_precision", "event_type", "sub_event_type",
    "latitude", "longitude", "geo_precision",
)  # fmt: skip

#: ACLED ``sub_event_type`` → our activity. A sub-type not listed maps by its event type
#: (:data:`EVENT_TYPE_ACTIVITY`), else to ``other``.
SUB_EVENT_ACTIVITY: dict[str, str] = {
    "Armed clash": "small_arms_fire",
    "Government regains territory": "troop_presence",
    "Non-state actor overtakes territory": "troop_presence",
    "Shelling/artillery/missile attack": "artillery_fire",
    "Air/drone strike": "drone_strike",
    "Remote explosive/landmine/IED": "explosion",
    "Grenade": "explosion",
    "Suicide bomb": "explosion",
    "Chemical weapon": "other",
    "Attack": "civilian_harm",
    "Abduction/forced disappearance": "civilian_harm",
    "Sexual violence": "civilian_harm",
    "Headquarters or base established": "troop_presence",
    "Non-violent transfer of territory": "troop_presence",
    "Looting/property destruction": "infrastructure_damage",
    "Disrupted weapons use": "other",
    "Agreement": "other",
    "Arrests": "other",
    "Change to group/activity": "other",
    "Other": "other",
}

#: ACLED ``event_type`` → our activity, for a sub-type the table above does not know.
EVENT_TYPE_ACTIVITY: dict[str, str] = {
    "Battles": "small_arms_fire",
    "Explosions/Remote violence": "explosion",
    "Violence against civilians": "civilian_harm",
    "Protests": "other",
    "Riots": "other",
    "Strategic developments": "other",
}

#: ``geo_precision`` → uncertainty radius (m): 1 the town, 2 near it or part of a region,
#: 3 a larger part of a region (the radii of ``PlacePrecision`` settlement, near, region).
GEO_PRECISION_RADIUS_M = {1: 2_000, 2: 10_000, 3: 100_000}


@dataclass(frozen=True, slots=True)
class AcledOptions:
    """Settings of the ACLED importer."""

    source_id: str = field(default="acled", metadata={"help": "Source id for the reports."})
    reliability: str = field(default="B", metadata={"help": "Admiralty letter given to ACLED."})
    utc_offset: str = field(default="+00:00", metadata={"help": "UTC offset of ACLED's dates."})
    bbox: str | None = field(
        default=None, metadata={"help": "lon_min,lat_min,lon_max,lat_max: refuse points outside."}
    )

    def __post_init__(self) -> None:
        check_options(self)


def _to_record(row: dict[str, Any], options: AcledOptions, now: datetime) -> dict[str, Any]:
    event_id = cell(row, "event_id_cnty")
    if event_id is None:
        raise RecordRejected("event_id_cnty", "is required (ACLED's event id)")
    lon, lat = coordinate_pair(row, "longitude", "latitude")
    bbox_check(lon, lat, options.bbox, "latitude")
    geo = whole_number(row, "geo_precision", minimum=1)
    if geo not in GEO_PRECISION_RADIUS_M:
        raise RecordRejected(
            "geo_precision", f"must be 1, 2 or 3, got {cell(row, 'geo_precision')!r}"
        )
    day = event_date(row, "event_date", now.date())
    first, last = _time_span(row, day)
    observed_at, observed_until = day_bounds(first, last, options.utc_offset)
    fatalities = whole_number(row, "fatalities")
    return {
        "source": {"id": options.source_id, "kind": "import", "organisation": "ACLED",
                   "reliability": options.reliability, "name": "ACLED"},
        "source_ref": event_id,
        "observed_at": observed_at,
        "observed_until": observed_until,
        "time_precision": "day" if observed_until is None else "interval",
        "location": {"lon": lon, "lat": lat, "uncertainty_m": GEO_PRECISION_RADIUS_M[geo]},
        "activity": activity_of(cell(row, "event_type"), cell(row, "sub_event_type"), row),
        "narrative": _narrative(row, fatalities),
        "language": "en",
    }  # fmt: skip


def activity_of(event_type: str | None, sub_event_type: str | None, row: dict[str, Any]) -> str:
    """Map ACLED's event type and sub-type to our activity (the documented table).

    An "Air/drone strike" is a ``drone_strike`` only when the notes speak of a drone or UAV;
    otherwise it is an ``explosion`` (an aircraft's bomb or missile).
    """
    if sub_event_type == "Air/drone strike":
        notes = (cell(row, "notes") or "").lower()
        return "drone_strike" if "drone" in notes or "uav" in notes else "explosion"
    if sub_event_type in SUB_EVENT_ACTIVITY:
        return SUB_EVENT_ACTIVITY[sub_event_type]
    return EVENT_TYPE_ACTIVITY.get(event_type or "", "other")


def _time_span(row: dict[str, Any], day: date) -> tuple[date, date]:
    """ACLED ``time_precision``: 1 the day; 2 the week around it; 3 its month."""
    precision = whole_number(row, "time_precision", minimum=1)
    if precision == 1:
        return day, day
    if precision == 2:
        return day - timedelta(days=3), day + timedelta(days=3)
    if precision == 3:
        last_day = calendar.monthrange(day.year, day.month)[1]
        return day.replace(day=1), day.replace(day=last_day)
    raise RecordRejected(
        "time_precision", f"must be 1, 2 or 3, got {cell(row, 'time_precision')!r}"
    )


def _narrative(row: dict[str, Any], fatalities: int | None) -> str:
    stated = (
        f"[ACLED {cell(row, 'event_id_cnty')}] {cell(row, 'event_type')} / "
        f"{cell(row, 'sub_event_type')}; actors: {cell(row, 'actor1') or 'unstated'} and "
        f"{cell(row, 'actor2') or 'unstated'} (no direction implied); fatalities "
        f"{'unstated' if fatalities is None else fatalities}; where: "
        f"{cell(row, 'location') or 'unstated'}, {cell(row, 'admin1') or ''}; source: "
        f"{cell(row, 'source') or 'unstated'}"
    )
    notes = cell(row, "notes")
    return f"{notes}\n{stated}" if notes else stated


READER = Reader(
    "acled",
    "ACLED events CSV export (event types mapped to our activities by a documented table)",
    (),
    read_table(REQUIRED, _csv.READER.read),
    recognise=lambda name, head: header_has(head, ("event_id_cnty", "geo_precision")),
    options=AcledOptions,
    to_record=_to_record,
    encodings=("utf-8-sig", "cp1252"),
)
