"""Field-form submissions (``--format odk`` / ``kobo``): patrol form answers as reports.

Two servers, one form (``forms/monitor_patrol.md``, an XLSForm): ODK Central's OData endpoint
returns ``{"value": [...]}`` with groups as nested objects and a geopoint as a GeoJSON Point
whose ``properties.accuracy`` is the GPS accuracy; KoboToolbox's data API returns
``{"results": [...]}`` with flat ``group/field`` keys and a geopoint as ``"lat lon alt acc"``.
Both are flattened to the form's field names and read by one function.

The submission's ``instanceID`` is the ``source_ref``, so a form sent twice is a duplicate; an
edited submission (``deprecatedID``) becomes a report that ``corrects`` the version it replaces.
Photos are attachments: each named file is hashed (SHA-256) from ``attachments_dir`` on intake,
and a photo that cannot be found refuses the submission naming the photo field, since a report
whose evidence cannot be fixed by its hash would be an unverifiable claim.
"""

from __future__ import annotations

import json
import mimetypes
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers._base import (
    Limits,
    RawRecord,
    Reader,
    bounded,
    object_or_error,
    unparsable,
)
from ceasefire.intake.readers._rows import cell, check_options, whole_number
from ceasefire.intake.readers._safe_json import JsonRefused, parse_json
from ceasefire.model.evidence import sha256_of_stream
from ceasefire.model.report import record_identity

__all__ = ["KOBO", "ODK", "PHOTO_FIELDS", "FormOptions"]

#: The form's photo fields, in order.
PHOTO_FIELDS = ("photo_1", "photo_2")


@dataclass(frozen=True, slots=True)
class FormOptions:
    """Settings of the ODK and Kobo importers."""

    source_prefix: str = field(
        default="patrol-", metadata={"help": "Source id = this prefix + the form's patrol_id."}
    )
    organisation: str = field(default="mission", metadata={"help": "Who runs the patrols."})
    reliability: str = field(default="B", metadata={"help": "Admiralty letter of the patrols."})
    attachments_dir: str | None = field(
        default=None,
        metadata={"help": "Folder of the submissions' attachment files (photos), hashed on "
                  "intake; a submission naming a photo is refused without it."},
    )  # fmt: skip

    def __post_init__(self) -> None:
        check_options(self)


def _read(name: str, text: str, limits: Limits, key: str) -> Iterator[RawRecord]:
    try:
        document = parse_json(text)
    except JsonRefused as error:
        yield unparsable(name, "file", text, str(error))
        return
    items = document.get(key) if isinstance(document, dict) else None
    if not isinstance(items, list):
        yield unparsable(name, "file", text, f"must be an object with a {key!r} list")
        return
    for index, item in enumerate(items):
        raw = json.dumps(item, ensure_ascii=False)
        yield bounded(object_or_error(name, f"{key} [{index}]", raw, item), limits)


def _flatten_odk(submission: dict[str, Any]) -> dict[str, Any]:
    """ODK OData: groups are nested objects; a geopoint is a GeoJSON Point (kept whole)."""
    flat: dict[str, Any] = {}
    for key, value in submission.items():
        if isinstance(value, dict) and value.get("type") != "Point" and not key.startswith("__"):
            flat.update(_flatten_odk(value))
        else:
            flat[key] = value
    return flat


def _flatten_kobo(submission: dict[str, Any]) -> dict[str, Any]:
    """Kobo: keys are ``group/field`` paths; the field name is the last step."""
    return {key.rsplit("/", 1)[-1]: value for key, value in submission.items()}


def _position(flat: dict[str, Any]) -> tuple[float, float, float | None]:
    """Return the patrol's (lon, lat, GPS accuracy in m) from either server's geopoint."""
    raw = flat.get("position")
    if isinstance(raw, dict):
        coordinates = raw.get("coordinates")
        if not isinstance(coordinates, list) or len(coordinates) < 2:
            raise RecordRejected("position", "must be a GeoJSON Point with coordinates")
        accuracy = (raw.get("properties") or {}).get("accuracy")
        parts = [coordinates[1], coordinates[0], None, accuracy]
    elif isinstance(raw, str) and raw.strip():
        parts = [*raw.split(), None, None, None][:4]  # "lat lon altitude accuracy"
    else:
        raise RecordRejected("position", "is required (the patrol's geopoint)")
    try:
        lat, lon = float(parts[0]), float(parts[1])
        accuracy = float(parts[3]) if parts[3] not in (None, "") else None
    except (TypeError, ValueError):
        raise RecordRejected("position", f"{raw!r} is not a geopoint") from None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise RecordRejected("position", f"({lon:g}, {lat:g}) is not a point on Earth")
    if accuracy is not None and not accuracy >= 0:
        raise RecordRejected("position", f"GPS accuracy {accuracy!r} must be a distance in metres")
    return lon, lat, accuracy


def _range(flat: dict[str, Any]) -> list[float] | None:
    band = cell(flat, "range_band")
    if band is None:
        return None
    match = re.fullmatch(r"m(\d+)_(\d+)", band)
    if match is None:
        raise RecordRejected("range_band", f"{band!r} is not one of the form's range bands")
    return [float(match.group(1)), float(match.group(2))]


def _location(flat: dict[str, Any]) -> dict[str, Any]:
    """A bearing location when the patrol gave a bearing, else the patrol's own position."""
    lon, lat, accuracy = _position(flat)
    bearing = whole_number(flat, "bearing_deg")
    if bearing is None:
        return {"lon": lon, "lat": lat, "uncertainty_m": accuracy}
    if bearing >= 360:
        raise RecordRejected("bearing_deg", f"must be 0-359, got {bearing}")
    location: dict[str, Any] = {"observer": {"lon": lon, "lat": lat}, "bearing_deg": bearing}
    band = _range(flat)
    if band is not None:
        location["range_m"] = band
    return location


def _evidence(
    flat: dict[str, Any], attachments: dict[str, str], options: FormOptions
) -> list[dict[str, Any]]:
    """Hash each photo the submission names, from the attachments folder."""
    evidence = []
    for photo_field in PHOTO_FIELDS:
        name = cell(flat, photo_field)
        if name is None:
            continue
        if options.attachments_dir is None:
            raise RecordRejected(
                photo_field, f"names {name!r}: give -o attachments_dir=DIR so it can be hashed"
            )
        path = Path(options.attachments_dir) / PurePosixPath(name).name
        try:
            with path.open("rb") as stream:
                digest = sha256_of_stream(stream)
            size = path.stat().st_size
        except OSError as error:
            raise RecordRejected(
                photo_field, f"{name!r} cannot be read: {error.strerror}"
            ) from None
        media_type = attachments.get(name) or mimetypes.guess_type(name)[0]
        evidence.append(
            {"sha256": digest, "media_type": media_type or "application/octet-stream",
             "size_bytes": size, "filename": name}
        )  # fmt: skip
    return evidence


def _submission_record(
    flat: dict[str, Any], options: FormOptions, attachments: dict[str, str]
) -> dict[str, Any]:
    instance = cell(flat, "instanceID")
    if instance is None:
        raise RecordRejected("meta.instanceID", "is required (the submission's identity)")
    patrol = cell(flat, "patrol_id")
    if patrol is None:
        raise RecordRejected("patrol_id", "is required")
    source_id = f"{options.source_prefix}{patrol}"
    record: dict[str, Any] = {
        "source": {"id": source_id, "kind": "monitor_patrol", "organisation": options.organisation,
                   "reliability": options.reliability, "name": f"patrol {patrol}"},
        "source_ref": instance,
        "observed_at": flat.get("observed_at"),
        "time_precision": "minute",
        "location": _location(flat),
        "activity": flat.get("activity"),
        "count": whole_number(flat, "count", minimum=1) or 1,
        "narrative": cell(flat, "narrative"),
        "evidence": _evidence(flat, attachments, options),
    }  # fmt: skip
    family, calibre = cell(flat, "weapon_family"), cell(flat, "calibre_mm")
    if (family and family != "unknown") or calibre:
        record["weapon"] = {
            "family": None if family == "unknown" else family,
            "calibre_mm": calibre,
        }
    deprecated = cell(flat, "deprecatedID")
    if deprecated is not None:
        record["corrects"] = record_identity(source_id, deprecated, dict, "r-", "c-")
    return record


def _odk_record(row: dict[str, Any], options: FormOptions, now: datetime) -> dict[str, Any]:
    flat = _flatten_odk(row)
    if flat.get("instanceID") in (None, "") and row.get("__id"):
        flat["instanceID"] = row["__id"]
    return _submission_record(flat, options, {})


def _kobo_record(row: dict[str, Any], options: FormOptions, now: datetime) -> dict[str, Any]:
    flat = _flatten_kobo(row)
    attachments = {}
    for item in row.get("_attachments") or []:
        if isinstance(item, dict) and item.get("filename"):
            attachments[PurePosixPath(str(item["filename"])).name] = str(item.get("mimetype") or "")
    return _submission_record(flat, options, {k: v for k, v in attachments.items() if v})


ODK = Reader(
    "odk",
    "ODK Central OData submissions JSON ({value: [...]}) of the monitor patrol form",
    (),
    lambda name, text, limits: _read(name, text, limits, "value"),
    recognise=lambda name, head: '"@odata.context"' in head or '"__id"' in head,
    options=FormOptions,
    to_record=_odk_record,
)

KOBO = Reader(
    "kobo",
    "KoboToolbox data API submissions JSON ({results: [...]}) of the monitor patrol form",
    (),
    lambda name, text, limits: _read(name, text, limits, "results"),
    recognise=lambda name, head: (
        '"results"' in head and ('"_uuid"' in head or "/instanceID" in head)
    ),
    options=FormOptions,
    to_record=_kobo_record,
)
