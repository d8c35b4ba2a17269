"""Tampering with a store behind its back: every case must be caught by ``ledger verify``.

A populated store (point, place and bearing reports, evidence, coverage, quarantine, two
sources, two agreement versions, two signed checkpoints and records after the last) is copied
once per case; the copy's append-only triggers are dropped and one tampering is applied with
plain SQL. ``verify`` — with the signing key and the last checkpoint as published outside the
store (``--checkpoint``) — must then report at least one problem, and must never raise.

Not in the suite, on purpose: ``checkpoints.created_at`` is the keeper's local note of when it
signed, not part of any signed or logged document, so no audit can check it (docs/ledger.md);
and the users, API-token hashes and revocations of the web service, which are access control,
not the mission's record, and are deliberately kept out of the published ledger
(docs/publication.md).
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from ceasefire.agreement.loader import load_agreement
from ceasefire.agreement.stored import StoredAgreement
from ceasefire.clock import FixedClock
from ceasefire.geo.gazetteer import bundled
from ceasefire.intake import Intake
from ceasefire.intake.readers import Format, read_records
from ceasefire.ledger import Signer, Verifier, generate_key
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.model.activity import Activity
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.incident import Incident, IncidentReport, ReviewState, incident_id
from ceasefire.model.location import Estimate
from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability
from ceasefire.publication.record import publication_of
from ceasefire.store import Store, open_store
from ceasefire.verification.review import plan_decision

CLOCK = FixedClock(datetime(2026, 1, 1, tzinfo=UTC))
SAMPLES = Path(__file__).resolve().parents[2] / "src" / "ceasefire" / "samples"
SIGNER_TEXT, VERIFIER_TEXT = generate_key("lead")


@dataclass(frozen=True)
class _Template:
    db: Path
    trusted: bytes


def _ingest(store: object, name: str) -> None:
    path = SAMPLES / "reports" / name
    raw = read_records(name, path.read_text(encoding="utf-8"), Format.AUTO)
    Intake(store, CLOCK, bundled()).ingest(raw)  # type: ignore[arg-type]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> _Template:
    """The populated store every case starts from, and its published checkpoint."""
    db = tmp_path_factory.mktemp("tamper") / "template.db"
    signer = Signer.from_string(SIGNER_TEXT)
    agreement = load_agreement(SAMPLES / "minsk" / "agreement.yaml")
    with open_store(db, origin="mission.example/log") as store:
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
        _ingest(store, "patrols.jsonl")  # duplicates: nothing new, but proves re-sending is inert
        assert keeper.verify([Verifier.from_string(VERIFIER_TEXT)]).ok
    return _Template(db, published.note)


def _verify_and_publish(store: Store, incident: Incident) -> None:
    """Two findings, two review decisions and one issued document, so that every table holds
    rows the suite can tamper with."""
    for clause, verdict in (("pom-1", Verdict.VIOLATION), ("pom-2", Verdict.NO_VIOLATION)):
        store.write_findings(
            [
                Finding(
                    id="", incident_id=incident.id, agreement_id="minsk",
                    agreement_version="2020-07-27", clause_id=clause, verdict=verdict,
                    reasons=("a reason",), reliability=Reliability.B,
                    credibility=Credibility.PROBABLY_TRUE, independent_sources=1,
                    attributed_to=None, attribution_basis="undetermined",
                ).with_identity()
            ]
        )  # fmt: skip
    first = plan_decision([], incident.id, ReviewState.UNDER_REVIEW, "ana", "taking", CLOCK.now())
    store.add_review(first)
    later = CLOCK.now() + timedelta(hours=1)
    store.add_review(plan_decision([first], incident.id, ReviewState.DISPUTED, "ana", "no", later))
    for audience in ("public", "lead"):
        store.add_publication(
            publication_of(
                f"%PDF the {audience} daily report".encode(), kind="daily_report",
                audience=audience, day=date(2020, 9, 16), media_type="application/pdf",
                checkpoint=None, made_at=CLOCK.now(),
            )
        )  # fmt: skip


def _report_ids(store: Store) -> list[str]:
    return [report.id for report in store.iter_reports()]


def _incident(report_ids: list[str], supersedes: str | None = None) -> Incident:
    start = datetime(2020, 9, 15, 18, 40, tzinfo=UTC)
    return Incident(
        id=incident_id(report_ids),
        activity=Activity.EXPLOSION,
        started_at=start,
        ended_at=start + timedelta(minutes=5),
        location=Estimate(37.75, 48.14, 500.0),
        count=2,
        reports=tuple(
            IncidentReport(rid, "cam-1", rid, index == 0) for index, rid in enumerate(report_ids)
        ),
        independent_sources=1,
        settings={"time_gate_s": 600},
        supersedes=supersedes,
    )


def _other_version(agreement: StoredAgreement) -> StoredAgreement:
    return replace(agreement, version=agreement.version + "-b", in_force_from=CLOCK.now())


def _columns(db: Path) -> Iterator[tuple[str, str]]:
    with sqlite3.connect(db) as connection:
        tables = [
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        for table in tables:
            for column in connection.execute(f"PRAGMA table_info({table})"):
                yield table, column[1]
    connection.close()


#: Change one value whatever its type, on the first row that has one.
_EDIT = (
    "UPDATE {t} SET {c} = CASE typeof({c}) WHEN 'integer' THEN {c} + 1000003"
    " WHEN 'real' THEN {c} + 0.001 WHEN 'blob' THEN randomblob(length({c}))"
    " WHEN 'null' THEN '2020-01-01T00:00:00+00:00' ELSE {c} || 'x' END"
    " WHERE {k} = (SELECT {k} FROM {t} ORDER BY ({c} IS NULL), {k} LIMIT 1)"
)


def _key(table: str) -> str:
    """An expression naming one row (ledger_nodes has no rowid)."""
    if table == "ledger_nodes":
        return "((level << 40) + idx)"
    if table == "incident_reports":
        return "(incident_id || report_id)"
    return "rowid"


#: See the module docstring: not part of any logged document, by design.
_NOT_LOGGED = {
    ("checkpoints", "created_at"),
    ("users", "name"),
    ("users", "audience"),
    ("users", "created_at"),
    ("credentials", "token_sha256"),
    ("credentials", "user_name"),
    ("credentials", "created_at"),
    ("credential_revocations", "token_sha256"),
    ("credential_revocations", "revoked_at"),
}


def _column_cases() -> list[tuple[str, list[str]]]:
    cases = []
    for table, column in _COLUMNS:
        if (table, column) in _NOT_LOGGED:
            continue
        cases.append((f"edit {table}.{column}", [_EDIT.format(t=table, c=column, k=_key(table))]))
    return cases


_COLUMNS = [
    ("sources", "id"),
    ("sources", "kind"),
    ("sources", "document"),
    ("reports", "seq"),
    ("reports", "id"),
    ("reports", "source_id"),
    ("reports", "source_ref"),
    ("reports", "observed_at"),
    ("reports", "observed_until"),
    ("reports", "activity"),
    ("reports", "lon"),
    ("reports", "lat"),
    ("reports", "uncertainty_m"),
    ("reports", "received_at"),
    ("reports", "schema_version"),
    ("reports", "content_sha256"),
    ("reports", "document"),
    ("evidence", "report_id"),
    ("evidence", "sha256"),
    ("evidence", "media_type"),
    ("coverage", "seq"),
    ("coverage", "id"),
    ("coverage", "source_id"),
    ("coverage", "status"),
    ("coverage", "observed_from"),
    ("coverage", "observed_until"),
    ("coverage", "received_at"),
    ("coverage", "content_sha256"),
    ("coverage", "document"),
    ("quarantine", "seq"),
    ("quarantine", "id"),
    ("quarantine", "origin"),
    ("quarantine", "position"),
    ("quarantine", "field"),
    ("quarantine", "reason"),
    ("quarantine", "raw"),
    ("quarantine", "received_at"),
    ("agreements", "seq"),
    ("agreements", "agreement_id"),
    ("agreements", "version"),
    ("agreements", "title"),
    ("agreements", "in_force_from"),
    ("agreements", "sha256"),
    ("agreements", "source_text"),
    ("agreements", "document"),
    ("agreements", "loaded_at"),
    ("meta", "key"),
    ("meta", "value"),
    ("ledger_leaves", "idx"),
    ("ledger_leaves", "kind"),
    ("ledger_leaves", "record_id"),
    ("ledger_leaves", "leaf_hash"),
    ("ledger_nodes", "level"),
    ("ledger_nodes", "idx"),
    ("ledger_nodes", "hash"),
    ("incidents", "seq"),
    ("incidents", "id"),
    ("incidents", "activity"),
    ("incidents", "started_at"),
    ("incidents", "ended_at"),
    ("incidents", "lon"),
    ("incidents", "lat"),
    ("incidents", "radius_m"),
    ("incidents", "supersedes"),
    ("incidents", "state"),
    ("incidents", "document"),
    ("incident_reports", "incident_id"),
    ("incident_reports", "report_id"),
    ("findings", "seq"),
    ("findings", "id"),
    ("findings", "key"),
    ("findings", "incident_id"),
    ("findings", "agreement_id"),
    ("findings", "agreement_version"),
    ("findings", "clause_id"),
    ("findings", "verdict"),
    ("findings", "document"),
    ("reviews", "seq"),
    ("reviews", "id"),
    ("reviews", "incident_id"),
    ("reviews", "decided_at"),
    ("reviews", "document"),
    ("publications", "seq"),
    ("publications", "id"),
    ("publications", "document"),
    *sorted(_NOT_LOGGED - {("checkpoints", "created_at")}),
    ("checkpoints", "seq"),
    ("checkpoints", "size"),
    ("checkpoints", "root"),
    ("checkpoints", "note"),
    ("checkpoints", "created_at"),
]


def _delete_middle(table: str) -> str:
    k = _key(table)
    middle = (
        f"(SELECT {k} FROM {table} ORDER BY {k} LIMIT 1 OFFSET (SELECT count(*) / 2 FROM {table}))"
    )
    return f"DELETE FROM {table} WHERE {k} = {middle}"


def _outer(table: str) -> str:
    return _key(table) if _key(table) != "rowid" else f"{table}.rowid"


def _swap(table: str, column: str) -> list[str]:
    """Swap ``column`` between the first two rows whose values differ."""
    k = _key(table)
    first = f"(SELECT {k} FROM {table} ORDER BY {k} LIMIT 1)"
    second = (
        f"(SELECT {k} FROM {table} WHERE {column} IS NOT (SELECT {column} FROM {table}"
        f" WHERE {k} = {first}) ORDER BY {k} LIMIT 1)"
    )
    return [
        f"CREATE TEMP TABLE pair AS SELECT {first} AS a, {second} AS b",
        f"CREATE TEMP TABLE vals AS SELECT {k} AS r, {column} AS v FROM {table}"
        f" WHERE {k} IN ((SELECT a FROM pair), (SELECT b FROM pair))",
        f"UPDATE {table} SET {column} = (SELECT v FROM vals WHERE r = CASE {_outer(table)}"
        " WHEN (SELECT a FROM pair) THEN (SELECT b FROM pair) ELSE (SELECT a FROM pair) END)"
        f" WHERE {k} IN ((SELECT a FROM pair), (SELECT b FROM pair))",
    ]


def _swap_unique(table: str, column: str = "seq") -> list[str]:
    """Swap a unique integer key (arrival order ``seq``, a leaf's ``idx``) of the first two
    rows: the two rows trade places."""
    pair = f"(SELECT {column} FROM {table} ORDER BY {column} LIMIT 1 OFFSET 1)"
    return [
        f"CREATE TEMP TABLE pair AS SELECT (SELECT min({column}) FROM {table}) AS a, {pair} AS b",
        f"UPDATE {table} SET {column} = -1 WHERE {column} = (SELECT a FROM pair)",
        f"UPDATE {table} SET {column} = (SELECT a FROM pair) WHERE {column} = (SELECT b FROM pair)",
        f"UPDATE {table} SET {column} = (SELECT b FROM pair) WHERE {column} = -1",
    ]


def _truncate_to(size: str) -> list[str]:
    """Cut the log and its records back to ``size`` leaves, consistently: only a checkpoint
    kept outside the store can show it."""
    statements = [
        f"DELETE FROM {table} WHERE {key} IN (SELECT record_id FROM ledger_leaves"
        f" WHERE kind = '{kind}' AND idx >= {size})"
        for table, kind, key in (
            ("reports", "report", "id"),
            ("coverage", "coverage", "id"),
            ("quarantine", "quarantine", "id"),
            ("sources", "source", "id"),
            ("agreements", "agreement", "agreement_id || '@' || version"),
        )
    ]
    return [
        *statements,
        "DELETE FROM evidence WHERE report_id NOT IN (SELECT id FROM reports)",
        f"DELETE FROM ledger_leaves WHERE idx >= {size}",
        f"DELETE FROM ledger_nodes WHERE ((idx + 1) << level) > {size}",
        f"DELETE FROM checkpoints WHERE size > {size}",
    ]


_OTHER_CASES: list[tuple[str, list[str]]] = [
    *[
        (f"delete a middle row of {table}", [_delete_middle(table)])
        for table in (
            "sources",
            "reports",
            "evidence",
            "coverage",
            "quarantine",
            "agreements",
            "meta",
            "ledger_leaves",
            "ledger_nodes",
            "checkpoints",
        )
    ],
    ("delete every checkpoint", ["DELETE FROM checkpoints"]),
    (
        "delete the last checkpoint",
        ["DELETE FROM checkpoints WHERE seq = (SELECT max(seq) FROM checkpoints)"],
    ),
    ("delete every evidence row", ["DELETE FROM evidence"]),
    ("delete a level-1 node", ["DELETE FROM ledger_nodes WHERE level = 1 AND idx = 2"]),
    ("truncate to the first checkpoint", _truncate_to("(SELECT min(size) FROM checkpoints)")),
    ("truncate to 3 leaves", _truncate_to("3")),
    ("swap two reports' documents", _swap("reports", "document")),
    ("swap two reports' lat", _swap("reports", "lat")),
    ("swap two reports' seq (reorder)", _swap_unique("reports")),
    ("swap two coverage seq (reorder)", _swap_unique("coverage")),
    ("swap two quarantine seq (reorder)", _swap_unique("quarantine")),
    ("swap two incidents seq (reorder)", _swap_unique("incidents")),
    ("swap two findings seq (reorder)", _swap_unique("findings")),
    ("swap two reviews seq (reorder)", _swap_unique("reviews")),
    ("swap two findings' verdicts", _swap("findings", "verdict")),
    ("delete a finding", [_delete_middle("findings")]),
    ("delete a review decision", [_delete_middle("reviews")]),
    ("delete a publication", [_delete_middle("publications")]),
    ("swap two publications seq (reorder)", _swap_unique("publications")),
    ("swap two leaves' hashes", _swap("ledger_leaves", "leaf_hash")),
    ("swap two leaves' records", _swap("ledger_leaves", "record_id")),
    ("swap two whole leaves (reorder)", _swap_unique("ledger_leaves", "idx")),
    ("swap two level-0 nodes", _swap("ledger_nodes", "hash")),
    ("swap the two checkpoints (reorder)", _swap_unique("checkpoints")),
    ("change the origin", ["UPDATE meta SET value = 'evil.example/log'"]),
    (
        "edit a report document, still valid JSON",
        ["UPDATE reports SET document = json_set(document, '$.count', 99) WHERE seq = 2"],
    ),
    (
        "edit a report's evidence in its document",
        [
            "UPDATE reports SET document = json_set(document, '$.evidence', json('[]'))"
            " WHERE id IN (SELECT report_id FROM evidence LIMIT 1)"
        ],
    ),
    (
        "edit a source document, still valid JSON",
        ["UPDATE sources SET document = json_set(document, '$.organisation', 'Someone else')"],
    ),
    (
        "add an evidence row",
        [
            "INSERT INTO evidence SELECT id, 'ab' || substr(content_sha256, 3), 'image/png'"
            " FROM reports LIMIT 1"
        ],
    ),
    (
        "add an evidence row for no report",
        ["INSERT INTO evidence VALUES ('r-nobody', 'aa', 'image/png')"],
    ),
    (
        "slip in a report without a leaf",
        [
            "INSERT INTO reports (id, source_id, source_ref, observed_at, observed_until, activity,"
            " lon, lat, uncertainty_m, received_at, schema_version, content_sha256, document)"
            " SELECT id || '-copy', source_id, source_ref || '-copy', observed_at, observed_until,"
            " activity, lon, lat, uncertainty_m, received_at, schema_version, content_sha256,"
            " document FROM reports LIMIT 1"
        ],
    ),
    (
        "append a leaf with no record",
        [
            "INSERT INTO ledger_leaves SELECT max(idx) + 1, 'report', 'r-ghost', randomblob(32)"
            " FROM ledger_leaves"
        ],
    ),
    (
        "truncate a leaf hash",
        ["UPDATE ledger_leaves SET leaf_hash = substr(leaf_hash, 1, 16) WHERE idx = 4"],
    ),
    (
        "edit a checkpoint's signature",
        [
            "UPDATE checkpoints SET note = replace(note, substr(note, -20, 8), 'AAAAAAAA') WHERE seq = 1"  # noqa: E501
        ],
    ),
]

CASES = _column_cases() + _OTHER_CASES


def _tampered(template: _Template, tmp_path: Path, statements: list[str]) -> Path:
    db = tmp_path / "tampered.db"
    shutil.copyfile(template.db, db)
    connection = sqlite3.connect(db, isolation_level=None)
    try:
        triggers = connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        before = connection.total_changes
        for statement in statements:
            connection.execute(statement)
        assert connection.total_changes > before, f"the tampering changed nothing: {statements}"
    finally:
        connection.close()
    return db


@pytest.mark.parametrize(("name", "statements"), CASES, ids=[name for name, _ in CASES])
def test_tampering_is_caught(
    template: _Template, tmp_path: Path, name: str, statements: list[str]
) -> None:
    """After the tampering, verify (key and published checkpoint given) reports a problem."""
    db = _tampered(template, tmp_path, statements)
    with open_store(db) as store:
        result = LogKeeper(store, CLOCK).verify(
            [Verifier.from_string(VERIFIER_TEXT)], trusted=[template.trusted]
        )
    assert not result.ok, f"{name}: not caught"


def test_the_suite_is_large_and_the_template_verifies(template: _Template) -> None:
    """The suite tries every column of every table but one and over 50 cases in all, and the
    untouched copy verifies (so each catch is the tampering's doing)."""
    listed = set(_COLUMNS)
    assert listed == set(_columns(template.db))  # no column of any table is left out
    assert len(CASES) >= 50
    with open_store(template.db) as store:
        assert (
            LogKeeper(store, CLOCK)
            .verify([Verifier.from_string(VERIFIER_TEXT)], trusted=[template.trusted])
            .ok
        )


_REMOVE_LAST_LEAF = [
    "CREATE TEMP TABLE last AS SELECT kind, record_id FROM ledger_leaves ORDER BY idx DESC LIMIT 1",
    "DELETE FROM agreements WHERE agreement_id || '@' || version = (SELECT record_id FROM last)",
    "DELETE FROM reports WHERE id = (SELECT record_id FROM last)",
    "DELETE FROM incident_reports WHERE incident_id = (SELECT record_id FROM last)",
    "DELETE FROM incidents WHERE id = (SELECT record_id FROM last)",
    "DELETE FROM findings WHERE id = (SELECT record_id FROM last)",
    "DELETE FROM reviews WHERE id = (SELECT record_id FROM last)",
    "DELETE FROM publications WHERE id = (SELECT record_id FROM last)",
    "DELETE FROM ledger_nodes WHERE ((idx + 1) << level) > (SELECT max(idx) FROM ledger_leaves)",
    "DELETE FROM ledger_leaves WHERE idx = (SELECT max(idx) FROM ledger_leaves)",
]


def test_what_came_after_the_last_published_checkpoint_cannot_be_proved_missing(
    template: _Template, tmp_path: Path
) -> None:
    """The documented limit of a local verify: the last entry (logged after the published
    checkpoint) removed with its record and nodes leaves a log that verifies; publishing a
    checkpoint is what moves that limit forward (docs/ledger.md)."""
    before = _size(template.db)
    db = _tampered(template, tmp_path, _REMOVE_LAST_LEAF)
    with open_store(db) as store:
        assert store.ledger_size() == before - 1
        assert LogKeeper(store, CLOCK).verify(trusted=[template.trusted]).ok


def _size(db: Path) -> int:
    with open_store(db) as store:
        return store.ledger_size()
