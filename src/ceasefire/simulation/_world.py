"""Ground truth: what really happens on the simulated front, before anyone reports it.

The world is drawn from the scenario's rates with one seeded random generator: firing across
the line by either side, heavy weapons standing inside or outside their withdrawal zones, the
sides' UAVs and the mission's own, denials of the monitors' freedom of movement, and notified
live-fire exercises. Each event knows what only the world knows: who really did it, where it
really was, which weapon it really was. Reports of it (:mod:`._observe`) only ever see a noisy
part of that.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from ceasefire.simulation._geometry import Front
from ceasefire.simulation.scenario import Scenario

__all__ = ["PARTIES", "Site", "TrueEvent", "TrueWeapon", "World", "exercise_windows", "poisson"]

#: The parties of the Minsk example; the simulation's world has these two sides.
PARTIES = ("UA", "RU")

#: Weapons the sides field: (family, calibre in mm, system name as the catalogue spells it).
_HEAVY = (
    ("howitzer", 122.0, "D-30"),
    ("self_propelled_gun", 122.0, "2S1 Gvozdika"),
    ("howitzer", 152.0, "2A65 Msta-B"),
    ("mlrs", 122.0, "BM-21 Grad"),
    ("tank", 125.0, "T-72"),
    ("mortar", 120.0, "2B11"),
)
#: How far from the line each family must stand back, in km (the Minsk zones per side).
_STAND_BACK_KM = {
    "howitzer": 25.0,
    "self_propelled_gun": 25.0,
    "mlrs": 35.0,
    "tank": 15.0,
    "mortar": 15.0,
}


@dataclass(frozen=True, slots=True)
class Site:
    """A place where a side keeps heavy weapons (a holding area), known to the mission.

    Args:
        id: ``site-`` and a serial number.
        party: the side that holds it.
        off_km: its distance from the contact line.
        lon, lat: where it is.
    """

    id: str
    party: str
    off_km: float
    lon: float
    lat: float


#: Holding areas per side, spread from 3 to 55 km behind the line.
SITES_PER_SIDE = 20


@dataclass(frozen=True, slots=True)
class TrueWeapon:
    """The weapon as it really is."""

    family: str
    calibre_mm: float
    system: str


@dataclass(frozen=True, slots=True)
class TrueEvent:
    """One event as it really happened.

    Args:
        id: ``e-`` and a serial number, stable for a seed.
        kind: the generator that made it (firing, weapon, side_drone, mission_uav,
            restriction, live_fire).
        activity: the activity in the intake vocabulary.
        actor: who did it: a party id or ``monitors``.
        started_at, ended_at: when (aware).
        lon, lat: where: the point of impact, the weapon, the drone, the checkpoint.
        along_m: distance along the contact line (for placing observers near it).
        origin: where the fire came from, for firing events.
        weapon: the weapon, for firing with a known weapon and for weapon sightings.
        count: how many (rounds, bursts, pieces of equipment).
        site: the holding area, for weapon sightings.
    """

    id: str
    kind: str
    activity: str
    actor: str
    started_at: datetime
    ended_at: datetime
    lon: float
    lat: float
    along_m: float
    origin: tuple[float, float] | None = None
    weapon: TrueWeapon | None = None
    count: int = 1
    site: str | None = None


def exercise_windows(
    scenario: Scenario, start: datetime, days: int
) -> list[tuple[datetime, datetime]]:
    """Return the notified windows of a run's live-fire exercises (09:00-15:00, evenly spread)."""
    count = scenario.live_fire_exercises
    windows = []
    for index in range(count):
        day = (index + 1) * days // (count + 1)
        opens = start + timedelta(days=day, hours=9)
        windows.append((opens, opens + timedelta(hours=6)))
    return windows


def poisson(rng: random.Random, mean: float) -> int:
    """Draw from a Poisson distribution (Knuth's method: the means here are small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


@dataclass
class World:
    """Draws the events of a scenario, day by day.

    Args:
        scenario: the rates.
        front: the contact line to place events along.
        start: local midnight of the first day (aware).
        days: how many days.
        rng: the one seeded generator of the run.
        live_fire_area: (lon, lat) of the notified live-fire area's centre, and its half-size in
            metres, for exercises.
    """

    scenario: Scenario
    front: Front
    start: datetime
    days: int
    rng: random.Random
    live_fire_area: tuple[float, float, float]
    _sites: list[Site] = field(default_factory=list)
    _occupied: set[tuple[int, str]] = field(default_factory=set)

    def events(self) -> list[TrueEvent]:
        """Return every event of the run, in time order, with ids numbered in that order."""
        self.sites()
        drawn: list[TrueEvent] = []
        for day in range(self.days):
            progress = day / max(self.days - 1, 1)
            drawn += self._day(day, progress)
        drawn += self._live_fire()
        drawn.sort(key=lambda e: (e.started_at, e.lon, e.lat, e.kind))
        return [_renumber(event, index) for index, event in enumerate(drawn, start=1)]

    def sites(self) -> list[Site]:
        """Return the sides' holding areas (drawn once, on first call, from the run's generator)."""
        if not self._sites:
            for party in PARTIES:
                for _ in range(SITES_PER_SIDE):
                    off_km = self.rng.uniform(3.0, 55.0)
                    lon, lat = self.front.place(self._along(), off_km * 1000, party)
                    site_id = f"site-{len(self._sites) + 1:02d}"
                    self._sites.append(Site(site_id, party, off_km, lon, lat))
        return self._sites

    def _day(self, day: int, progress: float) -> list[TrueEvent]:
        s = self.scenario
        rate = _between(s.firing_per_day, progress)
        weapons = _between(s.weapons_per_day, progress)
        in_zone = _between(s.weapons_in_zone, progress)
        events = [self._firing(day) for _ in range(poisson(self.rng, rate))]
        sightings = (self._weapon(day, in_zone) for _ in range(poisson(self.rng, weapons)))
        events += [event for event in sightings if event is not None]
        events += [self._side_drone(day) for _ in range(poisson(self.rng, s.side_drones_per_day))]
        events += [self._restriction(day) for _ in range(poisson(self.rng, s.restrictions_per_day))]
        events.append(self._mission_uav(day))
        return events

    def _moment(self, day: int, first_hour: float = 0.0, last_hour: float = 24.0) -> datetime:
        hours = self.rng.uniform(first_hour, last_hour)
        return (self.start + timedelta(days=day, hours=hours)).replace(second=0, microsecond=0)

    def _along(self) -> float:
        return self.rng.uniform(5_000.0, self.front.length_m - 5_000.0)

    def _firing(self, day: int) -> TrueEvent:
        actor = self.rng.choice(PARTIES)
        target = PARTIES[1 - PARTIES.index(actor)]
        along = self._along()
        activity, weapon, count = self._fire_kind()
        reach_km = {"artillery_fire": (4, 10), "mortar_fire": (1, 4)}.get(activity, (0.3, 1.2))
        origin = self.front.place(along, self.rng.uniform(*reach_km) * 500, actor)
        lon, lat = self.front.place(
            along + self.rng.uniform(-1500, 1500), self.rng.uniform(*reach_km) * 500, target
        )
        started = self._moment(day)
        minutes = self.rng.randint(1, 25)
        return TrueEvent(
            "",
            "firing",
            activity,
            actor,
            started,
            started + timedelta(minutes=minutes),
            lon,
            lat,
            along,
            origin=origin,
            weapon=weapon,
            count=count,
        )

    def _fire_kind(self) -> tuple[str, TrueWeapon | None, int]:
        roll = self.rng.random()
        if roll < 0.3:
            return "artillery_fire", TrueWeapon("howitzer", 122.0, "D-30"), self.rng.randint(2, 20)
        if roll < 0.6:
            return "mortar_fire", TrueWeapon("mortar", 120.0, "2B11"), self.rng.randint(2, 15)
        if roll < 0.85:
            return "small_arms_fire", None, self.rng.randint(3, 40)
        return "explosion", None, self.rng.randint(1, 6)

    def _weapon(self, day: int, in_zone: float) -> TrueEvent | None:
        """Weapons standing at a holding area for the day: inside their zone, or beyond it.

        Returns ``None`` when every fitting site already holds weapons that day (one event per
        site and day: two would be indistinguishable to any observer).
        """
        actor = self.rng.choice(PARTIES)
        family, calibre, system = self.rng.choice(_HEAVY)
        limit = _STAND_BACK_KM[family]
        inside = self.rng.random() < in_zone
        fitting = [
            site
            for site in self._sites
            if site.party == actor
            and (site.off_km < limit - 3.0 if inside else site.off_km > limit + 4.0)
            and (day, site.id) not in self._occupied
        ]
        if not fitting:
            return None
        site = self.rng.choice(fitting)
        self._occupied.add((day, site.id))
        midnight = self.start + timedelta(days=day)
        weapon = TrueWeapon(family, calibre, system)
        return TrueEvent(
            "",
            "weapon",
            "weapon_presence",
            actor,
            midnight + timedelta(hours=7),
            midnight + timedelta(hours=19),
            site.lon,
            site.lat,
            -1.0,
            weapon=weapon,
            count=self.rng.randint(1, 6),
            site=site.id,
        )

    def _side_drone(self, day: int) -> TrueEvent:
        actor = self.rng.choice(PARTIES)
        along = self._along()
        lon, lat = self.front.place(along, self.rng.uniform(0.5, 5.0) * 1000, actor)
        started = self._moment(day, 6, 20)
        minutes = self.rng.randint(10, 40)
        return TrueEvent(
            "",
            "side_drone",
            "drone_flight",
            actor,
            started,
            started + timedelta(minutes=minutes),
            lon,
            lat,
            along,
        )

    def _mission_uav(self, day: int) -> TrueEvent:
        along = self._along()
        side = self.rng.choice(PARTIES)
        lon, lat = self.front.place(along, self.rng.uniform(0.0, 15.0) * 1000, side)
        started = self._moment(day, 8, 12)
        return TrueEvent(
            "",
            "mission_uav",
            "drone_flight",
            "monitors",
            started,
            started + timedelta(hours=self.rng.uniform(1.5, 3.0)),
            lon,
            lat,
            along,
        )

    def _restriction(self, day: int) -> TrueEvent:
        actor = self.rng.choice(PARTIES)
        along = self._along()
        lon, lat = self.front.place(along, self.rng.uniform(1.0, 6.0) * 1000, actor)
        started = self._moment(day, 9, 15)
        return TrueEvent(
            "",
            "restriction",
            "restriction_of_movement",
            actor,
            started,
            started + timedelta(minutes=self.rng.randint(20, 90)),
            lon,
            lat,
            along,
        )

    def _live_fire(self) -> list[TrueEvent]:
        centre_lon, centre_lat, half = self.live_fire_area
        events = []
        for opens, closes in exercise_windows(self.scenario, self.start, self.days):
            for _ in range(self.rng.randint(1, 3)):
                lon, lat = _jitter(self.rng, centre_lon, centre_lat, half * 0.5)
                started = opens + timedelta(minutes=self.rng.randint(30, 300))
                started = min(started, closes - timedelta(minutes=30))
                events.append(
                    TrueEvent(
                        "",
                        "live_fire",
                        "artillery_fire",
                        "UA",
                        started,
                        started + timedelta(minutes=20),
                        lon,
                        lat,
                        -1.0,
                        origin=(lon, lat),
                        weapon=TrueWeapon("howitzer", 122.0, "D-30"),
                        count=self.rng.randint(5, 30),
                    )
                )
        return events


def _between(bounds: tuple[float, float], progress: float) -> float:
    return bounds[0] + (bounds[1] - bounds[0]) * progress


def _jitter(rng: random.Random, lon: float, lat: float, metres: float) -> tuple[float, float]:
    dx, dy = rng.uniform(-metres, metres), rng.uniform(-metres, metres)
    return (
        round(lon + dx / (111_320.0 * math.cos(math.radians(lat))), 6),
        round(lat + dy / 110_540.0, 6),
    )


def _renumber(event: TrueEvent, index: int) -> TrueEvent:
    return replace(event, id=f"e-{index:05d}")
