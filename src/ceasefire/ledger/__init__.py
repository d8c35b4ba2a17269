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
