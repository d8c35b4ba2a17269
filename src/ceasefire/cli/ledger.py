"""``ceasefire ledger …``: keygen, checkpoint, prove, verify, bundle and verify-bundle."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import click

from ceasefire.cli.main import Context, cli, pass_context, progress, refusals_exit_1

__all__ = ["ledger"]

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

    signer_text, verifier_text = generate_key(name)
    directory.mkdir(parents=True, exist_ok=True)
    save_signer(directory / f"{name}.key", Signer.from_string(signer_text))
    save_verifier(directory / f"{name}.pub", Verifier.from_string(verifier_text))
    context.out.print(f"wrote {directory / (name + '.key')} (keep it secret) and {name}.pub")
    context.out.print(f"public key: {verifier_text}", highlight=False)


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
    from ceasefire.ledger.keys import load_signer

    signers = [load_signer(path) for path in keys]
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
    """Print a record's inclusion proof against the latest checkpoint, as JSON.

    \b
    Example:
        ceasefire ledger prove r-c31fd537039741da6535ea19322e320b
    """
    from ceasefire.ledger.keeper import LogKeeper

    with context.store() as store:
        proof = LogKeeper(store, context.clock).prove(record_id)
    click.echo(
        json.dumps(
            {
                "kind": proof.entry.kind,
                "id": proof.entry.record_id,
                "leaf_index": proof.entry.leaf_index,
                "tree_size": proof.checkpoint.size,
                "leaf_hash": base64.b64encode(proof.leaf_hash).decode(),
                "proof": [base64.b64encode(step).decode() for step in proof.entry.proof],
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
    from ceasefire.ledger.keys import load_verifier

    verifiers = [load_verifier(path) for path in keys]
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
        context.err.print(f"[red]✗[/] {problem}", highlight=False)
    if not result.ok:
        context.err.print(f"[bold red]ledger verify failed:[/] {len(result.problems)} problem(s)")
        raise SystemExit(1)
    signatures = "signatures checked" if verifiers else "signatures not checked (no --key)"
    context.out.print(
        f"[green]✓[/] {result.size} records match their leaves; root "
        f"{result.root.hex()[:16]}…; {result.checkpoints_checked} checkpoint(s) consistent "
        f"({len(notes)} trusted from outside), "
        f"{signatures}",
        highlight=False,
    )


@ledger.command()
@click.argument("record_ids", nargs=-1, required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--key", "keys", type=_KEY_FILE, multiple=True, help="A .pub file to include.")
@pass_context
@refusals_exit_1
def bundle(
    context: Context, record_ids: tuple[str, ...], out: Path, keys: tuple[Path, ...]
) -> None:
    """Write records, their proofs and the signed checkpoint into a bundle anyone can check.

    \b
    Example:
        ceasefire ledger bundle r-c31f… r-9b65… --key ledger-keys/lead.pub --out finding.json
    """
    from ceasefire.ledger.keeper import LogKeeper
    from ceasefire.ledger.keys import load_verifier

    verifiers = [load_verifier(path) for path in keys]
    with context.store() as store:
        document = LogKeeper(store, context.clock).bundle(record_ids, verifiers)
    out.write_text(json.dumps(document, indent=1, ensure_ascii=False), encoding="utf-8")
    context.out.print(f"wrote {out}: {len(record_ids)} record(s) with proofs")


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
