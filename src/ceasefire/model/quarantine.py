"""Quarantine: every refused input, kept exactly as it arrived, with the reason it was refused.

Nothing sent to the mission is thrown away. A record refused today (an unknown village name, a
time without its offset) may be fixed and re-sent tomorrow, or may itself be evidence (a party
flooding the complaint channel). Quarantined items are keyed by the hash of their raw bytes, so
re-sending the same bad record does not fill the quarantine with copies.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

__all__ = ["QuarantinedRecord", "quarantine_id"]


def quarantine_id(raw: str) -> str:
    """Return the identity of a refused input: the hash of its exact text."""
    return "q-" + hashlib.sha256(raw.encode("utf-8")).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class QuarantinedRecord:
    """A refused input.

    Args:
        id: hash of ``raw`` (see :func:`quarantine_id`).
        origin: the file or stream it came in.
        position: where in it (``line 7``).
        field: the field at fault, ``(record)`` when the record as a whole was unreadable.
        reason: why it was refused.
        raw: the input exactly as received.
        received_at: when it was refused.
    """

    id: str
    origin: str
    position: str
    field: str
    reason: str
    raw: str
    received_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form."""
        return {
            "id": self.id,
            "origin": self.origin,
            "position": self.position,
            "field": self.field,
            "reason": self.reason,
            "raw": self.raw,
            "received_at": self.received_at.isoformat(),
        }
