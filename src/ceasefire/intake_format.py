"""Intake file formats: split a file into raw records, each with where it came from.

A reader never judges a record's content; it only finds the records and says where each one is
(``line 7``, ``item [3]``, ``feature [12]``), keeping the raw text so that a rejected record can be
quarantined exactly as it arrived. A record that cannot even be parsed (a JSONL line that is not
JSON, a CSV row with too many cells) still becomes a raw record, carrying its parse error.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from ceasefire.errors import RecordRejected, UnknownFormat

__all__ = ["Format", "RawRecord", "detect_format", "read_records"]


class Format(StrEnum):
    """The file formats intake reads."""

    AUTO = "auto"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    GEOJSON = "geojson"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as found in a file.

    Args:
        origin: the file name (or stream name) it came from.
        position: where in the file, in words a person can find it by.
        raw: the record's text exactly as it was in the file.
        data: the parsed record, or ``None`` if it could not be parsed.
        error: why it could not be parsed, when it could not.
    """

    origin: str
    position: str
    raw: str
    data: dict[str, Any] | None = None
    error: RecordRejected | None = None


def detect_format(name: str, text: str) -> Format:
    """Tell a file's format from its extension, then from its first non-blank character.

    Raises:
        UnknownFormat: neither the name nor the content says.
    """
    suffix = PurePath(name).suffix.lower()
    by_suffix = {
        ".jsonl": Format.JSONL,
        ".ndjson": Format.JSONL,
        ".csv": Format.CSV,
        ".geojson": Format.GEOJSON,
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = text.lstrip()[:4096]
    if suffix == ".json" or head.startswith(("{", "[")):
        if '"FeatureCollection"' in head or '"Feature"' in head:
            return Format.GEOJSON
        first_line = head.split("\n", 1)[0].strip()
        if head.startswith("{") and first_line.endswith("}") and "\n{" in head:
            return Format.JSONL
        return Format.JSON
    raise UnknownFormat(
        f"{name}: cannot tell the format; name it with --format json|jsonl|csv|geojson"
    )


def read_records(name: str, text: str, fmt: Format = Format.AUTO) -> Iterator[RawRecord]:
    """Yield the raw records of a file's text.

    Raises:
        UnknownFormat: the format cannot be told (only with ``Format.AUTO``).
    """
    if fmt is Format.AUTO:
        fmt = detect_format(name, text)
    readers = {
        Format.JSON: _read_json,
        Format.JSONL: _read_jsonl,
        Format.CSV: _read_csv,
        Format.GEOJSON: _read_geojson,
    }
    yield from readers[fmt](name, text)


def _read_json(name: str, text: str) -> Iterator[RawRecord]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield _unparsable(name, "file", text, f"not valid JSON: {error}")
        return
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        document = document["records"]
    if isinstance(document, dict):
        yield RawRecord(name, "item [0]", text, data=document)
        return
    if not isinstance(document, list):
        yield _unparsable(name, "file", text, "must be a JSON object, a list, or {records: [...]}")
        return
    for index, item in enumerate(document):
        raw = json.dumps(item, ensure_ascii=False)
        yield _object_or_error(name, f"item [{index}]", raw, item)


def _read_jsonl(name: str, text: str) -> Iterator[RawRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield _unparsable(name, f"line {number}", line, f"not valid JSON: {error.msg}")
            continue
        yield _object_or_error(name, f"line {number}", line, item)


def _read_csv(name: str, text: str) -> Iterator[RawRecord]:
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return
    columns = [column.strip() for column in header]
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if duplicated or not all(columns):
        reason = f"duplicate columns {duplicated}" if duplicated else "an empty column name"
        yield _unparsable(
            name, "line 1 (header)", lines[0] if lines else "", f"header has {reason}"
        )
        return
    start_line = reader.line_num + 1
    for row in reader:
        end_line = reader.line_num
        raw = "".join(lines[start_line - 1 : end_line])
        position = f"line {start_line}"
        start_line = end_line + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield _unparsable(
                name, position, raw, f"has {len(row)} cells but the header has {len(columns)}"
            )
            continue
        yield RawRecord(name, position, raw, data=dict(zip(columns, row, strict=True)))


def _read_geojson(name: str, text: str) -> Iterator[RawRecord]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield _unparsable(name, "file", text, f"not valid JSON: {error}")
        return
    if isinstance(document, dict) and document.get("type") == "Feature":
        features: Any = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
    else:
        yield _unparsable(name, "file", text, "is not a GeoJSON Feature or FeatureCollection")
        return
    if not isinstance(features, list):
        yield _unparsable(name, "file", text, "'features' must be a list")
        return
    for index, feature in enumerate(features):
        position = f"feature [{index}]"
        raw = json.dumps(feature, ensure_ascii=False)
        try:
            yield RawRecord(name, position, raw, data=_feature_record(feature))
        except RecordRejected as error:
            yield RawRecord(name, position, raw, error=error)


def _feature_record(feature: Any) -> dict[str, Any]:
    """Turn a Feature into a record: properties, with a Point geometry as the location.

    A coverage record's Polygon geometry is its sector.
    """
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise RecordRejected("type", "each item of 'features' must be a GeoJSON Feature")
    properties = feature.get("properties") or {}
    if not isinstance(properties, dict):
        raise RecordRejected("properties", "must be an object")
    record = dict(properties)
    geometry = feature.get("geometry")
    if geometry is None:
        return record
    if not isinstance(geometry, dict):
        raise RecordRejected("geometry", "must be a GeoJSON geometry object or null")
    if record.get("record") == "coverage":
        record["sector"] = geometry
        return record
    if geometry.get("type") != "Point":
        raise RecordRejected(
            "geometry", f"a report's geometry must be a Point, not {geometry.get('type')}"
        )
    coordinates = geometry.get("coordinates")
    if not isinstance(coordinates, list) or len(coordinates) < 2:
        raise RecordRejected("geometry.coordinates", "must be [lon, lat]")
    location = dict(record.get("location") or {})
    if "observer" not in location and "place" not in location:
        location.update(lon=coordinates[0], lat=coordinates[1])
        if "uncertainty_m" in record:
            location["uncertainty_m"] = record.pop("uncertainty_m")
        record["location"] = location
    return record


def _object_or_error(name: str, position: str, raw: str, item: Any) -> RawRecord:
    if not isinstance(item, dict):
        return _unparsable(name, position, raw, f"must be a JSON object, not {type(item).__name__}")
    return RawRecord(name, position, raw, data=item)


def _unparsable(name: str, position: str, raw: str, reason: str) -> RawRecord:
    return RawRecord(name, position, raw, error=RecordRejected("(record)", reason))
