"""The SQLite tables of users and API tokens (by hash), mixed into :class:`SQLiteStore`."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from contextlib import AbstractContextManager
from datetime import UTC, datetime

from ceasefire.errors import NotFound, StoreError
from ceasefire.publication.access import Credential, User
from ceasefire.publication.audience import Audience

__all__ = ["SQLiteAccess"]


class SQLiteAccess:
    """Users and credentials; the host class provides ``_db`` and ``_transaction()``."""

    _db: sqlite3.Connection

    def _transaction(self) -> AbstractContextManager[None]:
        raise NotImplementedError  # provided by the store this is mixed into

    def add_user(self, user: User) -> None:
        """Register a user; a name already taken is refused."""
        with self._transaction():
            try:
                self._db.execute(
                    "INSERT INTO users (name, audience, created_at) VALUES (?, ?, ?)",
                    (user.name, str(user.audience), _utc(user.created_at)),
                )
            except sqlite3.IntegrityError:
                raise StoreError(f"user {user.name!r} already exists") from None

    def users(self) -> Sequence[User]:
        """Return every user, by name."""
        rows = self._db.execute("SELECT name, audience, created_at FROM users ORDER BY name")
        return [
            User(row[0], Audience.parse(row[1]), datetime.fromisoformat(row[2])) for row in rows
        ]

    def add_credential(self, credential: Credential) -> None:
        """Keep a token's hash for a registered user."""
        with self._transaction():
            known = self._db.execute(
                "SELECT 1 FROM users WHERE name = ?", (credential.user,)
            ).fetchone()
            if known is None:
                raise NotFound(f"no user {credential.user!r}; add one with `ceasefire users add`")
            self._db.execute(
                "INSERT INTO credentials (token_sha256, user_name, created_at) VALUES (?, ?, ?)",
                (credential.token_sha256, credential.user, _utc(credential.created_at)),
            )

    def revoke_credential(self, token_sha256: str, at: datetime) -> None:
        """Append the revocation of a token (revoking twice changes nothing)."""
        with self._transaction():
            known = self._db.execute(
                "SELECT 1 FROM credentials WHERE token_sha256 = ?", (token_sha256,)
            ).fetchone()
            if known is None:
                raise NotFound("no such token")
            self._db.execute(
                "INSERT INTO credential_revocations (token_sha256, revoked_at) VALUES (?, ?)"
                " ON CONFLICT DO NOTHING",
                (token_sha256, _utc(at)),
            )

    def credentials(self) -> Sequence[Credential]:
        """Return every token hash, with its revocation time if it was revoked."""
        rows = self._db.execute(
            "SELECT c.token_sha256, c.user_name, c.created_at, r.revoked_at FROM credentials c"
            " LEFT JOIN credential_revocations r ON r.token_sha256 = c.token_sha256"
            " ORDER BY c.created_at"
        )
        return [
            Credential(
                row[0],
                row[1],
                datetime.fromisoformat(row[2]),
                datetime.fromisoformat(row[3]) if row[3] else None,
            )
            for row in rows
        ]


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()
