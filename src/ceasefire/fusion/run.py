"""Incremental fusion over a store: what ``ceasefire fuse`` runs.

Only reports that are in no incident are fused (the store hands over just those), and only the
anchors that gain reports have their reports read back. The current incidents whose time
window lies within ``anchor_lookback_s`` of the new reports enter as anchors: a new report may
join one (the incident is re-made with it and written as a new record superseding the old), or
the new reports make new incidents. History is never re-clustered, and fusing again with nothing
new writes nothing: both follow from incident ids being derived from their reports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ceasefire.fusion._rows import report_window
from ceasefire.fusion.engine import Engine
from ceasefire.fusion.incidents import plan_incidents
from ceasefire.fusion.settings import FusionSettings
from ceasefire.fusion.storage import FusionStore
from ceasefire.model.incident import Incident
from ceasefire.model.report import Report

__all__ = ["FusionOutcome", "fuse"]


@dataclass(frozen=True, slots=True)
class FusionOutcome:
    """What one fusion run did.

    Args:
        reports_fused: new reports taken into incidents this run.
        incidents_created: incidents made only of new reports.
        incidents_superseded: existing incidents that gained reports (re-made, old kept).
        incidents_written: records actually stored (0 when nothing was new).
        incidents_current: current incidents after the run.
    """

    reports_fused: int
    incidents_created: int
    incidents_superseded: int
    incidents_written: int
    incidents_current: int

    def to_dict(self) -> dict[str, int]:
        """Return the JSON form printed by ``ceasefire fuse --json``."""
        return {
            "reports_fused": self.reports_fused,
            "incidents_created": self.incidents_created,
            "incidents_superseded": self.incidents_superseded,
            "incidents_written": self.incidents_written,
            "incidents_current": self.incidents_current,
        }


def fuse(
    store: FusionStore,
    settings: FusionSettings | None = None,
    *,
    engine: Engine | None = None,
    step: Callable[[str], None] | None = None,
) -> FusionOutcome:
    """Fuse the store's unfused reports into incidents and store them (one transaction).

    Args:
        store: where reports are read and incidents written.
        settings: the gates; the defaults if omitted.
        engine: the clustering engine; the in-process one if omitted.
        step: called with the name of each phase as it starts (for a progress display).
    """
    settings = settings or FusionSettings()
    say = step or (lambda _name: None)
    say("reading incidents")
    current = list(store.iter_incidents())
    say("reading reports")
    new: list[Report] = list(store.iter_unfused_reports())
    if not new:
        return FusionOutcome(0, 0, 0, 0, len(current))
    anchors = _anchors(current, new, settings)
    planned = plan_incidents(
        new,
        anchors=anchors,
        members_of=lambda incident: [store.get_report(rid) for rid in incident.report_ids],
        settings=settings,
        engine=engine,
        step=say,
    )
    say("writing")
    written = store.write_incidents(planned)
    superseded = sum(1 for item in planned if item.supersedes is not None)
    return FusionOutcome(
        reports_fused=len(new),
        incidents_created=len(planned) - superseded,
        incidents_superseded=superseded,
        incidents_written=len(written),
        incidents_current=len(current) + len(planned) - superseded,
    )


def _anchors(
    current: list[Incident], new: list[Report], settings: FusionSettings
) -> list[Incident]:
    """The current incidents close enough in time to the new reports to gain some."""
    windows = [report_window(report, settings) for report in new]
    earliest = min(w[0] for w in windows) - settings.anchor_lookback_s
    latest = max(w[1] for w in windows) + settings.anchor_lookback_s
    chosen = [
        incident
        for incident in current
        if incident.ended_at.timestamp() >= earliest and incident.started_at.timestamp() <= latest
    ]
    return sorted(chosen, key=lambda item: (item.started_at, item.id))
