"""Verification: incidents held against the agreement in force, graded, attributed, reviewed.

:func:`verify` (pure) and :func:`verify_store` (through the stage's own store protocol) give one
:class:`~ceasefire.model.finding.Finding` per (incident, applicable clause), plus a sector finding
per quiet zone and day that coverage speaks for; :mod:`ceasefire.verification.review` moves
incidents through the analysts' workflow. Re-exported lazily: geometry is paid for on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "VerificationResult": "ceasefire.verification.engine",
    "VerificationSettings": "ceasefire.verification.settings",
    "VerificationStore": "ceasefire.verification.engine",
    "decide": "ceasefire.verification.review",
    "verify": "ceasefire.verification.engine",
    "verify_store": "ceasefire.verification.engine",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.verification.engine import (
        VerificationResult,
        VerificationStore,
        verify,
        verify_store,
    )
    from ceasefire.verification.review import decide
    from ceasefire.verification.settings import VerificationSettings

__all__ = [
    "VerificationResult",
    "VerificationSettings",
    "VerificationStore",
    "decide",
    "verify",
    "verify_store",
]
