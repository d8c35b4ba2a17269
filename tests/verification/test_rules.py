"""The rules on incidents built by hand, held against the Minsk example."""

from __future__ import annotations

from typing import Any

from verification_cases import CAMERA, PATROL, RU_LIAISON, UA_LIAISON, Case, StubIncident

from ceasefire.agreement.terms import Agreement
from ceasefire.model.finding import Finding, Verdict
from ceasefire.verification import verify

# Points used throughout, checked against the Minsk zones by the tests that use them.
UA_8KM = (37.40, 47.95)  # ~8 km west of the line near Marinka (government-held side)
UA_40KM = (36.95, 47.95)  # ~40 km west of the line
RU_8KM = (37.85, 47.98)  # east of the line, Donetsk side
ZOLOTE = (38.52, 48.67)  # inside the Zolote disengagement area
LIVE_FIRE = (36.05, 48.45)  # inside the illustrative live-fire area


def findings(
    agreement: Agreement, case: Case, *incidents: StubIncident, **kw: Any
) -> dict[str, Finding]:
    """Verify and index the findings by clause id."""
    result = verify(incidents, case.lookup, [agreement], **kw)
    return {f.clause_id: f for f in result.findings}


def test_artillery_inside_its_withdrawal_zone_is_a_violation(minsk: Agreement, case: Case) -> None:
    """A 122 mm howitzer 8 km from the line breaks pom-2, with the distance and side given."""
    incident = case.incident("weapon_presence", *UA_8KM, weapon={"system": "D-30"})
    found = findings(minsk, case, incident)
    pom2 = found["pom-2"]
    assert pom2.verdict is Verdict.VIOLATION
    assert "withdrawal_artillery_ua" in pom2.zones
    assert any(
        "122 mm howitzer (D-30)" in r and "on the UA side" in r and "25 km" in r
        for r in pom2.reasons
    )
    assert pom2.attributed_to == "UA"
    assert pom2.attribution_basis.startswith("position:")


def test_artillery_beyond_the_zone_is_no_violation(minsk: Agreement, case: Case) -> None:
    """The same howitzer 40 km from the line is allowed by pom-2 and the reason says how far."""
    incident = case.incident("weapon_presence", *UA_40KM, weapon={"system": "D-30"})
    pom2 = findings(minsk, case, incident)["pom-2"]
    assert pom2.verdict is Verdict.NO_VIOLATION
    assert pom2.attributed_to is None
    assert any("from contact_line" in r and "requires 25 km" in r for r in pom2.reasons)


def test_weapon_outside_the_clause_classes_is_no_violation(minsk: Agreement, case: Case) -> None:
    """A tank is not regulated by pom-2 (artillery >= 100 mm, MLRS): no violation of pom-2,
    but the 2015 addendum's 15 km zone does cover it."""
    incident = case.incident("weapon_presence", *UA_8KM, weapon={"system": "T-72"})
    found = findings(minsk, case, incident)
    assert found["pom-2"].verdict is Verdict.NO_VIOLATION
    assert "not of a class" in found["pom-2"].reasons[0]
    assert found["addendum-2015"].verdict is Verdict.VIOLATION


def test_unknown_calibre_is_a_possible_violation(minsk: Agreement, case: Case) -> None:
    """A howitzer of unknown calibre in the zone may be >= 100 mm or not: possible, not certain."""
    incident = case.incident("weapon_presence", *UA_8KM, weapon={"family": "howitzer"})
    assert findings(minsk, case, incident)["pom-2"].verdict is Verdict.POSSIBLE_VIOLATION


def test_unidentified_weapon_is_undetermined(minsk: Agreement, case: Case) -> None:
    """Weapon presence with no weapon described cannot be judged against a class."""
    incident = case.incident("weapon_presence", *UA_8KM)
    assert findings(minsk, case, incident)["pom-2"].verdict is Verdict.UNDETERMINED


def test_straddling_a_zone_boundary_is_possible_never_certain(minsk: Agreement, case: Case) -> None:
    """A location whose uncertainty crosses the 25 km boundary gives possible_violation."""
    # ~25 km west of the line; a 5 km radius reaches both sides of the boundary.
    incident = case.incident(
        "weapon_presence", 37.22, 47.93, radius_m=5_000, weapon={"system": "D-30"}
    )
    pom2 = findings(minsk, case, incident)["pom-2"]
    assert pom2.verdict is Verdict.POSSIBLE_VIOLATION
    assert any("straddling" in r for r in pom2.reasons)


def test_location_unknown_gives_undetermined(minsk: Agreement, case: Case) -> None:
    """An incident known only as a sector cannot be placed in a zone: undetermined."""
    incident = case.incident("weapon_presence", None, None, weapon={"system": "D-30"})
    assert findings(minsk, case, incident)["pom-2"].verdict is Verdict.UNDETERMINED


def test_firing_is_banned_everywhere(minsk: Agreement, case: Case) -> None:
    """Sniper fire seen by a patrol breaks the 2020 ban on firing."""
    incident = case.incident("sniper_fire", *RU_8KM)
    found = findings(minsk, case, incident)
    assert found["measures-2020-2"].verdict is Verdict.VIOLATION
    assert found["pom-1"].verdict is Verdict.VIOLATION


def test_clause_not_yet_in_force_gives_no_finding(minsk: Agreement, case: Case) -> None:
    """Before 27 July 2020 the 2020 measures did not apply: no finding against them."""
    incident = case.incident("sniper_fire", *RU_8KM, at="2019-06-01T12:00:00+03:00")
    found = findings(minsk, case, incident)
    assert "measures-2020-2" not in found
    assert found["pom-1"].verdict is Verdict.VIOLATION


def test_before_the_withdrawal_deadline_is_no_violation(minsk: Agreement, case: Case) -> None:
    """pom-2 is in force from 16 Feb 2015 but binding only 14 days later; the reason says so."""
    incident = case.incident(
        "weapon_presence", *UA_8KM, at="2015-02-20T12:00:00+02:00", weapon={"system": "D-30"}
    )
    pom2 = findings(minsk, case, incident)["pom-2"]
    assert pom2.verdict is Verdict.NO_VIOLATION
    assert "deadline" in pom2.reasons[0]


def test_fire_in_a_live_fire_window_is_exempt(minsk: Agreement, case: Case) -> None:
    """Artillery fire in the notified area during its window is exempt from pom-1, not dropped."""
    incident = case.incident("artillery_fire", *LIVE_FIRE, at="2020-09-01T10:00:00+03:00")
    pom1 = findings(minsk, case, incident)["pom-1"]
    assert pom1.verdict is Verdict.EXEMPT
    assert any("notified window" in r for r in pom1.reasons)


def test_fire_in_the_live_fire_area_outside_its_window_is_not_exempt(
    minsk: Agreement, case: Case
) -> None:
    """Outside the notified window the same fire is a violation, and the reason says why."""
    incident = case.incident("artillery_fire", *LIVE_FIRE, at="2020-09-02T10:00:00+03:00")
    pom1 = findings(minsk, case, incident)["pom-1"]
    assert pom1.verdict is Verdict.VIOLATION
    assert any("outside its notified windows" in r for r in pom1.reasons)


def test_monitors_uav_is_exempt_from_the_aerial_vehicle_ban(minsk: Agreement, case: Case) -> None:
    """The mission's own UAV (actor monitors) is exempt; a side's UAV is a violation."""
    own = case.incident("drone_flight", *RU_8KM, actor="monitors")
    theirs = case.incident("drone_flight", *RU_8KM, actor="RU")
    result = verify([own, theirs], case.lookup, [minsk])
    verdicts = {f.incident_id: f.verdict for f in result.findings}
    assert verdicts[own.id] is Verdict.EXEMPT
    assert verdicts[theirs.id] is Verdict.VIOLATION
    attributed = {f.incident_id: f.attributed_to for f in result.findings}
    assert attributed[theirs.id] == "RU"


def test_fire_in_a_disengagement_area_is_named(minsk: Agreement, case: Case) -> None:
    """Small-arms fire inside the Zolote area is a violation whose reasons name the area."""
    incident = case.incident("small_arms_fire", *ZOLOTE)
    finding = findings(minsk, case, incident)["measures-2020-2"]
    assert "disengagement_zolote" in finding.zones
    assert any("Zolote" in r for r in finding.reasons)


def test_mine_laying_in_a_disengagement_area(minsk: Agreement, case: Case) -> None:
    """Mine laying inside a disengagement area breaks the Framework Decision."""
    incident = case.incident("mine_laying", *ZOLOTE)
    assert findings(minsk, case, incident)["fd-2016"].verdict is Verdict.VIOLATION


def test_heavy_weapon_in_a_settlement(minsk: Agreement, case: Case) -> None:
    """A tank in Marinka breaks the 2020 ban on heavy weapons in and around settlements."""
    incident = case.incident("weapon_presence", 37.5054, 47.9453, weapon={"family": "tank"})
    assert findings(minsk, case, incident)["measures-2020-3"].verdict is Verdict.VIOLATION


def test_restriction_of_movement_is_a_violation(minsk: Agreement, case: Case) -> None:
    """A patrol stopped at a checkpoint by an armed formation: pom-3, attributed to the actor."""
    incident = case.incident("restriction_of_movement", *RU_8KM, actor="RU")
    finding = findings(minsk, case, incident)["pom-3-monitoring"]
    assert finding.verdict is Verdict.VIOLATION
    assert finding.attributed_to == "RU"
    assert finding.attribution_basis.startswith("observed actor")


def test_party_complaint_alone_is_a_claim(minsk: Agreement, case: Case) -> None:
    """A party's complaint about the other side gives possible_violation and no attribution."""
    incident = case.incident("artillery_fire", *UA_8KM, sources=(UA_LIAISON,), attributed_to="RU")
    finding = findings(minsk, case, incident)["pom-1"]
    assert finding.verdict is Verdict.POSSIBLE_VIOLATION
    assert finding.attributed_to is None
    assert finding.attribution_basis == "undetermined"
    assert any("a claim, not a basis" in r for r in finding.reasons)


def test_a_partys_admission_is_a_basis(minsk: Agreement, case: Case) -> None:
    """A party reporting its own fire (attributing it to itself) is an admission."""
    incident = case.incident(
        "artillery_fire", *RU_8KM, sources=(PATROL, RU_LIAISON), attributed_to="RU"
    )
    finding = findings(minsk, case, incident)["pom-1"]
    assert finding.attributed_to == "RU"
    assert finding.attribution_basis.startswith("admission")


def test_origin_of_fire_decides_attribution(minsk: Agreement, case: Case) -> None:
    """Fire landing on the UA side whose origin lies well east of the line is attributed to RU."""
    incident = case.incident(
        "artillery_fire", *UA_8KM, origin={"lon": 37.85, "lat": 47.98, "uncertainty_m": 1000}
    )
    finding = findings(minsk, case, incident)["pom-1"]
    assert finding.attributed_to == "RU"
    assert finding.attribution_basis.startswith("direction of fire")


def test_origin_straddling_the_line_decides_nothing(minsk: Agreement, case: Case) -> None:
    """An origin whose uncertainty reaches across the line leaves attribution undetermined."""
    incident = case.incident(
        "artillery_fire", *UA_8KM, origin={"lon": 37.62, "lat": 47.96, "uncertainty_m": 20_000}
    )
    finding = findings(minsk, case, incident)["pom-1"]
    assert finding.attributed_to is None


def test_verifying_twice_gives_the_same_findings(minsk: Agreement, case: Case) -> None:
    """Verification is deterministic: the same incidents give the same ids and verdicts."""
    incidents = [
        case.incident("weapon_presence", *UA_8KM, weapon={"system": "D-30"}),
        case.incident("sniper_fire", *RU_8KM, sources=(PATROL, CAMERA)),
    ]
    first = verify(incidents, case.lookup, [minsk]).findings
    again = verify(incidents, case.lookup, [minsk]).findings
    assert [f.id for f in first] == [f.id for f in again]
    assert len({f.id for f in first}) == len(first)


def test_finding_json_has_the_contract_fields(minsk: Agreement, case: Case) -> None:
    """Finding.to_dict() carries exactly the contract's keys (plus the documented extras)."""
    incident = case.incident("sniper_fire", *RU_8KM)
    doc = findings(minsk, case, incident)["pom-1"].to_dict()
    contract = {
        "id",
        "incident_id",
        "agreement_id",
        "agreement_version",
        "clause_id",
        "verdict",
        "reasons",
        "grade",
        "independent_sources",
        "attributed_to",
        "attribution_basis",
    }
    assert contract <= set(doc)
    assert set(doc) - contract == {"flags", "zones", "scope"}
    assert isinstance(doc["reasons"], list)
    assert doc["grade"] == "B2"
