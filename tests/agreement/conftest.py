"""Fixtures of the agreement tests: a minimal valid agreement and the bundled Minsk example."""

from __future__ import annotations

from pathlib import Path

import pytest

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.terms import Agreement

REPO = Path(__file__).resolve().parents[2]
MINSK = REPO / "examples" / "minsk" / "agreement.yaml"
NZZ_EXAMPLE = REPO / "examples" / "minsk-nzz-line" / "agreement.yaml"

MINIMAL = """\
format: ceasefire-agreement/1
id: test
version: "1"
title: Test agreement
in_force_from: "2020-01-01T00:00:00+00:00"
sources: [{id: doc, title: The signed text}]
parties: [{id: A, name: Party A}, {id: B, name: Party B}]
lines:
  - id: l1
    sides: {left: A, right: B}
    waypoints: [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]
weapon_classes:
  - id: art
    any_of: [{families: [howitzer], calibre_mm: {gte: 100}}]
zones:
  - id: z1
    kind: withdrawal
    weapon_classes: [art]
    buffer: {line: l1, km: 10, side: A}
clauses:
  - id: c1
    text: No artillery in the zone.
    source: {document: doc, point: "1"}
    what: {activities: [weapon_presence], weapon_classes: [art]}
    where: {zones: [z1]}
"""


@pytest.fixture
def minimal_text() -> str:
    """The YAML of the smallest valid agreement; the golden bad inputs are variations of it."""
    return MINIMAL


@pytest.fixture(scope="session")
def minsk() -> Agreement:
    """The bundled Minsk example, loaded once."""
    return load_agreement(MINSK)
