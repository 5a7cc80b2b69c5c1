#!/usr/bin/env python3
"""Make the corpus renditions of every plan: DOCX, PDF, scanned PDF, HTML and DOC.

Each corpus/plans/*.txt and corpus/extra/*.txt gets, under the same file stem (the
scorer matches records to gold by stem):
  <stem>.docx   python-docx: real Word tables (merged header cells, repeated header
                rows), headings, the two-column document header as a borderless table;
                paragraph text exactly the txt's (NFC, Markdown markers removed)
  <stem>.pdf    the DOCX printed by LibreOffice (headless, private profile)
Plus scans/<stem>.pdf (image-only, scan look) for SCAN_STEMS, an HTML news page for
the news-article seed, and a .doc for DOC_STEMS.

Paragraphs are the txt's blank-line blocks with hard wraps re-joined by the pipeline's
own rules (pipeline.normalize.text.rejoin_wrapped), so every rendition gives the
parsers the same text. Title blocks keep their line breaks (w:br).

Usage: .venv/bin/python scripts/make_renditions.py [--only STEM ...] [--no-scans] [--no-check]
"""
from __future__ import annotations

import argparse
import concurrent.futures as cf
import html
import io
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from pipeline.extract.text import MD_HEADING, blocks_from_text  # noqa: E402
from pipeline.normalize.text import DEBRIS_LINE, clean_inline_keep_tabs, is_upper, rejoin_wrapped  # noqa: E402

CORPUS_DIRS = [ROOT / "corpus" / "plans", ROOT / "corpus" / "extra"]
SCAN_STEMS = ["laichau_ocop_2020_qd", "khanhhoa_ocop_2020_kh3680"]
DOC_STEMS = ["laichau_ocop_2020_qd"]
HTML_STEM = "trunguong_ocop_2018_qd01_tinbai"
FIXED_DATE = datetime(2020, 1, 1, tzinfo=timezone.utc)  # document properties: reproducible files

# --------------------------------------------------------------------------- line classes

ROMAN_HEADING = re.compile(r"^[IVXLC]{1,6}\.\s+\S")
APPENDIX = re.compile(r"^PHỤ LỤC\b")
NUMBERED = re.compile(r"^\d{1,2}\.\s+\S")
DOC_TYPE_TITLE = re.compile(
    r"^(KẾ HOẠCH|QUYẾT ĐỊNH|NGHỊ QUYẾT|CHƯƠNG TRÌNH|KHUNG LOGIC|BÁO CÁO|ĐỀ ÁN|HƯỚNG DẪN)\b(?!\s*:)")
BODY_START = re.compile(r"^(Căn cứ|Thực hiện|Xét|Điều \d|Theo đề nghị|Để |Nhằm )")
RECIPIENTS = re.compile(r"^(Nơi nhận|Noi nhận)")
# Header (quốc hiệu) lines: national name, motto, "Số:" line, "<place>, ngày ..." line.
QH = re.compile(r"^(CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI|CHỦ NGHĨA VIỆT NAM|Độc lập\s*[-–]\s*Tự do)")
QH_INSIDE = re.compile(r"\s(CỘNG HÒA XÃ HỘI|CỘNG HOÀ XÃ HỘI)\b")
SO_LINE = re.compile(r"^Số\s*:")
DATE_LINE = re.compile(r"^[^\W\d_][^,\n]{1,40},\s+ngày\b")
COLUMN_GAP = re.compile(r"\S(\s{5,})\S")




def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --------------------------------------------------------------------------- document model

@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class Para:
    runs: list[Run]
    kind: str = "body"  # body, heading1, heading2, title, recipients, recipient
    page_break: bool = False

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass
class Table:
    rows: list[list[list[Run]]]  # row -> cell -> runs
    header_rows: int = 1
    doc_header: bool = False  # the borderless issuer | quốc hiệu table

    def cell_text(self, r: int, c: int) -> str:
        return "".join(x.text for x in self.rows[r][c])


@dataclass
class Plan:
    stem: str
    items: list = field(default_factory=list)  # Para | Table, in reading order
    header_lines: list[str] = field(default_factory=list)  # txt lines moved into the header table


# --------------------------------------------------------------------------- inline markers

INLINE_MARK = re.compile(r"\*\*|</?i>|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*])")


def parse_inline(text: str) -> tuple[str, list[tuple[bool, bool]]]:
    """Strip **bold**, *italic* and <i>italic</i> markers: plain text plus per-char style.

    A single "*" counts as a marker only when it pairs up ("* item" and "(*)" stay text).
    """
    marks = list(INLINE_MARK.finditer(text))
    singles = [m for m in marks if m.group() == "*"]
    keep_single = {id(m) for m in (singles if len(singles) % 2 == 0 else singles[:-1])}
    plain: list[str] = []
    styles: list[tuple[bool, bool]] = []
    bold = italic = False
    pos = 0
    for m in marks:
        token = m.group()
        if token == "*" and id(m) not in keep_single:
            continue
        for ch in text[pos:m.start()]:
            plain.append(ch)
            styles.append((bold, italic))
        pos = m.end()
        if token == "**":
            bold = not bold
        elif token == "*":
            italic = not italic
        else:
            italic = token == "<i>"
    for ch in text[pos:]:
        plain.append(ch)
        styles.append((bold, italic))
    return "".join(plain), styles


def runs_from(text: str, styles: list[tuple[bool, bool]]) -> list[Run]:
    runs: list[Run] = []
    for ch, (b, i) in zip(text, styles):
        if runs and (runs[-1].bold, runs[-1].italic) == (b, i):
            runs[-1].text += ch
        else:
            runs.append(Run(ch, b, i))
    return runs


def cell_runs(cell: str) -> list[Run]:
    plain, styles = parse_inline(nfc(cell))
    lead = len(plain) - len(plain.lstrip())
    plain, styles = plain.strip(), styles[lead:lead + len(plain.strip())]
    return runs_from(plain, styles)


# --------------------------------------------------------------------------- document header

def split_header_line(raw: str) -> list[str]:
    """A header line as its column parts: split at tabs, at a wide run of spaces, or
    before a national name that follows the issuer on the same line."""
    line = MD_HEADING.sub("", raw).replace("**", "").rstrip()
    if "\t" in line.strip():
        parts = [p.strip() for p in line.split("\t") if p.strip()]
    else:
        stripped = line.strip()
        gap = COLUMN_GAP.search(stripped)
        inside = QH_INSIDE.search(stripped)
        if gap:
            parts = [stripped[:gap.start(1)].strip(), stripped[gap.end(1):].strip()]
        elif inside and not QH.match(stripped):
            parts = [stripped[:inside.start()].strip(), stripped[inside.start():].strip()]
        else:
            parts = [stripped]
    return [nfc(p) for p in parts if p]


def classify_header_part(part: str, prev: str | None) -> str | None:
    """issuer, qh (national name, motto), so ("Số:"), date; None: not a header part."""
    n = len(" ".join(part.split()))
    if QH.match(part):
        return "qh"
    if SO_LINE.match(part) and n <= 40:
        return "so"
    if DATE_LINE.match(part) and n <= 60:
        return "date"
    if prev == "date" and re.match(r"^tháng\b", part):
        return "date"
    if is_upper(part) and n <= 60 and not DOC_TYPE_TITLE.match(part):
        return "issuer"
    return None


def find_header(lines: list[str]) -> tuple[Table | None, set[int], list[str]]:
    """The document header at the top of the text (issuer | quốc hiệu; Số | place, date).

    Scans from one of the first three non-blank lines while every line is a header part;
    returns the borderless table, the consumed line indices and their texts.
    """
    nonblank = [i for i, s in enumerate(lines) if s.strip()][:3]
    for start in nonblank:
        cells = {"issuer": [], "qh": [], "so": [], "date": []}
        used: set[int] = set()
        texts: list[str] = []
        prev = None
        for i in range(start, min(len(lines), start + 25)):
            raw = lines[i]
            if not raw.strip():
                continue
            if DEBRIS_LINE.match(raw.strip()):
                used.add(i)
                continue
            parts = split_header_line(raw)
            kinds = []
            for p in parts:
                k = classify_header_part(p, prev)
                if k is None or (k == "issuer" and (cells["so"] or cells["date"]) and len(parts) == 1):
                    break  # not a header part, or an upper-case line below "Số"/date: the title
                kinds.append(k)
                prev = k
            if len(kinds) != len(parts):
                break
            for p, k in zip(parts, kinds):
                cells[k].append(p)
                texts.append(p)
            used.add(i)
        if (cells["qh"] and cells["issuer"]) or (cells["so"] and cells["date"]):
            rows = []
            if cells["issuer"] or cells["qh"]:
                rows.append([_lines_runs(cells["issuer"], "issuer"), _lines_runs(cells["qh"], "qh")])
            if cells["so"] or cells["date"]:
                rows.append([_lines_runs(cells["so"], "so"), _lines_runs(cells["date"], "date")])
            table = Table(rows=rows, header_rows=0, doc_header=True)
            return table, used, texts
    return None, set(), []


def _lines_runs(lines: list[str], kind: str) -> list[Run]:
    """A header cell: its lines separated by line breaks ("\n"), styled by kind."""
    runs: list[Run] = []
    for n, s in enumerate(lines):
        bold = kind == "qh" or (kind == "issuer" and (n > 0 or len(lines) == 1))
        runs.append(Run(s + ("\n" if n < len(lines) - 1 else ""), bold=bold, italic=kind == "date"))
    return runs


# --------------------------------------------------------------------------- paragraphs

def _key(s: str) -> str:
    return "".join(MD_HEADING.sub("", s).replace("**", "").split())


def _group_lines(clean: list[str], whole: bool) -> list[list[int]]:
    """Indices of the lines that make each paragraph, by the normalizer's re-joining rules."""
    if whole:
        return [list(range(len(clean)))] if clean else []
    groups: list[list[int]] = []
    i = 0
    squash = lambda s: re.sub(r"[\s\-]", "", s)  # noqa: E731 - joins may drop a wrap hyphen
    for para in rejoin_wrapped(clean):
        target, got, members = len(squash(para)), 0, []
        while i < len(clean) and (got < target or not members):
            got += len(squash(clean[i]))
            members.append(i)
            i += 1
        groups.append(members)
    if i < len(clean):
        groups.append(list(range(i, len(clean))))
    return groups


def paragraphs_of_block(raw_lines: list[str]) -> list[Para]:
    """One txt block (its raw lines) as Word paragraphs."""
    md = [bool(MD_HEADING.match(s)) for s in raw_lines]
    texts = []
    for s in raw_lines:
        s = nfc(MD_HEADING.sub("", s))
        if "\t" in s.strip():  # a lone two-cell line (signature beside "Nơi nhận"): one tab
            s = "\t".join(p.strip() for p in s.split("\t") if p.strip())
        texts.append(s.strip())
    keep = [i for i, s in enumerate(texts) if s and not DEBRIS_LINE.match(clean_inline_keep_tabs(s) or "-")]
    if not keep:
        return []
    plain, styles = parse_inline("\n".join(texts[i] for i in keep))
    lines, line_styles, pos = [], [], 0
    for part in plain.split("\n"):
        lines.append(part)
        line_styles.append(styles[pos:pos + len(part)])
        pos += len(part) + 1
    clean = [clean_inline_keep_tabs(s) for s in lines]
    paras = []
    for members in _group_lines(clean, whole=any(md[i] for i in keep)):
        group = [lines[m] for m in members]
        title_like = len(group) > 1 and (all(is_upper(s) for s in group) or any(md[keep[m]] for m in members)
                                         or all(b for st in (line_styles[m] for m in members) for b, _ in st))
        joiner = "\n" if title_like else " "
        text, st = "", []
        for n, m in enumerate(members):
            if n:
                text += joiner
                st.append(line_styles[m][0] if line_styles[m] else (False, False))
            text += lines[m]
            st.extend(line_styles[m])
        para = Para(runs=runs_from(text, st))
        para.kind = "title" if any(md[keep[m]] for m in members) else "body"
        paras.append(para)
    return paras


def classify(paras: list[Para]) -> None:
    """Headings, title zone (centered), page breaks, recipients list."""
    title_zone = True
    in_recipients = False
    started = False
    last_break = -10
    for n, p in enumerate(paras):
        t = p.text
        first = t.split("\n")[0]
        md_title = p.kind == "title"
        if (ROMAN_HEADING.match(first) and is_upper(first)) or APPENDIX.match(first):
            p.kind = "heading1"
        elif NUMBERED.match(first) and len(t) <= 120 and "\n" not in t and not re.search(r"[.;]$|:\s*\S", t):
            p.kind = "heading2"
        elif RECIPIENTS.match(t):
            p.kind, in_recipients = "recipients", True
            continue
        elif in_recipients and t.startswith(("-", "+")):
            p.kind = "recipient"
            continue
        elif title_zone and not BODY_START.match(t) and len(t) <= 200 and not t.startswith(("-", "+")):
            p.kind = "title"
        elif (is_upper(t) and len(t) <= 160) or md_title:
            p.kind = "title"
        else:
            p.kind = "body"
        in_recipients = False
        if p.kind in ("heading1", "heading2", "body"):
            title_zone = False
        if p.kind == "heading1" and APPENDIX.match(first) and started:
            p.page_break = True
            title_zone = True
        elif p.kind == "title" and DOC_TYPE_TITLE.match(first) and started and n - last_break > 3:
            p.page_break = True  # an attached plan or annex title, not the one just below "PHỤ LỤC"
            title_zone = True
        if p.page_break:
            last_break = n
        if p.kind in ("heading1", "heading2", "body"):
            started = True


# --------------------------------------------------------------------------- tables

def header_row_count(rows: list[list[str]]) -> int:
    """Leading header rows: a row joins the header while some column has no header text yet
    and that row fills one of those columns ("Năm 2020" over "Tổng | Ngân sách tỉnh ...")."""
    if len(rows) < 2:
        return len(rows)
    n = 1
    width = len(rows[0])
    while n < len(rows) and n < 4:
        empty = [c for c in range(width) if not any(rows[r][c].strip() for r in range(n))]
        if not empty or not any(rows[n][c].strip() for c in empty):
            break
        n += 1
    return n


def merge_table_blocks(blocks: list[list[list[str]]]) -> list[list[str]]:
    """Consecutive table blocks repeating the same header rows (page breaks in the source)
    are one table: the repeated header rows are dropped."""
    rows = [list(r) for r in blocks[0]]
    head = rows[:header_row_count(rows)]
    for b in blocks[1:]:
        body = b[len(head):] if b[:len(head)] == head else b
        rows.extend(list(r) for r in body)
    return rows


def build_table(rows: list[list[str]]) -> Table:
    return Table(rows=[[cell_runs(c) for c in r] for r in rows], header_rows=header_row_count(rows))


def header_merges(t: Table) -> list[tuple[int, int, int, int]]:
    """(row0, col0, row1, col1) ranges to merge in the header rows."""
    h = t.header_rows
    if h < 2:
        return []
    width = len(t.rows[0])
    filled = [[bool(t.cell_text(r, c).strip()) for c in range(width)] for r in range(h)]
    merges = []
    taken = [[False] * width for _ in range(h)]
    for r in range(h):
        for c in range(width):
            if not filled[r][c] or taken[r][c]:
                continue
            c1 = c
            while c1 + 1 < width and not filled[r][c1 + 1] and any(filled[rr][c1 + 1] for rr in range(r + 1, h)):
                c1 += 1
            r1 = r
            while r1 + 1 < h and not any(filled[r1 + 1][cc] for cc in range(c, c1 + 1)):
                r1 += 1
            if (r1, c1) != (r, c):
                merges.append((r, c, r1, c1))
            for rr in range(r, r1 + 1):
                for cc in range(c, c1 + 1):
                    taken[rr][cc] = True
    return merges


def note_spans(t: Table) -> list[tuple[int, int, int, int]]:
    """A long note in a narrow column with only empty cells after it spans to the row end
    (the source merged them: "Từ nguồn kinh phí được cấp ..." across the money columns)."""
    width = len(t.rows[0])
    spans = []
    for c in range(1, width - 2):  # at least two empty cells to cover
        lengths = sorted(len(t.cell_text(r, c)) for r in range(t.header_rows, len(t.rows)) if t.cell_text(r, c))
        typical = lengths[len(lengths) // 2] if lengths else 0
        for r in range(t.header_rows, len(t.rows)):
            text = t.cell_text(r, c)
            if len(text) > 40 and len(text) > 3 * typical and not any(
                    t.cell_text(r, cc).strip() for cc in range(c + 1, width)):
                spans.append((r, c, r, width - 1))
    return spans


# --------------------------------------------------------------------------- txt -> plan

def plan_from_text(stem: str, text: str) -> Plan:
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    plan = Plan(stem)
    header, used, plan.header_lines = find_header(lines)
    rest = [("" if i in used else s) for i, s in enumerate(lines)]
    head_at = min(used) if used else None
    blocks = blocks_from_text("\n".join(rest))
    ptr = 0
    paras_and_tables: list = []
    pending_tables: list[list[list[str]]] = []

    def flush_tables() -> None:
        if pending_tables:
            paras_and_tables.append(build_table(merge_table_blocks(pending_tables)))
            pending_tables.clear()

    header_placed = header is None
    for block in blocks:
        if block.kind == "table":
            if pending_tables and len(pending_tables[0][0]) != len(block.rows[0]):
                flush_tables()
            pending_tables.append(block.rows)
            continue
        flush_tables()
        raw: list[str] = []
        for bl in block.text.split("\n"):
            k = _key(bl)
            j = ptr
            while j < len(rest) and _key(rest[j]) != k:
                j += 1
            if j == len(rest):
                raise ValueError(f"{stem}: cannot find block line {bl[:60]!r} in the text")
            raw.append(rest[j])
            ptr = j + 1
        if not header_placed and head_at is not None and ptr - 1 > head_at:
            paras_and_tables.append(header)
            header_placed = True
        paras_and_tables.extend(paragraphs_of_block(raw))
    flush_tables()
    if not header_placed:
        paras_and_tables.insert(0, header)
    classify([x for x in paras_and_tables if isinstance(x, Para)])
    plan.items = paras_and_tables
    return plan


# --------------------------------------------------------------------------- DOCX writer

def _set_fonts(rpr_owner, name: str = "Times New Roman") -> None:
    """All four font slots, no theme fonts (theme fonts win over named ones)."""
    from docx.oxml.ns import qn
    rpr = rpr_owner.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in list(fonts.attrib):
        if attr.endswith("Theme"):
            del fonts.attrib[attr]
    for slot in ("ascii", "hAnsi", "cs", "eastAsia"):
        fonts.set(qn(f"w:{slot}"), name)


def _set_cell_borders(table, visible: bool) -> None:
    from docx.oxml.ns import qn
    tbl_pr = table._tbl.tblPr
    borders = tbl_pr.find(qn("w:tblBorders"))
    if borders is None:
        borders = tbl_pr.makeelement(qn("w:tblBorders"), {})
        tbl_pr.append(borders)
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = borders.find(qn(f"w:{edge}"))
        if el is None:
            el = borders.makeelement(qn(f"w:{edge}"), {})
            borders.append(el)
        if visible:
            el.set(qn("w:val"), "single")
            el.set(qn("w:sz"), "4")
            el.set(qn("w:space"), "0")
            el.set(qn("w:color"), "000000")
        else:
            el.set(qn("w:val"), "nil")


def _keep_row_together(row, header: bool) -> None:
    """No row split over two pages; header rows repeat on every page (w:tblHeader)."""
    from docx.oxml.ns import qn
    tr_pr = row._tr.get_or_add_trPr()
    if header:
        tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
    tr_pr.append(tr_pr.makeelement(qn("w:cantSplit"), {}))


def _add_runs(paragraph, runs: list[Run], size=None) -> None:
    from docx.enum.text import WD_BREAK
    for r in runs:
        parts = r.text.split("\n")
        for n, part in enumerate(parts):
            if n:
                paragraph.add_run().add_break(WD_BREAK.LINE)
            if not part:
                continue
            pieces = part.split("\t")
            for k, piece in enumerate(pieces):
                if k:
                    paragraph.add_run().add_tab()
                if piece:
                    run = paragraph.add_run(piece)
                    run.bold = r.bold or None
                    run.italic = r.italic or None
                    if size:
                        run.font.size = size


def _set_grid(table, widths) -> None:
    """Column widths in the table grid and a fixed table width (LibreOffice reads the grid)."""
    from docx.oxml.ns import qn
    for col, w in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(int(w.twips)))
    tbl_w = table._tbl.tblPr.find(qn("w:tblW"))
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(int(sum(w.twips for w in widths))))


def _column_widths(t: Table, total_cm: float, font_pt: float) -> list[float]:
    """Column widths (cm) that fit each column's longest word, shared out by typical length."""
    em = font_pt * 0.03528  # cm
    pad = 0.45  # cell margins
    width = len(t.rows[0])
    floor, want = [], []
    for c in range(width):
        texts = [t.cell_text(r, c) for r in range(len(t.rows))]
        longest = max((len(w) for s in texts for w in s.split()), default=1)
        lengths = sorted(len(s) for s in texts[t.header_rows:] if s) or [1]
        p90 = lengths[int(0.9 * (len(lengths) - 1))]
        floor.append(longest * 0.62 * em + pad)
        want.append(max(floor[-1], min(p90, 60) * 0.5 * em + pad))
    if sum(want) <= total_cm:
        return [w * total_cm / sum(want) for w in want]
    spare = max(0.0, total_cm - sum(floor))
    extra = [w - f for w, f in zip(want, floor)]
    return [f + spare * e / (sum(extra) or 1) for f, e in zip(floor, extra)]


def write_docx(plan: Plan, path: Path) -> None:
    import docx  # imported here so --help works without the venv
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt, RGBColor

    doc = docx.Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Cm(21), Cm(29.7)
    sec.top_margin, sec.bottom_margin = Cm(2), Cm(2)
    sec.left_margin, sec.right_margin = Cm(3), Cm(2)
    text_cm = 16.0

    normal = doc.styles["Normal"]
    normal.font.size = Pt(13)
    _set_fonts(normal.element)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.1
    for name, size in (("Heading 1", 13), ("Heading 2", 13)):
        st = doc.styles[name]
        _set_fonts(st.element)
        st.font.size = Pt(size)
        st.font.bold = True
        st.font.italic = False
        st.font.color.rgb = RGBColor(0, 0, 0)
        st.paragraph_format.space_before = Pt(6)
        st.paragraph_format.space_after = Pt(6)
        st.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT

    for item in plan.items:
        if isinstance(item, Para):
            style = {"heading1": "Heading 1", "heading2": "Heading 2"}.get(item.kind)
            p = doc.add_paragraph(style=style)
            fmt = p.paragraph_format
            runs = item.runs
            size = None
            if item.kind == "title":
                fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
                upper = is_upper(item.text)
                if upper or not any(r.italic for r in runs):
                    runs = [Run(r.text, bold=r.bold or upper or not item.text.startswith("("), italic=r.italic)
                            for r in runs]
            elif item.kind == "body":
                fmt.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                fmt.first_line_indent = Cm(1)
            elif item.kind == "recipients":
                runs = [Run(r.text, bold=True, italic=True) for r in runs]
                size = Pt(12)
                fmt.space_after = Pt(0)
            elif item.kind == "recipient":
                size = Pt(11)
                fmt.space_after = Pt(0)
            if item.page_break:
                fmt.page_break_before = True
            _add_runs(p, runs, size)
            continue
        t = item
        width = len(t.rows[0])
        table = doc.add_table(rows=len(t.rows), cols=width)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        _set_cell_borders(table, visible=not t.doc_header)
        small = Pt(11) if width <= 5 else Pt(10)
        widths = [text_cm / 2] * 2 if t.doc_header else _column_widths(t, text_cm, small.pt)
        grid = table._cells  # one pass: table.cell(r, c) rebuilds the grid on every call
        for r, row in enumerate(table.rows):
            _keep_row_together(row, header=r < t.header_rows)
        for n, cell in enumerate(grid):
            cell.width = Cm(widths[n % width])
        _set_grid(table, [Cm(w) for w in widths])
        for r0, c0, r1, c1 in header_merges(t) + note_spans(t):
            merged = grid[r0 * width + c0].merge(grid[r1 * width + c1])
            merged.width = Cm(sum(widths[c0:c1 + 1]))
        grid = table._cells
        done = set()
        for r in range(len(t.rows)):
            for c in range(width):
                cell = grid[r * width + c]
                if cell._tc in done:  # a merged cell shows up once per grid position
                    continue
                done.add(cell._tc)  # the set keeps the lxml proxies alive, so identity holds
                for extra in cell.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
                p = cell.paragraphs[0]
                p.paragraph_format.space_after = Pt(0 if not t.doc_header else 2)
                p.paragraph_format.first_line_indent = None
                if t.doc_header or r < t.header_rows:
                    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
                runs = t.rows[r][c]
                if r < t.header_rows:
                    runs = [Run(x.text, bold=True, italic=x.italic) for x in runs]
                _add_runs(p, runs, None if t.doc_header else small)
        doc.add_paragraph()  # Word glues adjacent tables together; keep them apart
    cp = doc.core_properties
    cp.author = cp.last_modified_by = "vnplan corpus"
    cp.title = plan.stem
    cp.created = cp.modified = FIXED_DATE.replace(tzinfo=None)
    cp.revision = 1
    cp.comments = ""
    buf = io.BytesIO()
    doc.save(buf)
    path.write_bytes(_stable_zip(buf.getvalue()))


def _stable_zip(data: bytes) -> bytes:
    """The same package with fixed member timestamps, so equal content gives equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o644 << 16
            dst.writestr(fixed, src.read(info))
    return out.getvalue()


# --------------------------------------------------------------------------- LibreOffice

def soffice_convert(files: list[Path], fmt: str, outdir: Path, tag: str) -> None:
    """One headless LibreOffice run with a private profile (safe next to other runs)."""
    if not files:
        return
    profile = Path(tempfile.mkdtemp(prefix=f"vnplan_lo_{tag}_"))
    try:
        cmd = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--norestore",
               "--convert-to", fmt, "--outdir", str(outdir), *map(str, files)]
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=600,
                             env={**os.environ, "HOME": str(profile)})
        if res.returncode != 0:
            raise RuntimeError(f"soffice failed ({res.returncode}): {res.stderr[-500:]}")
    finally:
        shutil.rmtree(profile, ignore_errors=True)


# --------------------------------------------------------------------------- scans

SCAN_MAX_BYTES = int(4.8 * 2**20)
# (output dpi, JPEG quality), best first: the first that keeps the file under SCAN_MAX_BYTES
SCAN_SETTINGS = [(300, 40), (240, 35), (200, 40)]


def scan_look(im, rng: random.Random):
    """A light scan look: tiny rotation, greyish paper with grain and specks, soft focus."""
    import numpy as np
    from PIL import Image, ImageFilter

    im = im.rotate(rng.uniform(-0.45, 0.45), resample=Image.BICUBIC, fillcolor=255)
    noise = np.random.default_rng(rng.randrange(2**32))
    arr = np.asarray(im, dtype=np.float32) * 0.92 + 12 + noise.normal(0.0, 6.0, (im.height, im.width))
    n = int(2e-5 * arr.size)
    arr[noise.integers(0, im.height, n), noise.integers(0, im.width, n)] = 90
    return Image.fromarray(np.clip(arr, 0, 255).astype(np.uint8), "L").filter(ImageFilter.GaussianBlur(0.75))


def make_scan(pdf: Path, out: Path, dpi: int = 300) -> tuple[int, int, int]:
    """Image-only PDF (JPEG pages, no text layer) of `pdf` rendered at `dpi` with a scan look.

    Returns (pages, output dpi, JPEG quality): dense documents are stored at a lower
    resolution or quality so the file stays under SCAN_MAX_BYTES.
    """
    from PIL import Image

    with tempfile.TemporaryDirectory(prefix="vnplan_scan_") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", str(pdf), f"{tmp}/p"], check=True)
        pages = [scan_look(Image.open(p).convert("L"), random.Random(f"{out.stem}:{n}"))
                 for n, p in enumerate(sorted(Path(tmp).glob("p-*.pgm")))]
    stamp = FIXED_DATE.timetuple()  # Pillow writes a struct_time as the PDF date
    for out_dpi, quality in SCAN_SETTINGS:
        imgs = pages if out_dpi == dpi else [
            p.resize((p.width * out_dpi // dpi, p.height * out_dpi // dpi), Image.LANCZOS) for p in pages]
        buf = io.BytesIO()
        imgs[0].save(buf, "PDF", save_all=True, append_images=imgs[1:], resolution=float(out_dpi),
                     quality=quality, title=out.stem, producer="vnplan scan", creator="vnplan scan",
                     creationDate=stamp, modDate=stamp)
        if buf.tell() <= SCAN_MAX_BYTES:
            break
    out.write_bytes(buf.getvalue())
    return len(pages), out_dpi, quality


# --------------------------------------------------------------------------- HTML news page

def slug(text: str) -> str:
    s = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    s = "".join(c for c in s if not unicodedata.combining(c)).lower()
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")[:80]


def write_news_html(txt: Path, out: Path) -> None:
    """The news-article seed as a web page: nav, breadcrumbs, article, sidebar, related links."""
    lines = [nfc(s) for s in txt.read_text(encoding="utf-8").split("\n")]
    blocks: list[list[str]] = [[]]
    for s in lines:
        if s.strip():
            blocks[-1].append(s)
        elif blocks[-1]:
            blocks.append([])
    blocks = [b for b in blocks if b]
    # The seed ends with the page's related-links list: one block of indented lines.
    links: list[str] = []
    if len(blocks[-1]) >= 3 and all(re.match(r"^(\s|\(\d+ tệp\))", s) for s in blocks[-1]):
        links = blocks.pop()
    paras = [" ".join(s.strip() for s in b) for b in blocks]
    title, stamp, body = paras[0], paras[1], paras[2:]
    dt = datetime.strptime(stamp, "%d/%m/%Y %I:%M:%S %p")
    esc = html.escape
    paras = "\n".join(f"        <p><strong>{esc(p)}</strong></p>" if NUMBERED.match(p) and len(p) <= 120
                       and not re.search(r"[.;]$|:\s*\S", p) else f"        <p>{esc(p)}</p>" for p in body)
    items = []
    for n, raw in enumerate(links, 1):
        m = re.match(r"^\s*(\(\d+ tệp\))?\s*(.*)$", raw)
        files, text = m.group(1), m.group(2).strip()
        badge = f'<span class="attach">{esc(files)}</span> ' if files else ""
        items.append(f'          <li>{badge}<a href="/van-ban/{slug(text)}-{9000 + n}.html">{esc(text)}</a></li>')
    page = f"""<!DOCTYPE html>
<html lang="vi">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{esc(title)} - Cổng thông tin Nông thôn mới</title>
  <meta property="og:title" content="{esc(title)}">
  <meta property="og:type" content="article">
  <meta property="article:published_time" content="{dt.isoformat()}">
  <link rel="stylesheet" href="/static/css/site.css">
</head>
<body>
  <header class="site-header">
    <div class="brand"><a href="/"><img src="/static/img/logo.png" alt="Logo"> Cổng thông tin Nông thôn mới</a></div>
    <form class="search" action="/tim-kiem" method="get"><input type="search" name="q" placeholder="Tìm kiếm..."><button type="submit">Tìm</button></form>
    <nav class="main-menu">
      <ul>
        <li><a href="/">Trang chủ</a></li>
        <li><a href="/gioi-thieu.html">Giới thiệu</a></li>
        <li><a href="/tin-tuc.html">Tin tức - Sự kiện</a></li>
        <li class="active"><a href="/ocop.html">Chương trình OCOP</a></li>
        <li><a href="/van-ban.html">Văn bản chỉ đạo</a></li>
        <li><a href="/hoi-dap.html">Hỏi đáp</a></li>
        <li><a href="/lien-he.html">Liên hệ</a></li>
      </ul>
    </nav>
  </header>
  <div class="container">
    <nav class="breadcrumb" aria-label="breadcrumb">
      <a href="/">Trang chủ</a> &rsaquo; <a href="/ocop.html">Chương trình OCOP</a> &rsaquo; <span>Văn bản chỉ đạo</span>
    </nav>
    <main class="content">
      <article class="news-detail">
        <h1 class="title">{esc(title)}</h1>
        <div class="meta"><time datetime="{dt.isoformat()}">{esc(stamp)}</time></div>
        <div class="body">
{paras}
        </div>
        <div class="share"><a href="#" class="print">In bài</a> | <a href="#" class="email">Gửi email</a></div>
      </article>
      <section class="related">
        <h2>Các tin khác</h2>
        <ul class="related-links">
{chr(10).join(items)}
        </ul>
      </section>
    </main>
    <aside class="sidebar">
      <section class="box">
        <h3>Chuyên mục</h3>
        <ul>
          <li><a href="/ocop/tin-hoat-dong.html">Tin hoạt động</a></li>
          <li><a href="/ocop/san-pham.html">Sản phẩm OCOP</a></li>
          <li><a href="/ocop/hoi-cho.html">Hội chợ, triển lãm</a></li>
          <li><a href="/ocop/tai-lieu.html">Tài liệu hướng dẫn</a></li>
        </ul>
      </section>
      <section class="box">
        <h3>Liên kết website</h3>
        <ul>
          <li><a href="https://chinhphu.vn" rel="external">Cổng thông tin điện tử Chính phủ</a></li>
          <li><a href="https://www.mard.gov.vn" rel="external">Bộ Nông nghiệp và Phát triển nông thôn</a></li>
        </ul>
      </section>
      <section class="box stats"><h3>Thống kê truy cập</h3><p>Đang truy cập: 27</p><p>Tổng lượt truy cập: 1.204.311</p></section>
    </aside>
  </div>
  <footer class="site-footer">
    <p>Cổng thông tin Nông thôn mới - Chương trình mỗi xã một sản phẩm (OCOP)</p>
    <p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p>
  </footer>
  <script src="/static/js/site.js"></script>
</body>
</html>
"""
    out.write_text(page, encoding="utf-8")


# --------------------------------------------------------------------------- checks

def squash(text: str) -> str:
    return "".join(nfc(text).split())


def check_pdf(plan: Plan, pdf: Path) -> str:
    """Text comes back NFC with every paragraph; tables come back from extract_tables()."""
    import pdfplumber
    with pdfplumber.open(pdf) as doc:
        texts = [p.extract_text() or "" for p in doc.pages]
        ntables = sum(len(p.extract_tables()) for p in doc.pages)
    full = "\n".join(texts)
    problems = []
    if not unicodedata.is_normalized("NFC", full):
        problems.append("text not NFC")
    flat = squash(full)
    paras = [p for p in plan.items if isinstance(p, Para)]
    missing = [p.text for p in paras if squash(p.text.replace("\t", " ")) not in flat]
    if missing:
        problems.append(f"{len(missing)}/{len(paras)} paragraphs not found, e.g. {missing[0][:70]!r}")
    # Word spacing must survive too, except where a line wraps after a hyphen ("QĐ-\nUBND"),
    # which the PDF keeps as a line end: counted, not a failure.
    spaced = " ".join(nfc(full).split())
    unhyphen = lambda s: re.sub(r"-\s+", "-", s)  # noqa: E731
    spaced_nh = unhyphen(spaced)
    respaced = [p.text for p in paras if p.text not in missing and " ".join(p.text.split()) not in spaced]
    wrapped = [t for t in respaced if unhyphen(" ".join(t.split())) in spaced_nh]
    broken = [t for t in respaced if t not in wrapped]
    if broken:
        problems.append(f"{len(broken)} paragraphs with other word spacing, e.g. {broken[0][:70]!r}")
    want = sum(1 for t in plan.items if isinstance(t, Table) and not t.doc_header)
    if want and ntables < want:
        problems.append(f"extract_tables found {ntables} tables, want >= {want}")
    status = "ok" if not problems else "; ".join(problems)
    wraps = f", {len(wrapped)} paragraphs wrap after a hyphen" if wrapped else ""
    return f"{len(texts)} pages, {ntables} tables{wraps}: {status}"


def check_scan(scan: Path, source_pdf: Path, pages: list[int]) -> str:
    """No text layer; Tesseract (vie) reads sampled pages close to the source text."""
    import pdfplumber
    from rapidfuzz import fuzz
    with pdfplumber.open(scan) as doc:
        layer = "".join((p.extract_text() or "") for p in doc.pages).strip()
        n = len(doc.pages)
    with pdfplumber.open(source_pdf) as doc:
        truth = {i: doc.pages[i].extract_text() or "" for i in range(len(doc.pages))}
    pages = sorted({p if p >= 0 else n + p for p in pages})

    def ocr(i: int) -> float:
        with tempfile.TemporaryDirectory(prefix="vnplan_ocr_") as tmp:
            subprocess.run(["pdftoppm", "-r", "300", "-gray", "-f", str(i + 1), "-l", str(i + 1), str(scan),
                            f"{tmp}/p"], check=True)
            img = next(Path(tmp).glob("p-*"))
            got = subprocess.run(["tesseract", str(img), "-", "-l", "vie"], capture_output=True, text=True).stdout
        return fuzz.ratio(" ".join(nfc(got).split()), " ".join(nfc(truth[i]).split()))

    with cf.ThreadPoolExecutor(2) as pool:
        ratios = list(pool.map(ocr, pages))
    text_state = "no text layer" if not layer else f"TEXT LAYER FOUND ({len(layer)} chars)"
    return f"{n} pages, {text_state}, OCR similarity " + ", ".join(
        f"p{p + 1}={r:.1f}%" for p, r in zip(pages, ratios))


# --------------------------------------------------------------------------- main

def sources(only: list[str] | None) -> list[Path]:
    out = []
    for d in CORPUS_DIRS:
        for p in sorted(d.glob("*.txt")):
            if not only or p.stem in only:
                out.append(p)
    return out


def size(path: Path) -> str:
    b = path.stat().st_size
    return f"{b / 1024:.0f} KB" if b < 1 << 20 else f"{b / 2**20:.1f} MB"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--only", nargs="*", help="file stems to make (default: all)")
    ap.add_argument("--no-scans", action="store_true", help="skip the scanned PDFs")
    ap.add_argument("--no-check", action="store_true", help="skip the pdfplumber/Tesseract checks")
    args = ap.parse_args(argv)
    t0 = time.monotonic()
    txts = sources(args.only)
    plans: dict[Path, Plan] = {}
    for txt in txts:
        plan = plan_from_text(txt.stem, txt.read_text(encoding="utf-8"))
        write_docx(plan, txt.with_suffix(".docx"))
        plans[txt] = plan
    print(f"docx: {len(plans)} files ({time.monotonic() - t0:.1f}s)")

    by_dir: dict[Path, list[Path]] = {}
    for txt in txts:
        by_dir.setdefault(txt.parent, []).append(txt.with_suffix(".docx"))
    jobs = [(files, "pdf", d, d.name) for d, files in by_dir.items()]
    doc_files = [t.with_suffix(".docx") for t in txts if t.stem in DOC_STEMS]
    if doc_files:
        jobs.append((doc_files, "doc", doc_files[0].parent, "doc"))
    with cf.ThreadPoolExecutor(2) as pool:
        for fut in [pool.submit(soffice_convert, *j) for j in jobs]:
            fut.result()
    print(f"pdf/doc: LibreOffice done ({time.monotonic() - t0:.1f}s)")

    scan_jobs = []
    if not args.no_scans:
        with cf.ThreadPoolExecutor(2) as pool:
            for txt in txts:
                if txt.stem in SCAN_STEMS:
                    out = txt.parent / "scans" / f"{txt.stem}.pdf"
                    out.parent.mkdir(exist_ok=True)
                    scan_jobs.append((txt, out, pool.submit(make_scan, txt.with_suffix(".pdf"), out)))
            for txt, out, fut in scan_jobs:
                n, out_dpi, quality = fut.result()
                print(f"  scans/{out.name}: {n} pages at {out_dpi} dpi, JPEG quality {quality}")
        print(f"scans: {len(scan_jobs)} files ({time.monotonic() - t0:.1f}s)")

    for txt in txts:
        if txt.stem == HTML_STEM:
            write_news_html(txt, txt.with_suffix(".html"))

    print("\nfiles:")
    for txt in txts:
        outs = [txt.with_suffix(s) for s in (".docx", ".pdf", ".doc", ".html")]
        outs.append(txt.parent / "scans" / f"{txt.stem}.pdf")
        made = [p for p in outs if p.exists()]
        print(f"  {txt.stem}: " + ", ".join(f"{p.relative_to(txt.parent)} {size(p)}" for p in made))
    if not args.no_check:
        print("\nchecks:")
        for txt, plan in plans.items():
            print(f"  {txt.stem}.pdf: {check_pdf(plan, txt.with_suffix('.pdf'))}")
        for txt, out, _ in scan_jobs:
            print(f"  scans/{out.name}: {check_scan(out, txt.with_suffix('.pdf'), [0, 1, -1])}")
    print(f"\ntotal {time.monotonic() - t0:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
