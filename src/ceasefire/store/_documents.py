"""The ledger bodies both stores rebuild from columns: agreement versions and quarantine.

Reports, coverage, sources and incidents are logged as their stored document (written by
:func:`ceasefire.store._sqlite_rows.json_text`, which both stores use); agreement versions and
quarantined inputs are logged as their columns. SQLite and PostgreSQL rebuild those bodies with
these functions, so a record logged by one store has the same leaf in the other.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, Protocol

__all__ = [
    "AGREEMENT_COLUMNS",
    "QUARANTINE_COLUMNS",
    "agreement_body",
    "agreement_record_id",
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
