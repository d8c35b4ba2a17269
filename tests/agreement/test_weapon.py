"""The weapon taxonomy: named systems, calibre bounds, and saying "cannot tell"."""

from __future__ import annotations

import pytest

from ceasefire.agreement.loader import parse_agreement
from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.weapon import (
    CalibreRange,
    Catalogue,
    WeaponFamily,
    WeaponObservation,
)

ART = "artillery_100mm_plus"
MLRS = "mlrs"
HEAVY = "heavy_mlrs_tactical_missiles"
LIGHT = "tanks_artillery_below_100mm_mortars"


@pytest.mark.parametrize(
    ("seen", "classes"),
    [
        (WeaponObservation(system="D-30"), {ART}),
        (WeaponObservation(system="2S1"), {ART}),
        (WeaponObservation(system="msta-b"), {ART}),
        (WeaponObservation(system="MT-12"), {ART}),
        (WeaponObservation(system="BM-21 Grad"), {MLRS}),
        (WeaponObservation(system="Uragan"), {MLRS, HEAVY}),
        (WeaponObservation(system="Tochka-U"), {HEAVY}),
        (WeaponObservation(system="T-72"), {LIGHT}),
        (WeaponObservation(system="2B14 Podnos"), {LIGHT}),
        (WeaponObservation(system="2B11"), {LIGHT}),
        (WeaponObservation(WeaponFamily.HOWITZER, 152), {ART}),
        (WeaponObservation(WeaponFamily.ANTI_TANK_GUN, 85), {LIGHT}),
        (WeaponObservation(WeaponFamily.MLRS, 122), {MLRS}),
        (WeaponObservation(WeaponFamily.SMALL_ARMS), set()),
    ],
)
def test_observations_fall_in_the_minsk_classes(
    minsk: Agreement, seen: WeaponObservation, classes: set[str]
) -> None:
    """Named systems and family-plus-calibre observations get the classes of the Minsk texts."""
    result = minsk.classify(seen)
    assert result.classes == classes
    assert result.determined


def test_unknown_calibre_is_undetermined_not_guessed(minsk: Agreement) -> None:
    """A howitzer of unknown calibre may or may not be >= 100 mm: the class is undetermined."""
    result = minsk.classify(WeaponObservation(WeaponFamily.HOWITZER))
    assert ART in result.undetermined
    assert LIGHT in result.undetermined
    assert ART not in result.classes
    assert not result.determined


def test_unnamed_heavy_calibre_mlrs_is_undetermined(minsk: Agreement) -> None:
    """A 300 mm MLRS with no name could be a Smerch or a Tornado-S: undetermined for that class."""
    result = minsk.classify(WeaponObservation(WeaponFamily.MLRS, 300))
    assert result.classes == {MLRS}
    assert result.undetermined == {HEAVY}


def test_unnamed_122mm_mlrs_is_not_a_listed_heavy_system(minsk: Agreement) -> None:
    """No listed heavy system is a 122 mm MLRS, so a 122 mm MLRS is certainly outside the class."""
    assert HEAVY not in minsk.classify(WeaponObservation(WeaponFamily.MLRS, 122)).undetermined


def test_observer_family_is_kept_over_catalogue() -> None:
    """What the observer stated is kept, and a disagreement with the catalogue is noted."""
    from ceasefire.agreement.weapon import classify

    result = classify(WeaponObservation(WeaponFamily.GUN, system="2S1"), (), Catalogue())
    assert result.observation.family is WeaponFamily.GUN
    assert result.observation.calibre_mm == 122
    assert result.notes


@pytest.mark.parametrize(
    ("doc", "calibre", "inside"),
    [
        ({"gte": 100}, 100, True),
        ({"gt": 100}, 100, False),
        ({"lt": 100}, 100, False),
        ({"lte": 120}, 120, True),
        ({"gte": 100, "lt": 150}, 152, False),
    ],
)
def test_calibre_bounds_are_inclusive_or_exclusive(
    doc: dict[str, float], calibre: float, inside: bool
) -> None:
    """gte/lte include their bound, gt/lt exclude it."""
    assert CalibreRange.from_document(doc).contains(calibre) is inside


def test_catalogue_finds_aliases_ignoring_punctuation() -> None:
    """ "BM 21", "bm-21 grad" and "Grad" are the same system; Tochka and Tochka-U are not."""
    catalogue = Catalogue()
    grad = catalogue.get("BM-21 Grad")
    assert grad is not None
    assert catalogue.get("bm 21") == grad == catalogue.get("GRAD")
    assert catalogue.get("Tochka") != catalogue.get("Tochka-U")


def test_agreement_extends_the_catalogue(minimal_text: str) -> None:
    """Systems listed under weapon_systems can be named by the agreement's classes."""
    text = minimal_text.replace(
        "weapon_classes:\n  - id: art\n",
        "weapon_systems:\n  - {name: Bohdana, family: self_propelled_gun, calibre_mm: 155}\n"
        "weapon_classes:\n  - id: bohdana\n    any_of: [{systems: [Bohdana]}]\n  - id: art\n",
    )
    agreement = parse_agreement(text, "t.yaml")
    assert agreement.classify(WeaponObservation(system="bohdana")).classes == {"bohdana"}
