"""The CLI's one renderer: user values are shown exactly as given, whatever they hold."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

from hypothesis import given
from hypothesis import strategies as st
from rich.console import Console

from ceasefire.cli.render import UNKNOWN, cell, digest, lon_lat, say, table, when
from ceasefire.model._fields import timestamp


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    buffer = io.StringIO()
    console = Console(file=buffer, force_terminal=terminal, width=400, color_system=None)
    return console, buffer


#: Text a user may send: anything printable, with rich's markup characters made likely.
USER_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))
    | st.sampled_from("[]/\\"),
    min_size=1,
    max_size=40,
)


@given(USER_TEXT)
def test_say_prints_user_values_verbatim(value: str) -> None:
    """Whatever a value holds ([bold], [/], backslashes), say() prints it exactly."""
    console, buffer = _console(terminal=False)
    say(console, "[red]✗[/] {value}", value=value)
    say(console, "[red]{value}[/] after", value=value)
    assert buffer.getvalue() == f"✗ {value}\n{value} after\n"


@given(USER_TEXT)
def test_tables_show_user_values_verbatim_on_a_terminal(value: str) -> None:
    """A cell holding markup-like text appears in the rendered table as it was given."""
    console, buffer = _console(terminal=True)
    table(console, "t", ("id", "text"), [("r-1", value.strip() or "x")])
    assert (value.strip() or "x") in buffer.getvalue()


@given(st.lists(st.lists(USER_TEXT, min_size=3, max_size=3), max_size=5))
def test_piped_tables_are_one_tab_separated_line_per_row(rows: list[list[str]]) -> None:
    """Piped, every row is one line of exactly as many tab-separated fields as columns, even
    when a value holds a tab or a newline."""
    console, buffer = _console(terminal=False)
    table(console, "t", ("a", "b", "c"), [[*row[:2], row[2] + "\t\n"] for row in rows])
    lines = buffer.getvalue().splitlines()
    assert len(lines) == len(rows)
    assert all(len(line.split("\t")) == 3 for line in lines)


def test_markup_example_from_the_issue() -> None:
    """The two examples of the issue, `[lon, lat]` and `[bold]explosion[/bold]`, survive."""
    console, buffer = _console(terminal=True)
    say(console, "[bold red]refused:[/] {reason}", reason="give [lon, lat]")
    table(console, "Reports", ("id", "narrative"), [("r-1", "[bold]explosion[/bold]")])
    out = buffer.getvalue()
    assert "give [lon, lat]" in out
    assert "[bold]explosion[/bold]" in out


@given(
    st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_times_render_in_utc_and_read_back_as_the_same_instant(
    moment: datetime, minutes: int
) -> None:
    """when() writes any aware time as UTC with Z; the one parser reads it back to the same
    instant (to the second)."""
    aware = moment.replace(microsecond=0, tzinfo=timezone(timedelta(minutes=minutes)))
    text = when(aware)
    assert text.endswith("Z")
    assert timestamp(text, "t") == aware


def test_unknown_values_are_a_dash_not_a_default() -> None:
    """None, an empty string and a missing position render as "—", never 0 or 0.0."""
    assert cell(None) == UNKNOWN
    assert cell("") == UNKNOWN
    assert lon_lat(None, 48.0) == UNKNOWN
    assert when(None) == UNKNOWN
    assert cell(0) == "0"  # a measured zero stays a zero


def test_positions_are_longitude_first_and_roots_base64() -> None:
    """lon_lat puts longitude first; digests are standard padded base64 as in checkpoints."""
    assert lon_lat(37.75, 48.14) == "37.75000, 48.14000"
    assert digest(bytes(32)) == "A" * 43 + "="
