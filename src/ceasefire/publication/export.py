"""Open exports of what an audience may see: GeoJSON, CSV and a GeoPackage for GIS.

Every row comes out of the audience filter (:mod:`ceasefire.publication.audience`); this module
only lays the visible records out in a file format, so an export can never show more than the
API does to the same audience. Text cells that a spreadsheet would run as a formula (those
beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return) are neutralised with a
leading apostrophe: reports are written by people outside the mission, parties included.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

from ceasefire.model.report import Report
from ceasefire.publication.audience import Audience, view_report

__all__ = ["COLUMNS", "ExportFormat", "ExportRow", "export_rows", "neutralise", "write_export"]

#: The flat columns of the CSV and GeoPackage exports, in order.
COLUMNS = (
    "id",
    "observed_at",
    "observed_until",
    "time_precision",
    "activity",
    "count",
    "lon",
    "lat",
    "uncertainty_m",
    "source_kind",
    "source_organisation",
    "source_id",
    "attributed_to",
    "narrative",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class ExportFormat(StrEnum):
    """The export formats (``ceasefire export --format``)."""

    GEOJSON = "geojson"
    CSV = "csv"
    GPKG = "gpkg"


@dataclass(frozen=True, slots=True)
class ExportRow:
    """One visible record, flat, with its point (or none: a bearing without a range)."""

    values: dict[str, Any]
    lon: float | None
    lat: float | None


def export_rows(reports: Iterable[Report], audience: Audience) -> list[ExportRow]:
    """Return the rows ``audience`` may see, through the one audience filter."""
    rows = []
    for report in reports:
        seen = view_report(report, audience)
        if seen is None:
            continue
        estimate = report.location.estimate()
        source = seen.get("source") or {}
        values = {
            "id": seen["id"],
            "observed_at": seen["observed_at"],
            "observed_until": seen.get("observed_until"),
            "time_precision": seen["time_precision"],
            "activity": seen["activity"],
            "count": seen["count"],
            "lon": estimate.lon if estimate else None,
            "lat": estimate.lat if estimate else None,
            "uncertainty_m": estimate.uncertainty_m if estimate else None,
            "source_kind": source.get("kind"),
            "source_organisation": source.get("organisation"),
            "source_id": source.get("id"),
            "attributed_to": seen.get("attributed_to"),
            "narrative": seen.get("narrative"),
        }
        rows.append(ExportRow(values, values["lon"], values["lat"]))
    return rows


def neutralise(value: Any) -> Any:
    """Return a text cell that a spreadsheet will show, never run (``=cmd()`` → ``'=cmd()``)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def write_export(rows: Sequence[ExportRow], fmt: ExportFormat, out: Path) -> int:
    """Write ``rows`` to ``out`` in ``fmt`` and return how many were written."""
    if fmt is ExportFormat.GEOJSON:
        out.write_text(json.dumps(_feature_collection(rows), ensure_ascii=False), "utf-8")
    elif fmt is ExportFormat.CSV:
        out.write_text(_csv_text(rows), encoding="utf-8")
    else:
        _write_geopackage(rows, out)
    return len(rows)


def _feature_collection(rows: Sequence[ExportRow]) -> dict[str, Any]:
    features = [
        {
            "type": "Feature",
            "geometry": (
                None
                if row.lon is None or row.lat is None
                else {"type": "Point", "coordinates": [row.lon, row.lat]}
            ),
            "properties": row.values,
        }
        for row in rows
    ]
    return {"type": "FeatureCollection", "features": features}


def _csv_text(rows: Sequence[ExportRow]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({key: neutralise(value) for key, value in row.values.items()})
    return buffer.getvalue()


def _write_geopackage(rows: Sequence[ExportRow], out: Path) -> None:
    """A GeoPackage layer ``reports`` (WGS84 points), through GDAL (pyogrio)."""
    import numpy as np
    import shapely
    from pyogrio.raw import write

    located = [row for row in rows if row.lon is not None and row.lat is not None]
    geometry = np.array(
        [shapely.to_wkb(shapely.Point(row.lon, row.lat)) for row in located], dtype=object
    )
    fields = list(COLUMNS)
    data = [_column(name, [row.values[name] for row in located]) for name in fields]
    if out.exists():
        out.unlink()  # an export is written whole; GDAL would otherwise add a layer beside
    write(
        str(out), geometry, data, fields, layer="reports", driver="GPKG",
        geometry_type="Point", crs="EPSG:4326",
    )  # fmt: skip


_NUMBERS = {"lon", "lat", "uncertainty_m"}


def _column(name: str, values: list[Any]) -> Any:
    """A typed column for GDAL: numbers as float64 (NaN when unknown), counts as int, text."""
    import numpy as np

    if name in _NUMBERS:
        return np.array([np.nan if v is None else float(v) for v in values], dtype=np.float64)
    if name == "count":
        return np.array([int(v) for v in values], dtype=np.int64)
    return np.array(["" if v is None else str(v) for v in values], dtype=object)
