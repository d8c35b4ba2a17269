"""The verify, findings and review commands on a store with incidents in it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ceasefire.cli import cli
from ceasefire.model.activity import Activity
from ceasefire.model.incident import Incident, IncidentReport, incident_id
from ceasefire.model.location import Estimate
from ceasefire.store import open_store
from records import jsonl, report

MINSK = Path(__file__).resolve().parents[2] / "examples" / "minsk" / "agreement.yaml"


def _run(db: str, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with the Minsk agreement, one sniper-fire report and its incident."""
    path = str(tmp_path / "test.db")
    records = tmp_path / "reports.jsonl"
    records.write_text(
        jsonl(
            [
                report(
                    "s1",
                    activity="sniper_fire",
                    actor="RU",
                    location={"lon": 37.85, "lat": 47.98, "uncertainty_m": 50},
                )
            ]
        )
    )
    assert _run(path, "agreement", "load", str(MINSK))[0] == 0
    assert _run(path, "ingest", str(records))[0] == 0
    with open_store(path) as store:
        (stored,) = store.iter_reports()
        incident = Incident(
            id=incident_id([stored.id]),
            activity=Activity.SNIPER_FIRE,
            started_at=stored.observed_at,
            ended_at=stored.observed_at,
            location=Estimate(37.85, 47.98, 50.0),
            count=1,
            reports=(IncidentReport(stored.id, stored.source.id, stored.source_ref, True),),
            independent_sources=1,
        )
        store.write_incidents([incident])
    return path


def test_verify_then_findings_json(db: str) -> None:
    """verify stores findings; findings --format json prints the contract; again adds nothing."""
    code, out, _ = _run(db, "verify")
    assert code == 0
    assert "2 violation" in out
    code, out, _ = _run(db, "findings", "--format", "json")
    rows = json.loads(out)
    assert {r["clause_id"] for r in rows} == {"pom-1", "measures-2020-2"}
    assert all(r["verdict"] == "violation" and r["attributed_to"] == "RU" for r in rows)
    assert rows[0]["grade"] == "A2"
    code, out, _ = _run(db, "verify", "--quiet")
    assert "0 new in the store" in out
    code, out, _ = _run(db, "findings", "--clause", "pom-1", "--verdict", "violation")
    assert "1 findings" in out
    code, out, _ = _run(db, "ledger", "verify")
    assert code == 0


def test_review_four_eyes_from_the_cli(db: str) -> None:
    """Two analysts verify an incident; the same analyst twice is refused with exit 1."""
    with open_store(db) as store:
        (incident,) = store.iter_incidents()
    base = ("review", incident.id, "--reason", "checked")
    assert _run(db, *base, "--decision", "under_review", "--by", "alice")[0] == 0
    code, out, _ = _run(db, *base, "--decision", "verified", "--by", "alice")
    assert code == 0
    assert "awaiting a second analyst" in out
    code, _, err = _run(db, *base, "--decision", "verified", "--by", "alice")
    assert code == 1
    assert "four eyes" in err
    code, out, _ = _run(db, *base, "--decision", "verified", "--by", "bob")
    assert "under_review → verified" in out
    assert _run(db, "ledger", "verify")[0] == 0


def test_review_of_an_unknown_incident_is_refused(db: str) -> None:
    """A decision on an incident that does not exist exits 1 naming it, with no traceback."""
    code, _, err = _run(
        db, "review", "i-nope", "--decision", "under_review", "--by", "a", "--reason", "r"
    )
    assert code == 1
    assert "i-nope" in err


def test_verify_without_an_agreement_is_refused(tmp_path: Path) -> None:
    """verify on a store with no agreement loaded exits 1 and says what to do."""
    _run(str(tmp_path / "empty.db"), "init")  # a store that does not exist is refused earlier
    code, _, err = _run(str(tmp_path / "empty.db"), "verify")
    assert code == 1
    assert "agreement load" in err
