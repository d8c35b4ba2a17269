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
from ceasefire.model.coverage import Coverage
from ceasefire.model.report import Report
from ceasefire.publication._daily_render import render_html, write_pdf
from ceasefire.publication.audience import Audience, view_coverage, view_report
from ceasefire.publication.daily import (
    DailyReport,
    DailySettings,
    build_daily_report,
    reporting_period,
)
from ceasefire.publication.record import Publication, publication_of

__all__ = ["DailyStore", "IssuedReport", "issue_daily_report"]

_WEAPONS_NOTE = (
    "Weapons in violation of withdrawal lines are listed from the verification stage's findings; "
    "none are listed in this report."
)


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
    html = render_html(report, _map(agreement, reports, coverage, audience, report), _WEAPONS_NOTE)
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


def _pdf_bytes(html: str) -> bytes:
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as scratch:
        target = Path(scratch) / "report.pdf"
        write_pdf(html, target)
        return target.read_bytes()
