"""The monitor patrol XLSForm and its submissions from ODK Central and KoboToolbox.

Submissions are generated from the form's own definition (pyxform reads ``forms/``): every field
name, type, choice list and constraint the tests use comes from the form, so a change to the form
that the importer does not follow fails here.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyxform.builder import create_survey_element_from_dict
from pyxform.xls2json import parse_file_to_json

from ceasefire.clock import FixedClock
from ceasefire.intake import Intake, Outcome, Receipt
from ceasefire.intake.readers import read_records, recognise_format
from ceasefire.model.activity import Activity
from ceasefire.model.weapon_family import WeaponFamily
from ceasefire.store import Store, open_store

FORM = Path(__file__).resolve().parents[3] / "forms" / "monitor_patrol.md"
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def _form() -> dict[str, Any]:
    return parse_file_to_json(str(FORM))


def _fields(
    node: dict[str, Any], path: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], dict[str, Any]]]:
    """Every question of the form with its group path."""
    for child in node.get("children", []):
        if child["type"] == "group":
            yield from _fields(child, (*path, child["name"]))
        else:
            yield (*path, child["name"]), child


FIELDS = {path[-1]: (path, question) for path, question in _fields(_form())}
CHOICES = {name: [choice["name"] for choice in items] for name, items in _form()["choices"].items()}


def _choice_list(question: dict[str, Any]) -> list[str]:
    return (
        CHOICES[question["itemset"]]
        if "itemset" in question
        else [c["name"] for c in question["children"]]
    )


def test_the_form_compiles_to_an_xform_with_an_instance_id() -> None:
    """The shipped XLSForm is valid for pyxform and its XForm carries meta/instanceID."""
    xml = create_survey_element_from_dict(_form()).to_xml()
    assert "/data/meta/instanceID" in xml


def test_the_form_asks_for_what_a_patrol_report_needs() -> None:
    """Activity, count, weapon, bearing, range band, position and photos are all asked."""
    types = {name: question["type"] for name, (_, question) in FIELDS.items()}
    assert types["position"] == "geopoint"
    assert types["observed_at"] == "dateTime"
    assert types["count"] == "integer"
    assert types["bearing_deg"] == "integer"
    assert {types["photo_1"], types["photo_2"]} == {"photo"}
    assert set(_choice_list(FIELDS["activity"][1])) == {activity.value for activity in Activity}
    families = {family.value for family in WeaponFamily}
    assert set(_choice_list(FIELDS["weapon_family"][1])) <= families | {"unknown"}


@st.composite
def answers(draw: st.DrawFn) -> dict[str, Any]:
    """One set of answers drawn from the form: its choices, and values within its constraints."""
    answer: dict[str, Any] = {
        "patrol_id": draw(st.sampled_from(["DON-2", "LUH-1", "MAR-3"])),
        "observed_at": (NOW - timedelta(minutes=draw(st.integers(1, 10**6)))).isoformat(
            timespec="milliseconds"
        ),
        "activity": draw(st.sampled_from(_choice_list(FIELDS["activity"][1]))),
        "count": draw(st.integers(1, 10000)),
        "instanceID": f"uuid:{draw(st.uuids())}",
    }
    for name in ("weapon_family", "range_band"):
        if draw(st.booleans()):
            answer[name] = draw(st.sampled_from(_choice_list(FIELDS[name][1])))
    if draw(st.booleans()):
        answer["calibre_mm"] = draw(st.sampled_from([7.62, 82, 120, 122, 152]))
    if draw(st.booleans()):
        answer["bearing_deg"] = draw(st.integers(0, 359))
    answer["position"] = (
        draw(st.floats(36.5, 40.0)),
        draw(st.floats(47.0, 49.5)),
        draw(st.floats(0.5, 50.0)),
    )
    return answer


def _odk(answer: dict[str, Any], photos: list[str]) -> dict[str, Any]:
    """The answers as ODK Central's OData row: groups nested, geopoint a GeoJSON Point."""
    row: dict[str, Any] = {"__id": answer["instanceID"], "__system": {"reviewState": None}}
    for name, value in answer.items():
        if name in ("instanceID", "position"):
            continue
        path = FIELDS[name][0]
        target = row
        for step in path[:-1]:
            target = target.setdefault(step, {})
        target[path[-1]] = value
    lon, lat, accuracy = answer["position"]
    row["position"] = {
        "type": "Point",
        "coordinates": [lon, lat, 120.0],
        "properties": {"accuracy": accuracy},
    }
    row["meta"] = {"instanceID": answer["instanceID"]}
    for name, photo in zip(("photo_1", "photo_2"), photos, strict=False):
        row[name] = photo
    return row


def _kobo(answer: dict[str, Any], photos: list[str]) -> dict[str, Any]:
    """The answers as Kobo's data API row: flat group/field keys, geopoint 'lat lon alt acc'."""
    row: dict[str, Any] = {
        "_uuid": answer["instanceID"][5:],
        "meta/instanceID": answer["instanceID"],
    }
    for name, value in answer.items():
        if name in ("instanceID", "position"):
            continue
        row["/".join(FIELDS[name][0])] = value
    lon, lat, accuracy = answer["position"]
    row["position"] = f"{lat} {lon} 120.0 {accuracy}"
    row["_attachments"] = [
        {"filename": f"user/attachments/x/{p}", "mimetype": "image/jpeg"} for p in photos
    ]
    for name, photo in zip(("photo_1", "photo_2"), photos, strict=False):
        row[name] = photo
    return row


def _document(fmt: str, rows: list[dict[str, Any]]) -> str:
    if fmt == "odk":
        return json.dumps(
            {
                "@odata.context": "https://central.example/v1/projects/1/forms/monitor_patrol.svc/$metadata#Submissions",
                "value": rows,
            }
        )
    return json.dumps({"count": len(rows), "next": None, "previous": None, "results": rows})


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _ingest(store: Store, fmt: str, text: str, **options: str) -> Receipt:
    intake = Intake(store, FixedClock(NOW, timedelta(seconds=1)), None)
    return intake.ingest(read_records(f"{fmt}.json", text, "auto", options=options, now=NOW))


@pytest.mark.parametrize("fmt", ["odk", "kobo"])
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(batch=st.lists(answers(), min_size=1, max_size=8, unique_by=lambda a: a["instanceID"]))
def test_generated_submissions_are_accepted_and_resubmission_is_a_duplicate(
    fmt: str, batch: list[dict[str, Any]]
) -> None:
    """Any submission the form allows is accepted; sending the same file again adds nothing."""
    shape = _odk if fmt == "odk" else _kobo
    text = _document(fmt, [shape(answer, []) for answer in batch])
    assert recognise_format(f"{fmt}.json", text) == fmt
    with open_store(":memory:") as store:
        first = _ingest(store, fmt, text)
        assert first.count(Outcome.ACCEPTED) == len(batch), first.rejected
        again = _ingest(store, fmt, text)
        assert again.count(Outcome.DUPLICATE) == len(batch)
        stored = {report.source_ref: report for report in store.iter_reports(limit=100)}
    for answer in batch:
        report = stored[answer["instanceID"]]
        assert report.activity.value == answer["activity"]
        assert report.count == answer["count"]
        assert report.source.id == f"patrol-{answer['patrol_id']}"
        lon, lat, accuracy = answer["position"]
        location = report.location.to_dict()
        if "bearing_deg" in answer:
            assert location["observer"] == {"lon": lon, "lat": lat}
            assert location["bearing_deg"] == answer["bearing_deg"]
        else:
            assert (location["lon"], location["lat"]) == (lon, lat)
            assert location["uncertainty_m"] == pytest.approx(accuracy)


@pytest.mark.parametrize("fmt", ["odk", "kobo"])
def test_photos_are_hashed_from_the_attachments_folder(
    store: Store, tmp_path: Path, fmt: str
) -> None:
    """Each photo a submission names is stored as evidence by the SHA-256 of the file's bytes."""
    (tmp_path / "1600242960123.jpg").write_bytes(b"\xff\xd8 photo one")
    (tmp_path / "1600242960456.jpg").write_bytes(b"\xff\xd8 photo two")
    answer = _fixed_answer()
    shape = _odk if fmt == "odk" else _kobo
    text = _document(fmt, [shape(answer, ["1600242960123.jpg", "1600242960456.jpg"])])
    receipt = _ingest(store, fmt, text, attachments_dir=str(tmp_path))
    assert receipt.count(Outcome.ACCEPTED) == 1, receipt.rejected
    [report] = list(store.iter_reports())
    assert [item.sha256 for item in report.evidence] == [
        hashlib.sha256(b"\xff\xd8 photo one").hexdigest(),
        hashlib.sha256(b"\xff\xd8 photo two").hexdigest(),
    ]
    assert {item.media_type for item in report.evidence} == {"image/jpeg"}


@pytest.mark.parametrize(
    ("given_dir", "reason"), [(False, "attachments_dir"), (True, "cannot be read")]
)
def test_a_photo_that_cannot_be_hashed_refuses_the_submission(
    store: Store, tmp_path: Path, given_dir: bool, reason: str
) -> None:
    """A named photo without its file is refused naming the photo field, and kept in quarantine."""
    text = _document("odk", [_odk(_fixed_answer(), ["missing.jpg"])])
    options = {"attachments_dir": str(tmp_path)} if given_dir else {}
    receipt = _ingest(store, "odk", text, **options)
    [refused] = receipt.rejected
    assert refused.field == "photo_1"
    assert reason in (refused.reason or "")
    assert len(list(store.iter_quarantine())) == 1


def test_an_edited_submission_corrects_the_version_it_replaces(store: Store) -> None:
    """An ODK edit (new instanceID, deprecatedID of the old) is a report correcting the old one."""
    original = _fixed_answer()
    _ingest(store, "odk", _document("odk", [_odk(original, [])]))
    edited = dict(original, instanceID="uuid:00000000-0000-0000-0000-0000000000ed", count=4)
    row = _odk(edited, [])
    row["meta"]["deprecatedID"] = original["instanceID"]
    receipt = _ingest(store, "odk", _document("odk", [row]))
    assert receipt.count(Outcome.ACCEPTED) == 1, receipt.rejected
    reports = {report.source_ref: report for report in store.iter_reports()}
    assert reports[edited["instanceID"]].corrects == reports[original["instanceID"]].id


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"activity": "explosoin"}, "activity"),
        ({"count": 0}, "count"),
        ({"count": "NaN"}, "count"),
        ({"observed_at": "2020-09-15T21:40"}, "observed_at"),
        ({"bearing_deg": 400}, "bearing_deg"),
        ({"range_band": "far"}, "range_band"),
        ({"position": (37.7, 95.0, 5.0)}, "position"),
    ],
)
def test_bad_answers_are_refused_naming_the_field(
    store: Store, change: dict[str, Any], field: str
) -> None:
    """An answer the form would not allow is refused naming its field; the good one is kept."""
    good = _fixed_answer()
    bad = dict(_fixed_answer(), instanceID="uuid:00000000-0000-0000-0000-0000000000ba", **change)
    receipt = _ingest(store, "odk", _document("odk", [_odk(good, []), _odk(bad, [])]))
    assert [record.outcome for record in receipt.records] == [Outcome.ACCEPTED, Outcome.REJECTED]
    assert receipt.rejected[0].field == field
    assert receipt.rejected[0].position == "value [1]"


def test_a_truncated_export_is_refused_whole_naming_the_file(store: Store) -> None:
    """A cut-off JSON export is one refusal for the file; nothing is stored."""
    text = _document("kobo", [_kobo(_fixed_answer(), [])])
    receipt = _ingest(store, "kobo", text[: len(text) // 2])
    [refused] = receipt.records
    assert refused.outcome is Outcome.REJECTED
    assert refused.position == "file"
    assert store.counts().reports == 0


def _fixed_answer() -> dict[str, Any]:
    return {
        "patrol_id": "DON-2",
        "observed_at": "2020-09-15T21:40:00.000+03:00",
        "activity": "explosion",
        "count": 3,
        "weapon_family": "howitzer",
        "calibre_mm": 122,
        "bearing_deg": 135,
        "range_band": "m2000_4000",
        "instanceID": "uuid:00000000-0000-0000-0000-000000000001",
        "position": (37.7501, 48.1402, 4.5),
    }
