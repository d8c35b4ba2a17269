"""Fuzzing every parser: any input either parses or is refused with ``CeasefireError``.

One property per parser: the intake readers (json, jsonl, csv, geojson) through the whole
intake, the agreement loader, signed notes, and offline bundles. For intake the valid records
written beside the fuzzed one must still be stored, whatever the fuzzed one is. Example counts
are kept small so that the suite stays fast; the hostile inputs found by hand are golden files
in ``tests/intake/hostile`` and ``tests/agreement/bad``.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.agreement.loader import parse_agreement
from ceasefire.clock import FixedClock
from ceasefire.errors import CeasefireError
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake, Outcome
from ceasefire.intake.readers import READERS, Format, read_records
from ceasefire.ledger import Checkpoint, Signer, generate_key, leaf_hash, open_note, sign
from ceasefire.ledger.bundle import BUNDLE_FORMAT, check_bundle
from ceasefire.model.migration import FLAT_FIELDS
from ceasefire.store import open_store
from records import report

FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], derandomize=True
)
START = datetime(2026, 1, 1, tzinfo=UTC)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False),
    st.text(max_size=20),
    st.sampled_from(["", "[/x]", "\x00", "9999-12-31T23:59-05:00", "unknown", "howitzr", "A"]),
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)
field_names = st.sampled_from([*sorted(report("x")), "location", "weapon", "evidence", "source"])


@st.composite
def mutated_reports(draw: st.DrawFn) -> dict[str, Any]:
    """A valid report with a few fields replaced, removed or added: near misses, mostly."""
    record: dict[str, Any] = report("fuzzed")
    for _ in range(draw(st.integers(1, 3))):
        key = draw(field_names | st.text(max_size=12))
        if draw(st.booleans()):
            record[key] = draw(json_values)
        else:
            record.pop(key, None)
    return record


def _ingest(name: str, text: str, fmt: str) -> tuple[int, int]:
    """Ingest ``text`` into a fresh store; return (records in the receipt, reports stored)."""
    with open_store(":memory:") as store:
        intake = Intake(store, FixedClock(START, timedelta(seconds=1)), bundled())
        receipt = intake.ingest(read_records(name, text, fmt, now=START))
        counted = sum(receipt.count(outcome) for outcome in Outcome)
        assert counted == len(receipt.records)
        stored = {r.source_ref for r in store.iter_reports()}
        return len(receipt.records), len(stored & {"before", "after"})


def _line(record: Any) -> str:
    return json.dumps(record, ensure_ascii=False)


@FUZZ
@given(bad=mutated_reports() | json_values)
def test_fuzz_jsonl_keeps_its_neighbours(bad: Any) -> None:
    """A JSONL line of any JSON value is taken or refused alone: the lines beside it are kept."""
    text = f"{_line(report('before'))}\n{_line(bad)}\n{_line(report('after'))}\n"
    records, kept = _ingest("fuzz.jsonl", text, Format.JSONL)
    assert (records, kept) == (3, 2)


@FUZZ
@given(line=st.text(max_size=200).filter(lambda t: "\n" not in t and "\r" not in t))
def test_fuzz_jsonl_arbitrary_text_line(line: str) -> None:
    """Any text as a JSONL line (not JSON at all, mostly) costs none of the other lines."""
    text = f"{_line(report('before'))}\n{line}\n{_line(report('after'))}\n"
    _, kept = _ingest("fuzz.jsonl", text, Format.JSONL)
    assert kept == 2


@FUZZ
@given(bad=mutated_reports() | json_values)
def test_fuzz_json_list_keeps_its_neighbours(bad: Any) -> None:
    """An item of any JSON value in a JSON list is taken or refused alone."""
    text = json.dumps([report("before"), bad, report("after")])
    records, kept = _ingest("fuzz.json", text, Format.JSON)
    assert (records, kept) == (3, 2)


@FUZZ
@given(text=st.text(max_size=300))
def test_fuzz_any_text_in_any_format_is_refused_cleanly(text: str) -> None:
    """Any text read as any format either yields records or is refused with CeasefireError."""
    for fmt in Format:
        with contextlib.suppress(CeasefireError):
            _ingest("fuzz", text, fmt)


@FUZZ
@given(
    reader=st.sampled_from(sorted(READERS)),
    text=st.text(max_size=300) | st.builds(lambda v: json.dumps(v), json_values),
)
def test_fuzz_every_registered_reader(reader: str, text: str) -> None:
    """Every registered reader (importers included) yields records or refuses with
    CeasefireError, for any text, and intake accounts for every record it yields."""
    with contextlib.suppress(CeasefireError):
        _ingest("fuzz", text, reader)


@st.composite
def csv_rows(draw: st.DrawFn) -> list[str]:
    """A CSV row of the flat layout with some cells fuzzed."""
    row = {
        "source_id": "cam-9",
        "source_kind": "camera",
        "source_ref": "fuzzed",
        "observed_at": "2020-09-15T21:40+03:00",
        "lon": "37.75",
        "lat": "48.14",
        "activity": "explosion",
        "count": "1",
    }
    for _ in range(draw(st.integers(1, 3))):
        column = draw(st.sampled_from(list(row)))
        row[column] = draw(st.text(max_size=30) | st.sampled_from(["9" * 30, "nan", "1e400"]))
    return list(row.values())


@FUZZ
@given(cells=csv_rows())
def test_fuzz_csv_row_keeps_its_neighbours(cells: list[str]) -> None:
    """A CSV row with fuzzed cells (quotes, newlines, huge numbers) costs none of the others."""
    header = ["source_id", "source_kind", "source_ref", "observed_at", "lon", "lat"]
    header += ["activity", "count"]
    assert set(header) <= set(FLAT_FIELDS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow(["cam-9", "camera", "before", "2020-09-15T21:40+03:00", "37.75", "48.14"])
    buffer.seek(0, io.SEEK_END)
    text = buffer.getvalue().rstrip("\r\n") + ",explosion,1\r\n"
    buffer = io.StringIO()
    csv.writer(buffer).writerow(cells)
    text += buffer.getvalue()
    text += "cam-9,camera,after,2020-09-15T21:40+03:00,37.75,48.14,explosion,1\r\n"
    _, kept = _ingest("fuzz.csv", text, Format.CSV)
    assert kept == 2


def _feature(record: Any) -> Any:
    if not isinstance(record, dict):
        return record
    properties = {k: v for k, v in record.items() if k != "location"}
    point = {"type": "Point", "coordinates": [37.75, 48.14]}
    return {"type": "Feature", "geometry": point, "properties": properties}


@FUZZ
@given(bad=mutated_reports() | json_values, geometry=json_values)
def test_fuzz_geojson_feature_keeps_its_neighbours(bad: Any, geometry: Any) -> None:
    """A fuzzed feature (properties and geometry) is taken or refused alone."""
    feature = _feature(bad)
    if isinstance(feature, dict) and isinstance(bad, dict) and bad.get("source_ref") != "fuzzed":
        feature["geometry"] = geometry
    collection = {
        "type": "FeatureCollection",
        "features": [_feature(report("before")), feature, _feature(report("after"))],
    }
    records, kept = _ingest("fuzz.geojson", json.dumps(collection), Format.GEOJSON)
    assert (records, kept) == (3, 2)


MINIMAL_AGREEMENT = """\
format: ceasefire-agreement/1
id: test
version: "1"
title: Test agreement
in_force_from: "2020-01-01T00:00:00+00:00"
sources: [{id: doc, title: The signed text}]
parties: [{id: A, name: Party A}, {id: B, name: Party B}]
lines:
  - id: l1
    sides: {left: A, right: B}
    waypoints: [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]
weapon_classes:
  - id: art
    any_of: [{families: [howitzer], calibre_mm: {gte: 100}}]
zones:
  - id: z1
    kind: withdrawal
    weapon_classes: [art]
    buffer: {line: l1, km: 10, side: A}
clauses:
  - id: c1
    text: No artillery in the zone.
    source: {document: doc, point: "1"}
    what: {activities: [weapon_presence], weapon_classes: [art]}
    where: {zones: [z1]}
"""
YAML_SCALARS = ["10", "-1", ".nan", ".inf", "1e400", "[]", "{}", "*a", "&a x", "'", "null", "~"]
YAML_SCALARS += ["[[[[[[", "0001-01-01T00:00+01:00", "9" * 40, "A", "C", "|", "!!python/none"]


@FUZZ
@given(
    target=st.sampled_from(["10", "A", "doc", "30.0", "50.5", "howitzer", "100", "art", "z1"]),
    replacement=st.sampled_from(YAML_SCALARS) | st.text(max_size=15),
)
def test_fuzz_agreement_near_misses(target: str, replacement: str) -> None:
    """An agreement with one token replaced by anything loads or is refused (AgreementInvalid)."""
    text = MINIMAL_AGREEMENT.replace(target, replacement, 1)
    with contextlib.suppress(CeasefireError):
        parse_agreement(text, "fuzz.yaml")


@FUZZ
@given(text=st.text(max_size=400))
def test_fuzz_agreement_any_text(text: str) -> None:
    """Any text given as an agreement file loads or is refused with CeasefireError."""
    with contextlib.suppress(CeasefireError):
        parse_agreement(text, "fuzz.yaml")


SIGNER = Signer.from_string(generate_key("fuzz.example/log")[0])
NOTE = sign(Checkpoint("fuzz.example/log", 3, leaf_hash(b"x")), [SIGNER])


@FUZZ
@given(
    note=st.binary(max_size=300)
    | st.builds(
        lambda cut, junk: NOTE[:cut] + junk + NOTE[cut:],
        st.integers(0, len(NOTE)),
        st.binary(max_size=8),
    )
)
def test_fuzz_signed_note(note: bytes) -> None:
    """Any bytes opened as a signed checkpoint verify or are refused with CeasefireError."""
    with contextlib.suppress(CeasefireError):
        open_note(note, [SIGNER.verifier()])


def _bundle() -> dict[str, Any]:
    body = {"id": "r-1"}
    return {
        "format": BUNDLE_FORMAT,
        "checkpoint": NOTE.decode(),
        "public_keys": [SIGNER.verifier().to_string()],
        "entries": [
            {"kind": "report", "id": "r-1", "body": body, "leaf_index": 0, "proof": []},
            {"kind": "report", "id": "r-2", "body": body, "leaf_index": 1,
             "proof": [base64.b64encode(b"\x00" * 32).decode()]},
        ],
    }  # fmt: skip


@FUZZ
@given(path=st.lists(st.sampled_from(["entries", 0, 1, "proof", "leaf_index", "body", "id"]),
                     max_size=3), value=json_values)  # fmt: skip
def test_fuzz_bundle(path: list[Any], value: Any) -> None:
    """A bundle with any part replaced by any JSON value is checked: problems listed, no crash."""
    document: Any = _bundle()
    target = document
    for step in path[:-1]:
        try:
            target = target[step]
        except (KeyError, IndexError, TypeError):
            break
    if path and isinstance(target, dict | list):
        with contextlib.suppress(IndexError, TypeError):
            target[path[-1]] = value
    elif not path:
        document = value
    result = check_bundle(document)
    assert isinstance(result.problems, list)
