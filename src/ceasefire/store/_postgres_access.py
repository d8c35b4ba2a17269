"""The PostgreSQL tables of users, API tokens (by hash) and issued documents: SQLite's rules.

Users and credentials are not ledger records (credentials are not the mission's record, and the
ledger is published); a revocation is a row appended beside its token. Publications are ledger
records (kind ``publication``), queued for the log in the write transaction.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

import psycopg
from psycopg import Connection

from ceasefire.errors import NotFound, StoreError
from ceasefire.publication.access import Credential, User
from ceasefire.publication.audience import Audience
from ceasefire.publication.record import Publication
from ceasefire.store._postgres_ledger import PostgresLog
from ceasefire.store._sqlite_rows import json_text

__all__ = [
    "MIGRATION",
    "add_credential",
    "add_publication",
    "add_user",
    "credentials",
    "publications",
    "revoke_credential",
    "users",
]

#: PostgreSQL's migration 4 (SQLite's 4 and 5 in one).
MIGRATION = """
CREATE TABLE users (
    name text PRIMARY KEY,
    audience text NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE TABLE credentials (
    token_sha256 text PRIMARY KEY,
    user_name text NOT NULL REFERENCES users (name),
    created_at timestamptz NOT NULL
);
CREATE TABLE credential_revocations (
    token_sha256 text PRIMARY KEY REFERENCES credentials (token_sha256),
    revoked_at timestamptz NOT NULL
);
CREATE TABLE publications (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    id text NOT NULL UNIQUE,
    document text NOT NULL
);
"""
TABLES = ("users", "credentials", "credential_revocations", "publications")


def add_user(db: Connection, user: User) -> None:
    """Register a user; a name already taken is refused."""
    try:
        db.execute(
            "INSERT INTO users (name, audience, created_at) VALUES (%s, %s, %s)",
            (user.name, str(user.audience), user.created_at),
        )
    except psycopg.errors.UniqueViolation:
        raise StoreError(f"user {user.name!r} already exists") from None


def users(db: Connection) -> Sequence[User]:
    """Return every user, by name."""
    rows = db.execute("SELECT name, audience, created_at FROM users ORDER BY name").fetchall()
    return [User(row[0], Audience.parse(row[1]), row[2]) for row in rows]


def add_credential(db: Connection, credential: Credential) -> None:
    """Keep a token's hash for a registered user."""
    known = db.execute("SELECT 1 FROM users WHERE name = %s", (credential.user,)).fetchone()
    if known is None:
        raise NotFound(f"no user {credential.user!r}; add one with `ceasefire users add`")
    db.execute(
        "INSERT INTO credentials (token_sha256, user_name, created_at) VALUES (%s, %s, %s)",
        (credential.token_sha256, credential.user, credential.created_at),
    )


def revoke_credential(db: Connection, token_sha256: str, at: datetime) -> None:
    """Append the revocation of a token (revoking twice changes nothing)."""
    known = db.execute(
        "SELECT 1 FROM credentials WHERE token_sha256 = %s", (token_sha256,)
    ).fetchone()
    if known is None:
        raise NotFound("no such token")
    db.execute(
        "INSERT INTO credential_revocations (token_sha256, revoked_at) VALUES (%s, %s)"
        " ON CONFLICT DO NOTHING",
        (token_sha256, at),
    )


def credentials(db: Connection) -> Sequence[Credential]:
    """Return every token hash, with its revocation time if it was revoked."""
    rows = db.execute(
        "SELECT c.token_sha256, c.user_name, c.created_at, r.revoked_at FROM credentials c"
        " LEFT JOIN credential_revocations r ON r.token_sha256 = c.token_sha256"
        " ORDER BY c.created_at"
    ).fetchall()
    return [Credential(row[0], row[1], row[2], row[3]) for row in rows]


def add_publication(db: Connection, log: PostgresLog, publication: Publication) -> bool:
    """Keep an issued document's record and queue it for the log; ``False`` if kept already."""
    body = publication.to_dict()
    row = db.execute(
        "INSERT INTO publications (id, document) VALUES (%s, %s) ON CONFLICT DO NOTHING"
        " RETURNING id",
        (publication.id, json_text(body)),
    ).fetchone()
    if row is None:
        return False
    log.append("publication", publication.id, body)
    return True


def publications(db: Connection) -> list[Publication]:
    """Return the issued documents, oldest first."""
    rows = db.execute("SELECT document FROM publications ORDER BY seq").fetchall()
    return [Publication.from_dict(json.loads(row[0])) for row in rows]
