"""Reading one field of an incoming record, with an error that names the field.

Every intake path (JSON, CSV, GeoJSON, later ODK and sensor feeds) funnels its values through
these few readers, so that a malformed value is always rejected the same way: with the field's
dotted path and a reason the sender can act on (see :class:`ceasefire.errors.RecordRejected`).
"""

from __future__ import annotations

import math
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar

from ceasefire.errors import RecordRejected

__all__ = [
    "optional_float",
    "optional_int",
    "optional_str",
    "timestamp",
    "vocabulary",
]

E = TypeVar("E", bound=StrEnum)


def vocabulary(enum: type[E], value: Any, field: str) -> E:
    """Return ``value`` as a member of the closed vocabulary ``enum``.

    Raises:
        RecordRejected: ``value`` is missing or not in the vocabulary (the message lists them).
    """
    if value is None or value == "":
        raise RecordRejected(field, "is required")
    try:
        return enum(str(value).strip())
    except ValueError:
        choices = ", ".join(member.value for member in enum)
        raise RecordRejected(field, f"{value!r} is not one of: {choices}") from None


def optional_str(data: dict[str, Any], key: str, field: str) -> str | None:
    """Return a string field, or ``None`` when it is absent or empty.

    Raises:
        RecordRejected: the value is present but not text (a list or an object).
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordRejected(field, f"must be text, not {type(value).__name__}")
    return str(value).strip() or None


def optional_float(
    data: dict[str, Any],
    key: str,
    field: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float | None:
    """Return a finite number within bounds, or ``None`` when absent.

    CSV hands every value over as text, so numeric strings are accepted.

    Raises:
        RecordRejected: not a number, not finite, or out of bounds.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise RecordRejected(field, "must be a number, not true/false")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RecordRejected(field, f"must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise RecordRejected(field, f"must be a finite number, got {value!r}")
    if minimum is not None and number < minimum:
        raise RecordRejected(field, f"must be at least {minimum:g}, got {number:g}")
    if maximum is not None and number > maximum:
        raise RecordRejected(field, f"must be at most {maximum:g}, got {number:g}")
    return number


def optional_int(
    data: dict[str, Any], key: str, field: str, *, minimum: int | None = None
) -> int | None:
    """Return a whole number at least ``minimum``, or ``None`` when absent.

    Raises:
        RecordRejected: not a whole number, or below the minimum.
    """
    number = optional_float(data, key, field)
    if number is None:
        return None
    if not number.is_integer():
        raise RecordRejected(field, f"must be a whole number, got {data.get(key)!r}")
    whole = int(number)
    if minimum is not None and whole < minimum:
        raise RecordRejected(field, f"must be at least {minimum}, got {whole}")
    return whole


def timestamp(value: Any, field: str) -> datetime:
    """Parse an ISO 8601 timestamp that states its offset from UTC.

    A time without an offset is refused rather than guessed: the SMM reported in Eastern European
    Time, sensors in UTC, parties in their own zones, and a silent guess moves an event across the
    daily report's cut-off.

    Raises:
        RecordRejected: missing, unparsable, or without a UTC offset.
    """
    if value is None or value == "":
        raise RecordRejected(
            field, "is required (ISO 8601 with offset, e.g. 2020-09-15T21:40+03:00)"
        )
    if not isinstance(value, str):
        raise RecordRejected(field, f"must be an ISO 8601 string, got {type(value).__name__}")
    text = value.strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise RecordRejected(field, f"{value!r} is not an ISO 8601 date and time") from None
    if parsed.tzinfo is None or parsed.utcoffset() is None:
        raise RecordRejected(
            field, f"{value!r} has no UTC offset; write it as e.g. {text}+03:00 or {text}Z"
        )
    return parsed
