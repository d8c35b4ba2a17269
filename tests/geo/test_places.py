"""Place look-up on the real gazetteers: transliteration, fuzzy scores, ambiguity never resolved."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ceasefire.cli import cli
from ceasefire.geo._translit import skeleton, transliterate
from ceasefire.geo.gazetteer import PlaceIndex
from ceasefire.geo.places import LookupStatus, PlaceBook, read_places_file

GEONAMES = "geo/gazetteer_geonames_cities500_UA_plus_border_RU_BY_MD.csv"
KATOTTG = "geo/katottg_codifier_2024-01.csv"


@cache
def _real_book(geonames_path: Path, katottg_path: Path) -> PlaceBook:
    geonames = read_places_file(geonames_path)
    katottg = read_places_file(katottg_path)
    assert isinstance(geonames, PlaceIndex)
    assert isinstance(katottg, list)
    return PlaceBook([geonames], katottg)


@pytest.fixture
def book(shared_data: Any) -> PlaceBook:
    """GeoNames and KATOTTG from ../shared/data, read once for the module."""
    return _real_book(shared_data.path(GEONAMES), shared_data.path(KATOTTG))


@pytest.mark.parametrize(
    ("query", "oblast", "geonames_name"),
    [
        ("Marinka", "Donetsk", "Mar'yinka"),
        ("Мар'їнка", "Donetsk", "Mar'yinka"),
        ("Avdiivka", "Donetsk", "Avdiyivka"),
        ("Авдіївка", "Донецька", "Avdiyivka"),
        ("Stanytsia Luhanska", None, "Stanytsya-Luhanska"),
        ("Stanitsa Luganskaya", None, "Stanytsya-Luhanska"),
        ("Zolote", "Luhansk", "Zolote"),
        ("Shyrokyne", None, "Shyrokyne"),
        ("Shirokino", None, "Shyrokyne"),
        ("Popasna", None, "Popasna"),
        ("Horlivka", "Donetsk", "Horlivka"),
        ("Svitlodarsk", None, "Svetlodarsk"),
        ("Hnutove", None, "Hnutove"),
        ("Novoluhanske", None, "Novoluhanske"),
        ("Pavlopil", None, "Pavlopil"),
        ("Debaltseve", "Donetsk", "Debaltseve"),
    ],
)
def test_contact_line_villages_geonames_has_resolve(
    book: PlaceBook, query: str, oblast: str | None, geonames_name: str
) -> None:
    """The SMM's contact-line villages that GeoNames lists resolve, whatever the spelling."""
    lookup = book.resolve(query, oblast=oblast)
    assert lookup.status is LookupStatus.RESOLVED
    [candidate] = lookup.candidates
    assert candidate.name == geonames_name
    assert candidate.admin1 in {"Donetsk", "Luhansk"}
    assert candidate.source.startswith("geonames ")


@pytest.mark.parametrize("query", ["Petrivske", "Hranitne", "Vodiane", "Pisky"])
def test_villages_geonames_lacks_are_never_resolved(book: PlaceBook, query: str) -> None:
    """Contact-line villages missing from GeoNames are unknown or ambiguous, with no point."""
    lookup = book.resolve(query, oblast="Donetsk")
    assert lookup.status in {LookupStatus.UNKNOWN, LookupStatus.AMBIGUOUS}
    assert all(candidate.lon is None for candidate in lookup.candidates)
    assert all(candidate.source.startswith("katottg ") for candidate in lookup.candidates)


def test_vodiane_has_its_official_namesakes_listed(book: PlaceBook) -> None:
    """Водяне: GeoNames lists few, KATOTTG 33; the name is ambiguous with all of them listed."""
    lookup = book.resolve("Водяне")
    assert lookup.status is LookupStatus.AMBIGUOUS
    official = [c for c in lookup.candidates if c.source.startswith("katottg ")]
    assert len(official) >= 30
    assert any(c.lon is not None for c in lookup.candidates)  # GeoNames' own, with points


def test_a_name_unique_in_geonames_but_not_in_the_codifier_is_ambiguous(book: PlaceBook) -> None:
    """GeoNames has one Marinka; KATOTTG knows more (Dnipropetrovsk, Lviv): ambiguous alone."""
    lookup = book.resolve("Marinka")
    assert lookup.status is LookupStatus.AMBIGUOUS
    assert lookup.candidates[0].name == "Mar'yinka"
    assert {c.admin1 for c in lookup.candidates[1:]} >= {"Dnipropetrovsk", "Lviv"}


def test_namesakes_are_ambiguous_until_an_oblast_or_a_point_tells_them_apart(
    book: PlaceBook,
) -> None:
    """Avdiivka exists in Chernihiv oblast too: ambiguous alone, resolved by oblast or by --near."""
    alone = book.resolve("Avdiivka")
    assert alone.status is LookupStatus.AMBIGUOUS
    assert {c.admin1 for c in alone.candidates} >= {"Donetsk", "Chernihiv"}
    near = book.resolve("Avdiivka", near=(37.70, 48.12))
    assert near.status is LookupStatus.RESOLVED
    assert near.candidates[0].admin1 == "Donetsk"


def test_a_misspelling_is_matched_fuzzily_with_a_score_below_100(book: PlaceBook) -> None:
    """A misspelling no gazetteer lists is matched with its fuzzy score."""
    lookup = book.resolve("Novoluhanskoe", oblast="Donetsk")
    assert lookup.status is LookupStatus.RESOLVED
    assert lookup.candidates[0].name == "Novoluhanske"
    assert 88 <= lookup.candidates[0].score < 100


def test_close_fuzzy_rivals_make_a_name_ambiguous(book: PlaceBook) -> None:
    """Two places nearly as like the misspelling are both listed with their scores."""
    lookup = book.resolve("Krasnohorifka", oblast="Donetsk")
    assert lookup.status is LookupStatus.AMBIGUOUS
    names = [candidate.name for candidate in lookup.candidates]
    assert names[0] == "Krasnohorivka"
    assert "Krasnotorka" in names
    assert all(88 <= candidate.score < 100 for candidate in lookup.candidates)


def test_nonsense_is_unknown(book: PlaceBook) -> None:
    """A name nothing resembles is unknown, with no candidates."""
    lookup = book.resolve("Xyzzyqwerty")
    assert lookup.status is LookupStatus.UNKNOWN
    assert lookup.candidates == ()


def test_load_then_resolve_json_is_the_documented_shape(shared_data: Any, tmp_path: Path) -> None:
    """places load keeps the files; places resolve --json prints exactly query/status/candidates."""
    runner = CliRunner()
    where = ["places", "--dir", str(tmp_path / "places")]
    for relative in (GEONAMES, KATOTTG):
        loaded = runner.invoke(cli, [*where, "load", str(shared_data.path(relative))])
        assert loaded.exit_code == 0, loaded.output
    result = runner.invoke(cli, [*where, "resolve", "Marinka", "--oblast", "Donetsk", "--json"])
    assert result.exit_code == 0
    answer = json.loads(result.stdout)
    assert set(answer) == {"query", "status", "candidates"}
    assert answer["status"] == "resolved"
    [candidate] = answer["candidates"]
    assert set(candidate) == {"name", "lon", "lat", "admin1", "score", "source"}
    assert (candidate["lon"], candidate["lat"]) == pytest.approx((37.50544, 47.94527))
    ambiguous = runner.invoke(cli, [*where, "resolve", "Vodiane", "--oblast", "Donetsk", "--json"])
    assert ambiguous.exit_code == 1
    assert json.loads(ambiguous.stdout)["status"] == "ambiguous"


def test_a_malformed_gazetteer_is_refused_and_not_kept(tmp_path: Path) -> None:
    """places load refuses a file in neither layout, naming it, and keeps nothing."""
    bad = tmp_path / "bad.csv"
    bad.write_text("a,b\n1,2\n")
    result = CliRunner().invoke(cli, ["places", "--dir", str(tmp_path / "p"), "load", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv" in result.stderr
    assert not (tmp_path / "p" / "bad.csv").exists()


def test_bad_near_is_a_usage_error() -> None:
    """--near that is not LON,LAT exits 2."""
    result = CliRunner().invoke(cli, ["places", "resolve", "Zolote", "--near", "north"])
    assert result.exit_code == 2


def test_without_loaded_gazetteers_the_bundled_one_answers(tmp_path: Path) -> None:
    """With nothing loaded, places resolve uses the small bundled gazetteer (for the demo)."""
    result = CliRunner().invoke(
        cli, ["places", "--dir", str(tmp_path / "none"), "resolve", "Shyrokyne", "--json"]
    )
    assert result.exit_code == 0
    assert json.loads(result.stdout)["status"] == "resolved"


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Мар'їнка", "Marinka"),
        ("Золоте", "Zolote"),
        ("Станиця Луганська", "Stanytsia Luhanska"),
        ("Згурівка", "Zghurivka"),
        ("Їжаківка", "Yizhakivka"),
        ("Щорськ", "Shchorsk"),
        ("Юріївка", "Yuriivka"),
    ],
)
def test_national_transliteration(cyrillic: str, latin: str) -> None:
    """Cyrillic is written by Ukraine's 2010 national system (word-initial forms included)."""
    assert transliterate(cyrillic) == latin


@given(st.text(alphabet="абвгґдеєжзиіїйклмнопрстуфхцчшщьюяʼ' -", min_size=1, max_size=30))
def test_transliteration_leaves_no_cyrillic_and_ignores_case(name: str) -> None:
    """Any Ukrainian name becomes Latin letters, and its skeleton ignores case."""
    assert all(not ("\u0400" <= char <= "\u04ff") for char in transliterate(name))
    assert skeleton(name.upper()) == skeleton(name)
