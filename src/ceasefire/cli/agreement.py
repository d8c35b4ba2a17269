"""``ceasefire agreement check|load|show``: the ceasefire's terms as data."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.errors import AgreementInvalid, NotFound

if TYPE_CHECKING:
    from rich.table import Table

    # the agreement loader (shapely, pyproj, jsonschema) is imported when used
    from ceasefire.agreement.stored import StoredAgreement
    from ceasefire.agreement.terms import Agreement

__all__ = ["agreement"]


@cli.group()
def agreement() -> None:
    """Check, store and show the agreement's terms.

    \b
    Example:
        ceasefire agreement check examples/minsk/agreement.yaml
    """


def _load_or_exit(context: Context, path: Path) -> Agreement:
    """Load a file, or list every problem on stderr and exit 1."""
    from rich.markup import escape  # problems quote the file's own text: never markup

    from ceasefire.agreement.loader import load_agreement

    try:
        return load_agreement(path)
    except AgreementInvalid as error:
        for problem in error.problems:
            context.err.print(f"[red]✗[/] {escape(str(problem))}", highlight=False)
        count = len(error.problems)
        context.err.print(f"[bold red]refused:[/] {count} problem(s) in {escape(str(path))}")
        raise SystemExit(1) from None


@agreement.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@refusals_exit_1
def check(context: Context, file: Path) -> None:
    """Validate an agreement file; list every problem with its path and reason.

    Exit code 1 if the file is refused. Nothing is stored.

    \b
    Example:
        ceasefire agreement check examples/minsk/agreement.yaml
    """
    loaded = _load_or_exit(context, file)
    context.out.print(
        f"[green]✓[/] {file}: agreement {loaded.id} version {loaded.version}, "
        f"{len(loaded.zones)} zones, {len(loaded.clauses)} clauses: no problems",
        highlight=False,
    )


@agreement.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@refusals_exit_1
def load(context: Context, file: Path) -> None:
    """Validate an agreement file and store it as a new version.

    Older versions stay: a check at time T uses the version in force at T. Loading the same
    version again changes nothing; a changed text under an existing version is refused.

    \b
    Example:
        ceasefire agreement load examples/minsk/agreement.yaml
    """
    from ceasefire.agreement.stored import StoredAgreement

    loaded = _load_or_exit(context, file)
    record = StoredAgreement.of(loaded, loaded_at=context.clock.now())
    with context.store() as store:
        added = store.add_agreement(record)
    verb = "stored" if added else "already stored, nothing changed:"
    context.out.print(
        f"{verb} agreement {loaded.id} version {loaded.version} "
        f"(in force from {loaded.in_force_from.isoformat()})",
        highlight=False,
    )


@agreement.command()
@click.argument("agreement_id", required=False)
@click.option("--at", "at", help="Show the version in force at this ISO time (default: latest).")
@click.option(
    "--geojson",
    "geojson_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the lines and zones as GeoJSON (WGS84) to this file.",
)
@pass_context
@refusals_exit_1
def show(
    context: Context, agreement_id: str | None, at: str | None, geojson_out: Path | None
) -> None:
    """List stored agreement versions and show one version's zones and clauses.

    \b
    Example:
        ceasefire agreement show minsk --at 2021-01-01T00:00+02:00 --geojson zones.geojson
    """
    with context.store() as store:
        versions = store.agreement_versions(agreement_id)
    if not versions:
        raise NotFound(
            f"no agreement {agreement_id!r} stored" if agreement_id else "no agreement stored yet"
        )
    context.out.print(_versions_table(versions))
    chosen = _chosen(versions, at)
    if chosen is None:
        context.out.print(f"no version in force at {at}")
        return
    from ceasefire.agreement.loader import agreement_from_document

    shown = agreement_from_document(chosen.document)
    context.out.print(_zones_table(shown))
    context.out.print(_clauses_table(shown))
    if geojson_out is not None:
        geojson_out.write_text(json.dumps(shown.zones_geojson(), indent=1), encoding="utf-8")
        context.out.print(f"wrote {geojson_out}")


def _chosen(versions: list[StoredAgreement], at: str | None) -> StoredAgreement | None:
    if at is None:
        return versions[-1]
    moment = datetime.fromisoformat(at)
    if moment.tzinfo is None:
        raise click.BadParameter("give the time with its UTC offset", param_hint="--at")
    in_force = [v for v in versions if v.in_force_from <= moment]
    return in_force[-1] if in_force else None


def _versions_table(versions: list[StoredAgreement]) -> Table:
    from rich.table import Table

    table = Table(title="Stored agreement versions")
    for column in ("agreement", "version", "in force from", "title", "sha256"):
        table.add_column(column)
    for version in versions:
        table.add_row(
            version.agreement_id,
            version.version,
            version.in_force_from.isoformat(),
            version.title,
            version.sha256[:12],
        )
    return table


def _zones_table(shown: Agreement) -> Table:
    from rich.table import Table

    table = Table(title=f"Zones of {shown.id} {shown.version}")
    for column in ("zone", "kind", "weapon classes", "area km²"):
        table.add_column(column)
    for zone in shown.zones:
        table.add_row(
            zone.id,
            zone.kind.value,
            ", ".join(zone.weapon_classes) or "—",
            f"{zone.geometry_metric.area / 1e6:,.1f}",
        )
    return table


def _clauses_table(shown: Agreement) -> Table:
    from rich.table import Table

    table = Table(title=f"Clauses of {shown.id} {shown.version}")
    for column in ("clause", "in force from", "what", "where", "source"):
        table.add_column(column)
    for clause in shown.clauses:
        where = "everywhere" if clause.where.everywhere else ", ".join(clause.where.zones)
        what = ", ".join(a.value for a in clause.activities) or "—"
        table.add_row(
            clause.id, clause.when.in_force_from.isoformat(), what, where, str(clause.source)
        )
    return table
