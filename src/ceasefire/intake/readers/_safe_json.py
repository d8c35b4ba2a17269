"""JSON parsing for intake that refuses hostile input instead of crashing or guessing.

Python's :func:`json.loads` accepts what a sender should never be able to make intake do: it
raises ``RecursionError`` on a document nested 100,000 deep, ``ValueError`` on a 5,001-digit
integer, keeps the *last* of two equal keys without a word, and reads ``NaN`` and ``Infinity``,
which are not JSON. Every JSON-based reader (json, jsonl, geojson) parses through
:func:`parse_json`, which turns each of those into :class:`JsonRefused` with a reason the sender
can act on, so that the reader can refuse that one record and go on.

When a whole file cannot be parsed for one of those reasons, :func:`array_items` finds the
items of its top-level list (or of the list under a key, ``records`` or ``features``) by
scanning brackets and strings alone, so that each item can be parsed, and refused, on its own.
The bounds are module constants, documented in docs/intake-format.md.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

__all__ = [
    "MAX_DEPTH",
    "MAX_INTEGER_DIGITS",
    "JsonRefused",
    "array_items",
    "check_depth",
    "parse_json",
]

#: Deepest nesting of lists and objects a record may have. A GeoJSON MultiPolygon inside a
#: FeatureCollection is 8 deep and a report with evidence and custody 4: 64 leaves room.
MAX_DEPTH = 64

#: Most digits an integer may have: 20 covers every 64-bit integer; anything longer is not a
#: count, a size or a coordinate but an attempt to make the parser spend time.
MAX_INTEGER_DIGITS = 20

_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{},:]', re.DOTALL)


class JsonRefused(ValueError):
    """A JSON text was refused: not JSON, too deep, a number too long, or a duplicate key."""


def _integer(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MAX_INTEGER_DIGITS:
        raise JsonRefused(
            f"an integer of {digits:,} digits; numbers may have at most {MAX_INTEGER_DIGITS}"
        )
    return int(text)


def _constant(name: str) -> Any:
    raise JsonRefused(f"{name} is not a JSON number (JSON has no NaN or Infinity)")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise JsonRefused(f"duplicate key {key!r} (which one is meant cannot be told)")
        result[key] = value
    return result


def parse_json(text: str) -> Any:
    """Parse JSON text, refusing what :func:`json.loads` would crash on or silently accept.

    Args:
        text: the JSON text.

    Returns:
        The parsed value, nested at most :data:`MAX_DEPTH` deep.

    Raises:
        JsonRefused: the text is not JSON, is nested too deep, has an integer longer than
            :data:`MAX_INTEGER_DIGITS` digits, NaN/Infinity, or a key twice in one object.
    """
    try:
        value = json.loads(
            text,
            parse_int=_integer,
            parse_constant=_constant,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as error:
        raise JsonRefused(
            f"not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise JsonRefused(f"nested deeper than {MAX_DEPTH} levels") from None
    check_depth(value)
    return value


def check_depth(value: Any, limit: int = MAX_DEPTH) -> None:
    """Refuse a parsed value nested deeper than ``limit`` (iteratively: no recursion to blow).

    Raises:
        JsonRefused: the value is nested deeper than ``limit``.
    """
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            raise JsonRefused(f"nested deeper than {limit} levels")
        stack.extend((child, depth + 1) for child in children)


def array_items(text: str, key: str | None = None) -> Iterator[str] | None:
    """Return the texts of the items of a document's top-level list, without parsing them.

    Args:
        text: the whole document.
        key: ``None`` for a document that is itself a list; else the key, at the top level of
            a document that is an object, whose value is the list (``records``, ``features``).

    Returns:
        An iterator of the items' texts in order, or ``None`` when no such list can be found
        (then the document can only be refused whole).
    """
    tokens = _TOKEN.finditer(text)
    start = _list_start(text, tokens, key)
    if start is None:
        return None
    return _items_from(text, tokens, start)


def _list_start(text: str, tokens: Iterator[re.Match[str]], key: str | None) -> int | None:
    """Advance ``tokens`` past the opening bracket of the wanted list; return its end offset."""
    head = text.lstrip()
    if key is None:
        first = next(tokens, None)
        if not head.startswith("[") or first is None or first.group() != "[":
            return None
        return first.end()
    if not head.startswith("{"):
        return None
    wanted = json.dumps(key)
    depth, current_key, expecting_key, after_colon = 0, None, False, False
    for token in tokens:
        lexeme = token.group()
        at_top = depth == 1
        if lexeme == "[" and at_top and after_colon and current_key == wanted:
            return token.end()
        if lexeme in "[{":
            depth += 1
            expecting_key = depth == 1
        elif lexeme in "]}":
            depth -= 1
        elif at_top and lexeme == ",":
            expecting_key = True
        elif at_top and expecting_key and lexeme.startswith('"'):
            current_key, expecting_key = lexeme, False
        after_colon = at_top and lexeme == ":"
    return None


def _items_from(text: str, tokens: Iterator[re.Match[str]], start: int) -> Iterator[str]:
    depth, item_start = 0, start
    for token in tokens:
        lexeme = token.group()
        if lexeme in "[{":
            depth += 1
        elif lexeme in "]}":
            if depth == 0:
                last = text[item_start : token.start()].strip()
                if last:
                    yield last
                return
            depth -= 1
        elif lexeme == "," and depth == 0:
            yield text[item_start : token.start()].strip()
            item_start = token.end()
