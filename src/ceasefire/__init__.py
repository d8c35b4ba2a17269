"""ceasefire: monitoring and verification of a ceasefire.

The public API is re-exported here; implementation modules hold the logic.
"""

from ceasefire.errors import (
    AgreementInvalid,
    CeasefireError,
    InputRefused,
    Problem,
    RecordRejected,
)

__version__ = "0.1.0"

__all__ = [
    "AgreementInvalid",
    "CeasefireError",
    "InputRefused",
    "Problem",
    "RecordRejected",
    "__version__",
]
