"""Issuing a daily report: gather the day from the store, render it, and log that it was issued.

The one call the ``ceasefire report daily`` command (and later the web service) makes. It reads
through a small protocol, so any store serves; the document it returns is the exact bytes whose
hash it appends to the ledger, so the file a recipient holds can be checked against the log.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from ceasefire.agreement.stored import StoredAgreement
from ceasefire.agreement.terms import Agreement
from ceasefire.clock import Clock
from ceasefire.errors import InputRefused
from ceasefire.geo.gazetteer import Place, bundled
from ceasefire.ledger.audit import StoredCheckpoint
from ceasefire.model.activity import Activity
from ceasefire.model.coverage import Coverage
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.incident import Incident
from ceasefire.model.report import Report
from ceasefire.model.review import ReviewDecision
from ceasefire.publication._daily_render import render_html, write_pdf
from ceasefire.publication.audience import Audience, view_coverage, view_finding, view_report
from ceasefire.publication.daily import (
    DailyReport,
    DailySettings,
    build_daily_report,
    reporting_period,
)
from ceasefire.publication.record import Publication, publication_of
from ceasefire.verification.review import state_after

__all__ = ["DailyStore", "IssuedReport", "issue_daily_report"]

_WEAPONS_NOTE = "No weapon in violation of withdrawal lines was found in the period."
#: Verdicts that put a weapon in the daily report's list.
_LISTED = frozenset({Verdict.VIOLATION, Verdict.POSSIBLE_VIOLATION})


class DailyStore(Protocol):
    """What issuing a daily report needs of a store."""

    def iter_reports(self, limit: int | None = None) -> Iterator[Report]:
        """Yield stored reports."""
        ...

    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield stored coverage records."""
        ...

    def agreement_in_force(self, agreement_id: str, at: datetime) -> StoredAgreement | None:
        """Return the agreement version in force at a time."""
        ...

    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored agreement versions."""
        ...

    def checkpoints(self) -> list[StoredCheckpoint]:
        """Return the signed checkpoints."""
        ...

    def add_publication(self, publication: Publication) -> bool:
        """Keep and log an issued document."""
        ...

    def iter_incidents(self) -> Iterator[Incident]:
        """Yield the current incidents."""
        ...

    def iter_findings(
        self, verdict: str | None = None, clause_id: str | None = None
    ) -> Iterator[Finding]:
        """Yield the current findings."""
        ...

    def iter_reviews(self, incident_id: str | None = None) -> Iterator[ReviewDecision]:
        """Yield review decisions."""
        ...


@dataclass(frozen=True, slots=True)
class IssuedReport:
    """The document's bytes and the record appended to the ledger for it."""

    content: bytes
    publication: Publication


def issue_daily_report(
    store: DailyStore,
    day: date,
    audience: Audience,
    *,
    pdf: bool,
    clock: Clock,
    settings: DailySettings | None = None,
    places: Sequence[Place] | None = None,
) -> IssuedReport:
    """Make the daily report for ``day`` as ``audience`` may read it, and log its issue.

    Raises:
        InputRefused: no agreement is stored (the report is made against the terms in force).
    """
    settings = settings or DailySettings()
    _, end = reporting_period(day, settings)
    agreement = _agreement_at(store, end)
    reports, coverage = list(store.iter_reports()), list(store.iter_coverage())
    checkpoints = store.checkpoints()
    checkpoint = f"{checkpoints[-1].size} {checkpoints[-1].root.hex()}" if checkpoints else None
    gazetteer = list(places) if places is not None else list(bundled())
    report = build_daily_report(
        day, audience, agreement, reports, coverage, gazetteer, settings, checkpoint
    )
    weapons = _weapons(store, audience, report)
    figure = _map(agreement, reports, coverage, audience, report)
    html = render_html(report, figure, "; ".join(weapons) if weapons else _WEAPONS_NOTE)
    content = _pdf_bytes(html) if pdf else html.encode("utf-8")
    publication = publication_of(
        content,
        kind="daily_report",
        audience=str(audience),
        day=day,
        media_type="application/pdf" if pdf else "text/html",
        checkpoint=checkpoint,
        made_at=clock.now(),
    )
    store.add_publication(publication)
    return IssuedReport(content, publication)


def _agreement_at(store: DailyStore, at: datetime) -> Agreement:
    from ceasefire.agreement.loader import agreement_from_document

    versions = store.agreement_versions()
    if not versions:
        raise InputRefused("no agreement is stored: load one with `ceasefire agreement load`")
    chosen = store.agreement_in_force(versions[-1].agreement_id, at) or versions[0]
    return agreement_from_document(chosen.document)


def _map(
    agreement: Agreement,
    reports: Sequence[Report],
    coverage: Sequence[Coverage],
    audience: Audience,
    report: DailyReport,
) -> str:
    """The sketch map of the period: only what this audience may see of the reports."""
    from ceasefire.publication.sketch_map import MapPoint, render_svg

    start, end = report.period_start, report.period_end
    points = []
    for item in reports:
        estimate = item.location.estimate()
        if start <= item.observed_at < end and estimate and view_report(item, audience):
            label = f"{item.activity.value} ×{item.count}"
            points.append(MapPoint(estimate.lon, estimate.lat, estimate.uncertainty_m, label))
    blind = [
        record.sector
        for record in coverage
        if record.status.value != "observing"
        and record.observed_from < end
        and record.observed_until > start
        and view_coverage(record, audience) is not None
    ]
    return render_svg(agreement, points, blind, title=f"{report.day.isoformat()}")


def _weapons(store: DailyStore, audience: Audience, report: DailyReport) -> list[str]:
    """The findings on weapons seen in the period that the audience may read, in words."""
    reviews: dict[str, list[ReviewDecision]] = {}
    for decision in store.iter_reviews():
        reviews.setdefault(decision.incident_id, []).append(decision)
    incidents = {
        incident.id: incident
        for incident in store.iter_incidents()
        if incident.activity is Activity.WEAPON_PRESENCE
        and report.period_start <= incident.started_at < report.period_end
    }
    lines = []
    for finding in store.iter_findings():
        incident = incidents.get(finding.incident_id or "")
        if incident is None or finding.verdict not in _LISTED:
            continue
        state = state_after(reviews.get(incident.id, []))
        if view_finding(finding, state, audience) is None:
            continue
        lines.append(f"{finding.verdict.value.replace('_', ' ')}: {' '.join(finding.reasons)}")
    return lines


def _pdf_bytes(html: str) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "report.pdf"
        write_pdf(html, target)
        return target.read_bytes()
