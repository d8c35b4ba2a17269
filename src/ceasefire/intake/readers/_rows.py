"""Reading one column of another organisation's table: the checks every importer shares.

The importers turn rows of UCDP, ACLED, CIR, uawardata and ODK exports into records; they meet
the same failures (a coordinate out of range or swapped, a date before 1900 or in the future, a
count that is ``NaN``, a column the file does not have). Each check here raises
:class:`RecordRejected` naming the *source* column, so a refusal points at what the person who
made the file can fix.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers._base import Limits, RawRecord

__all__ = [
    "EARLIEST_YEAR",
    "bbox_check",
    "cell",
    "check_options",
    "coordinate_pair",
    "day_bounds",
    "event_date",
    "header_has",
    "read_table",
    "whole_number",
]

#: Dates before this year are refused as typing errors (no monitoring data predates it).
EARLIEST_YEAR = 1900

#: Month-first date forms that spreadsheet exports of GED and ACLED use, besides ISO 8601.
_DATE_FORMATS = (
    "%Y-%m-%d",
    "%m/%d/%Y",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %I:%M:%S %p",
    "%d %B %Y",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
)


def cell(row: dict[str, Any], column: str) -> str | None:
    """Return a column's text stripped, or ``None`` when empty or absent."""
    value = row.get(column)
    if value is None:
        return None
    text = str(value).strip()
    return text or None


def whole_number(row: dict[str, Any], column: str, *, minimum: int = 0) -> int | None:
    """Return a column as a whole number at least ``minimum``, ``None`` when empty.

    Raises:
        RecordRejected: not a number, ``NaN`` or infinite, fractional, or below the minimum.
    """
    text = cell(row, column)
    if text is None:
        return None
    try:
        number = float(text)
    except ValueError:
        raise RecordRejected(column, f"{text!r} is not a number") from None
    if not math.isfinite(number):
        raise RecordRejected(column, f"{text!r} is not a finite number")
    if not number.is_integer():
        raise RecordRejected(column, f"must be a whole number, got {text!r}")
    if number < minimum:
        raise RecordRejected(column, f"must be at least {minimum}, got {text!r}")
    return int(number)


def _degrees(row: dict[str, Any], column: str, limit: float) -> float:
    text = cell(row, column)
    if text is None:
        raise RecordRejected(column, "is required")
    try:
        value = float(text)
    except ValueError:
        raise RecordRejected(column, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise RecordRejected(column, f"{text!r} is not a finite number")
    if abs(value) > limit:
        raise RecordRejected(column, f"{value:g} is outside -{limit:g}..{limit:g}")
    return value


def coordinate_pair(row: dict[str, Any], lon_column: str, lat_column: str) -> tuple[float, float]:
    """Return (lon, lat) from two columns, each checked for range.

    A latitude beyond ±90 whose longitude would be a valid latitude is reported as swapped.

    Raises:
        RecordRejected: missing, not a number, out of range or evidently swapped.
    """
    lat_text = cell(row, lat_column)
    lon_text = cell(row, lon_column)
    try:
        lat_value = float(lat_text) if lat_text is not None else None
        lon_value = float(lon_text) if lon_text is not None else None
    except ValueError:
        lat_value = lon_value = None
    if (
        lat_value is not None
        and lon_value is not None
        and abs(lat_value) > 90
        and abs(lon_value) <= 90
    ):
        raise RecordRejected(
            lat_column, f"{lat_value:g} is not a latitude; {lat_column} and {lon_column} swapped?"
        )
    return _degrees(row, lon_column, 180), _degrees(row, lat_column, 90)


def check_options(options: Any) -> None:
    """Check the settings importers share (reliability letter, UTC offset, bounding box).

    Called from each options dataclass's ``__post_init__``, so a bad ``--option`` is refused
    once, before any row is read.

    Raises:
        ValueError: a setting is malformed (the option parser names the option).
    """
    reliability = getattr(options, "reliability", "A")
    if str(reliability).upper() not in {"A", "B", "C", "D", "E", "F"}:
        raise ValueError(f"reliability must be an Admiralty letter A-F, got {reliability!r}")
    offset = getattr(options, "utc_offset", "+00:00")
    if re.fullmatch(r"[+-](0\d|1[0-4]):[0-5]\d", offset) is None:
        raise ValueError(f"utc_offset must look like +03:00, got {offset!r}")
    bbox = getattr(options, "bbox", None)
    if bbox:
        parts = bbox.split(",")
        try:
            lon_min, lat_min, lon_max, lat_max = (float(part) for part in parts)
        except ValueError:
            raise ValueError(
                f"bbox must be lon_min,lat_min,lon_max,lat_max, got {bbox!r}"
            ) from None
        if not (lon_min < lon_max and lat_min < lat_max):
            raise ValueError(f"bbox {bbox!r} has a minimum above its maximum")


def bbox_check(lon: float, lat: float, bbox: str | None, lat_column: str) -> None:
    """Refuse a point outside the expected area ``lon_min,lat_min,lon_max,lat_max`` (if given).

    A dataset about one region catches swapped coordinates this way: (48.1, 37.7) is a valid
    point, but in Iran, not in Donbas.

    Raises:
        RecordRejected: the point lies outside; the message says which way a swap would put it.
    """
    if not bbox:
        return
    lon_min, lat_min, lon_max, lat_max = (float(part) for part in bbox.split(","))
    if lon_min <= lon <= lon_max and lat_min <= lat <= lat_max:
        return
    hint = (
        "; latitude and longitude look swapped"
        if lon_min <= lat <= lon_max and lat_min <= lon <= lat_max
        else ""
    )
    raise RecordRejected(
        lat_column, f"({lon:g}, {lat:g}) lies outside the expected area {bbox}{hint}"
    )


def event_date(row: dict[str, Any], column: str, today: date) -> date:
    """Return a column's calendar date (ISO or month-first), between 1900 and today.

    Raises:
        RecordRejected: missing, in no known form, before 1900 or after ``today``.
    """
    text = cell(row, column)
    if text is None:
        raise RecordRejected(column, "is required")
    for form in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text, form).date()
            break
        except ValueError:
            continue
    else:
        raise RecordRejected(
            column, f"{text!r} is not a date (YYYY-MM-DD, MM/DD/YYYY or '24 February 2022')"
        )
    if parsed.year < EARLIEST_YEAR:
        raise RecordRejected(column, f"{text} is before {EARLIEST_YEAR}")
    if parsed > today:
        raise RecordRejected(column, f"{text} is in the future (today is {today.isoformat()})")
    return parsed


def day_bounds(first: date, last: date, utc_offset: str) -> tuple[str, str | None]:
    """Return ``observed_at`` and ``observed_until`` for a day or a span of whole days.

    A single day gives its start and no end (``time_precision`` says ``day``); a span gives the
    start of the first day and the end of the last.
    """
    start = f"{first.isoformat()}T00:00:00{utc_offset}"
    if last == first:
        return start, None
    end_day = last + timedelta(days=1)
    end = datetime.fromisoformat(f"{end_day.isoformat()}T00:00:00{utc_offset}") - timedelta(
        seconds=1
    )
    return start, end.isoformat()


def header_has(head: str, required: Sequence[str]) -> bool:
    """Tell whether a CSV's first line names every required column (for ``recognise``)."""
    first_line = head.lstrip("\ufeff").split("\n", 1)[0]
    try:
        columns = {column.strip() for column in next(csv.reader(io.StringIO(first_line)))}
    except (StopIteration, csv.Error):
        return False
    return set(required) <= columns


def read_table(
    required: Sequence[str],
    read_csv: Callable[[str, str, Limits], Iterator[RawRecord]],
) -> Callable[[str, str, Limits], Iterator[RawRecord]]:
    """Wrap the CSV reader so a file lacking a required column is refused whole, once.

    Without this, every row would be refused for the same missing column; one refusal naming
    the columns is what the person who made the file needs.
    """

    def read(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
        first_line = text.lstrip("\ufeff").split("\n", 1)[0]
        try:
            columns = [c.strip() for c in next(csv.reader(io.StringIO(first_line)))]
        except (StopIteration, csv.Error):
            columns = []
        missing = [column for column in required if column not in columns]
        if missing:
            reason = f"is missing from the header (the format needs {', '.join(missing)})"
            error = RecordRejected(missing[0], reason)
            yield RawRecord(name, "line 1 (header)", first_line, error=error)
            return
        yield from read_csv(name, text, limits)

    return read
