"""Builders of reports for the fusion tests: one event seen by many, by bearing, by copy."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from ceasefire.model.report import Report, report_from_dict

RECEIVED = datetime(2026, 1, 1, tzinfo=UTC)
AT = "2020-09-15T21:40:00+03:00"


def make(
    ref: str,
    source: str = "patrol-1",
    *,
    lon: float = 37.75,
    lat: float = 48.14,
    at: str = AT,
    kind: str = "monitor_patrol",
    **fields: Any,
) -> Report:
    """Return a report from ``source`` (a patrol unless ``kind`` says otherwise) at a point."""
    record: dict[str, Any] = {
        "source": {"id": source, "kind": kind},
        "source_ref": ref,
        "observed_at": at,
        "location": {"lon": lon, "lat": lat, "uncertainty_m": 500},
        "activity": "explosion",
    }
    record.update(fields)
    return report_from_dict(record, received_at=RECEIVED, resolver=None)


def groups_by_ref(incidents: Any) -> set[frozenset[str]]:
    """Return each incident as the set of its reports' source references."""
    return {frozenset(str(entry.source_ref) for entry in item.reports) for item in incidents}
