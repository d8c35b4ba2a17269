"""The ``ceasefire`` command group, its shared options and its exit codes.

Exit codes: 0 success; 1 the input was refused (the reasons go to stderr); 2 usage error (click's
own). Each command parses its arguments, makes one call into the core and renders the result.
"""

from __future__ import annotations

import functools
import inspect
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import click

from ceasefire import __version__
from ceasefire.clock import SystemClock
from ceasefire.errors import CeasefireError, InputRefused

if TYPE_CHECKING:  # rich and the store are imported when a command runs, not for --help
    from rich.console import Console

    from ceasefire.store import Store

__all__ = [
    "Command",
    "Context",
    "Group",
    "cli",
    "main",
    "pass_context",
    "progress",
    "refusals_exit_1",
]

P = ParamSpec("P")
R = TypeVar("R")

DEFAULT_DB = "ceasefire.db"


@dataclass
class Context:
    """What every command gets: where the store is, the clock, and the consoles."""

    db: str
    out: Console
    err: Console
    clock: SystemClock

    def store(self) -> Store:
        """Open the store named by ``--db`` (creating or upgrading its schema)."""
        from ceasefire.store import open_store

        return open_store(self.db)


pass_context = click.make_pass_decorator(Context)


def refusals_exit_1(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the core's refusals into a message on stderr and exit code 1.

    Anything else is a bug and keeps its traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except CeasefireError as error:
            from rich.console import Console
            from rich.markup import escape

            console = Console(stderr=True)
            label = "refused" if isinstance(error, InputRefused) else "error"
            # The message quotes user input (a path, an id): escaped, so it is never markup.
            console.print(f"[bold red]{label}:[/] {escape(str(error))}", highlight=False)
            raise SystemExit(1) from None

    return wrapper


class _ExampleLast:
    """Print the docstring's ``Example:`` section after the options, so help ends with it."""

    help: str | None

    def _split(self) -> tuple[str, str]:
        text = inspect.cleandoc(self.help or "")
        body, marker, example = text.partition("\n\b\nExample:")
        return body, (marker + example).strip("\n")

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        body, _ = self._split()
        if body:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(body)

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _, example = self._split()
        if example:
            formatter.write_paragraph()
            with formatter.indentation():
                formatter.write_text(example)


class Command(_ExampleLast, click.Command):
    """A command whose help ends with its example."""


class Group(_ExampleLast, click.Group):
    """A group whose help ends with its example, and whose commands do too."""

    command_class = Command
    group_class = type


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.option(
    "--db",
    default=lambda: os.environ.get("CEASEFIRE_DB", DEFAULT_DB),
    show_default=f"$CEASEFIRE_DB or ./{DEFAULT_DB}",
    help="The store: a SQLite file path, sqlite:///path, or postgresql://user@host/dbname.",
)
@click.version_option(__version__, prog_name="ceasefire")
@click.pass_context
def cli(ctx: click.Context, db: str) -> None:
    """Monitor and verify a ceasefire: the agreement as data, intake, and the record.

    \b
    Example:
        ceasefire demo
    """
    from rich.console import Console

    # soft_wrap: messages naming a file, field and reason stay on one line, for grep and logs.
    ctx.obj = Context(
        db=db,
        out=Console(soft_wrap=True),
        err=Console(stderr=True, soft_wrap=True),
        clock=SystemClock(),
    )


@cli.command()
@click.option(
    "--origin",
    help="Name of the store's ledger in its signed checkpoints (only when creating the store), "
    "e.g. mission.example/ceasefire-log.",
)
@pass_context
@refusals_exit_1
def init(context: Context, origin: str | None) -> None:
    """Create the store (or upgrade its schema) and say where it is and what its ledger is called.

    \b
    Example:
        ceasefire --db mission.db init --origin mission.example/ceasefire-log
    """
    from ceasefire.store import open_store

    with open_store(context.db, origin=origin) as store:
        counts = store.counts()
        log_origin, log_size = store.ledger_origin(), store.ledger_size()
    where = context.db if "://" in context.db else str(Path(context.db).resolve())
    context.out.print(
        f"store ready at {where}: {counts.reports} reports, "
        f"{counts.agreement_versions} agreement versions, {counts.quarantined} in quarantine; "
        f"ledger {log_origin} with {log_size} entries"
    )


@contextmanager
def progress(
    context: Context, label: str, total: int, shown: bool
) -> Iterator[Callable[[int], None]]:
    """A transient progress bar on stderr; yields ``advance(count)``. Hidden when not ``shown``
    (small inputs, or output meant for machines)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=context.err,
        transient=True,
        disable=not shown,
    ) as bar:
        task = bar.add_task(label, total=total)
        yield lambda count: bar.advance(task, count)


def main() -> None:
    """Run the command line."""
    cli()
