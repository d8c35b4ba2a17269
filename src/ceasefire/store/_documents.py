"""The ledger bodies both stores rebuild from columns: agreement versions and quarantine.

Reports, coverage, sources and incidents are logged as their stored document (written by
:func:`ceasefire.store._sqlite_rows.json_text`, which both stores use); agreement versions and
quarantined inputs are logged as their columns. SQLite and PostgreSQL rebuild those bodies with
these functions, so a record logged by one store has the same leaf in the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ceasefire.model.finding import finding_from_dict

__all__ = [
    "AGREEMENT_COLUMNS",
    "DOCUMENT_COLUMNS",
    "QUARANTINE_COLUMNS",
    "agreement_body",
    "agreement_record_id",
    "document_values",
    "quarantine_body",
]

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


#: Columns kept beside the document of each verification and publication table, on both stores
#: (``ledger verify`` recomputes each from the document: an edit to any of them must show).
DOCUMENT_COLUMNS: dict[str, tuple[str, ...]] = {
    "findings": (
        "id", "key", "incident_id", "agreement_id", "agreement_version", "clause_id", "verdict",
    ),
    "reviews": ("id", "incident_id", "decided_at"),
    "publications": ("id",),
}  # fmt: skip


def document_values(table: str, document: dict[str, Any]) -> tuple[Any, ...]:
    """The values of ``DOCUMENT_COLUMNS[table]`` that a stored document implies (a review's
    ``decided_at`` as an aware datetime: each store compares it in its own column type)."""
    if table == "findings":
        finding = finding_from_dict(document)
        return (
            document["id"], finding.key, finding.incident_id, finding.agreement_id,
            finding.agreement_version, finding.clause_id, finding.verdict.value,
        )  # fmt: skip
    if table == "reviews":
        decided = datetime.fromisoformat(document["decided_at"])
        return document["id"], document["incident_id"], decided
    return (document["id"],)
