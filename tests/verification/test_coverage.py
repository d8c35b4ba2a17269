"""Coverage: a quiet, watched zone is "no violation observed"; an unwatched one "not observable"."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from verification_cases import Case

from ceasefire.agreement.terms import Agreement
from ceasefire.model.coverage import Coverage, coverage_from_dict
from ceasefire.model.finding import Verdict
from ceasefire.model.source import Reliability, Source, SourceKind
from ceasefire.verification import verify
from ceasefire.verification.coverage import coverage_days, coverage_map

CAMERA = Source("smm-cam-zolote", SourceKind.CAMERA, reliability=Reliability.A)
#: A box comfortably around the Zolote disengagement area.
AROUND_ZOLOTE = [[[38.49, 48.65], [38.56, 48.65], [38.56, 48.70], [38.49, 48.70], [38.49, 48.65]]]


def record(status: str, start: str, end: str, **extra: Any) -> Coverage:
    """One coverage record over the box around Zolote."""
    data = {
        "status": status,
        "observed_from": start,
        "observed_until": end,
        "sector": {"type": "Polygon", "coordinates": AROUND_ZOLOTE},
        **extra,
    }
    return coverage_from_dict(data, received_at=datetime(2020, 9, 20, tzinfo=UTC), source=CAMERA)


def sector_verdicts(
    minsk: Agreement, case: Case, records: list[Coverage], *incidents: Any
) -> dict[tuple[str, str, str], Verdict]:
    """Verify and return the sector findings by (clause, zone, day)."""
    result = verify(incidents, case.lookup, [minsk], coverage=records)
    return {
        (f.clause_id, f.scope["zone"], f.scope["day"]): f.verdict
        for f in result.findings
        if f.incident_id is None
    }


def test_a_watched_quiet_zone_is_no_violation_observed(minsk: Agreement, case: Case) -> None:
    """A camera watching all of Zolote all day, nothing seen: fd-2016 there is no_violation."""
    records = [record("observing", "2020-09-16T00:00:00Z", "2020-09-17T00:00:00Z")]
    verdicts = sector_verdicts(minsk, case, records)
    assert verdicts[("fd-2016", "disengagement_zolote", "2020-09-16")] is Verdict.NO_VIOLATION
    # The other areas were not watched: not observable, never "no violation".
    assert verdicts[("fd-2016", "disengagement_petrivske", "2020-09-16")] is Verdict.UNDETERMINED


def test_an_outage_makes_the_zone_not_observable(minsk: Agreement, case: Case) -> None:
    """The same camera down for part of the day: the blind part is not counted as watched."""
    records = [
        record("observing", "2020-09-16T00:00:00Z", "2020-09-17T00:00:00Z"),
        record("outage", "2020-09-16T10:00:00Z", "2020-09-16T12:00:00Z", reason="power cut"),
    ]
    result = verify([], case.lookup, [minsk], coverage=records)
    zolote = [f for f in result.findings if f.scope.get("zone") == "disengagement_zolote"]
    assert zolote
    assert all(f.verdict is Verdict.UNDETERMINED for f in zolote)
    assert any("power cut" in r for f in zolote for r in f.reasons)


def test_an_incident_in_the_zone_replaces_the_sector_finding(minsk: Agreement, case: Case) -> None:
    """Mines laid in Zolote that day: the incident's finding speaks for the zone that day."""
    records = [record("observing", "2020-09-16T00:00:00Z", "2020-09-17T00:00:00Z")]
    incident = case.incident("mine_laying", 38.52, 48.67, at="2020-09-16T10:00:00+00:00")
    verdicts = sector_verdicts(minsk, case, records, incident)
    assert ("fd-2016", "disengagement_zolote", "2020-09-16") not in verdicts


def test_coverage_days_and_map() -> None:
    """A record over midnight covers two UTC days; the map of each has the sector watched."""
    late = record("observing", "2020-09-16T20:00:00+03:00", "2020-09-17T02:00:00+03:00")
    assert coverage_days([late]) == [date(2020, 9, 16)]
    overnight = record("observing", "2020-09-16T22:00:00Z", "2020-09-17T02:00:00Z")
    assert coverage_days([overnight]) == [date(2020, 9, 16), date(2020, 9, 17)]
    day = coverage_map([overnight], date(2020, 9, 17))
    assert not day.watched.is_empty
    assert day.blind.is_empty
    assert day.to_geojson()["features"][0]["properties"] == {"coverage": "watched"}
