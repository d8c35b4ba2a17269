"""Reading one field of an incoming record, with an error that names the field.

Every intake path (JSON, CSV, GeoJSON, later ODK and sensor feeds) funnels its values through
these few readers, so that a malformed value is always rejected the same way: with the field's
dotted path and a reason the sender can act on (see :class:`ceasefire.errors.RecordRejected`).
"""

from __future__ import annotations

import difflib
import math
import unicodedata
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, TypeVar

from ceasefire.errors import RecordRejected

__all__ = [
    "EARLIEST_TIME",
    "MAX_CLOCK_SKEW",
    "MAX_DIGITS",
    "KeySpec",
    "check_keys",
    "optional_float",
    "optional_int",
    "optional_str",
    "timestamp",
    "vocabulary",
]

#: No observation, capture or custody event is older than this: the first is refused as a typo
#: (``0001-01-01``) long before it could overflow a UTC conversion.
EARLIEST_TIME = datetime(1900, 1, 1, tzinfo=UTC)

#: How far after the mission's clock a time may lie: a device's clock runs a little fast, but a
#: local time written with ``Z`` (three hours ahead in Kyiv) is an error, not a skew.
MAX_CLOCK_SKEW = timedelta(minutes=10)

#: Most digits a whole number written as text (a CSV cell) may have.
MAX_DIGITS = 20

#: What keys an object may have: each key's own spec (an object's keys, ``[spec]`` for a list of
#: objects), or ``None`` for a value whose inside is not checked here.
KeySpec = Mapping[str, Any]

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
        raise RecordRejected(field, f"{_shown(value)} is not one of: {choices}") from None


def _shown(value: Any, limit: int = 80) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters, for messages about hostile values."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _control_character(text: str) -> str | None:
    """Return the first control or format character in ``text`` (NUL, ESC, bidi overrides)."""
    for char in text:
        if unicodedata.category(char) in ("Cc", "Cf"):
            return char
    return None


def _identifier(text: str, field: str) -> str:
    char = _control_character(text)
    if char is not None:
        raise RecordRejected(
            field,
            f"contains the control character U+{ord(char):04X}; identifiers and labels may not "
            "(it would make a different identity that looks the same)",
        )
    return text


def required_str(data: dict[str, Any], key: str, field: str) -> str:
    """Return a non-empty identifier or label.

    Raises:
        RecordRejected: the field is absent, empty, not a string, or holds a control character.
    """
    value = data.get(key)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value.strip():
        raise RecordRejected(field, "is required and must be a non-empty string")
    return _identifier(value.strip(), field)


def optional_str(
    data: dict[str, Any], key: str, field: str, *, free_text: bool = False
) -> str | None:
    """Return a string field, or ``None`` when it is absent or empty.

    Identifiers and labels (the default) refuse control characters: ``NUL-3\x00`` would be a
    different identity from ``NUL-3`` that prints the same. Free text (``free_text=True``: a
    narrative, a reason, a note) is kept exactly as received, control characters included; it
    is stored as JSON, which escapes them, and never used as an identity.

    Raises:
        RecordRejected: the value is present but not text (a list or an object), or an
            identifier holds a control character.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise RecordRejected(field, f"must be text, not {type(value).__name__}")
    text = str(value).strip() or None
    return text if text is None or free_text else _identifier(text, field)


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
    except OverflowError:
        raise RecordRejected(field, "must be a finite number, got a number too large") from None
    except (TypeError, ValueError):
        raise RecordRejected(field, f"must be a number, got {_shown(value)}") from None
    if not math.isfinite(number):
        raise RecordRejected(field, f"must be a finite number, got {_shown(value)}")
    if minimum is not None and number < minimum:
        raise RecordRejected(field, f"must be at least {minimum:g}, got {number:g}")
    if maximum is not None and number > maximum:
        raise RecordRejected(field, f"must be at most {maximum:g}, got {number:g}")
    return number


def optional_int(
    data: dict[str, Any], key: str, field: str, *, minimum: int | None = None, maximum: int
) -> int | None:
    """Return a whole number from ``minimum`` to ``maximum``, or ``None`` when absent.

    Every whole-number field has an upper bound: a ``count`` of 10^18 is no observation, and
    an unbounded integer overflows the store's 64-bit columns. Integers are read exactly (not
    through a float, which would round 2^53 + 1).

    Raises:
        RecordRejected: not a whole number, or outside the bounds.
    """
    value = data.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        digits = value.strip().lstrip("+-")
        if len(digits) > MAX_DIGITS:
            raise RecordRejected(field, f"must be at most {maximum:,}, got {len(digits):,} digits")
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        whole = value
    else:
        number = optional_float(data, key, field)
        if number is None or not number.is_integer():
            raise RecordRejected(field, f"must be a whole number, got {_shown(value)}")
        if abs(number) > maximum:
            raise RecordRejected(field, f"must be at most {maximum:,}, got {number:g}")
        whole = int(number)
    if minimum is not None and whole < minimum:
        raise RecordRejected(field, f"must be at least {minimum}, got {whole}")
    if whole > maximum:
        raise RecordRejected(field, f"must be at most {maximum:,}, got {whole:,}")
    return whole


def timestamp(value: Any, field: str, *, now: datetime | None = None) -> datetime:
    """Parse an ISO 8601 timestamp that states its offset from UTC, within plausible bounds.

    A time without an offset is refused rather than guessed: the SMM reported in Eastern European
    Time, sensors in UTC, parties in their own zones, and a silent guess moves an event across the
    daily report's cut-off. A time before :data:`EARLIEST_TIME` is refused; so is one more than
    :data:`MAX_CLOCK_SKEW` after ``now`` (the mission's clock) when ``now`` is given.

    Raises:
        RecordRejected: missing, unparsable, without a UTC offset, or outside the bounds.
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
    return _plausible(parsed, value, field, now)


def _plausible(parsed: datetime, value: str, field: str, now: datetime | None) -> datetime:
    # Years 1 and 9999 are refused before any UTC conversion, which would overflow on them.
    if parsed.year < EARLIEST_TIME.year or parsed < EARLIEST_TIME:
        raise RecordRejected(field, f"{value!r} is before {EARLIEST_TIME.date()}")
    latest = (now or datetime.max.replace(year=9000, tzinfo=UTC)) + MAX_CLOCK_SKEW
    if parsed.year > latest.year or parsed > latest:
        raise RecordRejected(
            field,
            f"{value!r} is in the future: after the mission's clock "
            f"({latest.isoformat(timespec='minutes')}, {MAX_CLOCK_SKEW} of skew allowed)",
        )
    return parsed


def check_keys(data: Any, spec: KeySpec, path: str = "") -> None:
    """Refuse any key of ``data`` that ``spec`` does not know, naming it and the likely key.

    A misspelt key (``atributed_to``, ``location.latt``) would otherwise vanish from the stored
    document without a word; the sender learns of it at once instead, as agreement authors do.

    Raises:
        RecordRejected: a key is unknown (the message suggests the closest known key).
    """
    if not isinstance(data, dict):
        return
    for key, value in data.items():
        where = f"{path}.{key}" if path else str(key)
        if key not in spec:
            known = sorted(spec)
            guess = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {guess[0]!r}?" if guess else f"known keys: {', '.join(known)}"
            raise RecordRejected(where, f"unknown key {_shown(key)}; {hint}")
        child = spec[key]
        if isinstance(child, list) and isinstance(value, list):
            for index, item in enumerate(value):
                check_keys(item, child[0], f"{where}[{index}]")
        elif isinstance(child, Mapping):
            check_keys(value, child, where)
