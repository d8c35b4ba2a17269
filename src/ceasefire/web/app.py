"""The web service: a versioned JSON API over the same store and core as the command line.

A thin shell, as the CLI is: each endpoint reads its parameters, makes one core call (intake,
a store read, a ledger proof), passes what comes back through the one audience filter
(:mod:`ceasefire.publication.audience`) and renders JSON. Bad requests get a 4xx that names the
field and the reason; a refusal from the core is a 4xx too, never a 500.

``create_app`` builds the app for a store URL; ``ceasefire serve`` runs it with uvicorn. Tests
call it in-process through ``httpx.ASGITransport`` (datasette's way), with no server started.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
# and the request-context alias is local to each router factory.

from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import JSONResponse

from ceasefire import __version__
from ceasefire.clock import Clock, SystemClock
from ceasefire.errors import CeasefireError, InputRefused, NotFound
from ceasefire.store import open_store
from ceasefire.web._context import RequestContext, Settings, context_dependency
from ceasefire.web._ledger import ledger_router
from ceasefire.web._reports import reports_router

__all__ = ["create_app"]


def create_app(db: str, clock: Clock | None = None) -> FastAPI:
    """Return the ASGI app over the store at ``db`` (a path or URL, as ``--db`` takes).

    The store must exist (``ceasefire init``): a service never creates one by accident.
    """
    settings = Settings(open_store=lambda: open_store(db), clock=clock or SystemClock())
    app = FastAPI(
        title="ceasefire",
        version=__version__,
        summary="Monitoring and verification of a ceasefire: reports, coverage, agreements "
        "and the tamper-evident ledger, each audience seeing what it may.",
    )
    context = context_dependency(settings)
    app.include_router(reports_router(context))
    app.include_router(ledger_router(context))

    @app.get("/api/v1/me", tags=["access"], summary="Who the service takes the caller to be")
    def me(ctx: Annotated[RequestContext, Depends(context)]) -> JSONResponse:
        return JSONResponse({"user": ctx.user, "audience": str(ctx.audience)})

    _handle_core_errors(app)
    return app


def _handle_core_errors(app: FastAPI) -> None:
    """Map the core's refusals onto 4xx answers that name what was wrong."""

    @app.exception_handler(NotFound)
    async def not_found(request: Request, error: NotFound) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=404)

    @app.exception_handler(InputRefused)
    async def refused(request: Request, error: InputRefused) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=422)

    @app.exception_handler(CeasefireError)
    async def other(request: Request, error: CeasefireError) -> JSONResponse:
        return JSONResponse({"detail": str(error)}, status_code=409)
