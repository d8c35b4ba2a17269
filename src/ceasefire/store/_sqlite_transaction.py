"""Write transactions on SQLite that wait their turn: ``BEGIN IMMEDIATE`` with a bounded wait.

Several processes may write one store file (two operators ingesting, a feed and a form). SQLite
lets one writer at a time hold the lock; the others get ``SQLITE_BUSY``. Two layers make a
writer wait instead of dying:

* the connection's busy timeout, so SQLite itself sleeps and retries while the lock is held;
* around ``BEGIN IMMEDIATE`` (and the connection set-up, which can meet a lock too) a retry
  with exponential backoff and jitter, up to the same budget, for the cases where SQLite
  reports busy without waiting.

Past the budget the writer gives up with :class:`~ceasefire.errors.StoreBusy`, one sentence that
says which file and how long it waited; nothing of the refused transaction was written. A
writer never gets the lock halfway through its work: IMMEDIATE takes it before any statement.
"""

from __future__ import annotations

import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

from ceasefire.errors import StoreBusy
from ceasefire.store._sqlite_ledger import SQLiteLog

__all__ = ["DEFAULT_BUSY_TIMEOUT", "is_busy", "transaction", "waiting"]

#: Seconds a writer waits for another writer's lock before giving up (``open_store`` option).
DEFAULT_BUSY_TIMEOUT = 120.0

_T = TypeVar("_T")


def is_busy(error: sqlite3.OperationalError) -> bool:
    """True when ``error`` is SQLite's "another connection holds the lock"."""
    text = str(error).lower()
    return "locked" in text or "busy" in text


def waiting(path: str, budget: float, attempt: Callable[[], _T]) -> _T:
    """Run ``attempt`` until it does not meet a lock, backing off, for at most ``budget`` s.

    Raises:
        StoreBusy: the lock was still held when the budget ran out.
    """
    deadline = time.monotonic() + budget
    pause = 0.01
    while True:
        try:
            return attempt()
        except sqlite3.OperationalError as error:
            if not is_busy(error):
                raise
            if time.monotonic() >= deadline:
                raise StoreBusy(
                    f"{path} is locked by another writer; gave up after waiting {budget:g} s "
                    "(nothing of this step was written; run it again)"
                ) from None
        time.sleep(min(pause, max(0.0, deadline - time.monotonic())) * random.uniform(0.5, 1.0))
        pause = min(pause * 2, 1.0)


@contextmanager
def transaction(
    db: sqlite3.Connection, log: SQLiteLog | None, path: str, budget: float
) -> Iterator[None]:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` (and forget the log's appends) on error.

    IMMEDIATE takes the write lock at the start, so two writers queue instead of failing halfway
    with SQLITE_BUSY after doing work. The log's rows are flushed inside the transaction, just
    before COMMIT, so a record and its leaf are committed together or not at all.

    Raises:
        StoreBusy: the write lock could not be had within ``budget`` seconds.
    """
    waiting(path, budget, lambda: db.execute("BEGIN IMMEDIATE"))
    try:
        if log is not None:
            log.begin()
        yield
        if log is not None:
            log.flush()
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        if log is not None:
            log.rollback()
        raise
