"""The agreement commands: check, load, show; exit codes and messages."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from ceasefire.cli import cli

REPO = Path(__file__).resolve().parents[2]
MINSK = REPO / "examples" / "minsk" / "agreement.yaml"
BAD = REPO / "tests" / "agreement" / "bad"


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_check_accepts_the_minsk_example() -> None:
    """`agreement check` passes the shipped Minsk example with exit code 0."""
    code, out, _ = _run("agreement", "check", str(MINSK))
    assert code == 0
    assert "no problems" in out


def test_check_lists_every_problem_and_exits_1() -> None:
    """A file with several errors is refused with each one named by file and path."""
    path = BAD / "many_errors_at_once.yaml"
    code, _, err = _run("agreement", "check", str(path))
    expected = [
        line.split(":", 1)[1].strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect:")
    ]
    assert code == 1
    assert len(expected) >= 3
    for expectation in expected:
        where = expectation.split(":", 1)[0]
        assert f"many_errors_at_once.yaml: {where}" in err


def test_load_keeps_versions_and_show_renders_them(tmp_path: Path) -> None:
    """Loading twice stores one version; show lists it and writes the zones as GeoJSON."""
    db = str(tmp_path / "a.db")
    assert _run("--db", db, "agreement", "load", str(MINSK))[0] == 0
    code, out, _ = _run("--db", db, "agreement", "load", str(MINSK))
    assert code == 0
    assert "nothing changed" in out
    geojson = tmp_path / "zones.geojson"
    code, out, _ = _run("--db", db, "agreement", "show", "minsk", "--geojson", str(geojson))
    assert code == 0
    assert "disengagement_zolote" in out
    features = json.loads(geojson.read_text())["features"]
    assert any(f["properties"].get("id") == "withdrawal_artillery_ua" for f in features)


def test_show_before_any_load_is_refused(tmp_path: Path) -> None:
    """`agreement show` on an empty store exits 1 saying nothing is stored."""
    _run("--db", str(tmp_path / "a.db"), "init")
    code, _, err = _run("--db", str(tmp_path / "a.db"), "agreement", "show")
    assert code == 1
    assert "no agreement stored" in err
