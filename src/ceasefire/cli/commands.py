"""Every ``ceasefire`` command, attached to the one group: what the entry point runs.

Importing a command module attaches its commands; each module imports the heavy parts of the core
(geometry, the agreement loader) inside its commands, so listing them stays fast.
"""

from __future__ import annotations

from ceasefire.cli import (  # noqa: F401  (importing a command module attaches its commands)
    agreement,
    demo,
    extract,
    formats,
    fusion,
    intake,
    ledger,
    line,
    places,
    publication,
    reports,
    simulation,
    verification,
    web,
)
from ceasefire.cli.main import cli, main

__all__ = ["cli", "main"]
