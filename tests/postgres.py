"""A throw-away PostgreSQL database for the test session, and a fresh schema for each test.

The server is ``$CEASEFIRE_TEST_POSTGRES`` (default ``postgresql://postgres@127.0.0.1:5432/postgres``,
the CI machine's trust-auth server). One database, ``ceasefire_test_<random>``, is created per
session with PostGIS and dropped at its end; each test gets its own empty schema in it (put first on
the ``search_path`` through the URL), which is much cheaper than a database per test.

Without a reachable server (or without psycopg) the PostgreSQL tests skip, saying how to run them;
under ``CI=true`` that is a failure instead, so CI can never pass by skipping them.
"""

from __future__ import annotations

import os
import uuid
from urllib.parse import quote

import pytest

#: Read at import, before the suite's autouse fixture clears every CEASEFIRE_* variable.
SERVER = os.environ.get("CEASEFIRE_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")

HOW_TO_RUN = (
    "PostgreSQL tests need a PostgreSQL 15 server with PostGIS: on Debian, "
    "`apt-get install postgresql-15-postgis-3`, start it, and point CEASEFIRE_TEST_POSTGRES at a "
    "superuser URL (default postgresql://postgres@127.0.0.1:5432/postgres)"
)


def unavailable(reason: str) -> None:
    """Skip the test (fail it under ``CI=true``) because PostgreSQL cannot be used."""
    message = f"{reason}. {HOW_TO_RUN}"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    pytest.skip(message)


class Server:
    """The session's throw-away database on the test server."""

    def __init__(self) -> None:
        self.database = f"ceasefire_test_{uuid.uuid4().hex[:12]}"
        self.error: str | None = None
        try:
            import psycopg
        except ImportError:
            self.error = "psycopg is not installed (install the [postgres] extra)"
            return
        try:
            with psycopg.connect(SERVER, autocommit=True, connect_timeout=5) as admin:
                admin.execute(f'CREATE DATABASE "{self.database}"')
            with psycopg.connect(self.url(), autocommit=True) as db:
                db.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        except psycopg.Error as error:
            self.error = f"cannot use the PostgreSQL server at {SERVER}: {error}".strip()

    def url(self, schema: str | None = None) -> str:
        """Return the URL of the session database, with ``schema`` first on the search path."""
        import psycopg.conninfo

        url = psycopg.conninfo.make_conninfo(SERVER, dbname=self.database)
        if schema is not None:
            url = psycopg.conninfo.make_conninfo(url, options=f"-csearch_path={schema},public")
        return _as_url(url)

    def fresh_schema(self) -> str:
        """Create an empty schema and return a store URL that uses it."""
        if self.error is not None:
            unavailable(self.error)
        import psycopg

        schema = f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.url(), autocommit=True) as db:
            db.execute(f"CREATE SCHEMA {schema}")
        return self.url(schema)

    def drop(self) -> None:
        """Drop the session database."""
        if self.error is not None:
            return
        import psycopg

        with psycopg.connect(SERVER, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')


def _as_url(conninfo: str) -> str:
    """Turn a key=value conninfo into a postgresql:// URL (the form ``open_store`` takes)."""
    import psycopg.conninfo

    info = psycopg.conninfo.conninfo_to_dict(conninfo)
    user = info.pop("user", "postgres")
    host = info.pop("host", "127.0.0.1")
    port = info.pop("port", "5432")
    dbname = info.pop("dbname", "postgres")
    password = info.pop("password", None)
    auth = f"{quote(str(user))}:{quote(str(password))}" if password else quote(str(user))
    query = "&".join(f"{key}={quote(str(value))}" for key, value in info.items())
    return f"postgresql://{auth}@{host}:{port}/{dbname}" + (f"?{query}" if query else "")
