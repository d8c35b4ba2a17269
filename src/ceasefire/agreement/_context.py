"""What the agreement loader carries while it reads one file: problems found, where to look.

The loader reports every problem of a file at once, so each reading function takes the
:class:`LoadContext`, records what is wrong at its path, and returns ``None`` for a part it
could not build; callers skip whatever depended on that part instead of failing on it.
"""

from __future__ import annotations

import stat
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ceasefire.errors import Problem, RecordRejected, UnknownPlace
from ceasefire.model._fields import timestamp

if TYPE_CHECKING:
    from ceasefire.geo.gazetteer import Gazetteer

__all__ = [
    "EARLIEST_YEAR",
    "LATEST_YEAR",
    "MAX_FILE_BYTES",
    "LoadContext",
    "at",
    "read_bounded",
    "read_time",
]

#: Largest agreement file (or file it references): the Minsk package with its lines is under
#: 1 MB; a device or a runaway export is refused before it fills memory.
MAX_FILE_BYTES = 64 * 1024 * 1024


def read_bounded(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """Read a regular file of at most ``limit`` bytes.

    Raises:
        OSError: the file cannot be read, is not a regular file (``/dev/zero``, a FIFO that
            would block for ever), or is larger than ``limit`` (``strerror`` says which).
    """
    if not stat.S_ISREG(path.stat().st_mode):
        raise OSError(0, "not a regular file (a device, FIFO or socket)")
    with path.open("rb") as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise OSError(0, f"larger than {limit // (1024 * 1024)} MiB")
    return data


#: The years an agreement's times may fall in: year 1 or 9999 is a typo, and either end
#: overflows the first conversion to UTC.
EARLIEST_YEAR, LATEST_YEAR = 1900, 2999


def at(path: str, key: str | int) -> str:
    """Return the path of a child: ``at("zones", 3)`` is ``zones[3]``, then ``zones[3].km``.

    Args:
        path: the parent's path ("" for the top of the file).
        key: a mapping key or a list index.

    Returns:
        The child's path.
    """
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


@dataclass
class LoadContext:
    """The state of one load: the file's name, where its relative paths start, the gazetteer.

    Args:
        origin: the file name as given, quoted in every problem.
        base_dir: the directory relative ``file:`` paths start from; ``None`` forbids files.
        gazetteer: resolves place names; ``None`` forbids place names (stored documents).
    """

    origin: str
    base_dir: Path | None = None
    gazetteer: Gazetteer | None = None
    problems: list[Problem] = field(default_factory=list)
    broken: set[str] = field(default_factory=set)

    def add(self, path: str, reason: str) -> None:
        """Record a problem at ``path``."""
        self.problems.append(Problem(origin=self.origin, path=path, reason=reason))

    def is_broken(self, path: str) -> bool:
        """Return whether a structural problem was found at ``path`` or below it.

        Semantic checks of a broken subtree are skipped: its shape is not what they expect.
        """
        return any(b == path or b.startswith((f"{path}.", f"{path}[")) for b in self.broken)

    def read_file(self, relative: Any, path: str) -> str | None:
        """Return the text of a file named relative to the agreement file, or ``None``.

        Args:
            relative: the ``file:`` value as written.
            path: where it was written, for the problem.

        Returns:
            The text, or ``None`` after recording a problem.
        """
        if self.base_dir is None:
            self.add(path, "files cannot be referenced here (a stored document is self-contained)")
            return None
        target = self.base_dir / str(relative)
        try:
            return read_bounded(target).decode("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            self.add(path, f"cannot read file {relative!r} ({target}): {reason}")
            return None


def read_time(value: Any, path: str, ctx: LoadContext) -> datetime | None:
    """Return an aware datetime from an ISO 8601 string with a UTC offset, or ``None``.

    A time without an offset is refused: "00:00 Kyiv time" and "00:00 UTC" are two hours apart,
    and a clause's start decides whether an event is a violation. The parsing and its messages
    are those of every record's times (:func:`ceasefire.model._fields.timestamp`), so a date
    written wrong gets the same answer in an agreement, a report and on the command line.

    Args:
        value: the value as written.
        path: where it was written.
        ctx: the load context, for problems.

    Returns:
        The datetime, or ``None`` after recording a problem.
    """
    try:
        parsed = timestamp(value, path)
    except RecordRejected as error:
        ctx.add(path, error.reason)
        return None
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        ctx.add(path, f"{value!r} is not between {EARLIEST_YEAR} and {LATEST_YEAR}")
        return None
    return parsed


def resolve_place(name: str, path: str, ctx: LoadContext) -> tuple[float, float] | None:
    """Return a place name's (lon, lat) through the context's gazetteer, or record why not.

    Lines (waypoints) and zones (``around: places``) both name places; one resolver keeps
    their messages the same.
    """
    if ctx.gazetteer is None:
        ctx.add(path, "place names need a gazetteer (a stored document has none)")
        return None
    try:
        place = ctx.gazetteer.resolve(name)
    except UnknownPlace as exc:
        ctx.add(path, str(exc))
        return None
    return place.lon, place.lat
