"""Narratives: the words each channel wraps an observation in, and the rewordings of copies.

Patrols write in the SMM's register ("heard 5 undetermined explosions 2-4 km SE"), parties in
the register of a press statement, outlets retell a statement in their own words. Copies of one
statement are rewordings (other verbs, other order, a dateline), so that telling them apart from
independent reports needs what a real mission needs: the cited upstream item, the shared
evidence, or a near-duplicate text measure, never byte equality.
"""

from __future__ import annotations

import random

__all__ = ["complaint_text", "copy_text", "eyewitness_text", "patrol_text"]

_ACTIVITY_WORDS = {
    "artillery_fire": ("artillery shelling", "artillery fire", "shelling with artillery"),
    "mortar_fire": ("mortar fire", "mortar shelling", "shelling with mortars"),
    "small_arms_fire": ("small-arms fire", "gunfire", "automatic weapons fire"),
    "explosion": ("explosions", "blasts", "detonations"),
    "drone_flight": ("a drone", "an unmanned aerial vehicle", "a UAV"),
    "weapon_presence": ("heavy weapons", "military hardware", "heavy equipment"),
    "sniper_fire": ("sniper fire", "sniper shots", "a sniper"),
}
_PARTY_NAMES = {
    "UA": ("Ukrainian forces", "government troops", "the Ukrainian side"),
    "RU": ("the armed formations", "Russian-backed forces", "the separatist side"),
}
_VERBS = ("reported", "said", "stated", "claimed", "told reporters")
_OPENERS = ("", "Breaking: ", "Update: ", "Front line: ", "")


def _words(activity: str, rng: random.Random) -> str:
    return rng.choice(_ACTIVITY_WORDS.get(activity, ("an incident",)))


def patrol_text(activity: str, count: int, where: str, rng: random.Random) -> str:
    """A monitor's sentence, as the SMM wrote its daily reports."""
    if activity == "weapon_presence":
        return f"The patrol observed {count} pieces of heavy equipment {where}."
    if activity == "drone_flight":
        return f"The patrol saw a UAV flying {where}."
    if activity == "restriction_of_movement":
        return f"At a checkpoint {where}, armed personnel denied the patrol passage."
    return f"The patrol heard {count} {_words(activity, rng)} {where}."


def complaint_text(
    party: str, other: str, activity: str, count: int, place: str, rng: random.Random
) -> str:
    """A party's statement accusing the other side."""
    side = rng.choice(_PARTY_NAMES[other])
    return (
        f"{party} representatives: {side} opened {_words(activity, rng)} near {place}, "
        f"{count} rounds recorded; the attack violates the ceasefire."
    )


def eyewitness_text(activity: str, place: str, rng: random.Random) -> str:
    """A local channel's post."""
    return rng.choice(
        (
            f"Residents near {place} hear {_words(activity, rng)} right now.",
            f"Loud {_words(activity, rng)} again tonight around {place}, people in shelters.",
            f"{place}: {_words(activity, rng)} reported by locals.",
        )
    )


def copy_text(
    party: str, other: str, activity: str, count: int, place: str, rng: random.Random
) -> str:
    """An outlet's retelling of a statement: the same facts, its own words and order."""
    side = rng.choice(_PARTY_NAMES[other])
    verb = rng.choice(_VERBS)
    words = _words(activity, rng)
    opener = rng.choice(_OPENERS)
    forms = (
        f"{opener}{side} fired on positions near {place}, {party} {verb}, citing {count} rounds.",
        f"{opener}{party} {verb} that {side} used {words} near {place} ({count} rounds).",
        f"{opener}According to {party}, {count} rounds of {words} hit the area of {place}; "
        f"it blamed {side}.",
        f"{opener}{words.capitalize()} near {place}: {party} accuses {side}, {count} rounds.",
    )
    return rng.choice(forms)
