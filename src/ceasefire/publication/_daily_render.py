"""Render a :class:`~ceasefire.publication.daily.DailyReport` as HTML (Jinja2) and PDF (WeasyPrint).

One template, autoescaped: every value in it came from people outside the mission, so none is
ever read as markup. The figures (the map and the 30-day chart) are SVG made here, embedded in
the page, so the HTML is one self-contained file and the PDF needs no network.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

from ceasefire.publication.daily import DailyReport

__all__ = ["chart_svg", "render_html", "write_pdf"]

_TEMPLATES = Path(__file__).parent / "templates"


def render_html(report: DailyReport, map_svg: str, weapons_note: str) -> str:
    """Return the report as one self-contained HTML page."""
    from jinja2 import Environment, FileSystemLoader, select_autoescape

    environment = Environment(
        loader=FileSystemLoader(_TEMPLATES), autoescape=select_autoescape(["html", "j2"])
    )
    zone = ZoneInfo(report.timezone)
    start = report.period_start.astimezone(zone)
    end = report.period_end.astimezone(zone)
    return environment.get_template("daily.html.j2").render(
        report=report,
        cutoff=end.strftime("%H:%M on %d %B %Y"),
        period=f"{start:%d %B %Y %H:%M} to {end:%d %B %Y %H:%M}",
        chart=chart_svg(report.series),
        map=map_svg,
        weapons_note=weapons_note,
    )


def write_pdf(html: str, out: Path) -> None:
    """Write the page as a PDF (A4) with WeasyPrint."""
    from weasyprint import HTML

    HTML(string=html, base_url=str(_TEMPLATES)).write_pdf(str(out))


def chart_svg(series: Sequence[tuple[date, int]], width: int = 680, height: int = 170) -> str:
    """A bar chart of violations per day (SVG), with the peak labelled."""
    peak = max((count for _, count in series), default=0) or 1
    left, bottom, top = 34, 22, 12
    bar = (width - left - 6) / max(len(series), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="9">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#888"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end">{peak}</text>',
        f'<text x="{left - 4}" y="{height - bottom}" text-anchor="end">0</text>',
    ]
    for index, (day, count) in enumerate(series):
        h = (height - bottom - top) * count / peak
        x = left + index * bar
        parts.append(
            f'<rect x="{x + 1:.1f}" y="{height - bottom - h:.1f}" width="{bar - 2:.1f}" '
            f'height="{h:.1f}" fill="#c0392b"><title>{escape(str(day))}: {count}</title></rect>'
        )
        if index % 5 == 0 or index == len(series) - 1:
            parts.append(
                f'<text x="{x + bar / 2:.1f}" y="{height - 8}" text-anchor="middle">'
                f"{escape(str(day)[5:])}</text>"
            )
    parts.append("</svg>")
    return "".join(parts)
