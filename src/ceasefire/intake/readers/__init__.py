"""Intake file formats: one adapter per format, and the one function that picks and runs them.

Each format lives in its own module and exposes a :class:`~ceasefire.intake.readers._base.Reader`
(an adapter: name, suffixes, a content test, typed options, rows → records); :data:`READERS` lists
them, and :func:`read_records` is the only way intake reads a file. The project's own formats
(JSON, JSONL, CSV, GeoJSON) carry records already; the importers (UCDP GED, ACLED, CIR, uawardata,
ODK, Kobo) turn another organisation's rows into records, each refusal naming the source column.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC as _UTC  # private: not a name this package offers
from datetime import datetime
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from ceasefire import errors
from ceasefire.intake.readers import (
    _acled,
    _cir,
    _csv,
    _geojson,
    _json,
    _jsonl,
    _odk,
    _smm_text,
    _uawardata,
    _ucdp,
)
from ceasefire.intake.readers._base import Limits, RawRecord, Reader
from ceasefire.intake.readers._options import OptionHelp, describe_options, parse_options

__all__ = [
    "READERS",
    "Format",
    "Limits",
    "OptionHelp",
    "RawRecord",
    "Reader",
    "describe_options",
    "detect_format",
    "parse_options",
    "read_records",
    "recognise_format",
]

#: Every adapter, by its ``--format`` name: the importers first, so that ``auto`` tries their
#: content tests before falling back to the project's own formats.
READERS: dict[str, Reader] = {
    reader.name: reader
    for reader in (
        _ucdp.READER,
        _acled.READER,
        _cir.READER,
        _uawardata.READER,
        _odk.ODK,
        _odk.KOBO,
        _smm_text.READER,
        _json.READER,
        _jsonl.READER,
        _csv.READER,
        _geojson.READER,
    )
}


class Format(StrEnum):
    """The file formats intake reads (``auto`` tells them apart)."""

    AUTO = "auto"
    JSON = "json"
    JSONL = "jsonl"
    CSV = "csv"
    GEOJSON = "geojson"


def detect_format(name: str, text: str) -> Format:
    """Tell a file's format from its extension, then from its first non-blank character.

    Raises:
        UnknownFormat: neither the name nor the content says.
    """
    suffix = PurePath(name).suffix.lower()
    by_suffix = {
        ".jsonl": Format.JSONL,
        ".ndjson": Format.JSONL,
        ".csv": Format.CSV,
        ".geojson": Format.GEOJSON,
    }
    if suffix in by_suffix:
        return by_suffix[suffix]
    head = text.lstrip()[:4096]
    if suffix == ".json" or head.startswith(("{", "[")):
        if '"FeatureCollection"' in head or '"Feature"' in head:
            return Format.GEOJSON
        first_line = head.split("\n", 1)[0].strip()
        if head.startswith("{") and first_line.endswith("}") and "\n{" in head:
            return Format.JSONL
        return Format.JSON
    raise errors.UnknownFormat(
        f"{name}: cannot tell the format; name it with --format json|jsonl|csv|geojson"
    )


def recognise_format(name: str, text: str) -> str:
    """Tell a file's format: an importer whose content test matches, else :func:`detect_format`.

    Args:
        name: the file's name, quoted in every refusal.
        text: the file's text.

    Raises:
        UnknownFormat: nothing recognises it.
    """
    head = text[:8192]
    for reader in READERS.values():
        if reader.recognise is not None and reader.recognise(name, head):
            return reader.name
    return detect_format(name, text).value


def read_records(
    name: str,
    text: str,
    fmt: str = Format.AUTO,
    limits: Limits | None = None,
    *,
    options: Mapping[str, str] | None = None,
    now: datetime | None = None,
) -> Iterator[RawRecord]:
    """Yield the raw records of a file's text, converted to records by the format's adapter.

    Args:
        name: the file's name (for messages and for telling the format).
        text: the file's decoded text.
        fmt: a ``--format`` name, or ``auto``.
        limits: the most a record may take (default :class:`Limits`).
        options: the format's options as ``KEY=VALUE`` text (``--option``).
        now: the time of intake; an importer refuses dates after it.

    Raises:
        UnknownFormat: the format cannot be told, or no adapter has that name.
        InputRefused: an option the format does not have, or a bad option value.
    """
    name_of_format = recognise_format(name, text) if fmt == Format.AUTO else str(fmt)
    reader = READERS.get(name_of_format)
    if reader is None:
        raise errors.UnknownFormat(f"{name}: no format {name_of_format!r}; see ceasefire formats")
    settings = parse_options(reader.options, options or {}, reader.name)
    moment = now or datetime.now(_UTC)
    for raw in reader.read(name, text, limits or Limits()):
        if reader.to_record is None or raw.data is None:
            yield raw
            continue
        yield _converted(raw, reader, settings, moment)


def _converted(raw: RawRecord, reader: Reader, settings: Any, now: datetime) -> RawRecord:
    """Turn an importer's raw row into a record, or into a refusal naming the column."""
    assert reader.to_record is not None
    assert raw.data is not None
    try:
        record = reader.to_record(raw.data, settings, now)
    except errors.RecordRejected as error:
        return RawRecord(raw.origin, raw.position, raw.raw, error=error)
    return RawRecord(raw.origin, raw.position, raw.raw, data=record)
