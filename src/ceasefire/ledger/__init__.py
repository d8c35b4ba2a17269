"""The tamper-evident ledger: an RFC 6962 Merkle log with C2SP signed checkpoints.

Every record the mission publishes is serialised canonically (:func:`entry_bytes`), hashed into a
leaf (:func:`leaf_hash`) and appended to a Merkle tree (:class:`Frontier`), whose complete
subtree hashes a store persists. The log periodically signs a :class:`Checkpoint` (size and root),
which witnesses cosign. Any party can then check, with nothing but the published checkpoints and
proofs, that a record is in the log (:func:`verify_inclusion`) and that the log only ever grew
(:func:`verify_consistency`).

Implementation lives in :mod:`~ceasefire.ledger.merkle`, :mod:`~ceasefire.ledger.canonical`,
:mod:`~ceasefire.ledger.keys`, :mod:`~ceasefire.ledger.note` and
:mod:`~ceasefire.ledger.checkpoint`; this module only re-exports their public names.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ceasefire._lazy import lazy_exports

_EXPORTS = {
    "ALG_ED25519": "ceasefire.ledger.keys",
    "Checkpoint": "ceasefire.ledger.checkpoint",
    "EMPTY_ROOT": "ceasefire.ledger.merkle",
    "Frontier": "ceasefire.ledger.merkle",
    "HASH_SIZE": "ceasefire.ledger.merkle",
    "MAX_SAFE_INTEGER": "ceasefire.ledger.canonical",
    "MAX_SIGNATURES": "ceasefire.ledger.note",
    "MAX_TREE_SIZE": "ceasefire.ledger.checkpoint",
    "MemoryNodes": "ceasefire.ledger.merkle",
    "Node": "ceasefire.ledger.merkle",
    "NodeKey": "ceasefire.ledger.merkle",
    "NodeReader": "ceasefire.ledger.merkle",
    "NoteSignature": "ceasefire.ledger.note",
    "ParsedNote": "ceasefire.ledger.note",
    "Signer": "ceasefire.ledger.keys",
    "Verifier": "ceasefire.ledger.keys",
    "add_signatures": "ceasefire.ledger.note",
    "canonical_bytes": "ceasefire.ledger.canonical",
    "consistency_proof": "ceasefire.ledger.merkle",
    "entry_bytes": "ceasefire.ledger.canonical",
    "generate_key": "ceasefire.ledger.keys",
    "inclusion_proof": "ceasefire.ledger.merkle",
    "key_id": "ceasefire.ledger.keys",
    "leaf_hash": "ceasefire.ledger.merkle",
    "load_signer": "ceasefire.ledger.keys",
    "load_verifier": "ceasefire.ledger.keys",
    "node_hash": "ceasefire.ledger.merkle",
    "open_note": "ceasefire.ledger.checkpoint",
    "parse_note": "ceasefire.ledger.note",
    "root_at": "ceasefire.ledger.merkle",
    "save_signer": "ceasefire.ledger.keys",
    "save_verifier": "ceasefire.ledger.keys",
    "sign": "ceasefire.ledger.checkpoint",
    "sign_note": "ceasefire.ledger.note",
    "verify_consistency": "ceasefire.ledger.merkle",
    "verify_inclusion": "ceasefire.ledger.merkle",
    "verify_note": "ceasefire.ledger.note",
}
__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)

if TYPE_CHECKING:
    from ceasefire.ledger.canonical import MAX_SAFE_INTEGER, canonical_bytes, entry_bytes
    from ceasefire.ledger.checkpoint import MAX_TREE_SIZE, Checkpoint, open_note, sign
    from ceasefire.ledger.keys import (
        ALG_ED25519,
        Signer,
        Verifier,
        generate_key,
        key_id,
        load_signer,
        load_verifier,
        save_signer,
        save_verifier,
    )
    from ceasefire.ledger.merkle import (
        EMPTY_ROOT,
        HASH_SIZE,
        Frontier,
        MemoryNodes,
        Node,
        NodeKey,
        NodeReader,
        consistency_proof,
        inclusion_proof,
        leaf_hash,
        node_hash,
        root_at,
        verify_consistency,
        verify_inclusion,
    )
    from ceasefire.ledger.note import (
        MAX_SIGNATURES,
        NoteSignature,
        ParsedNote,
        add_signatures,
        parse_note,
        sign_note,
        verify_note,
    )

__all__ = [
    "ALG_ED25519",
    "EMPTY_ROOT",
    "HASH_SIZE",
    "MAX_SAFE_INTEGER",
    "MAX_SIGNATURES",
    "MAX_TREE_SIZE",
    "Checkpoint",
    "Frontier",
    "MemoryNodes",
    "Node",
    "NodeKey",
    "NodeReader",
    "NoteSignature",
    "ParsedNote",
    "Signer",
    "Verifier",
    "add_signatures",
    "canonical_bytes",
    "consistency_proof",
    "entry_bytes",
    "generate_key",
    "inclusion_proof",
    "key_id",
    "leaf_hash",
    "load_signer",
    "load_verifier",
    "node_hash",
    "open_note",
    "parse_note",
    "root_at",
    "save_signer",
    "save_verifier",
    "sign",
    "sign_note",
    "verify_consistency",
    "verify_inclusion",
    "verify_note",
]
