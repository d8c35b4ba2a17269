"""Where "now" comes from.

The core never calls ``datetime.now()`` itself: a clock is passed in, so that tests, replays of
old feeds and the ledger's timestamps are reproducible.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Protocol

__all__ = ["Clock", "FixedClock", "SystemClock"]


class Clock(Protocol):
    """Something that tells the current time, always timezone-aware (UTC)."""

    def now(self) -> datetime:
        """Return the current time as an aware UTC datetime."""
        ...


class SystemClock:
    """The machine's clock."""

    def now(self) -> datetime:
        """Return the machine's current time in UTC."""
        return datetime.now(UTC)


class FixedClock:
    """A clock that stands still until told to move; for tests and replays.

    Args:
        start: the time it shows first (aware).
        step: how far it moves after each reading (zero: it never moves by itself).
    """

    def __init__(self, start: datetime, step: timedelta = timedelta(0)) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start.astimezone(UTC)
        self._step = step

    def now(self) -> datetime:
        """Return the current reading, then advance by ``step``."""
        current = self._now
        self._now = current + self._step
        return current

    def advance(self, delta: timedelta) -> None:
        """Move the clock forward by ``delta``."""
        self._now += delta
