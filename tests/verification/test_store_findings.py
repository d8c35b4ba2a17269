"""Findings and review decisions in the store: append-only, current per question, in the ledger."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import UTC, datetime

import pytest

from ceasefire.clock import SystemClock
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.activity import Activity
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.incident import Incident, IncidentReport, ReviewState
from ceasefire.model.location import Estimate
from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability
from ceasefire.store import open_store
from ceasefire.store.base import Store
from ceasefire.verification.review import plan_decision


@pytest.fixture(params=["sqlite", "memory", "postgres"])
def store(request: pytest.FixtureRequest) -> Store:
    """A fresh store of each implementation (PostgreSQL: its own schema of the test database)."""
    if request.param == "postgres":
        return open_store(str(request.getfixturevalue("postgres_url")))
    return open_store(":memory:" if request.param == "sqlite" else "memory://")


AT = datetime(2020, 9, 16, 10, 0, tzinfo=UTC)


def finding(verdict: Verdict = Verdict.VIOLATION, clause: str = "pom-1") -> Finding:
    """A finding on incident i-1."""
    return Finding(
        id="",
        incident_id="i-1",
        agreement_id="minsk",
        agreement_version="2020-07-27",
        clause_id=clause,
        verdict=verdict,
        reasons=("sniper fire observed",),
        reliability=Reliability.B,
        credibility=Credibility.PROBABLY_TRUE,
        independent_sources=1,
        attributed_to="RU",
        attribution_basis="observed actor: RU",
    ).with_identity()


def audited(store: Store) -> list[str]:
    """Audit the ledger against the store and return the problems."""
    return LogKeeper(store, SystemClock()).verify().problems


def test_findings_are_stored_once_and_logged(store: Store) -> None:
    """Writing the same findings twice stores them once; each is a ledger leaf; audit is clean."""
    findings = [finding(), finding(clause="measures-2020-2")]
    assert store.write_findings(findings) == 2
    assert store.write_findings(findings) == 0
    assert [f.id for f in store.iter_findings()] == [f.id for f in findings]
    leaf = store.ledger_leaf(findings[0].id, "finding")
    assert leaf is not None
    assert store.record_body("finding", findings[0].id) == findings[0].to_dict()
    assert audited(store) == []
    assert store.counts().findings == 2


def test_a_new_answer_to_the_same_question_is_appended(store: Store) -> None:
    """A later finding for the same (incident, clause, version) becomes current; both are kept."""
    first = finding(Verdict.POSSIBLE_VIOLATION)
    later = replace(finding(Verdict.VIOLATION), reasons=("confirmed by a camera",)).with_identity()
    store.write_findings([first])
    store.write_findings([later])
    assert [f.id for f in store.iter_findings()] == [later.id]
    assert store.counts().findings == 2
    assert store.ledger_leaf(first.id, "finding") is not None


def test_findings_filter_by_verdict_and_clause(store: Store) -> None:
    """iter_findings filters by verdict and by clause."""
    store.write_findings([finding(), finding(Verdict.NO_VIOLATION, clause="pom-2")])
    assert [f.clause_id for f in store.iter_findings(verdict="violation")] == ["pom-1"]
    assert [f.verdict for f in store.iter_findings(clause_id="pom-2")] == [Verdict.NO_VIOLATION]


def test_reviews_are_appended_and_logged(store: Store) -> None:
    """Decisions come back in order, are in the ledger, and cannot be edited in the database."""
    at = datetime(2020, 9, 17, tzinfo=UTC)
    first = plan_decision([], "i-1", ReviewState.UNDER_REVIEW, "alice", "taking it", at)
    store.add_review(first)
    second = plan_decision([first], "i-1", ReviewState.VERIFIED, "alice", "video", at)
    store.add_review(second)
    assert list(store.iter_reviews("i-1")) == [first, second]
    assert list(store.iter_reviews("i-2")) == []
    assert audited(store) == []


def test_sqlite_refuses_to_edit_a_review() -> None:
    """The reviews table is append-only in the database itself: an UPDATE is aborted."""
    with open_store(":memory:") as store:
        decision = plan_decision([], "i-1", ReviewState.UNDER_REVIEW, "alice", "taking it", AT)
        store.add_review(decision)
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            store._db.execute("UPDATE reviews SET document = '{}'")  # type: ignore[attr-defined]


def test_a_tampered_finding_fails_the_audit(tmp_path: object) -> None:
    """Editing a stored finding behind the store's back is caught by the ledger audit."""
    path = f"{tmp_path}/store.db"
    with open_store(path) as store:
        store.write_findings([finding()])
    db = sqlite3.connect(path)
    db.execute("DROP TRIGGER findings_no_update")
    db.execute("UPDATE findings SET document = replace(document, 'violation', 'no_violation')")
    db.commit()
    db.close()
    with open_store(path) as store:
        assert any("no longer matches" in p for p in audited(store))


def test_findings_of_a_superseded_incident_are_not_current(store: Store) -> None:
    """Once an incident is superseded, its findings drop out of the current view (still stored)."""
    old = Incident(
        id="i-1",
        activity=Activity.SNIPER_FIRE,
        started_at=AT,
        ended_at=AT,
        location=Estimate(37.8, 47.9, 50.0),
        count=1,
        reports=(IncidentReport("r-1", "cam-1", None, True),),
        independent_sources=1,
    )
    store.write_incidents([old])
    store.write_findings([finding()])
    assert len(list(store.iter_findings())) == 1
    store.write_incidents([replace(old, id="i-2", supersedes="i-1")])
    assert list(store.iter_findings()) == []
    assert store.counts().findings == 1
