"""The house plan: which room may import which, checked on every module's imports (even local ones).

Imports run down the way data walks and never from the core into a shell or a store: the ledger
stands on its own, the nouns (``model``) know no stage, every stage knows the nouns, and only the
shells (``store``, ``cli``, ``web``, ``feeds``) may reach everything.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import ceasefire

PACKAGE = Path(ceasefire.__file__).parent
KERNEL = {"errors", "clock", "_lazy"}

#: Each room of the package and the rooms it may import (besides itself and the kernel).
ALLOWED: dict[str, set[str]] = {
    "ledger": set(),
    "geo": set(),
    "model": {"ledger", "geo"},
    "agreement": {"model", "geo"},
    "intake": {"model", "geo", "ledger", "agreement"},
    "fusion": {"model", "geo", "ledger"},
    "verification": {"model", "geo", "ledger", "agreement", "fusion"},
    "simulation": {"model", "geo", "ledger", "agreement"},
    "evaluation": {"model", "geo", "agreement", "fusion", "verification"},
    "publication": {"model", "geo", "ledger", "agreement", "intake", "fusion", "verification"},
    "store": {"model", "geo", "ledger", "agreement", "intake", "fusion", "verification"},
    "feeds": {"model", "geo", "ledger", "agreement", "intake", "store"},
    "web": {
        "model", "geo", "ledger", "agreement", "intake", "fusion", "verification",
        "publication", "store",
    },
    "cli": {
        "model", "geo", "ledger", "agreement", "intake", "fusion", "verification",
        "publication", "store", "web", "feeds", "simulation", "evaluation",
    },
}  # fmt: skip


def _room(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def _imported_rooms(path: Path) -> set[str]:
    rooms: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module]
        for name in names:
            parts = name.split(".")
            if parts[0] == "ceasefire" and len(parts) > 1:
                rooms.add(parts[1])
    return rooms


MODULES = sorted(p for p in PACKAGE.rglob("*.py") if _room(p) not in {"__init__"})


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_run_one_way(path: Path) -> None:
    """A module imports only its own room, the kernel, and the rooms below it."""
    room = _room(path)
    if room in KERNEL:
        allowed: set[str] = set()
    else:
        assert room in ALLOWED, f"{room} is a room the house plan does not know"
        allowed = ALLOWED[room]
    wrong = _imported_rooms(path) - allowed - KERNEL - {room}
    assert not wrong, f"{path.relative_to(PACKAGE)} ({room}) imports {sorted(wrong)}"


def test_house_plan_knows_every_room() -> None:
    """Every subpackage on disk is a room of the plan, so a new one cannot skip the check."""
    rooms = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert rooms <= set(ALLOWED)


@pytest.mark.parametrize(
    ("command", "heavy"),
    [
        ("from ceasefire.cli.commands import cli", {"shapely", "pyproj", "numpy", "jsonschema"}),
        ("import ceasefire", {"shapely", "pyproj", "numpy", "jsonschema", "yaml", "cryptography"}),
        ("import ceasefire.cli.verify", {"click", "rich", "shapely", "pyproj", "numpy", "yaml"}),
    ],
)
def test_start_up_imports_nothing_heavy(command: str, heavy: set[str]) -> None:
    """Listing the commands, importing the package, and the outsider's verifier stay light: the
    geometry stack (and for the verifier, the CLI framework) is imported only when needed."""
    probe = f"import sys; {command}; print(sorted(m for m in sys.modules if '.' not in m))"
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert not {name for name in heavy if f"'{name}'" in loaded}
