"""What every request of the web service gets: its store and its audience.

The audience comes from the ``Authorization: Bearer <token>`` header and nothing else: no
request can name its own role (a ``X-Role: analyst`` header is simply ignored), and a request
without a token is the public. An unknown or revoked token is refused with 401, the same answer
for both, so nobody can learn which tokens exist.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated

from fastapi import Header, HTTPException

from ceasefire.clock import Clock
from ceasefire.errors import NotFound
from ceasefire.publication.access import authenticate
from ceasefire.publication.audience import PUBLIC, Audience, Role
from ceasefire.store import Store

__all__ = ["RequestContext", "Settings", "context_dependency", "requires"]


@dataclass(frozen=True, slots=True)
class Settings:
    """How the service reaches the store and the clock (one per app)."""

    open_store: Callable[[], Store]
    clock: Clock


@dataclass(frozen=True, slots=True)
class RequestContext:
    """One request's audience and user name, and how to open the store for it.

    The store is opened by the endpoint itself (``with ctx.open_store() as store``), in the
    thread that uses it: an SQLite connection stays on the thread that made it.
    """

    audience: Audience
    user: str | None
    clock: Clock
    open_store: Callable[[], Store]


def context_dependency(settings: Settings) -> Callable[..., RequestContext]:
    """Return the FastAPI dependency that opens the store and authenticates the request."""

    def request_context(
        authorization: Annotated[str | None, Header()] = None,
    ) -> RequestContext:
        with settings.open_store() as store:
            audience, user = _who(authorization, store)
        return RequestContext(audience, user, settings.clock, settings.open_store)

    return request_context


def _who(authorization: str | None, store: Store) -> tuple[Audience, str | None]:
    if authorization is None or not authorization.strip():
        return PUBLIC, None
    scheme, _, token = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise HTTPException(401, "Authorization must be 'Bearer <token>'")
    try:
        user = authenticate(token.strip(), store)
    except NotFound:
        raise HTTPException(401, "unknown or revoked token") from None
    return user.audience, user.name


def requires(*roles: Role) -> Callable[[RequestContext], RequestContext]:
    """Return a check that the request's audience has one of ``roles`` (else 403)."""

    def check(context: RequestContext) -> RequestContext:
        if context.audience.role not in roles:
            allowed = ", ".join(role.value for role in roles)
            raise HTTPException(403, f"this needs one of the roles: {allowed}")
        return context

    return check
