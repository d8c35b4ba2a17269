"""The agreement loader: golden bad inputs, all problems at once, documents that round-trip."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from ceasefire.agreement.loader import agreement_from_document, load_agreement, parse_agreement
from ceasefire.errors import AgreementInvalid

BAD = Path(__file__).parent / "bad"
_EXPECT = re.compile(r"^# expect: (?P<path>[^:]*): (?P<reason>.+)$")


def _expectations(path: Path) -> list[tuple[str, str]]:
    found = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found.append((match["path"], match["reason"]))
    return found


BAD_FILES = sorted(BAD.glob("*.yaml"))


def test_there_are_enough_golden_bad_inputs() -> None:
    """At least twenty distinct bad inputs are kept, each with its expectations."""
    assert len(BAD_FILES) >= 20
    assert all(_expectations(path) for path in BAD_FILES)


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_input_is_refused_with_its_reasons(path: Path) -> None:
    """Each golden bad file is refused with every (path, reason) its header expects."""
    with pytest.raises(AgreementInvalid) as caught:
        load_agreement(path)
    problems = caught.value.problems
    for expected_path, reason in _expectations(path):
        assert any(
            (p.path == expected_path or p.path.startswith(f"{expected_path},"))
            and reason in p.reason
            for p in problems
        ), f"{expected_path}: {reason!r} not among {[str(p) for p in problems]}"
    assert all(p.origin == str(path) for p in problems)


def test_all_problems_of_a_file_are_reported_at_once() -> None:
    """A file with seven different errors yields all seven, not just the first."""
    path = BAD / "many_errors_at_once.yaml"
    with pytest.raises(AgreementInvalid) as caught:
        load_agreement(path)
    expected = _expectations(path)
    assert len(expected) == 7
    assert len(caught.value.problems) >= len(expected)


def test_minimal_agreement_loads(minimal_text: str) -> None:
    """The minimal agreement the bad inputs are variations of is itself valid."""
    agreement = parse_agreement(minimal_text, "minimal.yaml")
    assert agreement.id == "test"
    assert [z.id for z in agreement.zones] == ["z1"]
    assert agreement.in_force_from.tzinfo is not None


def test_broken_subtree_gives_one_problem_not_a_cascade(minimal_text: str) -> None:
    """A zone broken in structure is reported once; clauses that cite it are not also refused."""
    text = minimal_text.replace("km: 10", "km: ten")
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text, "t.yaml")
    assert [p.path for p in caught.value.problems] == ["zones[0].buffer.km"]


def test_file_references_are_relative_to_the_agreement(tmp_path: Path, minimal_text: str) -> None:
    """A line given as a GeoJSON file is read relative to the agreement file's directory."""
    (tmp_path / "geo").mkdir()
    line = {"type": "LineString", "coordinates": [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]}
    (tmp_path / "geo" / "line.geojson").write_text(json.dumps(line))
    text = minimal_text.replace(
        "waypoints: [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]",
        'geojson: {file: "geo/line.geojson"}',
    )
    (tmp_path / "agreement.yaml").write_text(text)
    agreement = load_agreement(tmp_path / "agreement.yaml")
    assert agreement.line("l1").geometry.coords[0] == (30.0, 50.0)


def test_parse_without_base_dir_refuses_files(minimal_text: str) -> None:
    """Text parsed with no base directory cannot reach into the file system."""
    text = minimal_text.replace(
        "waypoints: [[30.0, 50.0], [30.0, 50.5], [30.2, 51.0]]", 'geojson: {file: "x.geojson"}'
    )
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text, "t.yaml")
    assert caught.value.problems[0].path == "lines[0].geojson.file"


def test_sha256_and_source_text_identify_the_input(minimal_text: str) -> None:
    """The agreement keeps the text as read and the SHA-256 of its bytes."""
    agreement = parse_agreement(minimal_text, "minimal.yaml")
    assert agreement.source_text == minimal_text
    assert len(agreement.sha256) == 64
    other = parse_agreement(minimal_text + "\n# a comment\n", "minimal.yaml")
    assert other.sha256 != agreement.sha256


def test_document_round_trips_to_an_equal_agreement(minimal_text: str) -> None:
    """to_document is JSON-serialisable and agreement_from_document rebuilds an equal agreement."""
    agreement = parse_agreement(minimal_text, "minimal.yaml")
    doc = json.loads(json.dumps(agreement.to_document()))
    rebuilt = agreement_from_document(doc)
    assert rebuilt == agreement
    assert rebuilt.zone("z1").distance_m(30.05, 50.5) == pytest.approx(
        agreement.zone("z1").distance_m(30.05, 50.5), abs=0.01
    )


def test_document_refuses_place_names(minimal_text: str) -> None:
    """A stored document must be self-contained: place names are refused without a gazetteer."""
    agreement = parse_agreement(minimal_text, "minimal.yaml")
    doc = agreement.to_document()
    doc["lines"][0].pop("geojson")
    doc["lines"][0]["waypoints"] = ["Marinka", "Avdiivka"]
    with pytest.raises(AgreementInvalid) as caught:
        agreement_from_document(doc)
    assert caught.value.problems[0].path == "lines[0].waypoints[0]"


def _minimal_with(extra: str) -> str:
    text = (BAD / "negative_distance.yaml").read_text(encoding="utf-8")
    return text.replace("km: -5", "km: 5") + extra


@pytest.mark.parametrize(
    "extra",
    [
        "x-deep: " + "[" * 100_000 + "]" * 100_000 + "\n",
        "x-deep: " + "{a: " * 100_000 + "1" + "}" * 100_000 + "\n",
        "x-deep: " + "[" * 65 + "]" * 65 + "\n",
    ],
    ids=["list 100,000 deep", "mapping 100,000 deep", "just past the bound"],
)
def test_deeply_nested_yaml_is_refused_naming_where(extra: str) -> None:
    """YAML nested past the bound is refused with its line, not a RecursionError."""
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(_minimal_with(extra), "deep.yaml")
    [problem] = caught.value.problems
    assert problem.origin == "deep.yaml"
    assert problem.path.startswith("line ")
    assert "nested deeper than 64 levels" in problem.reason


def test_aliases_within_the_budget_still_load() -> None:
    """A YAML alias reused a few times (ordinary reuse of a block) is not refused."""
    text = _minimal_with("x-a: &a [1, 2, 3]\nx-b: [*a, *a, *a]\n")
    with pytest.raises(AgreementInvalid) as caught:
        parse_agreement(text, "aliases.yaml")
    # Refused only for the unknown keys, never for the aliases themselves.
    assert {p.path for p in caught.value.problems} == {"x-a", "x-b"}


def test_what_check_passes_can_be_stored_and_read_back() -> None:
    """A buffer at the largest allowed distance loads, and its stored document reads back."""
    text = _minimal_with("").replace("km: 5", "km: 500")
    loaded = parse_agreement(text, "wide.yaml")
    assert agreement_from_document(loaded.to_document()) == loaded
