"""``ceasefire reports``, ``reports show`` and ``sources``: what is stored, for people and pipes.

``reports`` answers a :class:`ceasefire.model.query.ReportQuery` (``--source``, ``--activity``,
``--since``, ``--until``, ``--limit``) and prints it as a table (tab-separated when piped), JSON
lines, CSV or a GeoJSON FeatureCollection (longitude first, as GeoJSON and every input has it).
"""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from typing import TYPE_CHECKING, Any

import click

from ceasefire.cli.ids import resolve_id
from ceasefire.cli.main import TIME, Context, cli, pass_context, refusals_exit_1
from ceasefire.cli.render import UNKNOWN, lon_lat, say, table
from ceasefire.model.activity import Activity

if TYPE_CHECKING:
    from ceasefire.model.report import Report

__all__ = ["REPORT_COLUMNS", "reports", "show", "sources"]

#: The columns of the table and the CSV, in order.
REPORT_COLUMNS = ("id", "source", "observed at", "activity", "count", "lon, lat", "±m")


@cli.group(invoke_without_command=True)
@click.option("--source", "source_id", help="Only reports from this source id.")
@click.option(
    "--activity", type=click.Choice([a.value for a in Activity]), help="Only this activity."
)
@click.option("--since", type=TIME, help="Only reports observed at or after this ISO time.")
@click.option("--until", type=TIME, help="Only reports observed before this ISO time.")
@click.option("--limit", type=click.IntRange(min=1), default=50, show_default=True)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "json", "csv", "geojson"]),
    default="table",
    show_default=True,
    help="table (tab-separated when piped), json (one report a line), csv, geojson.",
)
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="The same as --format json (as every listing command's --json).",
)
@click.pass_context
@refusals_exit_1
def reports(
    click_context: click.Context,
    source_id: str | None,
    activity: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    fmt: str,
    as_json: bool,
) -> None:
    """List stored reports in arrival order, filtered; `reports show ID` shows one in full.

    \b
    Example:
        ceasefire reports --activity artillery_fire --since 2020-09-15T00:00Z --format csv
    """
    if click_context.invoked_subcommand is not None:
        return
    if as_json and fmt not in ("table", "json"):
        raise click.UsageError(f"--json and --format {fmt} ask for two formats; give one")
    fmt = "json" if as_json else fmt
    from ceasefire.model.query import ReportQuery

    context = click_context.find_object(Context)
    assert context is not None
    query = ReportQuery(
        source_id=source_id,
        activity=Activity(activity) if activity else None,
        since=since,
        until=until,
        limit=limit,
    )
    with context.store() as store:
        found = list(store.query_reports(query))
        total = store.counts().reports
    if fmt == "json":
        for report in found:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
    elif fmt == "csv":
        click.echo(_csv(found), nl=False)
    elif fmt == "geojson":
        click.echo(json.dumps(_feature_collection(found), ensure_ascii=False, indent=1))
    else:
        title = f"Reports ({len(found)} shown of {total} stored)"
        table(context.out, title, REPORT_COLUMNS, [_row(report) for report in found])


def _row(report: Report) -> tuple[object, ...]:
    """One report as the table and CSV show it; an unknown position is "—", not 0, 0."""
    estimate = report.location.estimate()
    return (
        report.id,
        report.source.id,
        report.observed_at,
        report.activity,
        report.count,
        lon_lat(estimate.lon, estimate.lat) if estimate else UNKNOWN,
        round(estimate.uncertainty_m) if estimate else None,
    )


def _csv(found: list[Report]) -> str:
    """Reports as CSV with separate lon and lat columns (a spreadsheet wants numbers); an
    unknown position is empty cells."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "source", "observed_at", "activity", "count", "lon", "lat", "±m"])
    for report in found:
        estimate = report.location.estimate()
        position: list[object] = ["", "", ""]
        if estimate is not None:
            position = [estimate.lon, estimate.lat, round(estimate.uncertainty_m)]
        writer.writerow(
            [
                report.id,
                report.source.id,
                report.observed_at.isoformat(),
                report.activity.value,
                report.count,
                *position,
            ]
        )
    return buffer.getvalue()


def _feature_collection(found: list[Report]) -> dict[str, Any]:
    """Reports as GeoJSON; a report with no position estimate has a null geometry."""
    features = []
    for report in found:
        estimate = report.location.estimate()
        geometry = (
            {"type": "Point", "coordinates": [estimate.lon, estimate.lat]} if estimate else None
        )
        properties = report.to_dict()
        if estimate:
            properties["uncertainty_m"] = estimate.uncertainty_m
        features.append(
            {"type": "Feature", "id": report.id, "geometry": geometry, "properties": properties}
        )
    return {"type": "FeatureCollection", "features": features}


@reports.command()
@click.argument("report_id")
@click.option("--json", "as_json", is_flag=True, help="Print the stored document as JSON.")
@pass_context
@refusals_exit_1
def show(context: Context, report_id: str, as_json: bool) -> None:
    """Show one report in full: every field as stored (a unique id prefix is enough).

    \b
    Example:
        ceasefire reports show r-c31f
    """
    with context.store() as store:
        report = store.get_report(resolve_id(store, report_id))
    document = report.to_dict()
    if as_json:
        click.echo(json.dumps(document, indent=1, ensure_ascii=False))
        return
    estimate = report.location.estimate()
    fields: list[tuple[str, object]] = [(name, _shown(value)) for name, value in document.items()]
    if estimate is not None:
        fields.append(("estimate (lon, lat)", lon_lat(estimate.lon, estimate.lat)))
        fields.append(("estimate ±m", round(estimate.uncertainty_m)))
    table(context.out, f"Report {report.id}", ("field", "value"), fields)


def _shown(value: object) -> object:
    """A document value as a table cell: nested objects as compact JSON, unknown as "—"."""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False) if value else None
    return value


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the sources as JSON lines.")
@pass_context
@refusals_exit_1
def sources(context: Context, as_json: bool) -> None:
    """List the registered sources: who reports, through which channel, how reliable.

    \b
    Example:
        ceasefire sources
    """
    with context.store() as store:
        registered = list(store.sources().values())
    if as_json:
        for source in registered:
            click.echo(json.dumps(source.to_dict(), ensure_ascii=False))
        return
    if not registered:
        say(context.err, "no sources registered yet (they arrive with the first reports)")
    table(
        context.out,
        f"Sources ({len(registered)})",
        ("id", "kind", "organisation", "reliability", "name"),
        [(s.id, s.kind, s.organisation, s.reliability, s.name) for s in registered],
    )
