"""The golden cases: reports in, findings out, each case file against the rules as they are.

Each ``tests/cases/<name>.json`` with a ``findings`` section is one test (see
:mod:`golden` for how a case is run). A change to the rules that moves a verdict or rewords a
reason fails here until the case files are rewritten and the diff reviewed.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import pytest
from golden import CASES, case_findings, case_reports, load_case

CASE_FILES = sorted(p for p in CASES.glob("*.json") if "findings" in load_case(p))


def test_there_are_at_least_thirty_cases() -> None:
    """The issue asks for at least 30 golden cases with findings."""
    assert len(CASE_FILES) >= 30


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case(path: Path) -> None:
    """The case's reports, grouped as the case says, give exactly the expected findings."""
    case = load_case(path)
    assert case_findings(case) == case["findings"], case["description"]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_is_well_formed(path: Path) -> None:
    """Each case says what it shows, quotes the phrasing it models, and names its file."""
    case = load_case(path)
    assert case["name"] == path.stem
    assert case["description"]
    assert case["phrase"]
    refs = [r["source_ref"] for r in case["reports"]]
    grouped = [ref for group in case["incidents"] for ref in group["reports"]]
    assert sorted(grouped) == sorted(refs)


def _plain(text: str) -> str:
    """Text without markup, entities or runs of whitespace, for a verbatim comparison."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text))).strip()


def test_quoted_phrases_are_the_smms_own(shared_data: Any) -> None:
    """A case marked phrase_quoted quotes the SMM verbatim from ../shared/data/text/."""
    folder = shared_data.path("text")
    corpus = " ".join(
        " ".join(str(value) for value in json.loads(line).values())
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    )
    plain = _plain(corpus)
    quoted = [load_case(p) for p in CASE_FILES if load_case(p).get("phrase_quoted")]
    assert len(quoted) >= 10
    for case in quoted:
        assert _plain(case["phrase"]) in plain, case["name"]


@pytest.mark.parametrize("path", CASE_FILES, ids=lambda p: p.stem)
def test_case_through_fusion(path: Path) -> None:
    """Fusing the case's reports for real (not the case's own grouping) and verifying the
    incidents fusion made gives the same findings: reports in, findings out, end to end."""
    from ceasefire.fusion.incidents import plan_incidents
    from ceasefire.fusion.settings import FusionSettings

    case = load_case(path)
    reports = list(case_reports(case).values())
    incidents = plan_incidents(reports, settings=FusionSettings()) if reports else []
    assert case_findings(case, incidents) == case["findings"], case["description"]
