"""Evidence attached to a report: identified by its bytes' hash, with a chain of custody.

The Berkeley Protocol asks that an item "remains unchanged from when it was collected" and that
every custodian and every copy be documented. We therefore never store evidence by file name or
URL alone: an attachment *is* its SHA-256, and the file may live anywhere (an evidence locker, a
sealed drive) as long as its bytes still hash to that value. The custody events say who held it.
"""

from __future__ import annotations

import hashlib
import itertools
import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, BinaryIO

from ceasefire.errors import RecordRejected
from ceasefire.model._fields import optional_int, optional_str, timestamp, vocabulary

__all__ = [
    "MAX_SIZE_BYTES",
    "CustodyAction",
    "CustodyEvent",
    "Evidence",
    "custody_event_from_dict",
    "evidence_from_dict",
    "sha256_of_stream",
]

#: Largest evidence item: 2^53 bytes (8 PiB), the largest size a JSON number carries exactly.
MAX_SIZE_BYTES = 2**53

_SHA256_HEX = re.compile(r"^[0-9a-f]{64}$")
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")


class CustodyAction(StrEnum):
    """What a custodian did with an item of evidence."""

    CAPTURED = "captured"  # the device or person that produced the original
    COLLECTED = "collected"  # taken into the mission's hands
    TRANSFERRED = "transferred"  # handed from one custodian to another
    COPIED = "copied"  # a working copy was made; the original stays sealed
    ANALYSED = "analysed"  # examined (metadata, geolocation, crater analysis)
    SEALED = "sealed"  # placed in the evidence store


@dataclass(frozen=True, slots=True)
class CustodyEvent:
    """One link of the chain of custody."""

    at: datetime
    by: str
    action: CustodyAction
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "at": self.at.isoformat(),
            "by": self.by,
            "action": self.action.value,
            "note": self.note,
        }


def custody_event_from_dict(data: Any, field: str, now: datetime | None = None) -> CustodyEvent:
    """Build a custody event, naming the field at fault.

    Args:
        data: the event's JSON form.
        field: its path in the record, for errors.
        now: the mission's clock at intake (no event may be later); ``None`` reading back.

    Raises:
        RecordRejected: missing time, custodian or action.
    """
    if not isinstance(data, dict):
        raise RecordRejected(field, "must be an object with 'at', 'by' and 'action'")
    by = optional_str(data, "by", f"{field}.by")
    if by is None:
        raise RecordRejected(f"{field}.by", "is required: who held the item")
    return CustodyEvent(
        at=timestamp(data.get("at"), f"{field}.at", now=now),
        by=by,
        action=vocabulary(CustodyAction, data.get("action"), f"{field}.action"),
        note=optional_str(data, "note", f"{field}.note", free_text=True),
    )


@dataclass(frozen=True, slots=True)
class Evidence:
    """An attachment, by hash.

    Args:
        sha256: lowercase hex SHA-256 of the item's exact bytes.
        media_type: IANA media type, e.g. ``image/jpeg``.
        size_bytes: length of the item, when known; a second check beside the hash.
        captured_at: when the device says it captured the item (EXIF, sensor clock).
        device: what captured it (camera id, phone model, sensor serial).
        filename: the name it arrived under; informative only, never an identity.
        custody: the chain of custody, oldest first.
    """

    sha256: str
    media_type: str
    size_bytes: int | None = None
    captured_at: datetime | None = None
    device: str | None = None
    filename: str | None = None
    custody: tuple[CustodyEvent, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "sha256": self.sha256,
            "media_type": self.media_type,
            "size_bytes": self.size_bytes,
            "captured_at": self.captured_at.isoformat() if self.captured_at else None,
            "device": self.device,
            "filename": self.filename,
            "custody": [event.to_dict() for event in self.custody],
        }


def evidence_from_dict(data: Any, field: str, now: datetime | None = None) -> Evidence:
    """Build an evidence item from its JSON form, naming the field at fault.

    Args:
        data: the item's JSON form.
        field: its path in the record, for errors.
        now: the mission's clock at intake (no capture may be later); ``None`` reading back.

    Raises:
        RecordRejected: the hash is not 64 hex digits, the media type is malformed, or a
            custody event is malformed.
    """
    if not isinstance(data, dict):
        raise RecordRejected(field, "must be an object with at least 'sha256' and 'media_type'")
    digest = str(data.get("sha256") or "").strip().lower()
    if not _SHA256_HEX.match(digest):
        raise RecordRejected(f"{field}.sha256", "must be 64 hexadecimal digits (SHA-256)")
    media_type = str(data.get("media_type") or "").strip().lower()
    if not _MEDIA_TYPE.match(media_type):
        raise RecordRejected(
            f"{field}.media_type",
            f"{data.get('media_type')!r} is not a media type like image/jpeg",
        )
    captured_raw = data.get("captured_at")
    custody_raw = data.get("custody") or []
    if not isinstance(custody_raw, list):
        raise RecordRejected(f"{field}.custody", "must be a list of custody events")
    custody = tuple(
        custody_event_from_dict(event, f"{field}.custody[{index}]", now)
        for index, event in enumerate(custody_raw)
    )
    if any(later.at < earlier.at for earlier, later in itertools.pairwise(custody)):
        raise RecordRejected(f"{field}.custody", "events must be in time order, oldest first")
    return Evidence(
        sha256=digest,
        media_type=media_type,
        size_bytes=optional_int(
            data, "size_bytes", f"{field}.size_bytes", minimum=0, maximum=MAX_SIZE_BYTES
        ),
        captured_at=(
            timestamp(captured_raw, f"{field}.captured_at", now=now)
            if captured_raw not in (None, "")
            else None
        ),
        device=optional_str(data, "device", f"{field}.device"),
        filename=optional_str(data, "filename", f"{field}.filename"),
        custody=custody,
    )


def sha256_of_stream(stream: BinaryIO, chunk_size: int = 1 << 20) -> str:
    """Hash a file's bytes without reading it whole into memory (videos run to gigabytes).

    The ODK and Kobo importers hash each attached photo with it on intake.
    """
    digest = hashlib.sha256()
    for chunk in iter(lambda: stream.read(chunk_size), b""):
        digest.update(chunk)
    return digest.hexdigest()
