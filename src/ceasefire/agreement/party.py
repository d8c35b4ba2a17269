"""The parties an agreement binds, and the areas they hold where the agreement gives them.

A party is who a clause binds and who a violation may be attributed to. Its area (optional) is
what "on this party's side" means away from a reference line, and what a zone may be clipped to.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shapely.geometry.base import BaseGeometry

from ceasefire.agreement._context import LoadContext, at
from ceasefire.agreement._geojson import geometry_to_geojson, read_polygonal

__all__ = ["RESERVED_ACTORS", "Party", "party_from_spec"]

#: Actors that are not parties but that clauses may name (in exemptions): the mission itself.
RESERVED_ACTORS = frozenset({"monitors"})


@dataclass(frozen=True)
class Party:
    """A party bound by the agreement.

    Args:
        id: short id used everywhere else in the file (``UA``, ``RU``).
        name: the full name, as the documents describe the party.
        area: the area the party holds (WGS84), when the agreement gives one.
        description: free text (who signed for it, how the documents name it).
    """

    id: str
    name: str
    area: BaseGeometry | None = None
    description: str = ""

    def to_document(self) -> dict[str, Any]:
        """Return the JSON form, with the area inlined as GeoJSON."""
        doc: dict[str, Any] = {"id": self.id, "name": self.name}
        if self.description:
            doc["description"] = self.description
        if self.area is not None:
            doc["area"] = geometry_to_geojson(self.area)
        return doc


def party_from_spec(spec: dict[str, Any], path: str, ctx: LoadContext) -> Party | None:
    """Build a party from its (schema-checked) YAML mapping.

    Args:
        spec: the mapping.
        path: its path, e.g. ``parties[0]``.
        ctx: the load context.

    Returns:
        The party, or ``None`` after recording a problem.
    """
    party_id = spec["id"]
    if party_id in RESERVED_ACTORS or party_id == "both":
        ctx.add(at(path, "id"), f"{party_id!r} is reserved and cannot be a party id")
        return None
    area = None
    if "area" in spec:
        area = read_polygonal(spec["area"], at(path, "area"), ctx)
        if area is None:
            return None
    return Party(
        id=party_id,
        name=spec["name"],
        area=area,
        description=spec.get("description", ""),
    )
