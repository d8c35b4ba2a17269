"""The mission's own eyes: fixed cameras, daily patrols and UAV flights, and what they report.

Each means watches a sector for a window and says so in a coverage record; outages, jamming and
denied access are coverage records too. An event is reported by a means only when it falls in a
sector the means was actually watching at the time, and then only with the means' chance of
detection, and with its errors: a camera geolocates flashes to a few hundred metres, a patrol
that only hears fire gives a bearing and a range band ("2-4 km SE"), a UAV sees a weapon to a
hundred metres and can name the system. Nothing here knows how fusion works; it models sensors.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from ceasefire.simulation._geometry import Front
from ceasefire.simulation._records import (
    Output,
    SourceSpec,
    azimuth,
    circle,
    iso,
    metres_between,
    offset,
)
from ceasefire.simulation._text import patrol_text
from ceasefire.simulation._world import PARTIES, Site, TrueEvent

__all__ = ["Mission", "Watch"]

_SMM = "OSCE SMM"
_CAMERAS = 10
_PATROLS_PER_DAY = 10
_SITE_PATROLS_PER_DAY = 4  # patrols that visit the sides' holding areas
_SITES_PER_VISIT = 3
_SITE_M = 1_000.0
_HEARING_M = 6_000.0  # how far a patrol hears fire
_SEEING_M = 3_000.0  # how far a patrol sees equipment
_CAMERA_M = 5_000.0
_UAV_M = 8_000.0
_FIRING = {"artillery_fire", "mortar_fire", "small_arms_fire", "explosion"}


@dataclass(frozen=True, slots=True)
class Watch:
    """One means watching one sector for one window (or failing to)."""

    source: SourceSpec
    lon: float
    lat: float
    radius_m: float
    start: datetime
    end: datetime
    status: str

    def sees(self, event: TrueEvent) -> bool:
        """Whether the event happened in this sector during this window while it was watching."""
        if self.status != "observing":
            return False
        if event.kind == "weapon":  # standing all day: seen if the windows overlap
            if not (event.started_at < self.end and self.start < event.ended_at):
                return False
        elif not self.start <= event.started_at < self.end:
            return False
        return metres_between((self.lon, self.lat), (event.lon, event.lat)) <= self.radius_m


def _evidence(source: str, ref: str, media_type: str = "image/jpeg") -> list[dict[str, Any]]:
    digest = hashlib.sha256(f"simulated capture {source} {ref}".encode()).hexdigest()
    return [{"sha256": digest, "media_type": media_type}]


def _place_words(lon: float, lat: float) -> str:
    return f"near {lat:.3f}N {lon:.3f}E"


class Mission:
    """Deploys the mission's means over the run and reports what they saw.

    Args:
        front: the contact line.
        start: local midnight of the first day.
        days: the run's length.
        rng: the run's generator.
        out: where records go.
        sites: the sides' holding areas, which site patrols visit.
        exercises: notified live-fire exercises (area centre lon, lat, window), which the
            mission observes.
    """

    def __init__(
        self,
        front: Front,
        start: datetime,
        days: int,
        rng: random.Random,
        out: Output,
        sites: list[Site],
        exercises: list[tuple[float, float, datetime, datetime]],
    ) -> None:
        self.front, self.start, self.days, self.rng, self.out = front, start, days, rng, out
        self.sites, self.exercises = sites, exercises
        self.watches: list[Watch] = []

    def deploy(self, events: list[TrueEvent]) -> None:
        """Lay out cameras, patrols and UAV flights, and write their coverage records."""
        for index in range(_CAMERAS):
            along = self.front.length_m * (index + 0.5) / _CAMERAS
            lon, lat = self.front.place(along, 1_500.0, PARTIES[index % 2])
            source = SourceSpec(f"smm-cam-{index + 1:02d}", "camera", _SMM, "A")
            for day in range(self.days):
                self._camera_day(source, lon, lat, day)
        for day in range(self.days):
            for index in range(_PATROLS_PER_DAY):
                self._patrol_day(index, day)
            for index in range(_SITE_PATROLS_PER_DAY):
                self._site_visits(index, day)
        source = SourceSpec("smm-patrol-exercise", "monitor_patrol", _SMM, "B")
        for lon, lat, opens, closes in self.exercises:
            watch = Watch(source, lon, lat, _HEARING_M, opens, closes, "observing")
            self._watch(
                watch, f"{opens:%Y-%m-%d}/exercise", "Patrol observing a notified exercise."
            )
        for event in events:
            if event.kind == "mission_uav":
                self._uav_flight(event)
            elif event.kind == "restriction":
                self._denied_patrol(event)

    def _watch(self, watch: Watch, ref: str, reason: str, imposed_by: str | None = None) -> None:
        self.watches.append(watch)
        sector = circle(watch.lon, watch.lat, watch.radius_m)
        window = (watch.start, watch.end)
        self.out.coverage_record(
            watch.source, ref, watch.status, window, sector, reason, imposed_by
        )

    def _camera_day(self, source: SourceSpec, lon: float, lat: float, day: int) -> None:
        midnight = self.start + timedelta(days=day)
        spans = [(midnight, midnight + timedelta(days=1), "observing")]
        if self.rng.random() < 0.15:
            down = midnight + timedelta(hours=self.rng.randint(0, 14))
            up = down + timedelta(hours=self.rng.randint(4, 10))
            spans = [(midnight, down, "observing"), (down, up, "outage")]
            spans.append((up, midnight + timedelta(days=1), "observing"))
        for part, (begin, end, status) in enumerate(spans):
            reason = "Camera operational." if status == "observing" else "Camera non-operational."
            watch = Watch(source, lon, lat, _CAMERA_M, begin, end, status)
            self._watch(watch, f"{midnight:%Y-%m-%d}/{part}", reason)

    def _patrol_day(self, index: int, day: int) -> None:
        source = SourceSpec(f"smm-patrol-{index + 1:02d}", "monitor_patrol", _SMM, "B")
        along = self.rng.uniform(2_000.0, self.front.length_m - 2_000.0)
        lon, lat = self.front.place(
            along, self.rng.uniform(500.0, 2_500.0), self.rng.choice(PARTIES)
        )
        begin = self.start + timedelta(days=day, hours=9)
        watch = Watch(source, lon, lat, _HEARING_M, begin, begin + timedelta(hours=7), "observing")
        self._watch(watch, f"{begin:%Y-%m-%d}/route", "Patrol on its planned route.")

    def _site_visits(self, index: int, day: int) -> None:
        source = SourceSpec(f"smm-patrol-hw-{index + 1:02d}", "monitor_patrol", _SMM, "B")
        for visit, site in enumerate(self.rng.sample(self.sites, _SITES_PER_VISIT)):
            begin = self.start + timedelta(days=day, hours=9 + 2 * visit)
            watch = Watch(
                source, site.lon, site.lat, _SITE_M, begin, begin + timedelta(hours=1), "observing"
            )
            ref = f"{begin:%Y-%m-%d}/visit-{visit + 1}"
            self._watch(watch, ref, "Patrol visiting a heavy-weapons holding area.")

    def _uav_flight(self, flight: TrueEvent) -> None:
        source = SourceSpec("smm-uav-1", "uav", _SMM, "A")
        begin, end = flight.started_at, flight.ended_at
        ref = f"{begin:%Y-%m-%dT%H%M}"
        if self.rng.random() < 0.25:
            cut = begin + (end - begin) * self.rng.uniform(0.3, 0.8)
            self._watch(
                Watch(source, flight.lon, flight.lat, _UAV_M, begin, cut, "observing"),
                f"{ref}/0",
                "UAV flight.",
            )
            self._watch(
                Watch(source, flight.lon, flight.lat, _UAV_M, cut, end, "jammed"),
                f"{ref}/1",
                "Signal interference, assessed as probable jamming.",
            )
        else:
            self._watch(
                Watch(source, flight.lon, flight.lat, _UAV_M, begin, end, "observing"),
                f"{ref}/0",
                "UAV flight.",
            )
        log = SourceSpec("smm-uav-ops", "uav", _SMM, "A")
        fields = {
            "observed_at": iso(begin),
            "observed_until": iso(end),
            "time_precision": "interval",
            "location": {"lon": flight.lon, "lat": flight.lat, "uncertainty_m": 1_000.0},
            "activity": "drone_flight",
            "actor": "monitors",
            "narrative": "Flight of the mission's long-range UAV over its planned area.",
            "language": "en",
        }
        self.out.report(
            "reports-mission",
            log,
            f"flight/{ref}",
            fields,
            event=flight.id,
            group=f"{log.id}/{flight.id}",
        )

    def _denied_patrol(self, event: TrueEvent) -> None:
        serial = sum(1 for w in self.watches if w.status == "access_denied") + 1
        source = SourceSpec(f"smm-patrol-r{serial:02d}", "monitor_patrol", _SMM, "B")
        end_of_day = event.started_at.replace(hour=16, minute=0)
        end = max(end_of_day, event.ended_at)
        watch = Watch(
            source, event.lon, event.lat, _HEARING_M, event.started_at, end, "access_denied"
        )
        reason = f"Denied passage at a checkpoint of the {event.actor} side."
        self._watch(watch, f"{event.started_at:%Y-%m-%d}/denied", reason, imposed_by=event.actor)
        fields = {
            "observed_at": iso(event.started_at),
            "time_precision": "minute",
            "location": {"lon": event.lon, "lat": event.lat, "uncertainty_m": 100.0},
            "activity": "restriction_of_movement",
            "actor": event.actor,
            "attributed_to": event.actor,
            "attribution_basis": "the patrol was stopped at the side's checkpoint",
            "credibility": 1,
            "narrative": patrol_text(
                "restriction_of_movement", 1, _place_words(event.lon, event.lat), self.rng
            ),
            "language": "en",
        }
        self.out.report(
            "reports-mission",
            source,
            f"{event.started_at:%Y-%m-%d}/01",
            fields,
            event=event.id,
            group=f"{source.id}/{event.id}",
        )

    def observe(self, event: TrueEvent) -> None:
        """Report the event from every means that was watching its place at its time."""
        if event.kind in {"restriction", "mission_uav"}:
            return  # reported as they are deployed
        for watch in self.watches:
            if not watch.sees(event):
                continue
            kind = watch.source.kind
            if kind == "camera":
                self._camera_report(watch, event)
            elif kind == "monitor_patrol":
                self._patrol_report(watch, event)
            elif kind == "uav":
                self._uav_report(watch, event)

    def _emit(self, watch: Watch, event: TrueEvent, fields: dict[str, Any]) -> None:
        ref = f"{event.started_at:%Y-%m-%d}/{event.id}"
        fields.setdefault("language", "en")
        self.out.report(
            "reports-mission",
            watch.source,
            ref,
            fields,
            event=event.id,
            group=f"{watch.source.id}/{event.id}",
        )

    def _when(self, event: TrueEvent, utc: bool) -> dict[str, Any]:
        seen = event.started_at + timedelta(minutes=self.rng.randint(-2, 2))
        if utc:
            from datetime import UTC

            return {"observed_at": iso(seen.astimezone(UTC)), "time_precision": "minute"}
        return {"observed_at": iso(seen), "time_precision": "minute"}

    def _counted(self, event: TrueEvent) -> int:
        return max(1, round(event.count * self.rng.uniform(0.7, 1.1)))

    def _camera_report(self, watch: Watch, event: TrueEvent) -> None:
        chance = {"weapon_presence": 0.0, "drone_flight": 0.0}.get(event.activity, 0.85)
        if self.rng.random() >= chance:
            return
        lon, lat = offset(event.lon, event.lat, 300.0, self.rng)
        fields: dict[str, Any] = self._when(event, utc=True)
        fields.update(
            location={"lon": lon, "lat": lat, "uncertainty_m": 700.0},
            activity=event.activity,
            count=self._counted(event),
            credibility=2,
            evidence=_evidence(watch.source.id, event.id, "video/mp4"),
            narrative=f"Camera recorded {self._counted(event)} flashes or projectiles "
            f"{_place_words(lon, lat)}.",
        )
        self._emit(watch, event, fields)

    def _patrol_report(self, watch: Watch, event: TrueEvent) -> None:
        here = (watch.lon, watch.lat)
        distance = metres_between(here, (event.lon, event.lat))
        if event.activity == "weapon_presence" or event.activity == "drone_flight":
            reach, chance = (_SEEING_M, 0.6) if event.activity == "weapon_presence" else (5e3, 0.5)
            if watch.radius_m <= _SITE_M:
                chance = 0.9  # a patrol sent to a holding area looks for weapons there
            if distance > reach or self.rng.random() >= chance:
                return
            self._patrol_sighting(watch, event)
            return
        if self.rng.random() >= 0.75:
            return
        fields: dict[str, Any] = self._when(event, utc=False)
        count = self._counted(event)
        if distance < 1_200.0:
            lon, lat = offset(event.lon, event.lat, 200.0, self.rng)
            fields["location"] = {"lon": lon, "lat": lat, "uncertainty_m": 500.0}
            where = _place_words(lon, lat)
        else:
            fields["location"], where = self._bearing(here, (event.lon, event.lat), distance)
        if event.origin is not None and metres_between(here, event.origin) < 3_000.0:
            lon, lat = offset(event.origin[0], event.origin[1], 500.0, self.rng)
            fields["origin"] = {"lon": lon, "lat": lat, "uncertainty_m": 1_000.0}
        fields.update(
            activity=event.activity,
            count=count,
            credibility=2,
            narrative=patrol_text(event.activity, count, where, self.rng),
        )
        self._emit(watch, event, fields)

    def _bearing(
        self, here: tuple[float, float], there: tuple[float, float], distance: float
    ) -> tuple[dict[str, Any], str]:
        bearing = round((azimuth(here, there) + self.rng.gauss(0.0, 5.0)) / 5.0) * 5.0 % 360.0
        judged_km = distance * max(0.5, self.rng.gauss(1.0, 0.1)) / 1000.0
        near_km = max(0, int(judged_km) - 1)
        far_km = int(judged_km) + 2
        location = {
            "observer": {"lon": here[0], "lat": here[1]},
            "bearing_deg": bearing,
            "bearing_error_deg": 15.0,
            "range_m": [near_km * 1000, far_km * 1000],
        }
        return location, f"{near_km}-{far_km} km at {bearing:.0f} degrees"

    def _seen_during(self, watch: Watch, event: TrueEvent) -> datetime:
        """A moment when both the means watched and the weapons stood there."""
        begin, end = max(watch.start, event.started_at), min(watch.end, event.ended_at)
        return begin + (end - begin) * self.rng.random()

    def _patrol_sighting(self, watch: Watch, event: TrueEvent) -> None:
        lon, lat = offset(event.lon, event.lat, 150.0 if event.weapon else 700.0, self.rng)
        fields: dict[str, Any] = self._when(event, utc=False)
        if event.kind == "weapon":
            # As the SMM's daily reports give weapon sightings: the day, not the minute.
            day = event.started_at.replace(hour=0, minute=0)
            fields = {"observed_at": iso(day), "time_precision": "day"}
        uncertainty = 300.0 if event.weapon else 1_500.0
        fields.update(
            location={"lon": lon, "lat": lat, "uncertainty_m": uncertainty},
            activity=event.activity,
            count=event.count,
            credibility=2,
            narrative=patrol_text(event.activity, event.count, _place_words(lon, lat), self.rng),
        )
        if event.weapon is not None:
            fields["weapon"] = _seen_weapon(event, self.rng, system_chance=0.6)
        seen_actor = 0.7 if event.actor in PARTIES else 0.0
        if self.rng.random() < seen_actor:
            fields["actor"] = event.actor
        self._emit(watch, event, fields)

    def _uav_report(self, watch: Watch, event: TrueEvent) -> None:
        if event.activity != "weapon_presence" or self.rng.random() >= 0.85:
            return
        lon, lat = offset(event.lon, event.lat, 60.0, self.rng)
        from datetime import UTC

        seen = self._seen_during(watch, event).astimezone(UTC)
        fields: dict[str, Any] = {"observed_at": iso(seen), "time_precision": "minute"}
        fields.update(
            location={"lon": lon, "lat": lat, "uncertainty_m": 150.0},
            activity="weapon_presence",
            count=event.count,
            weapon=_seen_weapon(event, self.rng, system_chance=0.9),
            actor=event.actor,
            credibility=1,
            evidence=_evidence(watch.source.id, event.id),
            narrative=f"UAV imagery shows {event.count} weapons {_place_words(lon, lat)}.",
        )
        self._emit(watch, event, fields)


def _seen_weapon(event: TrueEvent, rng: random.Random, system_chance: float) -> dict[str, Any]:
    assert event.weapon is not None
    seen: dict[str, Any] = {"family": event.weapon.family, "calibre_mm": event.weapon.calibre_mm}
    if rng.random() < system_chance:
        seen["system"] = event.weapon.system
    return seen
