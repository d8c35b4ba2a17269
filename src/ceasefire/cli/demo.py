"""``ceasefire demo``: the whole chain so far on the bundled samples, in ./ceasefire-demo/."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.intake import print_receipts
from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.cli.render import say

if TYPE_CHECKING:
    from ceasefire.cli._demo import DemoLedger, DemoResult

__all__ = ["demo", "program"]


@cli.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ceasefire-demo"),
    show_default=True,
    help="Where to build the demo.",
)
@click.option(
    "--serve",
    is_flag=True,
    help="Then serve the demo store: the map at http://127.0.0.1:8000/ (Ctrl-C to stop).",
)
@pass_context
@refusals_exit_1
def demo(context: Context, directory: Path, serve: bool) -> None:
    """Build a demo from the bundled samples and say what was done.

    Loads the Minsk agreement, ingests sample patrol, camera, complaint and coverage files
    (some records are malformed on purpose and go to quarantine), fuses the reports into
    incidents, verifies them against the agreement and prints the findings, draws a map (SVG) with
    GeoJSON layers for a GIS, signs a checkpoint of the ledger with two demo keys, verifies the
    store against it and writes a bundle for ceasefire-verify.
    Running it again stores nothing new. Uses its own store, not --db.

    \b
    Example:
        ceasefire demo --dir /tmp/ceasefire-demo
    """
    from ceasefire.cli._demo import build_demo

    result = build_demo(directory, context.clock)
    out = context.out
    say(out, "[bold]ceasefire demo[/] in {where}", where=result.directory.resolve())
    state = "stored" if result.agreement_added else "already stored"
    say(out, "agreement {agreement}: {state}", agreement=result.agreement, state=state)
    print_receipts(context, result.receipts)
    counts = result.counts
    say(
        out,
        "store {db}: {reports} reports, {coverage} coverage records, {sources} sources, "
        "{quarantined} in quarantine, {versions} agreement version(s)",
        db=result.database,
        reports=counts.reports,
        coverage=counts.coverage,
        sources=counts.sources,
        quarantined=counts.quarantined,
        versions=counts.agreement_versions,
    )
    _print_stages(context, result)
    sketch, *layers = result.map_layers
    say(
        out,
        "map: {sketch} (open in a browser); GIS layers: {layers}",
        sketch=sketch,
        layers=", ".join(map(str, layers)),
    )
    _print_ledger(context, result.ledger)
    say(out, "daily report (public): {path}", path=result.daily_report)
    say(
        out,
        "next: {ceasefire} --db {db} findings --verdict violation",
        ceasefire=program("ceasefire"),
        db=result.database,
    )
    if serve:
        from ceasefire.cli.web import serve_store

        serve_store(context, str(result.database), "127.0.0.1", 8000, None)


def _print_stages(context: Context, result: DemoResult) -> None:
    """Fusion's and verification's part of the demo: the incidents, then the findings table."""
    if result.fusion is not None:
        fused = result.fusion
        say(
            context.out,
            "fuse: {new} new reports into {created} new incidents; {now} incidents now",
            new=fused.reports_fused,
            created=fused.incidents_created,
            now=fused.incidents_current,
        )
    if result.verification is not None:
        from ceasefire.cli.verification import findings_table

        verified = result.verification
        current = [f for f in verified.findings if f.incident_id is not None]
        findings_table(context, current)
        say(
            context.out,
            "verify: {incidents} incidents, {all} findings ({on} on incidents, the rest on quiet "
            "or unobservable zones; {new} new)",
            incidents=verified.incidents,
            all=len(verified.findings),
            on=len(current),
            new=verified.written,
        )


def _print_ledger(context: Context, ledger: DemoLedger) -> None:
    """The ledger's part of the demo, ending with how to check the bundle as an outsider."""
    say(
        context.out,
        "ledger: {size} entries; checkpoint at size {at} {signed} by {signers}; verify: {verdict}",
        size=ledger.size,
        at=ledger.checkpoint_size,
        signed="signed now" if ledger.signed_now else "already signed",
        signers=" and ".join(ledger.signers),
        verdict="every record matches its leaf"
        if not ledger.problems
        else "; ".join(ledger.problems),
    )
    say(
        context.out,
        "bundle: {bundle} (check it: {verify} {bundle} --key {key})",
        bundle=ledger.bundle,
        verify=program("ceasefire-verify"),
        key=ledger.keys / f"{ledger.signers[-1]}.pub",
    )


def program(name: str) -> str:
    """How to run one of this package's programs from where the user is, as printed in hints.

    ``ceasefire`` alone when the installed one is on ``PATH``; otherwise the path of the one
    beside the running program (``.venv/bin/ceasefire`` after ``make demo``), so a hint copied
    from the output works as printed without activating the virtual environment.
    """
    running = Path(sys.argv[0])
    beside = running.with_name(name)
    if not beside.exists():
        return name
    found = shutil.which(name)
    if found is not None and Path(found).resolve() == beside.resolve():
        return name
    try:
        return str(beside.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(beside.resolve())
