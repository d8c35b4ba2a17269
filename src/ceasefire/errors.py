"""Every exception ``ceasefire`` raises, in one place.

The hierarchy::

    CeasefireError                  anything this package raises on purpose
    ├── InputRefused                the input was refused; the CLI exits 1
    │   ├── AgreementInvalid        an agreement file broke one or more rules (all listed at once)
    │   ├── DecisionRefused         a review decision the workflow does not allow (four eyes...)
    │   ├── RecordRejected          one intake record is malformed (record, field, reason)
    │   ├── UnknownFormat           an intake file's format cannot be told or is not supported
    │   └── UnknownPlace            a place name is not in the gazetteer, or is ambiguous
    ├── StoreError                  the store cannot do what was asked
    │   ├── SchemaTooNew            the database was written by a newer ceasefire
    │   ├── StoreBusy               another writer held the lock for longer than the wait allowed
    │   └── NotFound                no record with that id
    └── LedgerError                 the tamper-evident log refused or failed a check
        ├── ProofInvalid            an inclusion or consistency proof does not verify
        ├── CheckpointInvalid       a checkpoint or signed note is malformed
        └── SignatureInvalid        a signature does not verify, or its key is unknown

Why one module: callers catch by meaning (``InputRefused`` means "tell the user and exit 1"),
not by the module that happened to raise. Every error carries enough to name *what* was wrong
and *where*, because a monitoring mission's users must be able to fix the input themselves.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "AgreementInvalid",
    "CeasefireError",
    "CheckpointInvalid",
    "DecisionRefused",
    "GeometryInvalid",
    "InputRefused",
    "LedgerError",
    "NotFound",
    "Problem",
    "ProofInvalid",
    "RecordRejected",
    "SchemaTooNew",
    "SignatureInvalid",
    "StoreBusy",
    "StoreError",
    "UnknownFormat",
    "UnknownPlace",
]


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with an input: where it is and why it is wrong.

    Args:
        origin: the file (or stream) the input came from, e.g. ``agreement.yaml``.
        path: where inside it, e.g. ``zones[3].buffer.km`` or ``line 17`` or ``record 4``.
        reason: what is wrong, in words the author of the input can act on.
        field: the field at fault, when the path does not already say it.
    """

    origin: str
    path: str
    reason: str
    field: str | None = None

    def __str__(self) -> str:
        where = f"{self.origin}: {self.path}" if self.path else self.origin
        field = f" [{self.field}]" if self.field else ""
        return f"{where}{field}: {self.reason}"


class CeasefireError(Exception):
    """Base class of every error raised on purpose by ``ceasefire``."""


class InputRefused(CeasefireError):
    """The input was refused. The command line reports the reasons and exits with code 1."""


class AgreementInvalid(InputRefused):
    """An agreement file broke one or more rules.

    Raised by the agreement loader after it has looked at the *whole* file, so that
    ``problems`` lists every error at once rather than the first one.
    """

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems: tuple[Problem, ...] = tuple(problems)
        lines = "\n".join(f"  {p}" for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the agreement:\n{lines}")


class RecordRejected(InputRefused):
    """One intake record is malformed.

    Raised while parsing a single record; intake catches it, quarantines the raw record and goes
    on with the rest of the batch.
    """

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class GeometryInvalid(InputRefused):
    """A GeoJSON geometry is malformed: where inside it, and why.

    Args:
        where: the keys from the geometry down to the fault, e.g. ``("coordinates", 0, 3)``,
            for the caller to prefix with where the geometry itself was written.
        reason: what is wrong, in words the author can act on.
    """

    def __init__(self, where: tuple[str | int, ...], reason: str) -> None:
        self.where = where
        self.reason = reason
        super().__init__(reason)


class DecisionRefused(InputRefused):
    """A review decision the workflow does not allow: a move ``can_move`` refuses, a second
    ``verified`` by the same analyst (four eyes), or a decision without analyst or reason."""


class UnknownFormat(InputRefused):
    """An intake file's format cannot be told from its name or content, or is not supported."""


class UnknownPlace(InputRefused):
    """A place name is not in the gazetteer, or matches several places and needs qualifying."""


class StoreError(CeasefireError):
    """The store cannot do what was asked."""


class SchemaTooNew(StoreError):
    """The database was written by a newer version of ``ceasefire`` than this one."""


class StoreBusy(StoreError):
    """Another writer held the store's lock for longer than this writer would wait."""


class NotFound(StoreError):
    """No record with the given id exists in the store."""


class LedgerError(CeasefireError):
    """The tamper-evident log refused an operation or failed a check."""


class ProofInvalid(LedgerError):
    """An inclusion or consistency proof does not verify against the given root(s)."""


class CheckpointInvalid(LedgerError):
    """A checkpoint or signed note is malformed (missing lines, bad size, bad base64, ...)."""


class SignatureInvalid(LedgerError):
    """A signature does not verify, or no trusted key has its name and key id."""
