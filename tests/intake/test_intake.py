"""Intake: idempotent, loses nothing, never changes what is stored."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.clock import FixedClock
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake, Outcome, Receipt
from ceasefire.intake.readers import RawRecord, read_records
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.store import Store, open_store
from records import BREAKAGES, jsonl, report

START = datetime(2026, 1, 1, tzinfo=UTC)


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _intake(store: Store, chunk_size: int = 500) -> Intake:
    return Intake(store, FixedClock(START, timedelta(seconds=1)), bundled(), chunk_size=chunk_size)


def _ingest(store: Store, text: str, name: str = "batch.jsonl", chunk_size: int = 500) -> Receipt:
    return _intake(store, chunk_size).ingest(read_records(name, text))


def test_same_file_twice_adds_nothing(store: Store) -> None:
    """Re-ingesting a file stores nothing new and reports every record as a duplicate."""
    text = jsonl([report("a"), report("b"), report("c")])
    first = _ingest(store, text)
    second = _ingest(store, text)
    assert first.count(Outcome.ACCEPTED) == 3
    assert second.count(Outcome.ACCEPTED) == 0
    assert second.count(Outcome.DUPLICATE) == 3
    assert store.counts().reports == 3


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_malformed_record_is_named_quarantined_and_the_rest_taken(
    store: Store, breakage: str
) -> None:
    """A malformed record is refused naming file, line and field; the others are still stored."""
    field, breaker = BREAKAGES[breakage]
    text = jsonl([report("a"), breaker(report("bad")), report("c")])
    receipt = _ingest(store, text, name="patrol.jsonl")
    assert receipt.count(Outcome.ACCEPTED) == 2
    [refused] = receipt.rejected
    assert (refused.origin, refused.position, refused.field) == ("patrol.jsonl", "line 2", field)
    assert refused.reason
    [kept] = list(store.iter_quarantine())
    assert kept.raw == text.splitlines()[1]
    assert kept.field == field


def test_changed_content_under_same_reference_is_refused(store: Store) -> None:
    """Re-sending a reference with different content is refused and the stored report kept."""
    _ingest(store, jsonl([report("a", count=3)]))
    receipt = _ingest(store, jsonl([report("a", count=30)]))
    [refused] = receipt.rejected
    assert refused.field == "source_ref"
    assert "corrects" in (refused.reason or "")
    [stored] = list(store.iter_reports())
    assert stored.count == 3


def test_correction_points_to_what_it_corrects(store: Store) -> None:
    """A correction is a new report naming a stored one; naming an unknown one is refused."""
    _ingest(store, jsonl([report("a", count=3)]))
    [original] = list(store.iter_reports())
    receipt = _ingest(
        store, jsonl([report("a-fix", count=30, corrects=original.id), report("b", corrects="r-x")])
    )
    assert receipt.count(Outcome.ACCEPTED) == 1
    assert receipt.rejected[0].field == "corrects"
    assert store.get_report(receipt.records[0].id or "").corrects == original.id


def test_source_defined_once_can_be_named_by_id_after(store: Store) -> None:
    """Later records may name a source by id once an earlier record or batch defined it."""
    text = jsonl([report("a"), report("b", source="cam-1"), report("c", source="cam-9")])
    receipt = _ingest(store, text, chunk_size=1)
    assert [r.outcome for r in receipt.records] == [
        Outcome.ACCEPTED,
        Outcome.ACCEPTED,
        Outcome.REJECTED,
    ]
    assert "cam-9" in (receipt.rejected[0].reason or "")


def test_source_kind_cannot_change(store: Store) -> None:
    """A record redefining a registered source with another kind is refused."""
    _ingest(store, jsonl([report("a")]))
    receipt = _ingest(store, jsonl([report("b", source={"id": "cam-1", "kind": "uav"})]))
    assert receipt.rejected[0].field == "source.kind"


def test_place_names_resolve_through_the_gazetteer(store: Store) -> None:
    """A place name is resolved to coordinates at intake, spelling variants included."""
    text = jsonl(
        [report("a", location={"place": "Avdiivka"}), report("b", location={"place": "Atlantis"})]
    )
    receipt = _ingest(store, text)
    [stored] = list(store.iter_reports())
    estimate = stored.location.estimate()
    assert estimate is not None
    assert abs(estimate.lat - 48.14) < 0.05
    assert receipt.rejected[0].field == "location.place"


def test_receipt_is_machine_readable(store: Store) -> None:
    """The receipt's JSON form counts each outcome and lists every record's fate."""
    receipt = _ingest(store, jsonl([report("a"), report("a"), report("b", activity="nope")]))
    data = json.loads(json.dumps(receipt.to_dict()))
    assert (data["accepted"], data["duplicate"], data["rejected"]) == (1, 1, 1)
    assert data["records"][2]["field"] == "activity"


def test_every_format_reaches_the_same_report(store: Store) -> None:
    """The same report sent as JSON, JSONL, flat CSV and GeoJSON is one report."""
    nested = report("same")
    as_json = json.dumps([nested])
    as_csv = (
        "source_id,source_kind,source_organisation,source_reliability,source_ref,observed_at,"
        "time_precision,lon,lat,uncertainty_m,activity,count\n"
        "cam-1,camera,Test mission,A,same,2020-09-15T21:40:00+03:00,minute,37.75,48.14,500,"
        "explosion,1\n"
    )
    properties = {k: v for k, v in nested.items() if k != "location"} | {"uncertainty_m": 500}
    as_geojson = json.dumps(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [37.75, 48.14]},
                    "properties": properties,
                }
            ],
        }
    )
    outcomes = [
        _ingest(store, text, name).records[0].outcome
        for name, text in [
            ("a.json", as_json),
            ("b.jsonl", jsonl([nested])),
            ("c.csv", as_csv),
            ("d.geojson", as_geojson),
        ]
    ]
    assert outcomes == [Outcome.ACCEPTED, Outcome.DUPLICATE, Outcome.DUPLICATE, Outcome.DUPLICATE]


# -- the property: any interleaving of valid, duplicate and malformed records ---------------------

_valid = st.lists(st.integers(0, 40), min_size=0, max_size=12, unique=True)


@st.composite
def _batches(draw: st.DrawFn) -> tuple[list[str], set[str], set[str], int]:
    """Draw a shuffled mix of valid, repeated and broken records.

    Returns the lines, the valid references, the malformed lines and a chunk size.
    """
    refs = [f"ref-{n}" for n in draw(_valid)]
    lines = [json.dumps(report(ref, count=1 + n)) for n, ref in enumerate(refs)]
    repeats = draw(st.lists(st.sampled_from(lines), max_size=8)) if lines else []
    broken = [
        json.dumps(BREAKAGES[name][1](report(f"bad-{index}")))
        for index, name in enumerate(draw(st.lists(st.sampled_from(sorted(BREAKAGES)), max_size=6)))
    ]
    garbage = draw(st.lists(st.sampled_from(["{", "[1, 2]", '"text"', "null"]), max_size=3))
    mixed = draw(st.permutations(lines + repeats + broken + garbage))
    return list(mixed), set(refs), set(broken + garbage), draw(st.integers(1, 7))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_batches())
def test_any_interleaving_stores_exactly_the_valid_distinct_records(
    batch: tuple[list[str], set[str], set[str], int],
) -> None:
    """Whatever the order and chunking, the store ends with exactly the valid distinct records,
    every malformed one is quarantined once, and a second ingest changes nothing."""
    lines, valid_refs, malformed, chunk_size = batch
    text = "".join(line + "\n" for line in lines)
    with open_store(":memory:") as store:
        first = _ingest(store, text, chunk_size=chunk_size)
        stored_refs = {r.source_ref for r in store.iter_reports()}
        assert stored_refs == valid_refs
        assert first.count(Outcome.ACCEPTED) == len(valid_refs)
        assert {q.raw for q in store.iter_quarantine()} == malformed
        before = (list(store.iter_reports()), list(store.iter_quarantine()), store.counts())
        second = _ingest(store, text, chunk_size=chunk_size)
        assert second.count(Outcome.ACCEPTED) == 0
        assert second.count(Outcome.DUPLICATE) == len(lines) - first.count(Outcome.REJECTED)
        assert (list(store.iter_reports()), list(store.iter_quarantine()), store.counts()) == before
        # Every stored record is in the ledger exactly once, and the log audits clean.
        counts = store.counts()
        assert store.ledger_size() == counts.reports + counts.quarantined + counts.sources
        assert LogKeeper(store, FixedClock(START)).verify().ok


def test_unparsable_records_keep_their_raw_text(store: Store) -> None:
    """A line that is not JSON is quarantined verbatim with its line number."""
    receipt = Intake(store, FixedClock(START), None).ingest(
        [RawRecord("x.jsonl", "line 9", "{oops", error=None)]
    )
    assert receipt.rejected[0].position == "line 9"
    assert next(store.iter_quarantine()).raw == "{oops"


def test_actor_cites_and_origin_are_stored_and_read_back(store: Store) -> None:
    """The mission's own assets as an actor, the upstream item cited and an origin of fire distinct
    from the point of impact survive intake and a read back from the store."""
    record = report(
        "uav-1",
        activity="drone_flight",
        actor="monitors",
        cites="https://example.org/post/1",
        origin={
            "observer": {"lon": 37.70, "lat": 48.10},
            "bearing_deg": "NE",
            "range_m": [1000, 3000],
        },
    )
    receipt = _ingest(store, jsonl([record]))
    assert receipt.count(Outcome.ACCEPTED) == 1
    [stored] = list(store.iter_reports())
    assert (stored.actor, stored.cites) == ("monitors", "https://example.org/post/1")
    assert stored.origin is not None
    assert stored.origin.to_dict()["bearing_deg"] == 45.0
    assert stored.to_dict()["origin"]["range_m"] == [1000.0, 3000.0]


def test_a_report_without_the_optional_fields_keeps_its_content_and_identity(
    store: Store,
) -> None:
    """Reports that set none of actor, cites and origin have no such keys in their content, so
    their digest and identity are those they had before the fields existed."""
    _ingest(store, jsonl([report("plain")]))
    [stored] = list(store.iter_reports())
    assert not {"actor", "cites", "origin"} & stored.content().keys()
    with_origin = report("other", origin={"lon": 37.7, "lat": 48.1})
    _ingest(store, jsonl([with_origin]))
    assert (
        "origin"
        in store.get_report(
            next(r.id for r in store.iter_reports() if r.source_ref == "other")
        ).content()
    )
