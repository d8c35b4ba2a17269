"""The Store contract, run against every implementation (see ``conftest.py`` here)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from ceasefire.agreement.stored import StoredAgreement
from ceasefire.errors import NotFound, StoreError
from ceasefire.intake.batch import Arrival, IntakeBatch
from ceasefire.ledger.canonical import content_digest
from ceasefire.model.coverage import coverage_from_dict
from ceasefire.model.quarantine import QuarantinedRecord, quarantine_id
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import Store

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CAMERA = Source("cam-1", SourceKind.CAMERA)


def _report(ref: str, **changes: object) -> Report:
    data = {
        "source": CAMERA.to_dict(),
        "source_ref": ref,
        "observed_at": "2020-09-15T21:40:00+03:00",
        "location": {"lon": 37.75, "lat": 48.14, "uncertainty_m": 500},
        "activity": "explosion",
    } | changes
    return report_from_dict(data, received_at=NOW, resolver=None)


def _agreement(version: str, in_force_from: datetime, text: str = "terms") -> StoredAgreement:
    return StoredAgreement(
        agreement_id="minsk",
        version=version,
        title="Minsk",
        in_force_from=in_force_from,
        sha256=text.encode().hex(),
        source_text=text,
        document={"id": "minsk", "version": version},
        loaded_at=NOW,
    )


def test_reports_round_trip(store: Store) -> None:
    """A stored report reads back equal to what was written, in arrival order."""
    first, second = _report("a"), _report("b", count=4)
    written = store.write_intake(IntakeBatch(reports=[first, second], sources=[CAMERA]))
    assert written.reports == {first.id, second.id}
    assert list(store.iter_reports()) == [first, second]
    assert store.get_report(second.id) == second


def test_writing_a_stored_id_changes_nothing(store: Store) -> None:
    """A record whose id is stored is skipped, and the stored one stays exactly as it was."""
    original = _report("a")
    store.write_intake(IntakeBatch(reports=[original], sources=[CAMERA]))
    impostor = replace(original, count=99)
    written = store.write_intake(IntakeBatch(reports=[impostor]))
    assert written.reports == frozenset()
    assert store.get_report(original.id).count == 1
    assert store.counts().reports == 1


def test_write_says_what_it_did_with_each_record(store: Store) -> None:
    """Each record of a batch comes back as inserted, duplicate or conflict, decided from what
    is stored; the conflicting one is quarantined in the same write, with its raw text."""
    kept = _report("a")
    store.write_intake(IntakeBatch(reports=[kept], sources=[CAMERA]))
    changed, new = replace(kept, count=7), _report("b")
    arrival = Arrival("late.jsonl", "line 3", '{"source_ref": "a", "count": 7}', NOW)
    written = store.write_intake(
        IntakeBatch(reports=[changed, new], arrivals={changed.id: arrival})
    )
    assert written.reports == {new.id}
    assert written.duplicates == frozenset()
    conflict = written.conflicts[changed.id]
    assert (conflict.field, conflict.stored_digest) == (
        "source_ref",
        content_digest(kept.content()),
    )
    assert conflict.quarantine_id == quarantine_id(arrival.raw)
    assert written.quarantined == {conflict.quarantine_id}
    (entry,) = store.iter_quarantine()
    assert (entry.raw, entry.origin, entry.position, entry.field) == (
        arrival.raw,
        "late.jsonl",
        "line 3",
        "source_ref",
    )
    again = store.write_intake(IntakeBatch(reports=[kept]))
    assert again.duplicates == {kept.id}
    assert again.reports == frozenset()
    assert store.get_report(kept.id) == kept


def test_a_second_copy_in_one_batch_is_judged_against_the_first(store: Store) -> None:
    """The same id twice in one batch (intake never sends that; other callers might): the first
    is stored, a different second is a conflict, refused but, with no arrival, not
    quarantined."""
    first = _report("a")
    written = store.write_intake(
        IntakeBatch(reports=[first, replace(first, count=5)], sources=[CAMERA])
    )
    assert written.reports == {first.id}
    assert written.conflicts[first.id].quarantine_id is None
    assert store.get_report(first.id) == first
    assert list(store.iter_quarantine()) == []


def test_a_source_registered_with_another_kind_is_a_conflict(store: Store) -> None:
    """A record naming a registered source with another kind is refused by the write."""
    store.write_intake(IntakeBatch(sources=[CAMERA]))
    patrol = _report("a", source={"id": "cam-1", "kind": "monitor_patrol"})
    written = store.write_intake(IntakeBatch(reports=[patrol], sources=[patrol.source]))
    assert written.conflicts[patrol.id].field == "source.kind"
    assert store.counts().reports == 0
    assert store.sources() == {"cam-1": CAMERA}


def test_first_source_definition_stays(store: Store) -> None:
    """Registering a source again leaves its first registration in place."""
    store.write_intake(IntakeBatch(sources=[CAMERA]))
    store.write_intake(IntakeBatch(sources=[replace(CAMERA, organisation="someone else")]))
    assert store.sources() == {"cam-1": CAMERA}


def test_batch_is_all_or_nothing(store: Store) -> None:
    """A batch that fails halfway (a report whose source is not registered) stores nothing."""
    orphan = _report("b", source={"id": "nobody", "kind": "camera"})
    with pytest.raises(Exception, match=r"(?i)foreign key|constraint"):
        store.write_intake(IntakeBatch(reports=[_report("a"), orphan], sources=[CAMERA]))
    assert store.counts().reports == 0
    assert store.counts().sources == 0


def test_content_digests_name_stored_records(store: Store) -> None:
    """Digests come back for stored ids only, and equal the digest of the record's content."""
    stored = _report("a")
    store.write_intake(IntakeBatch(reports=[stored], sources=[CAMERA]))
    digests = store.content_digests({stored.id, "r-unknown"})
    assert digests == {stored.id: content_digest(stored.content())}


def test_content_digests_handle_many_ids(store: Store) -> None:
    """Asking about more ids than one SQL statement can bind still answers for all of them."""
    reports = [_report(f"ref-{n}") for n in range(1200)]
    store.write_intake(IntakeBatch(reports=reports, sources=[CAMERA]))
    assert len(store.content_digests([r.id for r in reports])) == 1200


def test_get_unknown_report_raises_not_found(store: Store) -> None:
    """Asking for an id nobody stored raises NotFound naming the id."""
    with pytest.raises(NotFound, match="r-nothing"):
        store.get_report("r-nothing")


def test_coverage_round_trip(store: Store) -> None:
    """Coverage records read back equal, and their digests are known to the store."""
    record = coverage_from_dict(
        {
            "status": "outage",
            "observed_from": "2020-09-16T03:00+03:00",
            "observed_until": "2020-09-16T19:30+03:00",
            "sector": {
                "type": "Polygon",
                "coordinates": [[[37.7, 47.0], [37.8, 47.0], [37.8, 47.1], [37.7, 47.0]]],
            },
        },
        received_at=NOW,
        source=CAMERA,
    )
    store.write_intake(IntakeBatch(coverage=[record], sources=[CAMERA]))
    assert list(store.iter_coverage()) == [record]
    assert store.content_digests({record.id}) == {record.id: content_digest(record.content())}


def test_quarantine_keeps_raw_input_once(store: Store) -> None:
    """A refused input is kept with its raw text; the same input refused again is not duplicated."""
    raw = '{"activity": "explosoin"}'
    item = QuarantinedRecord(
        quarantine_id(raw), "a.jsonl", "line 3", "activity", "not an activity", raw, NOW
    )
    assert store.write_intake(IntakeBatch(quarantined=[item])).quarantined == {item.id}
    assert store.write_intake(IntakeBatch(quarantined=[item])).quarantined == frozenset()
    assert list(store.iter_quarantine()) == [item]


def test_agreement_versions_are_kept_and_chosen_by_time(store: Store) -> None:
    """Loading a new version keeps the old; the version in force at T is the latest begun by T."""
    v2015 = _agreement("2015", datetime(2015, 2, 15, tzinfo=UTC), "2015 terms")
    v2020 = _agreement("2020", datetime(2020, 7, 27, tzinfo=UTC), "2020 terms")
    assert store.add_agreement(v2020)
    assert store.add_agreement(v2015)
    assert [v.version for v in store.agreement_versions("minsk")] == ["2015", "2020"]
    assert store.agreement_in_force("minsk", datetime(2018, 1, 1, tzinfo=UTC)) == v2015
    assert store.agreement_in_force("minsk", datetime(2021, 1, 1, tzinfo=UTC)) == v2020
    assert store.agreement_in_force("minsk", datetime(2015, 2, 14, tzinfo=UTC)) is None


def test_same_agreement_version_twice_is_harmless(store: Store) -> None:
    """Loading an identical version again reports it as already stored."""
    version = _agreement("2015", datetime(2015, 2, 15, tzinfo=UTC))
    assert store.add_agreement(version)
    assert not store.add_agreement(version)
    assert store.counts().agreement_versions == 1


def test_changed_text_under_same_version_is_refused(store: Store) -> None:
    """A different text under a stored version is refused; the stored text stays."""
    store.add_agreement(_agreement("2015", datetime(2015, 2, 15, tzinfo=UTC), "original"))
    with pytest.raises(StoreError, match="new version"):
        store.add_agreement(_agreement("2015", datetime(2015, 2, 15, tzinfo=UTC), "edited"))
    assert store.agreement_versions()[0].source_text == "original"


def test_times_are_kept_with_their_instant(store: Store) -> None:
    """A report's time survives storage as the same instant, whatever offset it came with."""
    kyiv = _report("a", observed_at="2020-09-15T23:59:00+03:00")
    store.write_intake(IntakeBatch(reports=[kyiv], sources=[CAMERA]))
    read = store.get_report(kyiv.id)
    assert read.observed_at == datetime(2020, 9, 15, 20, 59, tzinfo=UTC)
    assert read.observed_at.utcoffset() == timedelta(hours=3)
