"""What the parse stages share: the document, the parts found so far, derived data.

Each stage (see pipeline.parse.stages) reads the parts it declares in REQUIRES and returns
the parts it declares in PROVIDES; the Context holds them under those names. Data derived
from the document alone (its folded text, its table-row lines) is computed here once, on
first use, instead of being cached on the Document by whichever parser asks first.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.model import Document, Line
from pipeline.normalize.fold import fold


class MissingPart(KeyError):
    """A stage asked for a part no earlier stage has provided."""


@dataclass
class Context:
    doc: Document
    parts: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, name: str) -> Any:
        try:
            return self.parts[name]
        except KeyError:
            raise MissingPart(f"no stage has provided {name!r} yet (have: {', '.join(self.parts) or 'nothing'})") from None

    def __contains__(self, name: str) -> bool:
        return name in self.parts

    @cached_property
    def folded(self) -> str:
        """doc.text lower-cased without diacritics, offset for offset: role words are matched
        there, so OCR damage to tone marks ("phối họp", "chủ tri") does not hide them."""
        return fold(self.doc.text)

    @cached_property
    def row_lines(self) -> dict[tuple[int, int], Line]:
        """(table index, row index) -> the text line of that table row."""
        return {(ln.table, ln.row): ln for ln in self.doc.lines if ln.table is not None}
