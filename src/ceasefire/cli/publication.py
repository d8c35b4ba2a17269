"""``ceasefire export``: what an audience may see, as GeoJSON, CSV or a GeoPackage."""

from __future__ import annotations

from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1

__all__ = ["export"]


@cli.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["geojson", "csv", "gpkg"]),
    required=True,
    help="GeoJSON, CSV (formula-like cells neutralised) or a GeoPackage layer for GIS.",
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
    """Export the reports an audience may see (the same filter as the web API).

    \b
    Example:
        ceasefire export --format gpkg --audience participant --out reports.gpkg
    """
    from ceasefire.publication.audience import Audience
    from ceasefire.publication.export import ExportFormat, export_rows, write_export

    viewer = Audience.parse(audience)
    with context.store() as store:
        rows = export_rows(store.iter_reports(), viewer)
    written = write_export(rows, ExportFormat(fmt), out)
    context.out.print(f"wrote {out}: {written} record(s) as {viewer} may see them", highlight=False)
