"""Inventory reconciliation: weapons missing from a storage site against its agreed list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from verification_cases import Case

from ceasefire.agreement.loader import load_agreement, parse_agreement
from ceasefire.agreement.terms import Agreement
from ceasefire.errors import AgreementInvalid
from ceasefire.model.finding import Verdict
from ceasefire.verification import verify

SITE = """\
format: ceasefire-agreement/1
id: sites
version: "1"
title: Storage sites
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
  - id: site_a
    kind: storage_site
    name: Storage site A
    polygon:
      type: Polygon
      coordinates: [[[29.5, 50.2], [29.52, 50.2], [29.52, 50.22], [29.5, 50.22], [29.5, 50.2]]]
    inventory:
      - {system: D-30, count: 12}
clauses:
  - id: hold-1
    text: Withdrawn weapons are held at the agreed sites, as listed.
    source: {document: doc}
    what: {activities: [weapon_presence]}
    where: {zones: [site_a]}
"""


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Agreement:
    """A small agreement with one storage site holding 12 D-30s."""
    path = Path(tmp_path_factory.mktemp("sites")) / "sites.yaml"
    path.write_text(SITE)
    return load_agreement(path)


def verdict(agreement: Agreement, case: Case, count: int, **kw: Any) -> tuple[Verdict, str]:
    """Verify one count at the site and return the verdict and first reason."""
    incident = case.incident(
        "weapon_presence", 29.51, 50.21, radius_m=50.0, at="2020-06-01T10:00:00+00:00", **kw
    )  # type: ignore[arg-type]
    incident = type(incident)(**{**incident.__dict__, "count": count})
    (finding,) = verify([incident], case.lookup, [agreement]).findings
    return finding.verdict, finding.reasons[0]


def test_missing_weapons_are_a_violation(sites: Agreement, case: Case) -> None:
    """7 of 12 agreed D-30s counted: 5 missing, a violation naming the numbers."""
    found, reason = verdict(sites, case, 7, weapon={"system": "D-30"})
    assert found is Verdict.VIOLATION
    assert reason == "7 of 12 agreed D-30 counted at Storage site A: 5 missing"


def test_full_count_is_no_violation(sites: Agreement, case: Case) -> None:
    """All 12 counted (named by an alias): nothing missing."""
    found, reason = verdict(sites, case, 12, weapon={"system": "2A18"})
    assert found is Verdict.NO_VIOLATION
    assert "all 12" in reason


def test_a_count_without_a_named_system_is_undetermined(sites: Agreement, case: Case) -> None:
    """Howitzers counted without their system cannot be reconciled with the list."""
    found, _ = verdict(sites, case, 3, weapon={"family": "howitzer"})
    assert found is Verdict.UNDETERMINED


def test_inventory_only_on_storage_sites() -> None:
    """An inventory on a zone that is not a storage site is refused, naming the path."""
    bad = SITE.replace("kind: storage_site", "kind: buffer")
    with pytest.raises(AgreementInvalid, match=r"zones\[0\]\.inventory"):
        parse_agreement(bad, "bad.yaml")


def test_inventory_survives_the_stored_document(sites: Agreement) -> None:
    """The agreed list is kept in the stored form and read back."""
    from ceasefire.agreement.loader import agreement_from_document

    again = agreement_from_document(sites.to_document())
    assert again.zone("site_a").inventory == sites.zone("site_a").inventory
