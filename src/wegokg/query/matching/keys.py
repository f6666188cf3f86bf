"""The forms in which names are compared: ``normalize`` drops case, accents, spacing and
punctuation, and ``name_keys`` adds the forms without a Korean municipal suffix, so that 성남,
성남시, Seongnam-si and Seongnam share a key.
"""

from __future__ import annotations

import re
import unicodedata

# Korean administrative suffixes, longest first: 서울특별시 -> 서울, 세종특별자치시 -> 세종,
# 성남시 -> 성남, 양평군 -> 양평, 강남구 -> 강남. A province's plain 도 is left alone: too many
# words end in it.
HANGUL_SUFFIXES = ("특별자치시", "특별자치도", "특별시", "광역시", "시", "군", "구")
# Their romanizations, written after a hyphen or a space: Seongnam-si, Yangpyeong-gun, Jeju-do.
# "City" is not among them: Mexico City is not Mexico.
ROMAN_SUFFIX = re.compile(r"[\s\-‐‑–]+(?:si|shi|gun|gu|do)\s*$")


def normalize(name: str) -> str:
    """Casefolded, accents removed (NFKD without combining marks), and every character that is
    not a letter or a digit dropped: "George Town" and "Georgetown" are one form, and so are
    "São Paulo" and "SAO PAULO". Hangul comes back composed (NFC), as it was written."""
    decomposed = unicodedata.normalize("NFKD", name)
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch)[0] in "LN")
    return unicodedata.normalize("NFC", kept.casefold())


def name_keys(name: str) -> set[str]:
    """Every key under which ``name`` is found: its normalized form, and the form without a
    Korean municipal suffix (성남시 -> 성남) or its romanization (Seongnam-si -> seongnam).
    A suffix is only removed when at least two letters remain."""
    base = normalize(name)
    if not base:
        return set()
    keys = {base}
    for suffix in HANGUL_SUFFIXES:
        stem = base.removesuffix(suffix)
        if stem != base and len(stem) >= 2 and _is_hangul(stem[-1]):
            keys.add(stem)
            break
    unaccented = _unaccented(name).casefold()
    stripped = ROMAN_SUFFIX.sub("", unaccented)
    if stripped != unaccented and len(normalize(stripped)) >= 2:
        keys.add(normalize(stripped))
    return keys


def script_language(text: str) -> str:
    """ "ko" for a text with Hangul in it, else "en": the language a candidate's name is given in
    when the caller names none."""
    return "ko" if any(_is_hangul(ch) for ch in text) else "en"


def fuzzy_form(key: str) -> str:
    """The form near misses are scored on: Hangul split into its letters (jamo), so that one
    wrong letter costs a letter and not a whole syllable."""
    return unicodedata.normalize("NFD", key)


def _unaccented(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.category(ch).startswith("M"))


def _is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3" or "\u1100" <= ch <= "\u11ff" or "\u3130" <= ch <= "\u318f"
