"""The verification stage: every incident against the clauses in force at its time, and coverage.

:func:`verify` is the pure core (incidents, their reports, agreement versions and coverage in;
findings out); :func:`verify_store` is the one call the CLI makes: it reads what it needs through
:class:`VerificationStore` (this stage's protocol, which every store implements) and appends the
findings, which the store logs in the same transaction.

Each incident is judged by the version of its agreement in force when it *started*, and by the
clauses of that version in force then; a clause not yet in force gives no finding (it did not
apply), a clause in force but before its deadline gives ``no_violation`` with the deadline named.
Locations are projected and tested against each zone once per version, for all its incidents
together (:class:`~ceasefire.verification.geometry.PointSet`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date
from typing import Protocol

from ceasefire.agreement.loader import agreement_from_document
from ceasefire.agreement.stored import StoredAgreement
from ceasefire.agreement.terms import Agreement, version_in_force
from ceasefire.errors import NotFound
from ceasefire.model.coverage import Coverage
from ceasefire.model.finding import Finding, Verdict
from ceasefire.model.report import Report
from ceasefire.verification.attribution import attribute
from ceasefire.verification.coverage import sector_findings
from ceasefire.verification.facts import Facts, IncidentLike, ReportLookup, facts_of
from ceasefire.verification.geometry import PointSet
from ceasefire.verification.grading import grade
from ceasefire.verification.rules import judge
from ceasefire.verification.settings import VerificationSettings

__all__ = ["VerificationResult", "VerificationStore", "verify", "verify_store"]

#: Called with the number of incidents just judged, for a progress bar.
Progress = Callable[[int], None]


class VerificationStore(Protocol):
    """What verification needs of a store."""

    def iter_incidents(self) -> Iterable[IncidentLike]:
        """Yield the current incidents (not superseded)."""
        ...

    def get_report(self, report_id: str) -> Report:
        """Return one report (raises ``NotFound``)."""
        ...

    def iter_coverage(self) -> Iterator[Coverage]:
        """Yield coverage records."""
        ...

    def agreement_versions(self, agreement_id: str | None = None) -> list[StoredAgreement]:
        """Return stored agreement versions, oldest first."""
        ...

    def write_findings(self, findings: Sequence[Finding]) -> int:
        """Append findings (and log them) in one transaction; return how many were new."""
        ...


@dataclass(frozen=True)
class VerificationResult:
    """What one verification run found.

    Args:
        findings: every finding, incident findings first, then sector findings.
        incidents: how many incidents were held against an agreement.
        unjudged: ids of incidents no agreement version was in force for.
        written: how many findings were new to the store (``verify_store`` only).
    """

    findings: tuple[Finding, ...]
    incidents: int
    unjudged: tuple[str, ...] = ()
    written: int = 0
    by_verdict: dict[str, int] = field(default_factory=dict)


def _judge_version(
    agreement: Agreement, group: list[Facts], settings: VerificationSettings
) -> Iterator[Finding]:
    points = PointSet(
        agreement,
        [f.lon if f.lon is not None else float("nan") for f in group],
        [f.lat if f.lat is not None else float("nan") for f in group],
        [f.radius_m for f in group],
    )
    for i, facts in enumerate(group):
        applicable = [
            c
            for c in agreement.clauses_in_force(facts.started_at)
            if facts.activity in c.activities
        ]
        if not applicable:
            continue
        reliability, credibility = grade(facts.sources)
        attribution = attribute(facts, agreement)
        for clause in applicable:
            judgement = judge(facts, i, clause, agreement, points, settings)
            blamed = judgement.verdict in (Verdict.VIOLATION, Verdict.POSSIBLE_VIOLATION)
            yield Finding(
                id="",
                incident_id=facts.incident_id,
                agreement_id=agreement.id,
                agreement_version=agreement.version,
                clause_id=clause.id,
                verdict=judgement.verdict,
                reasons=(*judgement.reasons, *(attribution.notes if blamed else ())),
                reliability=reliability,
                credibility=credibility,
                independent_sources=facts.independent_sources,
                attributed_to=attribution.party if blamed else None,
                attribution_basis=attribution.basis if blamed else None,
                flags=settings.flags,
                zones=tuple(dict.fromkeys(judgement.zones)),
            ).with_identity()


def verify(
    incidents: Iterable[IncidentLike],
    lookup: ReportLookup,
    versions: Sequence[Agreement],
    coverage: Sequence[Coverage] = (),
    settings: VerificationSettings | None = None,
    progress: Progress | None = None,
) -> VerificationResult:
    """Hold every incident against the clauses in force at its time; judge quiet zones.

    Args:
        incidents: the incidents (the current ones: not superseded).
        lookup: finds a report by id (``None`` when not stored).
        versions: agreement versions, of one or more agreements.
        coverage: coverage records, for the sector findings.
        settings: the verification settings (default: :class:`VerificationSettings`).
        progress: called with the number of incidents judged, as they are.

    Returns:
        The findings, in a stable order.
    """
    chosen_settings = settings or VerificationSettings()
    by_agreement: dict[str, list[Agreement]] = defaultdict(list)
    for version in versions:
        by_agreement[version.id].append(version)
    groups: dict[tuple[str, str], list[Facts]] = defaultdict(list)
    chosen: dict[tuple[str, str], Agreement] = {}
    unjudged: list[str] = []
    count = 0
    for incident in incidents:
        facts = facts_of(incident, lookup)
        count += 1
        judged = False
        for agreement_id, candidates in sorted(by_agreement.items()):
            in_force = version_in_force(candidates, facts.started_at)
            if in_force is not None:
                chosen[(agreement_id, in_force.version)] = in_force
                groups[(agreement_id, in_force.version)].append(facts)
                judged = True
        if not judged:
            unjudged.append(facts.incident_id)
    findings: list[Finding] = []
    for key in sorted(groups):
        findings.extend(_judge_version(chosen[key], groups[key], chosen_settings))
        if progress is not None:
            progress(len(groups[key]))
    days = {f.incident_id: f.started_at.astimezone(UTC).date() for g in groups.values() for f in g}
    findings.extend(_sectors(by_agreement, findings, days, coverage, chosen_settings))
    tally: dict[str, int] = defaultdict(int)
    for finding in findings:
        tally[finding.verdict.value] += 1
    return VerificationResult(
        tuple(findings), count - len(unjudged), tuple(unjudged), by_verdict=dict(tally)
    )


def _sectors(
    by_agreement: dict[str, list[Agreement]],
    findings: list[Finding],
    days_of: dict[str, date],
    coverage: Sequence[Coverage],
    settings: VerificationSettings,
) -> list[Finding]:
    """Sector findings for each day's version in force, skipping zones an incident spoke for."""
    if not coverage:
        return []
    touched: set[tuple[str, date]] = set()
    for finding in findings:
        for zone in finding.zones:
            day = days_of.get(finding.incident_id or "")
            if day is not None:
                touched.add((zone, day))
    out: list[Finding] = []
    for candidates in by_agreement.values():
        for version in candidates:
            out.extend(
                sector_findings(
                    version, _days_in_force(version, candidates, coverage), touched, settings
                )
            )
    return out


def _days_in_force(
    version: Agreement, candidates: list[Agreement], coverage: Sequence[Coverage]
) -> list[Coverage]:
    """The coverage records whose window starts while ``version`` is the one in force."""
    return [
        r
        for r in coverage
        if version_in_force(candidates, r.observed_from.astimezone(UTC)) is version
    ]


def verify_store(
    store: VerificationStore,
    settings: VerificationSettings | None = None,
    progress: Progress | None = None,
) -> VerificationResult:
    """Verify every current incident in ``store`` and append the findings.

    Args:
        store: the store.
        settings: the verification settings.
        progress: as for :func:`verify`.

    Returns:
        The result, with ``written`` the number of findings new to the store.
    """
    versions = [agreement_from_document(v.document) for v in store.agreement_versions()]

    def lookup(report_id: str) -> Report | None:
        try:
            return store.get_report(report_id)
        except NotFound:
            return None

    result = verify(
        store.iter_incidents(), lookup, versions, list(store.iter_coverage()), settings, progress
    )
    written = store.write_findings(result.findings)
    return VerificationResult(
        result.findings, result.incidents, result.unjudged, written, result.by_verdict
    )
