"""A report: one observation or claim, exactly as received, with its precision kept.

A report is never edited. It is the raw material of everything after it (fusion, verification,
the commission's findings), so what arrives is what is kept; a correction is a new report that
names the one it corrects (``corrects``).

Identity: a report's ``id`` is derived, never assigned. When the source gives its own reference
(an ODK ``instanceID``, a camera's event number, a party's complaint number) the id is a hash of
(source id, that reference): re-sending the same report, even re-encoded, is recognised as the
same. Without a reference the id is a hash of the report's content. This is what makes intake
idempotent.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from ceasefire.errors import RecordRejected
from ceasefire.geo.gazetteer import Gazetteer
from ceasefire.ledger.canonical import content_digest
from ceasefire.model._fields import (
    check_keys,
    optional_float,
    optional_int,
    optional_str,
    timestamp,
    vocabulary,
)
from ceasefire.model.activity import Activity
from ceasefire.model.evidence import Evidence, evidence_from_dict
from ceasefire.model.location import Location, location_from_dict
from ceasefire.model.source import Source, source_from_dict
from ceasefire.model.weapon_family import WeaponFamily

__all__ = [
    "MAX_COUNT",
    "REPORT_KEYS",
    "REPORT_SCHEMA_VERSION",
    "STAMPED_BY_INTAKE",
    "Credibility",
    "Report",
    "TimePrecision",
    "WeaponObservation",
    "record_identity",
    "refuse_intake_stamps",
    "report_from_dict",
    "report_from_stored",
    "source_of_record",
]

#: Version of the stored report document; bump it with a migration in
#: :mod:`ceasefire.model.migration`.
REPORT_SCHEMA_VERSION = 2


class TimePrecision(StrEnum):
    """How precisely the time is known (as the SMM's "night of", UCDP's ``date_prec``)."""

    MINUTE = "minute"
    HOUR = "hour"
    DAY = "day"
    INTERVAL = "interval"  # somewhere between observed_at and observed_until


class Credibility(IntEnum):
    """Admiralty information credibility, 1 (confirmed) to 6 (cannot be judged)."""

    CONFIRMED = 1
    PROBABLY_TRUE = 2
    POSSIBLY_TRUE = 3
    DOUBTFUL = 4
    IMPROBABLE = 5
    CANNOT_BE_JUDGED = 6


@dataclass(frozen=True, slots=True)
class WeaponObservation:
    """The weapon as far as the observer could tell; any part may be unknown.

    The one observation type: reports carry it and the agreement's weapon classes classify it
    (:func:`ceasefire.agreement.weapon.classify`).

    Args:
        family: the family as given (a :class:`WeaponFamily` value, e.g. howitzer).
        calibre_mm: the calibre, if known.
        system: the named system, if identified (e.g. 2S1, BM-21 Grad).
    """

    family: str | None = None
    calibre_mm: float | None = None
    system: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form."""
        return {"family": self.family, "calibre_mm": self.calibre_mm, "system": self.system}


@dataclass(frozen=True, slots=True)
class Report:
    """One observation or claim.

    Args:
        id: derived identity (see the module docstring).
        source: who reported, as known when the report arrived.
        source_ref: the source's own reference for this report, if any.
        observed_at: start of the observation (aware).
        observed_until: end, for intervals ("between the evenings of 18 and 20 February").
        time_precision: how precisely the time is known.
        location: point, place or bearing (see :mod:`ceasefire.model.location`).
        activity: what was observed, from the closed vocabulary.
        count: how many (explosions, projectiles, bursts), counted as the SMM did: each once.
        weapon: the weapon as far as known.
        attributed_to: the party the report claims is responsible, or ``None`` (unknown).
        attribution_basis: why (direction of fire, crater analysis, position).
        credibility: Admiralty 1–6 as graded by whoever graded it.
        evidence: attachments by hash.
        narrative: free text as received; language: its language (BCP 47).
        corrects: id of an earlier report this one corrects.
        actor: who carried out the observed activity, as the observer saw it (a party id, or the
            reserved actor ``monitors``: the mission's own assets, such as its UAVs). A fact seen,
            unlike ``attributed_to``, which is a claim of responsibility.
        cites: the upstream item this report cites or copies (a URL, a wire story, another
            organisation's record id); reports citing one item are not independent of each other.
        origin: where the fire came from, in any location form, when it is told apart from
            ``location`` (the point of impact, or where the thing was seen).
        received_at: when intake accepted it (from the injected clock).
        schema_version: version of this document's layout.
    """

    id: str
    source: Source
    observed_at: datetime
    time_precision: TimePrecision
    location: Location
    activity: Activity
    received_at: datetime
    source_ref: str | None = None
    observed_until: datetime | None = None
    count: int = 1
    weapon: WeaponObservation | None = None
    attributed_to: str | None = None
    attribution_basis: str | None = None
    credibility: Credibility = Credibility.CANNOT_BE_JUDGED
    evidence: tuple[Evidence, ...] = ()
    narrative: str | None = None
    language: str | None = None
    corrects: str | None = None
    actor: str | None = None
    cites: str | None = None
    origin: Location | None = None
    schema_version: int = field(default=REPORT_SCHEMA_VERSION)

    def content(self) -> dict[str, Any]:
        """Return the report's content: everything except its derived id and arrival time.

        The optional fields added after layout 2 first shipped (``actor``, ``cites``, ``origin``)
        appear only when set, so the content (and so the digest and identity) of every report
        stored before them is unchanged.
        """
        content = {
            "schema_version": self.schema_version,
            "source": self.source.to_dict(),
            "source_ref": self.source_ref,
            "observed_at": self.observed_at.isoformat(),
            "observed_until": self.observed_until.isoformat() if self.observed_until else None,
            "time_precision": self.time_precision.value,
            "location": self.location.to_dict(),
            "activity": self.activity.value,
            "count": self.count,
            "weapon": self.weapon.to_dict() if self.weapon else None,
            "attributed_to": self.attributed_to,
            "attribution_basis": self.attribution_basis,
            "credibility": int(self.credibility),
            "evidence": [item.to_dict() for item in self.evidence],
            "narrative": self.narrative,
            "language": self.language,
            "corrects": self.corrects,
        }
        optional = {
            "actor": self.actor,
            "cites": self.cites,
            "origin": self.origin.to_dict() if self.origin is not None else None,
        }
        content.update((key, value) for key, value in optional.items() if value is not None)
        return content

    def to_dict(self) -> dict[str, Any]:
        """Return the full stored document (content, id and arrival time)."""
        return {"id": self.id, "received_at": self.received_at.isoformat(), **self.content()}

    def with_identity(self) -> Report:
        """Return this report with its id derived from its source reference or content."""
        return replace(self, id=derive_report_id(self))


def derive_report_id(report: Report) -> str:
    """Derive a report's stable id (``r-`` from its reference, ``c-`` from its content)."""
    return record_identity(report.source.id, report.source_ref, report.content, "r-", "c-")


def record_identity(
    source_id: str,
    source_ref: str | None,
    content: Callable[[], Mapping[str, Any]],
    by_reference: str,
    by_content: str,
) -> str:
    """Derive a record's stable id: from (source id, source reference) if given, else content.

    The prefix says which way the identity was established, so a reader can tell without
    recomputing it. Reports and coverage records share this one rule; only their prefixes differ.
    """
    if source_ref is not None:
        key = f"{source_id}\n{source_ref}".encode()
        return by_reference + hashlib.sha256(key).hexdigest()[:32]
    return by_content + content_digest(content())[:32]


#: Upper bound of ``count``: the SMM counted up to a few thousand explosions in a day over the
#: whole contact line; a million in one report is not an observation.
MAX_COUNT = 1_000_000

_SOURCE_KEYS = dict.fromkeys(("id", "kind", "organisation", "reliability", "name", "party"))
_LOCATION_KEYS: dict[str, Any] = {
    **dict.fromkeys(("lon", "lat", "uncertainty_m", "place", "precision", "resolved_name")),
    **dict.fromkeys(("bearing_deg", "bearing", "bearing_error_deg", "range_m")),
    "observer": dict.fromkeys(("lon", "lat")),
}
_EVIDENCE_KEYS: dict[str, Any] = {
    **dict.fromkeys(("sha256", "media_type", "size_bytes", "captured_at", "device", "filename")),
    "custody": [dict.fromkeys(("at", "by", "action", "note"))],
}
#: Every key a sender's report may have (current layout), for :func:`check_keys`.
REPORT_KEYS: dict[str, Any] = {
    **dict.fromkeys(("schema_version", "record", "source_ref", "observed_at", "observed_until")),
    **dict.fromkeys(("time_precision", "activity", "count", "attributed_to", "credibility")),
    **dict.fromkeys(("attribution_basis", "narrative", "language", "corrects", "actor", "cites")),
    "source": _SOURCE_KEYS,
    "location": _LOCATION_KEYS,
    "origin": _LOCATION_KEYS,
    "weapon": dict.fromkeys(("family", "calibre_mm", "system")),
    "evidence": [_EVIDENCE_KEYS],
}

#: Keys of a stored document that a sender may not set, and why.
STAMPED_BY_INTAKE = {
    "id": "is derived by intake from the source and source_ref (or the content); remove it",
    "received_at": "is stamped by the mission's clock when the record arrives; remove it",
}


def refuse_intake_stamps(data: dict[str, Any]) -> None:
    """Refuse a sender's record that sets what only intake may set (``id``, ``received_at``).

    Raises:
        RecordRejected: the record carries one of :data:`STAMPED_BY_INTAKE`.
    """
    for key, reason in STAMPED_BY_INTAKE.items():
        if key in data:
            raise RecordRejected(key, reason)


def report_from_dict(
    data: dict[str, Any],
    *,
    received_at: datetime,
    resolver: Gazetteer | None,
    default_source: Source | None = None,
    known_sources: Mapping[str, Source] | None = None,
) -> Report:
    """Read a report as a sender sent it, and derive its id.

    This is the intake path: unknown keys are refused (with the likely intended key), as are
    ``id`` and ``received_at`` (intake sets them), a ``weapon.family`` the taxonomy does not
    know, and times in the future of the mission's clock. A stored document is read back by
    :func:`report_from_stored` instead, which judges none of that again.

    Args:
        data: the record, already migrated to :data:`REPORT_SCHEMA_VERSION`.
        received_at: the arrival time to stamp, from the mission's clock.
        resolver: the gazetteer for place names.
        default_source: the source to use when the record names none (``ingest --source``).
        known_sources: registered sources, so a record may name its source by id alone.

    Raises:
        RecordRejected: any field is missing or malformed; the error names the field.
    """
    refuse_intake_stamps(data)
    check_keys(data, REPORT_KEYS)
    weapon = data.get("weapon")
    if isinstance(weapon, dict) and weapon.get("family") not in (None, ""):
        vocabulary(WeaponFamily, weapon["family"], "weapon.family")
    source = source_of_record(data, default_source, known_sources or {})
    return _report(data, source, resolver, received_at, now=received_at)


def report_from_stored(document: dict[str, Any]) -> Report:
    """Read a stored report document back (migrated to the current layout), as it was stored.

    Raises:
        RecordRejected: the document is not a report document.
    """
    received_at = timestamp(document.get("received_at"), "received_at")
    source = source_from_dict(document.get("source"))
    return _report(document, source, None, received_at, now=None)


def _report(
    data: dict[str, Any],
    source: Source,
    resolver: Gazetteer | None,
    received_at: datetime,
    now: datetime | None,
) -> Report:
    observed_at, observed_until, precision = _times(data, now)
    credibility_raw = optional_int(data, "credibility", "credibility", minimum=1, maximum=MAX_COUNT)
    if credibility_raw is not None and credibility_raw > 6:
        raise RecordRejected("credibility", f"must be 1-6 (Admiralty scale), got {credibility_raw}")
    evidence_raw = data.get("evidence") or []
    if not isinstance(evidence_raw, list):
        raise RecordRejected("evidence", "must be a list of attachments")
    report = Report(
        id="",
        source=source,
        source_ref=optional_str(data, "source_ref", "source_ref"),
        observed_at=observed_at,
        observed_until=observed_until,
        time_precision=precision,
        location=location_from_dict(data.get("location"), resolver),
        activity=vocabulary(Activity, data.get("activity"), "activity"),
        count=optional_int(data, "count", "count", minimum=1, maximum=MAX_COUNT) or 1,
        weapon=_weapon(data.get("weapon")),
        attributed_to=_attribution(data),
        attribution_basis=optional_str(
            data, "attribution_basis", "attribution_basis", free_text=True
        ),
        credibility=Credibility(credibility_raw or 6),
        evidence=tuple(
            evidence_from_dict(item, f"evidence[{index}]", now=now)
            for index, item in enumerate(evidence_raw)
        ),
        narrative=optional_str(data, "narrative", "narrative", free_text=True),
        language=optional_str(data, "language", "language"),
        corrects=optional_str(data, "corrects", "corrects"),
        actor=optional_str(data, "actor", "actor"),
        cites=optional_str(data, "cites", "cites"),
        origin=(
            location_from_dict(data["origin"], resolver, field="origin")
            if data.get("origin") not in (None, "", {})
            else None
        ),
        received_at=received_at,
    )
    return report.with_identity()


def _times(
    data: dict[str, Any], now: datetime | None
) -> tuple[datetime, datetime | None, TimePrecision]:
    observed_at = timestamp(data.get("observed_at"), "observed_at", now=now)
    until_raw = data.get("observed_until")
    observed_until = (
        timestamp(until_raw, "observed_until", now=now) if until_raw not in (None, "") else None
    )
    if observed_until is not None and observed_until < observed_at:
        raise RecordRejected("observed_until", "is before observed_at")
    precision_raw = data.get("time_precision")
    if precision_raw in (None, ""):
        precision = TimePrecision.INTERVAL if observed_until else TimePrecision.MINUTE
    else:
        precision = vocabulary(TimePrecision, precision_raw, "time_precision")
    if precision is TimePrecision.INTERVAL and observed_until is None:
        raise RecordRejected("observed_until", "is required when time_precision is 'interval'")
    return observed_at, observed_until, precision


def source_of_record(
    data: dict[str, Any], default: Source | None, known: Mapping[str, Source]
) -> Source:
    """Return the record's source: inline, by registered id, or the batch default.

    Raises:
        RecordRejected: no source at all, or an id nobody registered.
    """
    raw = data.get("source")
    if raw in (None, ""):
        if default is None:
            raise RecordRejected("source", "is required (or give the file's source with --source)")
        return default
    if isinstance(raw, str):
        if default is not None and raw == default.id:
            return default
        if raw in known:
            return known[raw]
        raise RecordRejected(
            "source", f"{raw!r} is not a registered source; give it as an object with id and kind"
        )
    return source_from_dict(raw)


def _weapon(raw: Any) -> WeaponObservation | None:
    if raw in (None, "", {}):
        return None
    if not isinstance(raw, dict):
        raise RecordRejected("weapon", "must be an object with family, calibre_mm and/or system")
    weapon = WeaponObservation(
        family=optional_str(raw, "family", "weapon.family"),
        calibre_mm=optional_float(raw, "calibre_mm", "weapon.calibre_mm", minimum=1, maximum=1000),
        system=optional_str(raw, "system", "weapon.system"),
    )
    return None if weapon == WeaponObservation() else weapon


def _attribution(data: dict[str, Any]) -> str | None:
    value = optional_str(data, "attributed_to", "attributed_to")
    # "unknown" is how many sources say "not attributed"; store it as the absence it is.
    return None if value is None or value.lower() in {"unknown", "undetermined"} else value
