"""Place names to coordinates: the gazetteer that agreement waypoints and reports resolve through.

Real agreements describe lines and areas by settlement names ("from Shyrokyne to Stanytsia
Luhanska"), and users spell those names the way the press does (Marinka, Avdiivka) while GeoNames
keeps older transliterations (Mar'yinka, Avdiyivka). Matching is therefore case-, diacritic- and
apostrophe-insensitive and covers alternate names, and a name that matches more than one place is
refused with the candidates listed rather than guessed: a wrong village can move a line by 100 km.

Qualified names disambiguate: ``"Vodiane (Donetsk)"`` keeps the candidates in that oblast (or
country code ``UA``, or GeoNames admin1 code ``05``), and ``"Vodiane (near Shyrokyne)"`` keeps the
candidate nearest to the other place (within :data:`NEAR_KM`, and clearly nearer than any
other namesake). ``resolve(name, near=(lon, lat))`` does
the same for callers that have a position (a report with an approximate location).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Protocol

from ceasefire.errors import UnknownPlace

__all__ = [
    "ADMIN1_NAMES_UA",
    "NEAR_KM",
    "NEAR_RATIO",
    "Gazetteer",
    "Place",
    "PlaceIndex",
    "bundled",
    "load_geonames_csv",
    "normalise_name",
]

#: How close (km) a candidate must be to a "near" anchor to be chosen.
NEAR_KM = 30.0
#: With several candidates near the anchor, the nearest is chosen only if the next is this many
#: times as far.
NEAR_RATIO = 1.5

#: GeoNames admin1 codes of Ukraine's oblasts, so that "(Donetsk)" can qualify a name.
ADMIN1_NAMES_UA: dict[str, str] = {
    "01": "Cherkasy",
    "02": "Chernihiv",
    "03": "Chernivtsi",
    "04": "Dnipropetrovsk",
    "05": "Donetsk",
    "06": "Ivano-Frankivsk",
    "07": "Kharkiv",
    "08": "Kherson",
    "09": "Khmelnytskyi",
    "10": "Kirovohrad",
    "11": "Crimea",
    "12": "Kyiv City",
    "13": "Kyiv",
    "14": "Luhansk",
    "15": "Lviv",
    "16": "Mykolaiv",
    "17": "Odesa",
    "18": "Poltava",
    "19": "Rivne",
    "20": "Sevastopol",
    "21": "Sumy",
    "22": "Ternopil",
    "23": "Vinnytsia",
    "24": "Volyn",
    "25": "Zakarpattia",
    "26": "Zaporizhzhia",
    "27": "Zhytomyr",
}

_GEONAMES_COLUMNS = (
    "geonameid",
    "name",
    "latitude",
    "longitude",
    "countrycode",
    "admin1code",
    "population",
    "timezone",
    "alternatenames",
)
_QUALIFIED = re.compile(r"^(?P<base>.+?)\s*\((?P<qualifier>[^()]+)\)\s*$")
_DROPPED = str.maketrans("", "", "'’ʼ`´‘\"")
_EARTH_RADIUS_KM = 6371.0088


def normalise_name(name: str) -> str:
    """Return the form of a place name used for matching.

    Case, diacritics, apostrophes (Mar'yinka), hyphens and runs of spaces are ignored, because
    they vary between transliterations of the same name and never tell two places apart.

    Args:
        name: a place name in any script.

    Returns:
        The matching key.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.translate(_DROPPED).replace("-", " ")
    return " ".join(stripped.split())


@dataclass(frozen=True, slots=True)
class Place:
    """A named settlement with a point location.

    Args:
        name: the primary name (GeoNames' ``name``).
        lon: longitude, degrees east.
        lat: latitude, degrees north.
        country: ISO 3166-1 alpha-2 code.
        admin1: GeoNames admin1 code (the oblast, for Ukraine).
        population: as GeoNames gives it (0 when unknown).
        alternate_names: other spellings, in any script.
        id: the source's identifier (GeoNames id), empty for places added by hand.
    """

    name: str
    lon: float
    lat: float
    country: str = ""
    admin1: str = ""
    population: int = 0
    alternate_names: tuple[str, ...] = ()
    id: str = ""

    def describe(self) -> str:
        """Return a one-line description that tells this place from its namesakes."""
        region = ADMIN1_NAMES_UA.get(self.admin1, self.admin1) if self.country == "UA" else ""
        where = ", ".join(part for part in (region, self.country) if part)
        return f"{self.name} ({where}) at {self.lon:.4f}, {self.lat:.4f}"

    def distance_km(self, lon: float, lat: float) -> float:
        """Return the great-circle distance in km to (lon, lat); enough to pick a namesake."""
        p1, p2 = math.radians(self.lat), math.radians(lat)
        dp, dl = p2 - p1, math.radians(lon - self.lon)
        a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
        return 2 * _EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


class Gazetteer(Protocol):
    """Anything that turns a place name into one :class:`Place`."""

    def resolve(self, name: str, near: tuple[float, float] | None = None) -> Place:
        """Return the one place that ``name`` designates.

        Args:
            name: a place name, optionally qualified: ``"Vodiane (Donetsk)"``,
                ``"Vodiane (near Shyrokyne)"``.
            near: a (lon, lat) hint; when several places match, the one within
                :data:`NEAR_KM` of it is chosen.

        Returns:
            The place.

        Raises:
            UnknownPlace: no place has that name, or several do and nothing tells them apart.
        """
        ...


class PlaceIndex:
    """An in-memory gazetteer over a list of places.

    Args:
        places: the places; names and alternate names are indexed.
        source: what the places came from, quoted in error messages.
    """

    def __init__(self, places: Iterable[Place], source: str = "gazetteer") -> None:
        self.places: tuple[Place, ...] = tuple(places)
        self.source = source
        self._primary: dict[str, list[Place]] = {}
        self._alternate: dict[str, list[Place]] = {}
        for place in self.places:
            self._primary.setdefault(normalise_name(place.name), []).append(place)
            for alternate in place.alternate_names:
                key = normalise_name(alternate)
                bucket = self._alternate.setdefault(key, [])
                if place not in bucket:
                    bucket.append(place)

    def __len__(self) -> int:
        return len(self.places)

    def __iter__(self) -> Iterator[Place]:
        return iter(self.places)

    def candidates(self, name: str) -> list[Place]:
        """Return every place called ``name`` (unqualified), primary-name matches first.

        A place whose primary name matches wins over places that merely list the name among
        their alternates: "Donetsk" is the city, not every village once nicknamed so.

        Args:
            name: an unqualified place name.

        Returns:
            The matching places; empty when there are none.
        """
        key = normalise_name(name)
        primary = self._primary.get(key, [])
        if primary:
            return list(primary)
        return list(self._alternate.get(key, []))

    def resolve(self, name: str, near: tuple[float, float] | None = None) -> Place:
        """Return the one place that ``name`` designates (see :class:`Gazetteer`).

        Args:
            name: a place name, optionally qualified with an oblast, a country code, an admin1
                code, or ``near <other place>``.
            near: a (lon, lat) hint used when several places match.

        Returns:
            The place.

        Raises:
            UnknownPlace: not found, or ambiguous (the message lists the candidates).
        """
        base, qualifier = name.strip(), None
        match = _QUALIFIED.match(base)
        if match:
            base, qualifier = match["base"].strip(), match["qualifier"].strip()
        found = self.candidates(base)
        if not found:
            raise UnknownPlace(f"place {name!r} not found in {self.source}")
        if qualifier is not None:
            found = self._qualify(name, found, qualifier)
        if len(found) > 1 and near is not None:
            found = _within(found, near)
            if not found:
                raise UnknownPlace(
                    f"place {name!r}: no candidate within {NEAR_KM:g} km of "
                    f"{near[0]:.4f}, {near[1]:.4f}"
                )
        if len(found) > 1:
            listed = "; ".join(p.describe() for p in found)
            raise UnknownPlace(
                f"place {name!r} is ambiguous in {self.source} ({len(found)} candidates: "
                f"{listed}); qualify it, e.g. '{base} (Donetsk)' or '{base} (near <place>)'"
            )
        return found[0]

    def _qualify(self, name: str, found: list[Place], qualifier: str) -> list[Place]:
        """Keep the candidates that the parenthesised qualifier designates."""
        if qualifier.casefold().startswith("near "):
            anchor = self.resolve(qualifier[5:].strip())
            kept = _within(found, (anchor.lon, anchor.lat))
            if not kept:
                raise UnknownPlace(
                    f"place {name!r}: no candidate within {NEAR_KM:g} km of {anchor.describe()}"
                )
            return kept
        wanted = normalise_name(qualifier)
        wanted = wanted.removesuffix(" oblast").removesuffix(" region")
        kept = [p for p in found if wanted in _qualifiers_of(p)]
        if not kept:
            listed = "; ".join(p.describe() for p in found)
            raise UnknownPlace(f"place {name!r}: no candidate matches {qualifier!r} ({listed})")
        return kept

    @classmethod
    def from_geonames_csv(cls, text: str, source: str = "gazetteer") -> PlaceIndex:
        """Build an index from CSV text in the GeoNames layout (with a header row).

        Args:
            text: ``geonameid,name,latitude,longitude,countrycode,admin1code,population,
                timezone,alternatenames``; alternate names separated by ``|``.
            source: a name for the data, quoted in error messages.

        Returns:
            The index.

        Raises:
            ValueError: a column is missing or a row has no usable coordinates.
        """
        reader = csv.DictReader(io.StringIO(text))
        missing = [c for c in _GEONAMES_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
        places = []
        for number, row in enumerate(reader, start=2):
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except ValueError as exc:
                raise ValueError(f"{source}: line {number}: bad coordinates") from exc
            alternates = tuple(a for a in (row["alternatenames"] or "").split("|") if a)
            population = row["population"] or "0"
            places.append(
                Place(
                    name=row["name"],
                    lon=lon,
                    lat=lat,
                    country=row["countrycode"],
                    admin1=row["admin1code"],
                    population=int(population) if population.isdigit() else 0,
                    alternate_names=alternates,
                    id=row["geonameid"],
                )
            )
        return cls(places, source=source)


def _qualifiers_of(place: Place) -> set[str]:
    """Return the normalised words that may qualify this place's name."""
    words = {normalise_name(place.country), normalise_name(place.admin1)}
    if place.country == "UA" and place.admin1 in ADMIN1_NAMES_UA:
        words.add(normalise_name(ADMIN1_NAMES_UA[place.admin1]))
    return words


def _within(found: list[Place], near: tuple[float, float]) -> list[Place]:
    """Keep the candidates within NEAR_KM of ``near``; the nearest alone if it clearly is.

    "Clearly" means the runner-up is at least :data:`NEAR_RATIO` times as far: two namesakes 10
    and 25 km away are told apart, two at 10 and 12 km are not (the hint is too coarse for that).
    """
    distances = sorted((p.distance_km(near[0], near[1]), i) for i, p in enumerate(found))
    close = [(d, i) for d, i in distances if d <= NEAR_KM]
    if len(close) > 1 and close[1][0] >= NEAR_RATIO * close[0][0]:
        close = close[:1]
    return [found[i] for _, i in close]


def load_geonames_csv(path: Path) -> PlaceIndex:
    """Load a gazetteer from a CSV file in the GeoNames layout.

    Args:
        path: the CSV file, UTF-8.

    Returns:
        The index.

    Raises:
        OSError: the file cannot be read.
        ValueError: the layout is wrong.
    """
    return PlaceIndex.from_geonames_csv(path.read_text(encoding="utf-8"), source=path.name)


def bundled() -> PlaceIndex:
    """Return the small gazetteer shipped with the package (Donbas contact-line settlements).

    It is enough for the bundled Minsk example and for demos; missions load a full one (e.g.
    GeoNames) with :func:`load_geonames_csv`.

    Returns:
        The index.
    """
    text = resources.files("ceasefire").joinpath("samples", "gazetteer.csv").read_text("utf-8")
    return PlaceIndex.from_geonames_csv(text, source="the bundled gazetteer")
