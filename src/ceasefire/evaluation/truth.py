"""Ground truth as ``evaluate`` reads it: ``truth.json`` (format ``ceasefire-truth/1``).

The simulator writes the file (``docs/simulation.md`` documents every field); this module reads
the part evaluation needs, checking each field as it goes, so that a damaged or foreign file is
refused naming the field and the reason rather than failing somewhere in the scoring. Evaluation
reads the file, not the simulator's objects: any generator of ground truth that writes this
format can be scored the same way.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ceasefire.errors import InputRefused

__all__ = [
    "TRUTH_FORMAT",
    "Truth",
    "TruthClause",
    "TruthCluster",
    "TruthReport",
    "read_truth",
    "truth_from_dict",
]

#: The format label this reader accepts.
TRUTH_FORMAT = "ceasefire-truth/1"


@dataclass(frozen=True, slots=True)
class TruthClause:
    """The true verdict of one event against one clause, and the verdicts accepted for it."""

    clause_id: str
    verdict: str
    acceptable: frozenset[str]


@dataclass(frozen=True, slots=True)
class TruthCluster:
    """The reports that describe one thing: a true event, or one false report and its copies.

    Args:
        id: the event id (``e-…``) or the false report's (``f-…``).
        reports: the ids of the reports about it (copies included).
        false: ``True`` for a false report (nothing happened).
        actor: who really did it (events only).
        clauses: the true verdicts (events only).
    """

    id: str
    reports: frozenset[str]
    false: bool
    actor: str | None = None
    clauses: tuple[TruthClause, ...] = ()


@dataclass(frozen=True, slots=True)
class TruthReport:
    """What the truth says about one report: what it describes and its independence group."""

    id: str
    cluster: str
    group: str


@dataclass(frozen=True, slots=True)
class Truth:
    """The parts of ``truth.json`` the evaluation uses.

    Args:
        scenario, seed: what was simulated.
        clusters: every observed event and every false report (with its copies).
        reports: every report, by id.
        unobserved: true events that no report describes (left out of recall).
    """

    scenario: str
    seed: int
    clusters: tuple[TruthCluster, ...]
    reports: Mapping[str, TruthReport]
    unobserved: int


def read_truth(path: Path) -> Truth:
    """Read ``truth.json`` (or the ``truth.json`` in a directory).

    Raises:
        InputRefused: the file is missing, not JSON, or a field is missing or malformed; the
            message names the file, the field and the reason.
    """
    if path.is_dir():
        path = path / "truth.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputRefused(
            f"{path}: no such file (simulate writes it beside the intake files)"
        ) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputRefused(f"{path}: cannot be read as JSON: {error}") from None
    return truth_from_dict(data, str(path))


def truth_from_dict(data: Any, origin: str = "truth.json") -> Truth:
    """Read the truth from its parsed JSON.

    Raises:
        InputRefused: a field is missing or malformed (the message names it).
    """
    if not isinstance(data, dict):
        raise InputRefused(f"{origin}: must be a JSON object")
    if data.get("format") != TRUTH_FORMAT:
        raise InputRefused(
            f"{origin}: format: must be {TRUTH_FORMAT!r}, got {data.get('format')!r}"
        )
    reports: dict[str, TruthReport] = {}
    for index, item in enumerate(_list(data, "reports", origin)):
        where = f"reports[{index}]"
        report_id = _str(item, "id", origin, where)
        cluster = item.get("event")
        reports[report_id] = TruthReport(
            report_id,
            cluster if isinstance(cluster, str) else "",
            _str(item, "group", origin, where),
        )
    clusters: list[TruthCluster] = []
    unobserved = 0
    for index, item in enumerate(_list(data, "events", origin)):
        cluster = _event(item, origin, f"events[{index}]")
        if cluster.reports:
            clusters.append(cluster)
        else:
            unobserved += 1
    for index, item in enumerate(_list(data, "false_reports", origin)):
        where = f"false_reports[{index}]"
        ids = frozenset(_strings(item, "reports", origin, where))
        phantom = TruthCluster(_str(item, "id", origin, where), ids, True)
        clusters.append(phantom)
        for report_id in ids:
            if report_id in reports:
                reports[report_id] = TruthReport(report_id, phantom.id, reports[report_id].group)
    scenario = data.get("scenario")
    seed = data.get("seed")
    return Truth(
        scenario=scenario if isinstance(scenario, str) else "",
        seed=seed if isinstance(seed, int) else 0,
        clusters=tuple(clusters),
        reports=reports,
        unobserved=unobserved,
    )


def _event(item: Any, origin: str, where: str) -> TruthCluster:
    if not isinstance(item, dict):
        raise InputRefused(f"{origin}: {where}: must be an object")
    clauses = []
    for index, clause in enumerate(_list(item, "clauses", origin, where)):
        at = f"{where}.clauses[{index}]"
        verdict = _str(clause, "verdict", origin, at)
        acceptable = frozenset(_strings(clause, "acceptable", origin, at)) | {verdict}
        clauses.append(TruthClause(_str(clause, "clause_id", origin, at), verdict, acceptable))
    actor = item.get("actor")
    return TruthCluster(
        id=_str(item, "id", origin, where),
        reports=frozenset(_strings(item, "reports", origin, where)),
        false=False,
        actor=actor if isinstance(actor, str) else None,
        clauses=tuple(clauses),
    )


def _list(data: Any, key: str, origin: str, where: str = "") -> list[Any]:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, list):
        raise InputRefused(f"{origin}: {where + '.' if where else ''}{key}: must be a list")
    return value


def _str(data: Any, key: str, origin: str, where: str) -> str:
    value = data.get(key) if isinstance(data, dict) else None
    if not isinstance(value, str) or not value:
        raise InputRefused(f"{origin}: {where}.{key}: must be a non-empty string")
    return value


def _strings(data: Any, key: str, origin: str, where: str) -> list[str]:
    values = _list(data, key, origin, where)
    if not all(isinstance(value, str) for value in values):
        raise InputRefused(f"{origin}: {where}.{key}: must be a list of strings")
    return values
