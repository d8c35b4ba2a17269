"""The ``ceasefire`` command line: a thin shell over the core.

``ceasefire.cli.cli`` is the click group with every command attached (see
:mod:`ceasefire.cli.commands`); the outsider's verifier, :mod:`ceasefire.cli.verify`, stands
alone and needs no CLI framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {"cli": "ceasefire.cli.commands", "main": "ceasefire.cli.commands"}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.cli.commands import cli, main

__all__ = ["cli", "main"]
