"""The ``ceasefire`` command line: a thin shell over the core.

Importing this package attaches every command module to the one click group.
"""

from ceasefire.cli import agreement, demo, intake, ledger  # noqa: F401  (they attach commands)
from ceasefire.cli.main import cli, main

__all__ = ["cli", "main"]
