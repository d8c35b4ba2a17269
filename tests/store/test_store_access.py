"""Users, tokens (by hash) and issued documents: the same on every store."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from ceasefire.clock import FixedClock
from ceasefire.errors import NotFound, StoreError
from ceasefire.ledger.keeper import LogKeeper
from ceasefire.publication.access import Credential, User, authenticate, hash_token, new_token
from ceasefire.publication.audience import Audience
from ceasefire.publication.record import publication_of
from ceasefire.store import Store

AT = datetime(2026, 3, 1, tzinfo=UTC)


def test_a_token_authenticates_until_revoked(store: Store) -> None:
    """A token finds its user and audience; after revocation (appended) it finds nobody."""
    store.add_user(User("ua", Audience.parse("party:UA"), AT))
    token = new_token()
    store.add_credential(Credential(hash_token(token), "ua", AT))
    assert authenticate(token, store).audience == Audience.parse("party:UA")
    store.revoke_credential(hash_token(token), AT)
    store.revoke_credential(hash_token(token), AT)  # twice changes nothing
    with pytest.raises(NotFound):
        authenticate(token, store)
    [credential] = store.credentials()
    assert credential.revoked_at is not None


def test_names_are_unique_and_tokens_need_a_user(store: Store) -> None:
    """A second user of the same name is refused; a token for nobody is refused."""
    store.add_user(User("ana", Audience.parse("analyst"), AT))
    with pytest.raises(StoreError):
        store.add_user(User("ana", Audience.parse("lead"), AT))
    with pytest.raises(NotFound):
        store.add_credential(Credential(hash_token(new_token()), "nobody", AT))
    with pytest.raises(NotFound):
        store.revoke_credential(hash_token(new_token()), AT)
    assert [user.name for user in store.users()] == ["ana"]


def test_an_issued_document_is_a_ledger_record(store: Store) -> None:
    """A publication is kept once (by its hash), logged, and the audit passes."""
    issued = publication_of(
        b"%PDF-1.7 a report", kind="daily_report", audience="public",
        day=date(2020, 9, 16), media_type="application/pdf", checkpoint=None, made_at=AT,
    )  # fmt: skip
    assert store.add_publication(issued)
    assert not store.add_publication(issued)
    assert store.publications() == [issued]
    assert store.ledger_leaf(issued.id, "publication") is not None
    assert store.unlogged_records() == []
    assert LogKeeper(store, FixedClock(AT)).verify().ok
