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

import math
from collections.abc import Mapping

import rfc8785

from ceasefire.errors import LedgerError

__all__ = ["MAX_SAFE_INTEGER", "canonical_bytes", "entry_bytes"]

MAX_SAFE_INTEGER = 2**53 - 1
"""Largest integer magnitude a JSON number keeps exactly in an IEEE 754 double."""


def _check(value: object, path: str) -> None:
    """Raise :class:`LedgerError` naming ``path`` if ``value`` is not plain JSON."""
    # bool before int: bool is an int subclass, and True must not be range-checked as 1.
    if value is None or isinstance(value, bool | str):
        return
    if isinstance(value, int):
        if abs(value) > MAX_SAFE_INTEGER:
            raise LedgerError(
                f"{path}: integer {value} is outside ±(2**53 - 1); JSON readers would round it,"
                " send it as a string"
            )
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise LedgerError(f"{path}: {value} is not a JSON number (NaN and infinity have none)")
        return
    if isinstance(value, list | tuple):
        for position, item in enumerate(value):
            _check(item, f"{path}[{position}]")
        return
    # Only dict: the rfc8785 package serialises no other mapping type.
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise LedgerError(f"{path}: object key {key!r} is not a string")
            _check(item, f"{path}.{key}")
        return
    raise LedgerError(f"{path}: {type(value).__name__} is not a JSON type")


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
    _check(obj, "$")
    try:
        # `_check` has just proved `obj` is a JSON value, which the type system cannot follow.
        return rfc8785.dumps(obj)  # type: ignore[arg-type]
    except rfc8785.CanonicalizationError as error:
        # Our walk rules out everything but what only encoding can see (lone surrogates).
        raise LedgerError(f"$: cannot canonicalise: {error}") from error


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
