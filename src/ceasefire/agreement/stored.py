"""An agreement version as stored: self-contained, independent of the files it was loaded from.

Stores keep this form; verification reads it back with
:func:`ceasefire.agreement.loader.agreement_from_document`, so a judgment made today about an
event of 2016 uses the terms as they were loaded, not whatever file now sits on disk.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ceasefire.agreement.terms import Agreement

__all__ = ["StoredAgreement"]


@dataclass(frozen=True, slots=True)
class StoredAgreement:
    """One version of an agreement as stored: self-contained, independent of files on disk.

    Args:
        agreement_id, version, title: as in the agreement file.
        in_force_from: when this version starts to apply.
        sha256: hash of the file's bytes as loaded.
        source_text: the YAML exactly as loaded.
        document: the resolved form (every geometry inlined), from ``Agreement.to_document()``.
        loaded_at: when it was stored.
    """

    agreement_id: str
    version: str
    title: str
    in_force_from: datetime
    sha256: str
    source_text: str
    document: dict[str, Any] = field(compare=False)
    loaded_at: datetime

    @classmethod
    def of(cls, agreement: Agreement, loaded_at: datetime) -> StoredAgreement:
        """Return the stored form of a loaded agreement version."""
        return cls(
            agreement_id=agreement.id,
            version=agreement.version,
            title=agreement.title,
            in_force_from=agreement.in_force_from,
            sha256=agreement.sha256,
            source_text=agreement.source_text,
            document=agreement.to_document(),
            loaded_at=loaded_at,
        )
