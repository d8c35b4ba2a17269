"""Intake: raw records in from every channel, reports and coverage stored, the rest quarantined.

The stage sits first on the way data walks: files and feeds are split into raw records by a
reader (:mod:`ceasefire.intake.readers`), each record is read into a noun of
:mod:`ceasefire.model`, and :class:`Intake` stores the batch through an :class:`IntakeStore`,
returning a :class:`Receipt` that accounts for every record.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "Format": "ceasefire.intake.readers",
    "Intake": "ceasefire.intake._pipeline",
    "IntakeBatch": "ceasefire.intake.batch",
    "IntakeStore": "ceasefire.intake.batch",
    "IntakeWritten": "ceasefire.intake.batch",
    "Outcome": "ceasefire.intake.receipt",
    "RawRecord": "ceasefire.intake.readers",
    "Receipt": "ceasefire.intake.receipt",
    "RecordOutcome": "ceasefire.intake.receipt",
    "read_records": "ceasefire.intake.readers",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.intake._pipeline import Intake
    from ceasefire.intake.batch import IntakeBatch, IntakeStore, IntakeWritten
    from ceasefire.intake.readers import Format, RawRecord, read_records
    from ceasefire.intake.receipt import Outcome, Receipt, RecordOutcome

__all__ = [
    "Format",
    "Intake",
    "IntakeBatch",
    "IntakeStore",
    "IntakeWritten",
    "Outcome",
    "RawRecord",
    "Receipt",
    "RecordOutcome",
    "read_records",
]
