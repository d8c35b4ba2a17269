"""Evaluation on hand-made truth, incidents and findings: the matching rule, verdict accuracy,
copies counted as independent and attribution, each scored as docs/simulation.md says."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from ceasefire.cli import cli
from ceasefire.errors import InputRefused
from ceasefire.evaluation.score import evaluate
from ceasefire.evaluation.truth import read_truth, truth_from_dict


def _clause(clause_id: str, verdict: str, *acceptable: str) -> dict[str, Any]:
    return {"clause_id": clause_id, "verdict": verdict, "acceptable": [verdict, *acceptable]}


def _truth() -> dict[str, Any]:
    """Two firing events (UA, RU), a weapon near a zone edge, one false report and its copy."""
    reports = [
        ("a1", "e-1", "patrol/e-1"),
        ("a2", "e-1", "cam/e-1"),
        ("a3", "e-1", "ua/e-1"),
        ("a4", "e-1", "ua/e-1"),  # a4 copies a3
        ("b1", "e-2", "patrol/e-2"),
        ("b2", "e-2", "cam/e-2"),
        ("c1", "e-3", "uav/e-3"),
        ("f1", None, "ru/f"),
        ("f2", None, "ru/f"),  # f2 copies f1
    ]
    return {
        "format": "ceasefire-truth/1",
        "scenario": "hand-made",
        "seed": 7,
        "events": [
            {
                "id": "e-1",
                "actor": "UA",
                "reports": ["a1", "a2", "a3", "a4"],
                "clauses": [_clause("pom-1", "violation"), _clause("measures-2020-2", "violation")],
            },
            {
                "id": "e-2",
                "actor": "RU",
                "reports": ["b1", "b2"],
                "clauses": [_clause("pom-1", "violation")],
            },
            {
                "id": "e-3",
                "actor": "RU",
                "reports": ["c1"],
                "clauses": [
                    _clause("pom-2", "violation", "possible_violation"),
                    _clause("measures-2020-3", "no_violation"),
                ],
            },
            {"id": "e-4", "actor": "UA", "reports": [], "clauses": []},
        ],
        "false_reports": [{"id": "f-1", "reports": ["f1", "f2"]}],
        "reports": [
            {"id": rid, "event": event, "group": group, "copy_of": None}
            for rid, event, group in reports
        ],
    }


def _incident(iid: str, *reports: tuple[str, bool], sources: int | None = None) -> dict[str, Any]:
    independent = sum(flag for _, flag in reports)
    return {
        "id": iid,
        "independent_sources": independent if sources is None else sources,
        "reports": [
            {"id": rid, "source": "s", "source_ref": None, "independent": flag, "copy_of": None}
            for rid, flag in reports
        ],
    }


def _finding(iid: str, clause: str, verdict: str, party: str | None = None) -> dict[str, Any]:
    return {"incident_id": iid, "clause_id": clause, "verdict": verdict, "attributed_to": party}


def _perfect() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    incidents = [
        _incident("i-1", ("a1", True), ("a2", True), ("a3", True), ("a4", False)),
        _incident("i-2", ("b1", True), ("b2", True)),
        _incident("i-3", ("c1", True)),
        _incident("i-f", ("f1", True), ("f2", False)),
    ]
    findings = [
        _finding("i-1", "pom-1", "violation", "UA"),
        _finding("i-1", "measures-2020-2", "violation", "UA"),
        _finding("i-2", "pom-1", "violation", "RU"),
        _finding("i-3", "pom-2", "possible_violation"),
        _finding("i-f", "pom-1", "possible_violation", "UA"),
    ]
    return incidents, findings


def test_the_truth_itself_scores_perfectly() -> None:
    """Incidents that are the truth's clusters, with acceptable verdicts, meet every bar."""
    incidents, findings = _perfect()
    result = evaluate(truth_from_dict(_truth()), incidents, findings)
    assert result["incidents"]["f1"] == 1.0
    assert result["incidents"]["unobserved_events"] == 1
    assert result["verdicts"]["accuracy"] == 1.0
    assert result["verdicts"]["scored"] == 5  # 2 + 1 + 2 clauses of the three events
    assert result["independence"]["copies_counted_as_independent"] == 0
    assert result["attribution"] == {
        "events": 3,
        "correct": 2,
        "wrong": 0,
        "unattributed": 1,
        "accuracy": 0.6667,
        "precision": 1.0,
    }
    assert all(bar["met"] for bar in result["bars"].values())


def test_a_split_event_costs_precision_and_a_merged_one_recall() -> None:
    """An event split in two halves matches neither half unless one holds half its reports;
    two events merged into one incident match at most one of them."""
    truth = truth_from_dict(_truth())
    incidents, _ = _perfect()
    split = [
        _incident("i-1a", ("a1", True), ("a2", True)),
        _incident("i-1b", ("a3", True), ("a4", False)),
        *incidents[1:],
    ]
    result = evaluate(truth, split, [])["incidents"]
    assert (result["matched"], result["incidents"], result["truth_clusters"]) == (4, 5, 4)
    assert result["unmatched_incidents"] == ["i-1b"]
    merged = [
        _incident(
            "i-12",
            ("a1", True),
            ("a2", True),
            ("a3", True),
            ("a4", False),
            ("b1", True),
            ("b2", True),
        ),
        *incidents[2:],
    ]
    result = evaluate(truth, merged, [])["incidents"]
    assert (result["matched"], result["precision"], result["recall"]) == (3, 1.0, 0.75)
    assert result["missed_clusters"] == ["e-2"]


def test_verdicts_are_held_against_what_the_truth_accepts() -> None:
    """A violation called no_violation is wrong; a missing finding is wrong for a violation and
    right for no_violation; a stray violation on a clause the truth does not list is wrong."""
    incidents, findings = _perfect()
    changed = [f for f in findings if f["clause_id"] != "measures-2020-2"]
    changed = [
        {**f, "verdict": "no_violation"} if f["incident_id"] == "i-2" else f for f in changed
    ]
    changed.append(_finding("i-3", "measures-2020-2", "violation"))
    result = evaluate(truth_from_dict(_truth()), incidents, changed)["verdicts"]
    assert (result["scored"], result["correct"]) == (6, 3)
    wrong = {(w["event"], w["clause_id"], w["verdict"]) for w in result["wrong"]}
    assert wrong == {
        ("e-1", "measures-2020-2", None),
        ("e-2", "pom-1", "no_violation"),
        ("e-3", "measures-2020-2", "violation"),
    }


def test_copies_marked_independent_are_counted() -> None:
    """Marking a copy independent, or claiming more sources than groups, counts copies."""
    truth = truth_from_dict(_truth())
    incidents, findings = _perfect()
    flagged = [
        _incident("i-1", ("a1", True), ("a2", True), ("a3", True), ("a4", True)),
        _incident("i-2", ("b1", True), ("b2", True), sources=5),
        *incidents[2:],
    ]
    result = evaluate(truth, flagged, findings)
    assert result["independence"]["copies_counted_as_independent"] == 1 + 3
    assert result["bars"]["copies_counted_as_independent"]["met"] is False


def test_wrong_attribution_and_superseded_findings() -> None:
    """Naming the wrong party is counted wrong; findings of incidents not current are ignored."""
    incidents, findings = _perfect()
    findings = [{**f, "attributed_to": "RU"} if f["incident_id"] == "i-1" else f for f in findings]
    findings.append(_finding("i-old", "pom-1", "violation", "UA"))
    result = evaluate(truth_from_dict(_truth()), incidents, findings)
    assert (result["attribution"]["correct"], result["attribution"]["wrong"]) == (1, 1)
    assert result["verdicts"]["scored"] == 5


def test_incidents_the_truth_does_not_know_are_left_out() -> None:
    """An incident of reports from outside the simulation is neither right nor wrong."""
    incidents, findings = _perfect()
    stranger = _incident("i-x", ("zz", True))
    result = evaluate(truth_from_dict(_truth()), [*incidents, stranger], findings)
    assert result["incidents"]["ignored_incidents"] == 1
    assert result["incidents"]["f1"] == 1.0


@settings(max_examples=50, deadline=None)
@given(st.randoms(use_true_random=False))
def test_scores_do_not_depend_on_order(rng: random.Random) -> None:
    """Shuffling incidents, their reports and the findings changes no score."""
    incidents, findings = _perfect()
    expected = evaluate(truth_from_dict(_truth()), incidents, findings)
    shuffled = [dict(i, reports=rng.sample(i["reports"], len(i["reports"]))) for i in incidents]
    rng.shuffle(shuffled)
    shuffled_findings = rng.sample(findings, len(findings))
    assert evaluate(truth_from_dict(_truth()), shuffled, shuffled_findings) == expected


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 5), min_size=1, max_size=30))
def test_f1_stays_in_range_and_is_one_only_for_the_truth(assignment: list[int]) -> None:
    """Any grouping of the reports scores F1 in [0, 1], and 1 exactly when it is the truth's."""
    truth = _truth()
    ids = [r["id"] for r in truth["reports"]]
    groups: dict[int, list[str]] = {}
    for index, report_id in enumerate(ids):
        groups.setdefault(assignment[index % len(assignment)], []).append(report_id)
    incidents = [_incident(f"i-{k}", *((r, False) for r in v)) for k, v in groups.items()]
    f1 = evaluate(truth_from_dict(truth), incidents, [])["incidents"]["f1"]
    clusters = {frozenset(e["reports"]) for e in truth["events"] if e["reports"]}
    clusters |= {frozenset(p["reports"]) for p in truth["false_reports"]}
    assert 0.0 <= f1 <= 1.0
    assert (f1 == 1.0) == ({frozenset(v) for v in groups.values()} == clusters)


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        (lambda t: t.update(format="other/1"), "format"),
        (lambda t: t.pop("events"), "events"),
        (lambda t: t["events"][1].update(reports="b1"), "events[1].reports"),
        (lambda t: t["events"][0]["clauses"][0].pop("verdict"), "events[0].clauses[0].verdict"),
        (lambda t: t["reports"][2].update(group=3), "reports[2].group"),
    ],
)
def test_a_damaged_truth_is_refused_naming_the_field(damage: Any, named: str) -> None:
    """A truth file with a missing or malformed field is refused, naming the field."""
    truth = _truth()
    damage(truth)
    with pytest.raises(InputRefused, match=named.replace("[", r"\[").replace("]", r"\]")):
        truth_from_dict(truth)


def test_read_truth_refuses_what_is_not_json(tmp_path: Path) -> None:
    """A missing file or one that is not JSON is refused with its path, and evaluate exits 1."""
    with pytest.raises(InputRefused, match="no such file"):
        read_truth(tmp_path)
    (tmp_path / "truth.json").write_text("{not json")
    with pytest.raises(InputRefused, match="cannot be read as JSON"):
        read_truth(tmp_path / "truth.json")
    result = CliRunner().invoke(
        cli, ["--db", str(tmp_path / "x.db"), "evaluate", "--truth", str(tmp_path)]
    )
    assert result.exit_code == 1
    assert "cannot be read as JSON" in " ".join(result.stderr.split())


def test_a_written_truth_reads_back(tmp_path: Path) -> None:
    """The hand-made truth, written as a file, reads back to the same clusters."""
    (tmp_path / "truth.json").write_text(json.dumps(_truth()))
    truth = read_truth(tmp_path)
    assert {c.id for c in truth.clusters} == {"e-1", "e-2", "e-3", "f-1"}
    assert truth.reports["f2"].cluster == "f-1"
