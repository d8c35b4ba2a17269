"""``/api/v1/incidents`` and ``/api/v1/findings``: what the mission concluded, and review decisions.

Each incident's current review state comes from the decisions taken on it; what each audience
sees of an incident or a finding is decided by the audience filter alone
(:func:`~ceasefire.publication.audience.view_incident`, ``view_finding``). A review decision is
taken by the authenticated analyst: the analyst's name comes from the token, never from the
request body, so the four-eyes rule holds between two real people.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
# and the request-context alias is local to each router factory.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from ceasefire.errors import DecisionRefused, NotFound
from ceasefire.model.incident import Incident, ReviewState
from ceasefire.publication.audience import Role, view_report
from ceasefire.publication.picture import Picture
from ceasefire.store import Store
from ceasefire.verification.review import decide
from ceasefire.web._context import RequestContext, requires

__all__ = ["incidents_router"]


def incidents_router(context: Callable[..., RequestContext]) -> APIRouter:
    """Return the router of incidents, findings and review decisions."""
    router = APIRouter(prefix="/api/v1", tags=["incidents"])
    Context = Annotated[RequestContext, Depends(context)]

    @router.get("/incidents", summary="Incidents the caller may see, with their findings")
    def list_incidents(
        ctx: Context,
        state: Annotated[str | None, Query(pattern="^[a-z_]{1,20}$")] = None,
        format: Annotated[str, Query(pattern="^(json|geojson)$")] = "json",
    ) -> JSONResponse:
        with ctx.open_store() as store:
            picture = Picture(store)
        items = picture.visible(ctx.audience)
        if state is not None:
            items = [item for item in items if item["state"] == state]
        if format == "geojson":
            return JSONResponse(_feature_collection(items))
        return JSONResponse({"items": items})

    @router.get("/incidents/{incident_id}", summary="One incident: reports, findings, history")
    def get_incident(ctx: Context, incident_id: str) -> JSONResponse:
        with ctx.open_store() as store:
            picture = Picture(store)
            found = [i for i in picture.incidents if i.id == incident_id]
            seen = picture.seen(found[0], ctx.audience) if found else None
            if seen is None:
                raise HTTPException(404, f"no incident {incident_id!r} that you may see")
            seen["report_details"] = _visible_reports(store, found[0], ctx)
        if ctx.audience.sees_everything:
            seen["reviews"] = [d.to_dict() for d in picture.reviews.get(incident_id, [])]
        return JSONResponse(seen)

    @router.get("/findings", summary="Findings the caller may see")
    def list_findings(
        ctx: Context,
        verdict: Annotated[str | None, Query(pattern="^[a-z_]{1,30}$")] = None,
        clause: Annotated[str | None, Query(max_length=100)] = None,
    ) -> JSONResponse:
        with ctx.open_store() as store:
            picture = Picture(store)
        items = [
            finding
            for incident in picture.incidents
            if (seen := picture.seen(incident, ctx.audience)) is not None
            for finding in seen["findings"]
            if (verdict is None or finding["verdict"] == verdict)
            and (clause is None or finding["clause_id"] == clause)
        ]
        return JSONResponse({"items": items})

    @router.post("/incidents/{incident_id}/decisions", summary="An analyst's review decision")
    def post_decision(
        ctx: Context,
        incident_id: str,
        decision: Annotated[str, Body(pattern="^[a-z_]{1,20}$")],
        reason: Annotated[str, Body(min_length=1, max_length=4000)],
    ) -> JSONResponse:
        requires(Role.ANALYST)(ctx)
        try:
            target = ReviewState(decision)
        except ValueError:
            choices = ", ".join(state.value for state in ReviewState)
            raise HTTPException(422, f"decision: {decision!r} is not one of {choices}") from None
        assert ctx.user is not None  # an analyst is always a logged-in user
        try:
            with ctx.open_store() as store:
                taken = decide(store, incident_id, target, ctx.user, reason, ctx.clock.now())
        except NotFound:
            raise HTTPException(404, f"no incident {incident_id!r}") from None
        except DecisionRefused as error:
            raise HTTPException(409, str(error)) from None
        return JSONResponse(taken.to_dict())

    return router


def _visible_reports(store: Store, incident: Incident, ctx: RequestContext) -> list[Any]:
    shown = []
    for report_id in incident.report_ids:
        try:
            seen = view_report(store.get_report(report_id), ctx.audience)
        except NotFound:
            continue
        if seen is not None:
            shown.append(seen)
    return shown


def _feature_collection(items: list[dict[str, Any]]) -> dict[str, Any]:
    features = []
    for item in items:
        location = item.get("location")
        geometry = (
            None
            if location is None
            else {"type": "Point", "coordinates": [location["lon"], location["lat"]]}
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": item})
    return {"type": "FeatureCollection", "features": features}
