"""Incidents built by hand for the verification tests, with real reports behind them.

The rules are tested on incidents constructed directly in the shape of the issue 9 contract
(:class:`StubIncident`), with real :class:`~ceasefire.model.report.Report` objects behind them,
so that they do not depend on how fusion groups reports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from ceasefire.model.activity import Activity
from ceasefire.model.report import Report, report_from_dict

MINSK = Path(__file__).resolve().parents[2] / "examples" / "minsk" / "agreement.yaml"
RECEIVED = datetime(2020, 10, 1, tzinfo=UTC)

PATROL = {"id": "smm-patrol-1", "kind": "monitor_patrol", "reliability": "B"}
CAMERA = {"id": "smm-cam-1", "kind": "camera", "reliability": "A"}
UA_LIAISON = {
    "id": "party-ua-liaison",
    "kind": "party_complaint",
    "reliability": "D",
    "organisation": "UA liaison officers",
}
RU_LIAISON = {
    "id": "party-ru-liaison",
    "kind": "party_complaint",
    "reliability": "D",
    "organisation": "RU representatives",
}


@dataclass(frozen=True)
class Ref:
    """An incident's reference to one report (the contract's IncidentReport)."""

    id: str
    source: str
    source_ref: str | None = None
    independent: bool = True
    copy_of: str | None = None


@dataclass(frozen=True)
class StubIncident:
    """An incident in the contract's shape."""

    id: str
    activity: Activity
    started_at: datetime
    ended_at: datetime
    location: dict[str, float] | None
    count: int
    weapon: dict[str, Any] | None
    reports: tuple[Ref, ...]
    independent_sources: int
    origin: Any = None
    settings: dict[str, Any] = field(default_factory=dict)


def make_report(**fields: Any) -> Report:
    """Build a stored-like report from intake fields (point locations need no gazetteer)."""
    data = {"source": PATROL, "observed_at": "2020-09-16T10:00:00+03:00", **fields}
    return report_from_dict(data, received_at=RECEIVED, resolver=None)


class Case:
    """An incident and its reports, with the lookup verification needs."""

    def __init__(self) -> None:
        self.reports: dict[str, Report] = {}

    def incident(
        self,
        activity: str,
        lon: float | None,
        lat: float | None,
        *,
        radius_m: float = 100.0,
        at: str = "2020-09-16T10:00:00+03:00",
        until: str | None = None,
        weapon: dict[str, Any] | None = None,
        sources: tuple[dict[str, Any], ...] = (PATROL,),
        copies: int = 0,
        **report_fields: Any,
    ) -> StubIncident:
        """Return an incident of one report per source (plus ``copies`` non-independent ones)."""
        refs = []
        location = (
            {"lon": lon, "lat": lat, "uncertainty_m": radius_m}
            if lon is not None
            else {"observer": {"lon": 37.75, "lat": 48.14}, "bearing_deg": 120}
        )
        for n, source in enumerate(sources + (sources[0],) * copies):
            fields = dict(report_fields)
            report = make_report(
                source=source,
                source_ref=f"ref-{len(self.reports)}",
                observed_at=at,
                observed_until=until,
                activity=activity,
                location=location,
                weapon=weapon,
                **fields,
            )
            self.reports[report.id] = report
            refs.append(Ref(report.id, report.source.id, report.source_ref, n < len(sources)))
        begin = datetime.fromisoformat(at)
        end = datetime.fromisoformat(until) if until else begin
        return StubIncident(
            id=f"i-{len(self.reports)}-{activity}",
            activity=Activity(activity),
            started_at=begin,
            ended_at=end,
            location=None if lon is None else {"lon": lon, "lat": lat, "radius_m": radius_m},
            count=int(report_fields.get("count", 1)),
            weapon=weapon,
            reports=tuple(refs),
            independent_sources=len({s["id"] for s in sources}),
        )

    def lookup(self, report_id: str) -> Report | None:
        """Find a report by id."""
        return self.reports.get(report_id)
