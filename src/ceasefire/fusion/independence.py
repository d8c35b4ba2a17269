"""Which reports of one incident are independent corroboration, and which are copies.

Two reports are *not* independent when any of these holds (each is a link; linked reports form
one group, and a copy of a copy is still a copy):

* they come from **one source** (a source reporting twice is one witness);
* they share an **evidence hash** (the same photo or video);
* they **cite the same upstream item** (``cites``), or one cites the other's id or reference;
* their narratives are **near-duplicates**: rapidfuzz ``token_sort_ratio`` at or above
  :attr:`FusionSettings.text_similarity` (90 by default: twenty outlets' rewordings of one wire
  story in ``tests/fusion`` score 94 or more against their nearest, while accounts of the same
  night written apart score 82 or less; ``token_set_ratio`` was tried and separates worse, 96
  against 88, because it forgives every word one text lacks). Narratives
  shorter than :attr:`FusionSettings.text_min_tokens` words are not compared, nor are two
  reports that both come from the mission's own patrols and sensors: they write from templates,
  so "heard 3 explosions 2-4 km SE" from two patrols is two witnesses, not a copy.

Each group counts once: its earliest report (by observation time, then arrival, then id) is
marked independent and every other member names it in ``copy_of``. Copies are kept and shown.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from rapidfuzz import fuzz, process, utils

from ceasefire.fusion.settings import FusionSettings
from ceasefire.model.incident import IncidentReport
from ceasefire.model.report import Report
from ceasefire.model.source import SourceKind

__all__ = ["MISSION_KINDS", "independence"]

#: Source kinds that are the mission's own patrols and sensors (templated narratives).
MISSION_KINDS = frozenset(
    {
        SourceKind.MONITOR_PATROL,
        SourceKind.CAMERA,
        SourceKind.ACOUSTIC_SENSOR,
        SourceKind.UAV,
        SourceKind.SATELLITE,
    }
)


class _Groups:
    """Union-find over report positions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def join(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            # The smaller position wins, so the result does not depend on the order of joins.
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def independence(
    reports: Sequence[Report], settings: FusionSettings
) -> tuple[tuple[IncidentReport, ...], int]:
    """Mark each report independent or a copy; return them (earliest first) and the count.

    Args:
        reports: the reports of one incident, in any order.
        settings: for the near-duplicate threshold and minimum length.

    Returns:
        The incident's report entries, ordered by observation time, and how many independent
        sources back it.
    """
    ordered = sorted(reports, key=lambda r: (r.observed_at, r.received_at, r.id))
    groups = _Groups(len(ordered))
    _join_by_key(groups, [(r.source.id,) for r in ordered])
    _join_by_key(groups, [tuple(item.sha256 for item in r.evidence) for r in ordered])
    _join_by_key(groups, [(r.cites,) if r.cites else () for r in ordered])
    _join_citations(groups, ordered)
    _join_near_duplicates(groups, ordered, settings)
    entries: list[IncidentReport] = []
    for position, report in enumerate(ordered):
        root = groups.find(position)
        entries.append(
            IncidentReport(
                id=report.id,
                source=report.source.id,
                source_ref=report.source_ref,
                independent=root == position,
                copy_of=None if root == position else ordered[root].id,
            )
        )
    return tuple(entries), sum(1 for entry in entries if entry.independent)


def _join_by_key(groups: _Groups, keys: Sequence[tuple[str | None, ...]]) -> None:
    """Join reports that share any key (a source id, an evidence hash, an upstream item)."""
    first_with: dict[str, int] = {}
    for position, values in enumerate(keys):
        for value in values:
            if value is None:
                continue
            if value in first_with:
                groups.join(first_with[value], position)
            else:
                first_with[value] = position


def _join_citations(groups: _Groups, reports: Sequence[Report]) -> None:
    """Join a report that cites another report of the incident (by id or source reference)."""
    named: dict[str, int] = {}
    for position, report in enumerate(reports):
        named.setdefault(report.id, position)
        if report.source_ref:
            named.setdefault(report.source_ref, position)
    for position, report in enumerate(reports):
        if report.cites and report.cites in named:
            groups.join(named[report.cites], position)


def _join_near_duplicates(
    groups: _Groups, reports: Sequence[Report], settings: FusionSettings
) -> None:
    """Join reports whose narratives are near-duplicates (see the module docstring)."""
    candidates = [
        (position, utils.default_process(report.narrative))
        for position, report in enumerate(reports)
        if report.narrative and len(report.narrative.split()) >= settings.text_min_tokens
    ]
    if len(candidates) < 2:
        return
    texts = [text for _, text in candidates]
    scores = process.cdist(
        texts,
        texts,
        scorer=fuzz.token_sort_ratio,
        score_cutoff=settings.text_similarity,
        dtype=np.float64,  # float32 would round a score just at the threshold below it
    )
    for a in range(len(candidates)):
        for b in range(a + 1, len(candidates)):
            if scores[a, b] < settings.text_similarity:
                continue
            first, second = reports[candidates[a][0]], reports[candidates[b][0]]
            if first.source.kind in MISSION_KINDS and second.source.kind in MISSION_KINDS:
                continue
            groups.join(candidates[a][0], candidates[b][0])
