"""Independence: copies, repeats and shared evidence are kept and shown but never counted."""

from __future__ import annotations

import math
from random import Random

from fusion_reports import make
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz import fuzz, utils

from ceasefire.fusion.independence import independence
from ceasefire.fusion.settings import FusionSettings

SETTINGS = FusionSettings()

WIRE = (
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday, with "
    "at least twelve shells landing near the coke plant and two houses damaged"
)
#: One wire story as twenty outlets ran it: reordered, trimmed, words swapped or added.
REWORDINGS = [
    WIRE,
    "Local officials said on Tuesday that shelling hit the outskirts of Avdiivka overnight, with "
    "at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, with at least twelve shells landing near "
    "the coke plant and two houses damaged, local officials said",
    "AVDIIVKA (wire) - Shelling hit the outskirts of Avdiivka overnight, local officials said on "
    "Tuesday, with at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling struck the outskirts of Avdiivka overnight, local officials said on Tuesday, with "
    "at least twelve shells landing near the coke plant and two houses damaged",
    "Overnight shelling hit the outskirts of Avdiivka, local officials said on Tuesday, with at "
    "least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit Avdiivka's outskirts overnight, local officials said on Tuesday, with at least "
    "twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, officials said Tuesday, with at least "
    "twelve shells landing near the coke plant and two houses damaged",
    "Breaking: shelling hit the outskirts of Avdiivka overnight, local officials said on "
    "Tuesday, with at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday. At least "
    "twelve shells landed near the coke plant and two houses were damaged",
    "At least twelve shells landed near the coke plant and two houses were damaged as shelling "
    "hit the outskirts of Avdiivka overnight, local officials said on Tuesday",
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday, with at "
    "least 12 shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday, with at "
    "least twelve shells landing near the Avdiivka coke plant and two homes damaged",
    "Shelling hit the outskirts of Avdiivka overnight, regional officials said on Tuesday, with "
    "at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka in Donetsk region overnight, local officials said on "
    "Tuesday, with at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday, with at "
    "least twelve shells falling near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, local officials told reporters on "
    "Tuesday, with at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, with local officials saying on Tuesday "
    "that at least twelve shells landed near the coke plant and two houses were damaged",
    "UPDATE 1 - Shelling hit the outskirts of Avdiivka overnight, local officials said on "
    "Tuesday, with at least twelve shells landing near the coke plant and two houses damaged",
    "Shelling hit the outskirts of Avdiivka overnight, local officials said on Tuesday, with "
    "at least twelve shells landing near the coke plant; two houses were damaged, they added",
]


def _outlet_reports() -> list:
    return [
        make(f"story-{n}", f"outlet-{n}", kind="open_source", narrative=text)
        for n, text in enumerate(REWORDINGS)
    ]


def test_twenty_rewordings_of_one_wire_story_are_one_source() -> None:
    """Twenty outlets running one wire story in their own words count as one independent
    source; all twenty reports are kept, nineteen marked as copies of the first."""
    assert len(set(REWORDINGS)) == 20
    entries, count = independence(_outlet_reports(), SETTINGS)
    assert count == 1
    assert len(entries) == 20
    assert sum(entry.copy_of is not None for entry in entries) == 19


def test_a_different_account_stays_independent() -> None:
    """An outlet's own reporting of the same night, in its own words, is a second source."""
    own = make(
        "own-1",
        "outlet-own",
        kind="open_source",
        narrative="Our correspondent in Avdiivka counted explosions from about 2 am until "
        "dawn; residents of Khimik district sheltered in basements and reported broken windows",
    )
    _, count = independence([*_outlet_reports(), own], SETTINGS)
    assert count == 2


def test_threshold_is_where_the_documented_score_says() -> None:
    """A pair scoring just below the threshold is independent; lowering the threshold to that
    score makes it a copy (the threshold is the only thing deciding)."""
    a = make("a", "outlet-a", kind="open_source", narrative=WIRE)
    b_text = (
        "Officials in Avdiivka reported overnight shelling near the coke plant on Tuesday; "
        "several shells fell and a number of houses were damaged in the outskirts"
    )
    b = make("b", "outlet-b", kind="open_source", narrative=b_text)
    score = fuzz.token_sort_ratio(utils.default_process(WIRE), utils.default_process(b_text))
    assert score < SETTINGS.text_similarity
    assert independence([a, b], SETTINGS)[1] == 2
    assert independence([a, b], FusionSettings(text_similarity=math.floor(score)))[1] == 1


def test_one_source_reporting_twice_counts_once() -> None:
    """Two reports of one patrol are one witness; the later names the earlier as copy_of."""
    first = make("p-1", "patrol-1", at="2020-09-15T21:40:00+03:00")
    second = make("p-2", "patrol-1", at="2020-09-15T21:45:00+03:00")
    entries, count = independence([second, first], SETTINGS)
    assert count == 1
    assert [entry.source_ref for entry in entries] == ["p-1", "p-2"]
    assert entries[1].copy_of == first.id


def test_shared_evidence_hash_is_one_source() -> None:
    """Two sources posting the same video (one SHA-256) are one piece of corroboration."""
    video = [{"sha256": "ab" * 32, "media_type": "video/mp4"}]
    a = make("v-1", "channel-a", kind="open_source", evidence=video)
    b = make("v-2", "channel-b", kind="open_source", evidence=video)
    c = make("v-3", "patrol-1")
    assert independence([a, b, c], SETTINGS)[1] == 2


def test_citing_the_same_upstream_item_is_one_source() -> None:
    """Reports citing one upstream item, or citing another report's reference, are copies."""
    a = make("c-1", "outlet-a", kind="open_source", cites="https://wire.example/story/77")
    b = make("c-2", "outlet-b", kind="open_source", cites="https://wire.example/story/77")
    c = make("c-3", "outlet-c", kind="open_source", cites="c-1")
    entries, count = independence([a, b, c], SETTINGS)
    assert count == 1
    (original,) = [entry.id for entry in entries if entry.independent]
    assert all(entry.copy_of == original for entry in entries if not entry.independent)


def test_templated_patrol_narratives_are_not_copies() -> None:
    """Two patrols writing the mission's template about one event are two witnesses."""
    text = (
        "While positioned at the south-eastern edge of the town the SMM heard three undetermined "
        "explosions 2-4 km south-east assessed as outgoing"
    )
    a = make("t-1", "patrol-1", narrative=text)
    b = make("t-2", "patrol-2", narrative=text)
    assert independence([a, b], SETTINGS)[1] == 2


@settings(max_examples=60, deadline=None)
@given(
    sources=st.lists(st.integers(0, 4), min_size=1, max_size=12),
    shuffle=st.randoms(use_true_random=False),
)
def test_independent_count_is_bounded_and_order_free(sources: list[int], shuffle: Random) -> None:
    """However reports are ordered, the count of independent sources is the same, at least 1
    and at most the number of distinct sources; every copy names an independent report."""
    reports = [make(f"h-{n}", f"patrol-{s}") for n, s in enumerate(sources)]
    entries, count = independence(reports, SETTINGS)
    shuffled = list(reports)
    shuffle.shuffle(shuffled)
    assert independence(shuffled, SETTINGS) == (entries, count)
    assert 1 <= count <= len(set(sources))
    assert count == len(set(sources))  # patrols: only one-source links apply here
    originals = {entry.id for entry in entries if entry.independent}
    assert all(entry.copy_of in originals for entry in entries if not entry.independent)
