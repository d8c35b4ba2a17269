"""The CLI behaves: user errors are one clear line with exit 1 or 2, never a traceback; user text
is never read as markup; read-only commands refuse a store that is not there; piped output is
tab-separated; ids are shown whole and taken as unique prefixes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ceasefire.cli import cli
from records import jsonl, report

#: Makes rich treat CliRunner's output as a terminal, to see the tables people see.
TERMINAL = {"TTY_COMPATIBLE": "1", "COLUMNS": "250"}


def _invoke(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> Result:
    # catch_exceptions=False: a traceback would fail the test instead of hiding in the result.
    return CliRunner().invoke(cli, list(args), input=stdin, env=env, catch_exceptions=False)


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A store with two reports from one source (a point and a bearing without range)."""
    path = str(tmp_path / "s.db")
    bearing = {"observer": {"lon": 37.7, "lat": 48.1}, "bearing_deg": 90}
    records = [
        report("a", location={"lon": 37.75, "lat": 48.14, "uncertainty_m": 500}),
        report("b", activity="mortar_fire", location=bearing,
               observed_at="2020-09-16T10:00:00+03:00"),
    ]  # fmt: skip
    source = Path(path).with_suffix(".jsonl")
    source.write_text(jsonl(records))
    assert _invoke("--db", path, "ingest", str(source)).exit_code == 0
    return path


def _ids(db: str) -> list[str]:
    out = _invoke("--db", db, "reports").stdout
    return [line.split("\t")[0] for line in out.splitlines()]


# --- no traceback, one clear line ----------------------------------------------------------


def test_agreement_show_at_yesterday_is_a_usage_error_before_any_output(db: str) -> None:
    """`agreement show --at yesterday` exits 2 naming the option and prints nothing else."""
    result = _invoke("--db", db, "agreement", "show", "--at", "yesterday")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "--at" in result.stderr
    assert "'yesterday' is not an ISO 8601 date and time" in result.stderr


def test_a_time_without_offset_is_refused_with_the_same_message_as_records(db: str) -> None:
    """The CLI's times go through the records' one parser: no offset is refused the same way."""
    result = _invoke("--db", db, "reports", "--since", "2020-09-15T00:00")
    assert result.exit_code == 2
    assert "has no UTC offset" in result.stderr


def test_keygen_over_an_existing_key_refuses_and_keeps_it(tmp_path: Path) -> None:
    """A second `ledger keygen` of the same name exits 1 and leaves the first key untouched."""
    keys = tmp_path / "keys"
    assert _invoke("ledger", "keygen", "lead", "--dir", str(keys)).exit_code == 0
    before = (keys / "lead.key").read_bytes()
    again = _invoke("ledger", "keygen", "lead", "--dir", str(keys))
    assert again.exit_code == 1
    assert "already exists" in again.stderr
    assert len(again.stderr.strip().splitlines()) == 1
    assert (keys / "lead.key").read_bytes() == before


def test_a_public_key_where_a_private_one_is_needed_and_the_reverse(
    db: str, tmp_path: Path
) -> None:
    """Signing with a .pub or verifying with a .key exits 1 with one line saying which it is,
    and never echoes the private key."""
    keys = tmp_path / "keys"
    _invoke("ledger", "keygen", "lead", "--dir", str(keys))
    signing = _invoke("--db", db, "ledger", "checkpoint", "--key", str(keys / "lead.pub"))
    assert signing.exit_code == 1
    assert "is a public key" in signing.stderr
    checking = _invoke("--db", db, "ledger", "verify", "--key", str(keys / "lead.key"))
    assert checking.exit_code == 1
    assert "is a private key" in checking.stderr
    secret = (keys / "lead.key").read_text().strip().rsplit("+", 1)[1]
    assert secret not in checking.stderr + checking.stdout


# --- user text is never markup -------------------------------------------------------------


def test_markup_in_records_is_shown_exactly_as_sent(tmp_path: Path) -> None:
    """A record whose values hold rich markup is shown verbatim in the refusal, the quarantine
    table and `reports show`."""
    db = str(tmp_path / "m.db")
    path = tmp_path / "m.jsonl"
    path.write_text(
        jsonl(
            [
                report("ok", narrative="[bold]explosion[/bold] at [lon, lat]"),
                report("bad", activity="[bold]explosion[/bold]"),
            ]
        )
    )
    ingest = _invoke("--db", db, "ingest", str(path))
    assert ingest.exit_code == 1
    assert "'[bold]explosion[/bold]'" in ingest.stderr
    shown = _invoke("--db", db, "quarantine", env=TERMINAL)
    assert "[bold]explosion[/bold]" in shown.stdout
    [report_id] = _ids(db)
    detail = _invoke("--db", db, "reports", "show", report_id, env=TERMINAL)
    assert "[bold]explosion[/bold] at [lon, lat]" in detail.stdout


def test_markup_in_an_error_message_is_shown_exactly(tmp_path: Path) -> None:
    """A refusal naming a file whose name looks like markup prints the name as it is."""
    path = tmp_path / "[red]x.jsonl"
    path.write_bytes(b'{"a": "\xff"}\n')
    result = _invoke("--db", str(tmp_path / "e.db"), "ingest", str(path))
    assert result.exit_code == 1
    assert "[red]x.jsonl: line 1: not UTF-8" in result.stderr


# --- read-only commands refuse a store that is not there -----------------------------------


@pytest.mark.parametrize(
    "command",
    [
        ("reports",),
        ("reports", "show", "r-0000"),
        ("sources",),
        ("quarantine",),
        ("agreement", "show"),
        ("ledger", "verify"),
        ("ledger", "checkpoints"),
        ("ledger", "prove", "r-0000"),
    ],
    ids=" ".join,
)
def test_read_only_commands_refuse_a_missing_store(tmp_path: Path, command: tuple[str]) -> None:
    """A read-only command on a --db that names nothing exits 2 and creates no file."""
    missing = tmp_path / "typo.db"
    result = _invoke("--db", str(missing), *command)
    assert result.exit_code == 2
    assert f"no store at {missing}; create one with `ceasefire init`" in result.stderr
    assert not missing.exists()


def test_verify_of_an_empty_log_says_so_without_a_check_mark(tmp_path: Path) -> None:
    """`ledger verify` on a new store says the log is empty and shows no ✓."""
    db = str(tmp_path / "e.db")
    _invoke("--db", db, "init")
    result = _invoke("--db", db, "ledger", "verify")
    assert result.exit_code == 0
    assert "empty" in result.stdout
    assert "✓" not in result.stdout


def test_init_origin_on_a_store_with_another_origin_refuses(tmp_path: Path) -> None:
    """`init --origin` on an existing store with a different origin exits 1; the same is fine."""
    db = str(tmp_path / "o.db")
    assert _invoke("--db", db, "init", "--origin", "a.example/log").exit_code == 0
    assert _invoke("--db", db, "init", "--origin", "a.example/log").exit_code == 0
    other = _invoke("--db", db, "init", "--origin", "b.example/log")
    assert other.exit_code == 1
    assert "already names its ledger a.example/log" in other.stderr


# --- ingest ----------------------------------------------------------------------------------


def test_ingest_prints_one_row_per_file(tmp_path: Path) -> None:
    """Two files give two tab-separated rows (file, accepted, duplicate, rejected) when piped."""
    db = str(tmp_path / "i.db")
    first, second = tmp_path / "one.jsonl", tmp_path / "two.jsonl"
    first.write_text(jsonl([report("a"), report("b")]))
    second.write_text(jsonl([report("a"), report("c", activity="nope")]))
    result = _invoke("--db", db, "ingest", str(first), str(second))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["one.jsonl\t2\t0\t0", "two.jsonl\t0\t1\t1"]
    assert "2 accepted, 1 duplicate, 1 rejected" in result.stderr


def test_ingest_dash_reads_standard_input(tmp_path: Path) -> None:
    """`ingest -` takes the records from standard input, named <stdin> in the receipt."""
    db = str(tmp_path / "i.db")
    result = _invoke("--db", db, "ingest", "-", "--json", stdin=jsonl([report("a")]))
    assert result.exit_code == 0
    receipt = json.loads(result.stdout)
    assert receipt["accepted"] == 1
    assert receipt["records"][0]["origin"] == "<stdin>"


def test_acks_and_json_are_exclusive(tmp_path: Path) -> None:
    """--acks with --json is a usage error (exit 2) and nothing is stored."""
    path = tmp_path / "a.jsonl"
    path.write_text(jsonl([report("a")]))
    db = tmp_path / "x.db"
    result = _invoke("--db", str(db), "ingest", str(path), "--acks", "--json")
    assert result.exit_code == 2
    assert "exclusive" in result.stderr
    assert not db.exists()


def test_gazetteer_option_resolves_places_from_the_given_file(tmp_path: Path) -> None:
    """A place only in the --gazetteer file is resolved with it and refused without it."""
    gazetteer = tmp_path / "places.csv"
    gazetteer.write_text(
        "geonameid,name,latitude,longitude,countrycode,admin1code,population,timezone,"
        "alternatenames\n1,Testdorf,48.5,38.25,UA,05,10,Europe/Kyiv,\n"
    )
    path = tmp_path / "p.jsonl"
    path.write_text(jsonl([report("p", location={"place": "Testdorf"})]))
    without = _invoke("--db", str(tmp_path / "a.db"), "ingest", str(path), "--json")
    assert json.loads(without.stdout)["rejected"] == 1
    db = str(tmp_path / "b.db")
    taken = _invoke("--db", db, "ingest", str(path), "--gazetteer", str(gazetteer), "--json")
    assert json.loads(taken.stdout)["accepted"] == 1
    [line] = _invoke("--db", db, "reports").stdout.splitlines()
    assert line.split("\t")[5] == "38.25000, 48.50000"


def test_a_malformed_gazetteer_is_refused_in_one_line(tmp_path: Path) -> None:
    """A --gazetteer file without the GeoNames columns exits 1 naming the missing columns."""
    gazetteer = tmp_path / "bad.csv"
    gazetteer.write_text("name,lat\nX,1\n")
    path = tmp_path / "p.jsonl"
    path.write_text(jsonl([report("p")]))
    result = _invoke(
        "--db", str(tmp_path / "g.db"), "ingest", str(path), "--gazetteer", str(gazetteer)
    )
    assert result.exit_code == 1
    assert "missing column" in result.stderr


# --- tables, ids, formats --------------------------------------------------------------------


def test_reports_piped_are_tab_separated_with_full_ids_lon_first_and_dashes(db: str) -> None:
    """Piped `reports`: one TSV row per report, full id, lon before lat, "—" where unknown."""
    rows = [line.split("\t") for line in _invoke("--db", db, "reports").stdout.splitlines()]
    assert [len(row) for row in rows] == [7, 7]
    point, bearing = rows
    assert len(point[0]) == 34
    assert point[0].startswith("r-")
    assert point[2] == "2020-09-15T18:40:00Z"  # 21:40+03:00 in the one convention, UTC
    assert point[5] == "37.75000, 48.14000"
    assert bearing[5:] == ["—", "—"]


def test_reports_table_on_a_terminal_shows_whole_ids(db: str) -> None:
    """On a terminal the table keeps every id whole, even in a narrow window."""
    narrow = TERMINAL | {"COLUMNS": "60"}
    out = _invoke("--db", db, "reports", env=narrow).stdout
    for report_id in _ids(db):
        assert report_id in out


def test_reports_filters(db: str) -> None:
    """--source, --activity, --since and --until each narrow the list."""

    def count(*options: str) -> int:
        result = _invoke("--db", db, "reports", "--format", "json", *options)
        assert result.exit_code == 0
        return len(result.stdout.splitlines())

    assert count() == 2
    assert count("--source", "cam-1") == 2
    assert count("--source", "nobody") == 0
    assert count("--activity", "mortar_fire") == 1
    assert count("--since", "2020-09-16T00:00:00+03:00") == 1
    assert count("--until", "2020-09-15T18:40:00Z") == 0  # until is exclusive
    assert count("--until", "2020-09-15T18:40:01Z") == 1


def test_reports_csv_and_geojson(db: str) -> None:
    """CSV has lon and lat columns (empty when unknown); GeoJSON has [lon, lat] points."""
    csv_out = _invoke("--db", db, "reports", "--format", "csv").stdout.splitlines()
    assert csv_out[0] == "id,source,observed_at,activity,count,lon,lat,±m"
    assert csv_out[1].endswith(",37.75,48.14,500")
    assert csv_out[2].endswith(",,,")
    collection = json.loads(_invoke("--db", db, "reports", "--format", "geojson").stdout)
    point, bearing = collection["features"]
    assert point["geometry"] == {"type": "Point", "coordinates": [37.75, 48.14]}
    assert bearing["geometry"] is None


def test_reports_show_takes_a_unique_prefix_and_refuses_an_ambiguous_one(db: str) -> None:
    """`reports show` finds a report by a unique id prefix; an ambiguous one exits 2 listing
    the candidates."""
    first, second = _ids(db)
    shown = _invoke("--db", db, "reports", "show", first[:10], "--json")
    assert shown.exit_code == 0
    assert json.loads(shown.stdout)["id"] == first
    common = next(i for i in range(2, 34) if first[:i] != second[:i]) - 1
    if common >= 4:
        ambiguous = _invoke("--db", db, "reports", "show", first[:common])
        assert ambiguous.exit_code == 2
    missing = _invoke("--db", db, "reports", "show", "r-ffffffffffffffffffffffffffffffffff")
    assert missing.exit_code == 1
    assert "no report" in missing.stderr


def test_ambiguous_prefix_is_a_usage_error(tmp_path: Path) -> None:
    """Among many reports some share a 4-character prefix; giving it exits 2 naming it."""
    db = str(tmp_path / "many.db")
    path = tmp_path / "many.jsonl"
    path.write_text(jsonl([report(f"ref-{n}") for n in range(300)]))
    _invoke("--db", db, "ingest", str(path))
    ids = _ids(db)
    prefixes = [i[:4] for i in ids]
    shared = next(p for p in prefixes if prefixes.count(p) > 1)  # "r-" + 2 hex: 256 values
    result = _invoke("--db", db, "reports", "show", shared)
    assert result.exit_code == 2
    assert "ambiguous" in result.stderr


def test_sources_lists_the_registered_sources(db: str) -> None:
    """`sources` lists each registered source once, "—" for what is not known."""
    rows = [line.split("\t") for line in _invoke("--db", db, "sources").stdout.splitlines()]
    assert rows == [["cam-1", "camera", "Test mission", "A", "—"]]


def test_a_db_that_is_not_a_store_is_refused_in_one_line(tmp_path: Path) -> None:
    """--db naming a file that is not SQLite exits 1 with one line and leaves the file as it was."""
    wrong = tmp_path / "notes.txt"
    wrong.write_text("not a database\n")
    result = _invoke("--db", str(wrong), "reports")
    assert result.exit_code == 1
    assert "is not a ceasefire store" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert wrong.read_text() == "not a database\n"
