"""Intake file formats: one reader per format, and the one function that picks and runs them.

Each format lives in its own module and exposes a :class:`~ceasefire.intake.readers._base.Reader`;
:data:`READERS` lists them, and :func:`read_records` is the only way intake reads a file.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from pathlib import PurePath

from ceasefire import errors
from ceasefire.intake.readers import _csv, _geojson, _json, _jsonl
from ceasefire.intake.readers._base import Limits, RawRecord, Reader

__all__ = ["READERS", "Format", "Limits", "RawRecord", "Reader", "detect_format", "read_records"]

#: Every reader, by its ``--format`` name.
READERS: dict[str, Reader] = {
    reader.name: reader for reader in (_json.READER, _jsonl.READER, _csv.READER, _geojson.READER)
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


def read_records(
    name: str, text: str, fmt: Format = Format.AUTO, limits: Limits | None = None
) -> Iterator[RawRecord]:
    """Yield the raw records of a file's text.

    Args:
        name: the file's name, quoted in every refusal.
        text: the file's text.
        fmt: the format, or ``Format.AUTO`` to tell it.
        limits: the most a record may take (default :class:`Limits`).

    Raises:
        UnknownFormat: the format cannot be told (only with ``Format.AUTO``).
    """
    if fmt is Format.AUTO:
        fmt = detect_format(name, text)
    yield from READERS[fmt].read(name, text, limits or Limits())
