"""Fixtures shared by the whole test suite."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

from postgres import Server

# No deadline: a property test must not fail because the machine (2 cores, 8 helpers) is busy.
settings.register_profile("ceasefire", deadline=None)
settings.load_profile("ceasefire")

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DATA = REPO_ROOT.parent / "shared" / "data"


def shared_data_path(relative: str) -> Path:
    """Return a file of ``../shared/data``, or skip the test where it is absent.

    The shared data sits beside the repository in CI and on the team's machines, not in a user's
    clone. Absent data skips the test with the reason, except under ``CI=true``, where it is always
    there, so its absence is a failure and not a silent skip.
    """
    path = SHARED_DATA / relative
    if not path.exists():
        message = (
            f"shared data not found: {path} (it lives beside the repository, in ../shared/data)"
        )
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture
def shared_data() -> type[SharedData]:
    """Give a test access to ``../shared/data`` through :func:`shared_data_path`."""
    return SharedData


class SharedData:
    """Namespace for the shared-data look-up, so fixtures can hand it out."""

    path = staticmethod(shared_data_path)


@pytest.fixture(autouse=True)
def _clean_environ(monkeypatch: pytest.MonkeyPatch) -> None:
    """Keep tests from seeing the caller's ceasefire settings."""
    for name in list(os.environ):
        if name.startswith("CEASEFIRE_"):
            monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Server]:
    """The session's throw-away PostgreSQL database (see ``tests/postgres.py``)."""
    server = Server()
    yield server
    server.drop()


@pytest.fixture
def postgres_url(postgres_server: Server) -> str:
    """A URL to an empty schema of its own in the session database; skips without a server."""
    return postgres_server.fresh_schema()
