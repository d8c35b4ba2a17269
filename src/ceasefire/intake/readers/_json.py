"""JSON intake files: one object, a list of objects, or ``{"records": [...]}``."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ceasefire.intake.readers._base import RawRecord, Reader, object_or_error, unparsable

__all__ = ["READER"]


def _read_json(name: str, text: str) -> Iterator[RawRecord]:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        yield unparsable(name, "file", text, f"not valid JSON: {error}")
        return
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        document = document["records"]
    if isinstance(document, dict):
        yield RawRecord(name, "item [0]", text, data=document)
        return
    if not isinstance(document, list):
        yield unparsable(name, "file", text, "must be a JSON object, a list, or {records: [...]}")
        return
    for index, item in enumerate(document):
        raw = json.dumps(item, ensure_ascii=False)
        yield object_or_error(name, f"item [{index}]", raw, item)


READER = Reader(
    "json", "a JSON object, a list of them, or {records: [...]}", (".json",), _read_json
)
