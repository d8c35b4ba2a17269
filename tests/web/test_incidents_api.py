"""Incidents, findings and review decisions over the API, for every audience."""

from __future__ import annotations

from typing import Any

import pytest
from served import AUDIENCES, Service

from ceasefire.store import open_store

EVERYONE = [None, *AUDIENCES]


def _incidents(service: Service, who: str | None) -> list[dict[str, Any]]:
    response = service.get(who, "/api/v1/incidents")
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    items: list[dict[str, Any]] = response.json()["items"]  # type: ignore[attr-defined]
    return items


def _stored(service: Service) -> dict[str, Any]:
    with open_store(service.db) as store:
        return {incident.id: incident for incident in store.iter_incidents()}


@pytest.mark.parametrize("who", EVERYONE)
def test_each_audience_sees_its_incidents(service: Service, who: str | None) -> None:
    """The public sees only the verified incident, generalised and without its reports; a
    party sees what concerns it; analysts, the lead, monitors and participants see all."""
    seen = {item["id"]: item for item in _incidents(service, who)}
    stored = _stored(service)
    verified = [item for item in seen.values() if item["state"] == "verified"]
    if who is None:
        assert len(seen) == len(verified) == 1
        [item] = seen.values()
        original = stored[item["id"]].location
        assert item["reports"] == []
        assert (item["location"]["lon"], item["location"]["lat"]) != (original.lon, original.lat)
        assert item["location"]["radius_m"] >= 1000
        assert "sector" not in item
        assert "settings" not in item
    elif who in ("ua", "ru"):
        party = AUDIENCES[who].split(":")[1]
        assert set(seen) == _concerning(service, party)
        assert seen  # UA: its own complaint; RU: findings attributed to it
        assert all("source" not in entry for item in seen.values() for entry in item["reports"])
    else:
        assert set(seen) == set(stored)
    if who == "pat":
        assert all("source" not in e for item in seen.values() for e in item["reports"])


def _concerning(service: Service, party: str) -> set[str]:
    """The incidents that concern a party, worked out here from the stored records."""
    with open_store(service.db) as store:
        sources = store.sources()
        attributed = {f.incident_id for f in store.iter_findings() if f.attributed_to == party}
        return {
            incident.id
            for incident in store.iter_incidents()
            if incident.id in attributed
            or any(
                sources[r.source].party == party for r in incident.reports if r.source in sources
            )
        }


def test_the_public_finds_only_verified_findings(service: Service) -> None:
    """Findings of an incident nobody verified stay out of the public's view."""
    public = service.get(None, "/api/v1/findings").json()["items"]  # type: ignore[attr-defined]
    everything = service.get("ana", "/api/v1/findings").json()["items"]  # type: ignore[attr-defined]
    with open_store(service.db) as store:
        current = {incident.id for incident in store.iter_incidents()}
        on_incidents = [f for f in store.iter_findings() if f.incident_id in current]
        verified = {d.incident_id for d in store.iter_reviews() if d.to_state.value == "verified"}
    assert len(everything) == len(on_incidents) > len(public) > 0
    assert {finding["incident_id"] for finding in public} <= verified
    verdict = service.get(None, "/api/v1/findings", params={"verdict": "no_violation"})
    assert verdict.json()["items"] == []  # type: ignore[attr-defined]


def test_the_incident_panel_and_an_id_guess(service: Service) -> None:
    """An analyst's panel holds the reports, the findings and the review history; the public
    asking for an unverified incident gets the same 404 as for an id that does not exist."""
    stored = _stored(service)
    reported = next(i for i in stored.values() if len(i.reports) == 1)
    panel = service.get("ana", f"/api/v1/incidents/{reported.id}").json()  # type: ignore[attr-defined]
    assert panel["findings"]
    assert panel["report_details"][0]["id"] == reported.reports[0].id
    assert panel["reviews"] == []
    hidden = service.get(None, f"/api/v1/incidents/{reported.id}")
    guessed = service.get(None, "/api/v1/incidents/i-0000")
    assert hidden.status_code == guessed.status_code == 404  # type: ignore[attr-defined]


def test_review_decisions_need_an_analyst_and_four_eyes(service: Service) -> None:
    """Only an analyst decides, under the token's name; the same analyst cannot verify twice;
    a second analyst's agreement verifies."""
    incident = next(i for i in _stored(service).values() if len(i.reports) == 1)
    url = f"/api/v1/incidents/{incident.id}/decisions"

    def post(who: str, decision: str) -> Any:
        headers = {"Authorization": f"Bearer {service.tokens[who]}"}
        body = {"decision": decision, "reason": f"{who} says {decision}"}
        return service.client.post(url, json=body, headers=headers)

    assert post("mo", "under_review").status_code == 403
    assert service.client.post(url, json={"decision": "verified", "reason": "x"}).status_code == 403
    assert post("ana", "under_review").status_code == 200
    first = post("ana", "verified")
    assert first.status_code == 200
    assert first.json()["to_state"] == "under_review"  # awaiting the second pair of eyes
    assert post("ana", "verified").status_code == 409
    second = post("bo", "verified")
    assert second.json()["to_state"] == "verified"
    assert second.json()["by"] == "bo"
    assert post("ana", "flying").status_code == 422
