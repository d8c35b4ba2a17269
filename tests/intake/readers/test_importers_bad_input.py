"""The importers on bad input: each refusal names the row and the source column, nothing is lost."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.cli import cli
from ceasefire.clock import FixedClock
from ceasefire.errors import RecordRejected
from ceasefire.intake import Intake, Outcome, Receipt
from ceasefire.intake.readers import read_records
from ceasefire.intake.readers._rows import event_date
from ceasefire.store import Store, open_store

NOW = datetime(2026, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    """One importer and a good row of its format, with the columns the checks mutate."""

    fmt: str
    row: dict[str, str]
    lon: str
    lat: str
    day: str
    count: str | None
    options: dict[str, str] = field(default_factory=dict)


UCDP = Spec(
    "ucdp-ged",
    {"id": "155016", "relid": "UKR-2014-1-14124-79", "date_start": "2014-08-12",
     "date_end": "2014-08-13", "date_prec": "2", "latitude": "47.92", "longitude": "37.68",
     "geom_wkt": "POINT (37.68 47.92)", "where_prec": "2", "side_a": "Government of Ukraine",
     "side_b": "DPR", "best": "12", "low": "10", "high": "12", "deaths_a": "12",
     "deaths_b": "0", "deaths_civilians": "0", "source_headline": "ambush near Donetsk"},
    "longitude", "latitude", "date_start", "best",
)  # fmt: skip
ACLED = Spec(
    "acled",
    {"event_id_cnty": "UKR1234", "event_date": "24 February 2022", "time_precision": "1",
     "event_type": "Explosions/Remote violence",
     "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Military Forces of Russia",
     "actor2": "", "latitude": "48.0159", "longitude": "37.8028", "geo_precision": "1",
     "location": "Donetsk", "admin1": "Donetsk", "notes": "Shelling of Donetsk.",
     "fatalities": "0", "source": "Ukrainska Pravda"},
    "longitude", "latitude", "event_date", "fatalities", {"bbox": "20,43,45,56"},
)  # fmt: skip
CIR = Spec(
    "cir",
    {"entry": "UW0067", "date": "2022-01-01", "event_group": "Russian Military Presence",
     "title": "Russian military equipment moving", "brief description": "equipment",
     "lat": "54.069385", "lon": "27.211645", "country": "Belarus", "arms/munition": "",
     "link": "https://twitter.com/x/status/1", "geolocation": ""},
    "lon", "lat", "date", None, {"bbox": "20,43,70,67"},
)  # fmt: skip
UAWARDATA = Spec(
    "uawardata",
    {"date": "2022-03-31", "lat": "47.14638", "lng": "37.823051", "type": "Mechanized Infantry",
     "strength": "Regiment", "strength_in_btg_number": "2.0",
     "unit": "102nd Motorized Rifle Regiment", "subordinate_to": "150th Division",
     "country": "ru"},
    "lng", "lat", "date", "strength_in_btg_number",
)  # fmt: skip
SPECS = [UCDP, ACLED, CIR, UAWARDATA]
IDS = [spec.fmt for spec in SPECS]


def _csv(rows: list[dict[str, str]], columns: list[str] | None = None) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns or list(rows[0]), extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _variant(spec: Spec, index: int, **changes: str) -> dict[str, str]:
    """A distinct good row (its id or date shifted), with the given changes."""
    row = dict(spec.row)
    for key in ("id", "event_id_cnty", "entry"):
        if key in row:
            row[key] = f"{row[key]}-{index}"
    if spec.fmt == "uawardata":
        row["unit"] = f"{row['unit']} {index}"
    row.update(changes)
    return row


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _ingest(store: Store, spec: Spec, text: str) -> Receipt:
    intake = Intake(store, FixedClock(NOW, timedelta(seconds=1)), None)
    records = read_records("bad.csv", text, spec.fmt, options=spec.options, now=NOW)
    return intake.ingest(records)


def _refusal(store: Store, spec: Spec, **changes: str) -> tuple[str, str]:
    """Ingest one good row and one changed row; return the changed row's field and reason."""
    text = _csv([_variant(spec, 1), _variant(spec, 2, **changes)])
    receipt = _ingest(store, spec, text)
    assert [record.outcome for record in receipt.records] == [Outcome.ACCEPTED, Outcome.REJECTED]
    [refused] = receipt.rejected
    assert refused.position == "line 3"
    [kept] = list(store.iter_quarantine())
    assert kept.raw == text.splitlines(keepends=True)[2]
    return refused.field or "", refused.reason or ""


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_good_rows_are_all_accepted(store: Store, spec: Spec) -> None:
    """A file of good rows in the format is taken whole."""
    receipt = _ingest(store, spec, _csv([_variant(spec, i) for i in range(3)]))
    assert receipt.count(Outcome.ACCEPTED) == 3


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_header_only_file_gives_an_empty_receipt(store: Store, spec: Spec) -> None:
    """A file with the header and no rows stores nothing and refuses nothing."""
    receipt = _ingest(store, spec, _csv([spec.row]).splitlines(keepends=True)[0])
    assert receipt.records == []
    assert store.counts().reports == 0


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_truncated_file_refuses_the_cut_row_and_keeps_the_rest(store: Store, spec: Spec) -> None:
    """A file cut off in its last row takes the whole rows and refuses the cut one."""
    text = _csv([_variant(spec, 1), _variant(spec, 2)])
    cut = text[: len(text) - len(text.splitlines()[-1]) // 2 - 1]
    receipt = _ingest(store, spec, cut)
    assert receipt.count(Outcome.ACCEPTED) == 1
    [refused] = receipt.rejected
    assert refused.position == "line 3"


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_missing_column_refuses_the_file_once_naming_it(store: Store, spec: Spec) -> None:
    """A file without a column the format needs is refused once, naming the column."""
    columns = [column for column in spec.row if column != spec.lat]
    receipt = _ingest(store, spec, _csv([_variant(spec, 1), _variant(spec, 2)], columns))
    [refused] = receipt.records
    assert refused.outcome is Outcome.REJECTED
    assert refused.position == "line 1 (header)"
    assert refused.field == spec.lat


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_out_of_range_latitude_is_refused(store: Store, spec: Spec) -> None:
    """A latitude beyond ±90 is refused naming the latitude column."""
    field_name, reason = _refusal(store, spec, **{spec.lat: "95", spec.lon: "181"})
    assert field_name in {spec.lat, spec.lon}
    assert "outside" in reason


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_swapped_coordinates_are_refused_and_said_so(store: Store, spec: Spec) -> None:
    """Latitude and longitude given the wrong way round are refused as swapped."""
    lat, lon = spec.row[spec.lat], spec.row[spec.lon]
    field_name, reason = _refusal(store, spec, **{spec.lat: lon, spec.lon: lat})
    assert field_name == spec.lat
    assert "swapped" in reason


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
def test_latitude_beyond_90_with_a_plausible_longitude_is_called_swapped(
    store: Store, spec: Spec
) -> None:
    """(lat 120, lon 48) cannot be a point; the refusal suggests the columns were swapped."""
    field_name, reason = _refusal(store, spec, **{spec.lat: "120", spec.lon: "48"})
    assert field_name == spec.lat
    assert "swapped" in reason


@pytest.mark.parametrize("spec", SPECS, ids=IDS)
@pytest.mark.parametrize(("day", "why"), [("2999-01-01", "future"), ("1899-12-31", "before")])
def test_impossible_dates_are_refused(store: Store, spec: Spec, day: str, why: str) -> None:
    """A date in the future or before 1900 is refused naming the date column."""
    changes = {spec.day: day}
    if spec.fmt == "ucdp-ged":
        changes["date_end"] = day
    field_name, reason = _refusal(store, spec, **changes)
    assert field_name == spec.day
    assert why in reason


@pytest.mark.parametrize("spec", [s for s in SPECS if s.count], ids=lambda s: s.fmt)
def test_nan_counts_are_refused(store: Store, spec: Spec) -> None:
    """A count of NaN is refused naming the count column, never stored as a number."""
    assert spec.count is not None
    field_name, reason = _refusal(store, spec, **{spec.count: "NaN"})
    assert field_name == spec.count
    assert "finite" in reason


def test_ucdp_cp1252_file_and_month_first_dates(tmp_path: Path) -> None:
    """A GED release saved in cp1252 with month-first dates ingests, its text decoded right."""
    row = _variant(UCDP, 1, date_start="08/12/2014", date_end="8/13/2014 0:00:00")
    row["source_headline"] = "Mar’inka shelled – “heavy” fire"
    path = tmp_path / "ged_release.csv"
    path.write_bytes(_csv([row]).encode("cp1252"))
    db = str(tmp_path / "t.db")
    result = CliRunner().invoke(cli, ["--db", db, "ingest", str(path)])
    assert result.exit_code == 0, result.output
    shown = CliRunner().invoke(cli, ["--db", db, "reports", "--json"])
    assert "Mar’inka shelled – “heavy” fire" in shown.stdout
    assert '"observed_at": "2014-08-12T00:00:00+00:00"' in shown.stdout


@pytest.mark.parametrize("spec", [CIR, UAWARDATA], ids=lambda s: s.fmt)
def test_wrong_encoding_is_refused_without_a_traceback(tmp_path: Path, spec: Spec) -> None:
    """A UTF-8-only format given a UTF-16 file is refused with exit 1, naming the file."""
    path = tmp_path / "wide.csv"
    path.write_bytes(_csv([_variant(spec, 1)]).encode("utf-16"))
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "ingest", str(path), "--format", spec.fmt]
    )
    assert result.exit_code == 1
    assert "wide.csv" in result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_ucdp_given_a_utf16_file_refuses_it_by_its_header(tmp_path: Path) -> None:
    """A UTF-16 file read as GED (which allows cp1252) is refused naming a missing column."""
    path = tmp_path / "wide.csv"
    path.write_bytes(_csv([_variant(UCDP, 1)]).encode("utf-16"))
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "t.db"), "ingest", str(path), "--format", "ucdp-ged"]
    )
    assert result.exit_code == 1
    assert "line 1 (header)" in result.stderr


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2025, 12, 31)))
def test_every_date_form_reads_the_same_day(day: date) -> None:
    """ISO, both month-first forms and the written-out form all read back as the same date."""
    forms = [
        day.isoformat(),
        f"{day.month:02d}/{day.day:02d}/{day.year}",
        f"{day.month}/{day.day}/{day.year} 0:00:00",
        f"{day.day} {day.strftime('%B')} {day.year}",
    ]
    for form in forms:
        assert event_date({"d": form}, "d", NOW.date()) == day


def test_day_first_dates_are_not_guessed() -> None:
    """A day-first date (31/12/2020) is refused, not read with month and day exchanged."""
    with pytest.raises(RecordRejected, match="not a date"):
        event_date({"d": "31/12/2020"}, "d", NOW.date())


@pytest.mark.parametrize(
    ("changes", "activity", "span_days"),
    [
        ({}, "artillery_fire", 0),
        ({"time_precision": "2"}, "artillery_fire", 7),
        ({"time_precision": "3", "event_date": "2022-02-10"}, "artillery_fire", 28),
        (
            {"sub_event_type": "Air/drone strike", "notes": "A UAV dropped a grenade."},
            "drone_strike",
            0,
        ),
        ({"sub_event_type": "Air/drone strike", "notes": "An aircraft bombed it."}, "explosion", 0),
        ({"sub_event_type": "Something new", "event_type": "Battles"}, "small_arms_fire", 0),
    ],
)
def test_acled_precision_and_activity(
    store: Store, changes: dict[str, str], activity: str, span_days: int
) -> None:
    """ACLED time_precision widens the day to its week or month; sub-types map by the table."""
    receipt = _ingest(store, ACLED, _csv([_variant(ACLED, 1, **changes)]))
    assert receipt.count(Outcome.ACCEPTED) == 1
    [stored] = list(store.iter_reports())
    assert stored.activity.value == activity
    if span_days == 0:
        assert stored.observed_until is None
    else:
        assert stored.observed_until is not None
        assert (stored.observed_until - stored.observed_at).days + 1 == span_days
