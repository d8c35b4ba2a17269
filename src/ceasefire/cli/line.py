"""``ceasefire line``: derive a line of contact from a control map, and diff two control maps."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.errors import InputRefused

__all__ = ["line"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.group()
def line() -> None:
    """Lines of contact from maps of controlled territory (NZZ, DeepStateMap).

    \b
    Example:
        ceasefire line derive --from ordlo.geojson --border countries.geojson --out line.geojson
    """


def _areas(path: Path, *, each: bool = False) -> Any:
    from ceasefire.geo.contact_line import read_areas, read_polygons

    try:
        return read_polygons(path) if each else read_areas(path)
    except (ValueError, OSError) as error:
        raise InputRefused(str(error)) from None


@line.command()
@click.option("--from", "source", type=_FILE, required=True, help="GeoJSON of controlled area.")
@click.option("--border", type=_FILE, help="GeoJSON of countries: cut the border and coast.")
@click.option(
    "--tolerance-m",
    type=click.FloatRange(0, 50_000),
    default=500.0,
    show_default=True,
    help="Simplify the line to this tolerance (metres).",
)
@click.option(
    "--border-tolerance-m",
    type=click.FloatRange(0, 50_000),
    default=3000.0,
    show_default=True,
    help="Cut boundary within this distance of the border or coast (metres).",
)
@click.option(
    "--min-run-km",
    type=click.FloatRange(0, 10_000),
    default=15.0,
    show_default=True,
    help="Drop runs shorter than this after cutting (where the maps disagree).",
)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--json", "as_json", is_flag=True, help="Print a summary as JSON.")
@pass_context
@refusals_exit_1
def derive(
    context: Context,
    source: Path,
    border: Path | None,
    tolerance_m: float,
    border_tolerance_m: float,
    min_run_km: float,
    out: Path,
    as_json: bool,
) -> None:
    """Derive the line of contact: the controlled area's boundary minus border and coast.

    The result is a GeoJSON LineString per run (longest first) with its length, ends and the
    settings used, for an agreement to reference. Lengths are geodesic.

    \b
    Example:
        ceasefire line derive --from ordlo.geojson --border countries.geojson --out line.geojson
    """
    from ceasefire.geo.contact_line import derive_line

    derived = derive_line(
        _areas(source),
        _areas(border, each=True) if border is not None else None,
        tolerance_m=tolerance_m,
        border_tolerance_m=border_tolerance_m,
        min_run_km=min_run_km,
    )
    if not derived.runs:
        raise InputRefused(
            f"{source.name}: nothing is left of the boundary after cutting the border and coast"
        )
    out.write_text(json.dumps(derived.to_geojson(source.name), ensure_ascii=False) + "\n")
    summary: dict[str, Any] = {
        "out": str(out),
        "length_km": round(derived.length_km, 1),
        "runs": [feature["properties"] for feature in derived.to_geojson(source.name)["features"]],
        "dropped_runs_km": list(derived.dropped_runs_km),
        "boundary_km": round(derived.boundary_km, 1),
    }
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=1))
        return
    context.out.print(
        f"{out}: {summary['length_km']} km in {len(derived.runs)} run(s) (boundary "
        f"{summary['boundary_km']} km; {len(derived.dropped_runs_km)} short runs dropped)",
        highlight=False,
    )
    for run in summary["runs"]:
        context.out.print(
            f"  run {run['run']}: {run['length_km']} km from {run['start']} to {run['end']}",
            highlight=False,
        )


@line.command()
@click.argument("before", type=_FILE)
@click.argument("after", type=_FILE)
@click.option("--holder", default="holder", show_default=True, help="Who holds the mapped area.")
@click.option("--other", default="other side", show_default=True, help="The other side.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write changes.")
@click.option("--json", "as_json", is_flag=True, help="Print the change, with its areas, as JSON.")
@pass_context
@refusals_exit_1
def diff(
    context: Context,
    before: Path,
    after: Path,
    holder: str,
    other: str,
    out: Path | None,
    as_json: bool,
) -> None:
    """Report where control changed between two snapshots: km² gained by each side.

    BEFORE and AFTER map the territory one side holds (DeepStateMap: the occupied area). The
    changed areas are a GeoJSON FeatureCollection whose features say who gained them.

    \b
    Example:
        ceasefire line diff ds_20241001.geojson ds_20241101.geojson --holder RU --other UA
    """
    from ceasefire.geo.contact_line import diff_control

    change = diff_control(_areas(before), _areas(after))
    changed = change.to_geojson()
    for feature in changed["features"]:
        label = feature["properties"]["gained_by"]
        feature["properties"]["gained_by"] = holder if label == "holder" else other
    result = {
        "before": before.name,
        "after": after.name,
        "gained_km2": {holder: round(change.gained_km2, 2), other: round(change.lost_km2, 2)},
        "changed": changed,
    }
    if out is not None:
        out.write_text(json.dumps(changed, ensure_ascii=False) + "\n")
    if as_json:
        click.echo(json.dumps(result, ensure_ascii=False))
        return
    _print_change(context, result, _count(changed))


def _count(changed: dict[str, Any]) -> int:
    return len(changed["features"])


def _print_change(context: Context, result: dict[str, Any], patches: int) -> None:
    gains = ", ".join(f"{side} gained {km2:,.1f} km²" for side, km2 in result["gained_km2"].items())
    context.out.print(
        f"{result['before']} → {result['after']}: {gains} ({patches} changed areas)",
        highlight=False,
    )
