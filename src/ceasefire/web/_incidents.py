"""``/api/v1/incidents`` and ``/api/v1/findings``: what the mission concluded, and review decisions.

Each incident's current review state comes from the decisions taken on it; what each audience
sees of an incident or a finding is decided by the audience filter alone
(:func:`~ceasefire.publication.audience.view_incident`, ``view_finding``). A review decision is
taken by the authenticated analyst: the analyst's name comes from the token, never from the
request body, so the four-eyes rule holds between two real people.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
# and the request-context alias is local to each router factory.

from collections import defaultdict
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Body, Depends, HTTPException, Query
from fastapi.responses import JSONResponse

from ceasefire.errors import DecisionRefused, NotFound
from ceasefire.model.finding import Finding
from ceasefire.model.incident import Incident, ReviewState
from ceasefire.model.review import ReviewDecision
from ceasefire.publication.audience import (
    Role,
    concerns,
    view_finding,
    view_incident,
    view_report,
)
from ceasefire.store import Store
from ceasefire.verification.review import decide, state_after
from ceasefire.web._context import RequestContext, requires

__all__ = ["incidents_router"]

#: The verdicts in the order a map colours an incident by (its most serious finding first).
_SEVERITY = ("violation", "possible_violation", "undetermined", "exempt", "no_violation")


class _Picture:
    """The store's incidents, findings and decisions, read once per request."""

    def __init__(self, store: Store) -> None:
        self.incidents = list(store.iter_incidents())
        self.findings: dict[str | None, list[Finding]] = defaultdict(list)
        for finding in store.iter_findings():
            self.findings[finding.incident_id].append(finding)
        self.reviews: dict[str, list[ReviewDecision]] = defaultdict(list)
        for decision in store.iter_reviews():
            self.reviews[decision.incident_id].append(decision)
        self.sources = store.sources()

    def state(self, incident: Incident) -> ReviewState:
        return state_after(self.reviews.get(incident.id, []))

    def seen(self, incident: Incident, ctx: RequestContext) -> dict[str, Any] | None:
        """The incident as the caller may see it, with its visible findings and a verdict."""
        party = ctx.audience.party
        concerned = (
            concerns(incident, self.findings.get(incident.id, []), self.sources, party)
            if party
            else None
        )
        state = self.state(incident)
        document = view_incident(incident, state, ctx.audience, concerned)
        if document is None:
            return None
        findings = [
            item
            for item in (
                view_finding(f, state, ctx.audience, concerned)
                for f in self.findings.get(incident.id, [])
            )
            if item is not None
        ]
        verdicts = {item["verdict"] for item in findings}
        document["findings"] = findings
        document["verdict"] = next((v for v in _SEVERITY if v in verdicts), None)
        return document


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
            picture = _Picture(store)
        items = [seen for i in picture.incidents if (seen := picture.seen(i, ctx)) is not None]
        if state is not None:
            items = [item for item in items if item["state"] == state]
        if format == "geojson":
            return JSONResponse(_feature_collection(items))
        return JSONResponse({"items": items})

    @router.get("/incidents/{incident_id}", summary="One incident: reports, findings, history")
    def get_incident(ctx: Context, incident_id: str) -> JSONResponse:
        with ctx.open_store() as store:
            picture = _Picture(store)
            found = [i for i in picture.incidents if i.id == incident_id]
            seen = picture.seen(found[0], ctx) if found else None
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
            picture = _Picture(store)
        items = [
            finding
            for incident in picture.incidents
            if (seen := picture.seen(incident, ctx)) is not None
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
