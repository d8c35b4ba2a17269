"""CIR "Eyes on Russia" events (``--format cir``): open-source posts, geolocated, one report each.

The Centre for Information Resilience collected social-media posts and geolocated them. Each
row is an ``open_source`` report whose ``cites`` is the post's link: two rows (or two
organisations) citing one post are copies, and fusion must not count them as corroboration.
The ``entry`` id (``UW0067``) is the ``source_ref``. The event group maps to our activity by the
table :data:`EVENT_GROUPS` (documented in ``docs/importers.md``).
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
)

__all__ = ["EVENT_GROUPS", "READER", "CirOptions"]

REQUIRED = ("entry", "date", "event_group", "title", "lat", "lon", "link")

#: Start of CIR's ``event_group`` (the month suffix varies) → our activity, and the actor the
#: group names (``None``: the group names none).
EVENT_GROUPS: tuple[tuple[str, str, str | None], ...] = (
    ("Civilian Infrastructure Damage", "infrastructure_damage", None),
    ("Military Infrastructure Damage", "infrastructure_damage", None),
    ("Bombing or Explosion", "explosion", None),
    ("Russian Military Presence", "troop_presence", "RU"),
    ("Russian Firing Positions", "weapon_presence", "RU"),
    ("Russian Allies Presence", "troop_presence", None),
    ("Russian Military Losses", "other", "RU"),
    ("Ukrainian Military Losses", "other", "UA"),
    ("Civilian Casualty", "civilian_harm", None),
    ("Mass grave or Burial", "civilian_harm", None),
    ("Munitions", "other", None),
    ("Ground Battle", "other", None),
    ("Detentions or Arrests", "other", None),
    ("Other", "other", None),
)


@dataclass(frozen=True, slots=True)
class CirOptions:
    """Settings of the CIR importer."""

    source_id: str = field(default="cir-eyes-on-russia", metadata={"help": "Source id."})
    reliability: str = field(default="C", metadata={"help": "Admiralty letter given to CIR."})
    utc_offset: str = field(default="+02:00", metadata={"help": "UTC offset of CIR's dates."})
    bbox: str | None = field(
        default=None, metadata={"help": "lon_min,lat_min,lon_max,lat_max: refuse points outside."}
    )
    geolocated_m: float = field(
        default=1000.0, metadata={"help": "Uncertainty (m) of a point with a geolocation proof."}
    )
    ungeolocated_m: float = field(
        default=10000.0, metadata={"help": "Uncertainty (m) of a point without one."}
    )

    def __post_init__(self) -> None:
        check_options(self)


def _to_record(row: dict[str, Any], options: CirOptions, now: datetime) -> dict[str, Any]:
    lon, lat = coordinate_pair(row, "lon", "lat")
    bbox_check(lon, lat, options.bbox, "lat")
    day = event_date(row, "date", now.date())
    observed_at, _ = day_bounds(day, day, options.utc_offset)
    activity, actor = _group(row)
    link = cell(row, "link")
    cites = link if link is not None and link.startswith(("http://", "https://")) else None
    title, brief = cell(row, "title"), cell(row, "brief description")
    narrative = "\n".join(part for part in (title, brief) if part) or None
    if link is not None and cites is None:
        narrative = f"{narrative or ''}\n[link: {link}]".strip()
    record: dict[str, Any] = {
        "source": {"id": options.source_id, "kind": "open_source",
                   "organisation": "Centre for Information Resilience",
                   "reliability": options.reliability, "name": "Eyes on Russia"},
        "source_ref": cell(row, "entry"),
        "observed_at": observed_at,
        "time_precision": "day",
        "location": {"lon": lon, "lat": lat, "uncertainty_m": (
            options.geolocated_m if cell(row, "geolocation") else options.ungeolocated_m)},
        "activity": activity,
        "narrative": narrative,
        "language": "en",
    }  # fmt: skip
    if cites is not None:
        record["cites"] = cites
    if actor is not None:
        record["actor"] = actor
    if cell(row, "arms/munition"):
        record["weapon"] = {"system": cell(row, "arms/munition")}
    return record


def _group(row: dict[str, Any]) -> tuple[str, str | None]:
    group = cell(row, "event_group")
    if group is None:
        raise RecordRejected("event_group", "is required")
    for prefix, activity, actor in EVENT_GROUPS:
        if group.startswith(prefix):
            return activity, actor
    return "other", None


READER = Reader(
    "cir",
    'CIR "Eyes on Russia" open-source events CSV (one geolocated post per row)',
    (),
    read_table(REQUIRED, _csv.READER.read),
    recognise=lambda name, head: header_has(head, ("entry", "event_group", "link", "geolocation")),
    options=CirOptions,
    to_record=_to_record,
)
