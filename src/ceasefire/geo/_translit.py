"""Transliteration of Ukrainian (and Russian) place names, and the spelling skeleton we match on.

Reports spell one village many ways: Мар'їнка, Marinka (Ukraine's national system, KMU 2010),
Mar'yinka (GeoNames, an older BGN form), Marinka or Maryinka (the press), Марьинка (Russian).
:func:`transliterate` applies the national system (Cabinet of Ministers resolution 55 of
27 January 2010), with the Russian letters the Ukrainian alphabet lacks; :func:`skeleton` then
folds the differences between the systems in use (y/i, kh/h, g/h, doubled letters) so that the
spellings of one name meet, and fuzzy matching (rapidfuzz) scores what is left.
"""

from __future__ import annotations

import re

from ceasefire.geo.gazetteer import normalise_name

__all__ = ["skeleton", "transliterate"]

#: KMU 2010: letter → (at the start of a word, elsewhere).
_KMU: dict[str, tuple[str, str]] = {
    "а": ("a", "a"), "б": ("b", "b"), "в": ("v", "v"), "г": ("h", "h"), "ґ": ("g", "g"),
    "д": ("d", "d"), "е": ("e", "e"), "є": ("ye", "ie"), "ж": ("zh", "zh"), "з": ("z", "z"),
    "и": ("y", "y"), "і": ("i", "i"), "ї": ("yi", "i"), "й": ("y", "i"), "к": ("k", "k"),
    "л": ("l", "l"), "м": ("m", "m"), "н": ("n", "n"), "о": ("o", "o"), "п": ("p", "p"),
    "р": ("r", "r"), "с": ("s", "s"), "т": ("t", "t"), "у": ("u", "u"), "ф": ("f", "f"),
    "х": ("kh", "kh"), "ц": ("ts", "ts"), "ч": ("ch", "ch"), "ш": ("sh", "sh"),
    "щ": ("shch", "shch"), "ь": ("", ""), "ю": ("yu", "iu"), "я": ("ya", "ia"),
    # Russian letters, as the press transliterates them.
    "ы": ("y", "y"), "э": ("e", "e"), "ё": ("yo", "io"), "ъ": ("", ""),
}  # fmt: skip
_APOSTROPHES = "'’ʼ`´‘"

#: Differences between transliteration systems that never tell two places apart, folded away
#: in this order.
_FOLDS = (
    (re.compile(r"zgh"), "zh"),  # KMU writes зг as zgh
    (re.compile(r"kh"), "h"),
    (re.compile(r"g"), "h"),  # Russian г (Lugansk) and Ukrainian г (Luhansk)
    (re.compile(r"[yj]"), "i"),
    (re.compile(r"(.)\1+"), r"\1"),  # doubled letters: Avdiivka ~ Avdiyivka ~ Avdeevka
)


def transliterate(text: str) -> str:
    """Write Cyrillic in Latin letters by Ukraine's national system; other letters pass through.

    Args:
        text: a name in any script.

    Returns:
        The Latin form, e.g. ``Мар'їнка`` → ``Marinka``, ``Золоте`` → ``Zolote``.
    """
    out: list[str] = []
    start = True
    previous = ""
    for char in text:
        lower = char.lower()
        after_z, previous = previous == "з", lower
        if lower == "г" and after_z:  # зг is zgh, so that it is not read as ж (zh)
            out.append("gh")
            continue
        if lower in _APOSTROPHES:
            continue  # the apostrophe is not written in KMU 2010; the next letter stays mid-word
        mapped = _KMU.get(lower)
        if mapped is None:
            out.append(char)
            start = not char.isalpha()
            continue
        latin = mapped[0] if start else mapped[1]
        out.append(latin.capitalize() if char.isupper() and latin else latin)
        start = False
    return "".join(out)


def skeleton(name: str) -> str:
    """Return the spelling skeleton of a name: transliterated, normalised, systems folded.

    Args:
        name: a place name in any script or transliteration.

    Returns:
        The key fuzzy matching compares, e.g. ``Avdiyivka`` and ``Авдіївка`` both → ``avdivka``.
    """
    key = normalise_name(transliterate(name))
    for pattern, replacement in _FOLDS:
        key = pattern.sub(replacement, key)
    return key
