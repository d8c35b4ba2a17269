"""Place-name look-up with a status: resolved, ambiguous or unknown, with scored candidates.

:class:`~ceasefire.geo.gazetteer.PlaceIndex` answers "which one place is this?" and refuses
otherwise; this module answers the question a person asks at ``ceasefire places resolve``: what
could this name be, how sure is the match, and is it one place? Names are compared by their
spelling skeleton (:mod:`ceasefire.geo._translit`: Ukraine's national transliteration plus the
common English and Russian-derived forms), exactly first and fuzzily (rapidfuzz) when nothing
matches exactly. Places with coordinates come from GeoNames-layout files; KATOTTG's official
names have none, so a name found only there is listed, never resolved. An ambiguous name is
reported with its candidates; it is never silently resolved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from ceasefire.geo._katottg import KATOTTG_COLUMNS, OfficialName, read_katottg
from ceasefire.geo._translit import skeleton
from ceasefire.geo.gazetteer import (
    ADMIN1_NAMES_UA,
    NEAR_KM,
    NEAR_RATIO,
    Place,
    PlaceIndex,
    normalise_name,
)

__all__ = [
    "FUZZY_MIN",
    "SAME_PLACE_KM",
    "Candidate",
    "Lookup",
    "LookupStatus",
    "PlaceBook",
    "read_places_file",
]

#: The least fuzzy score (0–100, rapidfuzz ratio of skeletons) a candidate needs.
FUZZY_MIN = 88.0
#: Two entries of one name closer than this (km) are one place listed by two gazetteers.
SAME_PLACE_KM = 2.0
#: Fuzzy candidates within this many points of the best are kept as rivals of it.
FUZZY_TIE = 3.0


class LookupStatus(StrEnum):
    """What a look-up found."""

    RESOLVED = "resolved"
    AMBIGUOUS = "ambiguous"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Candidate:
    """One place a name may designate; ``lon``/``lat`` are ``None`` for a KATOTTG-only name."""

    name: str
    lon: float | None
    lat: float | None
    admin1: str
    score: float
    source: str
    population: int = 0

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form ``places resolve --json`` prints."""
        return {
            "name": self.name,
            "lon": self.lon,
            "lat": self.lat,
            "admin1": self.admin1,
            "score": self.score,
            "source": self.source,
        }


@dataclass(frozen=True, slots=True)
class Lookup:
    """The answer to one query: its status and candidates, best first."""

    query: str
    status: LookupStatus
    candidates: tuple[Candidate, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"query", "status", "candidates": [...]}``."""
        return {
            "query": self.query,
            "status": self.status.value,
            "candidates": [candidate.to_dict() for candidate in self.candidates],
        }


def _admin1_label(country: str, admin1: str) -> str:
    if country == "UA" and admin1 in ADMIN1_NAMES_UA:
        return ADMIN1_NAMES_UA[admin1]
    return f"{country}-{admin1}" if country else admin1


def _oblast_codes(oblast: str) -> set[str]:
    """The admin1 codes an ``--oblast`` value may mean (English, Ukrainian, code)."""
    wanted = skeleton(oblast.removesuffix(" oblast").removesuffix(" Oblast"))
    wanted = wanted.removesuffix(" oblast").removesuffix(" oblast")
    codes = {code for code, name in ADMIN1_NAMES_UA.items() if skeleton(name) == wanted}
    # Ukrainian adjectives: Донецька → donetska; Луганська → luhanska.
    codes |= {
        code
        for code, name in ADMIN1_NAMES_UA.items()
        if len(wanted) > 4 and skeleton(name)[:5] == wanted[:5]
    }
    if oblast.strip() in ADMIN1_NAMES_UA:
        codes.add(oblast.strip())
    return codes


class PlaceBook:
    """Every loaded gazetteer, looked up by spelling skeleton.

    Args:
        indexes: GeoNames-layout indexes (places with coordinates), with their source names.
        official: KATOTTG names (no coordinates), if loaded.
    """

    def __init__(
        self,
        indexes: Iterable[PlaceIndex] = (),
        official: Iterable[OfficialName] = (),
    ) -> None:
        self._places: list[tuple[Place, str]] = []
        by_name: dict[str, list[Place]] = {}
        for index in indexes:
            for place in index:
                # The same village in two gazetteers (GeoNames, the bundled one) is one place.
                same_name = by_name.setdefault(normalise_name(place.name), [])
                if any(
                    other.distance_km(place.lon, place.lat) < SAME_PLACE_KM for other in same_name
                ):
                    continue
                same_name.append(place)
                self._places.append((place, index.source))
        self._keys: dict[str, dict[int, bool]] = {}  # skeleton → {place number: primary name?}
        for number, (place, _) in enumerate(self._places):
            self._add(skeleton(place.name), number, primary=True)
            for alternate in place.alternate_names:
                self._add(skeleton(alternate), number, primary=False)
        self._official: dict[str, list[OfficialName]] = {}
        for entry in official:
            self._official.setdefault(skeleton(entry.name), []).append(entry)

    def _add(self, key: str, number: int, *, primary: bool) -> None:
        if key:
            bucket = self._keys.setdefault(key, {})
            bucket[number] = bucket.get(number, False) or primary

    def __len__(self) -> int:
        return len(self._places)

    def resolve(
        self, name: str, *, oblast: str | None = None, near: tuple[float, float] | None = None
    ) -> Lookup:
        """Look a name up: one place (resolved), several (ambiguous) or none (unknown).

        Args:
            name: the name in any script or transliteration.
            oblast: keep only candidates in this oblast (``Donetsk``, ``Донецька``, ``05``).
            near: (lon, lat) of a known nearby point; keeps the candidates within
                :data:`~ceasefire.geo.gazetteer.NEAR_KM` of it, the nearest alone if clearly so.

        Returns:
            The look-up, candidates best first.
        """
        query = name.strip()
        key = skeleton(query)
        codes = _oblast_codes(oblast) if oblast else None
        scored = self._matches(key)
        found = [(score, number) for score, number in scored if self._in(number, codes)]
        if near is not None:
            found = self._near(found, near)
        if not found:
            return self._official_only(query, key, codes)
        best = max(score for score, _ in found)
        rivals = [(s, n) for s, n in found if s >= best - (0 if best == 100 else FUZZY_TIE)]
        candidates = sorted(
            (self._candidate(number, score) for score, number in rivals),
            key=lambda c: (-c.score, -c.population, c.name),
        )
        unlisted = self._unlisted_namesakes(key, codes, rivals, near is not None)
        status = (
            LookupStatus.RESOLVED
            if len(candidates) == 1 and not unlisted
            else LookupStatus.AMBIGUOUS
        )
        return Lookup(query, status, (*candidates, *unlisted))

    def _unlisted_namesakes(
        self,
        key: str,
        codes: set[str] | None,
        rivals: list[tuple[float, int]],
        near_given: bool,
    ) -> list[Candidate]:
        """KATOTTG namesakes GeoNames does not list: they make a unique-looking match ambiguous.

        GeoNames' cities500 lacks villages under 500 people, so "Marinka" looks unique there
        while the codifier knows three. In each oblast where the codifier has more places of
        the name than GeoNames gave, its entries are listed (without coordinates). With a
        ``near`` point, only the oblasts of the places near it are compared.
        """
        listed: dict[str, int] = {}
        for _, number in rivals:
            place = self._places[number][0]
            if place.country == "UA":
                listed[place.admin1] = listed.get(place.admin1, 0) + 1
        official = [e for e in self._official.get(key, []) if codes is None or e.admin1 in codes]
        if near_given:
            official = [entry for entry in official if entry.admin1 in listed]
        per_oblast: dict[str, list[OfficialName]] = {}
        for entry in official:
            per_oblast.setdefault(entry.admin1, []).append(entry)
        surplus = [
            entry
            for admin1, entries in per_oblast.items()
            if len(entries) > listed.get(admin1, 0)
            for entry in entries
        ]
        return [_official_candidate(entry) for entry in surplus]

    def _matches(self, key: str) -> list[tuple[float, int]]:
        """Exact skeleton matches (primary names first, as PlaceIndex does), else fuzzy ones."""
        exact = self._keys.get(key)
        if exact:
            primary = [number for number, is_primary in exact.items() if is_primary]
            return [(100.0, number) for number in (primary or list(exact))]
        from rapidfuzz import fuzz, process

        best: dict[int, float] = {}
        for other, score, _ in process.extract(
            key, list(self._keys), scorer=fuzz.ratio, score_cutoff=FUZZY_MIN, limit=50
        ):
            for number in self._keys[other]:
                best[number] = max(best.get(number, 0.0), round(float(score), 1))
        return [(score, number) for number, score in best.items()]

    def _in(self, number: int, codes: set[str] | None) -> bool:
        place = self._places[number][0]
        return codes is None or (place.country == "UA" and place.admin1 in codes)

    def _near(
        self, found: list[tuple[float, int]], near: tuple[float, float]
    ) -> list[tuple[float, int]]:
        distances = sorted(
            (self._places[number][0].distance_km(*near), score, number) for score, number in found
        )
        close = [(d, s, n) for d, s, n in distances if d <= NEAR_KM]
        if len(close) > 1 and close[1][0] >= NEAR_RATIO * close[0][0]:
            close = close[:1]
        return [(s, n) for _, s, n in close]

    def _candidate(self, number: int, score: float) -> Candidate:
        place, source = self._places[number]
        return Candidate(
            name=place.name,
            lon=place.lon,
            lat=place.lat,
            admin1=_admin1_label(place.country, place.admin1),
            score=score,
            source=f"geonames {place.id}" if place.id else source,
            population=place.population,
        )

    def _official_only(self, query: str, key: str, codes: set[str] | None) -> Lookup:
        """No place with coordinates: list KATOTTG's namesakes, which can never be resolved."""
        entries = [e for e in self._official.get(key, []) if codes is None or e.admin1 in codes]
        candidates = tuple(_official_candidate(entry) for entry in entries)
        status = LookupStatus.AMBIGUOUS if len(candidates) > 1 else LookupStatus.UNKNOWN
        return Lookup(query, status, candidates)


def _official_candidate(entry: OfficialName) -> Candidate:
    return Candidate(
        name=entry.name,
        lon=None,
        lat=None,
        admin1=_admin1_label("UA", entry.admin1),
        score=100.0,
        source=f"katottg {entry.code}",
    )


def read_places_file(path: Path) -> PlaceIndex | list[OfficialName]:
    """Read a gazetteer file, telling GeoNames layout from KATOTTG by its header.

    Raises:
        ValueError: neither layout, or a malformed row (the message names the file and line).
        OSError: the file cannot be read.
        UnicodeDecodeError: the file is not UTF-8.
    """
    text = path.read_text(encoding="utf-8-sig")
    header = {column.strip() for column in text.split("\n", 1)[0].split(",")}
    if set(KATOTTG_COLUMNS) <= header:
        return read_katottg(text, source=path.name)
    if {"geonameid", "name", "latitude", "longitude"} <= header:
        return PlaceIndex.from_geonames_csv(text, source=path.name)
    raise ValueError(
        f"{path.name}: neither a GeoNames-layout CSV (geonameid,name,latitude,longitude,...) "
        "nor a KATOTTG CSV (level1,...,category,name)"
    )
