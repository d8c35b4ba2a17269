"""Old layouts are identified and migrated on read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.errors import RecordRejected
from ceasefire.geo.gazetteer import bundled
from ceasefire.model.migration import identify_report_version, migrate_report
from ceasefire.model.report import REPORT_SCHEMA_VERSION, report_from_dict
from records import report

FLAT = {
    "source_id": "cam-1",
    "source_kind": "camera",
    "source_reliability": "A",
    "source_ref": "x1",
    "observed_at": "2020-09-15T21:40:00+03:00",
    "lon": "37.75",
    "lat": "48.14",
    "uncertainty_m": "500",
    "activity": "mortar_fire",
    "count": "2",
    "weapon_family": "mortar",
    "weapon_calibre_mm": "120",
    "evidence_sha256": "a" * 64 + ";" + "b" * 64,
    "evidence_media_type": "video/mp4",
}


def test_flat_layout_is_identified_without_a_version() -> None:
    """A document with flat columns and no schema_version is identified as layout 1."""
    assert identify_report_version(FLAT) == 1
    assert identify_report_version(report("a")) == REPORT_SCHEMA_VERSION


def test_flat_layout_migrates_to_the_nested_one() -> None:
    """Migrating a flat record gives the nested layout, which parses to the same values."""
    migrated = migrate_report(FLAT)
    assert migrated["schema_version"] == REPORT_SCHEMA_VERSION
    parsed = report_from_dict(migrated, received_at=datetime(2026, 1, 1, tzinfo=UTC), resolver=None)
    assert parsed.source.id == "cam-1"
    assert parsed.weapon is not None
    assert parsed.weapon.calibre_mm == 120
    assert [e.sha256[0] for e in parsed.evidence] == ["a", "b"]
    assert parsed.count == 2


def test_migration_does_not_modify_its_input() -> None:
    """migrate_report returns a new document and leaves the one it was given alone."""
    before = dict(FLAT)
    migrate_report(FLAT)
    assert before == FLAT


@pytest.mark.parametrize("version", [0, 99, "two"])
def test_unknown_versions_are_refused(version: object) -> None:
    """A schema_version this ceasefire does not know is refused, naming the field."""
    with pytest.raises(RecordRejected) as caught:
        migrate_report(report("a") | {"schema_version": version})
    assert caught.value.field == "schema_version"


def test_mismatched_evidence_columns_are_refused() -> None:
    """Two hashes with three media types cannot be paired, and say so."""
    with pytest.raises(RecordRejected) as caught:
        migrate_report(FLAT | {"evidence_media_type": "a/b;c/d;e/f"})
    assert caught.value.field == "evidence_media_type"


# -- property: the flat layout (CSV) and the nested one carry the same report --------------------

_coordinate = st.floats(-179.0, 179.0, allow_nan=False).map(lambda x: round(x, 5))
_latitude = st.floats(-89.0, 89.0, allow_nan=False).map(lambda x: round(x, 5))
_positive = st.floats(1.0, 50_000.0, allow_nan=False).map(lambda x: round(x, 1))

_locations = st.one_of(
    st.builds(
        lambda lon, lat, u: {"lon": lon, "lat": lat, "uncertainty_m": u},
        _coordinate,
        _latitude,
        _positive,
    ),
    st.builds(
        lambda name, precision: {"place": name, "precision": precision},
        st.sampled_from(["Avdiivka", "Zolote", "Marinka", "Popasna", "Shchastia"]),
        st.sampled_from(["settlement", "near", "district", "region"]),
    ),
    st.builds(
        lambda lon, lat, bearing, near, depth: {
            "observer": {"lon": lon, "lat": lat},
            "bearing_deg": bearing,
            "range_m": [near, near + depth],
        },
        _coordinate,
        _latitude,
        st.integers(0, 359).map(float),
        _positive,
        _positive,
    ),
)

_reports = st.fixed_dictionaries(
    {
        "source": st.fixed_dictionaries(
            {
                "id": st.sampled_from(["cam-1", "patrol-7", "ua-liaison"]),
                "kind": st.sampled_from(["camera", "monitor_patrol", "party_complaint"]),
                "reliability": st.sampled_from(list("ABCDEF")),
            }
        ),
        "source_ref": st.text("abcdef0123456789-", min_size=1, max_size=12),
        "observed_at": st.sampled_from(["2020-09-15T21:40:00+03:00", "2021-01-01T00:00:00Z"]),
        "location": _locations,
        "activity": st.sampled_from(["explosion", "mortar_fire", "weapon_presence"]),
        "count": st.integers(1, 500),
        "credibility": st.integers(1, 6),
    },
    optional={
        "weapon": st.fixed_dictionaries(
            {
                "family": st.sampled_from(["howitzer", "mortar"]),
                "calibre_mm": st.sampled_from([82.0, 120.0, 122.0]),
            }
        ),
        "evidence": st.lists(
            st.fixed_dictionaries(
                {
                    "sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
                    "media_type": st.just("image/jpeg"),
                }
            ),
            min_size=1,
            max_size=3,
        ),
        "narrative": st.text(max_size=40).filter(str.strip),
    },
)


def _flatten(nested: dict[str, Any]) -> dict[str, str]:
    """Write a nested report as a CSV row would carry it: flat columns, every value as text."""
    flat: dict[str, Any] = {}
    for key, value in nested.items():
        if key in ("source", "weapon"):
            flat.update({f"{key}_{name}": item for name, item in value.items()})
        elif key == "location" and "observer" in value:
            flat.update(
                observer_lon=value["observer"]["lon"], observer_lat=value["observer"]["lat"],
                bearing_deg=value["bearing_deg"],
                range_min_m=value["range_m"][0], range_max_m=value["range_m"][1],
            )  # fmt: skip
        elif key == "location" and "place" in value:
            flat.update(place=value["place"], place_precision=value["precision"])
        elif key == "location":
            flat.update(value)
        elif key == "evidence":
            flat["evidence_sha256"] = ";".join(item["sha256"] for item in value)
            flat["evidence_media_type"] = ";".join(item["media_type"] for item in value)
        else:
            flat[key] = value
    return {key: str(value) for key, value in flat.items()}


@settings(max_examples=150, deadline=None)
@given(_reports)
def test_flat_and_nested_layouts_carry_the_same_report(nested: dict[str, Any]) -> None:
    """Any report written in the flat CSV layout migrates to exactly the report it was."""
    when = datetime(2026, 1, 1, tzinfo=UTC)
    gazetteer = bundled()
    direct = report_from_dict(dict(nested), received_at=when, resolver=gazetteer)
    flat = _flatten(nested)
    assert identify_report_version(flat) == 1
    migrated = report_from_dict(migrate_report(flat), received_at=when, resolver=gazetteer)
    assert migrated == direct
    assert migrated.id == direct.id
