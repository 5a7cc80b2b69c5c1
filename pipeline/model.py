"""Core types shared by every stage: extracted blocks, the normalized document, sections.

Extract (file -> Extracted blocks) and normalize (Extracted -> Document) are the only
stages that see the source file; every parser works on a `Document`, whose `text` is
the record's `text` field, so any offset a parser finds is already a valid `span`.
"""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from typing import Literal


@dataclass
class Block:
    """One paragraph or one table, as it came out of the source file."""

    kind: Literal["paragraph", "table"]
    text: str = ""  # paragraph text; may hold hard-wrapped "\n" from PDFs
    rows: list[list[str]] | None = None  # table cells, merged continuation cells as ""
    page: int | None = None  # 1-based page, None where the source has no pages
    style: str | None = None  # "heading", "bold", "title" where the source says so


@dataclass
class Extracted:
    """What a reader returns: the blocks in reading order plus facts about the source."""

    path: str
    format: str  # txt, md, docx, pdf, html, doc
    blocks: list[Block]
    pages: int | None = None
    ocr: bool = False
    warnings: list[dict] = field(default_factory=list)


@dataclass
class Line:
    """One line of the normalized text: a paragraph, or one row of a table."""

    text: str
    start: int
    end: int
    page: int | None = None
    table: int | None = None  # index into Document.tables when the line is a table row
    row: int | None = None  # row index within that table
    style: str | None = None


@dataclass
class Table:
    id: str
    rows: list[list[str]]
    start: int
    end: int
    page: int | None = None
    pages: list[int] = field(default_factory=list)
    caption: str | None = None
    row_spans: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class Document:
    """The normalized document every parser reads."""

    text: str
    lines: list[Line]
    tables: list[Table]
    source: dict  # path, sha256, format, pages, ocr
    warnings: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._starts = [ln.start for ln in self.lines]

    def line_index_at(self, offset: int) -> int:
        """Index of the line holding `offset` (the last line starting at or before it)."""
        return max(0, bisect.bisect_right(self._starts, offset) - 1)

    def page_at(self, offset: int) -> int | None:
        if not self.lines:
            return None
        return self.lines[self.line_index_at(offset)].page

    def span(self, start: int, end: int) -> dict:
        """A record `span`, with the page where the source has pages."""
        out: dict = {"start": int(start), "end": int(end)}
        page = self.page_at(start)
        if page is not None:
            out["page"] = page
        return out

    def lines_between(self, start: int, end: int) -> list[Line]:
        """Lines that start within [start, end)."""
        i = bisect.bisect_left(self._starts, start)
        j = bisect.bisect_left(self._starts, end)
        return self.lines[i:j]


SECTION_KINDS = (
    "purpose", "requirements", "objectives", "scope", "tasks", "solutions", "budget",
    "organization", "reporting", "appendix", "decision_articles", "preamble", "closing", "other",
)


@dataclass
class Section:
    """A heading and everything under it up to the next heading of the same or a higher level."""

    id: str
    parent: str | None
    numbering: str | None
    heading: str
    kind: str
    start: int  # start of the heading line
    end: int  # end of the section's content
    level: int  # depth in the tree, 0 for top-level
    heading_end: int = 0  # end of the heading line(s)

    def to_record(self, doc: Document) -> dict:
        return {
            "id": self.id, "parent": self.parent, "numbering": self.numbering,
            "heading": self.heading, "kind": self.kind, "span": doc.span(self.start, self.end),
        }
