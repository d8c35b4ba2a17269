"""What each part of a golden case asserts. One checker per top-level key of a case file.

A case (``tests/cases/<name>.json``) holds ``description``, ``reports`` (intake records, current
layout), optional ``settings`` (fusion settings: ``{"preview": [...], "gate": ...}``), optional
``coverage``, ``name``, ``phrase`` and ``phrase_quoted`` (verification's), and one key per
stage's expectations: ``incidents`` (fusion, checked here: fusing the reports must give exactly
these groups) and ``findings`` (checked by verification's runner,
``tests/verification/test_golden_findings.py``, from the case's own grouping). A case with a key
that no runner knows fails, so an expectation is never silently ignored.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from pyproj import Geod

from ceasefire.model.incident import Incident

__all__ = ["CHECKED_ELSEWHERE", "CHECKS", "KNOWN_KEYS", "check_incidents"]

_GEOD = Geod(ellps="WGS84")

#: Keys of a case that are inputs, not expectations.
KNOWN_KEYS = frozenset(
    {"description", "reports", "settings", "coverage", "name", "phrase", "phrase_quoted"}
)

#: Expectation keys another runner checks, and where.
CHECKED_ELSEWHERE = {"findings": "tests/verification/test_golden_findings.py"}


def _by_refs(incidents: Sequence[Incident]) -> dict[frozenset[str], Incident]:
    return {frozenset(str(e.source_ref) for e in item.reports): item for item in incidents}


def check_incidents(case: dict[str, Any], incidents: Sequence[Incident]) -> None:
    """The incidents are exactly the expected groups of reports (by source_ref), and each has
    the expected fields: activity, count, independent_sources, started_at, ended_at, weapon,
    location / origin (``null``, or a point with ``within_m``), sector (present or not), and
    copies (``{ref: ref of the report it copies}``)."""
    expected = case["incidents"]
    found = _by_refs(incidents)
    wanted = [frozenset(item["reports"]) for item in expected]
    assert set(found) == set(wanted), (
        f"groups {sorted(map(sorted, found))} != {sorted(map(sorted, wanted))}"
    )
    for item in expected:
        incident = found[frozenset(item["reports"])]
        document = incident.to_dict()
        for key in ("activity", "count", "independent_sources", "started_at", "ended_at", "weapon"):
            if key in item:
                assert document[key] == item[key], f"{key}: {document[key]!r} != {item[key]!r}"
        for key in ("location", "origin"):
            if key in item:
                _check_point(key, document[key], item[key])
        if "sector" in item:
            assert (document["sector"] is not None) == item["sector"], "sector"
        refs = {e.id: e.source_ref for e in incident.reports}
        copies = {e.source_ref: refs[e.copy_of] for e in incident.reports if e.copy_of}
        if "copies" in item:
            assert copies == item["copies"], f"copies {copies} != {item['copies']}"


def _check_point(key: str, got: dict[str, float] | None, want: dict[str, float] | None) -> None:
    if want is None:
        assert got is None, f"{key}: expected null, got {got}"
        return
    assert got is not None, f"{key}: expected a point, got null"
    _, _, miss = _GEOD.inv(got["lon"], got["lat"], want["lon"], want["lat"])
    assert miss <= want["within_m"], f"{key}: {miss:.0f} m from the expected point"


#: The checker of each expectation key.
CHECKS: dict[str, Callable[[dict[str, Any], Sequence[Incident]], None]] = {
    "incidents": check_incidents,
}
