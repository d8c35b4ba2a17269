"""The gazetteer: spelling-tolerant matching, ambiguity refused with candidates, qualifiers."""

from __future__ import annotations

from typing import Any

import pytest

from ceasefire.errors import UnknownPlace
from ceasefire.geo.gazetteer import PlaceIndex, bundled, load_geonames_csv, normalise_name

GEONAMES = "geo/gazetteer_geonames_cities500_UA_plus_border_RU_BY_MD.csv"


def test_press_spellings_match_geonames_alternates() -> None:
    """Marinka and Avdiivka (press spellings) resolve to GeoNames' Mar'yinka and Avdiyivka."""
    gazetteer = bundled()
    assert gazetteer.resolve("Marinka").name == "Mar'yinka"
    assert gazetteer.resolve("Avdiivka").name == "Avdiyivka"


def test_matching_ignores_case_diacritics_and_apostrophes() -> None:
    """Case, diacritics, apostrophes and hyphens do not matter."""
    gazetteer = bundled()
    assert gazetteer.resolve("MAR’YINKA") == gazetteer.resolve("maryinka")
    assert gazetteer.resolve("Stanytsia-Luhanska") == gazetteer.resolve("stanytsia luhanska")
    assert normalise_name("Šćastja") == "scastja"


def test_cyrillic_names_match() -> None:
    """Cyrillic alternate names resolve too."""
    assert bundled().resolve("Широкине").name == "Shyrokyne"


def test_ambiguous_name_is_refused_with_candidates() -> None:
    """Two Vodianes on the line: the unqualified name is refused, listing both."""
    with pytest.raises(UnknownPlace, match="ambiguous") as caught:
        bundled().resolve("Vodiane")
    assert str(caught.value).count("Vodiane (Donetsk, UA)") == 2


def test_near_qualifier_picks_the_namesake_by_the_anchor() -> None:
    """'Vodiane (near Shyrokyne)' is the coastal one, 'Vodiane (near Pisky)' the other."""
    gazetteer = bundled()
    assert gazetteer.resolve("Vodiane (near Shyrokyne)").lat < 47.5
    assert gazetteer.resolve("Vodiane (near Pisky)").lat > 48.0


def test_near_hint_position_picks_the_namesake() -> None:
    """A (lon, lat) hint chooses between namesakes."""
    assert bundled().resolve("Zaitseve", near=(38.02, 48.30)).lat == pytest.approx(48.39478)


def test_unknown_place_says_not_found() -> None:
    """A name that is not in the gazetteer is refused as not found."""
    with pytest.raises(UnknownPlace, match="not found"):
        bundled().resolve("Atlantis")


def test_region_qualifier_filters_candidates() -> None:
    """'(Luhansk)' keeps the namesake in Luhansk oblast."""
    assert bundled().resolve("Katerynivka (Luhansk)").admin1 == "14"
    with pytest.raises(UnknownPlace, match="no candidate matches"):
        bundled().resolve("Katerynivka (Lviv)")


def test_primary_name_wins_over_alternate_names() -> None:
    """A place whose own name matches beats places that only list it as an alternate."""
    index = PlaceIndex.from_geonames_csv(
        "geonameid,name,latitude,longitude,countrycode,admin1code,population,timezone,"
        "alternatenames\n1,Alpha,50,30,UA,05,10,,Beta\n2,Beta,51,31,UA,05,10,,\n"
    )
    assert index.resolve("Beta").id == "2"


def test_bundled_gazetteer_has_the_minsk_places() -> None:
    """The bundled sample holds every place the Minsk example names."""
    gazetteer = bundled()
    assert 40 <= len(gazetteer) <= 80
    for name in ["Petrivske", "Hranitne", "Pisky", "Shchastia", "Debaltseve", "Mariupol"]:
        gazetteer.resolve(name)


def test_full_geonames_file_needs_qualifiers(shared_data: Any) -> None:
    """In all of GeoNames, Avdiivka is ambiguous and 'Avdiivka (Donetsk)' is the town."""
    gazetteer = load_geonames_csv(shared_data.path(GEONAMES))
    with pytest.raises(UnknownPlace, match="ambiguous"):
        gazetteer.resolve("Avdiivka")
    assert gazetteer.resolve("Avdiivka (Donetsk)").population > 30000
    assert gazetteer.resolve("Donetsk (UA)").country == "UA"
