"""Identify the layout version of a report document, then migrate it to the current one on read.

Stored reports are never rewritten (the ledger committed to their bytes), so a layout change
cannot be applied to the database; instead every reader passes documents through
:func:`migrate_report`, as pystac does with old STAC objects (``identify`` then ``migrate``).

Versions:

1. **Flat**: every field a top-level scalar, as a CSV row carries it (``source_id``,
   ``source_kind``, ``lon``, ``lat``, ``place``, ``observer_lon``, ``bearing_deg``,
   ``weapon_calibre_mm``, ``evidence_sha256`` separated by ``;`` ...). It is both the layout of
   the first stored reports and the layout every CSV file still arrives in.
2. **Nested** (current): ``source``, ``location``, ``weapon`` and ``evidence`` are objects, as
   in :meth:`ceasefire.model.report.Report.to_dict`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.model.report import REPORT_SCHEMA_VERSION

__all__ = ["FLAT_FIELDS", "identify_report_version", "migrate_report"]

#: Columns of the flat layout (version 1), in the order CSV templates list them.
FLAT_FIELDS = (
    "source_id", "source_kind", "source_organisation", "source_reliability", "source_name",
    "source_ref", "observed_at", "observed_until", "time_precision",
    "lon", "lat", "uncertainty_m", "place", "place_precision",
    "observer_lon", "observer_lat", "bearing_deg", "bearing_error_deg",
    "range_min_m", "range_max_m",
    "activity", "count", "weapon_family", "weapon_calibre_mm", "weapon_system",
    "attributed_to", "attribution_basis", "credibility",
    "evidence_sha256", "evidence_media_type", "narrative", "language", "corrects",
    "actor", "cites", "origin_lon", "origin_lat", "origin_uncertainty_m",
)  # fmt: skip

_FLAT_MARKERS = frozenset(
    {"source_id", "lon", "lat", "place", "observer_lon", "weapon_family", "weapon_calibre_mm"}
)


def identify_report_version(document: dict[str, Any]) -> int:
    """Tell which layout a report document uses.

    An explicit ``schema_version`` wins; otherwise the flat layout is recognised by its
    top-level columns, and anything else is taken as the current layout.

    Raises:
        RecordRejected: ``schema_version`` is not a known version.
    """
    declared = document.get("schema_version")
    if declared not in (None, ""):
        try:
            version = int(declared)
        except (TypeError, ValueError):
            raise RecordRejected(
                "schema_version", f"{declared!r} is not a version number"
            ) from None
        if not 1 <= version <= REPORT_SCHEMA_VERSION:
            raise RecordRejected(
                "schema_version",
                f"{version} is not supported (this ceasefire reads 1 to {REPORT_SCHEMA_VERSION})",
            )
        return version
    if _FLAT_MARKERS & document.keys():
        return 1
    return REPORT_SCHEMA_VERSION


def migrate_report(document: dict[str, Any]) -> dict[str, Any]:
    """Return the document in the current layout; the input is not modified.

    Raises:
        RecordRejected: the document declares an unknown version, or cannot be migrated.
    """
    version = identify_report_version(document)
    migrated = dict(document)
    while version < REPORT_SCHEMA_VERSION:
        migrated = _MIGRATIONS[version](migrated)
        version += 1
    migrated["schema_version"] = REPORT_SCHEMA_VERSION
    return migrated


def _flat_to_nested(flat: dict[str, Any]) -> dict[str, Any]:
    """Version 1 → 2: gather the flat columns into objects."""
    taken: set[str] = set()

    def take(key: str) -> Any:
        taken.add(key)
        value = flat.get(key)
        return None if value == "" else value

    nested: dict[str, Any] = {}
    source = {
        "id": take("source_id"),
        "kind": take("source_kind"),
        "organisation": take("source_organisation"),
        "reliability": take("source_reliability"),
        "name": take("source_name"),
    }
    if source["id"] is not None:
        # An id alone names a registered source; with a kind it defines the source inline.
        nested["source"] = source if source["kind"] is not None else source["id"]
    nested["location"] = _flat_location(take)
    origin = {
        "lon": take("origin_lon"),
        "lat": take("origin_lat"),
        "uncertainty_m": take("origin_uncertainty_m"),
    }
    if any(value is not None for value in origin.values()):
        nested["origin"] = origin
    weapon = {
        "family": take("weapon_family"),
        "calibre_mm": take("weapon_calibre_mm"),
        "system": take("weapon_system"),
    }
    if any(value is not None for value in weapon.values()):
        nested["weapon"] = weapon
    hashes = take("evidence_sha256")
    media_types = take("evidence_media_type")
    if hashes is not None:
        digests = [part.strip() for part in str(hashes).split(";") if part.strip()]
        types = [part.strip() for part in str(media_types or "").split(";")]
        if len(types) == 1 and len(digests) > 1:
            types = types * len(digests)
        if len(types) != len(digests):
            raise RecordRejected(
                "evidence_media_type",
                f"gives {len(types)} media types for {len(digests)} evidence hashes",
            )
        nested["evidence"] = [
            {"sha256": digest, "media_type": media_type}
            for digest, media_type in zip(digests, types, strict=True)
        ]
    taken.add("schema_version")
    for key, value in flat.items():
        if key not in taken and value not in (None, ""):
            nested[key] = value
    return nested


def _flat_location(take: Callable[[str], Any]) -> dict[str, Any] | None:
    observer_lon, observer_lat = take("observer_lon"), take("observer_lat")
    bearing = take("bearing_deg")
    bearing_error = take("bearing_error_deg")
    range_min, range_max = take("range_min_m"), take("range_max_m")
    lon, lat, uncertainty = take("lon"), take("lat"), take("uncertainty_m")
    place, precision = take("place"), take("place_precision")
    if observer_lon is not None or observer_lat is not None or bearing is not None:
        location: dict[str, Any] = {
            "observer": {"lon": observer_lon, "lat": observer_lat},
            "bearing_deg": bearing,
        }
        if bearing_error is not None:
            location["bearing_error_deg"] = bearing_error
        if range_max is not None or range_min is not None:
            location["range_m"] = [range_min, range_max]
        return location
    if place is not None:
        location = {"place": place, "precision": precision, "uncertainty_m": uncertainty}
        if lon is not None and lat is not None:
            location.update(lon=lon, lat=lat)
        return location
    if lon is not None or lat is not None:
        return {"lon": lon, "lat": lat, "uncertainty_m": uncertainty}
    return None


_MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _flat_to_nested}
