"""The ``ceasefire`` command line: a thin shell over the core."""

from ceasefire.cli.main import main

__all__ = ["main"]
