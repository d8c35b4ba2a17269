"""``ceasefire export`` and ``ceasefire report daily``: what each audience is given."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1

__all__ = ["export", "report"]


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "csv", "gpkg", "acled"]),
    required=True,
    help="Reports as GeoJSON, CSV (formula-like cells neutralised) or a GeoPackage layer; "
    "incidents as an ACLED-format CSV.",
)
@click.option(
    "--audience",
    required=True,
    help="Whose view: analyst, lead, monitor, participant, public or party:ID.",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@pass_context
@refusals_exit_1
def export(context: Context, fmt: str, audience: str, out: Path) -> None:
    """Export what an audience may see (the same filter as the web API): reports, or incidents
    in ACLED's columns and codes.

    \b
    Example:
        ceasefire export --format gpkg --audience participant --out reports.gpkg
    """
    from ceasefire.publication.audience import Audience
    from ceasefire.publication.export import ExportFormat, export_rows, write_export

    viewer = Audience.parse(audience)
    if fmt == "acled":
        from ceasefire.publication.acled import acled_csv
        from ceasefire.publication.picture import Picture

        with context.store() as store:
            incidents = Picture(store).visible(viewer)
        out.write_text(acled_csv(incidents), encoding="utf-8")
        context.out.print(f"wrote {out}: {len(incidents)} incident(s) as {viewer} may see them")
        return
    with context.store() as store:
        rows = export_rows(store.iter_reports(), viewer)
    written = write_export(rows, ExportFormat(fmt), out)
    context.out.print(f"wrote {out}: {written} record(s) as {viewer} may see them", highlight=False)


@cli.group()
def report() -> None:
    """Issue the mission's reports (the daily report, in the SMM's structure).

    \b
    Example:
        ceasefire report daily --date 2020-09-16 --audience public --out daily.pdf
    """


@report.command()
@click.option("--date", "day", required=True, help="The report's day, YYYY-MM-DD.")
@click.option("--audience", required=True, help="public, participant, lead, party:ID, ...")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.html or FILE.pdf (the extension chooses).",
)
@click.option("--cutoff", default="19:30", show_default=True, help="Local cut-off, HH:MM.")
@click.option("--timezone", default="Europe/Kyiv", show_default=True, help="Local time zone.")
@click.option(
    "--days",
    type=click.IntRange(1, 7),
    default=1,
    show_default=True,
    help="Days covered (3 for a Monday report that covers the weekend).",
)
@pass_context
@refusals_exit_1
def daily(
    context: Context, day: str, audience: str, out: Path, cutoff: str, timezone: str, days: int
) -> None:
    """Make the daily report for one audience as HTML or PDF, and log its hash in the ledger.

    \b
    Example:
        ceasefire report daily --date 2020-09-16 --audience public --out daily.pdf
    """
    from ceasefire.publication.audience import Audience
    from ceasefire.publication.daily import DailySettings
    from ceasefire.publication.issue import issue_daily_report

    settings = DailySettings(_cutoff(cutoff), _zone(timezone), days)
    moment = _day(day)
    if out.suffix.lower() not in (".html", ".pdf"):
        raise click.BadParameter("give FILE.html or FILE.pdf", param_hint="--out")
    viewer = Audience.parse(audience)
    with context.store() as store:
        issued = issue_daily_report(
            store, moment, viewer, pdf=out.suffix.lower() == ".pdf", clock=context.clock,
            settings=settings,
        )  # fmt: skip
    out.write_bytes(issued.content)
    context.out.print(
        f"wrote {out} for {viewer}; logged as {issued.publication.id} "
        f"(sha256 {issued.publication.sha256})",
        highlight=False,
    )


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(
            f"{text!r} is not a date YYYY-MM-DD", param_hint="--date"
        ) from None


def _cutoff(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not a time HH:MM", param_hint="--cutoff") from None


def _zone(name: str) -> str:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise click.BadParameter(f"{name!r} is not a time zone", param_hint="--timezone") from None
    return name
