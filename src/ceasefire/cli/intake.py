"""``ceasefire ingest`` and ``quarantine``: records in, and what was refused."""

from __future__ import annotations

import json
import stat
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.main import Context, cli, pass_context, progress, refusals_exit_1
from ceasefire.cli.render import say, table
from ceasefire.errors import InputRefused, UnknownFormat
from ceasefire.intake.readers import (
    READERS,
    Format,
    Limits,
    RawRecord,
    parse_options,
    read_records,
    recognise_format,
)
from ceasefire.intake.receipt import IntakeInterrupted, Outcome, Receipt, RecordOutcome

if TYPE_CHECKING:
    from ceasefire.geo.gazetteer import Gazetteer
    from ceasefire.intake.checks import RecordChecks
    from ceasefire.model.source import Source
    from ceasefire.store import Store

__all__ = ["STDIN_NAME", "ingest", "print_receipts", "quarantine", "receipts_by_file"]


@cli.command()
@click.argument(
    "files",
    nargs=-1,
    required=True,
    type=click.Path(exists=True, dir_okay=False, allow_dash=True, path_type=Path),
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice([Format.AUTO.value, *READERS]),
    default=Format.AUTO.value,
    show_default=True,
    help="The files' format (ceasefire formats lists them); auto tells it from the extension "
    "and content.",
)
@click.option(
    "--option",
    "-o",
    "option_pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="A setting of the format (ceasefire formats lists each format's options); repeatable.",
)
@click.option("--source", "source_id", help="Registered source id for records that name none.")
@click.option(
    "--gazetteer",
    "gazetteer_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Resolve place names with this GeoNames-style CSV instead of the bundled gazetteer.",
)
@click.option(
    "--json", "as_json", is_flag=True, help="Print the receipt as one JSON document on stdout."
)
@click.option(
    "--acks",
    is_flag=True,
    help="Print one JSON line per record on stdout as soon as it is stored (for pipelines; "
    "not with --json).",
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
    option_pairs: tuple[str, ...],
    source_id: str | None,
    gazetteer_file: Path | None,
    as_json: bool,
    acks: bool,
    max_file_mb: int,
    max_record_kb: int,
    chunk_size: int,
) -> None:
    """Take reports and coverage records from files ("-": stdin): ours or another organisation's.

    One row per file (accepted, duplicate, rejected); re-ingesting adds nothing and says so. A
    malformed record is refused with file, position, field and reason, and quarantined; the rest
    are taken. Only regular files and "-" are read (not a device, FIFO or socket), each at most
    --max-file-mb. Exit code 1 if any record was refused.

    \b
    Example:
        ceasefire ingest ged231.csv --format ucdp-ged -o reliability=B --json
    """
    _exclusive(as_json, acks)
    from ceasefire.intake import Intake

    places = _gazetteer(gazetteer_file)
    limits = Limits(max_record_chars=max_record_kb * 1000)
    options = _option_pairs(option_pairs)
    raw, names = _read_inputs(
        files, fmt, limits, max_file_mb * 1024 * 1024, options, context.clock.now()
    )
    with context.store(create=True) as store:
        default_source = _default_source(store, source_id)
        intake = Intake(
            store,
            context.clock,
            places,
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
                _emit_receipt(context, interrupted.receipt, names, as_json, acks)
                raise
    _emit_receipt(context, receipt, names, as_json, acks)
    if receipt.count(Outcome.REJECTED):
        raise SystemExit(1)


def _exclusive(as_json: bool, acks: bool) -> None:
    if as_json and acks:
        raise click.UsageError(
            "--acks and --json are exclusive: --acks prints a line per record as it is stored, "
            "--json one receipt at the end"
        )


def _default_source(store: Store, source_id: str | None) -> Source | None:
    """The registered source ``--source`` names, for records that name none."""
    if source_id is None:
        return None
    source = store.sources().get(source_id)
    if source is None:
        raise InputRefused(f"--source {source_id!r} is not a registered source")
    return source


def _gazetteer(path: Path | None) -> Gazetteer:
    """The bundled gazetteer, or the GeoNames-style CSV that ``--gazetteer`` names."""
    from ceasefire.geo.gazetteer import bundled, load_geonames_csv

    try:
        return bundled() if path is None else load_geonames_csv(path)
    except ValueError as error:
        raise InputRefused(f"--gazetteer: {error}") from None


def _emit_receipt(
    context: Context, receipt: Receipt, names: list[str], as_json: bool, acks: bool
) -> None:
    """Print the receipt the way the options asked (the acks are already out)."""
    if as_json:
        click.echo(json.dumps(receipt.to_dict(), indent=1, ensure_ascii=False))
    elif not acks:
        print_receipts(context, receipts_by_file(receipt, names))


def _checks_of(store: Store) -> RecordChecks | None:
    """Return the warnings' checks from every stored agreement version (none stored: none)."""
    from ceasefire.agreement.loader import agreement_from_document
    from ceasefire.intake.checks import RecordChecks

    versions = store.agreement_versions()
    return RecordChecks.from_agreements(agreement_from_document(v.document) for v in versions)


def _read_inputs(
    files: tuple[Path, ...],
    fmt: str,
    limits: Limits,
    max_bytes: int,
    options: dict[str, str],
    now: datetime,
) -> tuple[list[RawRecord], list[str]]:
    """Read every input's records, and the names they carry (``-`` is standard input)."""
    raw: list[RawRecord] = []
    names: list[str] = []
    for path in files:
        name, data = _named_bytes(path, max_bytes)
        names.append(name)
        text, file_format = _text_and_format(name, data, fmt)
        try:  # a bad --option is a usage error (exit 2), found before any row is read
            parse_options(READERS[file_format].options, options, file_format)
        except InputRefused as error:
            raise click.UsageError(str(error)) from None
        raw.extend(read_records(name, text, file_format, limits, options=options, now=now))
    return raw, names


#: The name records read from standard input carry in receipts and quarantine.
STDIN_NAME = "<stdin>"


def _named_bytes(path: Path, max_bytes: int) -> tuple[str, bytes]:
    """Return the name records of ``path`` carry and its bytes (``-`` is standard input).

    A device (``/dev/zero``) would be read until memory runs out and a FIFO with no writer
    blocks for ever, so neither is opened; a file that grows while read is cut at the bound.
    """
    if str(path) == "-":
        with click.open_file("-", "rb") as stdin:
            data = stdin.read(max_bytes + 1)
        return STDIN_NAME, _bounded(data, path, max_bytes)
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
    return path.name, _bounded(data, path, max_bytes)


def _bounded(data: bytes, path: Path, max_bytes: int | None = None) -> bytes:
    """Refuse input longer than the bound (it was read one byte past it to tell)."""
    if max_bytes is not None and len(data) > max_bytes:
        raise InputRefused(
            f"{path}: larger than {max_bytes // (1024 * 1024):,} MiB; split it, or raise "
            "--max-file-mb"
        )
    return data


def _option_pairs(pairs: tuple[str, ...]) -> dict[str, str]:
    """Split ``--option KEY=VALUE`` pairs, refusing one without ``=``."""
    options: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.UsageError(f"--option {pair!r}: write it as KEY=VALUE")
        options[key.strip()] = value
    return options


def _text_and_format(name: str, data: bytes, fmt: str) -> tuple[str, str]:
    """Decode a file in the encodings its format allows, and tell its format if ``auto``.

    Our own formats are UTF-8 only; a file that is not is refused (naming its line) rather than
    decoded by guesswork. An importer that declares another encoding (GED releases in cp1252)
    gets its file decoded in that one when UTF-8 fails.
    """
    try:
        text = data.decode("utf-8-sig")
        return text, fmt if fmt != Format.AUTO else recognise_format(name, text)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        refusal = InputRefused(
            f"{name}: line {line}: not UTF-8 (byte {error.start}); save it as UTF-8"
        )
    for encoding in ("cp1252",):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            file_format = fmt if fmt != Format.AUTO else recognise_format(name, text)
        except UnknownFormat:
            break
        if encoding in READERS[file_format].encodings:
            return text, file_format
    raise refusal


def _acknowledge(outcomes: list[RecordOutcome]) -> None:
    """Print each record's fate once its chunk has committed, and flush: a printed line is a
    promise that the record is stored."""
    for outcome in outcomes:
        click.echo(json.dumps(outcome.to_dict(), ensure_ascii=False))
    sys.stdout.flush()


def receipts_by_file(receipt: Receipt, names: list[str]) -> dict[str, Receipt]:
    """Split one intake receipt into one per input file, in the order the files were given."""
    by_file = {name: Receipt() for name in names}
    for record in receipt.records:
        by_file.setdefault(record.origin, Receipt()).records.append(record)
    return by_file


def print_receipts(context: Context, receipts: dict[str, Receipt]) -> None:
    """Print the per-file intake table, each refused record on stderr, and a summary line.

    ``ingest`` and ``demo`` both print this, so what a user sees after the demo is what they
    see after their own files.
    """
    table(
        context.out,
        "Intake",
        ("file", "accepted", "duplicate", "rejected"),
        [
            (name, r.count(Outcome.ACCEPTED), r.count(Outcome.DUPLICATE), r.count(Outcome.REJECTED))
            for name, r in receipts.items()
        ],
    )
    rejected = [record for r in receipts.values() for record in r.rejected]
    for record in rejected:
        say(
            context.err,
            "[red]✗[/] {origin}: {position}: {field}: {reason}",
            origin=record.origin,
            position=record.position,
            field=record.field,
            reason=record.reason,
        )
    for record in (record for r in receipts.values() for record in r.warned):
        for warning in record.warnings:
            say(
                context.err,
                "[yellow]![/] {origin}: {position}: {field}: {reason}",
                origin=record.origin,
                position=record.position,
                field=warning.field,
                reason=warning.reason,
            )
    records = [record for r in receipts.values() for record in r.records]
    accepted = sum(1 for r in records if r.outcome is Outcome.ACCEPTED)
    duplicate = sum(1 for r in records if r.outcome is Outcome.DUPLICATE)
    summary = f"{accepted} accepted, {duplicate} duplicate, {len(rejected)} rejected"
    if accepted == 0 and duplicate and not rejected:
        summary += " — everything here was already stored; nothing changed"
    elif rejected:
        summary += " (refused records are in quarantine: ceasefire quarantine)"
    say(context.err if not context.out.is_terminal else context.out, "{summary}", summary=summary)


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
    table(
        context.out,
        f"Quarantine ({len(items)})",
        ("id", "received at", "from", "where", "field", "reason"),
        [
            (item.id, item.received_at, item.origin, item.position, item.field, item.reason)
            for item in items
        ],
    )
