"""The Minsk examples: they load, their zones have the agreed widths, and the sides are right."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, MultiPolygon, Polygon, shape

from ceasefire.agreement.loader import agreement_from_document, load_agreement
from ceasefire.agreement.terms import Agreement

NZZ_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "minsk-nzz-line" / "agreement.yaml"
NZZ_LINE = "frontline/donbas_contact_line_pre2022_DERIVED_from_nzz.geojson"
GEOD = Geod(ellps="WGS84")

UA_SIDE = {"Kramatorsk": (37.56779, 48.73106), "Mariupol": (37.54131, 47.09514)}
UA_NEAR = {"Avdiivka": (37.75008, 48.14019), "Svitlodarsk": (38.22331, 48.43374)}
RU_NEAR = {"Horlivka": (38.01709, 48.29986), "Donetsk": (37.80224, 48.023)}
RU_SIDE = {**RU_NEAR, "Luhansk": (39.30553, 48.56814), "Novoazovsk": (38.08599, 47.11389)}


def _densify(line: LineString, step_m: float) -> np.ndarray:
    """Points along a WGS84 line, at most ``step_m`` apart along geodesics."""
    points: list[tuple[float, float]] = []
    coords = list(line.coords)
    for (lon1, lat1), (lon2, lat2) in itertools.pairwise(coords):
        _, _, length = GEOD.inv(lon1, lat1, lon2, lat2)
        n = max(1, int(length // step_m))
        points.append((lon1, lat1))
        points.extend(GEOD.npts(lon1, lat1, lon2, lat2, n - 1) if n > 1 else [])
    points.append(coords[-1])
    return np.array(points)


def farthest_from_line_m(zone: Any, line: LineString) -> float:
    """Geodesic distance from the line to the zone boundary vertex farthest from it.

    Independent of the agreement's projection: pyproj.Geod on the WGS84 ellipsoid, the line
    sampled every 100 m, a flat-earth pre-selection of the nearest samples only.
    """
    samples = _densify(line, 100.0)
    polygons = zone.geoms if isinstance(zone, MultiPolygon) else [zone]
    vertices = np.array([c for p in polygons for c in p.exterior.coords])
    scale = np.cos(np.radians(samples[:, 1].mean()))
    farthest = 0.0
    for lon, lat in vertices:
        approx = np.hypot((samples[:, 0] - lon) * scale, samples[:, 1] - lat)
        nearest = samples[np.argsort(approx)[:8]]
        _, _, dist = GEOD.inv(np.full(8, lon), np.full(8, lat), nearest[:, 0], nearest[:, 1])
        farthest = max(farthest, float(np.min(dist)))
    return farthest


def test_minsk_example_loads_without_problems(minsk: Agreement) -> None:
    """The bundled Minsk example loads with no problems and has its parts."""
    assert minsk.id == "minsk"
    assert {p.id for p in minsk.parties} == {"UA", "RU"}
    assert len(minsk.line("contact_line").geometry.coords) == 40
    assert len(minsk.weapon_classes) == 4
    assert {z.kind for z in minsk.zones} >= {"withdrawal", "disengagement", "live_fire"}
    assert {c.id for c in minsk.clauses} >= {"pom-1", "pom-2", "addendum-2015", "fd-2016"}


@pytest.mark.parametrize(
    ("zone_id", "km"),
    [
        ("withdrawal_light_ua", 15),
        ("withdrawal_artillery_ua", 25),
        ("withdrawal_mlrs_ua", 35),
        ("withdrawal_heavy_ua", 70),
        ("withdrawal_artillery_ru", 25),
        ("withdrawal_heavy_ru", 70),
    ],
)
def test_withdrawal_zone_half_width_is_the_agreed_distance(
    minsk: Agreement, zone_id: str, km: float
) -> None:
    """The farthest zone boundary point is the agreed distance from the line, within 1 %."""
    zone = minsk.zone(zone_id)
    measured = farthest_from_line_m(zone.geometry, minsk.line("contact_line").geometry)
    print(f"{zone_id}: {measured / 1000:.3f} km for {km} km")
    assert measured == pytest.approx(km * 1000, rel=0.01)


def test_places_fall_in_their_own_partys_zones(minsk: Agreement) -> None:
    """Kramatorsk and Mariupol are in Ukraine's zones; Horlivka, Donetsk, Luhansk in the others'."""
    for lon, lat in UA_SIDE.values():
        assert minsk.zone("withdrawal_heavy_ua").contains(lon, lat)
        assert not minsk.zone("withdrawal_heavy_ru").contains(lon, lat)
    for lon, lat in RU_SIDE.values():
        assert minsk.zone("withdrawal_heavy_ru").contains(lon, lat)
        assert not minsk.zone("withdrawal_heavy_ua").contains(lon, lat)
    for lon, lat in UA_NEAR.values():
        assert minsk.zone("withdrawal_light_ua").contains(lon, lat)
    for lon, lat in RU_NEAR.values():
        assert minsk.zone("withdrawal_light_ru").contains(lon, lat)
    # Kramatorsk is about 50 km behind the line: inside 70 km, outside 25 km.
    assert not minsk.zone("withdrawal_artillery_ua").contains(*UA_SIDE["Kramatorsk"])


def test_disengagement_areas_are_two_km_squares_on_the_line(minsk: Agreement) -> None:
    """Each disengagement area is about 4 km² and straddles the line of contact."""
    line = minsk.line("contact_line")
    for zone_id in ("stanytsia_luhanska", "zolote", "petrivske"):
        zone = minsk.zone(f"disengagement_{zone_id}")
        assert zone.geometry_metric.area == pytest.approx(4e6, rel=0.02)
        assert zone.geometry.intersects(line.geometry)


def test_settlement_zone_distance_is_to_the_nearest_settlement(minsk: Agreement) -> None:
    """An around-zone measures distance to its nearest settlement; a polygon zone has none."""
    zone = minsk.zone("settlements_front_line")
    assert zone.contains(37.50544, 47.94527)  # Marinka
    assert zone.distance_m(37.50544, 47.94527) == pytest.approx(0, abs=1)
    assert minsk.zone("disengagement_zolote").distance_m(38.5, 48.7) is None


def test_minsk_document_round_trips(minsk: Agreement) -> None:
    """The Minsk example's document rebuilds an equal agreement with no files or gazetteer."""
    doc = json.loads(json.dumps(minsk.to_document()))
    assert agreement_from_document(doc) == minsk


def test_zones_geojson_is_a_feature_collection(minsk: Agreement) -> None:
    """zones_geojson gives the line and every zone, with kind and weapon classes."""
    collection = minsk.zones_geojson()
    features = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert len(features) == len(minsk.lines) + len(minsk.zones)
    zone = next(f for f in features if f["properties"]["id"] == "withdrawal_mlrs_ua")
    assert zone["properties"]["kind"] == "withdrawal"
    assert zone["properties"]["weapon_classes"] == ["mlrs"]
    assert isinstance(shape(zone["geometry"]), Polygon | MultiPolygon)


def test_waypoints_lie_on_the_real_line(minsk: Agreement, shared_data: Any) -> None:
    """Every waypoint of the example's line is within 5 km of the map-derived line of contact."""
    data = json.loads(shared_data.path(NZZ_LINE).read_text())
    real = shape(data["features"][0]["geometry"])
    samples = _densify(real, 200.0)
    for lon, lat in minsk.line("contact_line").geometry.coords:
        _, _, dist = GEOD.inv(
            np.full(len(samples), lon), np.full(len(samples), lat), samples[:, 0], samples[:, 1]
        )
        assert float(np.min(dist)) < 5000, (lon, lat, float(np.min(dist)))


def test_nzz_line_example_loads(shared_data: Any) -> None:
    """The second example, on the map-derived line, loads and puts the cities on the right side."""
    shared_data.path(NZZ_LINE)
    agreement = load_agreement(NZZ_EXAMPLE)
    for lon, lat in UA_SIDE.values():
        assert agreement.zone("withdrawal_heavy_ua").contains(lon, lat)
    for lon, lat in RU_SIDE.values():
        assert agreement.zone("withdrawal_heavy_ru").contains(lon, lat)
    measured = farthest_from_line_m(
        agreement.zone("withdrawal_artillery_ua").geometry,
        agreement.line("contact_line").geometry,
    )
    assert measured == pytest.approx(25_000, rel=0.01)
