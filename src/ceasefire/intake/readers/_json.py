"""JSON intake files: one object, a list of objects, or ``{"records": [...]}``."""

from __future__ import annotations

import json
from collections.abc import Iterator

from ceasefire.intake.readers._base import (
    Limits,
    RawRecord,
    Reader,
    bounded,
    object_or_error,
    parsed_item,
    unparsable,
)
from ceasefire.intake.readers._safe_json import JsonRefused, array_items, parse_json

__all__ = ["READER"]


def _read_json(name: str, text: str, limits: Limits) -> Iterator[RawRecord]:
    try:
        document = parse_json(text)
    except JsonRefused as error:
        # One hostile item (too deep, a huge number) must not cost the items beside it.
        items = array_items(text) or array_items(text, "records")
        if items is None:
            yield unparsable(name, "file", text, str(error))
            return
        for index, item_text in enumerate(items):
            yield parsed_item(name, f"item [{index}]", item_text, limits)
        return
    if isinstance(document, dict) and isinstance(document.get("records"), list):
        document = document["records"]
    if isinstance(document, dict):
        yield bounded(RawRecord(name, "item [0]", text, data=document), limits)
        return
    if not isinstance(document, list):
        yield unparsable(name, "file", text, "must be a JSON object, a list, or {records: [...]}")
        return
    for index, item in enumerate(document):
        raw = json.dumps(item, ensure_ascii=False)
        yield bounded(object_or_error(name, f"item [{index}]", raw, item), limits)


READER = Reader(
    "json", "a JSON object, a list of them, or {records: [...]}", (".json",), _read_json
)
