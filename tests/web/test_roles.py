"""The role matrix: every endpoint as every audience, for what must and must not appear."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from served import AUDIENCES, Service

from ceasefire.ledger import verify_inclusion
from ceasefire.ledger.canonical import entry_bytes
from ceasefire.ledger.merkle import leaf_hash
from ceasefire.store import open_store

EVERYONE = [None, *AUDIENCES]


def _reports(service: Service, who: str | None) -> list[dict[str, Any]]:
    response = service.get(who, "/api/v1/reports", params={"limit": 1000})
    assert response.status_code == 200, response.text  # type: ignore[attr-defined]
    items: list[dict[str, Any]] = response.json()["items"]  # type: ignore[attr-defined]
    return items


def _stored_reports(service: Service) -> list[Any]:
    with open_store(service.db) as store:
        return list(store.iter_reports())


@pytest.mark.parametrize("who", EVERYONE)
def test_each_audience_sees_exactly_its_reports(service: Service, who: str | None) -> None:
    """Analysts and the lead see every report; monitors the mission's own; participants the
    mission's own without identities; a party only its own complaints; the public none."""
    seen = _reports(service, who)
    stored = _stored_reports(service)
    kinds = {item["source"]["kind"] for item in seen}
    if who in ("ana", "leo"):
        assert len(seen) == len(stored)
    elif who == "mo":
        assert seen
        assert "party_complaint" not in kinds
        assert all("id" in item["source"] for item in seen)
    elif who == "pat":
        assert seen
        assert "party_complaint" not in kinds
        assert all(set(item["source"]) == {"kind", "organisation"} for item in seen)
    elif who in ("ua", "ru"):
        party = AUDIENCES[who].split(":")[1]
        assert seen
        assert kinds == {"party_complaint"}
        assert {item["source"]["party"] for item in seen} == {party}
        expected = [r for r in stored if r.source.party == party]
        assert len(seen) == len(expected)
    else:
        assert seen == []


def test_a_party_cannot_read_the_other_partys_complaint(service: Service) -> None:
    """Asked by id, the other side's complaint is the same 404 as an id that does not exist."""
    ru_complaint = next(r for r in _stored_reports(service) if r.source.party == "RU")
    as_ua = service.get("ua", f"/api/v1/reports/{ru_complaint.id}")
    guessed = service.get("ua", "/api/v1/reports/r-00000000000000000000000000000000")
    assert as_ua.status_code == guessed.status_code == 404  # type: ignore[attr-defined]
    assert service.get("ru", f"/api/v1/reports/{ru_complaint.id}").status_code == 200  # type: ignore[attr-defined]
    assert service.get(None, f"/api/v1/reports/{ru_complaint.id}").status_code == 404  # type: ignore[attr-defined]


def test_a_revoked_or_unknown_token_is_refused_the_same_way(service: Service) -> None:
    """A revoked token and a made-up one both get 401, and neither gets any data."""
    revoked = service.get("revoked", "/api/v1/reports")
    made_up = service.client.get(
        "/api/v1/reports", headers={"Authorization": "Bearer cft_not-a-token"}
    )
    assert revoked.status_code == made_up.status_code == 401  # type: ignore[attr-defined]
    assert revoked.json() == made_up.json()  # type: ignore[attr-defined]


def test_a_forged_role_header_is_ignored(service: Service) -> None:
    """No header but the token says who is asking: X-Role and friends change nothing."""
    forged = service.client.get(
        "/api/v1/reports", headers={"X-Role": "analyst", "X-Audience": "lead", "X-User": "ana"}
    )
    assert forged.status_code == 200
    assert forged.json()["items"] == []
    assert service.client.get("/api/v1/me", headers={"X-Role": "analyst"}).json() == {
        "user": None,
        "audience": "public",
    }


@pytest.mark.parametrize("who", EVERYONE)
def test_coverage_is_not_public_and_anonymous_for_participants(
    service: Service, who: str | None
) -> None:
    """Coverage sectors reveal where the sensors are: never public nor for a party; participants
    see them without the sensor's identity."""
    items = service.get(who, "/api/v1/coverage").json()["items"]  # type: ignore[attr-defined]
    if who in (None, "ua", "ru"):
        assert items == []
    elif who == "pat":
        assert items
        assert all(set(item["source"]) == {"kind", "organisation"} for item in items)
    else:
        assert items
        assert all("id" in item["source"] for item in items)


def test_the_public_sees_no_observer_position_anywhere(service: Service) -> None:
    """No response to the public carries an observer's coordinates or a monitor's name."""
    stored = _stored_reports(service)
    observers = {
        f"{r.location.observer_lon}" for r in stored if hasattr(r.location, "observer_lon")
    }
    names = {r.source.name for r in stored if r.source.name}
    for url in ("/api/v1/reports", "/api/v1/coverage", "/api/v1/reports?format=geojson"):
        text = service.get(None, url).text  # type: ignore[attr-defined]
        assert not any(value in text for value in observers | names), url


def test_inclusion_proof_only_for_what_the_caller_may_see(service: Service) -> None:
    """A party gets a proof for its own complaint that verifies against the checkpoint; the
    public gets the same 404 for it as for an unknown id."""
    ua_complaint = next(r for r in _stored_reports(service) if r.source.party == "UA")
    public = service.get(None, "/api/v1/ledger/inclusion", params={"id": ua_complaint.id})
    assert public.status_code == 404  # type: ignore[attr-defined]
    answer = service.get("ua", "/api/v1/ledger/inclusion", params={"id": ua_complaint.id})
    assert answer.status_code == 200  # type: ignore[attr-defined]
    proof = answer.json()  # type: ignore[attr-defined]
    with open_store(service.db) as store:
        root = store.checkpoints()[-1].root
        body = store.record_body("report", ua_complaint.id)
    assert body is not None
    assert base64.b64decode(proof["leaf_hash"]) == leaf_hash(
        entry_bytes("report", ua_complaint.id, body)
    )
    verify_inclusion(
        proof["leaf_index"],
        proof["tree_size"],
        base64.b64decode(proof["leaf_hash"]),
        [base64.b64decode(step) for step in proof["proof"]],
        root,
    )


def test_checkpoint_agreements_and_consistency_are_public(service: Service) -> None:
    """The signed checkpoint, the agreement's zones and consistency proofs are for everyone."""
    note = service.get(None, "/api/v1/ledger/checkpoint")
    assert note.status_code == 200  # type: ignore[attr-defined]
    assert note.text.splitlines()[1].isdigit()  # type: ignore[attr-defined]
    zones = service.get(None, "/api/v1/agreements/minsk/zones").json()  # type: ignore[attr-defined]
    assert zones["type"] == "FeatureCollection"
    size = int(note.text.splitlines()[1])  # type: ignore[attr-defined]
    proof = service.get(None, "/api/v1/ledger/consistency", params={"from": 1, "to": size})
    assert proof.status_code == 200  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"until": "2020-09-15T21:40"}, "until"),
        ({"bbox": "1,2,3"}, "bbox"),
        ({"cursor": "!!"}, "cursor"),
        ({"limit": "0"}, "limit"),
    ],
)
def test_bad_parameters_get_a_4xx_naming_the_field(
    service: Service, params: dict[str, str], field: str
) -> None:
    """A malformed filter is a 422 whose message names the parameter, never a 500."""
    response = service.get("ana", "/api/v1/reports", params=params)
    assert response.status_code == 422  # type: ignore[attr-defined]
    assert field in response.text  # type: ignore[attr-defined]


def test_cursor_pages_through_everything_once(service: Service) -> None:
    """Following next_cursor with a small page gives every visible report exactly once."""
    seen: list[str] = []
    params: dict[str, Any] = {"limit": 3}
    while True:
        page = service.get("ana", "/api/v1/reports", params=params).json()  # type: ignore[attr-defined]
        seen.extend(item["id"] for item in page["items"])
        if page["next_cursor"] is None:
            break
        params["cursor"] = page["next_cursor"]
    assert sorted(seen) == sorted(r.id for r in _stored_reports(service))


def test_posting_reports_is_ingest_with_its_receipt(service: Service) -> None:
    """A monitor's POST stores the report and answers with ingest's receipt; sending it again
    is a duplicate; the public may not post; a party may post only its own complaints."""
    record = {
        "source": {"id": "web-patrol", "kind": "monitor_patrol", "organisation": "Test"},
        "source_ref": "web-1",
        "observed_at": "2020-09-16T10:00+03:00",
        "location": {"lon": 37.75, "lat": 48.14, "uncertainty_m": 100},
        "activity": "explosion",
    }
    headers = {"Authorization": f"Bearer {service.tokens['mo']}"}
    first = service.client.post("/api/v1/reports", content=json.dumps(record), headers=headers)
    assert first.status_code == 200, first.text
    assert first.json()["accepted"] == 1
    again = service.client.post("/api/v1/reports", content=json.dumps(record), headers=headers)
    assert again.json()["duplicate"] == 1
    public = service.client.post("/api/v1/reports", content=json.dumps(record))
    assert public.status_code == 403
    as_party = service.client.post(
        "/api/v1/reports",
        content=json.dumps(record | {"source_ref": "web-2"}),
        headers={"Authorization": f"Bearer {service.tokens['ua']}"},
    )
    assert as_party.status_code == 422
    assert as_party.json()["records"][0]["field"] == "source"
    broken = service.client.post("/api/v1/reports", content="{not json", headers=headers)
    assert broken.status_code == 400
