"""One simulation run: the world, the mission and the other channels, written to a directory.

``simulate`` draws the events of a scenario, lets the mission's means and the other channels
report them, and writes what an operator would be handed (``agreement.yaml``, the intake files
``reports-*.jsonl`` and ``coverage-mission.jsonl``) beside what only the simulator knows
(``truth.json``, documented in ``docs/simulation.md``). One seeded generator drives everything
and every collection is walked in a fixed order, so a seed always gives the same bytes.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from ceasefire.simulation._agreement import LIVE_FIRE_ZONE, derived_agreement_text
from ceasefire.simulation._channels import Channels
from ceasefire.simulation._geometry import Front
from ceasefire.simulation._mission import Mission
from ceasefire.simulation._records import Output, iso
from ceasefire.simulation._terms import BOUNDARY_MARGIN_M, clause_truths
from ceasefire.simulation._world import TrueEvent, World, exercise_windows
from ceasefire.simulation.scenario import scenario_named

__all__ = ["START", "TRUTH_FORMAT", "SimulationSummary", "simulate"]

#: The format label of ``truth.json``.
TRUTH_FORMAT = "ceasefire-truth/1"
#: Local midnight of the first simulated day (Kyiv summer time), after the 2020 measures.
START = datetime(2020, 9, 1, tzinfo=timezone(timedelta(hours=3)))
#: Sources that are the mission's own: an event only they did not see rests on claims alone.
_CLAIM_KINDS = {"party_complaint", "open_source"}


@dataclass(frozen=True, slots=True)
class SimulationSummary:
    """What a run wrote.

    Args:
        directory: where.
        events: true events drawn; observed: how many of them at least one report describes.
        reports: reports written; false_reports: of which about nothing that happened.
        coverage: coverage records written.
        files: the files written, in the order to ingest them.
    """

    directory: Path
    events: int
    observed: int
    reports: int
    false_reports: int
    coverage: int
    files: tuple[Path, ...]


def simulate(scenario: str, seed: int, days: int, directory: Path) -> SimulationSummary:
    """Simulate ``days`` days of ``scenario`` with ``seed`` and write the run to ``directory``.

    Args:
        scenario: a name from :data:`ceasefire.simulation.scenario.SCENARIOS`.
        seed: the seed; the same seed writes the same files.
        days: the run's length (at least 1).
        directory: created if missing; files of an earlier run there are replaced.

    Raises:
        KeyError: no such scenario.
        ValueError: ``days`` is below 1.
    """
    from ceasefire.agreement.loader import parse_agreement

    if days < 1:
        raise ValueError(f"days must be at least 1, got {days}")
    spec = scenario_named(scenario)
    rng = random.Random(f"{scenario}:{seed}")
    windows = exercise_windows(spec, START, days)
    agreement_text = derived_agreement_text(scenario, seed, windows)
    agreement = parse_agreement(agreement_text, "agreement.yaml")
    front = Front(agreement)
    area = agreement.zone(LIVE_FIRE_ZONE).geometry
    half = (area.bounds[3] - area.bounds[1]) * 110_540.0 / 2
    world = World(spec, front, START, days, rng, (area.centroid.x, area.centroid.y, half))
    events = world.events()
    out = Output()
    centre = (area.centroid.x, area.centroid.y)
    exercises = [(*centre, opens, closes) for opens, closes in windows]
    mission = Mission(front, START, days, rng, out, world.sites(), exercises)
    mission.deploy(events)
    channels = Channels(spec, front, START, days, rng, out)
    for event in events:
        mission.observe(event)
        channels.react(event)
    channels.fabricate()
    truth = _truth(scenario, seed, days, agreement, events, out)
    return _write(directory, agreement_text, truth, out, events)


def _truth(
    scenario: str, seed: int, days: int, agreement: Any, events: list[TrueEvent], out: Output
) -> dict[str, Any]:
    by_event: dict[str | None, list[dict[str, Any]]] = {}
    for entry in out.report_truth:
        by_event.setdefault(entry["event"], []).append(entry)
    kinds = {r["source"]["id"]: r["source"]["kind"] for f in out.reports.values() for r in f}
    return {
        "format": TRUTH_FORMAT,
        "scenario": scenario,
        "seed": seed,
        "days": days,
        "start": iso(START),
        "end": iso(START + timedelta(days=days)),
        "agreement": {"id": agreement.id, "version": agreement.version},
        "boundary_margin_m": BOUNDARY_MARGIN_M,
        "events": [
            _event_truth(agreement, event, by_event.get(event.id, []), kinds) for event in events
        ],
        "false_reports": _phantoms(by_event.get(None, [])),
        "reports": [{**entry, "false": entry["event"] is None} for entry in out.report_truth],
        "coverage": {
            "records": len(out.coverage),
            "by_status": dict(sorted(Counter(c["status"] for c in out.coverage).items())),
        },
    }


def _event_truth(
    agreement: Any, event: TrueEvent, reports: list[dict[str, Any]], kinds: dict[str, str]
) -> dict[str, Any]:
    claims_only = bool(reports) and all(kinds[r["source"]] in _CLAIM_KINDS for r in reports)
    clauses = []
    for truth in clause_truths(agreement, event):
        entry = truth.to_dict()
        if claims_only and truth.verdict == "violation":
            # Nothing but a party's word and its copies: a careful verifier stops short.
            widened = [*truth.acceptable, "possible_violation", "undetermined"]
            entry["acceptable"] = list(dict.fromkeys(widened))
        clauses.append(entry)
    weapon = event.weapon
    return {
        "id": event.id,
        "kind": event.kind,
        "activity": event.activity,
        "actor": event.actor,
        "started_at": iso(event.started_at),
        "ended_at": iso(event.ended_at),
        "location": {"lon": event.lon, "lat": event.lat},
        "origin": {"lon": event.origin[0], "lat": event.origin[1]} if event.origin else None,
        "weapon": (
            {"family": weapon.family, "calibre_mm": weapon.calibre_mm, "system": weapon.system}
            if weapon
            else None
        ),
        "count": event.count,
        "observed": bool(reports),
        "claims_only": claims_only,
        "reports": [r["id"] for r in reports],
        "independent_sources": len({r["group"] for r in reports}),
        "clauses": clauses,
    }


def _phantoms(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    groups: dict[str, list[str]] = {}
    for entry in reports:
        groups.setdefault(entry["group"], []).append(entry["id"])
    return [
        {"id": f"f-{index:05d}", "reports": ids, "independent_sources": 1}
        for index, ids in enumerate(groups.values(), start=1)
    ]


def _write(
    directory: Path,
    agreement_text: str,
    truth: dict[str, Any],
    out: Output,
    events: list[TrueEvent],
) -> SimulationSummary:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "agreement.yaml").write_text(agreement_text, encoding="utf-8")
    files = []
    for stem in sorted(out.reports):
        files.append(_jsonl(directory / f"{stem}.jsonl", out.reports[stem]))
    files.append(_jsonl(directory / "coverage-mission.jsonl", out.coverage))
    text = json.dumps(truth, indent=1, ensure_ascii=False) + "\n"
    (directory / "truth.json").write_text(text, encoding="utf-8")
    return SimulationSummary(
        directory=directory,
        events=len(events),
        observed=sum(1 for e in truth["events"] if e["observed"]),
        reports=len(out.report_truth),
        false_reports=sum(1 for r in out.report_truth if r["event"] is None),
        coverage=len(out.coverage),
        files=tuple(files),
    )


def _jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    lines = (json.dumps(record, ensure_ascii=False, sort_keys=False) for record in records)
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path
