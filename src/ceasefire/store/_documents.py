"""How every store turns records into stored text and back: shared by SQLite and PostgreSQL.

Both stores keep each record's document as the same canonical JSON text and rebuild the ledger
body of agreements and quarantined inputs from the same columns, so a record logged by one store
has the same leaf in the other. Keeping these here means the two cannot drift apart.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any, Protocol, TypeVar

from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.migration import migrate_report
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source

__all__ = [
    "AGREEMENT_COLUMNS",
    "QUARANTINE_COLUMNS",
    "agreement_body",
    "agreement_record_id",
    "coverage_from_document",
    "quarantine_body",
    "report_from_document",
    "to_json",
    "utc_text",
]

_R = TypeVar("_R", Report, Coverage)

#: The columns of a stored agreement version, in the order its ledger body lists them.
AGREEMENT_COLUMNS = (
    "agreement_id, version, title, in_force_from, sha256, source_text, document, loaded_at"
)

#: The columns of a quarantined input, which are its ledger body.
QUARANTINE_COLUMNS = ("id", "origin", "position", "field", "reason", "raw", "received_at")


def agreement_record_id(values: Sequence[Any]) -> str:
    """Return the ledger id of an agreement version from its column values."""
    return f"{values[0]}@{values[1]}"


def agreement_body(values: Sequence[Any]) -> dict[str, Any]:
    """Return the ledger form of a stored agreement version: its columns, the document parsed."""
    names = [name.strip() for name in AGREEMENT_COLUMNS.split(",")]
    body = dict(zip(names, values, strict=True))
    body["document"] = json.loads(body["document"])
    return body


class _Columns(Protocol):
    """A row whose columns are read by name (``sqlite3.Row``, a dict)."""

    def __getitem__(self, key: str, /) -> Any: ...


def quarantine_body(row: _Columns) -> dict[str, Any]:
    """Return the ledger form of a quarantined input from its columns."""
    return {key: row[key] for key in QUARANTINE_COLUMNS}


def report_from_document(document_text: str) -> Report:
    """Rebuild a stored report, migrated to the current layout, under its stored id."""
    document = json.loads(document_text)
    stored_id = document["id"]
    report = report_from_dict(
        migrate_report(document), received_at=datetime.min, resolver=None, known_sources={}
    )
    # A document stored in an older layout hashes differently once migrated; its identity is
    # the one it was stored under, not a recomputation.
    return report if report.id == stored_id else _with_id(report, stored_id)


def coverage_from_document(document_text: str) -> Coverage:
    """Rebuild a stored coverage record under its stored id."""
    document = json.loads(document_text)
    source = Source.from_dict(document["source"])
    record = coverage_from_dict(document, received_at=datetime.min, source=source)
    return record if record.id == document["id"] else _with_id(record, document["id"])


def _with_id(record: _R, record_id: str) -> _R:
    return replace(record, id=record_id)


def to_json(value: Any) -> str:
    """Serialise a document the one way every store keeps it (sorted keys, no spaces)."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def utc_text(moment: datetime) -> str:
    """Return a time in UTC ISO form, so that text order is time order in SQL."""
    return moment.astimezone(UTC).isoformat()
