"""The ``ceasefire`` command group, its shared options and its exit codes.

Exit codes: 0 success; 1 the input was refused (the reasons go to stderr); 2 usage error (click's
own, and a ``--db`` that names no store). Each command parses its arguments, makes one call into
the core and renders the result. How a command is written, so that they all behave alike:

* Decorate it ``@pass_context`` then ``@refusals_exit_1``: the core's refusals (and unreadable
  files) become one ``refused:``/``error:`` line on stderr and exit 1, never a traceback.
* Open the store with ``context.store()``: it refuses a ``--db`` that names no store ("no store at
  PATH; create one with `ceasefire init`", exit 2). Only commands that add records pass
  ``create=True`` (``init``, ``ingest``, ``agreement load``).
* Check every option before printing anything: times through the ``TIME`` parameter type (the one
  ISO 8601 parser, :func:`ceasefire.model._fields.timestamp`), ids with
  ``ceasefire.cli.ids.resolve_id`` (a unique prefix is enough, as in git).
* Print through :mod:`ceasefire.cli.render` (escaped messages, tables that pipe as TSV, "—" for
  unknown, times in UTC) or ``click.echo`` for machine output (``--json``).
* Import heavy parts of the core (geometry, the agreement loader, rich) inside the command, so that
  ``ceasefire --help`` stays fast; ``tests/test_layout.py`` checks it.
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
from ceasefire.errors import CeasefireError, InputRefused, RecordRejected

if TYPE_CHECKING:  # rich and the store are imported when a command runs, not for --help
    from rich.console import Console

    from ceasefire.store import Store

__all__ = [
    "TIME",
    "Command",
    "Context",
    "Group",
    "Timestamp",
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

    def store(self, *, create: bool = False) -> Store:
        """Open the store named by ``--db``, upgrading its schema.

        Args:
            create: make the store when there is none (commands that add records); otherwise a
                ``--db`` naming no store is a usage error, so a typo does not quietly create an
                empty store and report that it holds nothing.

        Raises:
            click.UsageError: there is no store and ``create`` is false (exit 2).
        """
        from ceasefire.store import open_store, store_exists

        if not create and not store_exists(self.db):
            raise click.UsageError(f"no store at {self.db}; create one with `ceasefire init`")
        return open_store(self.db)


pass_context = click.make_pass_decorator(Context)


def refusals_exit_1(command: Callable[P, R]) -> Callable[P, R]:
    """Turn the core's refusals, and files that cannot be read or written, into one line on
    stderr and exit code 1.

    Anything else is a bug and keeps its traceback.
    """

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except (CeasefireError, OSError) as error:
            from rich.console import Console

            from ceasefire.cli.render import fail

            label = "refused" if isinstance(error, InputRefused) else "error"
            if isinstance(error, OSError) and error.filename is not None:
                error = f"{error.filename}: {error.strerror}"  # type: ignore[assignment]
            fail(Console(stderr=True, soft_wrap=True), label, error)
            raise SystemExit(1) from None

    return wrapper


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """A command-line time: ISO 8601 with its UTC offset, read by the one parser the records use.

    ``--at yesterday`` is a usage error naming the option and the reason, before anything runs.
    """

    name = "ISO-TIME"

    def convert(self, value: object, param: click.Parameter | None, ctx: click.Context | None):  # type: ignore[no-untyped-def]
        """Return an aware datetime, or fail with the parser's reason (exit 2)."""
        from datetime import datetime

        from ceasefire.model._fields import timestamp

        if isinstance(value, datetime):
            return value
        try:
            return timestamp(value, param.name if param and param.name else "time")
        except RecordRejected as error:
            self.fail(error.reason, param, ctx)


#: The parameter type of every time option (``--at``, ``--since``, ``--until``).
TIME = Timestamp()


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
    if origin is not None and origin != log_origin:
        raise InputRefused(
            f"the store at {context.db} already names its ledger {log_origin}; "
            "--origin only names the ledger of a new store (a log's origin never changes)"
        )
    where = context.db if "://" in context.db else str(Path(context.db).resolve())
    from ceasefire.cli.render import say

    say(
        context.out,
        "store ready at {where}: {reports} reports, {versions} agreement versions, "
        "{quarantined} in quarantine; ledger {origin} with {size} entries",
        where=where,
        reports=counts.reports,
        versions=counts.agreement_versions,
        quarantined=counts.quarantined,
        origin=log_origin,
        size=log_size,
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
