"""Who may ask: users, their audience, and the API tokens they authenticate with.

A token is shown once, when it is made, and the store keeps only its SHA-256: a copy of the
database (a backup, a leaked laptop) gives nobody a working token. Tokens are long random
strings (256 bits), so one SHA-256 without a salt is enough; the comparison of the presented
token's hash with the stored one is in constant time. Revoking a token appends a revocation: the
tables are append-only like every other, and the history of who could read what stays.

Users and tokens are not ledger records: they are not the mission's findings, and the ledger is
published.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from ceasefire.errors import InputRefused, NotFound
from ceasefire.publication.audience import Audience

__all__ = [
    "TOKEN_PREFIX",
    "AccessStore",
    "Credential",
    "User",
    "authenticate",
    "check_user_name",
    "hash_token",
    "new_token",
]

#: Every token starts with this, so a leaked one is recognisable (and greppable) as ours.
TOKEN_PREFIX = "cft_"
_USER_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")


@dataclass(frozen=True, slots=True)
class User:
    """Someone who logs in, and the audience they belong to."""

    name: str
    audience: Audience
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Credential:
    """A token as stored: its hash, whose it is, and whether it was revoked."""

    token_sha256: str
    user: str
    created_at: datetime
    revoked_at: datetime | None = None


class AccessStore(Protocol):
    """What access needs of a store."""

    def add_user(self, user: User) -> None:
        """Register a user (refuses a name already taken)."""
        ...

    def users(self) -> Sequence[User]:
        """Return every user."""
        ...

    def add_credential(self, credential: Credential) -> None:
        """Keep a new token's hash."""
        ...

    def revoke_credential(self, token_sha256: str, at: datetime) -> None:
        """Append a revocation of a token."""
        ...

    def credentials(self) -> Sequence[Credential]:
        """Return every token hash with its revocation, if any."""
        ...


def check_user_name(name: str) -> str:
    """Return ``name`` if it can name a user (letters, digits, ``._@-``; at most 64).

    Raises:
        InputRefused: it cannot.
    """
    if not _USER_NAME.match(name):
        raise InputRefused(f"user name {name!r}: use letters, digits and ._@- (at most 64)")
    return name


def new_token() -> str:
    """Return a new random API token (shown once; only its hash is kept)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Return the hex SHA-256 under which a token is kept."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def authenticate(token: str | None, store: AccessStore) -> User:
    """Return the user a presented token belongs to.

    Raises:
        NotFound: no token, an unknown token, or a revoked one (one message for all three, so
            that a caller learns nothing about which tokens exist).
    """
    refused = NotFound("unknown or revoked token")
    if not token:
        raise refused
    presented = hash_token(token)
    match: Credential | None = None
    for credential in store.credentials():
        # Compare every stored hash in constant time; do not stop at the first match.
        if hmac.compare_digest(presented, credential.token_sha256):
            match = credential
    if match is None or match.revoked_at is not None:
        raise refused
    for user in store.users():
        if user.name == match.user:
            return user
    raise refused
