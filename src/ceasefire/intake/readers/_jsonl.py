"""JSON Lines intake files: one record per line; the raw text kept is the exact line."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ceasefire.intake.readers._base import RawRecord, Reader, object_or_error, unparsable

__all__ = ["READER"]


def _read_jsonl(name: str, text: str) -> Iterator[RawRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield unparsable(name, f"line {number}", line, f"not valid JSON: {error.msg}")
            continue
        yield object_or_error(name, f"line {number}", line, item)


READER = Reader("jsonl", "one JSON object per line", (".jsonl", ".ndjson"), _read_jsonl)
