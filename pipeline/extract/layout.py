"""Page layout shared by the PDF and OCR readers: words -> lines -> paragraph blocks.

Both readers hand over words with their boxes (pdfplumber's, or Tesseract's in PDF
points); the geometry here turns them into lines, column segments and paragraphs, with
ruled tables kept at their vertical place. normalize's rejoin_wrapped uses the same item
words and wrap rule (ITEM_WORDS, TERMINAL, glue) for hard-wrapped text.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

from pipeline import lexicon
from pipeline.model import Block

TAB_GAP_EM = 2.5  # a gap wider than this (in font sizes) separates columns: written as a tab
LAYOUT = lexicon.load("layout")
# A line that opens an item never continues the line above, however full that line is.
ITEM_WORDS = "|".join(LAYOUT["item_start_words"])  # also used by normalize's rejoin_wrapped
ITEM_START = re.compile(r"^(?:[-+*•–\uf0b7]\s|[IVXLC]{1,6}[.:)]\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[a-zđ]/?[.)]\s|"
                        + ITEM_WORDS + ")")
BLANK_BEFORE = frozenset(LAYOUT["blank_before_words"])
TERMINAL = re.compile(r"[.:;!?…]['\"”’)]*$")
HYPHEN_WRAP = re.compile(r"\w-$")


@dataclass
class TextLine:
    """One visual line: words in reading order, with its box and style."""

    words: list[dict]
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    size: float = 10.0
    bold: bool = False
    text: str = ""

    @classmethod
    def from_words(cls, words: list[dict]) -> "TextLine":
        words = sorted(words, key=lambda w: w["x0"])
        ln = cls(words=words)
        ln.x0 = min(w["x0"] for w in words)
        ln.x1 = max(w["x1"] for w in words)
        ln.top = min(w["top"] for w in words)
        ln.bottom = max(w["bottom"] for w in words)
        chars = [c for w in words for c in w.get("chars", ()) if c["text"].strip()]
        ln.size = statistics.median(c["size"] for c in chars) if chars else ln.bottom - ln.top
        # mostly bold: fallback fonts for Vietnamese letters may lack the bold face
        ln.bold = bool(chars) and sum(is_bold_font(c["fontname"]) for c in chars) >= 0.7 * len(chars)
        ln.text = join_words(words)
        return ln


@lru_cache(maxsize=512)
def is_bold_font(name: str) -> bool:
    n = (name or "").lower()
    return "bold" in n or "black" in n or "heavy" in n or n.endswith((",b", "-b"))


def join_words(words: list[dict]) -> str:
    """Words of one line: a space between words, a tab across a column-wide gap."""
    out: list[str] = []
    prev = None
    for w in words:
        if prev is not None:
            out.append("\t" if is_column_gap(prev, w) else " ")
        out.append(w["text"])
        prev = w
    return "".join(out)


def is_column_gap(a: dict, b: dict) -> bool:
    """Between words `a` and `b` of a line runs a column border, not a space or a blank to fill."""
    size = max(a["bottom"] - a["top"], b["bottom"] - b["top"], 4)
    return b["x0"] - a["x1"] > TAB_GAP_EM * size and not is_blank_fill(a["text"], b["text"])


def is_blank_fill(left: str, right: str) -> bool:
    """A wide gap left blank in a draft ("Số:      /KH-UBND"), not a column border."""
    return right.startswith("/") or left.lower() in BLANK_BEFORE



@dataclass
class Geometry:
    """Where a page's body text runs: its left and right margins."""

    left: float
    right: float

    @classmethod
    def of(cls, lines: list[TextLine]) -> "Geometry":
        long_lines = [ln for ln in lines if len(ln.text) >= 30] or lines
        return cls(min(ln.x0 for ln in long_lines), max(ln.x1 for ln in long_lines))

    def full(self, ln: TextLine) -> bool:
        """The line runs to the right margin: the paragraph goes on below."""
        return ln.x1 >= self.right - 2.5 * ln.size and "\t" not in ln.text

    def continues(self, prev: TextLine, ln: TextLine) -> bool:
        """`ln` is the wrapped continuation of `prev` (same paragraph, certain from layout)."""
        if not self.full(prev) or ln.bold != prev.bold or "\t" in ln.text or ITEM_START.match(ln.text):
            return False
        if ln.x0 <= self.left + 0.5 * ln.size:
            return True
        # indented like the line above (hanging indent): a wrap, unless that line closed a
        # sentence, and then this is the indented first line of the next paragraph
        return ln.x0 <= prev.x0 + 0.5 * ln.size and not TERMINAL.search(prev.text)


def glue(a: str, b: str) -> str:
    """Join a wrapped line: "2021-" + "2025" keeps its hyphen and takes no space."""
    return a + b if HYPHEN_WRAP.search(a[-2:]) and b[:1].isalnum() else f"{a} {b}"  # the end only: a may be long


def group_lines(lines: list[TextLine], page: int, geo: Geometry | None = None) -> list[Block]:
    """Lines into paragraph blocks.

    A line the layout shows to be a wrap (previous line full, same left edge, not an item)
    is joined with a space. Other lines close together stay in the block on their own
    "\n" line, for normalize to judge (centered titles, header columns); a block ends at
    a wide vertical gap, where bold starts or stops, and after a short left-aligned line.
    """
    if not lines:
        return []
    geo = geo or Geometry.of(lines)
    gaps = [b.top - a.bottom for a, b in zip(lines, lines[1:]) if b.top >= a.bottom]
    median_gap = statistics.median(gaps) if gaps else 0.0
    blocks: list[Block] = []
    texts: list[str] = []
    current: list[TextLine] = []

    def flush() -> None:
        if current:
            style = "bold" if all(ln.bold for ln in current) else None
            blocks.append(Block("paragraph", text="\n".join(texts), page=page, style=style))
            current.clear()
            texts.clear()

    for ln in lines:
        if current:
            prev = current[-1]
            gap = ln.top - prev.bottom
            size = max(prev.size, ln.size)
            wide_gap = gap > max(1.8 * median_gap, median_gap + 0.6 * size)
            if not wide_gap and geo.continues(prev, ln):
                texts[-1] = glue(texts[-1], ln.text)
                current.append(ln)
                continue
            prev_left_aligned = prev.x0 < geo.left + 4 * size
            prev_short = prev.x1 < geo.right - 4 * size
            if wide_gap or ln.bold != prev.bold or (prev_left_aligned and prev_short and "\t" not in prev.text):
                flush()
            elif ITEM_START.match(ln.text) or (ln.x0 > geo.left + 0.5 * size and prev_left_aligned and not geo.full(prev)):
                flush()
        current.append(ln)
        texts.append(ln.text)
    flush()
    return blocks


def inside(obj: dict, bbox: tuple) -> bool:
    """The centre of a word (or any box) lies in `bbox` (x0, top, x1, bottom)."""
    x0, top, x1, bottom = bbox
    cx = (obj["x0"] + obj["x1"]) / 2
    cy = (obj["top"] + obj["bottom"]) / 2
    return x0 <= cx <= x1 and top <= cy <= bottom



def column_segments(lines: list[TextLine]) -> list[list[TextLine]]:
    """Runs of lines to group on their own: a two-column layout (issuer | national motto,
    "Nơi nhận" | signature) becomes its left column, then its right column.

    It starts at a line with exactly one column gap (tab); the boundary is the middle of
    that gap; close lines below with no word across the boundary, and no mere word space
    across it, belong to it, and at least two of its lines must show both columns.
    """
    out: list[list[TextLine]] = []
    body: list[TextLine] = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        boundary = _column_boundary(ln)
        if boundary is None:
            body.append(ln)
            i += 1
            continue
        run = [ln]
        j = i + 1
        while j < len(lines):
            nxt = lines[j]
            if nxt.top - run[-1].bottom > 2.0 * nxt.size or nxt.text.count("\t") > 1:
                break
            if any(w["x0"] < boundary < w["x1"] for w in nxt.words) or _spaced_across(nxt, boundary):
                break
            run.append(nxt)
            j += 1
        if sum(1 for r in run if "\t" in r.text) < 2:
            body.append(ln)  # one tabbed line is not yet a layout (a gap in a table row, a blank)
            i += 1
            continue
        if body:
            out.append(body)
            body = []
        for side in (lambda w: w["x1"] <= boundary, lambda w: w["x0"] >= boundary):
            column = [TextLine.from_words(ws) for ws in ([w for w in r.words if side(w)] for r in run) if ws]
            if column:
                out.append(column)
        i = j
    if body:
        out.append(body)
    return out


def _spaced_across(ln: TextLine, boundary: float) -> bool:
    """The line has words on both sides of the boundary with only a word space between:
    a line of running text that happens to leave a gap there, not a second column (specks
    read as marks in the gap do not count)."""
    return any(a["x1"] <= boundary <= b["x0"] and not is_column_gap(a, b) and _wordlike(a) and _wordlike(b)
               for a, b in zip(ln.words, ln.words[1:]))


def _wordlike(w: dict) -> bool:
    """A word, not a scan's specks read as marks ("-_")."""
    return any(c.isalnum() for c in w["text"])


def _column_boundary(ln: TextLine) -> float | None:
    """The x in the middle of the line's one column gap, if it has exactly one."""
    if ln.text.count("\t") != 1:
        return None
    for a, b in zip(ln.words, ln.words[1:]):
        if is_column_gap(a, b):
            return (a["x1"] + b["x0"]) / 2
    return None



def layout_blocks(lines: list[TextLine], tables: list[tuple[float, list[list[str]]]], page: int,
                  geo: Geometry | None = None) -> list[Block]:
    """Lines and tables (top, rows) as blocks in reading order: the lines between two
    tables are split into column segments and grouped into paragraphs."""
    items: list[tuple[float, int, object]] = [(ln.top, 1, ln) for ln in lines]
    items += [(top, 0, rows) for top, rows in tables]
    items.sort(key=lambda it: (it[0], it[1]))
    blocks: list[Block] = []
    run: list[TextLine] = []

    def flush() -> None:
        for seg in column_segments(run):
            blocks.extend(group_lines(seg, page, geo))
        run.clear()

    for _, kind, obj in items:
        if kind == 1:
            run.append(obj)  # type: ignore[arg-type]
        else:
            flush()
            blocks.append(Block("table", rows=obj, page=page))  # type: ignore[arg-type]
    flush()
    return blocks


PAGE_NUMBER = re.compile(r"^[-–—\s]*(?:Trang\s*)?\d{1,4}(?:\s*/\s*\d{1,4})?[-–—\s]*$", re.IGNORECASE)
MARGIN_ZONE = 0.08  # share of the page height at top and bottom where page numbers live


def is_page_number(ln: TextLine, height: float) -> bool:
    """A page number in the top or bottom margin (PDF text and OCR alike)."""
    in_margin = ln.top < MARGIN_ZONE * height or ln.bottom > (1 - MARGIN_ZONE) * height
    return in_margin and bool(PAGE_NUMBER.match(ln.text))
