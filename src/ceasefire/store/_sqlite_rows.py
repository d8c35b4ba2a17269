"""How a record becomes a row of the SQLite schema: the columns beside each stored document.

Every column here is derived from the record's document; ``ledger verify`` recomputes them from
the document and reports any that differ (see :func:`derived_report_columns`), so no column is
an unchecked copy.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, TypeVar

from ceasefire.model.coverage import Coverage, coverage_from_stored
from ceasefire.model.migration import migrate_report
from ceasefire.model.report import Report, report_from_stored

_R = TypeVar("_R", Report, Coverage)

__all__ = [
    "COVERAGE_COLUMNS",
    "REPORT_COLUMNS",
    "coverage_of",
    "coverage_row",
    "json_text",
    "report_of",
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


def report_row(report: Report, digest: str, document: str) -> tuple[Any, ...]:
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
        document,
    )


def coverage_row(record: Coverage, digest: str, document: str) -> tuple[Any, ...]:
    """Return the ``coverage`` row of a coverage record (in :data:`COVERAGE_COLUMNS` order)."""
    return (
        record.id,
        record.source.id,
        record.status.value,
        utc_text(record.observed_from),
        utc_text(record.observed_until),
        utc_text(record.received_at),
        digest,
        document,
    )


def json_text(value: Any) -> str:
    """The stored text of a document (compact, keys sorted)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def utc_text(moment: datetime) -> str:
    """Store times in UTC ISO form so that text order is time order in SQL."""
    return moment.astimezone(UTC).isoformat()


def report_of(document: dict[str, Any]) -> Report:
    """Read a stored report document back, migrated to the current layout."""
    stored_id = document["id"]
    report = report_from_stored(migrate_report(document))
    # A document stored in an older layout hashes differently once migrated; its identity is
    # the one it was stored under, not a recomputation.
    return report if report.id == stored_id else _with_id(report, stored_id)


def coverage_of(document: dict[str, Any]) -> Coverage:
    """Read a stored coverage document back."""
    record = coverage_from_stored(document)
    return record if record.id == document["id"] else _with_id(record, document["id"])


def _with_id(record: _R, record_id: str) -> _R:
    return replace(record, id=record_id)
