"""Signed-note keys: ids per spec, string forms, parsing errors and key files."""

from __future__ import annotations

import base64
import hashlib
import stat
from pathlib import Path

import pytest

from ceasefire.errors import LedgerError
from ceasefire.ledger import (
    Signer,
    Verifier,
    generate_key,
    key_id,
    load_signer,
    load_verifier,
    save_signer,
    save_verifier,
)


def test_key_id_is_sha256_of_name_newline_alg_key() -> None:
    """The key id is the first 4 bytes of SHA-256(name || 0x0A || 0x01 || public key)."""
    public = bytes(range(32))
    digest = hashlib.sha256(b"log.example\n\x01" + public).digest()
    assert key_id("log.example", public) == int.from_bytes(digest[:4], "big")


def test_generate_key_forms() -> None:
    """Generated keys have the Go note string forms and match each other."""
    signer_text, verifier_text = generate_key("witness.example")
    name, hex_id, material = verifier_text.split("+", 2)  # base64 may itself hold "+"
    assert name == "witness.example"
    assert len(hex_id) == 8
    assert hex_id == hex_id.lower()
    assert base64.b64decode(material)[:1] == b"\x01"
    assert len(base64.b64decode(material)) == 33
    assert signer_text.startswith(f"PRIVATE+KEY+witness.example+{hex_id}+")
    signer = Signer.from_string(signer_text)
    assert signer.verifier() == Verifier.from_string(verifier_text)
    assert signer.to_string() == signer_text
    assert "PRIVATE" not in repr(signer)


def test_signature_verifies_only_for_its_message() -> None:
    """A signer's signature verifies for the signed message and not for another."""
    signer = Signer.from_string(generate_key("k")[0])
    signature = signer.sign(b"message")
    assert signer.verifier().verify(b"message", signature)
    assert not signer.verifier().verify(b"messagf", signature)
    assert not signer.verifier().verify(b"message", signature[:63])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("onlyname", "must have the form"),
        ("a+b+c+d", "8 hex"),
        ("a+b", "must have the form"),
        ("+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "name"),
        ("PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "8 hex"),
        ("PeterNeumann+c74f20a3+!!!!", "base64"),
        ("PeterNeumann+c74f20a3+ApBc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "0x01"),
        ("PeterNeumann+c74f20a3+ARpc", "0x01"),
        ("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"),
        ("PaulNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW", "does not match"),
    ],
)
def test_bad_verifier_strings(text: str, message: str) -> None:
    """Malformed verifier keys, and keys whose id does not match, are refused with the reason."""
    with pytest.raises(LedgerError, match=message):
        Verifier.from_string(text)


def test_bad_signer_strings() -> None:
    """A signer key must carry the PRIVATE+KEY+ prefix and a matching key id."""
    good = generate_key("k")[0]
    with pytest.raises(LedgerError, match="PRIVATE"):
        Signer.from_string(good.removeprefix("PRIVATE+KEY+"))
    prefix, rest = good[: len("PRIVATE+KEY+k+")], good[len("PRIVATE+KEY+k+") :]
    wrong_id = f"{(int(rest[:8], 16) ^ 1):08x}"
    with pytest.raises(LedgerError, match="does not match"):
        Signer.from_string(prefix + wrong_id + rest[8:])


@pytest.mark.parametrize("name", ["", "has space", "has+plus", "tab\there"])
def test_bad_key_names(name: str) -> None:
    """Key names may not be empty or hold white space or '+', which the forms use as delimiters."""
    with pytest.raises(LedgerError, match="key name"):
        generate_key(name)


def test_key_files_round_trip_with_private_mode(tmp_path: Path) -> None:
    """save_signer writes a 0600 file that load_signer reads back; verifiers likewise."""
    signer = Signer.from_string(generate_key("log")[0])
    path = tmp_path / "log.key"
    save_signer(path, signer)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().endswith("\n")
    assert load_signer(path).to_string() == signer.to_string()
    public = tmp_path / "log.pub"
    save_verifier(public, signer.verifier())
    assert load_verifier(public) == signer.verifier()


def test_save_signer_never_overwrites(tmp_path: Path) -> None:
    """An existing key file is never replaced: losing a log key ends the log's name."""
    path = tmp_path / "log.key"
    path.write_text("keep me")
    with pytest.raises(FileExistsError):
        save_signer(path, Signer.from_string(generate_key("log")[0]))
    assert path.read_text() == "keep me"


def test_load_errors_name_the_file(tmp_path: Path) -> None:
    """A malformed key file's error message starts with the file's path."""
    path = tmp_path / "bad.pub"
    path.write_text("garbage\n")
    with pytest.raises(LedgerError, match=r"bad\.pub: verifier key must have the form"):
        load_verifier(path)
    with pytest.raises(LedgerError, match=r"bad\.pub: signer key must start"):
        load_signer(path)
