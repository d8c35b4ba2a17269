"""``ceasefire agreement check|load|show``: the ceasefire's terms as data."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import TIME, Context, cli, pass_context, refusals_exit_1
from ceasefire.cli.render import say, table, when
from ceasefire.errors import AgreementInvalid, NotFound

if TYPE_CHECKING:
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

    from ceasefire.agreement.loader import load_agreement

    try:
        return load_agreement(path)
    except AgreementInvalid as error:
        for problem in error.problems:
            say(context.err, "[red]✗[/] {problem}", problem=problem)
        say(
            context.err,
            "[bold red]refused:[/] {count} problem(s) in {path}",
            count=len(error.problems),
            path=path,
        )
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
    say(
        context.out,
        "[green]✓[/] {file}: agreement {id} version {version}, {zones} zones, {clauses} clauses: "
        "no problems",
        file=file,
        id=loaded.id,
        version=loaded.version,
        zones=len(loaded.zones),
        clauses=len(loaded.clauses),
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
    with context.store(create=True) as store:
        added = store.add_agreement(record)
    say(
        context.out,
        "{verb} agreement {id} version {version} (in force from {since})",
        verb="stored" if added else "already stored, nothing changed:",
        id=loaded.id,
        version=loaded.version,
        since=when(loaded.in_force_from),
    )


@agreement.command()
@click.argument("agreement_id", required=False)
@click.option(
    "--at", "at", type=TIME, help="Show the version in force at this ISO time (default: latest)."
)
@click.option(
    "--geojson",
    "geojson_out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the lines and zones as GeoJSON (WGS84) to this file.",
)
@pass_context
@refusals_exit_1
def show(
    context: Context, agreement_id: str | None, at: datetime | None, geojson_out: Path | None
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
    chosen = _chosen(versions, at)
    table(
        context.out,
        "Stored agreement versions",
        ("agreement", "version", "in force from", "title", "sha256"),
        [(v.agreement_id, v.version, v.in_force_from, v.title, v.sha256) for v in versions],
    )
    if chosen is None:
        say(context.err, "no version in force at {at}", at=when(at))
        return
    from ceasefire.agreement.loader import agreement_from_document

    shown = agreement_from_document(chosen.document)
    _print_terms(context, shown)
    if geojson_out is not None:
        geojson_out.write_text(json.dumps(shown.zones_geojson(), indent=1), encoding="utf-8")
        say(context.err, "wrote {path}", path=geojson_out)


def _chosen(versions: list[StoredAgreement], at: datetime | None) -> StoredAgreement | None:
    """The version in force at ``at`` (the latest begun by then), or the latest one."""
    if at is None:
        return versions[-1]
    in_force = [v for v in versions if v.in_force_from <= at]
    return in_force[-1] if in_force else None


def _print_terms(context: Context, shown: Agreement) -> None:
    """Print one version's zones and clauses."""
    table(
        context.out,
        f"Zones of {shown.id} {shown.version}",
        ("zone", "kind", "weapon classes", "area km²"),
        [
            (
                zone.id,
                zone.kind,
                ", ".join(zone.weapon_classes),
                f"{zone.geometry_metric.area / 1e6:,.1f}",
            )
            for zone in shown.zones
        ],
    )
    table(
        context.out,
        f"Clauses of {shown.id} {shown.version}",
        ("clause", "in force from", "what", "where", "source"),
        [
            (
                clause.id,
                clause.when.in_force_from,
                ", ".join(a.value for a in clause.activities),
                "everywhere" if clause.where.everywhere else ", ".join(clause.where.zones),
                clause.source,
            )
            for clause in shown.clauses
        ],
    )
