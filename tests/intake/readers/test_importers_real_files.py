"""The importers on the real files of ``../shared/data/events``: receipts add up, most accepted."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.clock import FixedClock
from ceasefire.intake import Intake, Outcome, Receipt
from ceasefire.intake.readers import read_records, recognise_format
from ceasefire.store import Store, open_store

NOW = datetime(2026, 1, 1, tzinfo=UTC)

#: Each real file, the format auto must pick, and the rows it may refuse (none, unless said).
REAL_FILES = {
    "events/ucdp_ged231_ukraine_2014-01_to_2020-07-26.csv": "ucdp-ged",
    "events/cir_eyesonrussia_events_2022-01_to_2022-05.csv": "cir",
    "events/uawardata_units_all_2022-02_to_2022-07.csv": "uawardata",
    "events/uawardata_btgs_all_2022-02_to_2022-07.csv": "uawardata",
}


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _ingest(store: Store, path: Path, fmt: str = "auto") -> Receipt:
    intake = Intake(store, FixedClock(NOW, timedelta(seconds=1)), None)
    return intake.ingest(read_records(path.name, path.read_text("utf-8"), fmt, now=NOW))


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize("relative", sorted(REAL_FILES))
def test_auto_picks_the_importer_by_content(shared_data: Any, relative: str) -> None:
    """--format auto tells each real file's importer from its header, not its name."""
    path = shared_data.path(relative)
    assert recognise_format("renamed.csv", path.read_text("utf-8")[:8192]) == REAL_FILES[relative]


@pytest.mark.parametrize("relative", sorted(REAL_FILES))
def test_real_file_receipt_adds_up(shared_data: Any, store: Store, relative: str) -> None:
    """Every row gets one outcome, at least 90 % are accepted, every refusal names row and field."""
    path = shared_data.path(relative)
    receipt = _ingest(store, path)
    rows = _rows(path)
    outcomes = [record.outcome for record in receipt.records]
    assert len(outcomes) == len(rows)
    assert outcomes.count(Outcome.ACCEPTED) >= 0.9 * len(rows)
    for record in receipt.rejected:
        assert record.origin == path.name
        assert record.position.startswith("line ")
        assert record.field
        assert record.reason
    assert store.counts().reports == outcomes.count(Outcome.ACCEPTED)


@pytest.mark.parametrize(
    "relative",
    [
        "events/ucdp_ged231_ukraine_2014-01_to_2020-07-26.csv",
        "events/uawardata_units_all_2022-02_to_2022-07.csv",
        "events/uawardata_btgs_all_2022-02_to_2022-07.csv",
    ],
)
def test_files_whose_every_row_is_a_report_are_taken_whole(
    shared_data: Any, store: Store, relative: str
) -> None:
    """UCDP and uawardata rows all carry a place, a date and a side: none is refused."""
    receipt = _ingest(store, shared_data.path(relative))
    assert receipt.rejected == []


def test_cir_refuses_only_reused_entry_ids(shared_data: Any, store: Store) -> None:
    """CIR refuses exactly the rows whose entry id an earlier, different row already used."""
    path = shared_data.path("events/cir_eyesonrussia_events_2022-01_to_2022-05.csv")
    receipt = _ingest(store, path)
    rows = _rows(path)
    seen: set[str] = set()
    reused = 0
    for row in rows:
        if row["entry"] and row["entry"] in seen:
            reused += 1
        seen.add(row["entry"])
    assert 0 < len(receipt.rejected) <= reused
    assert {record.field for record in receipt.rejected} == {"source_ref"}
    assert all("different content" in record.reason for record in receipt.rejected)


def test_ucdp_keeps_precision_sides_deaths_and_id(shared_data: Any, store: Store) -> None:
    """A GED row's where_prec/date_prec become our precision; sides, deaths and id are kept."""
    path = shared_data.path("events/ucdp_ged231_ukraine_2014-01_to_2020-07-26.csv")
    _ingest(store, path)
    reports = {report.source_ref: report for report in store.iter_reports(limit=10_000)}
    for row in _rows(path)[:200]:
        report = reports[row["id"]]
        estimate = report.location.estimate()
        assert estimate is not None
        assert (estimate.lon, estimate.lat) == (float(row["longitude"]), float(row["latitude"]))
        if row["where_prec"] == "1":
            assert estimate.uncertainty_m == 2_000
        single_day = row["date_start"] == row["date_end"]
        assert report.time_precision.value == ("day" if single_day else "interval")
        assert report.observed_at.date().isoformat() == row["date_start"]
        assert report.narrative is not None
        assert f"{row['side_a']} vs {row['side_b']}" in report.narrative
        assert (
            f"deaths best {row['best']} (low {row['low']}, high {row['high']}" in report.narrative
        )


def test_cir_link_is_the_cited_item(shared_data: Any, store: Store) -> None:
    """A CIR row is an open-source report citing its link; the entry id is its reference."""
    path = shared_data.path("events/cir_eyesonrussia_events_2022-01_to_2022-05.csv")
    _ingest(store, path)
    first = _rows(path)[0]
    [report] = [r for r in store.iter_reports(limit=10_000) if r.source_ref == first["entry"]]
    assert report.source.kind.value == "open_source"
    assert report.cites == first["link"]


def test_uawardata_is_force_presence_with_side_type_and_strength(
    shared_data: Any, store: Store
) -> None:
    """A unit row is troop presence by its side, with its type and strength stated."""
    path = shared_data.path("events/uawardata_units_all_2022-02_to_2022-07.csv")
    _ingest(store, path)
    first = _rows(path)[0]
    reports = list(store.iter_reports(limit=10_000))
    assert {report.activity.value for report in reports} == {"troop_presence"}
    assert {report.actor for report in reports} == {"RU", "UA"}
    expected = f"{first['unit']} (RU); type: {first['type']}; strength: {first['strength']}"
    assert any(
        r.narrative
        and r.narrative.startswith(expected)
        and r.observed_at.date().isoformat() == first["date"]
        for r in reports
    )


def test_real_file_twice_is_all_duplicate(shared_data: Any, tmp_path: Path) -> None:
    """Ingesting a real file again through the CLI adds nothing: every row is a duplicate."""
    path = shared_data.path("events/uawardata_btgs_all_2022-02_to_2022-07.csv")
    db = str(tmp_path / "t.db")
    first = CliRunner().invoke(cli, ["--db", db, "ingest", str(path), "--json"])
    second = CliRunner().invoke(cli, ["--db", db, "ingest", str(path), "--json"])
    assert first.exit_code == 0
    assert second.exit_code == 0
    again = json.loads(second.stdout)
    assert again["accepted"] == 0
    assert again["duplicate"] == json.loads(first.stdout)["accepted"]
