"""The daily report: the SMM's cut-off and counting, one audience at a time, logged when issued."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.cli import cli
from ceasefire.cli._demo import build_demo
from ceasefire.clock import FixedClock
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.publication.daily import DailySettings, report_day, reporting_period
from ceasefire.store import open_store

CLOCK_START = datetime(2026, 3, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's store (its reports fall on 15-16 September 2020)."""
    directory = tmp_path_factory.mktemp("daily")
    build_demo(directory, FixedClock(CLOCK_START, timedelta(seconds=1)))
    return directory / "ceasefire.db"


def _issue(db: Path, out: Path, audience: str, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        ["--db", str(db), "report", "daily", "--date", "2020-09-16", "--audience", audience,
         "--out", str(out), *extra],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.output


def test_the_period_runs_from_cut_off_to_cut_off_in_local_time() -> None:
    """19:30 Kyiv time is 16:30 UTC in summer (EEST) and 17:30 UTC in winter; a weekend
    report covers three days."""
    summer = reporting_period(date(2020, 9, 16), DailySettings())
    assert summer == (
        datetime(2020, 9, 15, 16, 30, tzinfo=UTC),
        datetime(2020, 9, 16, 16, 30, tzinfo=UTC),
    )
    winter = reporting_period(date(2021, 1, 18), DailySettings(days=3))
    assert winter == (
        datetime(2021, 1, 15, 17, 30, tzinfo=UTC),
        datetime(2021, 1, 18, 17, 30, tzinfo=UTC),
    )


@given(st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 1, 1)))
def test_every_moment_falls_in_the_period_of_its_report_day(moment: datetime) -> None:
    """For any moment, the report day it is counted on has a period that contains it."""
    settings = DailySettings(cutoff=time(19, 30))
    aware = moment.replace(tzinfo=UTC)
    start, end = reporting_period(report_day(aware, settings), settings)
    assert start <= aware < end


def test_the_lead_report_counts_the_missions_observations(demo_db: Path, tmp_path: Path) -> None:
    """Violations per region are the mission's own observation counts; complaints are claims
    and never counted; restrictions and what could not be observed are listed."""
    out = tmp_path / "lead.html"
    _issue(demo_db, out, "lead")
    html = out.read_text()
    with open_store(demo_db) as store:
        start, end = reporting_period(date(2020, 9, 16), DailySettings())
        counted = sum(
            r.count
            for r in store.iter_reports()
            if r.source.kind.value != "party_complaint"
            and r.activity.value
            in {"explosion", "artillery_fire", "mortar_fire", "mlrs_fire", "small_arms_fire",
                "sniper_fire", "drone_strike"}
            and start <= r.observed_at < end
        )  # fmt: skip
    assert f"recorded {counted} ceasefire violations" in html
    assert "Donetsk" in html
    assert "could not be observed" in html
    assert "denied the patrol passage" in html


def test_the_public_report_withholds_details_but_keeps_the_counts(
    demo_db: Path, tmp_path: Path
) -> None:
    """The public's report has the same totals as the lead's, no narrative of a raw report and
    no observer position."""
    lead, public = tmp_path / "lead.html", tmp_path / "public.html"
    _issue(demo_db, lead, "lead")
    _issue(demo_db, public, "public")
    lead_html, public_html = lead.read_text(), public.read_text()
    assert "ceasefire violations (" in public_html
    summary = lead_html.split("<h2>Summary</h2>")[1].split("</li>")[0]
    assert summary in public_html
    assert "denied the patrol passage" not in public_html
    assert "details withheld" in public_html
    assert "<circle" not in public_html.split("<h2>Map</h2>")[1]


def test_a_pdf_is_issued_and_its_hash_is_in_the_ledger(demo_db: Path, tmp_path: Path) -> None:
    """The PDF's SHA-256 is the one logged as a publication, at the checkpoint it names, and
    ledger verify still passes with the publication in the log."""
    out = tmp_path / "daily.pdf"
    _issue(demo_db, out, "participant", "--days", "2")
    content = out.read_bytes()
    assert content.startswith(b"%PDF")
    digest = hashlib.sha256(content).hexdigest()
    with open_store(demo_db) as store:
        [issued] = [p for p in store.publications() if p.sha256 == digest]
        assert issued.audience == "participant"
        assert issued.checkpoint is not None
        assert store.ledger_leaf(issued.id, "publication") is not None
        assert LogKeeper(store, FixedClock(CLOCK_START)).verify().ok


@pytest.mark.parametrize(
    ("option", "value", "hint"),
    [("--date", "16.09.2020", "--date"), ("--cutoff", "7pm", "--cutoff"),
     ("--timezone", "Mars/Olympus", "--timezone"), ("--out", "report.docx", "--out")],
)  # fmt: skip
def test_bad_options_are_a_usage_error(
    demo_db: Path, tmp_path: Path, option: str, value: str, hint: str
) -> None:
    """A malformed date, cut-off, time zone or output name is one line and exit 2."""
    arguments = {"--date": "2020-09-16", "--out": str(tmp_path / "x.html")}
    arguments[option] = value
    flat = [item for pair in arguments.items() for item in pair]
    if option not in arguments or option in ("--cutoff", "--timezone"):
        flat += [option, value]
    result = CliRunner().invoke(
        cli, ["--db", str(demo_db), "report", "daily", "--audience", "lead", *flat]
    )
    assert result.exit_code == 2, result.output
    assert hint in result.output
