"""The command-line reference (``docs/cli.md``), generated from the commands' own help.

``make docs`` writes it; a test fails when the committed page differs from what the code says,
so the reference cannot drift from the commands.
"""

from __future__ import annotations

import click

from ceasefire.cli import verify
from ceasefire.cli.commands import cli

__all__ = ["render_reference"]

_WIDTH = 100


def render_reference() -> str:
    """Return the Markdown reference of every command, in the order a reader meets them."""
    parts = [
        "# Command-line reference\n",
        "Generated from the commands' `--help` by `make docs`; do not edit by hand.\n",
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
