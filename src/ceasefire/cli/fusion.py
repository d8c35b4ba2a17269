"""``ceasefire fuse`` and ``ceasefire incidents``: reports into incidents, and the incidents out.

``incidents --format json`` is a contract (``docs/fusion.md``): one object per incident, exactly
:meth:`ceasefire.model.incident.Incident.to_dict`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1

if TYPE_CHECKING:
    from rich.table import Table

    from ceasefire.model.incident import Incident

__all__ = ["fuse_command", "incidents"]

_PREVIEW_FLAGS = ("confusable_fire",)  # ceasefire.fusion.settings.Preview, kept light here
_STATES = ("reported", "under_review", "verified", "unverified", "disputed", "refuted")


@cli.command(name="fuse")
@click.option(
    "--preview",
    "flags",
    multiple=True,
    type=click.Choice(_PREVIEW_FLAGS),
    help="Switch on an outcome-changing behaviour that is not yet the default (repeatable).",
)
@click.option("--json", "as_json", is_flag=True, help="Print what was done as JSON on stdout.")
@pass_context
@refusals_exit_1
def fuse_command(context: Context, flags: tuple[str, ...], as_json: bool) -> None:
    """Fuse the reports not yet in any incident into incidents, and store them.

    New reports join an existing incident where they fit it (the incident is re-made and the
    new record supersedes the old) or make new ones; history is not re-clustered. Fusing again
    with nothing new changes nothing. Incidents are appended to the ledger as they are stored.

    \b
    Example:
        ceasefire fuse --json
    """
    from ceasefire.fusion.run import fuse
    from ceasefire.fusion.settings import FusionSettings, Preview

    settings = FusionSettings(preview=frozenset(Preview(flag) for flag in flags))
    with context.store() as store, context.err.status("fusing") as status:
        outcome = fuse(store, settings, step=lambda name: status.update(f"fusing: {name}"))
    if as_json:
        click.echo(json.dumps(outcome.to_dict(), indent=1))
        return
    if outcome.reports_fused == 0:
        context.out.print(f"nothing new to fuse; {outcome.incidents_current} incidents, unchanged")
        return
    context.out.print(
        f"{outcome.reports_fused} reports fused: {outcome.incidents_created} new incidents, "
        f"{outcome.incidents_superseded} incidents gained reports; "
        f"{outcome.incidents_current} incidents now"
    )


@cli.command()
@click.option("--status", type=click.Choice(_STATES), help="Only incidents in this review state.")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "geojson"]),
    default="table",
    show_default=True,
    help="table for people; json (an array, the documented contract) or geojson for tools.",
)
@pass_context
@refusals_exit_1
def incidents(context: Context, status: str | None, fmt: str) -> None:
    """List the current incidents (those no later incident supersedes), earliest first.

    Each incident's state is its review state: the outcome of the last review decision taken
    on it (ceasefire review), or reported if none.

    \b
    Example:
        ceasefire incidents --status reported --format json
    """
    from dataclasses import replace

    from ceasefire.verification.review import state_after

    with context.store() as store:
        found = sorted(store.iter_incidents(), key=lambda item: (item.started_at, item.id))
        history: dict[str, list[Any]] = {}
        for decision in store.iter_reviews():
            history.setdefault(decision.incident_id, []).append(decision)
    found = [replace(item, state=state_after(history.get(item.id, []))) for item in found]
    if status is not None:
        found = [item for item in found if item.state.value == status]
    if fmt == "json":
        click.echo(json.dumps([item.to_dict() for item in found], indent=1, ensure_ascii=False))
    elif fmt == "geojson":
        collection = {"type": "FeatureCollection", "features": [_feature(i) for i in found]}
        click.echo(json.dumps(collection, indent=1, ensure_ascii=False))
    else:
        context.out.print(_table(found))


def _feature(incident: Incident) -> dict[str, Any]:
    """A GeoJSON feature: the location as a point, or a single bearing's sector as a wedge."""
    properties = incident.to_dict()
    geometry: dict[str, Any] | None = None
    if incident.location is not None:
        geometry = {"type": "Point", "coordinates": [incident.location.lon, incident.location.lat]}
    elif incident.sector is not None:
        geometry = _wedge(incident)
    return {"type": "Feature", "id": incident.id, "geometry": geometry, "properties": properties}


def _wedge(incident: Incident) -> dict[str, Any]:
    from pyproj import Geod

    sector = incident.sector
    assert sector is not None
    geod = Geod(ellps="WGS84")
    near = sector.range_min_m or 0.0
    far = sector.range_max_m or 15_000.0
    steps = [sector.bearing_deg + sector.bearing_error_deg * (k / 4 - 1) for k in range(9)]
    ring = [geod.fwd(sector.observer_lon, sector.observer_lat, az, far)[:2] for az in steps]
    if near > 0:
        back = [geod.fwd(sector.observer_lon, sector.observer_lat, az, near)[:2] for az in steps]
        ring += list(reversed(back))
    else:
        ring.append((sector.observer_lon, sector.observer_lat))
    coordinates = [[float(lon), float(lat)] for lon, lat in ring]
    return {"type": "Polygon", "coordinates": [[*coordinates, coordinates[0]]]}


def _table(found: list[Incident]) -> Table:
    from rich.table import Table

    table = Table(title=f"Incidents ({len(found)})")
    for column in ("id", "activity", "from", "to", "where", "±m", "count", "reports", "indep."):
        table.add_column(column)
    for incident in found:
        where, radius = "sector only", "—"
        if incident.location is not None:
            where = f"{incident.location.lat:.4f}, {incident.location.lon:.4f}"
            radius = f"{incident.location.uncertainty_m:,.0f}"
        table.add_row(
            incident.id[:14],
            incident.activity.value,
            incident.started_at.isoformat(timespec="minutes"),
            incident.ended_at.isoformat(timespec="minutes"),
            where,
            radius,
            str(incident.count),
            str(len(incident.reports)),
            str(incident.independent_sources),
        )
    return table
