"""The store fixture: every test in ``tests/store`` runs against every Store implementation.

The PostgreSQL parameter uses a fresh schema of the session's throw-away database
(``tests/postgres.py``); without a server it skips, and under ``CI=true`` it fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.store import Store, open_store

_URLS = {"sqlite-memory": ":memory:", "memory": "memory://"}


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "memory", "postgres"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty store of each implementation."""
    if request.param == "postgres":
        return str(request.getfixturevalue("postgres_url"))
    return _URLS.get(request.param, str(tmp_path / "store.db"))


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """Give each test a fresh, empty store of each implementation."""
    with open_store(store_url) as fresh:
        yield fresh
