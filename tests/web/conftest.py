"""Fixtures of the web tests: the demo store served in-process (see :mod:`served`)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from served import Service, serve_demo


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Service]:
    """The demo's store, served in-process, with users of every audience."""
    yield from serve_demo(tmp_path_factory)
