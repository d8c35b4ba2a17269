"""Lazy re-exports for packages (PEP 562), so importing a package costs nothing until it is used.

Why: every command of the CLI, and the outsider's ``ceasefire-verify``, imports ``ceasefire``; if
that pulled in shapely, pyproj, numpy and jsonschema, each start would cost seconds. A package's
``__init__`` names its public exports and where they live; the module is imported on first use.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ["lazy_exports"]


def lazy_exports(
    package: str, namespace: dict[str, Any], exports: Mapping[str, str]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """Return ``__getattr__`` and ``__dir__`` for a package that re-exports ``exports`` lazily.

    Args:
        package: the package's ``__name__``, for the error message.
        namespace: the package's ``globals()``; a name, once imported, is cached there.
        exports: each public name and the module that defines it.
    """

    def __getattr__(name: str) -> Any:
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted(namespace.get("__all__", exports))

    return __getattr__, __dir__
