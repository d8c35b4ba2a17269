"""Where something was observed, kept as precisely (and as imprecisely) as it was reported.

Reports place events in three ways, and we keep each as it came rather than forcing it into a
point, because the precision is itself evidence:

* a **point** with an uncertainty in metres (a GPS fix, a geolocated video);
* a **place name** resolved through the gazetteer, with a precision code (ACLED's
  ``geo_precision``, UCDP's ``where_prec``: "in the village" is not "somewhere in the district");
* an **observer position with a bearing** and perhaps a range band: the SMM's "heard three
  explosions 2–4 km south-east". Several such bearings from different observers are what fusion
  intersects to find the origin of fire.

Each location also offers :meth:`estimate`: a best point and radius for indexing and maps, or
``None`` when no point can honestly be given (a bearing with no range).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import TYPE_CHECKING, Any

from ceasefire.errors import RecordRejected, UnknownPlace
from ceasefire.model._fields import optional_float, optional_str, vocabulary

if TYPE_CHECKING:
    from ceasefire.geo.gazetteer import Gazetteer  # the one place-resolver protocol

__all__ = [
    "BearingLocation",
    "Estimate",
    "Location",
    "PlaceLocation",
    "PlacePrecision",
    "PointLocation",
    "location_from_dict",
]


@cache
def _geod() -> Any:
    """The WGS84 ellipsoid, made on first use: pyproj costs a tenth of a second to import."""
    from pyproj import Geod

    return Geod(ellps="WGS84")


# 16-point compass, as monitors write bearings ("NNE", "south-east").
_COMPASS = {
    name: index * 22.5
    for index, name in enumerate(
        [
            "N",
            "NNE",
            "NE",
            "ENE",
            "E",
            "ESE",
            "SE",
            "SSE",
            "S",
            "SSW",
            "SW",
            "WSW",
            "W",
            "WNW",
            "NW",
            "NNW",
        ]
    )
}
_COMPASS_WORDS = {
    "north": "N", "north-north-east": "NNE", "north-east": "NE", "east-north-east": "ENE",
    "east": "E", "east-south-east": "ESE", "south-east": "SE", "south-south-east": "SSE",
    "south": "S", "south-south-west": "SSW", "south-west": "SW", "west-south-west": "WSW",
    "west": "W", "west-north-west": "WNW", "north-west": "NW", "north-north-west": "NNW",
}  # fmt: skip


class PlacePrecision(StrEnum):
    """How closely a place name pins the event down, with the radius we assume for each.

    The codes follow ACLED ``geo_precision`` and UCDP ``where_prec`` in spirit; the radii are
    this project's assumption, used only when the report gives no uncertainty of its own.
    """

    SETTLEMENT = "settlement"  # in the named town or village (ACLED 1, UCDP 1-2)
    NEAR = "near"  # near it, or a small part of a region (ACLED 2, UCDP 2)
    DISTRICT = "district"  # second-level administrative unit (UCDP 3)
    REGION = "region"  # first-level unit, oblast (ACLED 3, UCDP 4)

    @property
    def radius_m(self) -> float:
        """The uncertainty radius assumed for this precision, in metres."""
        return {"settlement": 2_000.0, "near": 10_000.0, "district": 30_000.0, "region": 100_000.0}[
            self.value
        ]


@dataclass(frozen=True, slots=True)
class Estimate:
    """A best point (WGS84) and the radius in metres within which the event most likely lies."""

    lon: float
    lat: float
    uncertainty_m: float


@dataclass(frozen=True, slots=True)
class PointLocation:
    """A point with its uncertainty radius in metres."""

    lon: float
    lat: float
    uncertainty_m: float | None = None

    def estimate(self) -> Estimate:
        """Return the point itself; an unknown uncertainty is taken as 1 km, a GPS-less guess."""
        return Estimate(self.lon, self.lat, self.uncertainty_m if self.uncertainty_m else 1_000.0)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"lon": self.lon, "lat": self.lat, "uncertainty_m": self.uncertainty_m}


@dataclass(frozen=True, slots=True)
class PlaceLocation:
    """A named place, resolved through the gazetteer at intake.

    ``place`` is the name as reported; ``resolved_name``, ``lon`` and ``lat`` are what the
    gazetteer made of it, kept so that a later gazetteer change cannot silently move the report.
    """

    place: str
    precision: PlacePrecision
    resolved_name: str
    lon: float
    lat: float
    uncertainty_m: float | None = None

    def estimate(self) -> Estimate:
        """Return the place's coordinates with the precision's radius (or the stated one)."""
        radius = self.uncertainty_m if self.uncertainty_m else self.precision.radius_m
        return Estimate(self.lon, self.lat, radius)

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "place": self.place,
            "precision": self.precision.value,
            "resolved_name": self.resolved_name,
            "lon": self.lon,
            "lat": self.lat,
            "uncertainty_m": self.uncertainty_m,
        }


@dataclass(frozen=True, slots=True)
class BearingLocation:
    """An observer's position, the bearing they heard or saw something on, and a range band.

    Args:
        observer_lon, observer_lat: where the observer stood.
        bearing_deg: true bearing from the observer, 0 = north, clockwise.
        bearing_error_deg: half-width of the bearing's uncertainty; 11.25° for a 16-point compass.
        range_min_m, range_max_m: the assessed distance band, if any ("2-4 km").
    """

    observer_lon: float
    observer_lat: float
    bearing_deg: float
    bearing_error_deg: float = 11.25
    range_min_m: float | None = None
    range_max_m: float | None = None

    def estimate(self) -> Estimate | None:
        """Return the middle of the range band along the bearing, or ``None`` with no range.

        The radius covers both the depth of the band and the bearing's sideways spread at the
        band's middle. Without a range the event lies somewhere on a ray; a point would be a lie.
        """
        if self.range_max_m is None:
            return None
        near = self.range_min_m or 0.0
        middle = (near + self.range_max_m) / 2
        lon, lat, _ = _geod().fwd(self.observer_lon, self.observer_lat, self.bearing_deg, middle)
        depth = (self.range_max_m - near) / 2
        spread = middle * math.sin(math.radians(self.bearing_error_deg))
        return Estimate(float(lon), float(lat), max(depth, spread, 100.0))

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {
            "observer": {"lon": self.observer_lon, "lat": self.observer_lat},
            "bearing_deg": self.bearing_deg,
            "bearing_error_deg": self.bearing_error_deg,
            "range_m": (
                [self.range_min_m, self.range_max_m] if self.range_max_m is not None else None
            ),
        }


Location = PointLocation | PlaceLocation | BearingLocation


def location_from_dict(data: Any, resolver: Gazetteer | None, field: str = "location") -> Location:
    """Read a location in any of its three forms, naming the field at fault.

    The form is told by its keys: ``lon``/``lat`` for a point, ``place`` for a place name,
    ``observer`` with ``bearing_deg`` (or ``bearing``) for an observation by bearing.

    Raises:
        RecordRejected: the form cannot be told, a coordinate is out of range, the place is not
            in the gazetteer, or a range band is inverted.
    """
    if not isinstance(data, dict):
        raise RecordRejected(
            field, "must be an object: {lon, lat}, {place} or {observer, bearing_deg}"
        )
    if "observer" in data:
        return _bearing_from_dict(data, field)
    if "place" in data:
        return _place_from_dict(data, resolver, field)
    if "lon" in data or "lat" in data:
        lon, lat = _coordinates(data, field)
        uncertainty = optional_float(data, "uncertainty_m", f"{field}.uncertainty_m", minimum=0)
        return PointLocation(lon, lat, uncertainty)
    raise RecordRejected(
        field, "has none of lon/lat (a point), place (a name) or observer+bearing_deg (a bearing)"
    )


def _coordinates(data: dict[str, Any], field: str) -> tuple[float, float]:
    lon = optional_float(data, "lon", f"{field}.lon", minimum=-180, maximum=180)
    lat = optional_float(data, "lat", f"{field}.lat", minimum=-90, maximum=90)
    if lon is None:
        raise RecordRejected(f"{field}.lon", "is required with lat")
    if lat is None:
        raise RecordRejected(f"{field}.lat", "is required with lon")
    return lon, lat


def _place_from_dict(data: dict[str, Any], resolver: Gazetteer | None, field: str) -> PlaceLocation:
    name = optional_str(data, "place", f"{field}.place")
    if name is None:
        raise RecordRejected(f"{field}.place", "must name a place")
    precision = (
        vocabulary(PlacePrecision, data["precision"], f"{field}.precision")
        if data.get("precision") not in (None, "")
        else PlacePrecision.SETTLEMENT
    )
    uncertainty = optional_float(data, "uncertainty_m", f"{field}.uncertainty_m", minimum=0)
    if "lon" in data or "lat" in data:
        # Already resolved (a stored report read back, or a sender that geocoded it): keep it.
        lon, lat = _coordinates(data, field)
        resolved = optional_str(data, "resolved_name", f"{field}.resolved_name") or name
        return PlaceLocation(name, precision, resolved, lon, lat, uncertainty)
    if resolver is None:
        raise RecordRejected(f"{field}.place", f"{name!r} cannot be resolved: no gazetteer given")
    try:
        place = resolver.resolve(name)
    except UnknownPlace as error:
        raise RecordRejected(f"{field}.place", str(error)) from None
    return PlaceLocation(
        name, precision, str(place.name), float(place.lon), float(place.lat), uncertainty
    )


def _bearing_from_dict(data: dict[str, Any], field: str) -> BearingLocation:
    observer = data["observer"]
    if not isinstance(observer, dict):
        raise RecordRejected(f"{field}.observer", "must be an object with lon and lat")
    lon, lat = _coordinates(observer, f"{field}.observer")
    bearing = _bearing(data, field)
    error = optional_float(
        data, "bearing_error_deg", f"{field}.bearing_error_deg", minimum=0, maximum=180
    )
    range_min, range_max = _range_band(data, field)
    return BearingLocation(
        lon, lat, bearing, 11.25 if error is None else error, range_min, range_max
    )


def _bearing(data: dict[str, Any], field: str) -> float:
    raw = data.get("bearing_deg", data.get("bearing"))
    if isinstance(raw, str) and not raw.strip().replace(".", "", 1).isdigit():
        word = raw.strip().lower()
        key = _COMPASS_WORDS.get(word, word.upper())
        if key not in _COMPASS:
            raise RecordRejected(
                f"{field}.bearing_deg", f"{raw!r} is neither degrees nor a compass point like SE"
            )
        return _COMPASS[key]
    bearing = optional_float({"b": raw}, "b", f"{field}.bearing_deg", minimum=0, maximum=360)
    if bearing is None:
        raise RecordRejected(f"{field}.bearing_deg", "is required for an observation by bearing")
    return bearing % 360


def _range_band(data: dict[str, Any], field: str) -> tuple[float | None, float | None]:
    raw = data.get("range_m")
    if raw in (None, "", []):
        return None, None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = [raw, raw]
    if not isinstance(raw, list) or len(raw) != 2:
        raise RecordRejected(f"{field}.range_m", "must be [min, max] in metres, e.g. [2000, 4000]")
    band = {"min": raw[0], "max": raw[1]}
    near = optional_float(band, "min", f"{field}.range_m[0]", minimum=0)
    far = optional_float(band, "max", f"{field}.range_m[1]", minimum=0)
    if far is None:
        raise RecordRejected(f"{field}.range_m[1]", "the far end of the band is required")
    if near is not None and near > far:
        raise RecordRejected(f"{field}.range_m", f"the band is inverted: {near:g} > {far:g}")
    return near, far
