"""UCDP GED events (``--format ucdp-ged``): another organisation's coded events, one report per row.

The Georeferenced Event Dataset codes each event's place and date with a precision
(``where_prec`` 1–7, ``date_prec`` 1–5; field-reference §4.2). Both map onto ours: the location
becomes a point with the uncertainty radius the code implies, the date a day or an interval.
Sides and deaths have no field of their own in a report, so they are kept, stated, in the
narrative after the source text; the GED id is the ``source_ref``, so re-importing a release
is recognised as the same events. Robust to other releases: cp1252 files, month-first dates,
and the candidate-event releases' columns (only the columns read below are required).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers import _csv
from ceasefire.intake.readers._base import Reader
from ceasefire.intake.readers._rows import (
    cell,
    check_options,
    coordinate_pair,
    day_bounds,
    event_date,
    header_has,
    read_table,
    whole_number,
)

__all__ = ["ACTIVITY_KEYWORDS", "READER", "UcdpOptions"]

REQUIRED = (
    "id", "date_start", "date_end", "date_prec", "latitude", "longitude", "where_prec",
    "side_a", "side_b", "best",
)  # fmt: skip

#: ``where_prec`` → uncertainty radius in metres (this project's assumption, after the codebook:
#: 1 exact place, 2 within ~25 km, 3 second-order unit, 4 first-order unit, 5 vaguer than an
#: oblast, 6 the country, 7 water or airspace).
WHERE_PREC_RADIUS_M = {
    1: 2_000, 2: 25_000, 3: 30_000, 4: 100_000, 5: 200_000, 6: 500_000, 7: 100_000,
}  # fmt: skip

#: Words of the source text → our activity; the first that matches wins, else ``other``
#: (``civilian_harm`` when the event killed civilians). Documented in ``docs/importers.md``.
ACTIVITY_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"\bmlrs\b|\bgrad\b|\buragan\b|\bsmerch\b|multiple rocket", "mlrs_fire"),
    (r"\bmortar", "mortar_fire"),
    (r"artillery|shell(ing|ed)?\b|howitzer", "artillery_fire"),
    (r"\bsniper", "sniper_fire"),
    (r"\bdrone|\buav\b", "drone_strike"),
    (r"\bmine\b|landmine|\bied\b|explosi|blast", "explosion"),
    (r"small arms|gunfire|machine.gun|shot dead|firefight|clash|ambush", "small_arms_fire"),
)


@dataclass(frozen=True, slots=True)
class UcdpOptions:
    """Settings of the UCDP GED importer."""

    source_id: str = field(default="ucdp-ged", metadata={"help": "Source id for the reports."})
    reliability: str = field(
        default="B", metadata={"help": "Admiralty reliability letter given to UCDP."}
    )
    utc_offset: str = field(
        default="+00:00", metadata={"help": "UTC offset for GED's calendar dates."}
    )

    def __post_init__(self) -> None:
        check_options(self)


def _to_record(row: dict[str, Any], options: UcdpOptions, now: datetime) -> dict[str, Any]:
    event_id = cell(row, "id")
    if event_id is None:
        raise RecordRejected("id", "is required (the GED event id)")
    lon, lat = coordinate_pair(row, "longitude", "latitude")
    _check_wkt(row, lon, lat)
    where_prec = _code(row, "where_prec", WHERE_PREC_RADIUS_M)
    first = event_date(row, "date_start", now.date())
    last = event_date(row, "date_end", now.date()) if cell(row, "date_end") else first
    if last < first:
        raise RecordRejected("date_end", f"{last} is before date_start {first}")
    date_prec = _code(row, "date_prec", {1: 1, 2: 2, 3: 3, 4: 4, 5: 5})
    observed_at, observed_until = day_bounds(first, last, options.utc_offset)
    deaths = {
        column: whole_number(row, column)
        for column in ("best", "low", "high", "deaths_a", "deaths_b", "deaths_civilians")
    }
    if deaths["best"] is None:
        raise RecordRejected("best", "is required (GED's best estimate of deaths)")
    text = " ".join(
        part for part in (cell(row, "source_headline"), cell(row, "source_original")) if part
    )
    return {
        "source": {"id": options.source_id, "kind": "import", "organisation": "UCDP",
                   "reliability": options.reliability, "name": "UCDP GED"},
        "source_ref": event_id,
        "observed_at": observed_at,
        "observed_until": observed_until,
        "time_precision": "day" if observed_until is None else "interval",
        "location": {"lon": lon, "lat": lat, "uncertainty_m": WHERE_PREC_RADIUS_M[where_prec]},
        "activity": _activity(text, deaths["deaths_civilians"] or 0),
        "narrative": _narrative(row, text, deaths, date_prec),
        "language": "en",
        "credibility": 2 if cell(row, "event_clarity") in (None, "1") else 3,
    }  # fmt: skip


def _code(row: dict[str, Any], column: str, known: dict[int, Any]) -> int:
    value = whole_number(row, column, minimum=1)
    if value is None or value not in known:
        raise RecordRejected(column, f"must be one of {sorted(known)}, got {cell(row, column)!r}")
    return value


def _check_wkt(row: dict[str, Any], lon: float, lat: float) -> None:
    """Refuse a row whose latitude/longitude disagree with its own ``geom_wkt`` point."""
    match = re.fullmatch(r"POINT \(([-\d.]+) ([-\d.]+)\)", cell(row, "geom_wkt") or "")
    if match is None:
        return
    wkt_lon, wkt_lat = float(match.group(1)), float(match.group(2))
    if abs(wkt_lon - lon) < 1e-4 and abs(wkt_lat - lat) < 1e-4:
        return
    swapped = abs(wkt_lon - lat) < 1e-4 and abs(wkt_lat - lon) < 1e-4
    raise RecordRejected(
        "latitude",
        f"({lon:g}, {lat:g}) disagrees with geom_wkt {cell(row, 'geom_wkt')}"
        + ("; latitude and longitude are swapped" if swapped else ""),
    )


def _activity(text: str, civilian_deaths: int) -> str:
    lowered = text.lower()
    for pattern, activity in ACTIVITY_KEYWORDS:
        if re.search(pattern, lowered):
            return activity
    return "civilian_harm" if civilian_deaths else "other"


def _narrative(row: dict[str, Any], text: str, deaths: dict[str, int | None], prec: int) -> str:
    where = cell(row, "where_description") or cell(row, "where_coordinates") or "unstated"
    stated = (
        f"[UCDP GED {cell(row, 'relid') or cell(row, 'id')}] sides: {cell(row, 'side_a')} vs "
        f"{cell(row, 'side_b')}; deaths best {deaths['best']} (low {deaths['low']}, high "
        f"{deaths['high']}; side a {deaths['deaths_a']}, side b {deaths['deaths_b']}, civilians "
        f"{deaths['deaths_civilians']}); where: {where}; date_prec {prec}"
    )
    return f"{text}\n{stated}" if text else stated


READER = Reader(
    "ucdp-ged",
    "UCDP Georeferenced Event Dataset CSV (any release, also candidate events)",
    (),
    read_table(REQUIRED, _csv.READER.read),
    recognise=lambda name, head: header_has(head, ("id", "where_prec", "date_prec", "side_a")),
    options=UcdpOptions,
    to_record=_to_record,
    encodings=("utf-8-sig", "cp1252"),
)
