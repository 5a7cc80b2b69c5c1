"""Diacritics folding for matching: "Sở Nông nghiệp" and "so nong nghiep" meet.

Both functions map one character to one character, so an offset found in folded text is
an offset in the original: parsers search folded text and cut spans from the real one.
"""
from __future__ import annotations

import unicodedata


def _base(ch: str) -> str:
    """The letter without marks, for Latin letters (đ has no decomposition: it is d)."""
    if ch in "đĐ":
        return "d" if ch == "đ" else "D"
    base = unicodedata.normalize("NFD", ch)[0]
    return base if base.isascii() and base.isalpha() else ch


# Latin letters with marks live in U+00C0-U+1EFF (Vietnamese in Latin-1 and Latin Extended
# Additional); the tables are built once and applied with str.translate.
_LATIN = [*range(0x41, 0x5B), *range(0xC0, 0x1F00)]
_UNACCENT = {i: _base(chr(i)) for i in _LATIN if _base(chr(i)) != chr(i)}
_FOLD = {i: _base(chr(i)).lower() for i in _LATIN
         if len(_base(chr(i)).lower()) == 1 and _base(chr(i)).lower() != chr(i)}
# the same maps as strings indexed by code point (str.translate looks a character up in a
# string about twice as fast as in a dict; a character past the end is kept as it is)
_UNACCENT_TABLE = "".join(_UNACCENT.get(i, chr(i)) for i in range(0x1F00))
_FOLD_TABLE = "".join(_FOLD.get(i, chr(i)) for i in range(0x1F00))


def unaccent(text: str) -> str:
    """Without diacritics, case kept: "Sở Công Thương" -> "So Cong Thuong"."""
    return text.translate(_UNACCENT_TABLE)


def fold(text: str) -> str:
    """Lower case without diacritics: "Sở Công Thương" -> "so cong thuong"."""
    return text.translate(_FOLD_TABLE)
