"""Storage: the :class:`Store` interface and the function that opens one from a URL."""

from __future__ import annotations

from pathlib import Path

from ceasefire.errors import StoreError
from ceasefire.store.base import Store, StoreCounts

__all__ = ["Store", "StoreCounts", "open_store"]


def open_store(url: str | Path, *, origin: str | None = None) -> Store:
    """Open (and create or upgrade) the store a URL names.

    Accepted: a file path, ``sqlite:///relative/or/absolute.db``, ``sqlite:///:memory:`` or
    ``:memory:`` (the embedded store), and ``postgresql://user@host:port/dbname`` (or
    ``postgres://``; the server store, which needs the ``[postgres]`` extra). ``origin`` names
    the ledger of a store being created (ignored otherwise).

    Raises:
        StoreError: the URL's scheme has no implementation here, the PostgreSQL driver is not
            installed, or the server cannot be reached.
    """
    text = str(url)
    if text.startswith(("postgresql://", "postgres://")):
        return _open_postgres(text, origin)
    if "://" not in text:
        path = text
    elif text.startswith("sqlite://"):
        path = text.removeprefix("sqlite://").removeprefix("/") or ":memory:"
    else:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"no store for {scheme}:// URLs (available: a file path, sqlite://, postgresql://)"
        )
    from ceasefire.store.sqlite import SQLiteStore  # the driver is only imported when used

    return SQLiteStore(path, origin=origin)


def _open_postgres(url: str, origin: str | None) -> Store:
    try:
        from ceasefire.store.postgres import PostgresStore
    except ImportError as missing:
        raise StoreError(
            f"a postgresql:// store needs the PostgreSQL driver ({missing.name} is not installed):"
            " pip install 'ceasefire[postgres]'"
        ) from None
    return PostgresStore(url, origin=origin)
