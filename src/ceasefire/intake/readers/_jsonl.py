"""JSON Lines intake files: one record per line; the raw text kept is the exact line."""

from __future__ import annotations

from collections.abc import Iterator

from ceasefire.intake.readers._base import Limits, RawRecord, Reader, parsed_item

__all__ = ["READER"]


def _read_jsonl(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        yield parsed_item(name, f"line {number}", line, limits)


READER = Reader("jsonl", "one JSON object per line", (".jsonl", ".ndjson"), _read_jsonl)
