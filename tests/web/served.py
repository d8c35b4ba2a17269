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
from ceasefire.publication.access import Credential, User, hash_token, new_token
from ceasefire.publication.audience import Audience
from ceasefire.store import open_store
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
        tokens["revoked"] = new_token()
        store.add_credential(Credential(hash_token(tokens["revoked"]), "ana", clock.now()))
        store.revoke_credential(hash_token(tokens["revoked"]), clock.now())
    with TestClient(create_app(str(db), clock)) as client:
        yield Service(client, db, tokens)
