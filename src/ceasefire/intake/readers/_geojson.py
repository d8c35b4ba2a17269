"""GeoJSON intake files: a Feature or FeatureCollection whose properties are the record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers._base import RawRecord, Reader, unparsable

__all__ = ["READER"]


def _read_geojson(name: str, text: str) -> Iterator[RawRecord]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield unparsable(name, "file", text, f"not valid JSON: {error}")
        return
    if isinstance(document, dict) and document.get("type") == "Feature":
        features: Any = [document]
    elif isinstance(document, dict) and document.get("type") == "FeatureCollection":
        features = document.get("features")
    else:
        yield unparsable(name, "file", text, "is not a GeoJSON Feature or FeatureCollection")
        return
    if not isinstance(features, list):
        yield unparsable(name, "file", text, "'features' must be a list")
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


READER = Reader(
    "geojson",
    "a Feature or FeatureCollection; properties are the record",
    (".geojson",),
    _read_geojson,
)
