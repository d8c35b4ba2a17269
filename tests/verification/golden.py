"""The verification half of the golden cases (``tests/cases/<name>.json``): findings out.

A case holds intake records (``reports``, ``coverage``), the grouping of reports into incidents
(``incidents``: each a list of the reports' ``source_ref``), and the expected ``findings``. This
module turns a case into findings: reports are read as intake reads them (with the bundled
gazetteer), each listed group becomes one :class:`~ceasefire.model.incident.Incident`, and the
incidents are verified against the Minsk example. The grouping is the case's, not fusion's, so
these cases test verification alone; fusion's own runner checks that fusing the same reports
gives the same grouping, and ``test_case_through_fusion`` verifies fusion's own incidents of
each case and expects the same findings.

How a group becomes an incident (the case fixes what fusion would infer): the time window spans
the reports'; the location is the tightest report estimate (none if any report has none); the
count is the largest reported; a report is a copy (not independent) when an earlier report of
the group has the same source, the same ``cites`` or a shared evidence hash.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.terms import Agreement
from ceasefire.geo.gazetteer import bundled
from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.incident import Incident, IncidentReport, incident_id
from ceasefire.model.report import Report, WeaponObservation, report_from_dict
from ceasefire.model.source import source_from_dict
from ceasefire.verification import verify

__all__ = [
    "CASES",
    "INPUT_KEYS",
    "MINSK",
    "case_findings",
    "case_reports",
    "check_findings",
    "load_case",
]

REPO = Path(__file__).resolve().parents[2]
CASES = REPO / "tests" / "cases"
MINSK = REPO / "examples" / "minsk" / "agreement.yaml"
RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)


@cache
def minsk() -> Agreement:
    """The Minsk example, loaded once."""
    return load_agreement(MINSK)


def load_case(path: Path) -> dict[str, Any]:
    """Read one case file."""
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


def _incident(group: list[Report]) -> Incident:
    refs: list[IncidentReport] = []
    seen_sources: dict[str, str] = {}
    seen_cites: dict[str, str] = {}
    seen_hashes: dict[str, str] = {}
    for report in group:
        hashes = [e.sha256 for e in report.evidence]
        copy_of = (
            seen_sources.get(report.source.id)
            or (seen_cites.get(report.cites) if report.cites else None)
            or next((seen_hashes[h] for h in hashes if h in seen_hashes), None)
        )
        refs.append(
            IncidentReport(report.id, report.source.id, report.source_ref, copy_of is None, copy_of)
        )
        seen_sources.setdefault(report.source.id, report.id)
        if report.cites:
            seen_cites.setdefault(report.cites, report.id)
        for h in hashes:
            seen_hashes.setdefault(h, report.id)
    estimates = [r.location.estimate() for r in group]
    known = [e for e in estimates if e is not None]
    location = min(known, key=lambda e: e.uncertainty_m) if len(known) == len(group) else None
    weapon: WeaponObservation | None = next((r.weapon for r in group if r.weapon), None)
    return Incident(
        id=incident_id([r.id for r in group]),
        activity=group[0].activity,
        started_at=min(r.observed_at for r in group),
        ended_at=max(r.observed_until or r.observed_at for r in group),
        location=location,
        count=max(r.count for r in group),
        reports=tuple(refs),
        independent_sources=sum(ref.independent for ref in refs),
        weapon=weapon,
    )


def _order(case: dict[str, Any]) -> Any:
    """Sort key keeping a group's reports in the case file's order (copies after originals)."""
    position = {raw["source_ref"]: n for n, raw in enumerate(case["reports"])}
    return position.__getitem__


def _coverage(raw: dict[str, Any]) -> Coverage:
    fields = {k: v for k, v in raw.items() if k != "source"}
    return coverage_from_dict(fields, received_at=RECEIVED, source=source_from_dict(raw["source"]))


def case_reports(case: dict[str, Any]) -> dict[str, Report]:
    """The case's reports, read as intake reads them, by source reference."""
    gazetteer = bundled()
    return {
        raw["source_ref"]: report_from_dict(raw, received_at=RECEIVED, resolver=gazetteer)
        for raw in case["reports"]
    }


def case_findings(
    case: dict[str, Any], incidents: Sequence[Incident] | None = None
) -> list[dict[str, Any]]:
    """Verify a case and return its findings in the case files' form.

    Each finding is its contract JSON without the ``id`` (a hash, checked elsewhere) and with
    ``incident`` (the index of the case's incident, or ``None`` for a sector finding) in place of
    the derived ``incident_id``.

    Args:
        case: the case.
        incidents: the incidents to verify (fusion's, matched to the case's groups by their
            reports' ``source_ref``); by default each group of the case made into one.
    """
    reports = case_reports(case)
    groups = [list(group["reports"]) for group in case["incidents"]]
    if incidents is None:
        incidents = [_incident([reports[ref] for ref in group]) for group in groups]
    by_id = {r.id: r for r in reports.values()}
    wanted = [frozenset(group) for group in groups]
    index = {
        incident.id: wanted.index(frozenset(str(e.source_ref) for e in incident.reports))
        for incident in incidents
    }
    coverage = [_coverage(raw) for raw in case.get("coverage", [])]
    result = verify(incidents, by_id.get, [minsk()], coverage=coverage)
    out = []
    for finding in result.findings:
        doc = finding.to_dict()
        del doc["id"]
        doc = {"incident": index.get(doc.pop("incident_id") or ""), **doc}
        out.append(doc)
    return out


#: Keys of a case that verification reads as inputs (beside fusion's ``reports`` and grouping).
INPUT_KEYS = frozenset({"name", "phrase", "phrase_quoted", "coverage"})


def check_findings(case: dict[str, Any], incidents: Sequence[Incident]) -> None:
    """The checker of a case's ``findings`` key for the fusion runner: verifying the incidents
    fusion made of the case's reports gives exactly the expected findings."""
    found = case_findings(case, incidents)
    assert found == case["findings"], case["description"]


def rewrite_expected() -> int:
    """Rewrite every case's ``findings`` from the current rules; review the diff before
    committing it (``python tests/verification/golden.py --write``). Returns the cases written."""
    written = 0
    for path in sorted(CASES.glob("*.json")):
        case = load_case(path)
        if "findings" not in case:
            continue
        case["findings"] = case_findings(case)
        path.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        written += 1
    return written


if __name__ == "__main__":  # pragma: no cover - a maintainer's tool, not a test
    import sys

    if sys.argv[1:] != ["--write"]:
        raise SystemExit("usage: python tests/verification/golden.py --write")
    sys.stdout.write(f"rewrote {rewrite_expected()} case files\n")
