"""Fixtures of the verification tests: the Minsk example and a fresh case per test."""

from __future__ import annotations

import pytest
from verification_cases import MINSK, Case

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.terms import Agreement


@pytest.fixture(scope="session")
def minsk() -> Agreement:
    """The bundled Minsk example, loaded once."""
    return load_agreement(MINSK)


@pytest.fixture
def case() -> Case:
    """A fresh set of incidents and reports."""
    return Case()
