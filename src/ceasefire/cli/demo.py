"""``ceasefire demo``: the whole chain so far on the bundled samples, in ./ceasefire-demo/."""

from __future__ import annotations

from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.intake import Outcome

__all__ = ["demo"]


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
    out.print(f"[bold]ceasefire demo[/] in {result.directory.resolve()}")
    state = "stored" if result.agreement_added else "already stored"
    out.print(f"agreement {result.agreement}: {state}")
    from rich.table import Table

    table = Table(title="Intake")
    for column in ("file", "accepted", "duplicate", "rejected"):
        table.add_column(column)
    for name, receipt in result.receipts.items():
        table.add_row(
            name,
            str(receipt.count(Outcome.ACCEPTED)),
            str(receipt.count(Outcome.DUPLICATE)),
            str(receipt.count(Outcome.REJECTED)),
        )
    out.print(table)
    for name, receipt in result.receipts.items():
        for record in receipt.rejected:
            out.print(
                f"  [red]✗[/] {name}: {record.position}: {record.field}: {record.reason}",
                highlight=False,
            )
    counts = result.counts
    out.print(
        f"store {result.database}: {counts.reports} reports, {counts.coverage} coverage records, "
        f"{counts.sources} sources, {counts.quarantined} in quarantine, "
        f"{counts.agreement_versions} agreement version(s)",
        highlight=False,
    )
    if result.fusion is not None:
        fused = result.fusion
        out.print(
            f"fuse: {fused.reports_fused} new reports into {fused.incidents_created} new "
            f"incidents; {fused.incidents_current} incidents now",
            highlight=False,
        )
    if result.verification is not None:
        from ceasefire.cli.verification import findings_table

        verified = result.verification
        current = [f for f in verified.findings if f.incident_id is not None]
        findings_table(context, current)
        out.print(
            f"verify: {verified.incidents} incidents, {len(verified.findings)} findings "
            f"({len(current)} on incidents, the rest on quiet or unobservable zones; "
            f"{verified.written} new)",
            highlight=False,
        )
    sketch, *layers = result.map_layers
    out.print(f"map: {sketch} (open in a browser); GIS layers: " + ", ".join(map(str, layers)))
    ledger = result.ledger
    signed = "signed now" if ledger.signed_now else "already signed"
    verdict = "every record matches its leaf" if not ledger.problems else "; ".join(ledger.problems)
    out.print(
        f"ledger: {ledger.size} entries; checkpoint at size {ledger.checkpoint_size} {signed} by "
        f"{' and '.join(ledger.signers)}; verify: {verdict}",
        highlight=False,
    )
    witness_key = ledger.keys / f"{ledger.signers[-1]}.pub"
    out.print(
        f"bundle: {ledger.bundle} (check it: ceasefire-verify {ledger.bundle} --key {witness_key})",
        highlight=False,
    )
    out.print(f"daily report (public): {result.daily_report}", highlight=False)
    out.print(f"next: ceasefire --db {result.database} findings --verdict violation")
    if serve:
        from ceasefire.cli.web import serve_store

        serve_store(context, str(result.database), "127.0.0.1", 8000, None)
