"""Logical tables: the tables a reader sees, rebuilt from what the format readers give.

A table broken by a page comes out of PDF and DOCX readers as several tables, often with
the header repeated on each page; text tables repeat the header where the page broke.
Here each logical table gets one header per column (a multi-row header such as "Năm 2020"
over "Tổng | Ngân sách tỉnh | Vốn đối ứng" flattened), its data rows without repeated
headers, its caption ("PHỤ LỤC 3 ... ĐVT: Triệu đồng") and pages. Layout tables (the
two-column document header, the signature block) are kept but marked as not data. OCR'd
pages have no table structure: rows with numbers are recovered from text lines.
"""
from __future__ import annotations

import re

from pipeline.model import Document, Line, Section, Table
from pipeline.normalize.fold import fold
from pipeline.normalize.text import is_upper
from pipeline.parse.context import Context
from pipeline.parse.logical_table import (LogicalTable, is_number_cell, is_numbering, table_words,
                                          unmarked_cell)
from pipeline.parse.sections import section_id_at

REQUIRES = ("sections",)
PROVIDES = ("logical_tables",)

# A row without numbering right after a page break continues the row above only in a table
# whose rows are (almost) all numbered: elsewhere unnumbered rows are rows of their own.
NUMBERED_ROWS_SHARE = 0.9
MAX_HEADER_ROWS = 4
YEAR = re.compile(r"^(?:19|20)\d\d$")
ITEM_OPENER = re.compile(r"^(?:\(\d{1,2}\)|\d{1,2}[.)]\s|[a-zđ]\)|[-+•–]\s)")  # "(5) ...", "a) ...": a row of its own
INDEX_TOKEN = re.compile(r"^\(?(?:\d{1,2}|[A-Z])\)?(?:\s*=\s*[\d()+\-*x/\s]+)?$")


def _is_index_row(row: list[str]) -> bool:
    """A row of column numbers under the header: "(1) | (2) | (3)" or "1 | 2 | 3=4+5"."""
    cells = [c for c in row if c]
    if len(cells) < 3 or not all(INDEX_TOKEN.match(c) for c in cells):
        return False
    nums = [int(re.match(r"\(?(\d+)", c).group(1)) for c in cells if re.match(r"\(?\d", c)]
    return all(b == a + 1 for a, b in zip(nums, nums[1:]))


def _normalized(row: list[str]) -> tuple:
    return tuple(fold(c) for c in row)


def _layout_kind(rows: list[list[str]]) -> str:
    """ "document_header" / "signature" for layout tables, else "data"."""
    v = table_words()
    text = fold("\n".join("\t".join(r) for r in rows))
    width = max((len(r) for r in rows), default=0)
    if len(rows) <= 6 and width <= 4:
        if v["document_header"].search(text):
            return "document_header"
        cells = [c for r in rows for c in r if c]
        if any(p.search(c) for c in cells for p in v["document_header_lines"]) and not any(is_number_cell(c) for c in cells):
            return "document_header"
    if len(rows) <= 20 and width <= 3 and v["signature"].search(text) and not any(
            is_number_cell(c) for r in rows for c in r[1:]):
        return "signature"
    return "data"


# ---------------------------------------------------------------- headers


def _header_row_ok(row: list[str], above: list[str] | None, first_row: bool) -> bool:
    cells = [c for c in row if c]
    if not cells or any(len(c) > 90 for c in cells):
        return False
    years_ok = not first_row and not row[0]
    if any(is_number_cell(c) and not (years_ok and YEAR.match(c)) for c in cells):
        return False
    first = row[0]
    if first_row:
        if fold(first.rstrip(".")) in table_words()["numbering_headers"]:
            return True
        return bool(first) and not is_numbering(first) or (not first and len(cells) >= 2)
    # a sub-header row: fills cells left empty (or merged) in the row above
    if first and first != above[0]:
        return False
    fills = any(c and (not a or _spans(above, j)) for j, (c, a) in enumerate(zip(row, above)))
    return fills


def _spans(row: list[str], j: int) -> bool:
    """Cell j of a header row is part of a horizontally merged cell written out twice."""
    return bool(row[j]) and ((j > 0 and row[j - 1] == row[j]) or (j + 1 < len(row) and row[j + 1] == row[j]))


def header_depth(rows: list[list[str]]) -> int:
    """How many rows at the top of a table are its header (column-number rows included)."""
    depth = 0
    while depth < min(len(rows) - 1, MAX_HEADER_ROWS):
        row = rows[depth]
        if _is_index_row(row) and depth > 0:
            depth += 1
            continue
        if _header_row_ok(row, rows[depth - 1] if depth else None, depth == 0):
            depth += 1
            continue
        break
    return depth


def column_names(header_rows: list[list[str]], width: int) -> tuple[list[str], list[str]]:
    """One name per column from a multi-row header, and the spanning group above each."""
    named = [r + [""] * (width - len(r)) for r in header_rows if not _is_index_row(r)]
    parts: list[list[str]] = [[] for _ in range(width)]
    for ri, row in enumerate(named):
        below = named[ri + 1:]
        for j in range(width):
            cell = row[j]
            if not cell and below and any(b[j] for b in below):
                # under a cell merged across columns: inherit from the group start on the left
                k = j - 1
                while k >= 0 and not row[k]:
                    k -= 1
                if k >= 0 and any(b[k] for b in below):
                    cell = row[k]
            if cell and (not parts[j] or parts[j][-1] != cell):
                parts[j].append(cell)
    leaves = [p[-1] if p else "" for p in parts]
    groups = [" ".join(p[:-1]) for p in parts]
    names = []
    for j, leaf in enumerate(leaves):
        if leaf and leaves.count(leaf) > 1 and groups[j]:
            names.append(f"{groups[j]} - {leaf}")
        else:
            names.append(leaf or f"Cột {j + 1}")
    for j, name in enumerate(names):  # names key the amounts: keep them unique
        if names[:j].count(name):
            names[j] = f"{name} ({names[:j].count(name) + 1})"
    return names, groups


# ---------------------------------------------------------------- assembling


def _align(row: list[str], width: int) -> list[str]:
    """A row of another width laid onto `width` columns: numbering left, numbers right,
    extra middle cells joined into the label (split cells of a PDF page)."""
    if len(row) == width or width < 2:
        return row[:width] + [""] * (width - len(row))
    if len(row) > width:
        extra = len(row) - width
        label = " ".join(c for c in row[1:2 + extra] if c)
        return [row[0], label] + row[2 + extra:]
    missing = width - len(row)
    return row[:2] + [""] * missing + row[2:] if len(row) >= 2 else row + [""] * missing


def _gap_is_furniture(doc: Document, start: int, end: int) -> bool:
    """Only page numbers, running heads or nothing between two pieces of a table."""
    furniture = table_words()["furniture"]
    for ln in doc.lines_between(start, end):
        if ln.table is not None:
            continue
        if not any(p.match(ln.text) for p in furniture):
            return False
    return True


def _caption(doc: Document, table: Table) -> str | None:
    """The lines just above a table that name it: "PHỤ LỤC 3", its title, "ĐVT: ..."."""
    i = doc.line_index_at(table.start) - 1
    if i >= 0 and doc.lines[i].start >= table.start:
        i -= 1
    picked: list[Line] = []
    v = table_words()
    while i >= 0 and len(picked) < 6:
        ln = doc.lines[i]
        if ln.table is not None or len(ln.text) > 250:
            break
        text = ln.text
        if v["caption"].search(fold(text)) or is_upper(text, 3) or text.startswith("("):
            picked.append(ln)
            i -= 1
            continue
        break
    # keep from the first line that really names a table (not an upper-case heading above it)
    picked.reverse()
    while picked and not v["caption"].search(fold(picked[0].text)) and len(picked) > 1:
        picked.pop(0)
    text = " ".join(ln.text for ln in picked)
    return text or table.caption




def _title_rows(rows: list[list[str]]) -> int:
    """Rows at the top holding one caption-like cell (a merged title row, "ĐVT: ...")."""
    n = 0
    for row in rows[:3]:
        cells = [c for c in row if c]
        if len(cells) == 1 and (table_words()["caption"].search(fold(cells[0])) or is_upper(cells[0], 3)) and len(rows) > n + 1:
            n += 1
        else:
            break
    return n


def _new_logical(t: Table, rows: list[list[str]], spans: list[tuple[int, int]], pages: list[int | None],
                 caption: str | None) -> LogicalTable:
    kind = _layout_kind(rows)
    titles = _title_rows(rows) if kind == "data" else 0
    if titles:
        caption = " ".join(filter(None, [caption] + [c for r in rows[:titles] for c in r if c]))
        rows, spans, pages = rows[titles:], spans[titles:], pages[titles:]
    width = max(len(r) for r in rows)
    rows = [r + [""] * (width - len(r)) for r in rows]
    depth = header_depth(rows) if kind == "data" else 0
    header_rows = rows[:depth]
    names, groups = column_names(header_rows, width) if depth else ([f"Cột {j + 1}" for j in range(width)], [""] * width)
    lt = LogicalTable(id=t.id, header=names, rows=[], start=t.start, end=t.end, caption=caption,
                      page=t.page, pages=list(t.pages), kind=kind, header_rows=header_rows,
                      groups=groups, parts=[t.id])
    _add_rows(lt, rows[depth:], spans[depth:], pages[depth:])
    return lt


def _add_rows(lt: LogicalTable, rows: list[list[str]], spans: list[tuple[int, int]],
              pages: list[int | None]) -> None:
    """Append data rows, dropping repeats of the header (a page break inside the table).

    After a page break, a first row without numbering in a table whose rows (nearly) all
    have one is the rest of the row cut by the break: its cells are joined to that row's."""
    repeats = {_normalized(r) for r in lt.header_rows}
    width = lt.width
    for row, span, page in zip(rows, spans, pages):
        row = _align(row, width)
        if lt.header_rows and (_normalized(row) in repeats or _is_index_row(row)):
            continue
        after_break = page is not None and lt.row_pages and lt.row_pages[-1] is not None and page != lt.row_pages[-1]
        first_text = next((c for c in row if c), "")
        if (after_break and not row[0] and lt.rows[-1][0] and not ITEM_OPENER.match(first_text)
                and sum(1 for r in lt.rows if r[0]) >= NUMBERED_ROWS_SHARE * len(lt.rows)):
            last = lt.rows[-1]
            lt.rows[-1] = [f"{a} {b}".strip() if a and b else a or b for a, b in zip(last, row)]
            lt.row_spans[-1] = (lt.row_spans[-1][0], span[1])
            lt.row_pages[-1] = page
            continue
        lt.rows.append(row)
        lt.row_spans.append(span)
        lt.row_pages.append(page)


def _continues(doc: Document, lt: LogicalTable, t: Table, rows: list[list[str]]) -> bool:
    """Does physical table `t` carry on the logical table `lt` (a page or block break)?"""
    if lt.kind != "data" or _layout_kind(rows) != "data":
        return False
    if not _gap_is_furniture(doc, lt.end, t.start):
        return False
    repeats = {_normalized(r) for r in lt.header_rows}
    if repeats and _normalized(_align(rows[0], lt.width)) in repeats:
        return True
    width = max(len(r) for r in rows)
    depth = header_depth(rows)
    if depth and lt.header_rows and _looks_like_header(rows[0]):
        names, _ = column_names(rows[:depth], width)
        return [fold(n) for n in names] == [fold(n) for n in lt.header]  # a new table's own header
    return abs(width - lt.width) <= 2


def _looks_like_header(row: list[str]) -> bool:
    """ "STT | Nội dung | ...": header words, not just a row of text without numbers."""
    v = table_words()
    return fold(row[0].rstrip(".")) in v["numbering_headers"] or sum(
        1 for c in row if c and v["header_words"].search(fold(c))) >= 2


def extract(doc: Document, ctx: Context) -> dict:
    return {"logical_tables": logical_tables(doc)}


def logical_tables(doc: Document) -> list[LogicalTable]:
    """Every table the reader gave, continuation pieces merged, headers resolved (tables
    rebuilt from OCR'd text lines are added by the budget stage, which knows their words)."""
    out: list[LogicalTable] = []
    for t in doc.tables:
        rows = [[unmarked_cell(c) for c in r] for r in t.rows]
        keep = [i for i, r in enumerate(rows) if any(r)]
        rows = [rows[i] for i in keep]
        spans = [t.row_spans[i] if i < len(t.row_spans) else (t.start, t.end) for i in keep]
        if not rows:
            continue
        pages = [doc.page_at(a) for a, _ in spans]
        if out and _continues(doc, out[-1], t, rows):
            lt = out[-1]
            _add_rows(lt, rows, spans, pages)
            lt.end = t.end
            lt.parts.append(t.id)
            lt.pages.extend(p for p in t.pages if p not in lt.pages)
            continue
        out.append(_new_logical(t, rows, spans, pages, _caption(doc, t)))
    return out



def table_records(doc: Document, sections: list[Section], tables: list[LogicalTable]) -> list[dict]:
    """The record's `tables`: {id, section, caption, page, rows} plus header, kind, span."""
    recs = []
    for lt in tables:
        recs.append({
            "id": lt.id, "section": section_id_at(sections, lt.start), "caption": lt.caption,
            "page": lt.page, "rows": lt.rows, "header": lt.header, "header_rows": lt.header_rows,
            "kind": lt.kind, "pages": lt.pages, "parts": lt.parts, "span": doc.span(lt.start, lt.end),
        })
    return recs
