"""Ids on the command line: the full id, or a unique prefix of it, as git takes commit ids.

Tables print ids in full (so they can be pasted back); typing 34 characters is still a chore, so
every command that takes a record id passes it through :func:`resolve_id` first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from ceasefire.store import Store

__all__ = ["MIN_PREFIX", "resolve_id"]

#: The shortest prefix taken: shorter ones ("r-") would match nearly everything.
MIN_PREFIX = 4


def resolve_id(store: Store, given: str) -> str:
    """Return the one logged record id that ``given`` is, or is a unique prefix of.

    Args:
        store: the open store.
        given: an id or its prefix, as typed.

    Returns:
        The full id (``given`` itself when it is a whole id, or matches nothing: the command's
        own "not found" then names it).

    Raises:
        click.UsageError: the prefix is too short or matches more than one record (exit 2).
    """
    matches = store.record_ids_with_prefix(given, limit=6)
    if given in matches or not matches:
        return given
    if len(given) < MIN_PREFIX:
        raise click.UsageError(f"id prefix {given!r} is too short: give at least {MIN_PREFIX}")
    if len(matches) > 1:
        listed = ", ".join(matches[:5]) + (", …" if len(matches) > 5 else "")
        raise click.UsageError(f"id prefix {given!r} is ambiguous: it starts {listed}")
    return matches[0]
