"""Text integrity: NFC, one tone-mark convention, whitespace, hard-wrap re-joining, debris.

`build_document` turns extracted blocks into the `Document` every parser reads. Its
`text` is built here and nowhere else, so offsets found by parsers are record spans.
"""
from __future__ import annotations

import re
import unicodedata

from pipeline.extract.layout import ITEM_WORDS, TERMINAL, glue
from pipeline.model import Block, Document, Extracted, Line, Table
from pipeline.normalize.agencies import open_ended

TONES = "\u0300\u0301\u0303\u0309\u0323"
# Old-style placement (hòa, thủy, khỏe) in open syllables oa/oe/uy, as the contract's
# examples and the scorer use; "qu" keeps the mark on the vowel after it (quý).
NEW_STYLE_TONE = re.compile(rf"(?<![qQ])([oOuU])([aAeEyY])([{TONES}])(?![^\W\d_]|[\u0302\u0306\u031b])")  # not "luật", "hoặc"
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
SPACES = re.compile(r"[ \u00a0\u2000-\u200a\u202f\u205f\u3000]+")
BULLET_CHARS = re.compile(r"^[\uf0b7\uf0a7\uf076\uf0d8\u2022\u25cf\u25aa\u25e6\u2023\u2043]\s*")
DEBRIS_LINE = re.compile(r"^[\s|_*=~\-–—.]*$")
NUMBER_ONLY = re.compile(r"^(?:[IVXLC]{1,6}|\d{1,3}(?:\.\d{1,2})*|[a-zđ])[.)]$")
# A line that opens a new item: never glued to the line before it (the words, "Căn cứ",
# "Nơi nhận"..., are the PDF layout's, from extract/data/layout.yaml). Items run past 99 ("100.").
ITEM_START = re.compile(
    r"^(?:[-+*•–]\s|[IVXLC]{1,6}[.:\-)]\s*|\d{1,3}(?:\.\d{1,2})*[.)]\s|[a-zđA-ZĐ][.)]\s|" + ITEM_WORDS + ")"
)


def fix_tone_marks(text: str) -> str:
    """NFC text with one tone-mark convention: hoà -> hòa, thuỷ -> thủy (not hoàng, quý)."""
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", NEW_STYLE_TONE.sub(r"\1\3\2", decomposed))


def clean_inline(text: str) -> str:
    """One line's characters: NFC, tone marks, no invisible characters, single spaces."""
    text = fix_tone_marks(text.translate(INVISIBLE))
    text = BULLET_CHARS.sub("- ", text.strip())
    return SPACES.sub(" ", text).strip()


def is_upper(text: str, min_letters: int = 1) -> bool:
    """Every letter upper case, with at least `min_letters` letters ("I. MỤC TIÊU")."""
    letters = 0
    for c in text:  # most lines fail at their first lower-case letter
        if c.isalpha():
            if not c.isupper():
                return False
            letters += 1
    return letters >= min_letters


def rejoin_wrapped(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines of one paragraph block into paragraphs.

    A line continues the one before it when it starts in lower case, or when the one
    before is "full" (nearly as long as the longest line of the block) and has no closing
    punctuation, or when the one before cannot end where it does (",", "và", "với", an
    agency head such as "Sở" or "Bộ Tư lệnh"), or when both are upper-case title lines. A line that opens an item
    (numbering, bullet, "Căn cứ") always starts a new paragraph.
    """
    if len(lines) < 2:
        return lines
    width = max(len(s) for s in lines)
    out = [_Paragraph(lines[0])]
    prev_raw = lines[0]
    for line in lines[1:]:
        prev = out[-1]
        first = line.lstrip("“\"'‘(")[:1]
        starts_lower = first.islower() and not re.match(r"^[a-zđ][.)]\s", line)
        full = len(prev_raw) >= 0.8 * width and width >= 40
        joins = False
        if prev.short is not None and NUMBER_ONLY.match(prev.short) and not ITEM_START.match(line):
            joins = True  # "2." alone on its line, its heading on the next
        elif prev.tab or "\t" in line or ITEM_START.match(line):
            joins = starts_lower and not ITEM_START.match(line) and "\t" not in line
        elif starts_lower:
            joins = True
        elif open_ended(prev.tail, line) and not is_upper(line):
            joins = True  # "3. Bộ Tư lệnh" / "Thành phố chủ trì": a name or phrase cut by the wrap
        elif TERMINAL.search(prev.tail):
            joins = False
        elif re.match(r"^[-+•]\s", prev.head) and not is_upper(line):
            joins = True  # a bullet item wrapped without closing punctuation
        elif full and not is_upper(line) and not prev.upper:
            joins = True
        elif prev.upper and is_upper(line) and prev.length < 60:
            joins = True
        elif re.match(r"^\d", line) and not TERMINAL.search(prev.tail):
            joins = True
        if joins:
            prev.add(line)
        else:
            out.append(_Paragraph(line))
        prev_raw = line
    return [p.text() for p in out]


class _Paragraph:
    """A paragraph being re-joined: its pieces, and what the wrap rules read of the whole
    (start, end, length, case) kept up to date as lines are glued on, so that a paragraph
    of thousands of lines costs linear time, not a copy and a scan per line."""

    EDGE = 200  # the rules read at most this much of either end

    def __init__(self, line: str) -> None:
        self.pieces = [line]
        self.head, self.tail, self.length = line[:self.EDGE], line[-self.EDGE:], len(line)
        self.tab = "\t" in line
        self.letters, self.all_upper = _letter_case(line)

    @property
    def short(self) -> str | None:
        """The whole text when it is short (the rules that match all of it need no more)."""
        return self.head if self.length <= self.EDGE else None

    @property
    def upper(self) -> bool:
        return self.letters >= 1 and self.all_upper

    def add(self, line: str) -> None:
        # "NĐ-" + "CP" -> "NĐ-CP": Vietnamese does not hyphenate words at a wrap; glue reads
        # only the end of its first argument, so the tail stands for the whole
        joined = glue(self.tail, line)[len(self.tail):]
        self.pieces.append(joined)
        if self.length < self.EDGE:
            self.head = (self.head + joined)[:self.EDGE]
        self.tail = (self.tail + joined)[-self.EDGE:]
        self.length += len(joined)
        self.tab = self.tab or "\t" in line
        letters, all_upper = _letter_case(line)
        self.letters += letters
        self.all_upper = self.all_upper and all_upper

    def text(self) -> str:
        return "".join(self.pieces)


def _letter_case(text: str) -> tuple[int, bool]:
    """(how many letters, whether all of them are upper case)."""
    letters = [c for c in text if c.isalpha()]
    return len(letters), all(c.isupper() for c in letters)


def paragraph_lines(block: Block) -> list[str]:
    raw = [clean_inline_keep_tabs(s) for s in block.text.split("\n")]
    raw = [s for s in raw if s and not DEBRIS_LINE.match(s)]
    if block.style == "heading":
        return [" ".join(raw)] if raw else []
    return rejoin_wrapped(raw)


def clean_inline_keep_tabs(text: str) -> str:
    """Like clean_inline, but a tab (cell border in a two-column header) survives as one tab."""
    parts = [clean_inline(p) for p in text.split("\t")]
    return "\t".join(p for p in parts if p)


def one_line_cell(cell: str | None) -> str:
    if not cell:
        return ""
    return clean_inline(cell.replace("\n", " ").replace("\t", " "))


CAPTION_HINT = re.compile(r"(PHỤ LỤC|Phụ lục|BIỂU|Biểu|BẢNG|Bảng|ĐVT|Đơn vị tính|ĐƠN VỊ TÍNH)", re.UNICODE)


def build_document(ex: Extracted, sha256: str) -> Document:
    """Lay the blocks out as one text, one Line per paragraph or table row."""
    parts: list[str] = []
    lines: list[Line] = []
    tables: list[Table] = []
    pos = 0

    def add_line(text: str, page: int | None, style: str | None = None,
                 table: int | None = None, row: int | None = None) -> Line:
        nonlocal pos
        if parts:
            parts.append("\n")
            pos += 1
        ln = Line(text=text, start=pos, end=pos + len(text), page=page, table=table, row=row, style=style)
        parts.append(text)
        pos += len(text)
        lines.append(ln)
        return ln

    prev_kind = None
    for block in _join_cut_emphasis(ex.blocks):
        if block.kind == "table":
            rows = [[one_line_cell(c) for c in r] for r in (block.rows or [])]
            rows = [r for r in rows if any(r)]
            if not rows:
                continue
            width = max(len(r) for r in rows)
            rows = [r + [""] * (width - len(r)) for r in rows]
            merge = (prev_kind == "table" and tables and len(tables[-1].rows[0]) == width)
            if not merge:
                caption = _caption_before(lines)
                tables.append(Table(id=f"t{len(tables) + 1}", rows=[], start=pos + (1 if parts else 0),
                                    end=0, page=block.page, caption=caption))
            t = tables[-1]
            ti = len(tables) - 1
            if block.page is not None and block.page not in t.pages:
                t.pages.append(block.page)
            for r in rows:
                ln = add_line("\t".join(r), block.page, table=ti, row=len(t.rows))
                t.rows.append(r)
                t.row_spans.append((ln.start, ln.end))
            t.end = pos
        else:
            for text in paragraph_lines(block):
                add_line(text, block.page, block.style)
        prev_kind = block.kind
    text = "".join(parts)
    source = {"path": ex.path, "sha256": sha256, "format": ex.format, "pages": ex.pages, "ocr": ex.ocr}
    return Document(text=text, lines=lines, tables=tables, source=source, warnings=list(ex.warnings))


def _join_cut_emphasis(blocks: list[Block]) -> list[Block]:
    """Bold paragraphs split by a blank line inside a name are one heading: crawled pages end an
    emphasis run at a line break ("**3. Đề nghị ..., Hội Liên hiệp**" / "**Phụ nữ Thành phố ...**")."""
    out: list[Block] = []
    for block in blocks:
        prev = out[-1] if out else None
        if (prev is not None and block.kind == prev.kind == "paragraph" and block.style == prev.style == "bold"
                and block.page == prev.page and block.text.strip() and prev.text.strip()
                and open_ended(prev.text.rstrip().rsplit("\n", 1)[-1], block.text.lstrip())):
            out[-1] = Block("paragraph", text=prev.text.rstrip() + "\n" + block.text.lstrip(),
                            page=prev.page, style="bold")
            continue
        out.append(block)
    return out


def _caption_before(lines: list[Line]) -> str | None:
    """The nearest lines above a table that name it (PHỤ LỤC ..., ĐVT: ...)."""
    picked: list[str] = []
    for ln in reversed(lines[-4:]):
        if ln.table is not None:
            break
        if CAPTION_HINT.search(ln.text) or (picked and ln.text.isupper()):
            picked.append(ln.text)
    return " ".join(reversed(picked)) or None
