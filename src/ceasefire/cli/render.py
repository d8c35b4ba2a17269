"""The one place the CLI's text reaches the terminal: every command renders through here.

Why one place: user text (a record's narrative, a file name, a reason naming ``[lon, lat]``) must
never be read as rich markup, tables must show what an operator will paste back (full ids), and
output piped into ``cut``/``awk`` must read as well as output on a terminal. Doing that once here
means a new command gets it by calling these few functions. The conventions, for every command:

* **Messages**: ``say(console, "[green]✓[/] {what}", what=value)``. The template is ours and may
  hold markup; every value is escaped (``rich.markup.escape``) before it is put in. Never pass
  user text as the template. ``fail(console, label, message)`` prints an ``error:``/``refused:``
  line the same way.
* **Tables**: ``table(console, title, columns, rows)``. On a terminal, a rich table of plain
  ``Text`` cells (never markup) that wrap rather than truncate, the id column never wrapped;
  piped, one tab-separated line per row with no title and no header, as ``gh`` does, so
  ``ceasefire reports | cut -f1`` gives the ids.
* **Cells**: ``cell(value)``: ``None`` (unknown) is "—", never a default that looks measured;
  times are ``when(dt)``: UTC, ISO 8601, ``Z`` (one time convention for every table; JSON keeps
  the offset as received); coordinates are ``lon_lat(lon, lat)``, longitude first, as every input
  (GeoJSON, the CSV columns) writes them; hashes and roots are ``digest(bytes)``: standard padded
  base64, the encoding the signed checkpoints themselves use.
* **Machine output** (``--json``, JSON lines, CSV, GeoJSON) goes through ``click.echo``, never
  through rich, so nothing in it is interpreted or wrapped.
"""

from __future__ import annotations

import base64
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rich.console import Console

__all__ = [
    "UNKNOWN",
    "cell",
    "digest",
    "escape",
    "fail",
    "lon_lat",
    "say",
    "table",
    "when",
]

#: What a table shows for a value nobody knows.
UNKNOWN = "—"


def escape(text: str) -> str:
    """Return ``text`` with everything rich would read as markup escaped (``[bold]`` shown as is).

    rich is imported here rather than at the top, so that ``ceasefire --help`` does not pay for it.
    """
    from rich.markup import escape as rich_escape

    return rich_escape(text)


def say(console: Console, template: str, **values: object) -> None:
    """Print a line whose template is ours (may hold markup) and whose values are escaped.

    Args:
        console: ``context.out`` or ``context.err``.
        template: a ``str.format`` template written in the code, never user text.
        values: the values to put in; each is turned to text and escaped.
    """
    from string import Formatter

    pieces = list(Formatter().parse(template))
    parts: list[str] = []
    for number, (literal, name, _, _) in enumerate(pieces):
        parts.append(literal)
        if name is None:
            continue
        value = str(values[name])
        following = pieces[number + 1][0] if number + 1 < len(pieces) else ""
        # rich doubles a trailing backslash so that it cannot escape a tag that follows; when
        # plain text follows, that extra backslash would be printed, so escape as if it did.
        parts.append(escape(value) if following.startswith("[") else escape(value + " ")[:-1])
    console.print("".join(parts), highlight=False)


def fail(console: Console, label: str, message: object) -> None:
    """Print ``label: message`` in red, the message escaped (``refused``, ``error``)."""
    say(console, "[bold red]{label}:[/] {message}", label=label, message=message)


def when(moment: datetime | None) -> str:
    """Render a time in the CLI's one convention: UTC, ISO 8601 to the second, with ``Z``."""
    if moment is None:
        return UNKNOWN
    return moment.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="seconds") + "Z"


def lon_lat(lon: float | None, lat: float | None) -> str:
    """Render a position longitude first, as every input writes it."""
    if lon is None or lat is None:
        return UNKNOWN
    return f"{lon:.5f}, {lat:.5f}"


def digest(data: bytes) -> str:
    """Render a hash or tree root as standard padded base64, as checkpoints carry them."""
    return base64.b64encode(data).decode("ascii")


def cell(value: object) -> str:
    """Render one table cell: unknown is "—", times and enums in the house form."""
    if value is None or value == "":
        return UNKNOWN
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, bytes):
        return digest(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(getattr(value, "value", value))


def table(
    console: Console,
    title: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    whole: int = 1,
) -> None:
    """Print rows as a table on a terminal, or as tab-separated lines when piped.

    Args:
        console: where to print.
        title: the table's title (terminal only).
        columns: the column headings (terminal only).
        rows: the rows; each value goes through :func:`cell` and is escaped.
        whole: how many leading columns are never wrapped (ids, to copy and paste whole);
            the other columns wrap to fit the terminal.
    """
    texts = [[cell(value) for value in row] for row in rows]
    if not console.is_terminal:
        for row in texts:
            # A tab or newline inside a value would split the row: show them as escapes.
            line = "\t".join(v.replace("\t", "\\t").replace("\n", "\\n") for v in row)
            console.file.write(line + "\n")
        return
    from rich.table import Table
    from rich.text import Text

    # Text objects, not strings: rich never reads them as markup, so nothing needs escaping.
    shown = Table(title=Text(title, style="table.title"))
    for number, column in enumerate(columns):
        widest = max((len(row[number]) for row in texts), default=0)
        if number < whole:
            shown.add_column(Text(column), no_wrap=True, min_width=widest)
        else:
            shown.add_column(Text(column), overflow="fold")
    for row in texts:
        shown.add_row(*(Text(value) for value in row))
    console.print(shown)
