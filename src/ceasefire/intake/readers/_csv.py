"""CSV intake files: a header row naming the flat-layout columns, then one record per row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from ceasefire.intake.readers._base import Limits, RawRecord, Reader, bounded, unparsable

__all__ = ["READER"]


def _rows(reader: Any) -> Iterator[list[str] | csv.Error]:
    """Yield each row, or the error that stopped the csv module on it (then go on after it).

    The csv module refuses a cell longer than its field limit (131,072 characters) and some
    malformed quoting with ``csv.Error``; one such row must not cost the rows after it.
    """
    while True:
        before = reader.line_num
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield error
            if reader.line_num == before:  # nothing consumed: it cannot go on
                return


def _read_csv(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    # Lines as the csv module counts them (\r, \n, \r\n), so line numbers and raw text agree.
    lines = io.StringIO(text, newline="").readlines()
    reader = csv.reader(lines)
    rows = _rows(reader)
    header = next(rows, None)
    if header is None:
        return
    if isinstance(header, csv.Error):
        yield unparsable(name, "line 1 (header)", lines[0], f"header is not CSV: {header}")
        return
    columns = [column.strip() for column in header]
    duplicated = sorted({column for column in columns if columns.count(column) > 1})
    if not columns or duplicated or not all(columns):
        reason = f"duplicate columns {duplicated}" if duplicated else "an empty column name"
        yield unparsable(name, "line 1 (header)", lines[0] if lines else "", f"header has {reason}")
        return
    start_line = reader.line_num + 1
    for row in rows:
        end_line = reader.line_num
        raw = "".join(lines[start_line - 1 : end_line])
        position = f"line {start_line}"
        start_line = end_line + 1
        if isinstance(row, csv.Error):
            yield bounded(unparsable(name, position, raw, f"is not CSV: {row}"), limits)
            continue
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
