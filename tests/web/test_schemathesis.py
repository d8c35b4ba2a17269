"""Property-based fuzzing of the API from its own OpenAPI document: no request ends in a 5xx.

Schemathesis generates each operation's requests from the schema the app publishes; the test
drives hypothesis itself (one run per operation) rather than through schemathesis' pytest plugin.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from served import Service

from ceasefire.web.app import create_app

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _fuzz(operation: Any, headers: dict[str, str]) -> Callable[[], None]:
    """A hypothesis test of one operation, sending ``headers`` with every request."""

    @given(case=operation.as_strategy())
    @settings(
        max_examples=20, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case: schemathesis.Case) -> None:
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:300]}"
        )

    return check


def test_no_request_gets_a_server_error(service: Service) -> None:
    """Whatever the parameters and body, every operation answers a success or a 4xx, never 5xx;
    as the public and as an analyst, so the authenticated paths are fuzzed as well."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(str(service.db)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 8
    for token in (None, service.tokens["ana"]):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        for operation in operations:
            _fuzz(operation, headers)()
