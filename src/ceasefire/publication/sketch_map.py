"""A sketch map: the agreement's lines and zones, the reports and the blind spots, as one SVG.

Maps are what people would rather look at than read, and a mission's first question about a day
is "where". This draws a self-contained SVG (no tiles, no scripts, no network: it opens in any
browser and prints) in the agreement's own metric projection, so distances on the page are true
to scale. It is a sketch for the demo and for reports, not a GIS; the GeoJSON layers are for that.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from html import escape

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ceasefire.agreement.terms import Agreement
from ceasefire.agreement.zone import ZoneKind

__all__ = ["MapPoint", "render_svg"]

WIDTH = 1000
MARGIN = 40

_ZONE_STYLE = {
    ZoneKind.WITHDRAWAL: "fill:#f4a259;fill-opacity:0.10;stroke:#c9731e;stroke-opacity:0.5",
    ZoneKind.DISENGAGEMENT: "fill:#8e44ad;fill-opacity:0.6;stroke:#5b2c6f",
    ZoneKind.BUFFER: "fill:#95a5a6;fill-opacity:0.2;stroke:#7f8c8d",
    ZoneKind.SETTLEMENT_PROTECTION: "fill:#2e86c1;fill-opacity:0.35;stroke:none",
    ZoneKind.STORAGE_SITE: "fill:#27ae60;fill-opacity:0.5;stroke:#1e8449",
    ZoneKind.AIRSPACE: "fill:none;stroke:#5dade2;stroke-dasharray:6 4",
    ZoneKind.SEA_AREA: "fill:#aed6f1;fill-opacity:0.3;stroke:#5dade2",
    ZoneKind.LIVE_FIRE: "fill:#f1c40f;fill-opacity:0.4;stroke:#b7950b;stroke-dasharray:4 3",
}
_BLIND_STYLE = "fill:#555;fill-opacity:0.25;stroke:#333;stroke-dasharray:3 3"


@dataclass(frozen=True, slots=True)
class MapPoint:
    """A report to draw: where, how uncertain, and what."""

    lon: float
    lat: float
    uncertainty_m: float
    label: str


def render_svg(
    agreement: Agreement,
    points: Sequence[MapPoint],
    blind_spots: Iterable[BaseGeometry] = (),
    title: str = "",
) -> str:
    """Draw the agreement's zones and lines, the report points and the blind spots.

    Args:
        agreement: supplies the lines, the zones and the projection.
        points: reports with a point estimate; each is drawn with its uncertainty circle.
        blind_spots: sectors nobody could observe (outages, jamming, denied access), WGS84.
        title: a caption.
    """
    project = agreement.projection.to_metric
    lines = [project(line.geometry) for line in agreement.lines]
    zones = [(zone.kind, zone.geometry_metric) for zone in agreement.zones]
    dots = [(project(Point(p.lon, p.lat)), p) for p in points]
    blind = [project(sector) for sector in blind_spots]
    frame = _Frame([*lines, *(geometry for _, geometry in zones), *(d for d, _ in dots), *blind])

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{frame.height}" '
        f'viewBox="0 0 {WIDTH} {frame.height}" font-family="sans-serif" font-size="12">',
        f'<rect width="100%" height="100%" fill="#fbfaf7"/><title>{escape(title)}</title>',
    ]
    # Widest zones first, so small ones (disengagement areas) stay visible on top.
    for kind, geometry in sorted(zones, key=lambda item: -item[1].area):
        parts.append(f'<path d="{frame.path(geometry)}" style="{_ZONE_STYLE[kind]}"/>')
    parts.extend(f'<path d="{frame.path(g)}" style="{_BLIND_STYLE}"/>' for g in blind)
    parts.extend(
        f'<path d="{frame.path(g)}" style="fill:none;stroke:#c0392b;stroke-width:2.5"/>'
        for g in lines
    )
    for dot, point in dots:
        x, y = frame.xy(dot.x, dot.y)
        radius = max(3.0, point.uncertainty_m * frame.scale)
        parts.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius:.1f}" style="fill:#1b2631;'
            f'fill-opacity:0.25;stroke:#1b2631"><title>{escape(point.label)}</title></circle>'
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2" fill="#1b2631"/>'
        )
    parts.append(_legend(frame, title))
    parts.append("</svg>")
    return "\n".join(parts)


class _Frame:
    """Fits metric geometries onto the page, north up, preserving scale."""

    def __init__(self, geometries: Sequence[BaseGeometry]) -> None:
        bounds = [g.bounds for g in geometries if not g.is_empty]
        self.min_x = min(b[0] for b in bounds)
        self.min_y = min(b[1] for b in bounds)
        max_x = max(b[2] for b in bounds)
        max_y = max(b[3] for b in bounds)
        span_x, span_y = max(max_x - self.min_x, 1.0), max(max_y - self.min_y, 1.0)
        self.scale = (WIDTH - 2 * MARGIN) / span_x
        self.height = int(span_y * self.scale + 2 * MARGIN + 60)
        self.max_y = max_y

    def xy(self, x: float, y: float) -> tuple[float, float]:
        """Page position of a metric point (y grows downward on the page)."""
        return MARGIN + (x - self.min_x) * self.scale, MARGIN + (self.max_y - y) * self.scale

    def path(self, geometry: BaseGeometry) -> str:
        """SVG path data for a (multi)line or (multi)polygon."""
        if hasattr(geometry, "geoms"):
            return " ".join(self.path(part) for part in geometry.geoms)
        if geometry.geom_type == "Polygon":
            rings = [geometry.exterior, *geometry.interiors]
            return " ".join(self._ring(ring.coords, close=True) for ring in rings)
        if geometry.geom_type in {"LineString", "LinearRing"}:
            return self._ring(geometry.coords, close=False)
        return ""

    def _ring(self, coords: Iterable[tuple[float, ...]], close: bool) -> str:
        points = [self.xy(c[0], c[1]) for c in coords]
        text = "M" + " L".join(f"{x:.1f},{y:.1f}" for x, y in points)
        return text + (" Z" if close else "")


def _legend(frame: _Frame, title: str) -> str:
    bar_km = 25
    bar = bar_km * 1000 * frame.scale
    y = frame.height - 30
    items = [
        ("#c0392b", "contact line"),
        ("#f4a259", "withdrawal zones"),
        ("#8e44ad", "disengagement areas"),
        ("#555", "not observable (coverage gaps)"),
        ("#1b2631", "reports (circle: uncertainty)"),
    ]
    legend = [f'<text x="{MARGIN}" y="{MARGIN - 15}" font-size="16">{escape(title)}</text>']
    x = MARGIN
    for colour, label in items:
        legend.append(
            f'<rect x="{x}" y="{y - 10}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{x + 16}" y="{y}">{escape(label)}</text>'
        )
        x += 30 + 7 * len(label)
    legend.append(
        f'<path d="M{WIDTH - MARGIN - bar:.1f},{y} h{bar:.1f}" stroke="#000" stroke-width="3"/>'
        f'<text x="{WIDTH - MARGIN - bar:.1f}" y="{y - 6}">{bar_km} km</text>'
    )
    return "\n".join(legend)
