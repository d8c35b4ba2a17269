"""Hostile intake input: each is refused naming file, position, field and reason, quarantined,
and costs none of the valid records beside it.

The small hostile inputs are golden files in ``tests/intake/hostile/`` (one valid record before
the hostile one, one after); the large ones (100,000-deep nesting, a 5,001-digit integer, an
over-long line) are generated here, at test time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from ceasefire.clock import FixedClock
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake, Outcome, Receipt
from ceasefire.intake.readers import Limits, read_records
from ceasefire.store import Store, open_store
from records import report

HOSTILE = Path(__file__).parent / "hostile"
START = datetime(2026, 1, 1, tzinfo=UTC)
DEEP = 100_000

#: Each golden file: the refused record's position, the field named, and words of the reason.
GOLDEN: dict[str, tuple[str, str, str]] = {
    "count-1e18.jsonl": ("line 2", "count", "at most 1,000,000"),
    "count-1e18-as-float.jsonl": ("line 2", "count", "at most 1,000,000"),
    "count-5001-digits.csv": ("line 3", "count", "5,001 digits"),
    "observed-at-year-9999.jsonl": ("line 2", "observed_at", "in the future"),
    "observed-at-year-1.jsonl": ("line 2", "observed_at", "before 1900-01-01"),
    "observed-at-future.jsonl": ("line 2", "observed_at", "in the future"),
    "lat-1e400.jsonl": ("line 2", "location.lat", "finite"),
    "nan-uncertainty.jsonl": ("line 2", "(record)", "NaN is not a JSON number"),
    "duplicate-key.jsonl": ("line 2", "(record)", "duplicate key 'count'"),
    "misspelt-attributed-to.jsonl": ("line 2", "atributed_to", "did you mean 'attributed_to'"),
    "misspelt-cont.jsonl": ("line 2", "cont", "did you mean 'count'"),
    "misspelt-location-latt.jsonl": ("line 2", "location.latt", "did you mean 'lat'"),
    "misspelt-narative.csv": ("line 3", "narative", "did you mean 'narrative'"),
    "sender-received-at.jsonl": ("line 2", "received_at", "mission's clock"),
    "sender-id.jsonl": ("line 2", "id", "derived by intake"),
    "nul-in-source-ref.jsonl": ("line 2", "source_ref", "U+0000"),
    "escape-in-source-id.jsonl": ("line 2", "source.id", "U+001B"),
    "bidi-override-in-corrects.jsonl": ("line 2", "corrects", "U+202E"),
    "weapon-family-howitzr.jsonl": ("line 2", "weapon.family", "'howitzr' is not one of"),
    "not-an-object.jsonl": ("line 2", "(record)", "must be a JSON object"),
    "not-json.jsonl": ("line 2", "(record)", "not valid JSON"),
}


@pytest.fixture
def store() -> Iterator[Store]:
    """A fresh in-memory store."""
    with open_store(":memory:") as fresh:
        yield fresh


def _ingest(store: Store, name: str, text: str, limits: Limits | None = None) -> Receipt:
    intake = Intake(store, FixedClock(START, timedelta(seconds=1)), bundled())
    return intake.ingest(read_records(name, text, limits=limits))


def _refused_alone(store: Store, receipt: Receipt, position: str, field: str, words: str) -> None:
    """Assert exactly one record was refused, as described, and the valid ones were stored."""
    assert receipt.count(Outcome.ACCEPTED) == 2, receipt.to_dict()
    [refused] = receipt.rejected
    assert (refused.position, refused.field) == (position, field), refused
    assert words in (refused.reason or ""), refused.reason
    assert store.counts().reports == 2
    [kept] = list(store.iter_quarantine())
    assert (kept.position, kept.field) == (position, field)


def test_every_golden_file_is_listed() -> None:
    """Every hostile golden file has its expected refusal in the table, so none goes untested."""
    assert sorted(p.name for p in HOSTILE.iterdir()) == sorted(GOLDEN)


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_hostile_record_is_refused_alone(store: Store, name: str) -> None:
    """A hostile record is refused naming its line, field and reason; its neighbours are kept."""
    position, field, words = GOLDEN[name]
    text = (HOSTILE / name).read_text(encoding="utf-8")
    receipt = _ingest(store, name, text)
    _refused_alone(store, receipt, position, field, words)
    assert receipt.rejected[0].origin == name


def _line(ref: str, **overrides: object) -> str:
    return json.dumps(report(ref, **overrides))


def _deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


def _around(bad: str) -> str:
    return f"{_line('before')}\n{bad}\n{_line('after')}\n"


GENERATED: dict[str, tuple[str, str, str]] = {
    "deep line": (_around(_deep()), "line 2", "nested deeper than 64"),
    "deep object line": (_around('{"a":' * DEEP + "1" + "}" * DEEP), "line 2", "nested deeper"),
    "deep inside a field": (
        _around(_line("bad", narrative="X").replace('"X"', _deep())),
        "line 2",
        "nested deeper than 64",
    ),
    "just too deep": (_around(_line("bad", weapon="X").replace('"X"', _deep(70))), "line 2", "64"),
    "5001-digit integer": (
        _around(_line("bad", count=7).replace('"count": 7', '"count": ' + "9" * 5001)),
        "line 2",
        "5,001 digits",
    ),
}


@pytest.mark.parametrize("case", sorted(GENERATED))
def test_generated_hostile_jsonl_record_is_refused_alone(store: Store, case: str) -> None:
    """Hostile lines too large to keep as files are refused alone, the lines beside them taken."""
    text, position, words = GENERATED[case]
    receipt = _ingest(store, "big.jsonl", text)
    _refused_alone(store, receipt, position, "(record)", words)


def test_deep_item_in_a_json_list_costs_only_itself(store: Store) -> None:
    """In a JSON list, an item nested 100,000 deep is refused alone; the other items are taken."""
    text = f"[{_line('before')}, {_deep()}, {_line('after')}]"
    _refused_alone(store, _ingest(store, "list.json", text), "item [1]", "(record)", "deeper")


def test_deep_item_under_records_costs_only_itself(store: Store) -> None:
    """The same holds for a ``{"records": [...]}`` document."""
    text = f'{{"records": [{_line("before")}, {_deep()}, {_line("after")}]}}'
    _refused_alone(store, _ingest(store, "records.json", text), "item [1]", "(record)", "deeper")


def test_deep_feature_in_a_collection_costs_only_itself(store: Store) -> None:
    """A GeoJSON feature nested 100,000 deep is refused alone; the other features are taken."""

    def feature(ref: str) -> str:
        properties = {k: v for k, v in report(ref).items() if k != "location"}
        point = {"type": "Point", "coordinates": [37.75, 48.14]}
        return json.dumps({"type": "Feature", "geometry": point, "properties": properties})

    text = (
        '{"type": "FeatureCollection", "features": ['
        f"{feature('before')}, {_deep()}, {feature('after')}]}}"
    )
    receipt = _ingest(store, "x.geojson", text)
    _refused_alone(store, receipt, "feature [1]", "(record)", "deeper")


def test_overlong_line_is_refused_without_being_kept_whole(store: Store) -> None:
    """A line longer than the record bound is refused by its length; only its start is kept."""
    limits = Limits(max_record_chars=10_000)
    bad = _line("bad", narrative="x" * 50_000)
    receipt = _ingest(store, "long.jsonl", _around(bad), limits)
    _refused_alone(store, receipt, "line 2", "(record)", "at most 10,000")
    [kept] = list(store.iter_quarantine())
    assert kept.raw == bad[:10_000]


def test_free_text_keeps_control_characters_verbatim(store: Store) -> None:
    """A narrative keeps NUL, escape and bidi characters exactly as received (not identities)."""
    text = "heard\x00 three\x1b[31m explosions \u202e"
    receipt = _ingest(store, "t.jsonl", _line("a", narrative=text) + "\n")
    assert receipt.count(Outcome.ACCEPTED) == 1
    [stored] = list(store.iter_reports())
    assert stored.narrative == text


def test_time_bounds_follow_the_injected_clock(store: Store) -> None:
    """The future bound is the mission's clock plus the skew, not the machine's clock."""
    soon = (START + timedelta(minutes=5)).isoformat()
    later = (START + timedelta(minutes=30)).isoformat()
    text = f"{_line('soon', observed_at=soon)}\n{_line('later', observed_at=later)}\n"
    receipt = _ingest(store, "t.jsonl", text)
    assert [r.outcome for r in receipt.records] == [Outcome.ACCEPTED, Outcome.REJECTED]


def test_stored_report_reads_back_without_sender_checks(store: Store) -> None:
    """A stored report (with its id and received_at) reads back through the stored path."""
    _ingest(store, "a.jsonl", _line("a") + "\n")
    [stored] = list(store.iter_reports())
    assert stored.received_at == START
    assert store.get_report(stored.id) == stored
