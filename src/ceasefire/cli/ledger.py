"""``ceasefire ledger …``: keygen, checkpoint, checkpoints, prove, verify, bundle, verify-bundle.

Roots and hashes are shown as standard base64 (``render.digest``), as the checkpoints carry them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ceasefire.cli.ids import resolve_id
from ceasefire.cli.main import Context, cli, pass_context, progress, refusals_exit_1
from ceasefire.cli.render import digest, say, table
from ceasefire.errors import LedgerError

if TYPE_CHECKING:
    from ceasefire.ledger.keys import Signer, Verifier

__all__ = ["ledger", "private_key", "public_key"]

_KEY_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@cli.group()
def ledger() -> None:
    """Sign, prove and verify the tamper-evident record of every stored record.

    \b
    Example:
        ceasefire ledger verify
    """


@ledger.command()
@click.argument("name")
@click.option(
    "--dir",
    "directory",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("ledger-keys"),
    show_default=True,
    help="Where to write NAME.key (private, mode 0600) and NAME.pub.",
)
@pass_context
@refusals_exit_1
def keygen(context: Context, name: str, directory: Path) -> None:
    """Make an Ed25519 signing key for checkpoints (the lead nation's, or a witness's).

    \b
    Example:
        ceasefire ledger keygen lead-nation --dir ledger-keys
    """
    from ceasefire.ledger.keys import Signer, Verifier, generate_key, save_signer, save_verifier

    private, public = directory / f"{name}.key", directory / f"{name}.pub"
    for existing in (private, public):
        if existing.exists():
            raise LedgerError(
                f"{existing} already exists; a signing key is never overwritten (losing it ends "
                "checkpoints under its name): choose another name or --dir"
            )
    signer_text, verifier_text = generate_key(name)
    directory.mkdir(parents=True, exist_ok=True)
    save_signer(private, Signer.from_string(signer_text))
    save_verifier(public, Verifier.from_string(verifier_text))
    say(
        context.out, "wrote {private} (keep it secret) and {public}", private=private, public=public
    )
    say(context.out, "public key: {key}", key=verifier_text)


def private_key(path: Path) -> Signer:
    """Read a private (.key) file, saying so plainly when it is the public half instead."""
    from ceasefire.ledger.keys import load_signer

    try:
        return load_signer(path)
    except LedgerError:
        if _holds_public_key(path):
            raise LedgerError(
                f"{path} is a public key; signing needs the private key ({path.stem}.key)"
            ) from None
        raise


def public_key(path: Path) -> Verifier:
    """Read a public (.pub) file, refusing a private key without echoing any of it."""
    from ceasefire.ledger.keys import load_verifier

    if _read_text(path).startswith("PRIVATE+KEY+"):
        raise LedgerError(
            f"{path} is a private key; give the public key ({path.stem}.pub) and keep this secret"
        )
    return load_verifier(path)


def _holds_public_key(path: Path) -> bool:
    from ceasefire.ledger.keys import Verifier

    try:
        Verifier.from_string(_read_text(path).strip())
    except LedgerError:
        return False
    return True


def _read_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise LedgerError(f"{path} is not a key file (not UTF-8 text)") from None


@ledger.command()
@click.option("--key", "keys", type=_KEY_FILE, multiple=True, required=True, help="A .key file.")
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the signed note to this file, for the mission to publish.",
)
@pass_context
@refusals_exit_1
def checkpoint(context: Context, keys: tuple[Path, ...], out: Path | None) -> None:
    """Sign the log's current head with one or more keys and keep the checkpoint.

    Refuses to sign a head that is not consistent with the previous checkpoint, or under an
    origin other than the one the previous checkpoints carry. The note written with --out is
    what `ledger verify --checkpoint` later trusts.

    \b
    Example:
        ceasefire ledger checkpoint --key ledger-keys/lead.key --out published/checkpoint.txt
    """
    from ceasefire.ledger.keeper import LogKeeper

    signers = [private_key(path) for path in keys]
    with context.store() as store:
        stored = LogKeeper(store, context.clock).checkpoint(signers)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(stored.note)
    click.echo(stored.note.decode("utf-8"), nl=False)


@ledger.command()
@click.argument("record_id")
@pass_context
@refusals_exit_1
def prove(context: Context, record_id: str) -> None:
    """Print a record's inclusion proof as JSON (a unique id prefix is enough).

    The proof is against the checkpoint with the most signatures at the largest size.

    \b
    Example:
        ceasefire ledger prove r-c31fd537039741da6535ea19322e320b
    """
    from ceasefire.ledger.keeper import LogKeeper

    with context.store() as store:
        proof = LogKeeper(store, context.clock).prove(resolve_id(store, record_id))
    click.echo(
        json.dumps(
            {
                "kind": proof.entry.kind,
                "id": proof.entry.record_id,
                "leaf_index": proof.entry.leaf_index,
                "tree_size": proof.checkpoint.size,
                "leaf_hash": digest(proof.leaf_hash),
                "proof": [digest(step) for step in proof.entry.proof],
                "checkpoint": proof.checkpoint.note.decode("utf-8"),
            },
            indent=1,
        )
    )


@ledger.command()
@click.option("--key", "keys", type=_KEY_FILE, multiple=True, help="A .pub file to check with.")
@click.option(
    "--checkpoint",
    "trusted",
    type=_KEY_FILE,
    multiple=True,
    help="A signed checkpoint kept outside the store (published, or a witness's copy); the "
    "log must be consistent with it. Repeatable.",
)
@pass_context
@refusals_exit_1
def verify(context: Context, keys: tuple[Path, ...], trusted: tuple[Path, ...]) -> None:
    """Recompute the log from the stored records; name every record or checkpoint that fails.

    Exit code 1 if anything fails: a record whose stored form no longer matches its leaf, a
    column that no longer matches its record's document, a missing or reordered leaf or tree
    node, a record not in the log, a checkpoint not consistent with the log or signed under
    another origin, or a trusted checkpoint (--checkpoint) the log no longer extends. Without
    --checkpoint, a log cut back to before its last stored checkpoint cannot be told from one
    that never grew (see docs/ledger.md).

    \b
    Example:
        ceasefire ledger verify --key ledger-keys/lead.pub --checkpoint published/checkpoint.txt
    """
    from ceasefire.ledger.keeper import LogKeeper

    verifiers = [public_key(path) for path in keys]
    notes = [path.read_bytes() for path in trusted]
    with context.store() as store:
        size = store.ledger_size()
        with progress(context, "verifying", size, shown=size >= 20_000) as advance:

            def every_thousand(index: int) -> None:
                if index % 1000 == 999:  # the bar redraws per call; 10^6 calls would cost seconds
                    advance(1000)

            result = LogKeeper(store, context.clock).verify(
                verifiers, on_record=every_thousand, trusted=notes
            )
    for problem in result.problems:
        say(context.err, "[red]✗[/] {problem}", problem=problem)
    if not result.ok:
        say(
            context.err, "[bold red]ledger verify failed:[/] {n} problem(s)", n=len(result.problems)
        )
        raise SystemExit(1)
    if result.size == 0:
        say(context.out, "the log is empty: there is nothing to verify yet (ingest records first)")
        return
    signatures = "signatures checked" if verifiers else "signatures not checked (no --key)"
    say(
        context.out,
        "[green]✓[/] {size} records match their leaves; root {root}; {checked} checkpoint(s) "
        "consistent ({trusted} trusted from outside), {signatures}",
        size=result.size,
        root=digest(result.root),
        checked=result.checkpoints_checked,
        trusted=len(notes),
        signatures=signatures,
    )


@ledger.command()
@click.argument("record_ids", nargs=-1, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--key", "keys", type=_KEY_FILE, multiple=True, help="A .pub file to include.")
@click.option(
    "--checkpoint",
    "number",
    type=click.IntRange(min=1),
    help="Prove against checkpoint N of `ledger checkpoints` (default: the one with the most "
    "signatures at the largest size).",
)
@pass_context
@refusals_exit_1
def bundle(
    context: Context,
    record_ids: tuple[str, ...],
    out: Path,
    keys: tuple[Path, ...],
    number: int | None,
) -> None:
    """Write records, their proofs and a signed checkpoint into a bundle anyone can check.

    Record ids may be unique prefixes.

    \b
    Example:
        ceasefire ledger bundle r-c31f r-9b65 --key ledger-keys/lead.pub --out finding.json
    """
    from ceasefire.ledger.keeper import LogKeeper, signature_count

    verifiers = [public_key(path) for path in keys]
    with context.store() as store:
        keeper = LogKeeper(store, context.clock)
        chosen = keeper.best_checkpoint(number)
        full_ids = [resolve_id(store, given) for given in record_ids]
        document = keeper.bundle(full_ids, verifiers, chosen)
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    say(
        context.out,
        "wrote {out}: {n} record(s) with proofs against the checkpoint at size {size} "
        "({signatures} signature(s))",
        out=out,
        n=len(full_ids),
        size=chosen.size,
        signatures=signature_count(chosen),
    )


@ledger.command()
@pass_context
@refusals_exit_1
def checkpoints(context: Context) -> None:
    """List the signed checkpoints: number, size, root (base64), who signed, when.

    \b
    Example:
        ceasefire ledger checkpoints
    """
    from ceasefire.ledger.note import parse_note

    with context.store() as store:
        stored = store.checkpoints()
    table(
        context.out,
        f"Checkpoints ({len(stored)})",
        ("#", "size", "root", "signed by", "signed at"),
        [
            (
                number,
                c.size,
                digest(c.root),
                ", ".join(sig.name for sig in parse_note(c.note).signatures),
                c.created_at,
            )
            for number, c in enumerate(stored, start=1)
        ],
    )


@ledger.command("verify-bundle")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", "keys", type=_KEY_FILE, multiple=True, help="A trusted .pub file.")
@pass_context
@refusals_exit_1
def verify_bundle(context: Context, file: Path, keys: tuple[Path, ...]) -> None:
    """Check a bundle offline: the checkpoint's signatures and every record's proof.

    \b
    Example:
        ceasefire ledger verify-bundle finding.json --key lead.pub
    """
    from ceasefire.cli.verify import run_bundle_check

    raise SystemExit(run_bundle_check(file, keys))
