"""Ed25519 signing keys for signed notes, in the C2SP ``signed-note`` / Go ``note`` string forms.

Each party that signs checkpoints (the lead nation's log, every witness) holds one signer key and
publishes the matching verifier key. The string forms are those of Go's
``golang.org/x/mod/sumdb/note`` (which C2SP ``signed-note`` describes), so keys made here work with
Go tooling and the other way round:

* verifier key: ``<name>+<key id, 8 lowercase hex digits>+<base64(0x01 || 32-byte public key)>``
* signer key: ``PRIVATE+KEY+<name>+<key id>+<base64(0x01 || 32-byte Ed25519 seed)>``
* key id: the first 4 bytes, big-endian, of ``SHA-256(name || 0x0A || 0x01 || public key)``;
  ``0x01`` is the Ed25519 algorithm byte. The id lets a verifier find the right key when one name
  has several (key rotation) without trying each.
* a key name is non-empty UTF-8 with no white space and no ``+`` (they delimit the forms above).

Only algorithm 0x01 (plain Ed25519) is supported; C2SP's other algorithms (timestamped
cosignatures, ML-DSA) are refused when parsing keys and ignored as unknown when opening notes.
Base64 is the standard alphabet with padding, as Go's ``base64.StdEncoding``.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from ceasefire.errors import LedgerError

__all__ = [
    "ALG_ED25519",
    "Signer",
    "Verifier",
    "generate_key",
    "key_id",
    "load_signer",
    "load_verifier",
    "save_signer",
    "save_verifier",
]

ALG_ED25519 = 0x01
"""Signed-note algorithm byte for Ed25519."""

_PRIVATE_PREFIX = "PRIVATE+KEY+"


def b64decode_strict(text: str) -> bytes:
    """Decode standard padded base64, refusing anything outside the alphabet (incl. white space).

    Raises:
        ValueError: not valid standard base64.
    """
    try:
        return base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError) as error:
        raise ValueError(f"not valid base64: {error}") from error


def b64encode(data: bytes) -> str:
    """Encode bytes as standard padded base64 text."""
    return base64.b64encode(data).decode("ascii")


def is_valid_name(name: str) -> bool:
    """Tell whether ``name`` can be a key name: non-empty, no white space, no ``+``."""
    return bool(name) and "+" not in name and not any(ch.isspace() for ch in name)


def key_id(name: str, public_key: bytes) -> int:
    """Compute the signed-note key id of an Ed25519 key.

    Args:
        name: the key name.
        public_key: the raw 32-byte Ed25519 public key (without the algorithm byte).

    Returns:
        The first four bytes of ``SHA-256(name || "\\n" || 0x01 || public_key)`` as a
        big-endian unsigned integer; it binds the name to the key, so a signature line cannot be
        moved to another name.
    """
    digest = hashlib.sha256(
        name.encode("utf-8") + b"\n" + bytes([ALG_ED25519]) + public_key
    ).digest()
    return int.from_bytes(digest[:4], "big")


def _raw_public(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(Encoding.Raw, PublicFormat.Raw)


def _split_key(parts: list[str], form: str) -> tuple[str, int, bytes]:
    """Check the ``name+id+base64`` fields shared by both forms and return them decoded."""
    if len(parts) != 3:
        raise LedgerError(f"{form} key must have the form <name>+<key id>+<base64 key>")
    name, hex_id, key64 = parts
    if not is_valid_name(name):
        raise LedgerError(f"{form} key name {name!r} is empty or has white space")
    if len(hex_id) != 8 or any(ch not in "0123456789abcdefABCDEF" for ch in hex_id):
        raise LedgerError(f"{form} key id {hex_id!r} is not 8 hex digits")
    try:
        raw = b64decode_strict(key64)
    except ValueError as error:
        raise LedgerError(f"{form} key material: {error}") from error
    if len(raw) != 33 or raw[0] != ALG_ED25519:
        raise LedgerError(
            f"{form} key material must be 0x01 (Ed25519) followed by 32 bytes,"
            f" got {len(raw)} bytes starting {raw[:1].hex() or 'with nothing'}"
        )
    return name, int(hex_id, 16), raw[1:]


class Verifier:
    """A public key that can check signed-note signatures made by one named signer.

    Args:
        name: the key name that appears on signature lines.
        public_key: the raw 32-byte Ed25519 public key.

    Raises:
        LedgerError: the name is not a valid key name or the key is not 32 bytes.
    """

    __slots__ = ("_key", "key_id", "name", "public_key")

    def __init__(self, name: str, public_key: bytes) -> None:
        if not is_valid_name(name):
            raise LedgerError(f"key name {name!r} is empty or has white space or '+'")
        if len(public_key) != 32:
            raise LedgerError(f"an Ed25519 public key is 32 bytes, got {len(public_key)}")
        self.name = name
        self.public_key = bytes(public_key)
        self.key_id = key_id(name, self.public_key)
        self._key = Ed25519PublicKey.from_public_bytes(self.public_key)

    @classmethod
    def from_string(cls, text: str) -> Verifier:
        """Parse a verifier key string ``<name>+<hex id>+<base64(0x01 || key)>``.

        Raises:
            LedgerError: the string is malformed, or its key id does not match its name and key
                (a typo or a substituted key).
        """
        name, claimed, public = _split_key(text.split("+", 2), "verifier")
        verifier = cls(name, public)
        if verifier.key_id != claimed:
            raise LedgerError(
                f"verifier key {name}: key id {claimed:08x} does not match the key"
                f" (computed {verifier.key_id:08x})"
            )
        return verifier

    def to_string(self) -> str:
        """Return the verifier key string, for publishing and for :meth:`from_string`."""
        material = b64encode(bytes([ALG_ED25519]) + self.public_key)
        return f"{self.name}+{self.key_id:08x}+{material}"

    def verify(self, message: bytes, signature: bytes) -> bool:
        """Tell whether ``signature`` (64 bytes, without key id) is this key's over ``message``."""
        try:
            self._key.verify(signature, message)
        except InvalidSignature:
            return False
        return True

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Verifier)
            and self.name == other.name
            and self.public_key == other.public_key
        )

    def __hash__(self) -> int:
        return hash((self.name, self.public_key))

    def __repr__(self) -> str:
        return f"Verifier({self.to_string()!r})"


class Signer:
    """A private key that signs notes under a name.

    Args:
        name: the key name to put on signature lines.
        private_key: the Ed25519 private key.

    Raises:
        LedgerError: the name is not a valid key name.
    """

    __slots__ = ("_key", "key_id", "name")

    def __init__(self, name: str, private_key: Ed25519PrivateKey) -> None:
        if not is_valid_name(name):
            raise LedgerError(f"key name {name!r} is empty or has white space or '+'")
        self.name = name
        self._key = private_key
        self.key_id = key_id(name, _raw_public(private_key.public_key()))

    @classmethod
    def from_string(cls, text: str) -> Signer:
        """Parse a signer key string ``PRIVATE+KEY+<name>+<hex id>+<base64(0x01 || seed)>``.

        Raises:
            LedgerError: the string is malformed, or its key id does not match the key it holds.
        """
        if not text.startswith(_PRIVATE_PREFIX):
            raise LedgerError("signer key must start with PRIVATE+KEY+")
        # maxsplit 2: standard base64 uses "+" too, so only the first two "+" delimit.
        parts = text[len(_PRIVATE_PREFIX) :].split("+", 2)
        name, claimed, seed = _split_key(parts, "signer")
        signer = cls(name, Ed25519PrivateKey.from_private_bytes(seed))
        if signer.key_id != claimed:
            raise LedgerError(
                f"signer key {name}: key id {claimed:08x} does not match the key"
                f" (computed {signer.key_id:08x})"
            )
        return signer

    def to_string(self) -> str:
        """Return the signer key string. It is a secret: store it with :func:`save_signer`."""
        material = b64encode(bytes([ALG_ED25519]) + self._key.private_bytes_raw())
        return f"{_PRIVATE_PREFIX}{self.name}+{self.key_id:08x}+{material}"

    def verifier(self) -> Verifier:
        """Return the matching public :class:`Verifier`."""
        return Verifier(self.name, _raw_public(self._key.public_key()))

    def sign(self, message: bytes) -> bytes:
        """Return the 64-byte Ed25519 signature of ``message``."""
        return self._key.sign(message)

    def __repr__(self) -> str:
        # Never show the seed: reprs end up in logs.
        return f"Signer(name={self.name!r}, key_id={self.key_id:08x})"


def generate_key(name: str) -> tuple[str, str]:
    """Create a new Ed25519 key pair for a signer.

    Args:
        name: the key name, e.g. ``ceasefire.example/log`` or a witness's name.

    Returns:
        ``(signer key string, verifier key string)``. Keep the first secret; publish the second.

    Raises:
        LedgerError: ``name`` is empty or has white space or ``+``.
    """
    signer = Signer(name, Ed25519PrivateKey.generate())
    return signer.to_string(), signer.verifier().to_string()


def save_signer(path: str | os.PathLike[str], signer: Signer) -> None:
    """Write a signer key to a new file readable only by its owner (mode 0600).

    The file is created exclusively so an existing key is never overwritten: losing a log's
    signing key means no more checkpoints under that name.

    Args:
        path: where to write; must not exist.
        signer: the key to write.

    Raises:
        FileExistsError: ``path`` already exists.
    """
    data = (signer.to_string() + "\n").encode("utf-8")
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        # The mode given to open() is masked by the umask; set it explicitly.
        if hasattr(os, "fchmod"):
            os.fchmod(descriptor, 0o600)
        os.write(descriptor, data)
    finally:
        os.close(descriptor)


def _read_key(path: str | os.PathLike[str]) -> str:
    text = Path(path).read_text(encoding="utf-8")
    # One trailing newline is what the savers write and what editors add.
    return text.removesuffix("\n").removesuffix("\r")


def load_signer(path: str | os.PathLike[str]) -> Signer:
    """Read a signer key written by :func:`save_signer` (or by Go's note tooling).

    Raises:
        LedgerError: the file does not hold a valid signer key (the message names the file).
        OSError: the file cannot be read.
    """
    try:
        return Signer.from_string(_read_key(path))
    except LedgerError as error:
        raise LedgerError(f"{os.fspath(path)}: {error}") from error


def save_verifier(path: str | os.PathLike[str], verifier: Verifier) -> None:
    """Write a verifier key to a file (it is public; existing files are replaced).

    Args:
        path: where to write.
        verifier: the key to write.
    """
    Path(path).write_text(verifier.to_string() + "\n", encoding="utf-8")


def load_verifier(path: str | os.PathLike[str]) -> Verifier:
    """Read a verifier key written by :func:`save_verifier`.

    Raises:
        LedgerError: the file does not hold a valid verifier key (the message names the file).
        OSError: the file cannot be read.
    """
    try:
        return Verifier.from_string(_read_key(path))
    except LedgerError as error:
        raise LedgerError(f"{os.fspath(path)}: {error}") from error
