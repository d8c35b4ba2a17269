"""The public API: what ``ceasefire`` exports, and the house rules every module keeps."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from pathlib import Path

import pytest

import ceasefire

PACKAGE = Path(ceasefire.__file__).parent
MODULES = sorted(name for _, name, _ in pkgutil.walk_packages([str(PACKAGE)], prefix="ceasefire."))
#: The shells may import these; the core never does.
SHELL_ONLY = {"click", "rich", "sqlite3", "psycopg", "fastapi", "starlette", "uvicorn", "nats"}
SHELLS = ("ceasefire.cli", "ceasefire.store.", "ceasefire.web")


def test_exported_names_exist() -> None:
    """Every name in ceasefire.__all__ is importable from the package, each listed once."""
    assert len(ceasefire.__all__) == len(set(ceasefire.__all__))
    for name in ceasefire.__all__:
        assert hasattr(ceasefire, name), name


@pytest.mark.parametrize("module_name", MODULES)
def test_each_module_declares_all_of_what_it_defines(module_name: str) -> None:
    """Each module has __all__, and every name in it is defined there."""
    module = importlib.import_module(module_name)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{module_name} has no __all__"
    for name in exported:
        assert hasattr(module, name), f"{module_name}.__all__ lists missing {name}"


@pytest.mark.parametrize("module_name", MODULES)
def test_core_imports_no_shell_library_and_never_prints(module_name: str) -> None:
    """Core modules import no CLI library or database driver and call no print()."""
    if module_name.startswith(SHELLS):
        return
    path = PACKAGE.joinpath(*module_name.split(".")[1:])
    source = (path / "__init__.py" if path.is_dir() else path.with_suffix(".py")).read_text()
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots = {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            roots = {node.module.split(".")[0]}
        else:
            roots = set()
        assert not roots & SHELL_ONLY, f"{module_name} imports {roots & SHELL_ONLY}"
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            assert node.func.id != "print", f"{module_name} prints"


@pytest.mark.parametrize("module_name", MODULES)
def test_no_module_over_700_lines(module_name: str) -> None:
    """No module is longer than 700 lines (split by noun before that)."""
    path = PACKAGE.joinpath(*module_name.split(".")[1:])
    file = path / "__init__.py" if path.is_dir() else path.with_suffix(".py")
    assert len(file.read_text().splitlines()) <= 700
