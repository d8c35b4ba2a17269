"""Fusion over a store: stable, incremental, logged, and recording its settings."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fusion_reports import groups_by_ref, make

from ceasefire.clock import FixedClock
from ceasefire.fusion.run import fuse
from ceasefire.fusion.settings import FusionSettings, Preview
from ceasefire.intake.batch import IntakeBatch
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.report import Report
from ceasefire.store import Store, open_store


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _ingest(store: Store, *reports: Report) -> None:
    store.write_intake(IntakeBatch(reports=reports, sources=[r.source for r in reports]))


def _audit_ok(store: Store) -> bool:
    result = LogKeeper(store, FixedClock(datetime(2026, 1, 1, tzinfo=UTC))).verify()
    assert result.problems == []
    return result.ok


def test_fusing_again_changes_nothing(store: Store) -> None:
    """A second run with no new reports writes nothing: same incidents, same ledger size."""
    _ingest(store, make("a", "patrol-1"), make("b", "patrol-2"), make("c", "p-3", lon=38.2))
    first = fuse(store)
    assert first.incidents_written == 2
    before = [item.to_dict() for item in store.iter_incidents()]
    size = store.ledger_size()
    again = fuse(store)
    assert again.reports_fused == 0
    assert again.incidents_written == 0
    assert [item.to_dict() for item in store.iter_incidents()] == before
    assert store.ledger_size() == size


def test_a_new_report_joins_its_incident_by_superseding_it(store: Store) -> None:
    """A late report of a fused event makes a new incident record naming the old in
    supersedes; the old stays stored and logged, and only the new one is current."""
    _ingest(store, make("a", "patrol-1"), make("b", "patrol-2"))
    fuse(store)
    (old,) = store.iter_incidents()
    _ingest(store, make("late", "camera-9", kind="camera", at="2020-09-15T21:43:00+03:00"))
    outcome = fuse(store)
    assert outcome.incidents_superseded == 1
    (new,) = store.iter_incidents()
    assert new.supersedes == old.id
    assert groups_by_ref([new]) == {frozenset({"a", "b", "late"})}
    assert new.independent_sources == 3
    assert store.get_incident(old.id) == old
    assert _audit_ok(store)


def test_new_reports_never_re_cluster_history(store: Store) -> None:
    """Two stored incidents and a new report between them: the incidents are not merged."""
    _ingest(store, make("w", "patrol-1", lon=37.750), make("e", "patrol-2", lon=37.790))
    fuse(store)
    assert store.counts().incidents == 2
    _ingest(store, make("mid", "patrol-3", lon=37.770))
    fuse(store)
    groups = groups_by_ref(store.iter_incidents())
    assert len(groups) == 2
    assert {"w", "e"} not in [set(group) for group in groups]


def test_incremental_equals_one_batch_for_separate_events(store: Store) -> None:
    """Fusing events day by day gives the same incidents (same ids) as all at once."""
    days = [make(f"d{n}", f"patrol-{n}", at=f"2020-09-{10 + n}T21:40:00+03:00") for n in range(4)]
    twins = [make(f"t{n}", f"cam-{n}", kind="camera", at=f"2020-09-{10 + n}T21:41:00+03:00")
             for n in range(4)]  # fmt: skip
    with open_store(":memory:") as whole:
        _ingest(whole, *days, *twins)
        fuse(whole)
        expected = {item.id for item in whole.iter_incidents()}
    for day, twin in zip(days, twins, strict=True):
        _ingest(store, day, twin)
        fuse(store)
    assert {item.id for item in store.iter_incidents()} == expected


def test_each_incident_records_its_settings(store: Store) -> None:
    """Every incident carries the settings and preview flags it was made with."""
    _ingest(store, make("a", activity="artillery_fire"), make("b", "p-2", activity="mortar_fire"))
    settings = FusionSettings(preview=frozenset({Preview.CONFUSABLE_FIRE}))
    fuse(store, settings)
    (incident,) = store.iter_incidents()
    assert incident.settings == settings.to_dict()
    assert incident.settings["preview"] == ["confusable_fire"]


def test_incidents_are_covered_by_the_ledger_audit(store: Store) -> None:
    """After fusing, every incident has its leaf and the audit passes."""
    _ingest(store, make("a"), make("b", "p-2", lon=38.0))
    fuse(store)
    assert all(store.ledger_leaf(item.id, "incident") for item in store.iter_incidents())
    assert _audit_ok(store)


def test_only_unfused_reports_are_read_and_fused(store: Store) -> None:
    """The store hands fusion only reports in no incident; after fusing there are none."""
    _ingest(store, make("a"), make("b", "p-2", lon=38.0))
    assert {r.source_ref for r in store.iter_unfused_reports()} == {"a", "b"}
    fuse(store)
    assert list(store.iter_unfused_reports()) == []
    _ingest(store, make("c", "p-3", lon=38.5))
    assert [r.source_ref for r in store.iter_unfused_reports()] == ["c"]


def test_ledger_verify_sees_an_edited_incident_column(store: Store, tmp_path: Path) -> None:
    """Editing an incident's supersedes column or its membership rows behind the store's back
    (so the current view would change unseen) is reported by ledger verify."""
    path = tmp_path / "t.db"
    with open_store(path) as on_disk:
        _ingest(on_disk, make("a"), make("b", "p-2", lon=38.0))
        fuse(on_disk)
        assert _audit_ok(on_disk)
    db = sqlite3.connect(path)
    db.executescript(
        "DROP TRIGGER incidents_no_update; DROP TRIGGER incident_reports_no_delete;"
        "UPDATE incidents SET supersedes = 'i-forged' WHERE seq = 1;"
        "DELETE FROM incident_reports"
        " WHERE report_id = (SELECT min(report_id) FROM incident_reports);"
    )
    db.close()
    with open_store(path) as on_disk:
        problems = LogKeeper(on_disk, FixedClock(datetime(2026, 1, 1, tzinfo=UTC))).verify()
    text = "\n".join(problems.problems)
    assert "column supersedes" in text
    assert "is in the document but not in incident_reports" in text
