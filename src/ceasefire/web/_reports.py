"""``/api/v1/reports`` and ``/api/v1/coverage``: read through the audience filter, sent to intake.

Posting reports runs the very code path of ``ceasefire ingest`` (the JSON reader, then
:class:`~ceasefire.intake.Intake`): the same validation, quarantine and receipt, and the same
idempotency, so a client that retries a POST after a timeout stores nothing twice.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
# and the request-context alias is local to each router factory.

import base64
import json
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from ceasefire.errors import NotFound, RecordRejected
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake, Outcome
from ceasefire.intake.readers import Format, RawRecord, read_records
from ceasefire.model._fields import timestamp
from ceasefire.model.report import Report
from ceasefire.publication.audience import Role, view_coverage, view_report
from ceasefire.store import Store
from ceasefire.web._context import RequestContext, requires

__all__ = ["reports_router"]

#: Who may send reports: the mission's own people, and a party (its complaints only).
_SENDERS = (Role.MONITOR, Role.ANALYST, Role.LEAD, Role.PARTY)
_MAX_BODY = 10 * 1024 * 1024
_REQUEST_BODY = {
    "required": True,
    "description": "One record, a list of records, or {records: [...]}: docs/intake-format.md",
    "content": {
        "application/json": {
            "schema": {
                "oneOf": [{"type": "object"}, {"type": "array", "items": {"type": "object"}}]
            }
        }
    },
}


def reports_router(context: Callable[..., RequestContext]) -> APIRouter:
    """Return the router of reports and coverage, bound to the app's request context."""
    router = APIRouter(prefix="/api/v1", tags=["reports"])
    _read_routes(router, context)
    _write_routes(router, context)
    return router


def _read_routes(router: APIRouter, context: Callable[..., RequestContext]) -> None:
    """``GET /reports``, ``/reports/{id}`` and ``/coverage``."""
    Context = Annotated[RequestContext, Depends(context)]

    @router.get("/reports", summary="Reports the caller may see, oldest first")
    def list_reports(
        ctx: Context,
        since: Annotated[str | None, Query(description="ISO 8601 with offset")] = None,
        until: Annotated[str | None, Query(description="ISO 8601 with offset")] = None,
        source: Annotated[str | None, Query(max_length=200)] = None,
        activity: Annotated[str | None, Query(max_length=64)] = None,
        bbox: Annotated[str | None, Query(description="min_lon,min_lat,max_lon,max_lat")] = None,
        zone: Annotated[str | None, Query(max_length=100, description="a zone id")] = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        cursor: Annotated[str | None, Query(max_length=64)] = None,
        format: Annotated[str, Query(pattern="^(json|geojson)$")] = "json",
    ) -> JSONResponse:
        keep = _report_filter(since, until, source, activity, bbox)
        start = _decode_cursor(cursor)
        items: list[tuple[Report, dict[str, Any]]] = []
        position = start
        with ctx.open_store() as store:
            inside = _inside_zone(store, zone) if zone is not None else None
            for position, report in enumerate(store.iter_reports(), start=0):
                if position < start or not keep(report):
                    continue
                if inside is not None and report.id not in inside:
                    continue
                seen = view_report(report, ctx.audience)
                if seen is not None:
                    items.append((report, seen))
                if len(items) == limit:
                    break
        next_cursor = _encode_cursor(position + 1) if len(items) == limit else None
        if format == "geojson":
            return JSONResponse(_feature_collection(items, next_cursor))
        return JSONResponse({"items": [seen for _, seen in items], "next_cursor": next_cursor})

    @router.get("/reports/{report_id}", summary="One report, if the caller may see it")
    def get_report(ctx: Context, report_id: str) -> JSONResponse:
        try:
            with ctx.open_store() as store:
                seen = view_report(store.get_report(report_id), ctx.audience)
        except NotFound:
            seen = None
        if seen is not None:
            return JSONResponse(seen)
        # The same answer for "no such report" and "not yours": ids cannot be probed.
        raise HTTPException(404, f"no report {report_id!r} that you may see")

    @router.get("/coverage", summary="Coverage records the caller may see")
    def list_coverage(ctx: Context) -> JSONResponse:
        with ctx.open_store() as store:
            seen = [view_coverage(record, ctx.audience) for record in store.iter_coverage()]
        return JSONResponse({"items": [item for item in seen if item is not None]})


def _write_routes(router: APIRouter, context: Callable[..., RequestContext]) -> None:
    """``POST /reports``: intake, as ``ceasefire ingest``."""
    Context = Annotated[RequestContext, Depends(context)]

    @router.post(
        "/reports",
        summary="Send reports (the same intake as `ceasefire ingest`)",
        openapi_extra={"requestBody": _REQUEST_BODY},
        responses={
            200: {"description": "every record stored or already stored"},
            422: {"description": "the receipt: some records were refused (quarantined)"},
        },
    )
    async def post_reports(request: Request, ctx: Context) -> JSONResponse:
        requires(*_SENDERS)(ctx)
        body = await request.body()
        if len(body) > _MAX_BODY:
            raise HTTPException(413, f"the body is over {_MAX_BODY} bytes; send it in parts")
        # Intake is blocking work on an SQLite connection: a worker thread opens and uses it.
        return await run_in_threadpool(_take, body, ctx)


def _take(body: bytes, ctx: RequestContext) -> JSONResponse:
    try:
        text = body.decode("utf-8")
        json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise HTTPException(400, f"the body is not UTF-8 JSON: {error}") from None
    records = list(read_records("request", text, Format.JSON))
    with ctx.open_store() as store:
        if ctx.audience.role is Role.PARTY:
            records = [_own_complaint_only(record, ctx, store) for record in records]
        receipt = Intake(store, ctx.clock, bundled()).ingest(records)
    status = 422 if receipt.count(Outcome.REJECTED) else 200
    return JSONResponse(receipt.to_dict(), status_code=status)


def _own_complaint_only(record: RawRecord, ctx: RequestContext, store: Store) -> RawRecord:
    """A party may only send complaints from its own complaint channel."""
    data = record.data
    source = data.get("source") if isinstance(data, dict) else None
    if isinstance(source, str):  # a registered source, named by id
        registered = store.sources().get(source)
        source = registered.to_dict() if registered is not None else None
    if (
        isinstance(source, dict)
        and source.get("kind") == "party_complaint"
        and source.get("party") == ctx.audience.party
    ):
        return record
    reason = (
        "a party sends only complaints, from a source of kind party_complaint with party "
        f"{ctx.audience.party}"
    )
    return replace(record, data=None, error=RecordRejected("source", reason))


def _report_filter(
    since: str | None,
    until: str | None,
    source: str | None,
    activity: str | None,
    bbox: str | None,
) -> Callable[[Report], bool]:
    start = _time(since, "since")
    end = _time(until, "until")
    box = _bbox(bbox)

    def keep(report: Report) -> bool:
        if start is not None and report.observed_at < start:
            return False
        if end is not None and report.observed_at > end:
            return False
        if source is not None and report.source.id != source:
            return False
        if activity is not None and report.activity.value != activity:
            return False
        if box is not None:
            estimate = report.location.estimate()
            if estimate is None:
                return False
            return box[0] <= estimate.lon <= box[2] and box[1] <= estimate.lat <= box[3]
        return True

    return keep


def _inside_zone(store: Store, zone_id: str) -> set[str]:
    """The ids of reports inside a zone of the latest agreement version (the store decides)."""
    from shapely.geometry import mapping

    from ceasefire.agreement.loader import agreement_from_document

    versions = store.agreement_versions()
    zones = {z.id: z for v in versions[-1:] for z in agreement_from_document(v.document).zones}
    if zone_id not in zones:
        raise HTTPException(422, f"zone: no zone {zone_id!r} in the agreement in force")
    return set(store.reports_where(inside=dict(mapping(zones[zone_id].geometry))))


def _time(value: str | None, name: str) -> datetime | None:
    if value is None:
        return None
    try:
        return timestamp(value, name)
    except RecordRejected as error:
        raise HTTPException(422, f"{name}: {error.reason}") from None


def _bbox(value: str | None) -> tuple[float, float, float, float] | None:
    if value is None:
        return None
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        raise HTTPException(422, "bbox: four numbers min_lon,min_lat,max_lon,max_lat") from None
    if len(numbers) != 4 or not (numbers[0] <= numbers[2] and numbers[1] <= numbers[3]):
        raise HTTPException(422, "bbox: four numbers min_lon,min_lat,max_lon,max_lat, min <= max")
    return numbers[0], numbers[1], numbers[2], numbers[3]


def _encode_cursor(position: int) -> str:
    return base64.urlsafe_b64encode(f"r{position}".encode()).decode().rstrip("=")


def _decode_cursor(cursor: str | None) -> int:
    if cursor is None:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith("r") or not text[1:].isdigit():
            raise ValueError(text)
        return int(text[1:])
    except (ValueError, UnicodeDecodeError):
        raise HTTPException(422, "cursor: not a cursor this service gave out") from None


def _feature_collection(
    items: list[tuple[Report, dict[str, Any]]], next_cursor: str | None
) -> dict[str, Any]:
    features = []
    for report, seen in items:
        estimate = report.location.estimate()
        geometry = (
            None
            if estimate is None
            else {"type": "Point", "coordinates": [estimate.lon, estimate.lat]}
        )
        features.append({"type": "Feature", "geometry": geometry, "properties": seen})
    return {"type": "FeatureCollection", "features": features, "next_cursor": next_cursor}
