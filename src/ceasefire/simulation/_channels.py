"""The channels outside the mission: the parties' complaints, the wire, outlets, local posts.

A party complains about fire that lands on its side (and sometimes about fire that never
happened), always blaming the other side and usually counting more rounds than fell. The wire
picks up some statements and outlets retell them in their own words, all citing the statement
(``cites``) and often carrying its photo (the same evidence hash): many reports, one source.
Local eyewitness channels post on their own account (independent, imprecise), and rumours
appear about nothing at all. Every false report is marked as such in the truth.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ceasefire.simulation._geometry import Front
from ceasefire.simulation._records import Output, SourceSpec, iso, offset
from ceasefire.simulation._text import complaint_text, copy_text, eyewitness_text
from ceasefire.simulation._world import PARTIES, TrueEvent, poisson
from ceasefire.simulation.scenario import Scenario

__all__ = ["Channels"]

_COMPLAINANTS = {
    "UA": SourceSpec("ua-jccc", "party_complaint", "UA side of the JCCC", "E"),
    "RU": SourceSpec("ru-representatives", "party_complaint", "RU-backed representatives", "E"),
}
_WIRES = (
    SourceSpec("wire-alpha", "open_source", "Alpha News Agency", "C"),
    SourceSpec("wire-beta", "open_source", "Beta Wire", "C"),
)
_FIRING = ("artillery_fire", "mortar_fire", "small_arms_fire", "explosion")


@dataclass(frozen=True, slots=True)
class _Claim:
    """What a statement asserts, and who first made it."""

    party: str
    activity: str
    lon: float
    lat: float
    at: datetime
    count: int
    ref: str
    report_id: str
    group: str
    event: str | None
    photo: list[dict[str, Any]]


def _outlet(index: int) -> SourceSpec:
    return SourceSpec(f"outlet-{index:02d}", "open_source", f"Outlet {index:02d}", "D")


def _channel(index: int) -> SourceSpec:
    return SourceSpec(f"local-channel-{index:02d}", "open_source", f"Local channel {index}", "F")


class Channels:
    """Emits the parties' and the open sources' reports of (and beyond) the true events.

    Args:
        scenario: the rates of complaints, copies and rumours.
        front: the contact line (false reports are placed along it).
        start, days: the run's span.
        rng: the run's generator.
        out: where records go.
    """

    def __init__(
        self,
        scenario: Scenario,
        front: Front,
        start: datetime,
        days: int,
        rng: random.Random,
        out: Output,
    ) -> None:
        self.scenario, self.front, self.start, self.days = scenario, front, start, days
        self.rng, self.out = rng, out
        self._serial = 0

    def _next(self) -> int:
        self._serial += 1
        return self._serial

    def react(self, event: TrueEvent) -> None:
        """Emit the complaints, copies and posts a true event gives rise to."""
        if event.activity in _FIRING and event.kind == "firing":
            victim = PARTIES[1 - PARTIES.index(event.actor)]
            if self.rng.random() < self.scenario.complaint_rate:
                self._complain(victim, event, event.activity, event.lon, event.lat)
            if self.rng.random() < self.scenario.eyewitness_rate:
                self._post(event.activity, event.lon, event.lat, event.started_at, event.id)
        elif event.kind == "side_drone" and self.rng.random() < self.scenario.complaint_rate / 2:
            self._complain(
                PARTIES[1 - PARTIES.index(event.actor)], event, "drone_flight", event.lon, event.lat
            )
        elif event.kind == "mission_uav" and self.rng.random() < 0.1:
            # The mission's own UAV, taken for the other side's: a claim, and a wrong one.
            self._complain(self.rng.choice(PARTIES), event, "drone_flight", event.lon, event.lat)

    def fabricate(self) -> None:
        """Emit the false complaints and rumours of the whole run (no event behind them)."""
        for day in range(self.days):
            for party in PARTIES:
                for _ in range(poisson(self.rng, self.scenario.false_complaints_per_day)):
                    lon, lat, at = self._somewhere(day, party)
                    self._complain(party, None, self.rng.choice(_FIRING[:2]), lon, lat, at)
            for _ in range(poisson(self.rng, self.scenario.false_osint_per_day)):
                lon, lat, at = self._somewhere(day, self.rng.choice(PARTIES))
                self._post("explosion", lon, lat, at, None)

    def _somewhere(self, day: int, party: str) -> tuple[float, float, datetime]:
        along = self.rng.uniform(5_000.0, self.front.length_m - 5_000.0)
        lon, lat = self.front.place(along, self.rng.uniform(500.0, 5_000.0), party)
        at = self.start + timedelta(days=day, minutes=self.rng.randint(0, 24 * 60 - 1))
        return lon, lat, at

    def _complain(
        self,
        party: str,
        event: TrueEvent | None,
        activity: str,
        lon: float,
        lat: float,
        at: datetime | None = None,
    ) -> None:
        source = _COMPLAINANTS[party]
        other = PARTIES[1 - PARTIES.index(party)]
        when = (event.started_at if event else at) or self.start
        hour = when.replace(minute=0)
        count = max(
            1, round((event.count if event else self.rng.randint(3, 15)) * self.rng.uniform(1.5, 4))
        )
        lon, lat = offset(lon, lat, 1_000.0, self.rng)
        ref = f"https://{source.id}.example/statements/{hour:%Y-%m-%d}/{self._next():04d}"
        photo = []
        if self.rng.random() < 0.5:
            digest = hashlib.sha256(f"statement photo {ref}".encode()).hexdigest()
            photo = [{"sha256": digest, "media_type": "image/jpeg"}]
        place = f"{lat:.2f}N {lon:.2f}E"
        event_id = event.id if event else None
        fields: dict[str, Any] = {
            "observed_at": iso(hour),
            "time_precision": "hour",
            "location": {"lon": lon, "lat": lat, "uncertainty_m": 2_500.0},
            "activity": activity,
            "count": count,
            "attributed_to": other,
            "attribution_basis": f"statement of the {party} side",
            "evidence": photo,
            "narrative": complaint_text(party, other, activity, count, place, self.rng),
            "language": "en",
        }
        group = f"{source.id}/{event_id or ref}"
        report_id = self.out.report(
            "reports-parties", source, ref, fields, event=event_id, group=group
        )
        claim = _Claim(
            party, activity, lon, lat, hour, count, ref, report_id, group, event_id, photo
        )
        if self.rng.random() < self.scenario.wire_rate:
            self._copies(claim)

    def _copies(self, claim: _Claim) -> None:
        other = PARTIES[1 - PARTIES.index(claim.party)]
        place = f"{claim.lat:.2f}N {claim.lon:.2f}E"
        low, high = self.scenario.outlets
        copiers = [self.rng.choice(_WIRES)]
        copiers += [
            _outlet(i) for i in sorted(self.rng.sample(range(1, 41), self.rng.randint(low, high)))
        ]
        for copier in copiers:
            fields: dict[str, Any] = {
                "observed_at": iso(claim.at),
                "time_precision": "hour",
                "location": {"lon": claim.lon, "lat": claim.lat, "uncertainty_m": 2_500.0},
                "activity": claim.activity,
                "count": claim.count,
                "attributed_to": other,
                "attribution_basis": f"statement of the {claim.party} side",
                "cites": claim.ref,
                "evidence": claim.photo if self.rng.random() < 0.7 else [],
                "narrative": copy_text(
                    claim.party, other, claim.activity, claim.count, place, self.rng
                ),
                "language": "en",
            }
            ref = f"https://{copier.id}.example/news/{claim.at:%Y%m%d}-{self._next():05d}"
            self.out.report(
                "reports-open-source",
                copier,
                ref,
                fields,
                event=claim.event,
                group=claim.group,
                copy_of=claim.report_id,
            )

    def _post(self, activity: str, lon: float, lat: float, at: datetime, event: str | None) -> None:
        source = _channel(self.rng.randint(1, 12))
        lon, lat = offset(lon, lat, 1_500.0, self.rng)
        ref = f"https://t.example/{source.id}/{self._next():05d}"
        seen = at + timedelta(minutes=self.rng.randint(0, 20))
        fields: dict[str, Any] = {
            "observed_at": iso(seen.replace(minute=0)),
            "time_precision": "hour",
            "location": {"lon": lon, "lat": lat, "uncertainty_m": 3_000.0},
            "activity": activity,
            "narrative": eyewitness_text(activity, f"{lat:.2f}N {lon:.2f}E", self.rng),
            "language": "en",
        }
        group = f"{source.id}/{event or ref}"
        self.out.report("reports-open-source", source, ref, fields, event=event, group=group)
