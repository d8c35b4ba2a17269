"""Checkpoints as C2SP signed notes: signing, opening, malformed forms and signature failures."""

from __future__ import annotations

import base64

import pytest

from ceasefire.errors import CheckpointInvalid, SignatureInvalid
from ceasefire.ledger import (
    Checkpoint,
    Signer,
    Verifier,
    add_signatures,
    generate_key,
    leaf_hash,
    open_note,
    parse_note,
    sign,
    sign_note,
    verify_note,
)

ROOT = leaf_hash(b"root stand-in")
ROOT64 = base64.b64encode(ROOT).decode()
LEAD = Signer.from_string(generate_key("ceasefire.example/log")[0])
WITNESS = Signer.from_string(generate_key("witness.example")[0])
STRANGER = Signer.from_string(generate_key("stranger.example")[0])
CHECKPOINT = Checkpoint("ceasefire.example/log", 1234, ROOT)


def test_body_format() -> None:
    """The body is origin, decimal size and base64 root, one per line, then extension lines."""
    assert CHECKPOINT.body() == f"ceasefire.example/log\n1234\n{ROOT64}\n".encode()
    extended = Checkpoint("o", 0, ROOT, ("ext one", "ext two"))
    assert extended.body() == f"o\n0\n{ROOT64}\next one\next two\n".encode()
    assert Checkpoint.from_body(extended.body()) == extended


def test_round_trip_with_lead_and_witness() -> None:
    """A checkpoint signed by the lead and a witness opens with both names verified."""
    note = sign(CHECKPOINT, [LEAD, WITNESS])
    text = note.decode()
    assert text.startswith(CHECKPOINT.body().decode() + "\n— ceasefire.example/log ")
    assert "\n— witness.example " in text
    checkpoint, names = open_note(
        note, [LEAD.verifier(), WITNESS.verifier()], required={LEAD.name, WITNESS.name}
    )
    assert checkpoint == CHECKPOINT
    assert names == [LEAD.name, WITNESS.name]


def test_one_trusted_key_is_enough_by_default() -> None:
    """Without a required set, one trusted signature opens the note; others are not reported."""
    note = sign(CHECKPOINT, [LEAD, WITNESS])
    assert open_note(note, [WITNESS.verifier()]) == (CHECKPOINT, [WITNESS.name])


def test_required_key_missing_is_signature_invalid() -> None:
    """A caller that requires lead + witness rejects a note only the lead signed."""
    note = sign(CHECKPOINT, [LEAD])
    with pytest.raises(SignatureInvalid, match=r"required signatures missing: witness\.example"):
        open_note(note, [LEAD.verifier(), WITNESS.verifier()], required={LEAD.name, WITNESS.name})


def test_required_key_not_trusted_is_caller_error() -> None:
    """Requiring a key the caller did not supply is a ValueError, as it could never be met."""
    note = sign(CHECKPOINT, [LEAD])
    with pytest.raises(ValueError, match="not among the verifiers"):
        open_note(note, [LEAD.verifier()], required={WITNESS.name})


def test_unknown_key_only_is_signature_invalid() -> None:
    """A note signed only by keys the reader does not trust is refused."""
    note = sign(CHECKPOINT, [STRANGER])
    with pytest.raises(SignatureInvalid, match="no trusted key signed"):
        open_note(note, [LEAD.verifier()])


def test_unknown_extra_signature_is_ignored() -> None:
    """An unknown key's signature (even garbage) beside a valid trusted one is ignored."""
    note = sign(CHECKPOINT, [STRANGER, LEAD])
    junk = "— someone.else " + base64.b64encode(b"\x01\x02\x03\x04" + b"z" * 10).decode() + "\n"
    assert open_note(note + junk.encode(), [LEAD.verifier()]) == (CHECKPOINT, [LEAD.name])


def test_tampered_body_is_signature_invalid() -> None:
    """Changing the size in a signed body makes the trusted signature fail, naming its line."""
    note = sign(CHECKPOINT, [LEAD])
    tampered = note.replace(b"\n1234\n", b"\n1235\n")
    with pytest.raises(SignatureInvalid, match=r"line 5: the signature of ceasefire.example/log"):
        open_note(tampered, [LEAD.verifier()])


def test_bad_signature_of_trusted_key_is_not_skipped() -> None:
    """A trusted key's failing signature is an error even when another trusted key verifies."""
    good = sign(CHECKPOINT, [WITNESS])
    other = sign(Checkpoint("ceasefire.example/log", 9, ROOT), [LEAD])
    forged = good + other.split(b"\n\n")[1]
    with pytest.raises(SignatureInvalid, match="does not verify"):
        open_note(forged, [LEAD.verifier(), WITNESS.verifier()])


def test_same_name_other_key_is_unknown() -> None:
    """A signature under a trusted name but another key id counts as unknown, not trusted."""
    impostor = Signer.from_string(generate_key(LEAD.name)[0])
    assert impostor.key_id != LEAD.key_id
    with pytest.raises(SignatureInvalid, match="no trusted key signed"):
        open_note(sign(CHECKPOINT, [impostor]), [LEAD.verifier()])


def test_duplicate_signature_is_counted_once() -> None:
    """A signature line repeated by the same key yields the name once."""
    note = sign(CHECKPOINT, [LEAD, LEAD])
    assert open_note(note, [LEAD.verifier()])[1] == [LEAD.name]


def test_add_signatures_cosigns() -> None:
    """A witness adds its line to the lead's note; both then verify."""
    note = add_signatures(sign(CHECKPOINT, [LEAD]), [WITNESS])
    verifiers = [LEAD.verifier(), WITNESS.verifier()]
    assert open_note(note, verifiers)[1] == [LEAD.name, WITNESS.name]


def _note(body: str, signer: Signer = LEAD) -> bytes:
    """Sign an arbitrary body as a note, bypassing Checkpoint's own checks."""
    line = signer.key_id.to_bytes(4, "big") + signer.sign(body.encode())
    return f"{body}\n— {signer.name} {base64.b64encode(line).decode()}\n".encode()


GOOD_SIG = _note(CHECKPOINT.body().decode()).split(b"\n\n")[1].decode()


@pytest.mark.parametrize(
    ("note", "message"),
    [
        (CHECKPOINT.body(), "no blank line"),
        (CHECKPOINT.body() + b"\n", "line 5: no signature lines"),
        (CHECKPOINT.body() + b"\n" + GOOD_SIG.encode()[:-1], "line 5: the last signature line"),
        (
            CHECKPOINT.body() + b"\n- ceasefire.example/log abc=\n",
            "line 5: a signature line starts",
        ),
        (CHECKPOINT.body() + b"\n\xe2\x80\x94 nameonly\n", "line 5: expected"),
        (CHECKPOINT.body() + "\n— name !!!!\n".encode(), "line 5: signature not valid base64"),
        (CHECKPOINT.body() + "\n— name AAAA\n".encode(), "line 5: signature is 3 bytes"),
        (CHECKPOINT.body() + "\n— a+b AAAAAAAA\n".encode(), "line 5: key name"),
        (CHECKPOINT.body() + b"\n" + GOOD_SIG.encode() * 101, "101 signature lines"),
        (b"o\n1\n" + ROOT64.encode() + b"\t\n\n" + GOOD_SIG.encode(), "line 3: note holds control"),
        (b"o\n\xff\n\n" + GOOD_SIG.encode(), "line 2: note is not valid UTF-8"),
        (_note("o\n1\n"), "line 3: root hash line is missing"),
        (_note("o\n"), "line 2: tree size line is missing"),
        (_note(f"\n1\n{ROOT64}\n"), "line 1: origin is empty"),
        (_note(f"o\n-1\n{ROOT64}\n"), "line 2: tree size '-1'"),
        (_note(f"o\n+1\n{ROOT64}\n"), "line 2: tree size '\\+1'"),
        (_note(f"o\n007\n{ROOT64}\n"), "line 2: tree size '007'"),
        (_note(f"o\n1.5\n{ROOT64}\n"), "line 2: tree size '1.5'"),
        (_note(f"o\n١\n{ROOT64}\n"), "line 2: tree size"),
        (_note(f"o\n{2**64}\n{ROOT64}\n"), "line 2: tree size 18446744073709551616 exceeds"),
        (_note("o\n1\nnot base64!\n"), "line 3: root hash 'not base64!' is not valid base64"),
        (_note("o\n1\n" + base64.b64encode(b"x" * 31).decode() + "\n"), "line 3: root hash is 31"),
        (_note(f"o\n1\n{ROOT64}\n\next\n"), "line 4: extension line is empty"),
    ],
)
def test_malformed_notes_are_checkpoint_invalid(note: bytes, message: str) -> None:
    """Each malformed note or body raises CheckpointInvalid naming the line and the fault."""
    with pytest.raises(CheckpointInvalid, match=message):
        open_note(note, [LEAD.verifier()])


def test_body_must_end_in_newline() -> None:
    """A body without its final newline is refused, naming the last line."""
    with pytest.raises(CheckpointInvalid, match="line 3: checkpoint body must end with a newline"):
        Checkpoint.from_body(f"o\n1\n{ROOT64}".encode())


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"origin": ""}, "line 1: origin is empty"),
        ({"origin": "a\nb"}, "line 1: origin holds control"),
        ({"size": -1}, "line 2"),
        ({"size": 2**64}, "line 2"),
        ({"root": b"short"}, "line 3: root hash is 5 bytes"),
        ({"extensions": ("",)}, "line 4: extension line is empty"),
        ({"extensions": ("ok", "bad\n")}, "line 5: extension line holds control"),
    ],
)
def test_checkpoint_constructor_refuses_unwritable_fields(
    kwargs: dict[str, object], message: str
) -> None:
    """A Checkpoint that could not be written as a valid body cannot be created."""
    fields: dict[str, object] = {"origin": "o", "size": 1, "root": ROOT, **kwargs}
    with pytest.raises(CheckpointInvalid, match=message):
        Checkpoint(**fields)  # type: ignore[arg-type]


def test_sign_note_refuses_bad_text_and_no_signers() -> None:
    """Signing needs newline-terminated text without blank lines, and at least one signer."""
    with pytest.raises(CheckpointInvalid, match="end with a newline"):
        sign_note(b"no newline", [LEAD])
    with pytest.raises(CheckpointInvalid, match="line 2: note text must not contain a blank"):
        sign_note(b"a\n\nb\n", [LEAD])
    with pytest.raises(ValueError, match="at least one signer"):
        sign_note(b"a\n", [])


GO_VERIFIER = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
GO_SIGNER = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
GO_TEXT = (
    b"If you think cryptography is the answer to your problem,\n"
    b"then you don't know what your problem is.\n"
)
GO_NOTE = (
    GO_TEXT
    + (
        "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdng"
        "otpRZb6KE6RyyBwJnAM=\n"
    ).encode()
)


def test_go_note_example_verifies() -> None:
    """The Go note package's documented example note verifies under its published key."""
    verifier = Verifier.from_string(GO_VERIFIER)
    assert verifier.key_id == 0xC74F20A3
    parsed = parse_note(GO_NOTE)
    assert parsed.text == GO_TEXT
    assert verify_note(parsed, [verifier]) == ["PeterNeumann"]


def test_go_signer_key_reproduces_the_example_note() -> None:
    """Go's example signer key parses and (Ed25519 being deterministic) re-signs identically."""
    signer = Signer.from_string(GO_SIGNER)
    assert signer.to_string() == GO_SIGNER
    assert signer.verifier().to_string() == GO_VERIFIER
    assert sign_note(GO_TEXT, [signer]) == GO_NOTE
