"""The documentation is checked against the code it documents."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

from ceasefire.agreement.zone import ZoneKind
from ceasefire.cli.reference import render_reference
from ceasefire.model.activity import Activity
from ceasefire.model.coverage import CoverageStatus
from ceasefire.model.migration import FLAT_FIELDS
from ceasefire.model.source import SourceKind

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = DOCS.parent / "README.md"


def _backticked(path: Path) -> set[str]:
    return set(re.findall(r"`([^`\n]+)`", path.read_text()))


def test_agreement_format_documents_every_top_level_key_and_zone_kind() -> None:
    """Every top-level key of the agreement schema and every zone kind is in the format doc."""
    schema = json.loads(
        resources.files("ceasefire.agreement").joinpath("agreement.schema.json").read_text()
    )
    documented = _backticked(DOCS / "agreement-format.md")
    missing = [key for key in schema["properties"] if key not in documented]
    missing += [kind.value for kind in ZoneKind if kind.value not in documented]
    assert not missing


def test_intake_format_documents_every_vocabulary_value_and_flat_column() -> None:
    """Every activity, source kind, coverage status and flat CSV column is in the intake doc."""
    text = (DOCS / "intake-format.md").read_text()
    for vocabulary in (Activity, SourceKind, CoverageStatus):
        for member in vocabulary:
            assert member.value in text, f"{vocabulary.__name__}.{member.name}"
    for column in FLAT_FIELDS:
        assert column in text, column


def test_cli_reference_is_up_to_date() -> None:
    """docs/cli.md is exactly what the commands' help says (regenerate with `make docs`)."""
    assert (DOCS / "cli.md").read_text() == render_reference(), "run `make docs`"
