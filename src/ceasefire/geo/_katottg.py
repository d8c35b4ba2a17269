"""KATOTTG, Ukraine's official codifier of administrative units and settlements: names, no points.

Each settlement row (categories M city, T urban-type settlement, C village, X settlement,
K city of special status) carries its full code path; the first level is the oblast. The
codifier gives no coordinates, so a name found only here can be listed as a candidate (telling
the user that the place exists, and how many namesakes it has) but never resolved to a point.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

__all__ = ["KATOTTG_COLUMNS", "OBLAST_OF_LEVEL1", "OfficialName", "read_katottg"]

KATOTTG_COLUMNS = ("level1", "level2", "level3", "level4", "extra_level", "category", "name")

#: KATOTTG level-1 prefix → GeoNames admin1 code of the oblast.
OBLAST_OF_LEVEL1 = {
    "UA01": "11", "UA05": "23", "UA07": "24", "UA12": "04", "UA14": "05", "UA18": "27",
    "UA21": "25", "UA23": "26", "UA26": "06", "UA32": "13", "UA35": "10", "UA44": "14",
    "UA46": "15", "UA48": "16", "UA51": "17", "UA53": "18", "UA56": "19", "UA59": "21",
    "UA61": "22", "UA63": "07", "UA65": "08", "UA68": "09", "UA71": "01", "UA73": "03",
    "UA74": "02", "UA80": "12", "UA85": "20",
}  # fmt: skip

#: The categories that are settlements (the others are oblasts, raions, hromadas, districts).
_SETTLEMENTS = frozenset("MTCXK")


@dataclass(frozen=True, slots=True)
class OfficialName:
    """A settlement in the codifier: its official name, code and oblast (GeoNames admin1)."""

    name: str
    code: str
    admin1: str
    category: str


def read_katottg(text: str, source: str = "katottg") -> list[OfficialName]:
    """Read the settlements of a KATOTTG CSV.

    Raises:
        ValueError: a column is missing.
    """
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in KATOTTG_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{source}: missing column(s) {', '.join(missing)}")
    names = []
    for row in reader:
        category = (row["category"] or "").strip()
        if category not in _SETTLEMENTS:
            continue
        code = next(
            (row[level] for level in ("extra_level", "level4", "level3", "level2") if row[level]),
            row["level1"],
        )
        names.append(
            OfficialName(
                name=(row["name"] or "").strip(),
                code=code.strip(),
                admin1=OBLAST_OF_LEVEL1.get((row["level1"] or "")[:4], ""),
                category=category,
            )
        )
    return names
