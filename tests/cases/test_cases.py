"""The golden cases: reports in, incidents (and, from verification, findings) out.

One parametrized test runs every ``tests/cases/*.json`` (black's ``tests/data/cases`` is the
model): a rule change that alters an outcome shows up as a named case failing. See
``case_checks.py`` for the file format and how a stage adds its expectations.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from case_checks import CHECKED_ELSEWHERE, CHECKS, KNOWN_KEYS

from ceasefire.fusion.incidents import plan_incidents
from ceasefire.fusion.settings import FusionSettings, Preview
from ceasefire.geo.gazetteer import bundled
from ceasefire.model.report import report_from_dict

CASES = sorted(Path(__file__).parent.glob("*.json"))
RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)


def _settings(raw: dict[str, Any] | None) -> FusionSettings:
    raw = dict(raw or {})
    preview = frozenset(Preview(flag) for flag in raw.pop("preview", []))
    return FusionSettings(preview=preview, **raw)


def test_there_are_cases() -> None:
    """The case directory is not empty (a glob that matched nothing would pass every case)."""
    assert len(CASES) >= 20


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    """Fusing the case's reports gives what each of its expectation keys says."""
    case = json.loads(path.read_text())
    assert case.get("description"), "every case says what it is about"
    unknown = set(case) - KNOWN_KEYS - set(CHECKS) - set(CHECKED_ELSEWHERE)
    assert not unknown, f"no checker for {sorted(unknown)}"
    gazetteer = bundled()
    reports = [
        report_from_dict(record, received_at=RECEIVED, resolver=gazetteer)
        for record in case["reports"]
    ]
    incidents = plan_incidents(reports, settings=_settings(case.get("settings")))
    for key, check in CHECKS.items():
        if key in case:
            check(case, incidents)
