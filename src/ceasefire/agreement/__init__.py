"""The agreement as data: parties, reference lines, weapon classes, zones and clauses, versioned.

:func:`load_agreement` reads and validates a YAML file (every problem reported at once, by path);
:class:`Agreement` is the result; :class:`StoredAgreement` is the self-contained form a store keeps.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "Agreement": "ceasefire.agreement.terms",
    "StoredAgreement": "ceasefire.agreement.stored",
    "agreement_from_document": "ceasefire.agreement.loader",
    "load_agreement": "ceasefire.agreement.loader",
    "parse_agreement": "ceasefire.agreement.loader",
    "version_in_force": "ceasefire.agreement.terms",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.agreement.loader import agreement_from_document, load_agreement, parse_agreement
    from ceasefire.agreement.stored import StoredAgreement
    from ceasefire.agreement.terms import Agreement, version_in_force

__all__ = [
    "Agreement",
    "StoredAgreement",
    "agreement_from_document",
    "load_agreement",
    "parse_agreement",
    "version_in_force",
]
