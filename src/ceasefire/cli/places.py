"""``ceasefire places``: look place names up in the loaded gazetteers, and load gazetteers."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.errors import InputRefused

if TYPE_CHECKING:
    from ceasefire.geo._katottg import OfficialName
    from ceasefire.geo.gazetteer import PlaceIndex
    from ceasefire.geo.places import PlaceBook

__all__ = ["places"]

DEFAULT_DIR = "ceasefire-places"


@cli.group()
@click.option(
    "--dir",
    "places_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=lambda: os.environ.get("CEASEFIRE_PLACES", DEFAULT_DIR),
    show_default=f"$CEASEFIRE_PLACES or ./{DEFAULT_DIR}",
    help="Where loaded gazetteers are kept.",
)
@click.pass_context
def places(ctx: click.Context, places_dir: Path) -> None:
    """Resolve place names (GeoNames, KATOTTG, the bundled gazetteer) and load gazetteers.

    \b
    Example:
        ceasefire places resolve Marinka --oblast Donetsk --json
    """
    ctx.meta["places_dir"] = places_dir


def _near(value: str | None) -> tuple[float, float] | None:
    if value is None:
        return None
    try:
        lon_text, lat_text = value.split(",")
        lon, lat = float(lon_text), float(lat_text)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not LON,LAT", param_hint="--near") from None
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise click.BadParameter(f"{value!r} is not a point on Earth", param_hint="--near")
    return lon, lat


def _book(places_dir: Path, files: tuple[Path, ...]) -> PlaceBook:
    """The gazetteers named with --gazetteer, else the loaded ones, else the bundled one."""
    from ceasefire.geo.gazetteer import bundled
    from ceasefire.geo.places import PlaceBook

    sources = list(files) or (sorted(places_dir.glob("*.csv")) if places_dir.is_dir() else [])
    if not sources:
        return PlaceBook([bundled()])
    indexes, official = [], []
    for path in sources:
        loaded = _read(path)
        if isinstance(loaded, list):
            official.extend(loaded)
        else:
            indexes.append(loaded)
    return PlaceBook(indexes, official)


def _read(path: Path) -> PlaceIndex | list[OfficialName]:
    """Read a gazetteer file, turning its problems into a refusal that names it."""
    from ceasefire.geo.places import read_places_file

    try:
        return read_places_file(path)
    except UnicodeDecodeError:
        raise InputRefused(f"{path.name}: not UTF-8; save it as UTF-8") from None
    except (ValueError, OSError) as error:
        raise InputRefused(str(error)) from None


@places.command()
@click.argument("name")
@click.option("--oblast", help="Keep candidates in this oblast (Donetsk, Донецька, or 05).")
@click.option("--near", "near_text", metavar="LON,LAT", help="A known point near the place.")
@click.option(
    "--gazetteer",
    "files",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Look up in this GeoNames-layout or KATOTTG CSV instead of the loaded ones; repeatable.",
)
@click.option("--json", "as_json", is_flag=True, help="Print {query, status, candidates} as JSON.")
@pass_context
@refusals_exit_1
def resolve(
    context: Context,
    name: str,
    oblast: str | None,
    near_text: str | None,
    files: tuple[Path, ...],
    as_json: bool,
) -> None:
    """Say what a place name designates: resolved (one place), ambiguous or unknown.

    Spellings meet through Ukraine's national transliteration and the common English and
    Russian-derived forms; a name nothing matches exactly is matched fuzzily, with its score.
    An ambiguous name is listed with its candidates, never silently resolved. Exit code 1
    unless the name resolves.

    \b
    Example:
        ceasefire places resolve "Stanytsia Luhanska" --json
    """
    near = _near(near_text)
    places_dir: Path = click.get_current_context().meta["places_dir"]
    lookup = _book(places_dir, files).resolve(name, oblast=oblast, near=near)
    if as_json:
        click.echo(json.dumps(lookup.to_dict(), ensure_ascii=False, indent=1))
    else:
        context.out.print(f"{lookup.query}: {lookup.status.value}", highlight=False)
        for candidate in lookup.candidates:
            where = (
                "no coordinates"
                if candidate.lon is None or candidate.lat is None
                else f"{candidate.lon:.5f}, {candidate.lat:.5f}"
            )
            context.out.print(
                f"  {candidate.name} ({candidate.admin1}) {where}  score {candidate.score:g}  "
                f"[{candidate.source}]",
                highlight=False,
                markup=False,
            )
    if lookup.status.value != "resolved":
        raise SystemExit(1)


@places.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@pass_context
@refusals_exit_1
def load(context: Context, file: Path) -> None:
    """Check a gazetteer (GeoNames-layout or KATOTTG CSV) and keep it for places resolve.

    The file is read whole first; a malformed one is refused naming its line and nothing is
    kept. Loading a file of the same name again replaces it.

    \b
    Example:
        ceasefire places load gazetteer_geonames_cities500_UA.csv
    """
    loaded = _read(file)
    places_dir: Path = click.get_current_context().meta["places_dir"]
    places_dir.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(file, places_dir / file.name)
    if isinstance(loaded, list):
        kind = f"{len(loaded)} official settlement names (KATOTTG, no coordinates)"
    else:
        kind = f"{len(loaded)} places with coordinates"
    context.out.print(f"loaded {file.name}: {kind}, kept in {places_dir}", highlight=False)
