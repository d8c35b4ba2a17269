"""The command-line reference (``docs/cli.md``), generated from the commands' own help.

``make docs`` writes it; a test fails when the committed page differs from what the code says,
so the reference cannot drift from the commands.
"""

from __future__ import annotations

import click

from ceasefire.cli import verify
from ceasefire.cli.commands import cli

__all__ = ["CONVENTIONS", "render_reference"]

_WIDTH = 100

#: How every command behaves; the contract a script can rely on (the code: ``cli/render.py``).
CONVENTIONS = """\
## Conventions (every command)

- **Exit codes**: 0 success; 1 input refused (each reason on stderr, one line each); 2 usage
  error (a bad option or time, an ambiguous id, a `--db` naming no store). No user error ends in
  a traceback.
- **The store must exist** for every command that only reads (`reports`, `sources`,
  `quarantine`, `agreement show`, `ledger verify|checkpoints|prove|bundle`, ...): a `--db` that
  names nothing is refused with ``no store at PATH; create one with `ceasefire init` `` (exit 2)
  instead of answering from a new, empty store. `init`, `ingest` and `agreement load` create it.
- **Tables** on a terminal show ids whole; **piped**, a table is one tab-separated line per row,
  with no title and no header (as `gh` does): `ceasefire reports | cut -f1` lists the ids. A
  summary line (`2 accepted, 0 duplicate, 0 rejected`) then goes to stderr.
- **Ids**: wherever an id is taken, a unique prefix of at least 4 characters will do, as in git;
  an ambiguous one is refused with the candidates.
- **Times**: options (`--at`, `--since`, `--until`) take ISO 8601 with a UTC offset
  (`2020-09-15T21:40+03:00` or `...Z`), read by the same parser as the records; tables show
  every time in UTC, to the second, with `Z`. JSON keeps times as they were received.
- **Positions** are longitude first (`lon, lat`), as GeoJSON and every input have them.
- **Unknown** values are shown as `—` in tables (empty in CSV, `null` in JSON), never as a
  default that looks measured.
- **Roots and hashes of the ledger** are standard padded base64, as the signed checkpoints carry
  them. (File digests such as an agreement's `sha256` stay hex, as `sha256sum` prints them.)
- **Machine output**: `--json` (one document, or one JSON object per line for lists) and
  `reports --format json|csv|geojson` are printed as is, never wrapped or styled.
  `reports --format json` prints each report's stored document (the intake format, with `id` and
  `received_at`) one per line; `csv` has the columns `id,source,observed_at,activity,count,lon,
  lat,±m`; `geojson` is a FeatureCollection of Points (`null` geometry where no position is
  known) whose properties are the stored document plus `uncertainty_m`.
"""


def render_reference() -> str:
    """Return the Markdown reference of every command, in the order a reader meets them."""
    parts = [
        "# Command-line reference\n",
        "Generated from the commands' `--help` by `make docs`; do not edit by hand.\n",
        CONVENTIONS,
    ]
    for path, command in _walk(cli, ("ceasefire",)):
        context = click.Context(
            command,
            info_name=" ".join(path),
            terminal_width=_WIDTH,
            help_option_names=["-h", "--help"],
        )
        context.max_content_width = _WIDTH
        parts.append(f"## `{' '.join(path)}`\n\n```text\n{command.get_help(context)}\n```\n")
    # The outsider's verifier is its own small program (argparse, no CLI framework).
    verifier_help = verify.parser().format_help().rstrip()
    parts.append(f"## `ceasefire-verify`\n\n```text\n{verifier_help}\n```\n")
    return "\n".join(parts)


def _walk(
    command: click.Command, path: tuple[str, ...]
) -> list[tuple[tuple[str, ...], click.Command]]:
    found = [(path, command)]
    if isinstance(command, click.Group):
        for name in sorted(command.commands):
            found.extend(_walk(command.commands[name], (*path, name)))
    return found


if __name__ == "__main__":
    import sys
    from pathlib import Path

    Path(sys.argv[1]).write_text(render_reference(), encoding="utf-8")
