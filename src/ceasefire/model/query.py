"""A question about stored reports: which source, which activity, observed when.

The CLI's ``reports`` filters, and later the API's, are one :class:`ReportQuery`; a store answers
it (``Store.query_reports``) however it can do so fastest, and :meth:`ReportQuery.matches` is the
definition every store's answer must agree with (the contract tests hold them to it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ceasefire.model.activity import Activity
from ceasefire.model.report import Report

__all__ = ["ReportQuery"]


@dataclass(frozen=True, slots=True)
class ReportQuery:
    """Which reports to list; every condition left ``None`` matches everything.

    Args:
        source_id: only reports from this registered source.
        activity: only reports of this activity.
        since: only reports whose observation starts at or after this time (aware).
        until: only reports whose observation starts before this time (aware): ``since`` and
            ``until`` are a half-open interval, so consecutive days never share a report.
        limit: at most this many, in arrival order.
    """

    source_id: str | None = None
    activity: Activity | None = None
    since: datetime | None = None
    until: datetime | None = None
    limit: int | None = None

    def matches(self, report: Report) -> bool:
        """Tell whether ``report`` answers the query (``limit`` aside)."""
        return (
            (self.source_id is None or report.source.id == self.source_id)
            and (self.activity is None or report.activity == self.activity)
            and (self.since is None or report.observed_at >= self.since)
            and (self.until is None or report.observed_at < self.until)
        )
