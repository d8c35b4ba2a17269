"""Tampering with a PostgreSQL store behind its back: every case must be caught by verify.

The PostgreSQL side of ``test_ledger_tamper.py``: the same populated store (built by that
module's helpers) in a template database, copied once per case (``CREATE DATABASE … TEMPLATE``).
Each case switches the database's triggers off (``session_replication_role = replica``: neither
the append-only guards nor the foreign keys fire, as for a superuser bent on editing history) and
applies plain SQL. The column cases are generated from the live schema, so a column added later
is tampered with too. ``verify``, given the signing key and the last published checkpoint, must
report a problem and must never raise.

Left out on purpose: ``checkpoints.created_at`` (the keeper's local note, signed nowhere),
``schema_migrations`` (the migration tool's bookkeeping: a changed version is refused on open,
see ``tests/store/test_postgres_store.py``), and the web service's access tables (users,
credentials, revocations), which are not ledger records. Findings, reviews and publications are in
the template (the same rows as the SQLite suite's) and every column of theirs is tampered with.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from postgres import HOW_TO_RUN, Server, create_database, drop_database, unavailable

psycopg = pytest.importorskip("psycopg", reason=HOW_TO_RUN)

from test_ledger_tamper import (  # noqa: E402
    CLOCK,
    SAMPLES,
    SIGNER_TEXT,
    VERIFIER_TEXT,
    _incident,
    _ingest,
    _other_version,
    _report_ids,
    _verify_and_publish,
)

from ceasefire.agreement.loader import load_agreement  # noqa: E402
from ceasefire.agreement.stored import StoredAgreement  # noqa: E402
from ceasefire.geo.gazetteer import bundled  # noqa: E402
from ceasefire.intake import Intake  # noqa: E402
from ceasefire.intake.readers import Format, read_records  # noqa: E402
from ceasefire.ledger import Signer, Verifier  # noqa: E402
from ceasefire.ledger.keeper import LogKeeper  # noqa: E402
from ceasefire.store import open_store  # noqa: E402

_LEFT_OUT = {("checkpoints", "created_at")}
#: PostGIS's own catalogue, the migration bookkeeping, and the web service's access tables
#: (users, token hashes, revocations), which are access control and not ledger records.
_SKIPPED_TABLES = {
    "spatial_ref_sys",
    "geometry_columns",
    "geography_columns",
    "schema_migrations",
    "users",
    "credentials",
    "credential_revocations",
}


@dataclass(frozen=True)
class _Template:
    name: str
    trusted: bytes


@pytest.fixture(scope="module")
def template(postgres_server: Server) -> Iterator[_Template]:
    """The populated template database every case is copied from, and its published checkpoint."""
    if postgres_server.error is not None:
        unavailable(postgres_server.error)  # skips on a laptop, fails under CI=true
    name = f"{postgres_server.database}_tamper"
    url = create_database(name)
    signer = Signer.from_string(SIGNER_TEXT)
    agreement = load_agreement(SAMPLES / "minsk" / "agreement.yaml")
    with open_store(url, origin="mission.example/log") as store:
        keeper = LogKeeper(store, CLOCK)
        store.add_agreement(StoredAgreement.of(agreement, loaded_at=CLOCK.now()))
        _ingest(store, "patrols.jsonl")
        _ingest(store, "cameras.csv")
        keeper.checkpoint([signer])
        _ingest(store, "complaints.geojson")
        _ingest(store, "coverage.json")
        bad = '{"source_ref": "broken", "observed_at": "yesterday"}\n{"not": "a report"}\n'
        Intake(store, CLOCK, bundled()).ingest(read_records("bad.jsonl", bad, Format.JSONL))
        published = keeper.checkpoint([signer])
        store.add_agreement(_other_version(StoredAgreement.of(agreement, loaded_at=CLOCK.now())))
        first = _incident(_report_ids(store)[:2])
        store.write_incidents([first, _incident(_report_ids(store)[:3], supersedes=first.id)])
        _verify_and_publish(store, first)
        assert keeper.verify([Verifier.from_string(VERIFIER_TEXT)]).ok
    yield _Template(name, published.note)
    drop_database(name)


def _columns(url: str) -> list[tuple[str, str, str, bool]]:
    """(table, column, data type, is identity) of every column the store's schema holds."""
    with psycopg.connect(url) as db:
        rows = db.execute(
            "SELECT table_name, column_name, data_type, is_identity = 'YES'"
            " FROM information_schema.columns WHERE table_schema = 'public'"
            " ORDER BY table_name, ordinal_position"
        ).fetchall()
    return [
        (str(t), str(c), str(d), bool(i))
        for t, c, d, i in rows
        if t not in _SKIPPED_TABLES and (t, c) not in _LEFT_OUT
    ]


def _changed(column: str, data_type: str) -> str:
    """An expression that changes ``column``'s value, whatever its type."""
    return {
        "integer": f"{column} + 1000003",
        "bigint": f"{column} + 1000003",
        "double precision": f"{column} + 0.001",
        "bytea": "decode(md5(random()::text) || md5(random()::text), 'hex')",
        "timestamp with time zone": f"{column} + interval '1 second'",
        "USER-DEFINED": f"ST_Translate({column}, 0.001, 0)",
    }.get(data_type, f"{column} || 'x'")


def _edit(table: str, column: str, data_type: str, identity: bool) -> list[str]:
    """Change ``column`` on the first row that has a value there (or give the first one one)."""
    statements = [f"ALTER TABLE {table} ALTER COLUMN {column} DROP IDENTITY"] if identity else []
    some = f"(SELECT ctid FROM {table} WHERE {column} IS NOT NULL ORDER BY ctid LIMIT 1)"
    first = f"(SELECT ctid FROM {table} ORDER BY ctid LIMIT 1)"
    value = {
        "integer": "1",
        "bigint": "1",
        "double precision": "1.5",
        "bytea": "'\\x00'::bytea",
        "timestamp with time zone": "'2020-01-01T00:00:00+00:00'",
        "USER-DEFINED": "ST_SetSRID(ST_MakePoint(37.0, 48.0), 4326)",
    }.get(data_type, "'x'")
    statements.append(
        f"UPDATE {table} SET {column} = CASE WHEN {column} IS NULL THEN {value}"
        f" ELSE {_changed(column, data_type)} END"
        f" WHERE ctid = coalesce({some}, {first})"
    )
    return statements


def _delete_middle(table: str) -> list[str]:
    middle = (
        f"(SELECT ctid FROM {table} ORDER BY ctid LIMIT 1 OFFSET (SELECT count(*) / 2"
        f" FROM {table}))"
    )
    return [f"DELETE FROM {table} WHERE ctid = {middle}"]


def _swap_unique(table: str, column: str = "seq") -> list[str]:
    """Two rows trade their unique ``column`` (arrival order, a leaf's index)."""
    drop = [f"ALTER TABLE {table} ALTER COLUMN {column} DROP IDENTITY"] if column == "seq" else []
    a = f"(SELECT min({column}) FROM {table})"
    b = f"(SELECT {column} FROM {table} ORDER BY {column} LIMIT 1 OFFSET 1)"
    return [
        *drop,
        f"CREATE TEMP TABLE pair AS SELECT {a} AS a, {b} AS b",
        f"UPDATE {table} SET {column} = -1 WHERE {column} = (SELECT a FROM pair)",
        f"UPDATE {table} SET {column} = (SELECT a FROM pair) WHERE {column} = (SELECT b FROM pair)",
        f"UPDATE {table} SET {column} = (SELECT b FROM pair) WHERE {column} = -1",
    ]


def _swap(table: str, column: str) -> list[str]:
    """Swap ``column`` between the first two rows whose values differ."""
    return [
        f"CREATE TEMP TABLE pair AS SELECT x.ctid AS a, y.ctid AS b, x.{column} AS va,"
        f" y.{column} AS vb FROM {table} x, {table} y"
        f" WHERE x.{column} IS DISTINCT FROM y.{column} AND x.ctid < y.ctid"
        " ORDER BY x.ctid, y.ctid LIMIT 1",
        f"UPDATE {table} SET {column} = CASE WHEN ctid = (SELECT a FROM pair)"
        " THEN (SELECT vb FROM pair) ELSE (SELECT va FROM pair) END"
        " WHERE ctid IN ((SELECT a FROM pair), (SELECT b FROM pair))",
    ]


def _truncate_to(size: str) -> list[str]:
    """Cut the log and its records back to ``size`` leaves, consistently."""
    return [
        *[
            f"DELETE FROM {table} WHERE {key} IN (SELECT record_id FROM ledger_leaves"
            f" WHERE kind = '{kind}' AND idx >= {size})"
            for table, kind, key in (
                ("reports", "report", "id"),
                ("coverage", "coverage", "id"),
                ("quarantine", "quarantine", "id"),
                ("sources", "source", "id"),
                ("agreements", "agreement", "agreement_id || '@' || version"),
            )
        ],
        "DELETE FROM evidence e"
        " WHERE NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = e.report_id)",
        f"DELETE FROM ledger_leaves WHERE idx >= {size}",
        f"DELETE FROM ledger_nodes WHERE ((idx + 1) << level) > {size}",
        f"DELETE FROM checkpoints WHERE size > {size}",
    ]


_OTHER_CASES: list[tuple[str, list[str]]] = [
    *[
        (f"delete a middle row of {table}", _delete_middle(table))
        for table in (
            "sources", "reports", "evidence", "coverage", "quarantine", "agreements", "meta",
            "ledger_leaves", "ledger_nodes", "checkpoints", "incidents", "incident_reports",
        )
    ],
    ("delete every checkpoint", ["DELETE FROM checkpoints"]),
    ("delete every evidence row", ["DELETE FROM evidence"]),
    ("truncate to the first checkpoint", _truncate_to("(SELECT min(size) FROM checkpoints)")),
    ("truncate to 3 leaves", _truncate_to("3")),
    ("swap two reports' documents", _swap("reports", "document")),
    ("swap two reports' points", _swap("reports", "geom")),
    ("swap two coverage sectors", _swap("coverage", "sector")),
    ("swap two reports' seq (reorder)", _swap_unique("reports")),
    ("swap two coverage seq (reorder)", _swap_unique("coverage")),
    ("swap two quarantine seq (reorder)", _swap_unique("quarantine")),
    ("swap two incidents seq (reorder)", _swap_unique("incidents")),
    ("swap two leaves' hashes", _swap("ledger_leaves", "leaf_hash")),
    ("swap two whole leaves (reorder)", _swap_unique("ledger_leaves", "idx")),
    ("swap two level-0 nodes", _swap("ledger_nodes", "hash")),
    ("change the origin", ["UPDATE meta SET value = 'evil.example/log'"]),
    (
        "edit a report document, still valid JSON",
        [
            "UPDATE reports SET document = jsonb_set(document::jsonb, '{count}', '99')::text"
            " WHERE seq = 2"
        ],
    ),
    (
        "add an evidence row",
        [
            "INSERT INTO evidence SELECT id, 'ab' || substr(content_sha256, 3), 'image/png'"
            " FROM reports LIMIT 1"
        ],
    ),
    (
        "slip in a report without a leaf",
        [
            "INSERT INTO reports (id, source_id, source_ref, observed_at, observed_until, activity,"
            " geom, uncertainty_m, received_at, schema_version, content_sha256, document)"
            " SELECT id || '-copy', source_id, source_ref || '-copy', observed_at, observed_until,"
            " activity, geom, uncertainty_m, received_at, schema_version, content_sha256,"
            " document FROM reports LIMIT 1"
        ],
    ),
    (
        "append a leaf with no record",
        [
            "INSERT INTO ledger_leaves SELECT max(idx) + 1, 'report', 'r-ghost',"
            " decode(md5('x') || md5('y'), 'hex') FROM ledger_leaves"
        ],
    ),
    (
        "edit a checkpoint's signature",
        ["UPDATE checkpoints SET note = replace(note, substr(note, length(note) - 20, 8),"
         " 'AAAAAAAA') WHERE seq = 1"],
    ),
]  # fmt: skip


def _cases() -> list[tuple[str, list[str]]]:
    return [
        (f"edit {table}.{column}", _edit(table, column, data_type, identity))
        for table, column, data_type, identity in _COLUMNS
    ] + _OTHER_CASES


#: The schema's columns, read from a fresh store at collection time (empty without a server).
def _schema_columns() -> list[tuple[str, str, str, bool]]:
    server = Server()
    try:
        if server.error is not None:
            return []
        url = server.fresh_schema()
        open_store(url).close()
        with psycopg.connect(url) as db:
            schema = url.split("search_path%3D", 1)[1].split("%2C", 1)[0]
            rows = db.execute(
                "SELECT table_name, column_name, data_type, is_identity = 'YES'"
                " FROM information_schema.columns WHERE table_schema = %s"
                " ORDER BY table_name, ordinal_position",
                (schema,),
            ).fetchall()
        return [
            (str(t), str(c), str(d), bool(i))
            for t, c, d, i in rows
            if t not in _SKIPPED_TABLES and (t, c) not in _LEFT_OUT
        ]
    finally:
        server.drop()


_COLUMNS = _schema_columns()
CASES = _cases()


def _tampered(template: _Template, statements: list[str]) -> Iterator[str]:
    name = f"{template.name}_{uuid.uuid4().hex[:8]}"
    url = create_database(name, template=template.name)
    try:
        with psycopg.connect(url, autocommit=True) as db:
            db.execute("SET session_replication_role = replica")
            changed = 0
            for statement in statements:
                changed += max(db.execute(statement).rowcount, 0)
            assert changed > 0, f"the tampering changed nothing: {statements}"
        yield url
    finally:
        drop_database(name)


@pytest.mark.parametrize(("name", "statements"), CASES, ids=[name for name, _ in CASES])
def test_tampering_is_caught_on_postgres(
    template: _Template, name: str, statements: list[str]
) -> None:
    """After the tampering, verify (key and published checkpoint given) reports a problem."""
    for url in _tampered(template, statements):
        with open_store(url) as store:
            result = LogKeeper(store, CLOCK).verify(
                [Verifier.from_string(VERIFIER_TEXT)], trusted=[template.trusted]
            )
        assert not result.ok, f"{name}: not caught"


def test_the_postgres_suite_covers_the_schema(template: _Template) -> None:
    """Every column of every table (but the two left out) is edited by some case, the suite
    is large, and the untouched copy verifies (so each catch is the tampering's doing)."""
    from postgres import database_url

    assert set(_COLUMNS) == set(_columns(database_url(template.name)))
    assert len(CASES) >= 80
    with open_store(database_url(template.name)) as store:
        result = LogKeeper(store, CLOCK).verify(
            [Verifier.from_string(VERIFIER_TEXT)], trusted=[template.trusted]
        )
    assert result.ok, result.problems
