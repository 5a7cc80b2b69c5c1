"""Accent folding for search: "Sở Công Thương" and "so cong thuong" meet as "so cong thuong"."""
from __future__ import annotations

import re
import unicodedata

_SPACES = re.compile(r"\s+")
_MARKS = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")  # combining marks


def fold(text: str | None) -> str:
    """Lower-case, without tone marks or diacritics, đ → d (NFD cannot split đ)."""
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return _SPACES.sub(" ", _MARKS.sub("", decomposed).lower()).strip()


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: every folded word of `text` must occur (each quoted,
    so '&', '-' or a stray quote in the user's words cannot break the query syntax)."""
    words = _WORD.findall(fold(text))
    return " ".join(f'"{w}"' for w in words)
