"""Signed notes (C2SP ``signed-note``): a text plus signature lines from one or more keys.

A signed note is how a checkpoint travels: the lead nation's log signs it, each witness adds its
own signature line (cosigning), and a reader trusts it if the keys it cares about signed it. The
form, as in C2SP ``signed-note`` and Go's ``golang.org/x/mod/sumdb/note``::

    <text: one or more lines, each ending in "\\n">
    <blank line>
    — <key name> <base64(4-byte big-endian key id || signature)>
    — ...

* The text and the whole note are UTF-8 with no control characters other than newline.
* The signature block is everything after the *last* blank line; it must be non-empty and
  end in a newline. Each line starts with U+2014 EM DASH and a space.
* The signature covers the text bytes, including its final newline, not the blank line.
* Signatures from keys the reader does not know are ignored, so witnesses can be added and keys
  rotated without breaking old readers; but at least one known key must have signed, and a known
  key's signature that fails to verify is an error, never skipped. Repeated signatures by the same
  key are ignored. At most 100 signature lines are read (as Go does) so a hostile note cannot make
  a reader spin.

Line numbers in error messages count from 1 over the whole note.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from ceasefire.errors import CheckpointInvalid, SignatureInvalid
from ceasefire.ledger.keys import Signer, Verifier, b64decode_strict, b64encode, is_valid_name

__all__ = [
    "MAX_SIGNATURES",
    "NoteSignature",
    "ParsedNote",
    "add_signatures",
    "parse_note",
    "sign_note",
    "verify_note",
]

MAX_SIGNATURES = 100
"""Most signature lines a note may carry (the Go reader's limit)."""

_SIG_PREFIX = "— "


@dataclass(frozen=True, slots=True)
class NoteSignature:
    """One signature line of a note, parsed but not verified.

    Args:
        name: the key name on the line.
        key_id: the 4-byte key id, as a big-endian integer.
        signature: the signature bytes after the key id (64 for Ed25519).
        line: the 1-based line number in the note, for error messages.
    """

    name: str
    key_id: int
    signature: bytes
    line: int


@dataclass(frozen=True, slots=True)
class ParsedNote:
    """A signed note split into its text and signature lines.

    Args:
        text: the signed text, ending in a newline.
        signatures: the signature lines, in order.
    """

    text: bytes
    signatures: tuple[NoteSignature, ...]


def _check_text_characters(data: bytes, what: str) -> str:
    """Decode ``data`` as UTF-8 free of control characters except newline."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise CheckpointInvalid(f"line {line}: {what} is not valid UTF-8") from error
    for position, char in enumerate(text):
        if char < " " and char != "\n":
            line = text[:position].count("\n") + 1
            raise CheckpointInvalid(
                f"line {line}: {what} holds control character U+{ord(char):04X};"
                " only newline is allowed"
            )
    return text


def _check_note_text(text: bytes) -> None:
    _check_text_characters(text, "note text")
    if not text.endswith(b"\n"):
        raise CheckpointInvalid("note text must end with a newline")
    if text.startswith(b"\n") or b"\n\n" in text:
        # The reader splits at the last blank line; a blank line in the text would be misread.
        line = 1 if text.startswith(b"\n") else text.count(b"\n", 0, text.index(b"\n\n") + 1) + 1
        raise CheckpointInvalid(f"line {line}: note text must not contain a blank line")


def parse_note(note: bytes) -> ParsedNote:
    """Split a signed note into text and signature lines, checking the form only.

    Args:
        note: the whole note.

    Returns:
        The text and the parsed signature lines; nothing is verified yet.

    Raises:
        CheckpointInvalid: the note is not in signed-note form (the message gives the line).
    """
    text_all = _check_text_characters(note, "note")
    split = text_all.rfind("\n\n")
    if split < 0:
        raise CheckpointInvalid(
            "no blank line: a signed note is text, a blank line, then signature lines"
        )
    text, block = text_all[: split + 1], text_all[split + 2 :]
    first_sig_line = text.count("\n") + 2
    if not block:
        raise CheckpointInvalid(f"line {first_sig_line}: no signature lines after the blank line")
    if not block.endswith("\n"):
        line = first_sig_line + block.count("\n")
        raise CheckpointInvalid(f"line {line}: the last signature line does not end in a newline")
    lines = block[:-1].split("\n")
    if len(lines) > MAX_SIGNATURES:
        raise CheckpointInvalid(f"{len(lines)} signature lines; at most {MAX_SIGNATURES} are read")
    signatures = tuple(
        _parse_signature_line(line, first_sig_line + offset) for offset, line in enumerate(lines)
    )
    return ParsedNote(text.encode("utf-8"), signatures)


def _parse_signature_line(line: str, number: int) -> NoteSignature:
    if not line.startswith(_SIG_PREFIX):
        raise CheckpointInvalid(
            f"line {number}: a signature line starts with an em dash (U+2014) and a space"
        )
    name, space, b64 = line[len(_SIG_PREFIX) :].partition(" ")
    if not space or not b64:
        raise CheckpointInvalid(f"line {number}: expected '— <key name> <base64 signature>'")
    if not is_valid_name(name):
        raise CheckpointInvalid(f"line {number}: key name {name!r} is empty or has '+'")
    try:
        raw = b64decode_strict(b64)
    except ValueError as error:
        raise CheckpointInvalid(f"line {number}: signature {error}") from error
    if len(raw) < 5:
        raise CheckpointInvalid(
            f"line {number}: signature is {len(raw)} bytes; it needs a 4-byte key id and more"
        )
    return NoteSignature(name, int.from_bytes(raw[:4], "big"), raw[4:], number)


def sign_note(text: bytes, signers: Sequence[Signer]) -> bytes:
    """Sign a text with one or more keys.

    Args:
        text: the note text: UTF-8, ending in a newline, no blank lines, no control characters.
        signers: the keys to sign with, in the order their lines should appear (e.g. the log,
            then its witnesses).

    Returns:
        The signed note: text, blank line, one signature line per signer.

    Raises:
        CheckpointInvalid: ``text`` is not valid note text.
        ValueError: ``signers`` is empty (an unsigned note cannot be opened).
    """
    if not signers:
        raise ValueError("at least one signer is needed")
    _check_note_text(text)
    return text + b"\n" + _signature_lines(text, signers)


def _signature_lines(text: bytes, signers: Sequence[Signer]) -> bytes:
    lines = []
    for signer in signers:
        payload = signer.key_id.to_bytes(4, "big") + signer.sign(text)
        lines.append(f"{_SIG_PREFIX}{signer.name} {b64encode(payload)}\n")
    return "".join(lines).encode("utf-8")


def add_signatures(note: bytes, signers: Sequence[Signer]) -> bytes:
    """Add signature lines to an already signed note (cosigning), keeping the existing ones.

    A witness should verify the note (and its consistency with what it saw before) before
    calling this; adding a signature is an endorsement.

    Args:
        note: a signed note in valid form.
        signers: the keys to add.

    Returns:
        The note with one more signature line per signer, after the existing lines.

    Raises:
        CheckpointInvalid: ``note`` is not a signed note.
    """
    parsed = parse_note(note)
    return note + _signature_lines(parsed.text, signers)


def verify_note(
    parsed: ParsedNote, verifiers: Sequence[Verifier], required: Collection[str] = ()
) -> list[str]:
    """Check a parsed note's signatures against the trusted keys.

    Args:
        parsed: the note, from :func:`parse_note`.
        verifiers: the trusted keys. Signatures by any other (name, key id) are ignored.
        required: key names that must all have signed (e.g. the lead nation's log and one
            witness); empty means "any one trusted key".

    Returns:
        The names of the trusted keys whose signatures verified, in note order, each once.

    Raises:
        SignatureInvalid: a trusted key's signature fails, no trusted key signed, or a required
            key did not sign.
        ValueError: a required name is not among ``verifiers``, so it could never be met.
    """
    known = {(v.name, v.key_id): v for v in verifiers}
    missing_keys = set(required) - {v.name for v in verifiers}
    if missing_keys:
        raise ValueError(f"required keys not among the verifiers: {sorted(missing_keys)}")
    verified: list[str] = []
    seen: set[tuple[str, int]] = set()
    for sig in parsed.signatures:
        verifier = known.get((sig.name, sig.key_id))
        if verifier is None or (sig.name, sig.key_id) in seen:
            continue
        seen.add((sig.name, sig.key_id))
        if not verifier.verify(parsed.text, sig.signature):
            raise SignatureInvalid(
                f"line {sig.line}: the signature of {sig.name} (key {sig.key_id:08x})"
                " does not verify; the note was altered or forged"
            )
        if sig.name not in verified:
            verified.append(sig.name)
    if not verified:
        names = ", ".join(f"{s.name}+{s.key_id:08x}" for s in parsed.signatures)
        raise SignatureInvalid(f"no trusted key signed the note (signed by: {names})")
    absent = [name for name in required if name not in verified]
    if absent:
        raise SignatureInvalid(f"required signatures missing: {', '.join(sorted(absent))}")
    return verified
