"""Old layouts are identified and migrated on read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from ceasefire.errors import RecordRejected
from ceasefire.migration import identify_report_version, migrate_report
from ceasefire.report import REPORT_SCHEMA_VERSION, report_from_dict
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
