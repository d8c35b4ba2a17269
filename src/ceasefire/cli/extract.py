"""``ceasefire extract smm``: what the SMM-text reader reads from report text, storing nothing."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, refusals_exit_1
from ceasefire.errors import InputRefused

__all__ = ["extract"]


@cli.group()
def extract() -> None:
    """Read structured items out of narrative text without storing anything.

    \b
    Example:
        ceasefire extract smm osce_smm_daily_reports.jsonl --json
    """


@extract.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object per input line.")
@pass_context
@refusals_exit_1
def smm(context: Context, file: Path, as_json: bool) -> None:
    """Extract tallies, observations, weapons, restrictions and disengagement areas from SMM text.

    FILE is JSON Lines, one report per line with its text in "text" (and "title", "report_no"
    when known). A count the text does not state is null, never 0; every item keeps the
    character span of the text it came from (docs/smm-text.md states the limits).

    \b
    Example:
        ceasefire extract smm osce_smm_daily_report_summaries.jsonl --json
    """
    from ceasefire.intake.smm import extract_smm

    results = []
    for number, line in enumerate(_lines(file), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise InputRefused(f"{file.name}: line {number}: not valid JSON: {error.msg}") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise InputRefused(f"{file.name}: line {number}: text: must be an object with a 'text'")
        results.append(extract_smm(record, number).to_dict())
    if as_json:
        click.echo(json.dumps(results, ensure_ascii=False, indent=1))
        return
    for result in results:
        context.out.print(
            f"line {result['line']}: report {result['report_no'] or '?'}, period ending "
            f"{result['period_end'] or '?'}",
            highlight=False,
        )
        for tally in result["tallies"]:
            period = f" ({tally['period']})" if "period" in tally else ""
            context.out.print(
                f"  {tally['region']}{period}: {tally['ceasefire_violations']} violations, "
                f"{tally['explosions']} explosions (previous period "
                f"{tally['previous_ceasefire_violations']})",
                highlight=False,
            )
        counts = {key: len(result[key]) for key in ("observations", "weapons", "restrictions")}
        context.out.print(
            "  " + ", ".join(f"{n} {key}" for key, n in counts.items()), highlight=False
        )


def _lines(file: Path) -> list[str]:
    try:
        return file.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise InputRefused(f"{file.name}: not UTF-8; save it as UTF-8") from None
