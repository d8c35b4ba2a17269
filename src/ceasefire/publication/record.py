"""A publication: the record that the mission issued a document (a daily report, an export).

What an audience was told is itself part of the record a commission may review. Each issued
document is kept as its hash, with the audience it was made for and the ledger checkpoint it was
made at, and appended to the ledger: anyone holding the PDF can show it is the one the mission
issued (same SHA-256), and when, and on which state of the log it was based.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

__all__ = ["Publication", "publication_of"]


@dataclass(frozen=True, slots=True)
class Publication:
    """One issued document, by hash.

    Args:
        id: ``p-`` and the first 32 hex digits of the document's SHA-256.
        kind: what was issued (``daily_report``).
        audience: whose view it is (``public``, ``party:UA`` ...).
        day: the day it reports on.
        media_type: ``text/html`` or ``application/pdf``.
        sha256: the hash of the file's exact bytes.
        checkpoint: the ledger checkpoint it was made at (``size root-hex``), or ``None``.
        made_at: when it was issued.
    """

    id: str
    kind: str
    audience: str
    day: date
    media_type: str
    sha256: str
    checkpoint: str | None
    made_at: datetime

    def to_dict(self) -> dict[str, Any]:
        """Return the stored form (and the ledger entry's body)."""
        return {
            "id": self.id,
            "kind": self.kind,
            "audience": self.audience,
            "day": self.day.isoformat(),
            "media_type": self.media_type,
            "sha256": self.sha256,
            "checkpoint": self.checkpoint,
            "made_at": self.made_at.isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Publication:
        """Read the stored form back."""
        return cls(
            id=data["id"],
            kind=data["kind"],
            audience=data["audience"],
            day=date.fromisoformat(data["day"]),
            media_type=data["media_type"],
            sha256=data["sha256"],
            checkpoint=data.get("checkpoint"),
            made_at=datetime.fromisoformat(data["made_at"]),
        )


def publication_of(
    content: bytes,
    *,
    kind: str,
    audience: str,
    day: date,
    media_type: str,
    checkpoint: str | None,
    made_at: datetime,
) -> Publication:
    """Return the publication record of a document's exact bytes."""
    digest = hashlib.sha256(content).hexdigest()
    return Publication(
        "p-" + digest[:32], kind, audience, day, media_type, digest, checkpoint, made_at
    )
