"""``ceasefire verify``, ``ceasefire findings`` and ``ceasefire review``: verdicts and adjudication.

``verify`` holds every current incident against the agreement in force at its time and appends
the findings (logged in the same transaction); ``findings`` shows the current ones, as a table or
as the JSON contract of ``docs/fusion.md``; ``review`` records one analyst's decision.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import Context, cli, pass_context, progress, refusals_exit_1
from ceasefire.errors import InputRefused

if TYPE_CHECKING:
    from ceasefire.model.finding import Finding

__all__ = ["findings", "review", "verify_command"]

_VERDICTS = ("violation", "possible_violation", "no_violation", "undetermined", "exempt")
_DECISIONS = ("under_review", "verified", "unverified", "disputed", "refuted")
_COLOURS = {
    "violation": "bold red",
    "possible_violation": "yellow",
    "no_violation": "green",
    "undetermined": "dim",
    "exempt": "cyan",
}


def findings_table(context: Context, rows: list[Finding]) -> None:
    """Print findings as a table: subject, clause, verdict, grade, attribution, first reason."""
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("incident / sector", "clause", "verdict", "grade", "attributed to", "reason"):
        table.add_column(column, overflow="fold")
    for finding in rows:
        # Ids shortened for the table only (findings --format json gives them whole).
        subject = (
            (finding.incident_id[:14] + "…")
            if finding.incident_id
            else (f"{finding.scope.get('zone')} {finding.scope.get('day')}")
        )
        verdict = finding.verdict.value
        table.add_row(
            subject,
            finding.clause_id,
            f"[{_COLOURS[verdict]}]{verdict}[/]",
            finding.grade,
            finding.attributed_to or "-",
            finding.reasons[0] if finding.reasons else "",
        )
    context.out.print(table)


def summary_table(context: Context, rows: list[Finding]) -> None:
    """Print how many findings each clause got of each verdict (``findings`` lists them)."""
    from collections import Counter

    from rich.table import Table

    tally = Counter((f.clause_id, f.verdict.value) for f in rows)
    table = Table(title="findings by clause and verdict")
    table.add_column("clause")
    for verdict in _VERDICTS:
        table.add_column(f"[{_COLOURS[verdict]}]{verdict}[/]", justify="right")
    for clause in sorted({clause for clause, _ in tally}):
        table.add_row(clause, *(str(tally[(clause, v)] or "") for v in _VERDICTS))
    context.out.print(table)


@cli.command("verify")
@click.option("--quiet", is_flag=True, help="Print only the summary line, not the table.")
@pass_context
@refusals_exit_1
def verify_command(context: Context, quiet: bool) -> None:
    """Hold every current incident against the agreement in force at its time; store findings.

    One finding per (incident, applicable clause), plus one per zone and day that coverage
    records speak for with no incident in it (watched: no violation observed; unwatched: not
    observable). Verifying again with nothing new stores nothing new. Prints how many findings
    each clause got of each verdict; ``ceasefire findings`` lists them. Not to be confused with
    ``ceasefire ledger verify``, which audits the record.

    \b
    Example:
        ceasefire verify
    """
    from ceasefire.verification import verify_store

    with context.store() as store:
        total = store.counts().incidents
        if not store.agreement_versions():
            raise InputRefused("no agreement is loaded: run `ceasefire agreement load FILE`")
        with progress(context, "verifying", total, shown=total >= 1000) as advance:
            result = verify_store(store, progress=advance)
    tally = ", ".join(f"{n} {verdict}" for verdict, n in sorted(result.by_verdict.items()))
    if not quiet and result.findings:
        summary_table(context, list(result.findings))
    context.out.print(
        f"verified {result.incidents} incidents: {len(result.findings)} findings "
        f"({tally or 'none'}); {result.written} new in the store"
    )
    if result.unjudged:
        context.err.print(
            f"{len(result.unjudged)} incidents predate every loaded agreement version and were "
            "not judged"
        )


@cli.command()
@click.option("--verdict", type=click.Choice(_VERDICTS), help="Only findings with this verdict.")
@click.option("--clause", help="Only findings against this clause id.")
@click.option(
    "--format",
    "output",
    type=click.Choice(["table", "json"]),
    default="table",
    show_default=True,
    help="table for people; json for the contract in docs/fusion.md.",
)
@pass_context
@refusals_exit_1
def findings(context: Context, verdict: str | None, clause: str | None, output: str) -> None:
    """Show the current findings (the newest answer to each question), optionally filtered.

    \b
    Example:
        ceasefire findings --verdict violation --format json
    """
    with context.store() as store:
        rows = list(store.iter_findings(verdict=verdict, clause_id=clause))
    if output == "json":
        click.echo(json.dumps([f.to_dict() for f in rows], ensure_ascii=False, indent=1))
        return
    findings_table(context, rows)
    context.out.print(f"{len(rows)} findings")


@cli.command()
@click.argument("incident")
@click.option("--decision", type=click.Choice(_DECISIONS), required=True, help="The new state.")
@click.option("--by", "analyst", required=True, help="The analyst taking the decision.")
@click.option("--reason", required=True, help="Why, in the analyst's words (kept with it).")
@pass_context
@refusals_exit_1
def review(context: Context, incident: str, decision: str, analyst: str, reason: str) -> None:
    """Record an analyst's decision on an incident; verified needs two analysts (four eyes).

    Decisions are appended, never edited, and logged in the ledger. The first ``verified``
    leaves the incident under review until a second, different analyst also decides
    ``verified``.

    \b
    Example:
        ceasefire review i-3f2a9c --decision verified --by analyst-a --reason "crater matches"
    """
    from ceasefire.model.incident import ReviewState
    from ceasefire.verification.review import decide

    with context.store() as store:
        taken = decide(store, incident, ReviewState(decision), analyst, reason, context.clock.now())
    waiting = taken.decision is ReviewState.VERIFIED and taken.to_state is not taken.decision
    note = " (awaiting a second analyst: four eyes)" if waiting else ""
    context.out.print(
        f"{incident}: {taken.from_state.value} → {taken.to_state.value}{note}; "
        f"decision {taken.id} by {taken.by}"
    )
