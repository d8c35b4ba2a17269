"""``ceasefire formats``: every intake adapter, how it is recognised, and its options."""

from __future__ import annotations

import json
from typing import Any

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1

__all__ = ["formats"]


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the adapters as a JSON array.")
@pass_context
@refusals_exit_1
def formats(context: Context, as_json: bool) -> None:
    """List the intake formats (adapters) with their suffixes, encodings and options.

    Give a format to ingest with --format NAME and its options with -o KEY=VALUE; --format
    auto tells a file's format by its extension and content.

    \b
    Example:
        ceasefire formats --json
    """
    from ceasefire.intake.readers import READERS, describe_options

    listing: list[dict[str, Any]] = [
        {
            "name": reader.name,
            "description": reader.description,
            "suffixes": list(reader.suffixes),
            "recognised_by_content": reader.recognise is not None,
            "encodings": list(reader.encodings),
            "options": [option.to_dict() for option in describe_options(reader.options)],
        }
        for reader in READERS.values()
    ]
    if as_json:
        click.echo(json.dumps(listing, indent=1, ensure_ascii=False))
        return
    for entry in listing:
        recognised = ", ".join(
            [*entry["suffixes"], *(["content"] if entry["recognised_by_content"] else [])]
        )
        context.out.print(
            f"[bold]{entry['name']}[/]: {entry['description']} "
            f"(recognised by {recognised}; encodings {', '.join(entry['encodings'])})",
            highlight=False,
        )
        for option in entry["options"]:
            default = "" if option["default"] is None else option["default"]
            context.out.print(
                f"    -o {option['name']}={default}  ({option['type']}) {option['help']}",
                highlight=False,
                markup=False,
            )
