"""A first romanization of a Korean name for a suggested IRI: the Revised Romanization of Korean,
letter by letter, without its sound-change rules (so 신라 gives Sinla, not Silla). A curator
checks it against the official spelling; the draft marks it TODO.
"""

from __future__ import annotations

import re
import unicodedata

_INITIALS = ["g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k",
             "t", "p", "h"]  # fmt: skip
_VOWELS = ["a", "ae", "ya", "yae", "eo", "e", "yeo", "ye", "o", "wa", "wae", "oe", "yo", "u",
           "wo", "we", "wi", "yu", "eu", "ui", "i"]  # fmt: skip
_FINALS = ["", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m",
           "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"]  # fmt: skip


def romanize(text: str) -> str:
    """``text`` with each Hangul syllable romanized, the first letter of each word capitalized;
    other characters are kept. A name without Hangul comes back as it is."""
    if not any(0xAC00 <= ord(c) < 0xAC00 + 11172 for c in text):
        return text
    out: list[str] = []
    for char in text:
        code = ord(char) - 0xAC00
        if 0 <= code < 11172:
            initial, rest = divmod(code, 588)
            vowel, final = divmod(rest, 28)
            syllable = _INITIALS[initial] + _VOWELS[vowel] + _FINALS[final]
            # ㄹ at the start of a syllable after a vowel is r, after ㄹ it is l.
            if initial == 5 and out and out[-1].endswith("l"):
                syllable = "l" + syllable[1:]
            out.append(syllable)
        else:
            out.append(char)
    words = "".join(out).split(" ")
    return " ".join(w[:1].upper() + w[1:] for w in words)


def slug(text: str) -> str:
    """Lower-case words joined by hyphens, as the IRIs' local names are written."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))
