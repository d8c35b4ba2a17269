"""Canonical bytes of ledger entries: RFC 8785 JSON (JCS).

A leaf of the log is ``SHA-256(0x00 || entry)``, so anyone who wants to check that a published
record is in the log must rebuild ``entry`` byte for byte from the record. That only works if the
serialisation has exactly one form, in any language: RFC 8785, the JSON Canonicalization Scheme.

Entry format (what outside verifiers recompute)
-----------------------------------------------
An entry is the RFC 8785 serialisation, UTF-8 encoded, of the JSON object::

    {"kind": <kind>, "id": <record id>, "body": <record body>}

* ``kind``: the record type, a non-empty string such as ``"report"`` or ``"verdict"``.
* ``id``: the record's identifier, a non-empty string, unique within its kind.
* ``body``: a JSON object, the record's content.

RFC 8785 in brief: no whitespace; object members sorted by the UTF-16 code units of their names;
strings escaped minimally (only ``"``, ``\\``, and control characters, the latter as ``\\b \\f
\\n \\r \\t`` or ``\\u00XX``); numbers printed as ECMAScript does (``1e+21``, ``0.1``, ``1``
for ``1.0``, ``0`` for ``-0``). So ``entry_bytes("report", "r-1", {"n": 2, "a": "x"})`` is::

    {"body":{"a":"x","n":2},"id":"r-1","kind":"report"}

Only JSON values are accepted: ``None``, ``bool``, ``str``, ``int`` within the IEEE 754 safe range
(|n| <= 2**53 - 1, larger integers lose precision in most JSON readers, so they must be sent as
strings), finite ``float``, ``list``/``tuple`` and ``dict`` with ``str`` keys. Anything else is
refused with the path to the offending value rather than silently converted: a date turned into
a string by accident would make an entry no verifier can reproduce.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Mapping
from dataclasses import dataclass
from json.encoder import encode_basestring as _encode_string

from ceasefire.errors import LedgerError

__all__ = [
    "MAX_SAFE_INTEGER",
    "CanonicalRecord",
    "canonical_bytes",
    "canonical_record",
    "content_digest",
    "ecmascript_number",
    "entry_bytes",
    "entry_from_canonical",
]

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer magnitude a JSON number keeps exactly in an IEEE 754 double."""


class _NotJson(Exception):
    """Raised inside the fast walk; the caller then finds and names the offending value."""


def _write(value: object, out: list[str]) -> None:
    """Append the RFC 8785 text of ``value`` to ``out``.

    This runs for every record the store accepts (its ledger entry and its content digest), so
    it is on intake's hot path: it builds no paths, and on anything that is not plain JSON it
    stops, leaving :func:`_locate` to find and name the value. The ``rfc8785`` package, the
    reference, is several times slower; the test suite checks this against it.
    """
    # bool before int: bool is an int subclass, and True must not be range-checked as 1.
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, str):
        out.append(_encode_string(value))
    elif isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise _NotJson
        out.append(int.__repr__(value))
    elif isinstance(value, float):
        if not math.isfinite(value):
            raise _NotJson
        out.append(ecmascript_number(value))
    elif isinstance(value, dict):
        keys = sorted(value)  # raises TypeError for mixed key types: not JSON either
        if not all(map(str.isascii, keys)):
            # RFC 8785 orders members by UTF-16 code units; code point order differs only
            # when astral characters meet U+E000..U+FFFF.
            keys.sort(key=_utf16)
        out.append("{")
        for position, key in enumerate(keys):
            if position:
                out.append(",")
            out.append(_encode_string(key))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    elif isinstance(value, list | tuple):
        out.append("[")
        for position, item in enumerate(value):
            if position:
                out.append(",")
            _write(item, out)
        out.append("]")
    else:
        raise _NotJson


def _locate(value: object, path: str) -> LedgerError | None:
    """Return the error naming the first value under ``path`` that is not plain JSON."""
    if value is None or isinstance(value, bool | str):
        return None
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            return LedgerError(
                f"{path}: integer {value} is outside ±(2**53 - 1); JSON readers would round it,"
                " send it as a string"
            )
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return LedgerError(f"{path}: {value} is not a JSON number (NaN and infinity have none)")
        return None
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            if found := _locate(item, f"{path}[{position}]"):
                return found
        return None
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                return LedgerError(f"{path}: object key {key!r} is not a string")
            if found := _locate(item, f"{path}.{key}"):
                return found
        return None
    return LedgerError(f"{path}: {type(value).__name__} is not a JSON type")


def _utf16(key: str) -> bytes:
    return key.encode("utf-16-be", "surrogatepass")


def ecmascript_number(value: float) -> str:
    """Format a finite float as ECMAScript's Number.prototype.toString does (RFC 8785 §3.2.2.3).

    Python's ``repr`` already gives the shortest digits that round-trip; only the layout
    (where the point goes, when to switch to exponent form) differs, and is fixed here.
    """
    if value == 0:
        return "0"  # also for -0.0
    if value < 0:
        return "-" + ecmascript_number(-value)
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, fraction = mantissa.partition(".")
    combined = whole + fraction
    point = len(whole) + (int(exponent) if exponent else 0)
    stripped = combined.lstrip("0")
    point -= len(combined) - len(stripped)
    digits = stripped.rstrip("0") or "0"
    count = len(digits)
    if count <= point <= 21:
        return digits + "0" * (point - count)
    if 0 < point <= 21:
        return digits[:point] + "." + digits[point:]
    if -6 < point <= 0:
        return "0." + "0" * -point + digits
    power = point - 1
    sign = "+" if power >= 0 else "-"
    head = digits[0] + ("." + digits[1:] if count > 1 else "")
    return f"{head}e{sign}{abs(power)}"


def canonical_bytes(obj: object) -> bytes:
    """Serialise a JSON value to its one RFC 8785 form.

    Args:
        obj: a JSON value made of ``None``, ``bool``, ``int``, ``float``, ``str``, ``list``,
            ``tuple`` and ``dict`` with ``str`` keys.

    Returns:
        The UTF-8 bytes of the RFC 8785 canonical JSON.

    Raises:
        LedgerError: ``obj`` holds a non-JSON type, a NaN or infinite float, an integer outside
            ±(2**53 - 1), a non-string key or a string that is not valid Unicode (a lone
            surrogate). The message gives the path to the value, e.g. ``$.body.readings[3]``.
    """
    out: list[str] = []
    try:
        _write(obj, out)
    except (_NotJson, TypeError):
        raise _locate(obj, "$") or LedgerError("$: not a JSON value") from None
    try:
        return "".join(out).encode("utf-8")
    except UnicodeEncodeError as error:
        raise LedgerError(
            f"$: cannot canonicalise: a string holds a lone surrogate ({error})"
        ) from None


def entry_bytes(kind: str, record_id: str, body: Mapping[str, object]) -> bytes:
    """Build the ledger entry for one record (see the module docstring for the exact format).

    Args:
        kind: the record type, e.g. ``"report"``; non-empty.
        record_id: the record's identifier; non-empty.
        body: the record's content, a JSON object.

    Returns:
        The canonical bytes of ``{"kind": kind, "id": record_id, "body": body}``; hash them with
        :func:`~ceasefire.ledger.merkle.leaf_hash` to get the leaf.

    Raises:
        LedgerError: ``kind`` or ``record_id`` is empty or not a string, ``body`` is not a
            mapping, or ``body`` holds something that is not plain JSON.
    """
    for name, value in (("kind", kind), ("id", record_id)):
        if not isinstance(value, str) or not value:
            raise LedgerError(f"$.{name}: must be a non-empty string, got {value!r}")
    if not isinstance(body, Mapping):
        raise LedgerError(f"$.body: must be a JSON object, got {type(body).__name__}")
    return canonical_bytes({"kind": kind, "id": record_id, "body": dict(body)})


def content_digest(document: Mapping[str, object]) -> str:
    """Return the hex SHA-256 of a record's content in canonical JSON.

    Two records with the same identity are the same record exactly when their digests agree;
    a record without its own reference is identified by this digest.
    """
    return hashlib.sha256(canonical_bytes(dict(document))).hexdigest()


@dataclass(frozen=True, slots=True)
class CanonicalRecord:
    """One record serialised once, and everything intake derives from that one pass.

    Args:
        body: the RFC 8785 bytes of the whole stored document (the ledger entry's body, and the
            text the store keeps).
        digest: the hex SHA-256 of the RFC 8785 bytes of the document without its ``id`` and
            ``received_at`` (equal to :func:`content_digest` of the record's content).
    """

    body: bytes
    digest: str


def canonical_record(
    document: Mapping[str, object], outside: tuple[str, ...] = ("id", "received_at")
) -> CanonicalRecord:
    """Serialise a record's document once, giving its canonical body and its content digest.

    The members of an RFC 8785 object are serialised one by one in their canonical order; the
    body joins all of them, the content joins all but ``outside``. So the digest and the entry
    need one serialisation of each value instead of one each (issue 13: the serialiser was 40%
    of intake, run three times per record).

    Raises:
        LedgerError: the document holds something that is not plain JSON (as
            :func:`canonical_bytes`).
    """
    members: list[tuple[str, str]] = []
    try:
        keys = sorted(document)
        if not all(map(str.isascii, keys)):
            keys.sort(key=_utf16)
        for key in keys:
            out: list[str] = [_encode_string(key), ":"]
            _write(document[key], out)
            members.append((key, "".join(out)))
    except (_NotJson, TypeError):
        raise _locate(dict(document), "$") or LedgerError("$: not a JSON value") from None
    body = "{" + ",".join(text for _, text in members) + "}"
    content = "{" + ",".join(text for key, text in members if key not in outside) + "}"
    try:
        return CanonicalRecord(
            body.encode("utf-8"), hashlib.sha256(content.encode("utf-8")).hexdigest()
        )
    except UnicodeEncodeError:
        raise LedgerError("$: a string is not valid Unicode (a lone surrogate)") from None


def entry_from_canonical(kind: str, record_id: str, body: bytes) -> bytes:
    """Build the ledger entry from a body already in canonical form: the same bytes as
    :func:`entry_bytes` (the members ``body`` < ``id`` < ``kind`` are already in order).

    Raises:
        LedgerError: ``kind`` or ``record_id`` is empty or not a string.
    """
    for name, value in (("kind", kind), ("id", record_id)):
        if not isinstance(value, str) or not value:
            raise LedgerError(f"$.{name}: must be a non-empty string, got {value!r}")
    head = b'{"body":'
    tail = f',"id":{_encode_string(record_id)},"kind":{_encode_string(kind)}}}'
    return head + body + tail.encode("utf-8")
