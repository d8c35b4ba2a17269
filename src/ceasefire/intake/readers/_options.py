"""Adapter options: a dataclass per format, listed by ``ceasefire formats``, parsed from text.

Each importer declares its settings as a frozen dataclass whose fields have a default and a
``metadata={"help": ...}``; the command line gives them as ``--option KEY=VALUE``. Parsing is done
here, once, so that every format refuses a bad option the same way: naming the option and why.
"""

from __future__ import annotations

import dataclasses
import typing
from collections.abc import Mapping
from typing import Any

from ceasefire.errors import InputRefused

__all__ = ["OptionHelp", "describe_options", "parse_options"]


@dataclasses.dataclass(frozen=True, slots=True)
class OptionHelp:
    """One option as ``ceasefire formats`` lists it."""

    name: str
    type: str
    default: Any
    help: str

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return dataclasses.asdict(self)


def describe_options(options: type[Any]) -> list[OptionHelp]:
    """List a format's options with their type, default and help."""
    hints = typing.get_type_hints(options)
    return [
        OptionHelp(
            name=field.name,
            type=_type_name(hints[field.name]),
            default=field.default,
            help=str(field.metadata.get("help", "")),
        )
        for field in dataclasses.fields(options)
    ]


def parse_options(options: type[Any], given: Mapping[str, str], fmt: str) -> Any:
    """Build a format's options from ``KEY=VALUE`` text, refusing unknown keys and bad values.

    Raises:
        InputRefused: an option the format does not have, or a value of the wrong type.
    """
    hints = typing.get_type_hints(options)
    known = {field.name for field in dataclasses.fields(options)}
    values: dict[str, Any] = {}
    for key, text in given.items():
        if key not in known:
            listed = ", ".join(sorted(known)) or "none"
            raise InputRefused(
                f"--option {key}: format {fmt!r} has no such option (it has: {listed})"
            )
        values[key] = _convert(hints[key], text, key)
    try:
        return options(**values)
    except ValueError as error:
        raise InputRefused(f"--option: format {fmt!r}: {error}") from None


def _convert(hint: Any, text: str, key: str) -> Any:
    base = _base_type(hint)
    if base is bool:
        lowered = text.strip().lower()
        if lowered in {"1", "true", "yes", "on"}:
            return True
        if lowered in {"0", "false", "no", "off"}:
            return False
        raise InputRefused(f"--option {key}: {text!r} is not true or false")
    if base in (int, float):
        try:
            return base(text)
        except ValueError:
            raise InputRefused(f"--option {key}: {text!r} is not a {base.__name__}") from None
    if text == "" and type(None) in typing.get_args(hint):
        return None
    return text


def _base_type(hint: Any) -> Any:
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    return args[0] if args else hint


def _type_name(hint: Any) -> str:
    base = _base_type(hint)
    return getattr(base, "__name__", str(base))
