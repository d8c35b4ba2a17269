"""Storage: the :class:`Store` interface and the function that opens one from a URL."""

from __future__ import annotations

import os
from pathlib import Path

from ceasefire import errors
from ceasefire.store.base import Store, StoreCounts

__all__ = ["Store", "StoreCounts", "open_store", "store_exists"]


def open_store(url: str | Path, *, origin: str | None = None) -> Store:
    """Open (and create or upgrade) the store a URL names.

    Accepted: a file path, ``sqlite:///relative/or/absolute.db``, ``sqlite:///:memory:`` or
    ``:memory:`` (SQLite in memory), ``memory://`` (:class:`~ceasefire.store.memory.
    MemoryStore`: plain Python, no database, gone when the process ends; for tests), and
    ``postgresql://user@host:port/dbname`` (or ``postgres://``; the server store, which needs
    the ``[postgres]`` extra). ``origin`` names the ledger of a store being created (ignored
    otherwise). A SQLite writer waits for another process's write lock for
    ``CEASEFIRE_BUSY_TIMEOUT`` seconds (default 120) before giving up with
    :class:`~ceasefire.errors.StoreBusy`.

    Raises:
        StoreError: the URL's scheme has no implementation here, the PostgreSQL driver is not
            installed, the server cannot be reached, or ``CEASEFIRE_BUSY_TIMEOUT`` is not a
            number of seconds.
    """
    text = str(url)
    if text == "memory://":
        from ceasefire.store.memory import MemoryStore

        return MemoryStore(origin=origin)
    if text.startswith(("postgresql://", "postgres://")):
        return _open_postgres(text, origin)
    path = _sqlite_path(text)
    if path is None:
        scheme = text.split("://", 1)[0]
        raise errors.StoreError(
            f"no store for {scheme}:// URLs (available: a file path, sqlite://, memory://, "
            "postgresql://)"
        )
    from ceasefire.store.sqlite import SQLiteStore  # the driver is only imported when used

    return SQLiteStore(path, origin=origin, busy_timeout=_busy_timeout())


def _open_postgres(url: str, origin: str | None) -> Store:
    try:
        from ceasefire.store.postgres import PostgresStore
    except ImportError as missing:
        raise errors.StoreError(
            f"a postgresql:// store needs the PostgreSQL driver ({missing.name} is not installed):"
            " pip install 'ceasefire[postgres]'"
        ) from None
    return PostgresStore(url, origin=origin)


def _busy_timeout() -> float:
    from ceasefire.store._sqlite_transaction import DEFAULT_BUSY_TIMEOUT

    text = os.environ.get("CEASEFIRE_BUSY_TIMEOUT")
    if text is None:
        return DEFAULT_BUSY_TIMEOUT
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not 0 <= seconds < 86_400:
        raise errors.StoreError(
            f"CEASEFIRE_BUSY_TIMEOUT={text!r}: give a number of seconds (0-86399)"
        )
    return seconds


def store_exists(url: str | Path) -> bool:
    """Tell whether the store a URL names is already there, without creating it.

    Read-only commands ask first, so that a mistyped ``--db`` is refused rather than answered
    from a new, empty store. A server URL (no file to look for) counts as existing: opening it
    says whether the server has it.
    """
    path = _sqlite_path(str(url))
    return path is None or path == ":memory:" or Path(path).is_file()


def _sqlite_path(text: str) -> str | None:
    """Return the SQLite file a URL names (``:memory:`` for in-memory), or ``None`` for others."""
    if "://" not in text:
        return text
    if text.startswith("sqlite://"):
        return text.removeprefix("sqlite://").removeprefix("/") or ":memory:"
    return None
