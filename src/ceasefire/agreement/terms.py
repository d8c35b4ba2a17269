"""The agreement: one version of a ceasefire's terms, as plain objects, and version selection.

Terms change over time (Minsk: the 2015 Package of Measures, the 2015 addendum, the 2016
Framework Decision, the 2020 measures), and an event must be judged by the terms in force when
it happened. Each loaded version is kept; :func:`version_in_force` picks the one for a moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from ceasefire.agreement._geojson import geometry_to_geojson
from ceasefire.agreement.clause import Clause, SourceDocument
from ceasefire.agreement.line import ReferenceLine
from ceasefire.agreement.party import Party
from ceasefire.agreement.weapon import (
    Catalogue,
    Classification,
    WeaponClass,
    WeaponObservation,
    classify,
)
from ceasefire.agreement.zone import Zone
from ceasefire.geo.projection import LocalProjection

__all__ = ["DOCUMENT_FORMAT", "Agreement", "version_in_force"]

#: The value of ``format:`` in agreement files and stored documents this code reads and writes.
DOCUMENT_FORMAT = "ceasefire-agreement/1"

_T = TypeVar("_T")


@dataclass(frozen=True)
class Agreement:
    """One version of an agreement's terms.

    Args:
        id: the agreement's id, the same for all its versions (``minsk``).
        version: this version's label (``2020-07-27``).
        title: the agreement's title.
        in_force_from: when this version takes effect (aware).
        parties: the parties bound.
        lines: the reference lines.
        weapon_classes: the regulated weapon classes.
        zones: the zones.
        clauses: the prohibitions.
        projection: the local metric projection all distances are computed in.
        catalogue: the named weapon systems the classes and reports may name.
        sources: the documents the clauses cite.
        description: free text.
        source_text: the file as read (YAML), kept so the exact input can be shown and re-hashed.
        sha256: hex SHA-256 of the file's bytes, identifying the version's input exactly.
        origin: the file name it was loaded from.
    """

    id: str
    version: str
    title: str
    in_force_from: datetime
    parties: tuple[Party, ...]
    lines: tuple[ReferenceLine, ...]
    weapon_classes: tuple[WeaponClass, ...]
    zones: tuple[Zone, ...]
    clauses: tuple[Clause, ...]
    projection: LocalProjection
    catalogue: Catalogue = field(default_factory=Catalogue)
    sources: tuple[SourceDocument, ...] = ()
    description: str = ""
    source_text: str = field(default="", repr=False)
    sha256: str = ""
    origin: str = field(default="", compare=False)

    def party(self, party_id: str) -> Party:
        """Return the party with this id.

        Raises:
            KeyError: no such party.
        """
        return _by_id(self.parties, party_id, "party")

    def line(self, line_id: str) -> ReferenceLine:
        """Return the reference line with this id.

        Raises:
            KeyError: no such line.
        """
        return _by_id(self.lines, line_id, "line")

    def zone(self, zone_id: str) -> Zone:
        """Return the zone with this id.

        Raises:
            KeyError: no such zone.
        """
        return _by_id(self.zones, zone_id, "zone")

    def clause(self, clause_id: str) -> Clause:
        """Return the clause with this id.

        Raises:
            KeyError: no such clause.
        """
        return _by_id(self.clauses, clause_id, "clause")

    def weapon_class(self, class_id: str) -> WeaponClass:
        """Return the weapon class with this id.

        Raises:
            KeyError: no such class.
        """
        return _by_id(self.weapon_classes, class_id, "weapon class")

    def clauses_in_force(self, at: datetime) -> tuple[Clause, ...]:
        """Return the clauses in force at ``at`` (aware), in file order.

        A clause past ``in_force_from`` but before its deadline is in force; whether it is yet
        breakable is :meth:`Clause.is_binding`.

        Raises:
            ValueError: ``at`` is naive.
        """
        if at.tzinfo is None:
            raise ValueError("a naive datetime cannot be compared with the agreement's times")
        return tuple(c for c in self.clauses if c.is_in_force(at))

    def classify(self, seen: WeaponObservation) -> Classification:
        """Return the weapon classes of this agreement an observed weapon falls in."""
        return classify(seen, self.weapon_classes, self.catalogue)

    def zones_geojson(self) -> dict[str, Any]:
        """Return the lines and zones as a GeoJSON FeatureCollection in WGS84, for maps.

        Returns:
            A FeatureCollection; each feature's properties carry ``id``, ``feature``
            (``line`` or ``zone``) and, for zones, ``kind`` and ``weapon_classes``.
        """
        features: list[dict[str, Any]] = []
        for line in self.lines:
            properties: dict[str, Any] = {
                "id": line.id,
                "feature": "line",
                "name": line.name,
                "sides": dict(line.sides),
            }
            features.append(_feature(line.geometry, properties))
        for zone in self.zones:
            properties = {
                "id": zone.id,
                "feature": "zone",
                "name": zone.name,
                "kind": str(zone.kind),
                "weapon_classes": list(zone.weapon_classes),
            }
            if zone.windows:
                properties["windows"] = [
                    {"from": w.start.isoformat(), "until": w.end.isoformat()} for w in zone.windows
                ]
            features.append(_feature(zone.geometry, properties))
        return {
            "type": "FeatureCollection",
            "properties": {"agreement": self.id, "version": self.version},
            "features": features,
        }

    def to_document(self) -> dict[str, Any]:
        """Return a self-contained, JSON-serialisable form of this version.

        Every geometry is inlined as GeoJSON (waypoints resolved, files read, derived zones
        computed), and the full weapon catalogue is included, so that
        :func:`ceasefire.agreement.loader.agreement_from_document` rebuilds an equal agreement
        with no file, no gazetteer and no dependence on this package's default catalogue.

        Returns:
            The document; it is itself a valid agreement file (in JSON), plus ``source_text``
            and ``sha256`` of the original.
        """
        doc: dict[str, Any] = {
            "format": DOCUMENT_FORMAT,
            "id": self.id,
            "version": self.version,
            "title": self.title,
            "in_force_from": self.in_force_from.isoformat(),
        }
        if self.description:
            doc["description"] = self.description
        doc["crs"] = self.projection.to_document()
        if self.sources:
            doc["sources"] = [s.to_document() for s in self.sources]
        doc["parties"] = [p.to_document() for p in self.parties]
        doc["lines"] = [line.to_document() for line in self.lines]
        doc["weapon_systems"] = [
            {
                "name": s.name,
                "family": str(s.family),
                **({"calibre_mm": s.calibre_mm} if s.calibre_mm is not None else {}),
                **({"aliases": list(s.aliases)} if s.aliases else {}),
            }
            for s in self.catalogue.systems
        ]
        doc["weapon_classes"] = [c.to_document() for c in self.weapon_classes]
        doc["zones"] = [z.to_document() for z in self.zones]
        doc["clauses"] = [c.to_document() for c in self.clauses]
        doc["source_text"] = self.source_text
        doc["sha256"] = self.sha256
        return doc


def _feature(geometry: Any, properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "Feature", "geometry": geometry_to_geojson(geometry), "properties": properties}


def _by_id(items: Iterable[_T], wanted: str, what: str) -> _T:
    for item in items:
        if getattr(item, "id", None) == wanted:
            return item
    raise KeyError(f"no {what} {wanted!r}")


def version_in_force(versions: Iterable[Agreement], at: datetime) -> Agreement | None:
    """Return the version in force at ``at``: the latest ``in_force_from`` not after it.

    Loading a new version never replaces an old one: an incident of 2016 is judged by the terms
    of 2016 even after the 2020 version is loaded.

    Args:
        versions: versions of one agreement (same id).
        at: the moment, aware.

    Returns:
        The version, or ``None`` if none had taken effect by then.

    Raises:
        ValueError: the versions belong to different agreements, two take effect at the same
            instant, or ``at`` is naive.
    """
    if at.tzinfo is None:
        raise ValueError("a naive datetime cannot be compared with in_force_from")
    candidates = list(versions)
    ids = {v.id for v in candidates}
    if len(ids) > 1:
        raise ValueError(f"versions of different agreements: {sorted(ids)}")
    starts: dict[datetime, Agreement] = {}
    for version in candidates:
        other = starts.get(version.in_force_from)
        if other is not None and other.sha256 != version.sha256:
            raise ValueError(
                f"versions {other.version!r} and {version.version!r} both take effect at "
                f"{version.in_force_from.isoformat()}"
            )
        starts[version.in_force_from] = version
    in_force = [start for start in starts if start <= at]
    return starts[max(in_force)] if in_force else None
