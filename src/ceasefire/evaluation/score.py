"""Scoring the chain against the truth: incidents, verdicts, independence, attribution.

Evaluation reads incidents and findings in their contract form (the objects of ``ceasefire
incidents --format json`` and ``ceasefire findings --format json``, see ``docs/fusion.md``), so
it scores what the chain publishes, not its internals. The rules, documented in
``docs/simulation.md``:

* **Matching.** The truth partitions the reports into clusters: one per observed event (its
  reports and their copies) and one per false report (with its copies). An incident and a
  cluster *match* when most of the incident's known reports belong to the cluster and the
  incident holds at least half of the cluster's reports; pairs are taken greedily by overlap,
  one to one. Precision is matched incidents over incidents, recall matched clusters over
  clusters, F1 their harmonic mean. Incidents with no report the truth knows are left out.
* **Verdicts.** For each matched event and each clause the truth lists, the incident's finding
  for that clause is correct when its verdict is one the truth accepts; no finding is correct
  only where the truth says ``no_violation`` or ``exempt``. A finding on a clause the truth does
  not list is wrong only when it says ``violation``.
* **Independence.** Reports of one truth group (one source's reports of one event; a copy joins
  the group of what it copies) are one independent source. An incident counts a copy as
  independent when it marks two reports of one group independent, or claims more independent
  sources than the groups among its reports.
* **Attribution.** For each matched event with a violation by a party, the party the
  incident's violation findings name is compared with who really did it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ceasefire.evaluation.truth import Truth, TruthCluster

__all__ = ["BARS", "EVALUATION_FORMAT", "evaluate"]

#: The format label of the evaluation object.
EVALUATION_FORMAT = "ceasefire-evaluation/1"
#: The bars of issue 9 on the shipped scenarios.
BARS = {"incident_f1": 0.95, "verdict_accuracy": 0.95, "copies_counted_as_independent": 0}
_VIOLATING = {"violation", "possible_violation"}


@dataclass(frozen=True, slots=True)
class _Incident:
    id: str
    reports: tuple[Mapping[str, Any], ...]
    independent_sources: int


def evaluate(
    truth: Truth,
    incidents: Iterable[Mapping[str, Any]],
    findings: Iterable[Mapping[str, Any]],
) -> dict[str, Any]:
    """Score incidents and findings (contract dicts) against the truth.

    Args:
        truth: the ground truth.
        incidents: the current incidents, each as ``Incident.to_dict()`` gives it.
        findings: the findings, each as ``Finding.to_dict()`` gives it; findings of incidents
            not among ``incidents`` (superseded ones) are ignored.

    Returns:
        The evaluation object documented in ``docs/simulation.md`` (format
        :data:`EVALUATION_FORMAT`).
    """
    known = [_incident(item) for item in incidents]
    evaluated = [i for i in known if any(r["id"] in truth.reports for r in i.reports)]
    by_incident = _findings_by_incident(findings, {i.id for i in evaluated})
    matches = _match(truth, evaluated)
    clusters = {cluster.id: cluster for cluster in truth.clusters}
    incident_part = _incident_scores(truth, evaluated, matches, len(known) - len(evaluated))
    verdicts = _verdict_scores(clusters, matches, by_incident)
    independence = _independence(truth, evaluated)
    attribution = _attribution(clusters, matches, by_incident)
    values = {
        "incident_f1": incident_part["f1"],
        "verdict_accuracy": verdicts["accuracy"],
        "copies_counted_as_independent": independence["copies_counted_as_independent"],
    }
    return {
        "format": EVALUATION_FORMAT,
        "scenario": truth.scenario,
        "seed": truth.seed,
        "incidents": incident_part,
        "verdicts": verdicts,
        "independence": independence,
        "attribution": attribution,
        "bars": {name: _bar(name, value) for name, value in values.items()},
    }


def _bar(name: str, value: float | int | None) -> dict[str, Any]:
    bar = BARS[name]
    if value is None:
        met = False
    elif name == "copies_counted_as_independent":
        met = value <= bar
    else:
        met = value >= bar
    return {"value": value, "bar": bar, "met": met}


def _incident(item: Mapping[str, Any]) -> _Incident:
    reports = tuple(r for r in item.get("reports") or () if isinstance(r, Mapping) and "id" in r)
    return _Incident(str(item["id"]), reports, int(item.get("independent_sources") or 0))


def _findings_by_incident(
    findings: Iterable[Mapping[str, Any]], current: set[str]
) -> dict[str, dict[str, Mapping[str, Any]]]:
    """Findings per incident and clause; a later finding for the same pair replaces an earlier."""
    grouped: dict[str, dict[str, Mapping[str, Any]]] = defaultdict(dict)
    for finding in findings:
        incident_id = finding.get("incident_id")
        if incident_id in current:
            grouped[str(incident_id)][str(finding.get("clause_id"))] = finding
    return grouped


def _match(truth: Truth, incidents: list[_Incident]) -> dict[str, str]:
    """Return incident id -> cluster id for the matched pairs (the rule in the module doc)."""
    sizes = {cluster.id: len(cluster.reports) for cluster in truth.clusters}
    candidates = []
    for incident in incidents:
        ids = [r["id"] for r in incident.reports if r["id"] in truth.reports]
        overlap = Counter(truth.reports[report_id].cluster for report_id in ids)
        for cluster_id, shared in overlap.items():
            if cluster_id in sizes and 2 * shared > len(ids) and 2 * shared >= sizes[cluster_id]:
                candidates.append((-shared, incident.id, cluster_id))
    matches: dict[str, str] = {}
    taken: set[str] = set()
    for _, incident_id, cluster_id in sorted(candidates):
        if incident_id not in matches and cluster_id not in taken:
            matches[incident_id] = cluster_id
            taken.add(cluster_id)
    return matches


def _ratio(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator else None


def _incident_scores(
    truth: Truth, incidents: list[_Incident], matches: dict[str, str], ignored: int
) -> dict[str, Any]:
    precision = _ratio(len(matches), len(incidents))
    recall = _ratio(len(matches), len(truth.clusters))
    f1 = None
    if precision is not None and recall is not None:
        f1 = round(2 * precision * recall / (precision + recall), 4) if precision + recall else 0.0
    matched_clusters = set(matches.values())
    events = [c for c in truth.clusters if not c.false]
    return {
        "incidents": len(incidents),
        "ignored_incidents": ignored,
        "truth_clusters": len(truth.clusters),
        "events": len(events),
        "false_report_clusters": len(truth.clusters) - len(events),
        "unobserved_events": truth.unobserved,
        "matched": len(matches),
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "event_recall": _ratio(sum(1 for c in events if c.id in matched_clusters), len(events)),
        "unmatched_incidents": sorted(i.id for i in incidents if i.id not in matches),
        "missed_clusters": sorted(c.id for c in truth.clusters if c.id not in matched_clusters),
    }


def _verdict_scores(
    clusters: Mapping[str, TruthCluster],
    matches: Mapping[str, str],
    by_incident: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> dict[str, Any]:
    scored = correct = 0
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    wrong: list[dict[str, Any]] = []
    for incident_id, cluster_id in sorted(matches.items()):
        cluster = clusters[cluster_id]
        if cluster.false:
            continue
        findings = by_incident.get(incident_id, {})
        listed = {clause.clause_id for clause in cluster.clauses}
        for clause in cluster.clauses:
            finding = findings.get(clause.clause_id)
            predicted = str(finding["verdict"]) if finding is not None else None
            if predicted is None:
                ok = clause.verdict in {"no_violation", "exempt"}
            else:
                ok = predicted in clause.acceptable
            confusion[clause.verdict][predicted or "no finding"] += 1
            scored, correct = scored + 1, correct + ok
            if not ok:
                wrong.append(
                    _wrong(
                        cluster_id,
                        incident_id,
                        clause.clause_id,
                        clause.verdict,
                        sorted(clause.acceptable),
                        predicted,
                    )
                )
        for clause_id, finding in sorted(findings.items()):
            if clause_id in listed:
                continue
            predicted = str(finding["verdict"])
            ok = predicted != "violation"
            confusion["not applicable"][predicted] += 1
            scored, correct = scored + 1, correct + ok
            if not ok:
                wrong.append(
                    _wrong(cluster_id, incident_id, clause_id, "not applicable", [], predicted)
                )
    return {
        "scored": scored,
        "correct": correct,
        "accuracy": _ratio(correct, scored),
        "by_truth": {truth: dict(sorted(row.items())) for truth, row in sorted(confusion.items())},
        "wrong": wrong,
    }


def _wrong(
    event: str, incident: str, clause: str, truth: str, acceptable: list[str], got: str | None
) -> dict[str, Any]:
    return {
        "event": event,
        "incident": incident,
        "clause_id": clause,
        "truth": truth,
        "acceptable": acceptable,
        "verdict": got,
    }


def _independence(truth: Truth, incidents: list[_Incident]) -> dict[str, Any]:
    counted = missed = 0
    cases = []
    for incident in incidents:
        groups: Counter[str] = Counter()
        flagged: Counter[str] = Counter()
        for report in incident.reports:
            known = truth.reports.get(report["id"])
            if known is None:
                continue
            groups[known.group] += 1
            flagged[known.group] += bool(report.get("independent"))
        by_flags = sum(max(0, n - 1) for n in flagged.values())
        by_count = max(0, incident.independent_sources - len(groups))
        extra = max(by_flags, by_count)
        counted += extra
        missed += max(0, len(groups) - incident.independent_sources)
        if extra:
            cases.append({"incident": incident.id, "copies_counted": extra})
    return {
        "copies_counted_as_independent": counted,
        "incidents_with_copies_counted": cases,
        "independent_sources_missed": missed,
    }


def _attribution(
    clusters: Mapping[str, TruthCluster],
    matches: Mapping[str, str],
    by_incident: Mapping[str, Mapping[str, Mapping[str, Any]]],
) -> dict[str, Any]:
    correct = wrong = unattributed = 0
    for incident_id, cluster_id in sorted(matches.items()):
        cluster = clusters[cluster_id]
        if cluster.false or not any(c.verdict == "violation" for c in cluster.clauses):
            continue
        named = Counter(
            str(f["attributed_to"])
            for f in by_incident.get(incident_id, {}).values()
            if f.get("verdict") in _VIOLATING and f.get("attributed_to")
        )
        if not named:
            unattributed += 1
        elif named.most_common(1)[0][0] == cluster.actor:
            correct += 1
        else:
            wrong += 1
    events = correct + wrong + unattributed
    return {
        "events": events,
        "correct": correct,
        "wrong": wrong,
        "unattributed": unattributed,
        "accuracy": _ratio(correct, events),
        "precision": _ratio(correct, correct + wrong),
    }
