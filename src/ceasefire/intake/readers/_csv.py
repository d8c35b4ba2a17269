"""CSV intake files: a header row naming the flat-layout columns, then one record per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ceasefire.intake.readers._base import Limits, RawRecord, Reader, bounded, unparsable

__all__ = ["READER"]


def _read_csv(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    lines = text.splitlines(keepends=True)
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader)
    except StopIteration:
        return
    columns = [column.strip() for column in header]
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if duplicated or not all(columns):
        reason = f"duplicate columns {duplicated}" if duplicated else "an empty column name"
        yield unparsable(name, "line 1 (header)", lines[0] if lines else "", f"header has {reason}")
        return
    start_line = reader.line_num + 1
    for row in reader:
        end_line = reader.line_num
        raw = "".join(lines[start_line - 1 : end_line])
        position = f"line {start_line}"
        start_line = end_line + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            yield unparsable(
                name, position, raw, f"has {len(row)} cells but the header has {len(columns)}"
            )
            continue
        record = RawRecord(name, position, raw, data=dict(zip(columns, row, strict=True)))
        yield bounded(record, limits)


READER = Reader(
    "csv", "a header row of flat-layout columns, one record per row", (".csv",), _read_csv
)
