"""The public API: what ``ceasefire`` exports, and the house rules every module keeps."""

from __future__ import annotations

import ast
import importlib
import pkgutil
import types
from pathlib import Path

import pytest

import ceasefire

PACKAGE = Path(ceasefire.__file__).parent
MODULES = sorted(name for _, name, _ in pkgutil.walk_packages([str(PACKAGE)], prefix="ceasefire."))
#: The shells may import these; the core never does.
SHELL_ONLY = {"click", "rich", "sqlite3", "psycopg", "fastapi", "starlette", "uvicorn", "nats"}
SHELLS = ("ceasefire.cli", "ceasefire.store.", "ceasefire.web")


PACKAGES = ["ceasefire"] + [
    name for name in MODULES if PACKAGE.joinpath(*name.split(".")[1:], "__init__.py").exists()
]
#: Names a package's namespace holds that are tools of its __init__, not its API.
NOT_API = {"annotations", "TYPE_CHECKING", "lazy_exports"}


def _offered(package: types.ModuleType) -> set[str]:
    """The public names a package offers: what it defines or imports from the project (not its
    submodules, not the standard library's names it uses) and what it re-exports lazily."""
    offered = set(getattr(package, "_EXPORTS", {}))
    for name, value in vars(package).items():
        if name.startswith("_") or name in NOT_API or isinstance(value, types.ModuleType):
            continue
        home = getattr(value, "__module__", package.__name__)
        if isinstance(home, str) and home.split(".")[0] == "ceasefire":
            offered.add(name)
    return offered


@pytest.mark.parametrize("package_name", PACKAGES)
def test_exported_members(package_name: str) -> None:
    """A package's __all__ is exactly its public names, both ways (as httpx checks): every name
    listed is importable, and every public name it holds or re-exports is listed, once."""
    package = importlib.import_module(package_name)
    exported = list(getattr(package, "__all__", []))
    assert len(exported) == len(set(exported)), "a name is listed twice"
    for name in exported:
        assert getattr(package, name, None) is not None, f"{package_name}.{name} does not import"
    assert {name for name in exported if not name.startswith("__")} == _offered(package)


@pytest.mark.parametrize("package_name", PACKAGES)
def test_lazy_exports_are_also_named_for_type_checkers(package_name: str) -> None:
    """A package that re-exports lazily imports the same names under TYPE_CHECKING, so that
    type checkers and editors see the names the package offers at run time."""
    package = importlib.import_module(package_name)
    exports = getattr(package, "_EXPORTS", None)
    if exports is None:
        return
    tree = ast.parse(Path(package.__file__ or "").read_text())
    typed: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            for statement in ast.walk(node):
                if isinstance(statement, ast.ImportFrom):
                    typed.update(alias.asname or alias.name for alias in statement.names)
    assert typed == set(exports)


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
