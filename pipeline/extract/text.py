"""Reader for plain text and Markdown: paragraphs, tab-separated and pipe tables."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from pipeline import lexicon
from pipeline.extract.charset import decode_text
from pipeline.extract.errors import ExtractError
from pipeline.model import Block, Extracted

PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")  # no nested repeat: "(.*\|)+" backtracks exponentially
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
MOTTO_LINE = re.compile(r"CỘNG\s+H(?:ÒA|OÀ)\s+XÃ\s+HỘI", re.IGNORECASE)
SEPARATOR_LINE = re.compile(r"^[\s|*#_]*$")
HEAD_SCAN_LINES = 300
FOOTNOTE_OPEN = re.compile(r"^[*_]*\[(\d{1,3})\]")  # "[2] Nguồn lực dự kiến ...": a footnote's first line
FOOTNOTE_MARK = re.compile(r"[^\s\[]\s?[*_]*\[(\d{1,3})\]")  # "Cơ quan chủ trì[1]": its mark in the text
FLAT_CELL_LINES = 60  # a cell of a flattened table is never longer than this (lines)  # the banner and info panel of a portal page come before its header


def _tab_cells(line: str) -> list[str]:
    return [c.strip() for c in line.rstrip("\r\n").split("\t")]


def _is_tab_row(line: str) -> bool:
    """A row of a tab-separated table: at least two cells that hold text."""
    if "\t" not in line.strip():
        return False
    return sum(1 for c in _tab_cells(line) if c) >= 2


def _pipe_cells(line: str) -> list[str]:
    inner = line.strip()[1:-1]
    return [c.strip() for c in inner.split("|")]


def _flat_table(lines: list[str], i: int) -> tuple[list[list[str]], int] | None:
    """A table flattened to one cell per line run between lines holding only "|" (a crawled
    page's rendering): "|" / cell / "|" / cell / "|" / "|" / cell ..., where two "|" lines in
    a row end a table row and a "|" followed by a blank line (or the end) ends the table.
    Returns (rows, index after the table) when the table has three columns or more (a
    two-column header or signature block stays text), else None."""
    if lines[i].strip() != "|" or i + 1 >= len(lines) or not lines[i + 1].strip():
        return None  # a table opens with "|" and its first cell on the next line
    rows: list[list[str]] = []
    row: list[str] = []
    cell: list[str] = []
    marks: set[str] = set()  # footnote marks in the table's cells ("Nguồn lực thực hiện[2]")
    j = i + 1
    while j < len(lines):
        s = lines[j].strip()
        note = FOOTNOTE_OPEN.match(s) if not cell else None
        if note and note.group(1) in marks:
            break  # the page's footnotes after the last row: text, not a cell
        if s == "|":
            if any(c.strip() for c in cell):
                row.append(_flat_cell(cell))
            elif row:
                rows.append(row)
                row = []
            cell = []
            if j + 1 >= len(lines) or not lines[j + 1].strip():
                j += 1
                break
        else:
            cell.append(s)
            marks.update(FOOTNOTE_MARK.findall(s))
            if len(cell) > FLAT_CELL_LINES:
                return None
        j += 1
    else:
        # the text ends inside the table (a page cut before the site's footer): its last row
        if any(c.strip() for c in cell):
            row.append(_flat_cell(cell))
    if row:
        rows.append(row)
    if not rows or max(len(r) for r in rows) < 3:
        return None
    return rows, j


@dataclass(frozen=True)
class _TableWords:
    serial: frozenset[str]  # numbering headers ("STT", "TT"), case-folded
    headers: tuple[str, ...]  # words column titles open with ("Nội dung", "Đơn vị"), case-folded
    annex_titles: tuple[str, ...]  # "PHỤ LỤC" ...


@lru_cache(maxsize=1)
def _table_words() -> _TableWords:
    tables = lexicon.load("tables")
    return _TableWords(frozenset(h.casefold() for h in tables["numbering_headers"]),
                       tuple(w.casefold() for w in tables["header_words"]),
                       tuple(lexicon.load("headings")["appendix_titles"]))


def _serial_header_at(row: list[str]) -> int | None:
    """Where a table's header row starts inside `row`: its numbering header cell ("STT",
    "TT") with two header cells or more after it."""
    serial = _table_words().serial
    k = next((i for i, c in enumerate(row) if c.strip().casefold() in serial), None)
    return k if k is not None and len(row) - k >= 3 else None


def _split_flat(rows: list[list[str]]) -> list[tuple[list[str], list[list[str]]]]:
    """The tables a flat run holds, each with the paragraphs before it. Without a blank line
    between them, a signature block's cells and the next annex's title and header row run
    into one table ("... Giai đoạn 2026 - 2030 | PHỤ LỤC II ... | STT | Tên dự án ..."):
    a row holding a numbering header opens a new table, the cells before it end the
    previous row, and an annex title among them and what follows it are paragraphs."""
    titles = _table_words().annex_titles
    out: list[tuple[list[str], list[list[str]]]] = []
    lead: list[str] = []
    table: list[list[str]] = []
    for row in rows:
        k = _serial_header_at(row)
        if k is None or (k == 0 and not table):
            table.append(row)
            continue
        before = row[:k]
        t = next((i for i, c in enumerate(before) if c.strip().startswith(titles)), None)
        tail, paras = (before, []) if t is None else (before[:t], before[t:])
        if not table:
            lead += tail + paras
        else:
            if tail:
                table.append(tail)
            out.append((lead, table))
            lead = paras
        table = [row[k:]]
    out.append((lead, table))
    return out


SERIAL_CELL = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*\.?|[IVXLC]{1,6}\.?|[A-ZĐ]\.?)$")


def _title_cells(row: list[str]) -> int:
    """How many cells of `row` are column titles ("Nội dung", "Đơn vị thực hiện", ...)."""
    words = _table_words().headers
    return sum(c.strip().casefold().startswith(words) for c in row if c.strip())


def _align_header(rows: list[list[str]]) -> list[list[str]]:
    """Header rows ("Nội dung | Đơn vị thực hiện | ...", lexicon tables.yaml header_words)
    whose numbering cell was empty, above rows one cell longer that open with a number
    ("1.1", "IV"): a flattened table drops empty cells, so the header is shifted right by one."""
    serial = _table_words().serial
    out = [list(r) for r in rows]
    for i, row in enumerate(out[:-1]):
        nxt = out[i + 1]
        first = row[0].strip()
        if _title_cells(row) >= 2 and len(nxt) == len(row) + 1 and SERIAL_CELL.match(nxt[0].strip()) \
                and not SERIAL_CELL.match(first) and first.casefold() not in serial:
            out[i] = [""] + row
    return out


def _is_header_row(row: list[str]) -> bool:
    """A row of column titles ("Nội dung | Đơn vị thực hiện | Thời gian thực hiện")."""
    cells = sum(1 for c in row if c.strip())
    return cells >= 2 and _title_cells(row) >= 0.6 * cells


def _continues(prev: list[list[str]], rows: list[list[str]]) -> bool:
    """A flat table right after another (only blank lines between) that opens with no
    header of its own, as wide as the one before: the same table, over a page break."""
    return bool(prev and rows) and not _is_header_row(rows[0]) \
        and max(len(r) for r in rows) <= max(len(r) for r in prev) + 1 \
        and bool(SERIAL_CELL.match(rows[0][0].strip()))


def _flat_cell(lines: list[str]) -> str:
    text = " ".join(s for s in lines if s)
    text = text.replace("**", "")
    return re.sub(r"^[*_\s]+|[*_\s]+$", "", text)


def blocks_from_text(text: str) -> list[Block]:
    """Split text into paragraph blocks (blank-line separated) and table blocks.

    A table is a run of lines that are tab-separated rows (continuation rows with empty
    leading cells included once the run has started) or Markdown pipe rows.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    para: list[str] = []
    table: list[list[str]] = []
    table_kind = ""

    def flush_para() -> None:
        if para:
            style = None
            if any(MD_HEADING.match(p) for p in para):
                style = "heading"
            body = "\n".join(MD_HEADING.sub("", p) for p in para)
            if "**" in body:
                style = style or "bold"
                body = body.replace("**", "")
            blocks.append(Block("paragraph", text=body, style=style))
            para.clear()

    def flush_table() -> None:
        nonlocal table_kind
        if table:
            if len(table) == 1 and table_kind == "tab":
                # a lone tab line (two-column header, signature beside "Nơi nhận") stays a paragraph
                blocks.append(Block("paragraph", text="\t".join(c for c in table[0] if c)))
            else:
                width = max(len(r) for r in table)
                blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in table]))
            table.clear()
        table_kind = ""

    i = 0
    while i < len(lines):
        raw = lines[i]
        i += 1
        flat = _flat_table(lines, i - 1) if raw.strip() == "|" else None
        if flat:
            flush_para()
            flush_table()
            rows, i = flat
            for lead_in, part in _split_flat(rows):
                part = _align_header(part)
                blocks.extend(Block("paragraph", text=c) for c in lead_in)
                if not lead_in and blocks and blocks[-1].kind == "table" and _continues(blocks[-1].rows, part):
                    part = blocks.pop().rows + [r for r in part if not _is_header_row(r)]
                width = max(len(r) for r in part)
                blocks.append(Block("table", rows=[r + [""] * (width - len(r)) for r in part]))
            continue
        if PIPE_ROW.match(raw) and raw.count("|") >= 3:
            if PIPE_SEPARATOR.match(raw):
                continue
            flush_para()
            if table_kind != "pipe":
                flush_table()
            table_kind = "pipe"
            table.append(_pipe_cells(raw))
            continue
        if _is_tab_row(raw) or (table_kind == "tab" and "\t" in raw and raw.strip()):
            flush_para()
            if table_kind != "tab":
                flush_table()
            table_kind = "tab"
            table.append(_tab_cells(raw))
            continue
        flush_table()
        if raw.strip():
            para.append(raw)
        else:
            flush_para()
    flush_table()
    flush_para()
    return blocks


@lru_cache(maxsize=1)
def _web() -> dict:
    w = lexicon.load("web_page")
    return {
        "banner": re.compile("|".join(f"(?:{p})" for p in w["banner_lines"]), re.IGNORECASE),
        "label": re.compile(r"^(?:" + "|".join(map(re.escape, w["info_labels"])) + r")\s*:\s*$", re.IGNORECASE),
        "footer": re.compile(r"^(?:" + "|".join(f"(?:{p})" for p in w["footer_lines"]) + r")\s*:?\s*$", re.IGNORECASE),
        "title": re.compile(w["page_title"]),
    }


def _bare(line: str) -> str:
    """A line without markdown emphasis, heading marks and pipe-cell borders."""
    return re.sub(r"[*_#|]+", " ", line).strip()


def _debris_top(lines: list[str]) -> int:
    """Index of the first line of the document on a portal page: after the copyright banner and
    the document-info panel ("Số hiệu:" / value ...), at the header block whose quốc hiệu
    follows; 0 when the text has no such furniture."""
    w = _web()
    last = -1  # the last line of furniture
    motto = None
    for i, line in enumerate(lines[:HEAD_SCAN_LINES]):
        bare = _bare(line)
        # the quốc hiệu may be hard-wrapped anywhere ("**CỘNG" / "HÒA XÃ HỘI CHỦ NGHĨA ...")
        if MOTTO_LINE.search(bare + " " + (_bare(lines[i + 1]) if i + 1 < len(lines) else "")):
            motto = i
            break
        if w["banner"].match(bare):
            last = i
        elif w["label"].match(bare):
            last = i
            # its value: the next line holding text, within the panel's cell borders
            j = next((k for k in range(i + 1, min(i + 4, len(lines))) if not SEPARATOR_LINE.match(lines[k])), None)
            if j is not None and not w["label"].match(_bare(lines[j])):
                last = j
    if last < 0:
        return 0
    start = last + 1
    if motto is not None:
        # the issuer's cell right before the quốc hiệu (left column first)
        i = motto - 1
        while i > last and SEPARATOR_LINE.match(lines[i]):
            i -= 1
        while i > last and not SEPARATOR_LINE.match(lines[i]):
            i -= 1
        start = max(start, i + 1)
    while start < len(lines) and SEPARATOR_LINE.match(lines[start]):
        start += 1
    return start


def _debris_bottom(lines: list[str], start: int) -> int:
    """Index where a portal page's trailing furniture starts (related documents, site notices),
    with the page title repeated just before it; len(lines) when there is none."""
    w = _web()
    for i in range(start, len(lines)):
        if w["footer"].match(_bare(lines[i])):
            while i > start and (SEPARATOR_LINE.match(lines[i - 1]) or w["title"].match(_bare(lines[i - 1]))
                                 or w["footer"].match(_bare(lines[i - 1]))):
                i -= 1
            return i
    return len(lines)


def page_text(text: str) -> str:
    """The document's own text of a crawled portal page: the site's banner, document-info panel
    and trailing furniture dropped (see lexicon web_page.yaml); other text unchanged."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    top = _debris_top(lines)
    bottom = _debris_bottom(lines, top)
    if top == 0 and bottom == len(lines):
        return text
    return "\n".join(lines[top:bottom])


def read_text(path: Path) -> Extracted:
    data = Path(path).read_bytes()
    if not data.strip():
        raise ExtractError(str(path), "empty", "the file is empty")
    text, warnings = decode_text(data, str(path))
    fmt = "md" if Path(path).suffix.lower() == ".md" else "txt"
    return Extracted(path=str(path), format=fmt, blocks=blocks_from_text(page_text(text)), pages=None, ocr=False,
                     warnings=warnings)
