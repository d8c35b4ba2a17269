"""The weapon taxonomy: families, a catalogue of named systems, and classes defined by criteria.

Agreements regulate weapons by class ("artillery of calibre 100 mm and more", "MLRS",
"Tornado-S, Uragan, Smerch, Tochka and Tochka-U"), while observers report what they saw: a
family ("a howitzer"), sometimes a calibre, sometimes a named system ("2S1 Gvozdika"). This module
maps the second onto the first, and says *undetermined* when the observation cannot tell: a
"howitzer of unknown calibre" may or may not be 100 mm or more, and a verdict must not guess.

Each class is a list of criteria, any of which suffices; a criterion requires all of what it
names (families, a calibre range, systems). Evaluation is three-valued: yes, no, cannot tell.

The observation is the report's own :class:`ceasefire.model.report.WeaponObservation` (re-exported
here): its family is the text the observer gave, compared with :class:`WeaponFamily` values.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

# One observation type for both sides: what intake stores on a report is what is classified here.
from ceasefire.model.report import WeaponObservation
from ceasefire.model.weapon_family import WeaponFamily

__all__ = [
    "DEFAULT_SYSTEMS",
    "CalibreRange",
    "Catalogue",
    "Classification",
    "Criterion",
    "Match",
    "WeaponClass",
    "WeaponFamily",
    "WeaponObservation",
    "WeaponSystem",
    "classify",
    "system_key",
]


def system_key(name: str) -> str:
    """Return the matching key of a system name: case, spaces and punctuation ignored.

    "BM-21 Grad", "bm21 grad" and "BM 21 GRAD" are the same system; "Tochka" and "Tochka-U" stay
    different because the letters differ.

    Args:
        name: a system name or alias.

    Returns:
        The key.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return re.sub(r"[\W_]+", "", "".join(c for c in decomposed if not unicodedata.combining(c)))


@dataclass(frozen=True, slots=True)
class WeaponSystem:
    """A named weapon system of the catalogue.

    Args:
        name: the name used in agreements and reports, e.g. ``2S1 Gvozdika``.
        family: its family.
        calibre_mm: its calibre, when it has one that matters (a tactical missile has none).
        aliases: other names it goes by (``2S1``, ``Gvozdika``).
    """

    name: str
    family: WeaponFamily
    calibre_mm: float | None = None
    aliases: tuple[str, ...] = ()

    def match_keys(self) -> tuple[str, ...]:
        """Return the matching keys of the name and every alias."""
        return tuple(system_key(n) for n in (self.name, *self.aliases))


def _s(name: str, family: str, calibre: float | None, *aliases: str) -> WeaponSystem:
    return WeaponSystem(name, WeaponFamily(family), calibre, aliases)


#: The systems the Minsk documents and the SMM's reports name, shipped as a default catalogue;
#: an agreement adds its own under ``weapon_systems``.
DEFAULT_SYSTEMS: tuple[WeaponSystem, ...] = (
    _s("D-30", "howitzer", 122, "2A18", "D-30 Lyagushka"),
    _s("D-20", "howitzer", 152, "52-P-546"),
    _s("2A36 Giatsint-B", "gun", 152, "2A36", "Giatsint-B"),
    _s("2A65 Msta-B", "howitzer", 152, "2A65", "Msta-B"),
    _s("2S1 Gvozdika", "self_propelled_gun", 122, "2S1", "Gvozdika"),
    _s("2S3 Akatsiya", "self_propelled_gun", 152, "2S3", "Akatsiya", "Akatsia"),
    _s("2S5 Giatsint-S", "self_propelled_gun", 152, "2S5", "Giatsint-S"),
    _s("2S7 Pion", "self_propelled_gun", 203, "2S7", "Pion"),
    _s("2S19 Msta-S", "self_propelled_gun", 152, "2S19", "Msta-S"),
    _s("MT-12", "anti_tank_gun", 100, "MT-12 Rapira", "Rapira", "2A29"),
    _s("D-44", "anti_tank_gun", 85),
    _s("ZiS-3", "gun", 76),
    _s("2B9 Vasilek", "mortar", 82, "2B9", "Vasilek"),
    _s("2B14 Podnos", "mortar", 82, "2B14", "Podnos"),
    _s("2B11", "mortar", 120, "2B11 Sani", "Sani"),
    _s("PM-38", "mortar", 120, "M1938 mortar"),
    _s("2S12 Sani", "mortar", 120, "2S12"),
    _s("2S9 Nona", "self_propelled_gun", 120, "2S9", "Nona-S"),
    _s("BM-21 Grad", "mlrs", 122, "BM-21", "Grad", "9K51"),
    _s("9K51M Tornado-G", "mlrs", 122, "Tornado-G", "9K51M"),
    _s("BM-27 Uragan", "mlrs", 220, "BM-27", "Uragan", "9K57", "9P140"),
    _s("9K512 Uragan-1M", "mlrs", 220, "Uragan-1M"),
    _s("BM-30 Smerch", "mlrs", 300, "BM-30", "Smerch", "9K58", "9A52"),
    _s("9A52-4 Tornado", "mlrs", 300, "9A52-4"),
    _s("9K515 Tornado-S", "mlrs", 300, "Tornado-S", "9A54"),
    _s("OTR-21 Tochka", "tactical_missile", None, "Tochka", "9K79", "SS-21"),
    _s("Tochka-U", "tactical_missile", None, "OTR-21 Tochka-U", "9K79-1"),
    _s("9K720 Iskander", "tactical_missile", None, "Iskander", "Iskander-M"),
    _s("T-64", "tank", 125, "T-64BV", "T-64BM Bulat"),
    _s("T-72", "tank", 125, "T-72B", "T-72B3"),
    _s("T-80", "tank", 125, "T-80BV"),
    _s("T-90", "tank", 125),
    _s("BMP-1", "infantry_fighting_vehicle", 73),
    _s("BMP-2", "infantry_fighting_vehicle", 30),
    _s("BTR-80", "armoured_vehicle", 14.5),
    _s("MT-LB", "armoured_vehicle", 7.62),
    _s("ZU-23-2", "air_defence", 23, "ZU-23"),
    _s("9K35 Strela-10", "air_defence", None, "Strela-10"),
    _s("AGS-17", "grenade_launcher", 30, "AGS-17 Plamya"),
    _s("9K111 Fagot", "anti_tank_missile", None, "Fagot"),
    _s("SPG-9", "gun", 73, "SPG-9 Kopyo"),
    _s("NSV", "heavy_machine_gun", 12.7, "NSV Utyos", "Utyos"),
    _s("Orlan-10", "uav", None),
)


class Catalogue:
    """The named systems an agreement knows, looked up by name or alias.

    Args:
        systems: the systems; later ones replace earlier ones with the same name.

    Raises:
        ValueError: two different systems claim the same name or alias.
    """

    def __init__(self, systems: Iterable[WeaponSystem] = DEFAULT_SYSTEMS) -> None:
        by_name: dict[str, WeaponSystem] = {}
        for system in systems:
            by_name[system_key(system.name)] = system
        self.systems: tuple[WeaponSystem, ...] = tuple(by_name.values())
        self._by_key: dict[str, WeaponSystem] = {}
        for system in self.systems:
            for key in system.match_keys():
                other = self._by_key.get(key)
                if other is not None and other.name != system.name:
                    raise ValueError(f"name {key!r} is used by {other.name} and {system.name}")
                self._by_key[key] = system

    def get(self, name: str) -> WeaponSystem | None:
        """Return the system called ``name`` (or one of its aliases), or ``None``."""
        return self._by_key.get(system_key(name))

    def extended(self, systems: Iterable[WeaponSystem]) -> Catalogue:
        """Return a catalogue with ``systems`` added (replacing systems of the same name)."""
        return Catalogue((*self.systems, *systems))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Catalogue) and set(self.systems) == set(other.systems)

    def __hash__(self) -> int:
        return hash(frozenset(self.systems))


@dataclass(frozen=True, slots=True)
class CalibreRange:
    """A calibre interval in millimetres; each bound is optional and inclusive or exclusive.

    Args:
        min_mm: lower bound, or ``None``.
        max_mm: upper bound, or ``None``.
        min_inclusive: whether ``min_mm`` itself is inside (``gte``) or not (``gt``).
        max_inclusive: whether ``max_mm`` itself is inside (``lte``) or not (``lt``).
    """

    min_mm: float | None = None
    max_mm: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True

    def contains(self, calibre_mm: float) -> bool:
        """Return whether the calibre lies in the interval."""
        if self.min_mm is not None:
            below = calibre_mm < self.min_mm if self.min_inclusive else calibre_mm <= self.min_mm
            if below:
                return False
        if self.max_mm is not None:
            above = calibre_mm > self.max_mm if self.max_inclusive else calibre_mm >= self.max_mm
            if above:
                return False
        return True

    def is_empty(self) -> bool:
        """Return whether no calibre can satisfy the interval (e.g. ``gte 150, lt 100``)."""
        if self.min_mm is None or self.max_mm is None:
            return False
        if self.min_mm == self.max_mm:
            return not (self.min_inclusive and self.max_inclusive)
        return self.min_mm > self.max_mm

    def to_document(self) -> dict[str, float]:
        """Return the YAML/JSON form: ``{gte|gt: min, lte|lt: max}``."""
        doc: dict[str, float] = {}
        if self.min_mm is not None:
            doc["gte" if self.min_inclusive else "gt"] = self.min_mm
        if self.max_mm is not None:
            doc["lte" if self.max_inclusive else "lt"] = self.max_mm
        return doc

    @classmethod
    def from_document(cls, doc: Mapping[str, float]) -> CalibreRange:
        """Build a range from ``{gte|gt: min, lte|lt: max}``."""
        low = doc.get("gte", doc.get("gt"))
        high = doc.get("lte", doc.get("lt"))
        return cls(
            min_mm=None if low is None else float(low),
            max_mm=None if high is None else float(high),
            min_inclusive="gt" not in doc,
            max_inclusive="lt" not in doc,
        )

    def __str__(self) -> str:
        parts = []
        if self.min_mm is not None:
            parts.append(f"{'≥' if self.min_inclusive else '>'} {self.min_mm:g} mm")
        if self.max_mm is not None:
            parts.append(f"{'≤' if self.max_inclusive else '<'} {self.max_mm:g} mm")
        return " and ".join(parts) or "any calibre"


class Match(Enum):
    """Three-valued answer to "is this weapon in that class?"."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


def _all(values: Iterable[Match]) -> Match:
    seen = list(values)
    if Match.NO in seen:
        return Match.NO
    return Match.UNKNOWN if Match.UNKNOWN in seen else Match.YES


def _any(values: Iterable[Match]) -> Match:
    seen = list(values)
    if Match.YES in seen:
        return Match.YES
    return Match.UNKNOWN if Match.UNKNOWN in seen else Match.NO


@dataclass(frozen=True, slots=True)
class Criterion:
    """One way of belonging to a class: every named condition must hold.

    Args:
        families: the weapon must be of one of these families (empty: any family).
        calibre: its calibre must lie in this range (``None``: any calibre).
        systems: it must be one of these named systems (empty: any system).
    """

    families: frozenset[WeaponFamily] = frozenset()
    calibre: CalibreRange | None = None
    systems: tuple[str, ...] = ()

    def evaluate(self, seen: WeaponObservation, catalogue: Catalogue) -> Match:
        """Return whether the observation meets this criterion, or that it cannot tell."""
        results = []
        if self.families:
            if seen.family is None:
                results.append(Match.UNKNOWN)
            else:
                results.append(Match.YES if seen.family in self.families else Match.NO)
        if self.calibre is not None:
            if seen.calibre_mm is None:
                results.append(Match.UNKNOWN)
            else:
                results.append(Match.YES if self.calibre.contains(seen.calibre_mm) else Match.NO)
        if self.systems:
            results.append(self._system_match(seen, catalogue))
        return _all(results)

    def _system_match(self, seen: WeaponObservation, catalogue: Catalogue) -> Match:
        wanted = {system_key(name) for name in self.systems}
        for name in self.systems:
            system = catalogue.get(name)
            if system is not None:
                wanted.update(system.match_keys())
        if seen.system is not None:
            known = catalogue.get(seen.system)
            keys = set(known.match_keys()) if known else {system_key(seen.system)}
            return Match.YES if keys & wanted else Match.NO
        # Unnamed: it can only be one of the listed systems if its family and calibre fit one.
        for name in self.systems:
            system = catalogue.get(name)
            if system is None:
                return Match.UNKNOWN
            family_fits = seen.family is None or seen.family == system.family
            calibre_fits = (
                seen.calibre_mm is None
                or system.calibre_mm is None
                or abs(seen.calibre_mm - system.calibre_mm) < 0.5
            )
            if family_fits and calibre_fits:
                return Match.UNKNOWN
        return Match.NO

    def __str__(self) -> str:
        parts = []
        if self.families:
            parts.append(" or ".join(sorted(self.families)))
        if self.calibre is not None:
            parts.append(str(self.calibre))
        if self.systems:
            parts.append("one of " + ", ".join(self.systems))
        return ", ".join(parts) or "any weapon"

    def to_document(self) -> dict[str, Any]:
        """Return the YAML/JSON form of the criterion."""
        doc: dict[str, Any] = {}
        if self.families:
            doc["families"] = sorted(str(f) for f in self.families)
        if self.calibre is not None:
            doc["calibre_mm"] = self.calibre.to_document()
        if self.systems:
            doc["systems"] = list(self.systems)
        return doc


@dataclass(frozen=True, slots=True)
class WeaponClass:
    """A class of weapons an agreement regulates, defined by criteria (any one suffices).

    Args:
        id: the class id clauses and zones refer to.
        name: a readable name ("Artillery of calibre 100 mm and more").
        criteria: the ways of belonging to the class.
        source: where the agreement defines it, e.g. "Package of Measures, point 2".
    """

    id: str
    name: str
    criteria: tuple[Criterion, ...]
    source: str = ""

    def evaluate(self, seen: WeaponObservation, catalogue: Catalogue) -> Match:
        """Return whether the observed weapon is in this class, or that it cannot tell."""
        return _any(c.evaluate(seen, catalogue) for c in self.criteria)

    def to_document(self) -> dict[str, Any]:
        """Return the YAML/JSON form of the class."""
        doc: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "any_of": [c.to_document() for c in self.criteria],
        }
        if self.source:
            doc["source"] = self.source
        return doc


@dataclass(frozen=True)
class Classification:
    """Which classes a weapon observation falls in, and which it might.

    Args:
        observation: the observation as completed from the catalogue.
        classes: the class ids it certainly falls in.
        undetermined: the class ids it may or may not fall in (calibre or family unknown).
        system: the catalogue entry the observation named, if any.
    """

    observation: WeaponObservation
    classes: frozenset[str]
    undetermined: frozenset[str]
    system: WeaponSystem | None = None
    notes: tuple[str, ...] = field(default=())

    @property
    def determined(self) -> bool:
        """Whether every class could be decided one way or the other."""
        return not self.undetermined


def classify(
    seen: WeaponObservation, classes: Iterable[WeaponClass], catalogue: Catalogue
) -> Classification:
    """Return the classes an observed weapon falls in, and those it cannot be placed in or out of.

    A named system fills in the family and calibre the observer left out (a "2S1" is a 122 mm
    self-propelled gun); what the observer did state is kept, since it is the evidence. An unknown
    calibre makes a calibre-bounded class *undetermined*, never a yes or a no.

    Args:
        seen: what the observer could tell.
        classes: the agreement's weapon classes.
        catalogue: the agreement's catalogue of named systems.

    Returns:
        The classification.
    """
    system = catalogue.get(seen.system) if seen.system else None
    notes: list[str] = []
    if seen.system and system is None:
        notes.append(f"system {seen.system!r} is not in the catalogue")
    completed = seen
    if system is not None:
        completed = WeaponObservation(
            family=seen.family if seen.family is not None else system.family,
            calibre_mm=seen.calibre_mm if seen.calibre_mm is not None else system.calibre_mm,
            system=system.name,
        )
        if seen.family is not None and seen.family != system.family:
            notes.append(f"reported family {seen.family} differs from {system.name}'s")
    yes: set[str] = set()
    unknown: set[str] = set()
    for weapon_class in classes:
        match = weapon_class.evaluate(completed, catalogue)
        if match is Match.YES:
            yes.add(weapon_class.id)
        elif match is Match.UNKNOWN:
            unknown.add(weapon_class.id)
    return Classification(completed, frozenset(yes), frozenset(unknown), system, tuple(notes))
