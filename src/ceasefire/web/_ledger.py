"""``/api/v1/agreements`` and ``/api/v1/ledger/…``: the published terms, and proofs to check.

Agreements and checkpoints are public by nature. An inclusion proof is given only for a record the
caller may see (the same 404 otherwise, so ids cannot be probed), and it carries the leaf hash,
never the record: the record itself comes from the endpoint that applies the audience filter.
"""

# No `from __future__ import annotations` here: FastAPI reads these annotations at run time,
# and the request-context alias is local to each router factory.

import base64
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Query
from fastapi.responses import JSONResponse, PlainTextResponse

from ceasefire.errors import CeasefireError, NotFound
from ceasefire.publication.audience import view_coverage, view_report, view_source
from ceasefire.store import Store
from ceasefire.web._context import RequestContext

__all__ = ["ledger_router"]


def ledger_router(context: Callable[..., RequestContext]) -> APIRouter:
    """Return the router of agreements and ledger endpoints."""
    router = APIRouter(prefix="/api/v1")
    _agreement_routes(router, context)
    _proof_routes(router, context)
    return router


def _agreement_routes(router: APIRouter, context: Callable[..., RequestContext]) -> None:
    """``GET /agreements`` and ``/agreements/{id}/zones``."""
    Context = Annotated[RequestContext, Depends(context)]

    @router.get("/agreements", tags=["agreements"], summary="Stored agreement versions")
    def agreements(ctx: Context) -> JSONResponse:
        with ctx.open_store() as store:
            versions = store.agreement_versions()
        return JSONResponse(
            [
                {
                    "agreement_id": v.agreement_id,
                    "version": v.version,
                    "title": v.title,
                    "in_force_from": v.in_force_from.isoformat(),
                    "sha256": v.sha256,
                }
                for v in versions
            ]
        )

    @router.get(
        "/agreements/{agreement_id}/zones",
        tags=["agreements"],
        summary="Lines and zones of the latest version, as GeoJSON",
    )
    def zones(ctx: Context, agreement_id: str) -> JSONResponse:
        from ceasefire.agreement.loader import agreement_from_document

        with ctx.open_store() as store:
            versions = store.agreement_versions(agreement_id)
        if not versions:
            raise HTTPException(404, f"no agreement {agreement_id!r}")
        return JSONResponse(agreement_from_document(versions[-1].document).zones_geojson())


def _proof_routes(router: APIRouter, context: Callable[..., RequestContext]) -> None:
    """``GET /ledger/checkpoint``, ``/ledger/inclusion`` and ``/ledger/consistency``."""
    Context = Annotated[RequestContext, Depends(context)]

    @router.get("/ledger/checkpoint", tags=["ledger"], summary="The latest signed checkpoint")
    def checkpoint(ctx: Context) -> PlainTextResponse:
        with ctx.open_store() as store:
            stored = store.checkpoints()
        if not stored:
            raise HTTPException(404, "no checkpoint has been signed yet")
        return PlainTextResponse(stored[-1].note.decode("utf-8"))

    @router.get("/ledger/inclusion", tags=["ledger"], summary="A record's inclusion proof")
    def inclusion(
        ctx: Context, record_id: Annotated[str, Query(alias="id", max_length=200)]
    ) -> JSONResponse:
        with ctx.open_store() as store:
            return JSONResponse(_inclusion(ctx, store, record_id))

    @router.get("/ledger/consistency", tags=["ledger"], summary="Consistency of two tree sizes")
    def consistency(
        ctx: Context,
        first: Annotated[int, Query(alias="from", ge=0)],
        second: Annotated[int, Query(alias="to", ge=0)],
    ) -> JSONResponse:
        with ctx.open_store() as store:
            size = store.ledger_size()
            if not first <= second <= size:
                raise HTTPException(422, f"from and to: need 0 <= from <= to <= {size}")
            try:
                proof = store.ledger_consistency_proof(first, second)
            except (CeasefireError, ValueError) as error:
                raise HTTPException(422, str(error)) from None
        return JSONResponse({"from": first, "to": second, "proof": [_b64(step) for step in proof]})


def _inclusion(ctx: RequestContext, store: Store, record_id: str) -> dict[str, object]:
    missing = HTTPException(404, f"no logged record {record_id!r} that you may see")
    leaf = store.ledger_leaf(record_id)
    if leaf is None or not _visible(ctx, store, leaf.kind, record_id):
        raise missing
    checkpoints = store.checkpoints()
    if not checkpoints or leaf.index >= checkpoints[-1].size:
        raise HTTPException(404, f"{record_id} is not yet under a signed checkpoint")
    latest = checkpoints[-1]
    proof = store.ledger_inclusion_proof(leaf.index, latest.size)
    return {
        "kind": leaf.kind,
        "id": record_id,
        "leaf_index": leaf.index,
        "tree_size": latest.size,
        "leaf_hash": _b64(leaf.leaf_hash),
        "proof": [_b64(step) for step in proof],
        "checkpoint": latest.note.decode("utf-8"),
    }


def _visible(ctx: RequestContext, store: Store, kind: str, record_id: str) -> bool:
    """Whether the caller may see the record a leaf commits to (agreements: everyone)."""
    try:
        if kind == "report":
            return view_report(store.get_report(record_id), ctx.audience) is not None
        if kind == "coverage":
            found = [c for c in store.iter_coverage() if c.id == record_id]
            return bool(found) and view_coverage(found[0], ctx.audience) is not None
        if kind == "source":
            source = store.sources().get(record_id)
            return source is not None and view_source(source, ctx.audience) is not None
    except NotFound:
        return False
    return kind == "agreement" or ctx.audience.sees_everything


def _b64(value: bytes) -> str:
    return base64.b64encode(value).decode("ascii")
