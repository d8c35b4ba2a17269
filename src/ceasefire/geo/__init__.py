"""The shared geometry kernel: local metric projections, GeoJSON, and the gazetteer of places."""

from __future__ import annotations

__all__: list[str] = []
