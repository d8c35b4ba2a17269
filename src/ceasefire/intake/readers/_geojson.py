"""GeoJSON intake files: a Feature or FeatureCollection whose properties are the record."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers._base import Limits, RawRecord, Reader, bounded, unparsable
from ceasefire.intake.readers._safe_json import JsonRefused, array_items, parse_json

__all__ = ["READER"]


def _read_geojson(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    try:
        document = parse_json(text)
    except JsonRefused as error:
        # One hostile feature (too deep, a huge number) must not cost the features beside it.
        items = array_items(text, "features")
        if items is None:
            yield unparsable(name, "file", text, str(error))
            return
        for index, item_text in enumerate(items):
            yield _feature(name, f"feature [{index}]", item_text, limits)
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
            yield bounded(RawRecord(name, position, raw, data=_feature_record(feature)), limits)
        except RecordRejected as error:
            yield RawRecord(name, position, raw, error=error)


def _feature(name: str, position: str, text: str, limits: Limits) -> RawRecord:
    """Read one feature on its own, when the collection as a whole could not be parsed."""
    record = bounded(RawRecord(name, position, text), limits)
    if record.error is not None:
        return record
    try:
        return RawRecord(name, position, text, data=_feature_record(parse_json(text)))
    except JsonRefused as error:
        return unparsable(name, position, text, str(error))
    except RecordRejected as error:
        return RawRecord(name, position, text, error=error)


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
