"""The Admiralty grade derived from the independent sources behind an incident."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ceasefire.model.report import Credibility
from ceasefire.model.source import Reliability, SourceKind
from ceasefire.verification.facts import SourceView
from ceasefire.verification.grading import grade


def view(
    source: str,
    *,
    kind: SourceKind = SourceKind.MONITOR_PATROL,
    reliability: str = "B",
    credibility: int = 6,
    independent: bool = True,
    organisation: str | None = None,
) -> SourceView:
    """One source behind an incident."""
    return SourceView(
        report_id=f"r-{source}",
        source_id=source,
        kind=kind,
        organisation=organisation,
        reliability=Reliability(reliability),
        credibility=Credibility(credibility),
        independent=independent,
        actor=None,
        attributed_to=None,
        attribution_basis=None,
    )


def test_two_independent_mission_sources_confirm() -> None:
    """Two independent mission sources give credibility 1 and the best reliability."""
    assert grade([view("a", reliability="C"), view("b", reliability="A")]) == (
        Reliability.A,
        Credibility.CONFIRMED,
    )


def test_copies_never_corroborate() -> None:
    """Twenty copies of one report grade as that one report, never as confirmed."""
    sources = [view("a")] + [view(f"c{n}", independent=False, reliability="A") for n in range(20)]
    assert grade(sources) == (Reliability.B, Credibility.PROBABLY_TRUE)


def test_one_fair_source_is_possibly_true() -> None:
    """A single C source gives 3; a worse credibility given by its grader is kept."""
    assert grade([view("a", reliability="C")])[1] is Credibility.POSSIBLY_TRUE
    assert grade([view("a", reliability="A", credibility=5)])[1] is Credibility.IMPROBABLE


def test_party_complaints_alone() -> None:
    """One party's complaint is 3; both parties reporting the same event is 2."""
    ua = view("party-ua", kind=SourceKind.PARTY_COMPLAINT, reliability="D", organisation="UA")
    ru = view("party-ru", kind=SourceKind.PARTY_COMPLAINT, reliability="D", organisation="RU")
    assert grade([ua]) == (Reliability.D, Credibility.POSSIBLY_TRUE)
    assert grade([ua, ru]) == (Reliability.D, Credibility.PROBABLY_TRUE)


def test_nothing_behind_it_cannot_be_judged() -> None:
    """No independent source: F6."""
    assert grade([]) == (Reliability.F, Credibility.CANNOT_BE_JUDGED)
    assert grade([view("a", independent=False)]) == (Reliability.F, Credibility.CANNOT_BE_JUDGED)


@given(
    st.lists(st.tuples(st.sampled_from("ABCDEF"), st.booleans()), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=10),
)
def test_adding_copies_never_changes_the_grade(
    sources: list[tuple[str, bool]], copies: int
) -> None:
    """Whatever the sources, adding non-independent copies leaves the grade as it was."""
    views = [view(f"s{n}", reliability=r, independent=i) for n, (r, i) in enumerate(sources)]
    padded = views + [view(f"copy{n}", reliability="A", independent=False) for n in range(copies)]
    assert grade(padded) == grade(views)
