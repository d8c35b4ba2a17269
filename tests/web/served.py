"""The demo store behind the web service, with one user (and token) per audience.

A module of its own (not ``conftest``), so the tests can import :class:`Service` by a name no
other test folder uses.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from ceasefire.cli._demo import build_demo
from ceasefire.clock import FixedClock
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.incident import Incident, IncidentReport, ReviewState, incident_id
from ceasefire.model.location import Estimate
from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability
from ceasefire.publication.access import Credential, User, hash_token, new_token
from ceasefire.publication.audience import Audience
from ceasefire.store import Store, open_store
from ceasefire.verification.review import decide
from ceasefire.web.app import create_app

START = datetime(2026, 3, 1, tzinfo=UTC)
#: The audiences the role matrix checks, by the user name that holds each.
AUDIENCES = {
    "ana": "analyst",
    "leo": "lead",
    "mo": "monitor",
    "pat": "participant",
    "ua": "party:UA",
    "ru": "party:RU",
    "bo": "analyst",
}


@dataclass(frozen=True)
class Service:
    """The app over the demo store, and each user's token (``revoked`` is a revoked one)."""

    client: TestClient
    db: Path
    tokens: dict[str, str]

    def get(self, who: str | None, url: str, **kwargs: object) -> object:
        """GET as ``who`` (a user name, or None for the public)."""
        headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
        return self.client.get(url, headers=headers, **kwargs)  # type: ignore[arg-type]


def serve_demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """Build the demo's store with users of every audience, and serve it in-process."""
    directory = tmp_path_factory.mktemp("web")
    clock = FixedClock(START, timedelta(seconds=1))
    build_demo(directory, clock)
    db = directory / "ceasefire.db"
    tokens: dict[str, str] = {}
    with open_store(db) as store:
        for name, audience in AUDIENCES.items():
            store.add_user(User(name, Audience.parse(audience), clock.now()))
            tokens[name] = new_token()
            store.add_credential(Credential(hash_token(tokens[name]), name, clock.now()))
        _incidents_and_findings(store, clock)
        tokens["revoked"] = new_token()
        store.add_credential(Credential(hash_token(tokens["revoked"]), "ana", clock.now()))
        store.revoke_credential(hash_token(tokens["revoked"]), clock.now())
    with TestClient(create_app(str(db), clock)) as client:
        yield Service(client, db, tokens)


def _incidents_and_findings(store: Store, clock: FixedClock) -> None:
    """Two incidents of the demo's reports, each with a finding; the first is verified by two
    analysts (four eyes), the second, which holds the UA complaint, is left as reported."""
    reports = list(store.iter_reports())
    mission = [r for r in reports if r.source.kind.value != "party_complaint"][:2]
    complaint = next(r for r in reports if r.source.party == "UA")
    made = []
    for members, attributed in ((mission, "RU"), ([complaint], None)):
        first = members[0]
        estimate = first.location.estimate() or Estimate(37.75, 48.14, 1_000.0)
        incident = Incident(
            id=incident_id([r.id for r in members]),
            activity=first.activity,
            started_at=first.observed_at,
            ended_at=first.observed_at,
            location=Estimate(estimate.lon, estimate.lat, estimate.uncertainty_m),
            count=first.count,
            reports=tuple(IncidentReport(r.id, r.source.id, r.source_ref, True) for r in members),
            independent_sources=len(members),
        )
        finding = Finding(
            id="", incident_id=incident.id, agreement_id="minsk",
            agreement_version="2020-07-27", clause_id="pom-1", verdict=Verdict.VIOLATION,
            reasons=("a reason a commission can read",), reliability=Reliability.B,
            credibility=Credibility.PROBABLY_TRUE, independent_sources=len(members),
            attributed_to=attributed, attribution_basis="position",
        ).with_identity()  # fmt: skip
        store.write_incidents([incident])
        store.write_findings([finding])
        made.append(incident)
    at = clock.now()
    decide(store, made[0].id, ReviewState.UNDER_REVIEW, "ana", "taking it", at)
    decide(store, made[0].id, ReviewState.VERIFIED, "ana", "camera and patrol agree", at)
    decide(store, made[0].id, ReviewState.VERIFIED, "bo", "agreed", at)
