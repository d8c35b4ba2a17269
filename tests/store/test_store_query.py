"""Report queries: every store answers a ReportQuery exactly as its definition says
(``ReportQuery.matches`` over every report, in arrival order, at most ``limit``)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ceasefire.intake.batch import IntakeBatch
from ceasefire.model.activity import Activity
from ceasefire.model.query import ReportQuery
from ceasefire.model.report import Report, report_from_dict
from ceasefire.model.source import Source, SourceKind
from ceasefire.store import Store

NOW = datetime(2026, 1, 1, tzinfo=UTC)
SOURCES = [Source("cam-1", SourceKind.CAMERA), Source("patrol-1", SourceKind.MONITOR_PATROL)]
ACTIVITIES = [Activity.EXPLOSION, Activity.MORTAR_FIRE, Activity.DRONE_FLIGHT]
START = datetime(2020, 9, 15, tzinfo=UTC)


def _reports() -> list[Report]:
    """Twelve reports over two sources, three activities, times with different UTC offsets."""
    found = []
    for n in range(12):
        offset = timedelta(hours=(n % 3) * 3 - 3)  # -03:00, +00:00, +03:00: text order ≠ time
        observed = (START + timedelta(hours=7 * n)).astimezone(timezone(offset))
        data = {
            "source": SOURCES[n % 2].to_dict(),
            "source_ref": f"q{n}",
            "observed_at": observed.isoformat(),
            "location": {"lon": 37.75, "lat": 48.14},
            "activity": ACTIVITIES[n % 3].value,
        }
        found.append(report_from_dict(data, received_at=NOW, resolver=None))
    return found


TIMES = st.none() | st.integers(min_value=-2, max_value=90).map(
    lambda hours: START + timedelta(hours=hours)
)
QUERIES = st.builds(
    ReportQuery,
    source_id=st.none() | st.sampled_from(["cam-1", "patrol-1", "nobody"]),
    activity=st.none() | st.sampled_from(ACTIVITIES),
    since=TIMES,
    until=TIMES,
    limit=st.none() | st.integers(min_value=1, max_value=13),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=60)
@given(QUERIES)
def test_query_reports_agrees_with_its_definition(store: Store, query: ReportQuery) -> None:
    """The store's answer is the reports matching the query, in arrival order, cut at limit."""
    reports = _reports()
    store.write_intake(IntakeBatch(reports=reports, sources=SOURCES))  # idempotent per example
    expected = [r for r in reports if query.matches(r)][: query.limit]
    assert list(store.query_reports(query)) == expected
    assert list(Store.query_reports(store, query)) == expected  # the interface's own definition


def test_record_ids_with_prefix_finds_logged_ids(store: Store) -> None:
    """A prefix finds the logged records starting with it, sorted, at most ``limit``."""
    reports = _reports()
    store.write_intake(IntakeBatch(reports=reports, sources=SOURCES))
    target = reports[5].id
    assert store.record_ids_with_prefix(target) == [target]
    assert store.record_ids_with_prefix(target[:-1]) == [target]
    every = store.record_ids_with_prefix("r-", limit=100)
    assert every == sorted(r.id for r in reports)
    assert len(store.record_ids_with_prefix("r-", limit=3)) == 3
    assert store.record_ids_with_prefix("zz") == []
    assert Store.record_ids_with_prefix(store, "r-", limit=100) == every
