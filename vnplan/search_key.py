"""Search keys: "Sở Công Thương" and "so cong thuong" meet as "so cong thuong".

For the store's folded columns and the user's queries: spaces collapsed, so offsets are
not kept (pipeline.normalize.fold keeps them, offset for offset, for the parsers).
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.normalize.fold import fold as fold_letters


def search_key(text: str | None) -> str:
    """Lower-case, without diacritics, đ → d, single spaces (for search keys; NFC first so a
    query typed with decomposed marks folds the same)."""
    if not text:
        return ""
    return " ".join(fold_letters(unicodedata.normalize("NFC", text)).split())


_WORD = re.compile(r"\w+", re.UNICODE)


_PHRASE = re.compile(r'"([^"]*)"|“([^”]*)”')


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: every folded word of `text` must occur, and the words of a
    quoted part ("xúc tiến thương mại") in that order, next to each other (each word is
    quoted, so '&', '-' or a stray quote in the user's words cannot break the syntax)."""
    terms, at = [], 0
    for m in [*_PHRASE.finditer(text), None]:
        terms += [f'"{w}"' for w in _WORD.findall(search_key(text[at:m.start() if m else len(text)]))]
        if m:
            words = _WORD.findall(search_key(m.group(1) or m.group(2) or ""))
            terms += ['"' + " ".join(words) + '"'] if words else []
            at = m.end()
    return " ".join(terms)
