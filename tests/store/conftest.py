"""The store fixture: every test in ``tests/store`` runs against every Store implementation.

A new implementation (PostgreSQL + PostGIS) joins by adding a parameter here.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from ceasefire.store import Store, open_store

_URLS = {"sqlite-memory": ":memory:", "memory": "memory://"}


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "memory"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    """Give each test a fresh, empty store of each implementation."""
    url = _URLS.get(request.param, str(tmp_path / "store.db"))
    with open_store(url) as fresh:
        yield fresh
