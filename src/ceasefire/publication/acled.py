"""The ACLED-format export: the incidents an audience may see, in ACLED's columns and codes.

ACLED's unit is the event, so a row is an incident (fused from reports), not a report. The
activity maps back to ACLED's ``event_type`` / ``sub_event_type`` through the importer's own
table (:data:`ceasefire.intake.readers._acled.SUB_EVENT_ACTIVITY`, read the other way: one
table for both directions), and the precision codes follow field-reference §4.1:
``geo_precision`` 1 (the town, within 2 km), 2 (near it, within 10 km), 3 (a larger part of a
region); ``time_precision`` 1 (the day is known), 2 (within a week), 3 (longer). ACLED's actors
"do not imply directionality", and the mission's attribution is a finding, not an actor: the
actor columns stay empty and the findings go, in words, into ``notes``.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from ceasefire.intake.readers._acled import SUB_EVENT_ACTIVITY
from ceasefire.publication.export import neutralise

__all__ = ["ACLED_COLUMNS", "SUB_EVENT_TYPE_OF", "acled_csv"]

#: ACLED's columns (field-reference §4.1), in ACLED's order.
ACLED_COLUMNS = (
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type",
    "sub_event_type", "actor1", "assoc_actor_1", "inter1", "actor2", "assoc_actor_2", "inter2",
    "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2",
    "admin3", "location", "latitude", "longitude", "geo_precision", "source", "source_scale",
    "notes", "fatalities", "tags", "timestamp",
)  # fmt: skip

#: ACLED's event type of each sub-event type (the codebook's hierarchy).
_EVENT_TYPE = {
    "Armed clash": "Battles",
    "Government regains territory": "Battles",
    "Non-state actor overtakes territory": "Battles",
    "Shelling/artillery/missile attack": "Explosions/Remote violence",
    "Air/drone strike": "Explosions/Remote violence",
    "Remote explosive/landmine/IED": "Explosions/Remote violence",
    "Grenade": "Explosions/Remote violence",
    "Suicide bomb": "Explosions/Remote violence",
    "Chemical weapon": "Explosions/Remote violence",
    "Attack": "Violence against civilians",
    "Abduction/forced disappearance": "Violence against civilians",
    "Sexual violence": "Violence against civilians",
}

#: Our activity → ACLED's sub-event type: the first sub-type the importer's table maps to it,
#: with the few activities that table sends to ``other`` or does not name made explicit.
SUB_EVENT_TYPE_OF: dict[str, str] = {
    **{
        activity: sub
        for sub, activity in reversed(list(SUB_EVENT_ACTIVITY.items()))
        if activity != "other"
    },
    "mortar_fire": "Shelling/artillery/missile attack",
    "mlrs_fire": "Shelling/artillery/missile attack",
    "sniper_fire": "Armed clash",
    "drone_flight": "Other",
    "weapon_presence": "Other",
    "mine_laying": "Remote explosive/landmine/IED",
}


def acled_csv(incidents: Sequence[dict[str, Any]]) -> str:
    """Return the ACLED-format CSV of incidents as an audience sees them (formula-safe)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=ACLED_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for incident in incidents:
        writer.writerow({key: neutralise(value) for key, value in _row(incident).items()})
    return buffer.getvalue()


def _row(incident: dict[str, Any]) -> dict[str, Any]:
    start = datetime.fromisoformat(incident["started_at"])
    end = datetime.fromisoformat(incident["ended_at"])
    sub = SUB_EVENT_TYPE_OF.get(incident["activity"], "Other")
    location = incident.get("location")
    notes = " ".join(
        f"{finding['clause_id']}: {finding['verdict']} ({finding['grade']})."
        for finding in incident.get("findings", [])
    )
    return {
        "event_id_cnty": incident["id"],
        "event_date": start.date().isoformat(),
        "year": start.year,
        "time_precision": _time_precision((end - start).total_seconds()),
        "disorder_type": "Political violence" if sub in _EVENT_TYPE else "Strategic developments",
        "event_type": _EVENT_TYPE.get(sub, "Strategic developments"),
        "sub_event_type": sub,
        "iso": 804,
        "country": "Ukraine",
        "latitude": location["lat"] if location else "",
        "longitude": location["lon"] if location else "",
        "geo_precision": _geo_precision(location["radius_m"]) if location else 3,
        "source": "ceasefire monitoring mission",
        "source_scale": "Other",
        "notes": f"{incident['activity']} x{incident['count']}; {notes}".strip("; "),
        "fatalities": 0,
        "timestamp": int(start.timestamp()),
    }


def _geo_precision(radius_m: float) -> int:
    return 1 if radius_m <= 2_000 else 2 if radius_m <= 10_000 else 3


def _time_precision(span_s: float) -> int:
    return 1 if span_s <= 86_400 else 2 if span_s <= 7 * 86_400 else 3
