"""``ceasefire-verify``: the outsider's check of a published bundle, with nothing but the bundle.

Whoever receives a bundle (a party, a journalist, a court) runs this to see for themselves that
each record in it is in the mission's log at a signed checkpoint. It is deliberately small: it
imports the ledger and ``cryptography`` and nothing else of ``ceasefire`` (no CLI framework, no
geometry, no database), so it starts at once and can be read in an afternoon.

With ``--key`` (the keys the mission and its witnesses publish), every key given is required: one
line per key says whether it signed the checkpoint, and a key that did not sign fails the check.

Exit codes: 0 the bundle verifies; 1 it does not (each problem on stderr); 2 usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from ceasefire.errors import CeasefireError
from ceasefire.ledger.bundle import BundleCheck, check_bundle
from ceasefire.ledger.keys import Verifier, load_verifier

__all__ = ["main", "parser", "run_bundle_check"]

_EXAMPLE = "Example:\n    ceasefire-verify finding.json --key lead.pub --key witness.pub"


def run_bundle_check(file: Path, keys: Sequence[Path]) -> int:
    """Check a bundle file, print the outcome, and return the exit code (0 or 1)."""
    try:
        required = [load_verifier(path) for path in keys]
    except (OSError, UnicodeDecodeError) as error:
        print(f"refused: cannot read key file: {error}", file=sys.stderr)
        return 2
    except CeasefireError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 2
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
        result = check_bundle(document, required)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        print(f"refused: {file}: not a readable JSON bundle: {error}", file=sys.stderr)
        return 1
    except CeasefireError as error:
        print(f"refused: {error}", file=sys.stderr)
        return 1
    unsigned = _print_keys(required, result)
    _print_check(file, result, unsigned)
    return 0 if result.ok and not unsigned else 1


def _print_keys(required: Sequence[Verifier], result: BundleCheck) -> int:
    """Print one line per required key, signed or not; return how many did not sign.

    When the checkpoint failed as a whole (malformed, or no trusted signature), no key has a
    valid signature on it, and the problem line below says why.
    """
    unsigned = 0
    for key in required:
        if result.checkpoint is not None and key.name in result.signed_by:
            print(f"✓ {key.name} ({key.key_id:08x}) signed the checkpoint")
        else:
            unsigned += 1
            print(f"✗ {key.name} ({key.key_id:08x}) did not sign the checkpoint", file=sys.stderr)
    return unsigned


def _print_check(file: Path, result: BundleCheck, unsigned: int) -> None:
    for problem in result.problems:
        print(f"✗ {problem}", file=sys.stderr)
    if not result.ok or unsigned:
        count = len(result.problems) + (unsigned if result.checkpoint is not None else 0)
        print(f"{file}: FAILED ({count} problem(s))", file=sys.stderr)
        return
    assert result.checkpoint is not None
    print(
        f"{file}: OK: {len(result.verified)} record(s) are in the log "
        f"{result.checkpoint.origin} at size {result.checkpoint.size}, "
        f"signed by {', '.join(result.signed_by)}"
    )
    if result.keys_from_bundle:
        print(
            "note: checked with the keys inside the bundle; pass --key with the keys the "
            "mission and its witnesses publish to rule out a forged bundle"
        )


def parser() -> argparse.ArgumentParser:
    """Return the command's argument parser (its help is in ``docs/cli.md``)."""
    parser = argparse.ArgumentParser(
        prog="ceasefire-verify",
        description="Check a published bundle: the checkpoint's signatures and every record's "
        "inclusion proof, offline.",
        epilog=_EXAMPLE,
        # A fixed width, so the help (and docs/cli.md made from it) is the same in any terminal.
        formatter_class=lambda prog: argparse.RawDescriptionHelpFormatter(prog, width=100),
    )
    parser.add_argument("file", type=Path, help="the bundle (JSON)")
    parser.add_argument(
        "--key", dest="keys", type=Path, action="append", default=[], help="a trusted .pub file"
    )
    return parser


def main(argv: Sequence[str] | None = None) -> None:
    """Run ``ceasefire-verify``."""
    arguments = parser().parse_args(argv)
    raise SystemExit(run_bundle_check(arguments.file, arguments.keys))
