"""The daily report: a day of the mission's work in the SMM's structure, for one audience.

The SMM issued its daily report "based on information from the Monitoring Teams as of 19:30",
with sections in a fixed order: ceasefire violations per region (with explosions, and the
previous period's count), the disengagement areas, weapons in violation of withdrawal lines,
restrictions of the monitors' freedom of movement, and what could not be observed. This module
assembles that content from stored records (pure: no I/O, no rendering); ``_daily_render``
turns it into HTML and PDF.

Counting follows the SMM: a *ceasefire violation* is an observation count (each explosion,
projectile, burst or flash once), and only the mission's own observations are counted: a
party's complaint is a claim, not an observation. Counts per region are published to every
audience (they carry no position and no identity: see
:func:`ceasefire.publication.audience.counts_for_everyone`); each detailed item passes the
audience filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.zone import ZoneKind
from ceasefire.geo.gazetteer import ADMIN1_NAMES_UA, Place
from ceasefire.model.activity import Activity
from ceasefire.model.coverage import Coverage, CoverageStatus
from ceasefire.model.report import Report
from ceasefire.publication.audience import (
    Audience,
    counts_for_everyone,
    view_coverage,
    view_report,
)

__all__ = [
    "FIRE",
    "DailyReport",
    "DailySettings",
    "RegionCount",
    "build_daily_report",
    "region_of",
    "report_day",
    "reporting_period",
]

#: Activities that are ceasefire violations when observed (firing of any kind, explosions).
FIRE = frozenset(
    {
        Activity.EXPLOSION,
        Activity.ARTILLERY_FIRE,
        Activity.MORTAR_FIRE,
        Activity.MLRS_FIRE,
        Activity.SMALL_ARMS_FIRE,
        Activity.SNIPER_FIRE,
        Activity.DRONE_STRIKE,
    }
)
#: Of those, the ones the SMM counted as explosions ("... including 120 explosions").
EXPLOSIVE = frozenset(
    {
        Activity.EXPLOSION,
        Activity.ARTILLERY_FIRE,
        Activity.MORTAR_FIRE,
        Activity.MLRS_FIRE,
        Activity.DRONE_STRIKE,
    }
)
_IMPEDED = frozenset(status for status in CoverageStatus if status is not CoverageStatus.OBSERVING)
#: How far around a disengagement area a violation is "close to" it.
NEAR_AREA_M = 5_000.0


@dataclass(frozen=True, slots=True)
class DailySettings:
    """The report's cut-off and the local time it is written in (the SMM: 19:30, EET).

    Args:
        cutoff: local time of the daily cut-off.
        timezone: IANA name of the local time; all times in the report are in it.
        days: how many days the report covers (3 for the Monday report of a weekend).
    """

    cutoff: time = time(19, 30)
    timezone: str = "Europe/Kyiv"
    days: int = 1


@dataclass(frozen=True, slots=True)
class RegionCount:
    """Ceasefire violations in one region over the period, with the previous period's total."""

    region: str
    violations: int
    explosions: int
    previous: int


@dataclass(frozen=True, slots=True)
class DailyReport:
    """Everything the daily report says, ready to render."""

    day: date
    audience: str
    period_start: datetime
    period_end: datetime
    timezone: str
    summary: list[str]
    regions: list[RegionCount]
    disengagement: list[tuple[str, int, int]]
    restrictions: list[str]
    not_observed: list[str]
    series: list[tuple[date, int]]
    checkpoint: str | None
    details_withheld: bool = False
    notes: list[str] = field(default_factory=list)


def reporting_period(day: date, settings: DailySettings) -> tuple[datetime, datetime]:
    """Return the period a report for ``day`` covers: from the cut-off ``settings.days`` days
    before to the cut-off on ``day``, in UTC."""
    zone = ZoneInfo(settings.timezone)
    end = datetime.combine(day, settings.cutoff, tzinfo=zone)
    return (end - timedelta(days=settings.days)).astimezone(UTC), end.astimezone(UTC)


def build_daily_report(
    day: date,
    audience: Audience,
    agreement: Agreement | None,
    reports: Sequence[Report],
    coverage: Sequence[Coverage],
    places: Sequence[Place],
    settings: DailySettings = DailySettings(),
    checkpoint: str | None = None,
) -> DailyReport:
    """Assemble the daily report for ``day`` as ``audience`` may read it."""
    start, end = reporting_period(day, settings)
    span = end - start
    counted = [r for r in reports if counts_for_everyone(r) and r.activity in FIRE]
    current = [r for r in counted if start <= r.observed_at < end]
    previous = [r for r in counted if start - span <= r.observed_at < start]
    regions = _regions(current, previous, places)
    total = sum(region.violations for region in regions)
    restrictions = _restrictions(reports, coverage, audience, start, end)
    not_observed = _not_observed(coverage, audience, start, end)
    summary = [
        f"The mission recorded {total} ceasefire violations "
        f"({sum(r.explosions for r in regions)} explosions) "
        f"between {_local(start, settings)} and {_local(end, settings)}.",
        f"{len(restrictions)} restriction(s) of the monitors' freedom of movement or threats "
        "to them were recorded."
        if restrictions
        else "No restriction of the monitors' freedom of movement was recorded.",
    ]
    if not_observed:
        summary.append(
            f"{len(not_observed)} sector(s) could not be observed for some of the period: "
            "no violation recorded there does not mean none happened."
        )
    return DailyReport(
        day=day,
        audience=str(audience),
        period_start=start,
        period_end=end,
        timezone=settings.timezone,
        summary=summary,
        regions=regions,
        disengagement=_disengagement(current, agreement),
        restrictions=restrictions,
        not_observed=not_observed,
        series=_series(counted, day, settings),
        checkpoint=checkpoint,
        details_withheld=not audience.sees_everything,
    )


def region_of(report: Report, places: Sequence[Place]) -> str:
    """Name the oblast a report falls in: that of the nearest known settlement within 60 km."""
    point = _point(report)
    if point is None or not places:
        return "unlocated"
    nearest = min(places, key=lambda place: place.distance_km(*point))
    if nearest.distance_km(*point) > 60:
        return "elsewhere"
    if nearest.country == "UA":
        return ADMIN1_NAMES_UA.get(nearest.admin1, nearest.admin1 or "unknown")
    return nearest.country or "unknown"


def _point(report: Report) -> tuple[float, float] | None:
    estimate = report.location.estimate()
    if estimate is not None:
        return estimate.lon, estimate.lat
    observer = getattr(report.location, "observer_lon", None)
    return None if observer is None else (observer, report.location.observer_lat)  # type: ignore[union-attr]


def _regions(
    current: Iterable[Report], previous: Iterable[Report], places: Sequence[Place]
) -> list[RegionCount]:
    totals: dict[str, list[int]] = {}
    for report in current:
        entry = totals.setdefault(region_of(report, places), [0, 0, 0])
        entry[0] += report.count
        entry[1] += report.count if report.activity in EXPLOSIVE else 0
    for report in previous:
        totals.setdefault(region_of(report, places), [0, 0, 0])[2] += report.count
    return [RegionCount(name, *values) for name, values in sorted(totals.items())]


def _disengagement(
    current: Sequence[Report], agreement: Agreement | None
) -> list[tuple[str, int, int]]:
    """For each disengagement area: violations inside it, and close to it (within 5 km)."""
    if agreement is None:
        return []
    rows = []
    for zone in agreement.zones:
        if zone.kind is not ZoneKind.DISENGAGEMENT:
            continue
        inside = near = 0
        for report in current:
            estimate = report.location.estimate()
            if estimate is None:
                continue
            distance = zone.distance_m(estimate.lon, estimate.lat)
            if distance is None:
                continue
            if distance == 0:
                inside += report.count
            elif distance <= NEAR_AREA_M:
                near += report.count
        rows.append((zone.name or zone.id, inside, near))
    return rows


def _restrictions(
    reports: Sequence[Report],
    coverage: Sequence[Coverage],
    audience: Audience,
    start: datetime,
    end: datetime,
) -> list[str]:
    wanted = {Activity.RESTRICTION_OF_MOVEMENT, Activity.ATTACK_ON_MONITORS}
    lines = []
    for report in reports:
        if report.activity in wanted and start <= report.observed_at < end:
            shown = view_report(report, audience)
            detail = (shown or {}).get("narrative") if shown else None
            lines.append(
                f"{report.activity.value.replace('_', ' ')}: {detail or 'details withheld'}"
            )
    for record in coverage:
        if record.status is CoverageStatus.ACCESS_DENIED and _overlaps(record, start, end):
            shown = view_coverage(record, audience)
            who = f" by {record.imposed_by}" if record.imposed_by else ""
            reason = record.reason if shown is not None and record.reason else "details withheld"
            lines.append(f"access denied{who}: {reason}")
    return lines


def _not_observed(
    coverage: Sequence[Coverage], audience: Audience, start: datetime, end: datetime
) -> list[str]:
    lines = []
    for record in coverage:
        if record.status in _IMPEDED and _overlaps(record, start, end):
            shown = view_coverage(record, audience)
            reason = record.reason if shown is not None and record.reason else ""
            lines.append(
                f"{record.status.value.replace('_', ' ')}" + (f": {reason}" if reason else "")
            )
    return lines


def _series(
    counted: Sequence[Report], day: date, settings: DailySettings
) -> list[tuple[date, int]]:
    """Violations per report day over the 30 report days up to ``day``, for the chart."""
    days = [day - timedelta(days=offset) for offset in range(29, -1, -1)]
    totals = dict.fromkeys(days, 0)
    for report in counted:
        key = report_day(report.observed_at, settings)
        if key in totals:
            totals[key] += report.count
    return list(totals.items())


def report_day(moment: datetime, settings: DailySettings) -> date:
    """The day of the report that covers ``moment``: the date of the next local cut-off."""
    local = moment.astimezone(ZoneInfo(settings.timezone))
    return local.date() + timedelta(days=1) if local.time() >= settings.cutoff else local.date()


def _overlaps(record: Coverage, start: datetime, end: datetime) -> bool:
    return record.observed_from < end and record.observed_until > start


def _local(moment: datetime, settings: DailySettings) -> str:
    return moment.astimezone(ZoneInfo(settings.timezone)).strftime("%d %B %Y %H:%M")
