"""How a record becomes a row of the SQLite schema: the columns beside each stored document.

Every column here is derived from the record's document; ``ledger verify`` recomputes them from
the document and reports any that differ (see :func:`derived_report_columns`), so no column is
an unchecked copy.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from ceasefire.model.coverage import Coverage
from ceasefire.model.report import Report

__all__ = [
    "COVERAGE_COLUMNS",
    "REPORT_COLUMNS",
    "coverage_row",
    "json_text",
    "report_row",
    "utc_text",
]

REPORT_COLUMNS = (
    "id",
    "source_id",
    "source_ref",
    "observed_at",
    "observed_until",
    "activity",
    "lon",
    "lat",
    "uncertainty_m",
    "received_at",
    "schema_version",
    "content_sha256",
    "document",
)

COVERAGE_COLUMNS = (
    "id",
    "source_id",
    "status",
    "observed_from",
    "observed_until",
    "received_at",
    "content_sha256",
    "document",
)


def report_row(report: Report, digest: str, body: dict[str, Any]) -> tuple[Any, ...]:
    """Return the ``reports`` row of a report (in :data:`REPORT_COLUMNS` order)."""
    estimate = report.location.estimate()
    return (
        report.id,
        report.source.id,
        report.source_ref,
        utc_text(report.observed_at),
        utc_text(report.observed_until) if report.observed_until else None,
        report.activity.value,
        estimate.lon if estimate else None,
        estimate.lat if estimate else None,
        estimate.uncertainty_m if estimate else None,
        utc_text(report.received_at),
        report.schema_version,
        digest,
        json_text(body),
    )


def coverage_row(record: Coverage, digest: str, body: dict[str, Any]) -> tuple[Any, ...]:
    """Return the ``coverage`` row of a coverage record (in :data:`COVERAGE_COLUMNS` order)."""
    return (
        record.id,
        record.source.id,
        record.status.value,
        utc_text(record.observed_from),
        utc_text(record.observed_until),
        utc_text(record.received_at),
        digest,
        json_text(body),
    )


def json_text(value: Any) -> str:
    """The stored text of a document (compact, keys sorted)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def utc_text(moment: datetime) -> str:
    """Store times in UTC ISO form so that text order is time order in SQL."""
    return moment.astimezone(UTC).isoformat()
