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

from pathlib import Path
from typing import Annotated

from fastapi import Depends, FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles

from ceasefire import __version__
from ceasefire.clock import Clock, SystemClock
from ceasefire.errors import CeasefireError, InputRefused, NotFound
from ceasefire.store import open_store
from ceasefire.web._context import RequestContext, Settings, context_dependency
from ceasefire.web._daily import daily_router
from ceasefire.web._incidents import incidents_router
from ceasefire.web._ledger import ledger_router
from ceasefire.web._reports import reports_router

__all__ = ["create_app"]

#: The dashboard's page, script and the Leaflet copied in from npm by ``make web-assets``.
_STATIC = Path(__file__).parent / "static"


def create_app(db: str, clock: Clock | None = None, basemap: Path | None = None) -> FastAPI:
    """Return the ASGI app over the store at ``db`` (a path or URL, as ``--db`` takes).

    Args:
        db: the store (it must exist: ``ceasefire init``).
        clock: stamps intake; the machine's clock by default.
        basemap: a GeoJSON of countries or regions drawn under the map (the dashboard needs
            no tiles from the internet); none by default.
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
    app.include_router(incidents_router(context))
    app.include_router(daily_router(context))

    @app.get("/api/v1/me", tags=["access"], summary="Who the service takes the caller to be")
    def me(ctx: Annotated[RequestContext, Depends(context)]) -> JSONResponse:
        return JSONResponse({"user": ctx.user, "audience": str(ctx.audience)})

    @app.get("/api/v1/basemap", tags=["map"], summary="The plain vector basemap, if any")
    def basemap_layer() -> Response:
        if basemap is None or not basemap.is_file():
            return JSONResponse({"detail": "no basemap configured (serve --basemap)"}, 404)
        return Response(basemap.read_bytes(), media_type="application/geo+json")

    @app.get("/", include_in_schema=False)
    def dashboard() -> FileResponse:
        return FileResponse(_STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=_STATIC), name="static")
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
