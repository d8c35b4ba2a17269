"""Builders of intake records for tests: valid ones, and ways to break them."""

from __future__ import annotations

import json
from typing import Any

CAMERA = {"id": "cam-1", "kind": "camera", "organisation": "Test mission", "reliability": "A"}
PATROL = {"id": "patrol-1", "kind": "monitor_patrol", "organisation": "Test mission"}


def report(ref: str, **overrides: Any) -> dict[str, Any]:
    """Return a valid report record (current layout) with source reference ``ref``."""
    record: dict[str, Any] = {
        "source": dict(CAMERA),
        "source_ref": ref,
        "observed_at": "2020-09-15T21:40:00+03:00",
        "time_precision": "minute",
        "location": {"lon": 37.75, "lat": 48.14, "uncertainty_m": 500},
        "activity": "explosion",
        "count": 1,
    }
    record.update(overrides)
    return record


#: Ways to break a valid record, each with the field intake must name.
BREAKAGES: dict[str, tuple[str, Any]] = {
    "no offset": ("observed_at", lambda r: r | {"observed_at": "2020-09-15T21:40:00"}),
    "bad activity": ("activity", lambda r: r | {"activity": "explosoin"}),
    "lat out of range": ("location.lat", lambda r: r | {"location": {"lon": 37.7, "lat": 148.1}}),
    "negative count": ("count", lambda r: r | {"count": -2}),
    "no location": ("location", lambda r: {k: v for k, v in r.items() if k != "location"}),
    "bad source kind": ("source.kind", lambda r: r | {"source": {"id": "x", "kind": "pigeon"}}),
    "bad evidence hash": (
        "evidence[0].sha256",
        lambda r: r | {"evidence": [{"sha256": "abc", "media_type": "image/jpeg"}]},
    ),
    "credibility 9": ("credibility", lambda r: r | {"credibility": 9}),
    "inverted interval": (
        "observed_until",
        lambda r: r | {"observed_until": "2020-09-14T00:00:00+03:00"},
    ),
}


def jsonl(records: list[dict[str, Any]]) -> str:
    """Return records as JSON Lines text."""
    return "".join(json.dumps(record) + "\n" for record in records)
