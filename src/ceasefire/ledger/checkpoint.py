"""Checkpoints (C2SP ``tlog-checkpoint``): a log's signed statement of its size and root hash.

A checkpoint commits the log to one tree: once the lead nation's log and a witness have signed
"the log ``origin`` had ``size`` entries with root ``root``", any later checkpoint must be
provably consistent with it, or the log has been caught rewriting history. Its body is::

    <origin>\\n
    <size, ASCII decimal>\\n
    <base64 of the 32-byte RFC 6962 root hash>\\n
    [<extension line>\\n ...]

and it travels as a signed note (see :mod:`ceasefire.ledger.note`). What this module enforces,
beyond the spec's "MUST"s, to keep one checkpoint to one byte string:

* origin: non-empty, no control characters (the spec recommends a schema-less URL);
* size: ``0`` or digits without a leading zero, no sign, at most 2**64 - 1;
* root: standard padded base64 of exactly 32 bytes;
* extension lines (discouraged by the spec, kept for interoperability): non-empty, so the body
  never contains a blank line, which would be mistaken for the note's signature separator.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ceasefire.errors import CheckpointInvalid
from ceasefire.ledger.keys import Signer, Verifier, b64decode_strict, b64encode
from ceasefire.ledger.merkle import HASH_SIZE
from ceasefire.ledger.note import parse_note, sign_note, verify_note

__all__ = ["MAX_TREE_SIZE", "Checkpoint", "open_note", "sign"]

MAX_TREE_SIZE = 2**64 - 1
"""Largest tree size a checkpoint may state (an unsigned 64-bit integer, as Go readers parse)."""

_DECIMAL = re.compile(r"0|[1-9][0-9]*")


def _check_line(value: str, what: str, line: int | str) -> None:
    if not value:
        raise CheckpointInvalid(f"line {line}: {what} is empty")
    for char in value:
        if char < " ":
            raise CheckpointInvalid(
                f"line {line}: {what} holds control character U+{ord(char):04X}"
            )


@dataclass(frozen=True, slots=True)
class Checkpoint:
    """A log's tree head: where it is, how many entries, and the root hash over them.

    Args:
        origin: the log's unique name, e.g. ``ceasefire.example/log``; first line of the body.
        size: number of entries in the tree.
        root: RFC 6962 root hash of those entries, 32 bytes.
        extensions: optional extra body lines, each non-empty.

    Raises:
        CheckpointInvalid: a field cannot be written as a valid checkpoint line.
    """

    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_line(self.origin, "origin", 1)
        if isinstance(self.size, bool) or not 0 <= self.size <= MAX_TREE_SIZE:
            raise CheckpointInvalid(f"line 2: tree size {self.size} is not in 0..2**64-1")
        if len(self.root) != HASH_SIZE:
            raise CheckpointInvalid(
                f"line 3: root hash is {len(self.root)} bytes, SHA-256 gives {HASH_SIZE}"
            )
        # Accept any sequence from callers but store a tuple, so the checkpoint stays hashable.
        object.__setattr__(self, "extensions", tuple(self.extensions))
        for offset, extension in enumerate(self.extensions):
            _check_line(extension, "extension line", 4 + offset)

    def body(self) -> bytes:
        """Return the checkpoint body: the exact bytes that are signed."""
        lines = [self.origin, str(self.size), b64encode(self.root), *self.extensions]
        return "".join(line + "\n" for line in lines).encode("utf-8")

    @classmethod
    def from_body(cls, body: bytes) -> Checkpoint:
        """Parse a checkpoint body (the text of a signed note).

        Args:
            body: the body bytes, ending in a newline.

        Returns:
            The checkpoint; ``from_body(c.body()) == c`` always holds.

        Raises:
            CheckpointInvalid: the body is malformed; the message names the line and the fault.
        """
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as error:
            raise CheckpointInvalid("checkpoint body is not valid UTF-8") from error
        if not text.endswith("\n"):
            raise CheckpointInvalid(
                f"line {text.count(chr(10)) + 1}: checkpoint body must end with a newline"
            )
        lines = text[:-1].split("\n")
        if len(lines) < 3:
            names = ("origin", "tree size", "root hash")
            raise CheckpointInvalid(
                f"line {len(lines) + 1}: {names[len(lines)]} line is missing; a checkpoint"
                " body is origin, tree size and root hash, one per line"
            )
        origin, size_text, root_text, *extensions = lines
        _check_line(origin, "origin", 1)
        if not _DECIMAL.fullmatch(size_text):
            raise CheckpointInvalid(
                f"line 2: tree size {size_text!r} is not a decimal number"
                " (digits only, no sign, no leading zero)"
            )
        size = int(size_text)
        if size > MAX_TREE_SIZE:
            raise CheckpointInvalid(f"line 2: tree size {size_text} exceeds 2**64-1")
        try:
            root = b64decode_strict(root_text)
        except ValueError as error:
            raise CheckpointInvalid(f"line 3: root hash {root_text!r} is {error}") from error
        if len(root) != HASH_SIZE:
            raise CheckpointInvalid(
                f"line 3: root hash is {len(root)} bytes, SHA-256 gives {HASH_SIZE}"
            )
        return cls(origin, size, root, tuple(extensions))


def sign(checkpoint: Checkpoint, signers: Sequence[Signer]) -> bytes:
    """Sign a checkpoint as a note, with every given key.

    Args:
        checkpoint: the tree head to sign. Never sign one inconsistent with an earlier
            checkpoint of the same origin: that is exactly the fork witnesses exist to expose.
        signers: the keys, in line order (e.g. the lead nation's log key, then a witness's).

    Returns:
        The signed note bytes, ready to publish.

    Raises:
        ValueError: ``signers`` is empty.
    """
    return sign_note(checkpoint.body(), signers)


def open_note(
    note: bytes, verifiers: Sequence[Verifier], required: Collection[str] = ()
) -> tuple[Checkpoint, list[str]]:
    """Parse a signed checkpoint and check its signatures.

    The whole form is checked before any signature, so a malformed note is reported as
    malformed whichever keys the reader holds.

    Args:
        note: the signed note bytes.
        verifiers: the trusted keys; signatures by other keys are ignored, as the spec requires.
        required: key names that must all have signed (e.g. ``{"log", "witness-a"}``); by
            default any one trusted signature suffices.

    Returns:
        The checkpoint and the names of the trusted keys that signed it.

    Raises:
        CheckpointInvalid: the note or the checkpoint body is malformed (line and reason given).
        SignatureInvalid: no trusted key signed, a trusted key's signature fails (the body was
            altered or the signature forged), or a required key did not sign.
        ValueError: a required name is not among ``verifiers``.
    """
    parsed = parse_note(note)
    checkpoint = Checkpoint.from_body(parsed.text)
    names = verify_note(parsed, verifiers, required)
    return checkpoint, names
