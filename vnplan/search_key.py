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


def fts_query(text: str) -> str:
    """An FTS5 MATCH expression: every folded word of `text` must occur (each quoted,
    so '&', '-' or a stray quote in the user's words cannot break the query syntax)."""
    words = _WORD.findall(search_key(text))
    return " ".join(f'"{w}"' for w in words)
