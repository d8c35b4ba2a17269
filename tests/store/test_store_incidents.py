"""The incident part of the Store contract, run against every implementation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from ceasefire.clock import FixedClock
from ceasefire.errors import NotFound
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.activity import Activity
from ceasefire.model.incident import Incident, IncidentReport, incident_from_dict, incident_id
from ceasefire.model.location import Estimate
from ceasefire.store import Store

START = datetime(2020, 9, 15, 18, 40, tzinfo=UTC)


def _incident(*report_ids: str, supersedes: str | None = None) -> Incident:
    members = tuple(
        IncidentReport(rid, "cam-1", rid, index == 0) for index, rid in enumerate(report_ids)
    )
    return Incident(
        id=incident_id(report_ids),
        activity=Activity.EXPLOSION,
        started_at=START,
        ended_at=START + timedelta(minutes=5),
        location=Estimate(37.75, 48.14, 500.0),
        count=2,
        reports=members,
        independent_sources=1,
        settings={"time_gate_s": 600},
        supersedes=supersedes,
    )


def test_incidents_round_trip_and_are_logged(store: Store) -> None:
    """A written incident reads back equal, has a ledger leaf, and the audit passes."""
    incident = _incident("r-a", "r-b")
    assert store.write_incidents([incident]) == {incident.id}
    assert list(store.iter_incidents()) == [incident]
    assert store.get_incident(incident.id) == incident
    leaf = store.ledger_leaf(incident.id, "incident")
    assert leaf is not None
    assert leaf.kind == "incident"
    assert store.unlogged_records() == []
    assert store.record_body("incident", incident.id) == incident.to_dict()
    result = LogKeeper(store, FixedClock(datetime(2026, 1, 1, tzinfo=UTC))).verify()
    assert result.ok, result.problems


def test_writing_an_incident_again_changes_nothing(store: Store) -> None:
    """Writing a stored incident inserts nothing and appends no leaf."""
    incident = _incident("r-a")
    store.write_incidents([incident])
    size = store.ledger_size()
    assert store.write_incidents([incident]) == frozenset()
    assert store.ledger_size() == size


def test_superseded_incident_is_kept_but_not_current(store: Store) -> None:
    """An incident that gained a report is replaced in the current view; the old one stays."""
    old = _incident("r-a")
    new = _incident("r-a", "r-b", supersedes=old.id)
    store.write_incidents([old])
    store.write_incidents([new])
    assert [item.id for item in store.iter_incidents()] == [new.id]
    assert store.get_incident(old.id) == old
    assert store.counts().incidents == 1


def test_unknown_incident_raises_not_found(store: Store) -> None:
    """Asking for an incident nobody stored raises NotFound naming the id."""
    with pytest.raises(NotFound, match="i-nope"):
        store.get_incident("i-nope")


def test_incident_json_form_round_trips() -> None:
    """incident_from_dict reads back exactly what to_dict wrote, and the contract keys lead."""
    incident = _incident("r-a", "r-b")
    document = incident.to_dict()
    assert list(document)[:9] == [
        "id", "activity", "started_at", "ended_at", "location", "count",
        "independent_sources", "reports", "state",
    ]  # fmt: skip
    assert document["location"] == {"lon": 37.75, "lat": 48.14, "radius_m": 500.0}
    assert incident_from_dict(document) == incident


def test_incident_id_is_order_free() -> None:
    """The same reports make the same id whatever their order; different reports do not."""
    assert incident_id(["b", "a"]) == incident_id(["a", "b"])
    assert incident_id(["a"]) != incident_id(["a", "b"])
