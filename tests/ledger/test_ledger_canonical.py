"""Canonical entry bytes: the RFC 8785 form outside verifiers recompute, and what is refused."""

from __future__ import annotations

import datetime
import math

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.errors import LedgerError
from ceasefire.ledger import canonical_bytes, entry_bytes
from ceasefire.ledger.canonical import (
    canonical_record,
    content_digest,
    ecmascript_number,
    entry_from_canonical,
)


def test_entry_format_is_documented_example() -> None:
    """An entry is the JCS of {"kind", "id", "body"}, keys sorted, no spaces."""
    assert entry_bytes("report", "r-1", {"n": 2, "a": "x"}) == (
        b'{"body":{"a":"x","n":2},"id":"r-1","kind":"report"}'
    )


def test_rfc8785_number_and_string_forms() -> None:
    """Numbers print as ECMAScript does and strings escape minimally, per RFC 8785."""
    assert canonical_bytes([1.0, 0.1, 1e21, -0.0, 1e-7]) == b"[1,0.1,1e+21,0,1e-7]"
    assert canonical_bytes('é\n"\\') == '"é\\n\\"\\\\"'.encode()
    assert canonical_bytes({"b": None, "a": [True, False]}) == b'{"a":[true,false],"b":null}'


def test_key_order_is_utf16() -> None:
    """Object keys sort by UTF-16 code units, as RFC 8785 §3.2.3 says (not by code point)."""
    assert canonical_bytes({"\U0001f600": 1, "\uffff": 2}) == (
        '{"\U0001f600":1,"\uffff":2}'.encode()
    )


def test_tuple_is_a_list() -> None:
    """A tuple serialises as a JSON array, same bytes as the list."""
    assert canonical_bytes((1, "a")) == canonical_bytes([1, "a"])


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (math.nan, r"\$: nan is not a JSON number"),
        ({"x": [1, math.inf]}, r"\$\.x\[1\]: inf is not a JSON number"),
        ({"when": datetime.date(2015, 2, 12)}, r"\$\.when: date is not a JSON type"),
        ({1: "a"}, r"\$: object key 1 is not a string"),
        ({"big": 2**53}, r"\$\.big: integer 9007199254740992 is outside"),
        (b"bytes", "bytes is not a JSON type"),
        ({"s": {1, 2}}, "set is not a JSON type"),
        ("\ud800", "cannot canonicalise"),
    ],
)
def test_non_json_refused_with_path(value: object, message: str) -> None:
    """Non-JSON values are refused with the path to the offending value."""
    with pytest.raises(LedgerError, match=message):
        canonical_bytes(value)


def test_largest_safe_integer_accepted() -> None:
    """±(2**53 - 1) is the edge of the exact range and is accepted."""
    assert canonical_bytes([2**53 - 1, -(2**53 - 1)]) == b"[9007199254740991,-9007199254740991]"


@pytest.mark.parametrize(
    ("kind", "record_id", "body", "message"),
    [
        ("", "r", {}, r"\$\.kind"),
        ("report", "", {}, r"\$\.id"),
        ("report", "r", [1], r"\$\.body: must be a JSON object"),
        ("report", "r", {"x": math.nan}, r"\$\.body\.x: nan"),
    ],
)
def test_entry_bytes_refusals(kind: str, record_id: str, body: object, message: str) -> None:
    """entry_bytes refuses empty kind/id, a non-object body and non-JSON content."""
    with pytest.raises(LedgerError, match=message):
        entry_bytes(kind, record_id, body)  # type: ignore[arg-type]


# -- the fast serialiser against the reference implementation ------------------------------------

_json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**53) + 1, 2**53 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(_json_values)
def test_canonical_bytes_equal_the_reference_rfc8785(value: object) -> None:
    """For any JSON value, our serialiser writes exactly the bytes the rfc8785 package does."""
    assert canonical_bytes(value) == rfc8785.dumps(value)


@settings(max_examples=2000, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_follow_ecmascript_like_the_reference(number: float) -> None:
    """Every finite float is laid out as ECMAScript (and the reference) lays it out."""
    assert ecmascript_number(number).encode() == rfc8785.dumps(number)


@pytest.mark.parametrize(
    ("number", "text"),
    [(1.0, "1"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"),
     (0.000001, "0.000001"), (-0.0, "0"), (123.456, "123.456"), (5e-324, "5e-324")],
)  # fmt: skip
def test_number_layout_examples(number: float, text: str) -> None:
    """Known ECMAScript layouts: integral floats lose '.0', exponents switch at 1e21 and 1e-7."""
    assert ecmascript_number(number) == text


def test_member_order_is_utf16_not_code_points() -> None:
    """Keys are ordered by UTF-16 code units: an astral character sorts before U+FFFD."""
    assert canonical_bytes({"\ufffd": 1, "\U0001f600": 2}) == rfc8785.dumps(
        {"\ufffd": 1, "\U0001f600": 2}
    )
    assert canonical_bytes({"\ufffd": 1, "\U0001f600": 2}).index(b"\xf0") < canonical_bytes(
        {"\ufffd": 1, "\U0001f600": 2}
    ).index(b"\xef")


@given(st.dictionaries(st.text(), _json_values, max_size=6), st.text(min_size=1))
def test_one_pass_gives_the_body_digest_and_entry_of_three(
    document: dict[str, object], record_id: str
) -> None:
    """canonical_record serialises once and gives exactly the bytes the three separate calls
    give: the body, the content digest (without id and received_at) and the ledger entry."""
    record = canonical_record(document)
    assert record.body == canonical_bytes(document)
    content = {k: v for k, v in document.items() if k not in ("id", "received_at")}
    assert record.digest == content_digest(content)
    assert entry_from_canonical("report", record_id, record.body) == entry_bytes(
        "report", record_id, document
    )
