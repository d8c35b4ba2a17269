"""``ceasefire ingest``, ``reports`` and ``quarantine``: reports in, and what is stored."""

from __future__ import annotations

import json
import stat
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import Context, cli, pass_context, progress, refusals_exit_1
from ceasefire.errors import InputRefused
from ceasefire.intake.readers import Format, Limits, RawRecord, read_records
from ceasefire.intake.receipt import IntakeInterrupted, Outcome, Receipt, RecordOutcome

if TYPE_CHECKING:
    from rich.table import Table

    from ceasefire.intake.checks import RecordChecks
    from ceasefire.model.report import Report
    from ceasefire.store import Store

__all__ = ["ingest", "quarantine", "reports"]


@cli.command()
@click.argument(
    "files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([f.value for f in Format]),
    default=Format.AUTO.value,
    show_default=True,
    help="The files' format; auto tells it from the extension and content.",
)
@click.option("--source", "source_id", help="Registered source id for records that name none.")
@click.option("--json", "as_json", is_flag=True, help="Print the receipt as JSON on stdout.")
@click.option(
    "--acks",
    is_flag=True,
    help="Print one JSON line per record on stdout as soon as it is stored (for pipelines).",
)
@click.option(
    "--max-file-mb",
    type=click.IntRange(1, 1_000_000),
    default=256,
    show_default=True,
    help="Refuse a file larger than this many MiB (read whole before intake).",
)
@click.option(
    "--max-record-kb",
    type=click.IntRange(1, 1_000_000),
    default=1000,
    show_default=True,
    help="Refuse (and quarantine the start of) a record longer than this many thousand characters.",
)
@click.option(
    "--chunk-size",
    type=click.IntRange(1, 100_000),
    default=500,
    show_default=True,
    help="Records per transaction; a record is acknowledged when its chunk commits.",
)
@pass_context
@refusals_exit_1
def ingest(
    context: Context,
    files: tuple[Path, ...],
    fmt: str,
    source_id: str | None,
    as_json: bool,
    acks: bool,
    max_file_mb: int,
    max_record_kb: int,
    chunk_size: int,
) -> None:
    """Take reports and coverage records from JSON, JSONL, CSV or GeoJSON files.

    Re-ingesting a file adds nothing and says so. Each malformed record is refused with the
    file, its position, the field and the reason, and kept in quarantine; the rest are taken.
    Only regular files are read (a device, FIFO or socket is refused), each at most
    --max-file-mb. Exit code 1 if any record was refused.

    \b
    Example:
        ceasefire ingest patrols.jsonl cameras.csv --json
    """
    from ceasefire.geo.gazetteer import bundled
    from ceasefire.intake import Intake

    limits = Limits(max_record_chars=max_record_kb * 1000)
    raw: list[RawRecord] = []
    for path in files:
        text = _text_of(path, max_file_mb * 1024 * 1024)
        raw.extend(read_records(path.name, text, Format(fmt), limits))
    with context.store() as store:
        default_source = None
        if source_id is not None:
            default_source = store.sources().get(source_id)
            if default_source is None:
                raise InputRefused(f"--source {source_id!r} is not a registered source")
        intake = Intake(
            store,
            context.clock,
            bundled(),
            default_source=default_source,
            chunk_size=chunk_size,
            checks=_checks_of(store),
        )
        shown = not (as_json or acks) and len(raw) >= 1000
        with progress(context, "ingesting", len(raw), shown) as advance:
            try:
                receipt = intake.ingest(
                    raw, on_chunk=_acknowledge if acks else lambda chunk: advance(len(chunk))
                )
            except IntakeInterrupted as interrupted:
                # What committed before the failure is still the sender's receipt.
                _emit_receipt(context, interrupted.receipt, as_json, acks)
                raise
    _emit_receipt(context, receipt, as_json, acks)
    if receipt.count(Outcome.REJECTED):
        raise SystemExit(1)


def _emit_receipt(context: Context, receipt: Receipt, as_json: bool, acks: bool) -> None:
    if as_json:
        click.echo(json.dumps(receipt.to_dict(), indent=1, ensure_ascii=False))
    elif not acks:
        _print_receipt(context, receipt)


def _checks_of(store: Store) -> RecordChecks | None:
    """Return the warnings' checks from every stored agreement version (none stored: none)."""
    from ceasefire.agreement.loader import agreement_from_document
    from ceasefire.intake.checks import RecordChecks

    versions = store.agreement_versions()
    return RecordChecks.from_agreements(agreement_from_document(v.document) for v in versions)


def _text_of(path: Path, max_bytes: int) -> str:
    """Read a regular file of at most ``max_bytes`` as UTF-8, refusing it where it is not.

    A device (``/dev/zero``) would be read until memory runs out and a FIFO with no writer
    blocks for ever, so neither is opened; a file that grows while read is cut at the bound.
    """
    try:
        mode = path.stat().st_mode
    except OSError as error:
        raise InputRefused(f"{path}: cannot read it: {error.strerror}") from None
    if not stat.S_ISREG(mode):
        raise InputRefused(
            f"{path}: not a regular file (a device, FIFO or socket); save the stream to a file"
        )
    try:
        with path.open("rb") as stream:
            data = stream.read(max_bytes + 1)
    except OSError as error:
        raise InputRefused(f"{path}: cannot read it: {error.strerror}") from None
    if len(data) > max_bytes:
        raise InputRefused(
            f"{path}: larger than {max_bytes // (1024 * 1024):,} MiB; split it, or raise "
            "--max-file-mb"
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputRefused(
            f"{path.name}: line {line}: not UTF-8 (byte {error.start}); save it as UTF-8"
        ) from None


def _acknowledge(outcomes: list[RecordOutcome]) -> None:
    """Print each record's fate once its chunk has committed, and flush: a printed line is a
    promise that the record is stored."""
    for outcome in outcomes:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False))
    sys.stdout.flush()


def _print_receipt(context: Context, receipt: Receipt) -> None:
    accepted = receipt.count(Outcome.ACCEPTED)
    duplicate = receipt.count(Outcome.DUPLICATE)
    rejected = receipt.rejected
    from rich.markup import escape  # values are the sender's text, never markup

    for record in rejected:
        where = f"{record.origin}: {record.position}: {record.field}: {record.reason}"
        context.err.print(f"[red]✗[/] {escape(where)}", highlight=False)
    for record in receipt.warned:
        for warning in record.warnings:
            where = f"{record.origin}: {record.position}: {warning.field}: {warning.reason}"
            context.err.print(f"[yellow]![/] {escape(where)}", highlight=False)
    summary = f"{accepted} accepted, {duplicate} duplicate, {len(rejected)} rejected"
    if accepted == 0 and duplicate and not rejected:
        summary += " — everything here was already stored; nothing changed"
    elif rejected:
        summary += " (refused records are in quarantine: ceasefire quarantine)"
    context.out.print(summary, highlight=False)


@cli.command()
@click.option("--limit", type=int, default=50, show_default=True, help="Show at most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print the reports as JSON lines.")
@pass_context
@refusals_exit_1
def reports(context: Context, limit: int, as_json: bool) -> None:
    """List stored reports in arrival order.

    \b
    Example:
        ceasefire reports --limit 20
    """
    with context.store() as store:
        found = list(store.iter_reports(limit=limit))
        total = store.counts().reports
    if as_json:
        for report in found:
            click.echo(json.dumps(report.to_dict(), ensure_ascii=False))
        return
    context.out.print(_reports_table(found, total))


def _reports_table(found: list[Report], total: int) -> Table:
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Reports ({len(found)} of {total})")
    for column in ("id", "source", "observed at", "activity", "count", "where", "±m"):
        table.add_column(column)
    for report in found:
        estimate = report.location.estimate()
        where = f"{estimate.lat:.4f}, {estimate.lon:.4f}" if estimate else "bearing only"
        table.add_row(
            report.id[:14],
            Text(report.source.id),  # Text: a stored value is shown, never read as markup
            report.observed_at.isoformat(timespec="minutes"),
            report.activity.value,
            str(report.count),
            where,
            f"{estimate.uncertainty_m:,.0f}" if estimate else "—",
        )
    return table


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the quarantined inputs as JSON lines.")
@pass_context
@refusals_exit_1
def quarantine(context: Context, as_json: bool) -> None:
    """List refused inputs with where they came from and why they were refused.

    \b
    Example:
        ceasefire quarantine --json
    """
    with context.store() as store:
        items = list(store.iter_quarantine())
    if as_json:
        for item in items:
            click.echo(json.dumps(item.to_dict(), ensure_ascii=False))
        return
    from rich.table import Table
    from rich.text import Text

    table = Table(title=f"Quarantine ({len(items)})")
    for column in ("id", "from", "where", "field", "reason"):
        table.add_column(column)
    for item in items:
        # Text: a refused input's origin, field and reason quote the sender; never markup.
        shown = (item.origin, item.position, item.field, item.reason)
        table.add_row(item.id[:14], *(Text(value) for value in shown))
    context.out.print(table)
