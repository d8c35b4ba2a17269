"""What every intake reader shares: the raw record, and the small interface a reader keeps.

A reader never judges a record's content; it only finds the records and says where each one is
(``line 7``, ``item [3]``, ``feature [12]``), keeping the raw text so that a rejected record can be
quarantined exactly as it arrived. A record that cannot even be parsed (a JSONL line that is not
JSON, a CSV row with too many cells) still becomes a raw record, carrying its parse error.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.intake.readers._safe_json import JsonRefused, parse_json

__all__ = [
    "MAX_RECORD_CHARS",
    "Limits",
    "RawRecord",
    "Reader",
    "bounded",
    "object_or_error",
    "parsed_item",
    "unparsable",
]

#: Default longest record (a JSONL line, a CSV row, a JSON item), in characters: a report with a
#: long narrative and a dozen evidence items is a few kilobytes; a megabyte is not a report.
MAX_RECORD_CHARS = 1_000_000


@dataclass(frozen=True, slots=True)
class Limits:
    """How much a reader takes in one record before refusing it (``ingest --max-record-kb``).

    Args:
        max_record_chars: longest record text; a longer one is refused without being parsed.
    """

    max_record_chars: int = MAX_RECORD_CHARS

    def too_long(self, raw: str) -> str | None:
        """Return why ``raw`` is refused for its length, or ``None`` when it is short enough."""
        if len(raw) <= self.max_record_chars:
            return None
        return (
            f"is {len(raw):,} characters long; a record may have at most {self.max_record_chars:,}"
        )


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One record as found in a file.

    Args:
        origin: the file name (or stream name) it came from.
        position: where in the file, in words a person can find it by.
        raw: the record's text exactly as it was in the file.
        data: the parsed record, or ``None`` if it could not be parsed.
        error: why it could not be parsed, when it could not.
    """

    origin: str
    position: str
    raw: str
    data: dict[str, Any] | None = None
    error: RecordRejected | None = None


@dataclass(frozen=True, slots=True)
class Reader:
    """One intake format: its name, how it is recognised, and how a file becomes raw records.

    Args:
        name: the ``--format`` value.
        description: one line for ``ceasefire formats`` and the docs.
        suffixes: file extensions that name this format (lower case, with the dot).
        read: the file's name, text and limits in, raw records out, in file order.
    """

    name: str
    description: str
    suffixes: tuple[str, ...]
    read: Callable[[str, str, Limits], Iterator[RawRecord]]


def object_or_error(name: str, position: str, raw: str, item: Any) -> RawRecord:
    """Return a raw record for a parsed JSON item, or one carrying why it is not an object."""
    if not isinstance(item, dict):
        return unparsable(name, position, raw, f"must be a JSON object, not {type(item).__name__}")
    return RawRecord(name, position, raw, data=item)


def unparsable(name: str, position: str, raw: str, reason: str) -> RawRecord:
    """Return a raw record that could not be parsed at all, with the reason."""
    return RawRecord(name, position, raw, error=RecordRejected("(record)", reason))


def parsed_item(name: str, position: str, raw: str, limits: Limits) -> RawRecord:
    """Return the raw record of one item's JSON text: parsed, or carrying why it cannot be."""
    too_long = limits.too_long(raw)
    if too_long is not None:
        return bounded(RawRecord(name, position, raw), limits)
    try:
        item = parse_json(raw)
    except JsonRefused as error:
        return unparsable(name, position, raw, str(error))
    return object_or_error(name, position, raw, item)


def bounded(record: RawRecord, limits: Limits) -> RawRecord:
    """Return ``record``, or a refusal of it when its raw text is longer than the limits allow.

    The quarantine keeps the first ``max_record_chars`` characters of a refused long record:
    enough to find it, without storing whatever a sender chose to flood.
    """
    too_long = limits.too_long(record.raw)
    if too_long is None:
        return record
    cut = record.raw[: limits.max_record_chars]
    return unparsable(record.origin, record.position, cut, too_long)
