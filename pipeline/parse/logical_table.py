"""A logical table, as every table parser sees it, and the words and cells of tables.

Shared by the ruled-table merger (pipeline.parse.tables), the text-line table recovery
(pipeline.parse.text_tables) and the budget parser, so that none of them imports another.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import lexicon
from pipeline.normalize import numbering
from pipeline.normalize.fold import fold
from pipeline.normalize.numbers import NUMBER_PATTERN, parse_number


@dataclass
class LogicalTable:
    id: str
    header: list[str]  # one name per column (leaf name; "group - leaf" where leaves repeat)
    rows: list[list[str]]  # data rows, header rows (and their repeats) removed
    start: int
    end: int
    caption: str | None = None
    page: int | None = None
    pages: list[int] = field(default_factory=list)
    kind: str = "data"  # data | document_header | signature | recovered
    header_rows: list[list[str]] = field(default_factory=list)  # as written
    groups: list[str] = field(default_factory=list)  # per column: the spanning header above it
    row_spans: list[tuple[int, int]] = field(default_factory=list)
    row_pages: list[int | None] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # ids of the physical tables merged here

    @property
    def width(self) -> int:
        return len(self.header) if self.header else max((len(r) for r in self.rows), default=0)


# ---------------------------------------------------------------- vocabulary


def words_re(words: list[str], anchored: bool = False) -> re.Pattern:
    """Any of `words` as whole words, on folded text, longest first; `anchored`: only at
    the start (after punctuation: "- Tổng cộng")."""
    alts = sorted({re.escape(fold(w)).replace(r"\ ", r"\s+") for w in words}, key=len, reverse=True)
    body = "(?:" + "|".join(alts) + r")(?![^\W\d_])"
    return re.compile((r"^\W*" if anchored else r"(?<![^\W\d_])") + body)


@lru_cache(maxsize=1)
def table_words() -> dict:
    """The table lexicon (tables.yaml), compiled for folded text."""
    data = lexicon.load("tables")
    return {
        "document_header": words_re(data["document_header"]),
        "document_header_lines": [re.compile(p, re.IGNORECASE) for p in data["document_header_lines"]],
        "signature": words_re(data["signature"]),
        "numbering_headers": {fold(w) for w in data["numbering_headers"]},
        "caption": words_re(data["caption_words"]),
        "header_words": words_re(data["header_words"], anchored=True),
        "furniture": [re.compile(p, re.IGNORECASE) for p in data["page_furniture"]],
        "caption_start": words_re(data["caption_starts"], anchored=True),
        "label_number_words": {fold(w) for w in data["label_number_words"]},
    }


# ---------------------------------------------------------------- cells and rows

MARKUP = re.compile(r"</?(?:i|b|u|em|strong|sup|sub|span|br)\b[^>]*>|\*\*|__", re.IGNORECASE)
NUMBERING = re.compile(rf"^(?:{numbering.roman(most=7)}|{numbering.arabic(3, 3)}|{numbering.LETTER}|{numbering.UPPER_LETTER}"
                       rf"|{numbering.bullet()})[.):]?$")
NUMBER_CELL = re.compile(rf"^\s*[(]?(?:{NUMBER_PATTERN})[)]?\s*$")


def unmarked_cell(text: str | None) -> str:
    """A cell without inline markup (<i>, **) and with single spaces."""
    return " ".join(MARKUP.sub("", text or "").split())


def is_number_cell(text: str) -> bool:
    """A cell holding one number: "17.770", "1,5", "0", "17 770" (a space for the dot)."""
    text = re.sub(r"(?<=\d) (?=\d{3}\b)", ".", text.strip()) if text else text
    return bool(text) and bool(NUMBER_CELL.match(text)) and parse_number(text.strip("() ")) is not None


def is_numbering(text: str) -> bool:
    """ "I", "II.", "1", "1.2", "a)", "-": the numbering of a row, not a label."""
    return bool(NUMBERING.match(text.strip()))
