"""Tables recovered from text lines, for OCR'd pages whose table structure was lost.

OCR gives a ruled table back as text: one line per row ("I Sở Nông nghiệp ... 540 540 0",
cells sometimes split by tabs or "|"), or one paragraph per cell (the label, then each
number on its own line), with small cells ("I", "1", "0") often dropped. Under a table
caption that speaks of money ("PHỤ LỤC 3 KINH PHÍ ...", "ĐVT: Triệu đồng") the lines are
read back into rows: numbering, label, then the amounts in column order. Column names
come from the header lines ("Tổng", "Ngân sách tỉnh", "Vốn đối ứng").
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from pipeline.model import Document, Line
from pipeline.normalize import numbering
from pipeline.normalize.fold import fold
from pipeline.normalize.money import currency_unit, repair_ocr_digits
from pipeline.normalize.numbers import NUMBER_PATTERN
from pipeline.parse.logical_table import LogicalTable, is_numbering, table_words
from pipeline.normalize.text import is_upper

AMOUNT_TOKEN = re.compile(rf"^(?:{NUMBER_PATTERN})$")
CELL_SPLIT = re.compile(r"\t+|\s+\|\s*|\s*\|\s+|^\||\|$")
MIN_ROWS = 3

# OCR garbles a header repeated after a page break a little: a line this close to a header
# line is that repeat; "STT" is short, so its garbled forms ("SIT", "ST T") need a lower bar.
HEADER_REPEAT_SIMILARITY = 80
NUMBERING_HEADER_SIMILARITY = 65

@dataclass(frozen=True)
class MoneyWords:
    """What the recovery needs of the budget lexicon, passed in by the budget stage."""

    column_start: re.Pattern  # where a money column's name starts, anywhere in a cell
    total_column: re.Pattern  # a row-total column ("Tổng", "Tổng cộng")
    budget: re.Pattern  # words saying a table is about money ("kinh phí", "dự toán")


@dataclass
class _Row:
    numbering: str = ""
    label: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    start: int = 0
    end: int = 0


ROW_NUMBERING = re.compile(rf"^(?:{numbering.roman(most=6)}|{numbering.arabic(3, 2)}|{numbering.LETTER}"
                           rf"|{numbering.bullet('-–+*•')})[.):]?$")


@dataclass
class _Chunk:
    """One row's worth of a text line: numbering, label words, amounts."""

    numbering: str = ""
    label: list[str] = field(default_factory=list)
    amounts: list[str] = field(default_factory=list)
    continues: bool = False  # opens in lower case: the rest of the row above


def _tokens(text: str) -> list[str]:
    """Words of a line; "Z5", "1O0" (letters OCR read for digits in a number) repaired."""
    out = []
    for t in re.split(r"[\s|]+", text):
        if not t or t == "|":
            continue
        out.append(repair_ocr_digits(t))
    return out


def _is_amount(tokens: list[str], i: int) -> bool:
    """An amount, not a number inside the label ("năm 2020", "thôn 3")."""
    if not AMOUNT_TOKEN.match(tokens[i]):
        return False
    prev = fold(tokens[i - 1]).strip(",.") if i > 0 else ""
    small = re.fullmatch(r"\d{1,2}", tokens[i]) or (prev == "nam" and re.fullmatch(r"(?:19|20)\d\d", tokens[i]))
    return not (small and prev in table_words()["label_number_words"])


def _starts_row(tokens: list[str], i: int) -> bool:
    """A numbering token ("IX", "2", "-") followed by a capitalised word opens a row."""
    return (bool(ROW_NUMBERING.match(tokens[i])) and i + 1 < len(tokens)
            and tokens[i + 1][:1].isupper() and not AMOUNT_TOKEN.match(tokens[i + 1]))


def _chunks(text: str, width: int | None = None) -> list[_Chunk]:
    """Split a line into rows. OCR'd rows are often glued into one paragraph ("... thôn 540
    540 0 1 Học tập ... 60 60 2 Tư vấn ..."): a row ends after its run of amounts; with the
    table's width known, a run longer than that leaves its last number as the next
    row's numbering."""
    tokens = _tokens(text)
    out: list[_Chunk] = []
    cur = _Chunk()
    mode = "start"
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if mode == "start":
            if _starts_row(tokens, i) and not (AMOUNT_TOKEN.match(tok) and i + 1 < len(tokens) and _is_amount(tokens, i + 1)):
                cur.numbering = tok
                i += 1
            cur.continues = bool(tokens[i:i + 1]) and tokens[i][:1].islower() and not cur.numbering
            mode = "label"
            continue
        if _is_amount(tokens, i) and not (width and width >= 2 and mode == "label" and cur.label
                                          and re.fullmatch(r"\d{1,2}", tok) and _starts_row(tokens, i)):
            cur.amounts.append(tok)
            mode = "amounts"
            i += 1
            continue
        if mode == "amounts":
            if tok[:1].islower() and not _starts_row(tokens, i):
                mode = "tail"  # the label of this row goes on below its numbers
            else:
                nxt = _Chunk()
                if width and len(cur.amounts) > width and re.fullmatch(r"\d{1,2}", cur.amounts[-1]):
                    nxt.numbering = cur.amounts.pop()
                out.append(cur)
                cur = nxt
                mode = "label" if nxt.numbering else "start"
                continue
        elif mode in ("tail", "label") and cur.label and _starts_row(tokens, i):
            out.append(cur)
            cur = _Chunk()
            mode = "start"
            continue
        cur.label.append(tok)
        i += 1
    if cur.numbering or cur.label or cur.amounts:
        out.append(cur)
    return out


def _is_caption_line(text: str) -> bool:
    t = fold(text)
    return bool(table_words()["caption_start"].match(t) or t.startswith("(") or currency_unit(text) and len(text) < 60
                or table_words()["caption"].search(t) and len(text) < 200)




def _regions(doc: Document) -> list[list[Line]]:
    """Runs of text lines under a table caption ("PHỤ LỤC ...", "Biểu ..."), up to the
    next caption or real table."""
    regions: list[list[Line]] = []
    current: list[Line] | None = None
    for ln in doc.lines:
        if ln.table is not None:
            if current:
                regions.append(current)
            current = None
            continue
        if table_words()["caption_start"].match(fold(ln.text)) and len(ln.text) < 200:
            if current:
                regions.append(current)
            current = [ln]
            continue
        if current is not None:
            current.append(ln)
    if current:
        regions.append(current)
    return regions


def _header_names(lines: list[str], words: MoneyWords) -> list[str]:
    """Money column names from header lines, in order ("Tổng", "Ngân sách tỉnh", ...):
    each cell is cut where a column word starts ("Tổng Ngân sách tỉnh" -> two names)."""
    starts = words.column_start
    names: list[str] = []
    for text in lines:
        for cell in CELL_SPLIT.split(text):
            cell = (cell or "").strip()
            folded = fold(cell)
            if re.fullmatch(r"(?:nam\s*)?(?:19|20)\d\d", folded):
                names.append(cell)  # "Năm 2021": a year column
                continue
            cuts = sorted({m.start() for m in starts.finditer(folded)})
            for a, b in zip(cuts, cuts[1:] + [len(cell)]):
                piece = cell[a:b].strip(" ,;:")
                if piece:
                    names.append(piece)
    return names


def _fit_names(names: list[str], n: int, words: MoneyWords) -> list[str]:
    """n column names: from the row-total name on when there is one (the first amount of a
    row is its total), else the last n names; missing ones are numbered."""
    total = next((i for i, name in enumerate(names) if words.total_column.search(fold(name))), None)
    if total is not None:
        names = names[total:total + n]
        return names + [f"Cột {k + 3}" for k in range(len(names), n)]
    names = names[-n:] if n else []
    return [f"Cột {k + 3}" for k in range(n - len(names))] + names


def _is_header_text(text: str, words: MoneyWords) -> bool:
    folded = fold(text).strip(" .:")
    return (folded in table_words()["numbering_headers"] or bool(_header_names([text], words))
            or bool(table_words()["header_words"].search(folded)))


def _repeats_header(text: str, header: list[str]) -> bool:
    folded = fold(text)
    return any(fuzz.ratio(folded, fold(h)) >= HEADER_REPEAT_SIMILARITY for h in header) or (
        len(folded) <= 6 and any(fuzz.ratio(folded, w) >= NUMBERING_HEADER_SIMILARITY
                                 for w in table_words()["numbering_headers"]))


def _garbled_numbering(words: list[str]) -> bool:
    """ "IH Báo Khánh Hòa", "H Sở Công Thương": a Roman numeral OCR misread, opening a row."""
    return (len(words) >= 2 and len(words[0]) <= 3 and not any(ch.islower() for ch in words[0])
            and words[1][:1].isupper())


def _rows(lines: list[Line], width: int | None, words: MoneyWords) -> tuple[list[str], list[str], list[_Row]]:
    """(caption lines, header lines, rows) of one region."""
    caption: list[str] = []
    header: list[str] = []
    rows: list[_Row] = []
    pending = ""
    # one paragraph per cell (numbers on lines of their own): a label line opens a row;
    # one line per row: a label line without numbering carries on the row above
    with_amounts = [c for ln in lines[1:] for c in _chunks(ln.text, width) if c.amounts]
    cell_mode = sum(1 for c in with_amounts if not c.label and not c.numbering) >= 0.5 * max(1, len(with_amounts))
    for i, ln in enumerate(lines):
        text = ln.text.strip()
        if i == 0:
            caption.append(text)  # the "PHỤ LỤC ..." line that opened the region
            continue
        if rows and _repeats_header(text, header):
            continue  # the header repeated after a page break (OCR may garble it a little)
        chunks = _chunks(text, width)
        if not rows and not any(c.amounts for c in chunks):
            if fold(text) in table_words()["numbering_headers"]:
                header.append(text)
            elif _is_caption_line(text) or not header and is_upper(text, 3):
                caption.append(text)
            elif not is_numbering(text):
                header.append(text)
            continue
        for c in chunks:
            label = " ".join(c.label)
            if rows and len(_header_names([label], words)) >= 2 and all(re.fullmatch(r"\d{1,2}", a) for a in c.amounts):
                pending = c.amounts[-1] if c.amounts else pending  # a garbled repeat of the header
                continue
            if not rows and not label and not c.numbering and header and not _is_header_text(header[-1], words):
                label = header.pop()  # the first row's label, read before its numbers
            last = rows[-1] if rows else None
            if c.amounts and last is not None and (not c.label and not c.numbering or c.continues and not last.amounts):
                last.label += [label] if label else []
                last.amounts.extend(c.amounts)  # numbers on lines of their own belong to the row above
                last.end = ln.end
            elif c.amounts:
                rows.append(_Row(c.numbering or pending, [label] if label else [], list(c.amounts), ln.start, ln.end))
                pending = ""
            elif c.numbering and not label:
                pending = c.numbering
            elif last is not None and not c.numbering and (
                    not last.amounts or c.continues or not cell_mode and not _garbled_numbering(c.label)):
                last.label.append(label)  # the label wraps onto another line
                last.end = ln.end
            else:
                rows.append(_Row(c.numbering or pending, [label], [], ln.start, ln.end))
                pending = ""
    return caption, header, rows


def _width(rows: list[_Row]) -> int:
    """How many amount columns: the commonest run of amounts, counting only runs that do
    not end in a small number (which may be the next row's numbering glued on)."""
    clean = Counter(len(r.amounts) for r in rows
                    if r.amounts and not re.fullmatch(r"[1-9]\d?", r.amounts[-1]))
    runs = clean or Counter(len(r.amounts) for r in rows if r.amounts)
    if not runs:
        return 0
    best = max(runs.values())
    return max(k for k, c in runs.items() if c == best)


def recover_text_tables(doc: Document, found: list[LogicalTable], words: MoneyWords) -> list[LogicalTable]:
    """Budget-like tables rebuilt from the text lines of OCR'd documents (text layers and
    Word files keep their tables; their captioned prose is not a table); `words`: the
    budget lexicon's column and budget words."""
    out: list[LogicalTable] = []
    if not doc.source.get("ocr"):
        return out
    for region in _regions(doc):
        caption, header, rows = _rows(region, None, words)
        width = _width(rows)
        runs = Counter(len(r.amounts) for r in rows if r.amounts)
        if width and max(runs) > width:
            caption, header, rows = _rows(region, width, words)  # split rows glued into one line
        rows = [r for r in rows if r.label or r.amounts]
        with_amounts = [r for r in rows if r.amounts]
        if len(with_amounts) < MIN_ROWS:
            continue
        context = " ".join(caption + header)
        if not currency_unit(context) and not words.budget.search(fold(context)):
            continue  # only money tables: other OCR'd tables are too garbled to rebuild safely
        # OCR drops small cells ("0"), so the widest row shape seen more than once wins
        counts = Counter(len(r.amounts) for r in with_amounts)
        n = max((k for k, c in counts.items() if c >= 2), default=max(counts))
        names = _fit_names(_header_names(header, words), n, words)
        header_row = ["STT", "Nội dung"] + names
        table_rows = [[r.numbering, " ".join(r.label)] + (r.amounts + [""] * n)[:n] for r in rows]
        start, end = region[0].start, region[-1].end
        out.append(LogicalTable(
            id=f"r{len(found) + len(out) + 1}", header=header_row, rows=table_rows, start=start, end=end,
            caption=" ".join(caption) or None, page=region[0].page,
            pages=sorted({ln.page for ln in region if ln.page is not None}), kind="recovered",
            header_rows=[header_row], groups=[""] * len(header_row),
            row_spans=[(r.start, r.end) for r in rows], parts=[]))
    return out
