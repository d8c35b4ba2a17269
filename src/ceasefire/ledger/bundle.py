"""Evidence bundles: records with their inclusion proofs and the signed checkpoint they prove into.

A bundle is what the mission hands a party, a journalist or the commission so they can check,
with nothing else, that published records were not altered after they were logged. It is one
JSON object::

    {
      "format": "ceasefire-bundle/1",
      "checkpoint": "<the signed note, as text>",
      "public_keys": ["<name>+<key id hex>+<base64 key>", ...],
      "entries": [
        {"kind": "report", "id": "r-…", "body": {…}, "leaf_index": 12,
         "proof": ["<base64 hash>", …]}
      ]
    }

To check it, for each entry: rebuild the ledger entry (:func:`~ceasefire.ledger.entry_bytes`:
RFC 8785 JSON of kind, id and body), hash it into a leaf, and verify the RFC 6962 inclusion proof
against the checkpoint's size and root; and verify the checkpoint's signatures. The keys inside
the bundle are a convenience: a careful reader passes the keys the mission and the witnesses
publish elsewhere (``trusted``), so that a forged bundle with its own keys fails.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ceasefire.errors import CeasefireError, CheckpointInvalid
from ceasefire.ledger.canonical import entry_bytes
from ceasefire.ledger.checkpoint import Checkpoint, open_note
from ceasefire.ledger.keys import Verifier
from ceasefire.ledger.merkle import leaf_hash, verify_inclusion

__all__ = ["BUNDLE_FORMAT", "BundleCheck", "BundleEntry", "bundle_document", "check_bundle"]

BUNDLE_FORMAT = "ceasefire-bundle/1"


@dataclass(frozen=True, slots=True)
class BundleEntry:
    """One record in a bundle with its place in the log and its proof."""

    kind: str
    record_id: str
    body: dict[str, Any]
    leaf_index: int
    proof: tuple[bytes, ...]


def bundle_document(
    note: bytes, public_keys: Sequence[Verifier], entries: Sequence[BundleEntry]
) -> dict[str, Any]:
    """Return the JSON form of a bundle."""
    return {
        "format": BUNDLE_FORMAT,
        "checkpoint": note.decode("utf-8"),
        "public_keys": [key.to_string() for key in public_keys],
        "entries": [
            {
                "kind": entry.kind,
                "id": entry.record_id,
                "body": entry.body,
                "leaf_index": entry.leaf_index,
                "proof": [base64.b64encode(step).decode("ascii") for step in entry.proof],
            }
            for entry in entries
        ],
    }


@dataclass(slots=True)
class BundleCheck:
    """The outcome of checking a bundle.

    Args:
        checkpoint: the checkpoint the entries were proved into, if its form was valid.
        signed_by: names of the keys whose signatures verified.
        keys_from_bundle: True when no trusted keys were given and the bundle's own were used.
        verified: ids of the entries whose proofs verified.
        problems: everything that failed, in words.
    """

    checkpoint: Checkpoint | None = None
    signed_by: list[str] = field(default_factory=list)
    keys_from_bundle: bool = False
    verified: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when the signature and every proof verified."""
        return not self.problems and self.checkpoint is not None


def check_bundle(document: Any, trusted: Sequence[Verifier] = ()) -> BundleCheck:
    """Check a bundle with nothing but its content and, preferably, independently held keys.

    Args:
        document: the parsed bundle JSON.
        trusted: keys obtained elsewhere; without them the bundle's own keys are used, which
            proves only that the bundle is internally consistent.
    """
    result = BundleCheck()
    if not isinstance(document, dict) or document.get("format") != BUNDLE_FORMAT:
        result.problems.append(f"not a {BUNDLE_FORMAT} document")
        return result
    verifiers = list(trusted)
    if not verifiers:
        result.keys_from_bundle = True
        try:
            verifiers = [Verifier.from_string(key) for key in document.get("public_keys") or []]
        except CeasefireError as error:
            result.problems.append(f"public_keys: {error}")
            return result
    try:
        note = str(document.get("checkpoint") or "").encode("utf-8")
        result.checkpoint, result.signed_by = open_note(note, verifiers)
    except (CeasefireError, ValueError) as error:
        result.problems.append(f"checkpoint: {error}")
        return result
    entries = document.get("entries")
    if not isinstance(entries, list) or not entries:
        result.problems.append("entries: the bundle holds no records")
        return result
    for position, entry in enumerate(entries):
        _check_entry(position, entry, result.checkpoint, result)
    return result


def _check_entry(position: int, entry: Any, checkpoint: Checkpoint, result: BundleCheck) -> None:
    label = f"entries[{position}]"
    try:
        if not isinstance(entry, dict):
            raise CheckpointInvalid("must be an object")
        kind, record_id, body = entry.get("kind"), entry.get("id"), entry.get("body")
        index = entry.get("leaf_index")
        if not isinstance(kind, str) or not isinstance(record_id, str):
            raise CheckpointInvalid("needs a kind and an id")
        if not isinstance(body, dict) or not isinstance(index, int) or isinstance(index, bool):
            raise CheckpointInvalid("needs a body object and an integer leaf_index")
        label = f"{label} ({kind} {record_id})"
        proof = [base64.b64decode(step, validate=True) for step in entry.get("proof") or []]
        leaf = leaf_hash(entry_bytes(kind, record_id, body))
        verify_inclusion(index, checkpoint.size, leaf, proof, checkpoint.root)
    except (CeasefireError, binascii.Error, TypeError) as error:
        result.problems.append(f"{label}: {error}")
        return
    result.verified.append(record_id)
