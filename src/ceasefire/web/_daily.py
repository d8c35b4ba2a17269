"""``/api/v1/daily-reports/{day}``: the daily report, as the caller's audience may read it.

The same call as ``ceasefire report daily`` (``publication.issue.issue_daily_report``),
so the document served is issued and its hash logged; asking again for an unchanged day serves
the same bytes and logs nothing new.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time.

from collections.abc import Callable
from datetime import date, time
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import Response

from ceasefire.web._context import RequestContext

__all__ = ["daily_router"]


def daily_router(context: Callable[..., RequestContext]) -> APIRouter:
    """Return the router of the daily report."""
    router = APIRouter(prefix="/api/v1", tags=["publication"])
    Context = Annotated[RequestContext, Depends(context)]

    @router.get("/daily-reports/{day}", summary="The daily report for a day, HTML or PDF")
    def daily_report(
        ctx: Context,
        day: date,
        format: Annotated[str, Query(pattern="^(html|pdf)$")] = "html",
        cutoff: Annotated[time, Query(description="local cut-off, HH:MM")] = time(19, 30),
        days: Annotated[int, Query(ge=1, le=7)] = 1,
    ) -> Response:
        from ceasefire.publication.daily import DailySettings
        from ceasefire.publication.issue import issue_daily_report

        if not 1900 <= day.year <= 2999:
            raise HTTPException(422, "day: give a date between 1900 and 2999")
        settings = DailySettings(cutoff=cutoff.replace(tzinfo=None), days=days)
        with ctx.open_store() as store:
            issued = issue_daily_report(
                store, day, ctx.audience, pdf=format == "pdf", clock=ctx.clock, settings=settings
            )
        media = "application/pdf" if format == "pdf" else "text/html; charset=utf-8"
        headers = {"X-Ceasefire-Publication": issued.publication.id}
        return Response(issued.content, media_type=media, headers=headers)

    return router
