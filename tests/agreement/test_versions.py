"""Versions and time: the version in force at a moment, and the clauses in force then."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from ceasefire.agreement.loader import parse_agreement
from ceasefire.agreement.terms import Agreement, version_in_force

KYIV_WINTER = timezone(timedelta(hours=2))


def _version(text: str, label: str, start: str) -> Agreement:
    changed = text.replace('version: "1"', f'version: "{label}"').replace(
        'in_force_from: "2020-01-01T00:00:00+00:00"', f'in_force_from: "{start}"'
    )
    return parse_agreement(changed, f"{label}.yaml")


def test_version_in_force_is_the_latest_started(minimal_text: str) -> None:
    """A check at time T uses the version whose in_force_from is the latest one not after T."""
    old = _version(minimal_text, "2015", "2015-02-15T00:00:00+02:00")
    new = _version(minimal_text, "2020", "2020-07-27T00:01:00+03:00")
    versions = [new, old]
    assert version_in_force(versions, datetime(2016, 1, 1, tzinfo=UTC)) is old
    assert version_in_force(versions, datetime(2021, 1, 1, tzinfo=UTC)) is new
    assert version_in_force(versions, datetime(2020, 7, 26, 21, 1, tzinfo=UTC)) is new
    assert version_in_force(versions, datetime(2020, 7, 26, 21, 0, tzinfo=UTC)) is old
    assert version_in_force(versions, datetime(2014, 1, 1, tzinfo=UTC)) is None


def test_versions_of_different_agreements_are_refused(minimal_text: str) -> None:
    """Mixing agreements is an error, not a silent choice."""
    one = _version(minimal_text, "1", "2015-02-15T00:00:00+02:00")
    other = parse_agreement(minimal_text.replace("id: test", "id: other", 1), "o.yaml")
    with pytest.raises(ValueError, match="different agreements"):
        version_in_force([one, other], datetime(2021, 1, 1, tzinfo=UTC))


def test_naive_time_is_refused(minsk: Agreement) -> None:
    """A naive datetime cannot be placed in time and is refused."""
    with pytest.raises(ValueError, match="naive"):
        minsk.clauses_in_force(datetime(2016, 1, 1))


def test_minsk_clauses_take_effect_at_their_own_dates(minsk: Agreement) -> None:
    """Minsk clauses of 2015, 2016 and 2020 are in force from their own dates."""
    ceasefire = datetime(2015, 2, 15, 0, 0, tzinfo=KYIV_WINTER)
    assert [c.id for c in minsk.clauses_in_force(ceasefire - timedelta(seconds=1))] == []
    assert "pom-1" in {c.id for c in minsk.clauses_in_force(ceasefire)}
    in_2016 = {c.id for c in minsk.clauses_in_force(datetime(2016, 1, 1, tzinfo=UTC))}
    assert in_2016 == {"pom-1", "pom-2", "pom-3-monitoring", "addendum-2015"}
    in_2020 = {c.id for c in minsk.clauses_in_force(datetime(2020, 8, 1, tzinfo=UTC))}
    assert {"fd-2016", "measures-2020-1", "measures-2020-2", "measures-2020-3"} <= in_2020


def test_withdrawal_binds_after_its_deadline(minsk: Agreement) -> None:
    """PoM-2 is in force from day 2 but binding only 14 days later; the addendum after 41 days."""
    pom2 = minsk.clause("pom-2")
    assert pom2.when.deadline == datetime(2015, 3, 2, tzinfo=KYIV_WINTER)
    assert pom2.is_in_force(datetime(2015, 2, 20, tzinfo=UTC))
    assert not pom2.is_binding(datetime(2015, 2, 20, tzinfo=UTC))
    assert pom2.is_binding(datetime(2015, 3, 2, tzinfo=KYIV_WINTER))
    addendum = minsk.clause("addendum-2015")
    assert addendum.when.deadline is not None
    assert addendum.when.deadline - addendum.when.in_force_from == timedelta(days=41)


def test_monitors_uavs_are_exempt_from_the_2020_uav_ban(minsk: Agreement) -> None:
    """The 2020 ban on the sides' aerial vehicles exempts the monitors' own UAVs."""
    clause = minsk.clause("measures-2020-1")
    assert [e.actor for e in clause.who.exempt] == ["monitors"]
