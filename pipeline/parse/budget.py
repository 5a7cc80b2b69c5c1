"""Budget: the total, its sources and the items of the budget table(s), every amount checked.

Budget tables are recognised by meaning (money words in the caption or header, amount
columns) and only in budget or appendix context. Rows nest by their numbering (I, II /
1, 2 / 1.1 / a, b / -), the totals row ("Tổng cộng") is used for checks only, and cells
holding text instead of a number are kept as notes. The total and the sources also come
from prose ("Kinh phí thực hiện: 17.770 triệu đồng, trong đó: Ngân sách tỉnh: 6.520 triệu
đồng; ..."), a source given as a range with both bounds (`amount_vnd`, `amount_max_vnd`).
`allocations` (when the text states them) split the total per scheme, programme or body.
Checks: each parent equals the sum of its children, each row's total equals the sum of its
source columns, the grand total equals the stated total.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import lexicon
from pipeline.model import Document, Line, Section
from pipeline.normalize import numbering as numbering_forms
from pipeline.normalize.fold import fold
from pipeline.normalize.numbering import style as numbering_style
from pipeline.normalize.money import (Amount, Unit, currency_unit, declared_unit, find_amounts, parse_amount,
                                     repair_ocr_digits, with_ranges)
from pipeline.parse.context import Context
from pipeline.parse.logical_table import LogicalTable, is_number_cell, is_numbering, table_words, words_re
from pipeline.parse.sections import enclosing, section_at
from pipeline.parse.tables import logical_tables
from pipeline.parse.text_tables import MoneyWords, recover_text_tables

REQUIRES = ("sections", "logical_tables")
PROVIDES = ("budget", "all_tables")

# A column is of a kind (numbering, amounts) when most of its cells are: a few notes or
# empty-looking cells ("-", "x", "Chưa xác định") do not change what the column holds.
MOSTLY = 0.6
BUDGET_KINDS = {"budget"}
AMOUNT_ROLES = ("total", "group_total", "source", "money", "rate")
TABLE_CONTEXT_KINDS = {"budget", "appendix"}


@lru_cache(maxsize=1)
def _vocab() -> dict:
    d = lexicon.load("budget")
    return {
        "budget": words_re(d["budget_words"]),
        "total_col": words_re(d["total_columns"], anchored=True),
        "source_col": words_re(d["source_columns"]),
        "column_start": words_re(d["total_columns"] + d["source_columns"]),  # anywhere in a cell
        "money_col": words_re(d["other_money_columns"]),
        "rate_col": words_re(d["rate_columns"], anchored=True),
        "not_money_col": words_re(d["not_money_columns"], anchored=True),
        "total_row": words_re(d["total_rows"], anchored=True),
        "breakdown_row": words_re(d["breakdown_rows"], anchored=True),
        "total_phrase": words_re(d["total_phrases"]),
        "total_phrase_start": words_re(d["total_phrases"], anchored=True),
        "source_intro": words_re(d["source_intro"]),
        "source_name": words_re(d["source_names"], anchored=True),
        "result_verb": words_re(d["result_verbs"]),
        "period_col": re.compile(r"(?:" + words_re(d["period_columns"]).pattern + r")\s*(?:(?:nam\s*)?(?:19|20)\d\d\s*[-–]\s*(?:nam\s*)?(?:19|20)\d\d)?"
                                 r"|(?:nam\s*)?(?:19|20)\d\d\s*[-–]\s*(?:nam\s*)?(?:19|20)\d\d"),
        "amount_filler": re.compile(r"\s+" + words_re(d["amount_fillers"]).pattern + r"\W*$"),
        # where the name of a list item's source ends when a description follows it
        # ("- Ngân sách trung ương: để thực hiện các dự án ...", "- Vốn ngoài ngân sách dự kiến 10%")
        "name_end": re.compile(r"[:(\d]|\s" + words_re(d["amount_fillers"]).pattern + r"(?!\w)"),
    }


# ---------------------------------------------------------------- columns

YEAR_HEADER = re.compile(r"^(?:nam\s*)?(?:19|20)\d\d$")


@dataclass
class Column:
    index: int
    name: str
    role: str  # total | group_total | source | money | rate (amounts); numbering | label | other
    unit: Unit | None = None
    comma_thousands: bool = False
    group: str = ""  # the spanning header above it ("Năm 2021")


def _column_role(name: str, group: str) -> str:
    v = _vocab()
    leaf, full = fold(name), fold(f"{group} {name}")
    has_currency = currency_unit(name) is not None
    if not has_currency and v["not_money_col"].search(leaf) and not v["total_col"].search(leaf):
        return "other"
    if v["rate_col"].search(leaf):
        return "rate"
    if v["total_col"].search(leaf) or v["period_col"].fullmatch(leaf.strip()):
        return "total"  # "Giai đoạn 2026-2030" beside "Năm 2026", "Năm 2027": the period's total
    if v["source_col"].search(leaf):
        return "source"
    if has_currency or v["money_col"].search(leaf) or YEAR_HEADER.match(leaf.strip()):
        return "money"
    if v["total_col"].search(full) or v["budget"].search(full):
        return "money"
    return "other"


def _columns(lt: LogicalTable, table_unit: Unit | None) -> list[Column]:
    cols = []
    width = lt.width
    for j in range(width):
        name, group = lt.header[j], lt.groups[j] if j < len(lt.groups) else ""
        leaf = name[len(group) + 3:] if group and name.startswith(f"{group} - ") else name
        cells = [r[j] for r in lt.rows if j < len(r) and r[j]]
        numeric = sum(1 for c in cells if is_number_cell(c))
        role = _column_role(leaf, group) if lt.header_rows else "other"
        if j == 0 and (fold(name).strip(" .") in table_words()["numbering_headers"] or cells and sum(
                1 for c in cells if is_numbering(c)) >= MOSTLY * len(cells)):
            role = "numbering"
        elif (role == "other" and (not lt.header_rows or lt.kind == "recovered") and cells
              and numeric >= MOSTLY * len(cells) and j >= 2):
            role = "money"  # a recovered or header-less table: numbers on the right are amounts
        if role in AMOUNT_ROLES and not numeric:
            role = "other"
        unit = currency_unit(f"{group} {name}") or table_unit
        integral = all("," not in c or re.fullmatch(r"\d{1,3}(?:,\d{3})+", c) for c in cells if is_number_cell(c))
        commas = sum(1 for c in cells if re.fullmatch(r"\d+,\d+", c))
        cols.append(Column(j, name, role, unit, comma_thousands=integral and commas < max(1, numeric) / 3,
                           group=group))
    # the label: the first text column after the numbering
    for c in cols:
        if c.role == "other" and c.index <= 2:
            c.role = "label"
            break
    # a lone amount column beside no total ("Kế hoạch vốn năm 2023") is the rows' total,
    # not one source of several
    amounts = _amount_columns(cols)
    if len(amounts) == 1 and amounts[0].role == "source":
        amounts[0].role = "total"
    # one row total, an ungrouped one first ("Tổng cộng" before "Năm 2021 - Tổng"); the
    # total of each group ("Năm 2021") is that group's; other "Kinh phí ..." are parts
    totals = sorted((c for c in cols if c.role == "total"), key=lambda c: (bool(c.group), c.index))
    for c in totals[1:]:
        if c.group and c.group != totals[0].group and not any(
                o.group == c.group and o.role == "group_total" for o in cols):
            c.role = "group_total"
        else:
            c.role = "source" if _vocab()["source_col"].search(fold(c.name)) else "money"
    return cols


def _amount_columns(cols: list[Column]) -> list[Column]:
    return [c for c in cols if c.role in AMOUNT_ROLES]


# ---------------------------------------------------------------- recognising budget tables


def _section_kind_at(sections: list[Section], offset: int) -> str | None:
    """The kind of the nearest enclosing section that may hold a budget table, else the
    innermost section's kind."""
    inner = section_at(sections, offset)
    chain = enclosing(sections, inner) if inner else []
    return next((s.kind for s in chain if s.kind in TABLE_CONTEXT_KINDS), chain[0].kind if chain else None)


def _table_unit(doc: Document, lt: LogicalTable) -> Unit | None:
    unit = currency_unit(lt.caption or "") or next(
        filter(None, (declared_unit(cell) for row in lt.header_rows for cell in row)), None)
    if unit:
        return unit
    # "ĐVT: triệu đồng" on a line of its own further above (the nearest), or just below the table
    above = [ln for ln in doc.lines_between(max(0, lt.start - 600), lt.start)[-8:] if ln.table is None]
    unit = next(filter(None, (declared_unit(ln.text) for ln in reversed(above))), None)
    if unit is None:
        after = [ln for ln in doc.lines_between(lt.end, lt.end + 300) if ln.table is None][:2]
        unit = next(filter(None, (declared_unit(ln.text) for ln in after if len(ln.text) < 80)), None)
    return unit


def _is_budget_table(lt: LogicalTable, cols: list[Column], sections: list[Section]) -> bool:
    if lt.kind not in ("data", "recovered"):
        return False
    amount_cols = _amount_columns(cols)
    if not amount_cols or not any(c.role in ("total", "source") or c.unit for c in amount_cols):
        return False
    v = _vocab()
    words = fold(" ".join([lt.caption or ""] + lt.header + lt.groups))
    money_words = bool(v["budget"].search(words)) or currency_unit(lt.caption or "") is not None or any(
        currency_unit(h) for h in lt.header)
    if not money_words:
        return False
    kind = _section_kind_at(sections, lt.start)
    if kind is None or kind in TABLE_CONTEXT_KINDS:  # no sections, or a budget/appendix one
        return True
    # outside a budget/appendix section only a table captioned as a budget counts
    return bool(v["budget"].search(fold(lt.caption or "")))


# ---------------------------------------------------------------- rows -> items



@dataclass
class _Row:
    item: dict
    values: dict  # column name -> vnd or None
    numbering: str
    label: str
    children: list = field(default_factory=list)


@dataclass
class _TableBudget:
    lt: LogicalTable
    cols: list[Column]
    rows: list[_Row]
    totals: list[dict]  # the values of totals rows
    unit: Unit | None
    garbled: int = 0  # rows whose numbering OCR lost or misread

    @property
    def nesting_known(self) -> bool:
        """OCR loses or garbles numbering ("IH" for III): then there is no tree to check."""
        return self.lt.kind != "recovered" and not self.garbled

    @property
    def total_col(self) -> Column | None:
        return next((c for c in self.cols if c.role == "total"), None)

    @property
    def main_col(self) -> Column | None:
        """The column a row's amount is read from: the row total, else the first amount."""
        return self.total_col or next(iter(_amount_columns(self.cols)), None)

    @property
    def source_cols(self) -> list[Column]:
        return [c for c in self.cols if c.role == "source"]

    @property
    def overall_sources(self) -> list[Column]:
        """Source columns of the row total (not those of a year with its own total)."""
        own_total = {c.group for c in self.cols if c.role == "group_total"}
        return [c for c in self.source_cols if c.group not in own_total]

    def totals_row(self) -> dict | None:
        """The grand totals row: of several ("Cộng" under each group), the biggest."""
        col = self.main_col
        rows = [t for t in self.totals if col is not None and t.get(col.name) is not None]
        return max(rows, key=lambda t: t[col.name]) if rows else (self.totals[0] if self.totals else None)

    def grand_total(self) -> int | None:
        """The table's own total: its totals row, else the sum of its top-level rows."""
        col = self.main_col
        if col is None:
            return None
        row = self.totals_row()
        if row and row.get(col.name) is not None:
            return row[col.name]
        return _sum_known([_effective(r, col.name) for r in self.rows if r.item["parent"] is None])


def _cell_value(cell: str, col: Column, ocr: bool = False) -> tuple[int | None, str | None]:
    """(amount, note): a number is an amount, "-" is empty, other text is a note."""
    cell = cell.strip()
    if not cell or re.fullmatch(r"[-–—x.…]+", cell):
        return None, None
    value = parse_amount(repair_ocr_digits(cell) if ocr else cell, col.unit, comma_thousands=col.comma_thousands)
    if value is None:
        return None, cell
    return value, None


def _numbering_and_label(cells: list[str], num_col: int | None, label_col: int | None,
                         ocr: bool) -> tuple[str, str, int]:
    """(numbering, label, 1 when OCR misread or lost the numbering else 0) of a row: a
    numbering cell holding words is part of the label."""
    numbering = cells[num_col].strip() if num_col is not None else ""
    label = cells[label_col].strip() if label_col is not None else ""
    if numbering and not is_numbering(numbering):
        if ocr and len(numbering) <= 4 and label:
            return "", label, 1  # "IH", "Vụ": a Roman numeral misread
        return "", f"{numbering} {label}".strip() if label else numbering, 0
    if ocr and num_col is not None and not numbering and label:
        return numbering, label, 1  # OCR lost a small cell ("I")
    return numbering, label, 0


def _row_values(cells: list[str], amount_cols: list[Column], ocr: bool) -> tuple[dict, dict]:
    """(amount per column name, note per column name where a cell holds text)."""
    values: dict = {}
    notes: dict = {}
    for c in amount_cols:
        val, note = _cell_value(cells[c.index] if c.index < len(cells) else "", c, ocr)
        values[c.name] = val
        if note:
            notes[c.name] = note
    return values, notes


def _parent_for(stack: list[tuple[str, "_Row"]], style: str) -> "_Row | None":
    """The parent of a row numbered in `style`: back to the last row of that style, whose
    parent it shares (I / 1 / a / - nest in the order they first appear)."""
    if any(s == style for s, _ in stack):
        while stack and stack[-1][0] != style:
            stack.pop()
        stack.pop()
    return stack[-1][1] if stack else None


def _table_items(doc: Document, lt: LogicalTable, cols: list[Column], unit: Unit | None, prefix: str) -> _TableBudget:
    v = _vocab()
    # the row total first in each item's amounts, wherever its column stands ("Năm 2026 |
    # Năm 2027 | Giai đoạn 2026-2030"): a reader taking the first amount takes the total
    amount_cols = sorted(_amount_columns(cols), key=lambda c: c.role != "total")
    num_col = next((c.index for c in cols if c.role == "numbering"), None)
    label_col = next((c.index for c in cols if c.role == "label"), None)
    rows: list[_Row] = []
    totals: list[dict] = []
    stack: list[tuple[str, _Row]] = []
    styles_seen: list[str] = []
    prev_page = None
    ocr = bool(doc.source.get("ocr"))
    garbled = 0
    for ri, cells in enumerate(lt.rows):
        numbering, label, misread = _numbering_and_label(cells, num_col, label_col, ocr)
        garbled += misread
        values, notes = _row_values(cells, amount_cols, ocr)
        has_amount = any(val is not None for val in values.values())
        page = doc.page_at(lt.row_spans[ri][0]) if ri < len(lt.row_spans) else None
        folded = fold(label)
        if not numbering and v["total_row"].search(folded) and (has_amount or not label_col):
            totals.append(values)
            continue
        if not numbering and not has_amount and not notes:
            if v["breakdown_row"].search(folded) or not label:
                continue
            if rows and page is not None and prev_page is not None and page != prev_page:
                rows[-1].label = f"{rows[-1].label} {label}"  # a label carried over a page break
                rows[-1].item["label"] = rows[-1].label
                continue
        prev_page = page
        style = numbering_style(numbering, styles_seen)
        if style not in styles_seen:
            styles_seen.append(style)
        parent = _parent_for(stack, style)
        item = {"id": f"{prefix}{len(rows) + 1}", "parent": parent.item["id"] if parent else None,
                "numbering": numbering.rstrip(".):") or None, "label": label or numbering or "",
                "amounts_vnd": values, "table": lt.id, "span": doc.span(*lt.row_spans[ri]) if ri < len(lt.row_spans) else None}
        if item["span"] is None:
            del item["span"]
        if notes:
            item["notes"] = notes
        row = _Row(item, values, numbering, label)
        if parent:
            parent.children.append(row)
        rows.append(row)
        stack.append((style, row))
    return _TableBudget(lt, cols, rows, totals, unit, garbled)


# ---------------------------------------------------------------- checks


def _fmt(vnd: int | None, unit: Unit | None) -> str:
    if vnd is None:
        return "—"
    m = unit.multiplier if unit else 1
    value = vnd / m
    text = f"{value:,.3f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value):,}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _joined(failures: list[str], limit: int = 8) -> str:
    more = f"; … and {len(failures) - limit} more" if len(failures) > limit else ""
    return "; ".join(failures[:limit]) + more


def _row_name(r: _Row) -> str:
    label = r.label if len(r.label) <= 50 else r.label[:47] + "..."
    return f"{r.numbering} {label}".strip()


def _tolerance(unit: Unit | None, *values: int | None) -> int:
    m = unit.multiplier if unit else 1
    return m if any(v is not None and v % m for v in values) else 0


def _sum_known(values: list[int | None]) -> int | None:
    """The sum of the amounts given (empty cells count 0), None when none is given."""
    return sum(v or 0 for v in values) if any(v is not None for v in values) else None


def _effective(r: _Row, col: str) -> int | None:
    """A row's amount, or for a group row left empty, the sum of its rows' amounts."""
    if r.values.get(col) is not None or not r.children:
        return r.values.get(col)
    return _sum_known([_effective(k, col) for k in r.children])


def _check_parents(tb: _TableBudget) -> dict:
    failures, checked = [], 0
    for r in tb.rows:
        kids = [k for k in r.children if any(v is not None for v in k.values.values())]
        if not kids:
            continue
        for c in _amount_columns(tb.cols):
            if c.role == "rate":
                continue  # a price per unit does not add up
            parent_value = r.values.get(c.name)
            kid_values = [_effective(k, c.name) for k in kids]
            if parent_value is None or all(v is None for v in kid_values):
                continue  # a group row without its own amount: its amount is its rows' sum
            checked += 1
            total = sum(v or 0 for v in kid_values)
            if abs((parent_value or 0) - total) > _tolerance(c.unit, parent_value, *kid_values):
                failures.append(f"{_row_name(r)}: {c.name} {_fmt(parent_value, c.unit)} ≠ "
                                f"{_fmt(total, c.unit)} (sum of {len(kids)} rows below)")
    detail = _joined(failures) if failures else f"{checked} parent amounts equal the sums of their rows"
    return {"rule": "parent_equals_sum_of_children", "ok": not failures, "detail": f"{tb.lt.id}: {detail}"}


def _check_row_sources(tb: _TableBudget) -> dict | None:
    """Each row's total equals the sum of its source columns (per group: "Năm 2021")."""
    pairs = []
    for total in [c for c in tb.cols if c.role in ("total", "group_total")]:
        if total.role == "group_total":
            sources = [c for c in tb.source_cols if c.group == total.group]
        else:  # the row total: sources not under a group with a total of its own ("Nguồn vốn")
            sources = tb.overall_sources
        if sources:
            pairs.append((total, sources))
    if not pairs:
        return None
    failures, checked = [], 0
    rows = [(r.values, _row_name(r)) for r in tb.rows] + [(t, "Tổng cộng") for t in tb.totals]
    for total, sources in pairs:
        for values, name in rows:
            t = values.get(total.name)
            parts = [values.get(c.name) for c in sources]
            if t is None or all(p is None for p in parts):
                continue
            checked += 1
            s = sum(p or 0 for p in parts)
            if abs(t - s) > _tolerance(total.unit, t, *parts):
                failures.append(f"{name}: {total.name} {_fmt(t, total.unit)} ≠ {_fmt(s, total.unit)} "
                                f"({' + '.join(c.name for c in sources)})")
    detail = _joined(failures) if failures else f"{checked} rows: total equals the sum of the sources"
    return {"rule": "row_total_equals_sum_of_sources", "ok": not failures, "detail": f"{tb.lt.id}: {detail}"}


def _check_grand_total(tb: _TableBudget, stated: int | None, stated_unit: Unit | None) -> list[dict]:
    out = []
    col = tb.main_col
    if col is None:
        return out
    top = [r for r in tb.rows if r.item["parent"] is None]
    top_values = [_effective(r, col.name) for r in top]
    top_sum = _sum_known(top_values)
    row_total = (tb.totals_row() or {}).get(col.name)
    if row_total is not None and top_sum is not None and tb.nesting_known:
        ok = abs(row_total - top_sum) <= _tolerance(col.unit, row_total, *top_values)
        out.append({"rule": "totals_row_equals_sum_of_items", "ok": ok,
                    "detail": f"{tb.lt.id}: totals row {_fmt(row_total, col.unit)}, sum of top-level rows "
                              f"{_fmt(top_sum, col.unit)}" + ("" if ok else f" ({len(top)} top-level rows)")})
    table_total = row_total if row_total is not None else top_sum
    if stated is not None and table_total is not None:
        ok = abs(stated - table_total) <= _tolerance(col.unit, table_total, stated)
        out.append({"rule": "grand_total_equals_stated_total", "ok": ok,
                    "detail": f"{tb.lt.id}: table {_fmt(table_total, col.unit)}, text {_fmt(stated, col.unit)}"
                              f" {(col.unit or stated_unit).text if (col.unit or stated_unit) else 'đồng'}"})
    return out


def _check_sources(tb: _TableBudget, sources: list[dict]) -> dict | None:
    """Sources stated in the text against the same-named columns of the totals row."""
    if not sources or not tb.totals or not tb.overall_sources:
        return None
    failures, checked = [], 0
    for s in sources:
        col = next((c for c in tb.overall_sources if fold(c.name) == fold(s["name"])), None)
        if col is None or s["amount_vnd"] is None:
            continue
        value = (tb.totals_row() or {}).get(col.name)
        if value is None:
            continue
        checked += 1
        if value != s["amount_vnd"]:
            failures.append(f"{s['name']}: text {_fmt(s['amount_vnd'], col.unit)}, table {_fmt(value, col.unit)}")
    if not checked:
        return None
    return {"rule": "sources_equal_stated_sources", "ok": not failures,
            "detail": f"{tb.lt.id}: " + ("; ".join(failures) if failures else f"{checked} sources agree")}


# ---------------------------------------------------------------- prose


@dataclass
class _Prose:
    total: Amount | None = None
    total_prefix: str = ""
    line_start: int = 0
    sources: list[dict] = field(default_factory=list)
    candidates: int = 0  # lines that read like a total


BULLET = re.compile(rf"^[\s\-–+•*]*(?:(?:{numbering_forms.roman()}|{numbering_forms.arabic()}|{numbering_forms.LETTER})[.)]\s*)?")
TONG = re.compile(r"\btong\b")
SENTENCE_END = re.compile(r"[.;!?]\s+(?=[^\W\d_])")


NAME_WORDS = 10  # a longer clause before an amount is a sentence, not a source's name
HEAD_NAME_WORDS = 14  # a list item's head, cut at ":" or "dự kiến": "Vốn ngoài ngân sách và các nguồn vốn hợp pháp khác"
MARKER = re.compile(rf"^\s*(?:(?P<num>{numbering_forms.roman()}|{numbering_forms.arabic()}|{numbering_forms.LETTER})[.)]"
                    rf"|(?P<bullet>[\-–+•*]))\s*")


def _source_from(text: str, amount: Amount, clause_start: int) -> dict | None:
    """ "Ngân sách tỉnh: 6.520 triệu đồng" -> {name, amount_vnd} (name must read as a source).
    A list item may describe its source before the amount ("- Ngân sách trung ương: để thực
    hiện các dự án ..., chiếm khoảng 75%-80% (khoảng 91.299 tỷ đồng - 97.386 tỷ đồng)"): its
    head is the name. A range gives its bounds, `amount_vnd` and `amount_max_vnd`.
    `_level` is the list marker the name follows ("1.", "+", "-"; "none"), for nesting."""
    name = text[clause_start:amount.start]
    name = re.sub(r"^[\s:;,.]+|[\s:;,\-–=]+$", "", name)
    v = _vocab()
    intro = v["source_intro"].match(fold(name))
    if intro and intro.start() == 0:
        name = name[intro.end():].lstrip(" :,")
    level = "none"
    marker = MARKER.match(name)
    if marker:
        # "1. Vốn ngân sách nhà nước", "+ Ngân sách trung ương": the marker is not the name
        level = numbering_style(marker.group("num") or marker.group("bullet"), [])
        name = name[marker.end():]
    name = name.lstrip(" -–+•*")
    filler = v["amount_filler"].search(fold(name))
    if filler:
        name = name[:filler.start()].rstrip(" :")
    words = NAME_WORDS
    if not _reads_as_source(name, words) and level != "none":
        end = v["name_end"].search(fold(name))
        name = name[:end.start()].rstrip(" ,;-–") if end else ""
        words = HEAD_NAME_WORDS
    if not _reads_as_source(name, words):
        return None
    out = {"name": name[:1].upper() + name[1:], "amount_vnd": amount.vnd, "_level": level}
    if amount.low_vnd is not None:
        out.update(amount_vnd=amount.low_vnd, amount_max_vnd=amount.vnd)
    return out


def _reads_as_source(name: str, max_words: int) -> bool:
    return bool(name) and len(name.split()) <= max_words and bool(_vocab()["source_name"].search(fold(name)))


def _source_level(sources: list[dict], total: int | None) -> list[dict]:
    """Sources listed at several levels ("1. Vốn ngân sách nhà nước: 650 tỷ đồng, bao gồm:
    + Ngân sách trung ương: 120 tỷ đồng; ... 2. Vốn huy động: 1.800 tỷ đồng"): the level
    whose amounts add up to the total, else the first level; one level as it is."""
    levels = list(dict.fromkeys(s["_level"] for s in sources))
    if len(levels) > 1:
        def amount_sum(xs: list[dict]) -> int:
            return sum(x["amount_vnd"] or 0 for x in xs)
        if total is None or amount_sum(sources) != total:
            by_level = {lv: [s for s in sources if s["_level"] == lv] for lv in levels}
            sources = next((xs for xs in by_level.values() if total is not None and amount_sum(xs) == total),
                           by_level[levels[0]])
    return [{k: v for k, v in s.items() if k != "_level"} for s in sources]


def _scan(lines: list, in_budget: bool) -> _Prose:
    """The total (and the sources listed after it) in `lines`. In a budget section any
    amount after a total phrase counts; elsewhere only a line opening with one."""
    v = _vocab()
    found = _Prose()
    expecting_sources = False
    for ln in lines:
        text, folded = ln.text, fold(ln.text)
        amounts = [a for a in find_amounts(text, bare_units=in_budget) if not a.per_unit]
        if not amounts:
            # a heading without an amount ends a list of sources, unless it opens one
            # ("trong đó:", "Nguồn kinh phí:")
            expecting_sources = expecting_sources and bool(
                v["source_intro"].search(folded[-25:]) or folded.rstrip().endswith(":"))
            continue
        first = amounts[0]
        ranged = with_ranges(text, amounts)  # sources may be ranges; the total is read as before
        prefix = folded[:first.start]
        # outside a budget section the total opens its sentence ("... hợp pháp khác. Tổng
        # nguồn lực của ... Kế hoạch hành động này ước tính khoảng 140.000 tỷ đồng")
        body = BULLET.sub("", SENTENCE_END.split(prefix)[-1], count=1)
        where = prefix if in_budget else body
        phrase = (v["total_phrase"] if in_budget else v["total_phrase_start"]).search(where)
        total_like = bool(phrase) and (in_budget or len(body) <= 120)
        if total_like and v["result_verb"].search(where[phrase.end():]):
            total_like = False  # "Tổng vốn đầu tư xã hội đạt khoảng 270.000 tỷ đồng": a result, not funds
        better = found.total is None or (TONG.search(prefix) and not TONG.search(found.total_prefix))
        if total_like and better:
            found.total, found.total_prefix, found.line_start = first, prefix, ln.start
            found.candidates += 1
            found.sources = []
            intro = v["source_intro"].search(folded, first.end)
            if intro:
                start = intro.end()
                for a in (r for r in ranged if r.start >= first.end):
                    src = _source_from(text, a, start)
                    if src:
                        found.sources.append(src)
                    start = a.end
            expecting_sources = True
            continue
        if total_like:
            found.candidates += 1
        if expecting_sources or (in_budget and found.total is None):
            took = False
            start = 0
            for a in ranged:
                src = _source_from(text, a, start)
                if src:
                    found.sources.append(src)
                    took = True
                start = a.end
            if took:
                continue
        expecting_sources = False
    return found


def _prose_budget(doc: Document, sections: list[Section]) -> _Prose:
    """The budget stated in sentences: in the budget section(s) first; elsewhere only a
    line opening with a total phrase, and only if the plan has one such line (per-task
    "Kinh phí: 50 triệu đồng" lines are not the plan's total) or one saying "Tổng"."""
    spans = [(s.start, s.end) for s in sections if s.kind in BUDGET_KINDS]
    text_lines = [ln for ln in doc.lines if ln.table is None]
    inside = [ln for ln in text_lines if any(a <= ln.start < b for a, b in spans)]
    found = _scan(inside, in_budget=True)
    if found.total is not None:
        found.sources = _source_level(found.sources, found.total.vnd)
        return found
    outside = _scan([ln for ln in text_lines if ln not in inside], in_budget=False)
    if outside.total is not None and (outside.candidates == 1 or TONG.search(outside.total_prefix)):
        found = outside
    found.sources = _source_level(found.sources, found.total.vnd if found.total else None)
    return found  # (or sources listed without a total, or nothing)


def _allocation_of(ln: Line) -> dict | None:
    """ "- Đề án nâng cao năng lực hệ thống y tế cơ sở: 50.000 triệu đồng (Chi tiết tại Phụ lục
    02)": a list item giving one amount to what it names -> {label, amount_vnd, span}."""
    marker = MARKER.match(ln.text)
    amounts = [a for a in find_amounts(ln.text) if not a.per_unit]
    if not marker or len(amounts) != 1:
        return None
    head = ln.text[marker.end():amounts[0].start]
    filler = _vocab()["amount_filler"].search(fold(head))
    if filler:
        head = head[:filler.start()]
    label = head.rstrip()
    if not label.endswith(":") or _reads_as_source(label.rstrip(" :"), NAME_WORDS):
        return None  # a sentence, or a source (read as one above)
    return {"label": label.rstrip(" :"), "amount_vnd": amounts[0].vnd,
            "_span": (ln.start + marker.end(), ln.start + amounts[0].end)}


def _allocations(doc: Document, total: int | None) -> list[dict]:
    """The total split as the text states it, per scheme, programme or body: a run of two or
    more list items "<name>: <amount>" outside tables whose amounts add up to the total
    ("Điều 1. Phân bổ ... 02 Đề án sau: - Đề án ...: 50.000 triệu đồng; - Đề án ...: 50.000
    triệu đồng", their detail in the annex tables)."""
    if not total:
        return []
    runs: list[list[dict]] = []
    going = False  # the last line with text was an item of the current run
    for ln in doc.lines:
        if not ln.text.strip():
            continue
        part = _allocation_of(ln) if ln.table is None else None
        if part is not None:
            if going:
                runs[-1].append(part)
            else:
                runs.append([part])
        going = part is not None
    for run in runs:
        if len(run) >= 2 and sum(p["amount_vnd"] for p in run) == total:
            return [{"label": p["label"], "amount_vnd": p["amount_vnd"], "span": doc.span(*p["_span"])} for p in run]
    return []


# ---------------------------------------------------------------- assembling


def _guess_unit(tb: _TableBudget, stated: int | None) -> Unit | None:
    """A table without a unit: the multiplier that makes its total the stated one, else
    triệu đồng for small numbers (a budget of a few thousand đồng is not a plan's budget)."""
    col = tb.main_col
    raw = tb.grand_total()
    if col is None or raw is None:
        return None
    if stated:
        for m, text in ((1, "đồng"), (1000, "nghìn đồng"), (1_000_000, "triệu đồng"), (1_000_000_000, "tỷ đồng")):
            if raw * m == stated:
                return Unit(m, text)
    return Unit(1_000_000, "triệu đồng (assumed)") if raw < 100_000 else None


def _row_labels(tb: _TableBudget) -> set[str]:
    return {fold(r.label) for r in tb.rows if r.label}


def _combine_totals(tables: list[_TableBudget]) -> int | None:
    with_total = [tb for tb in tables if tb.grand_total() is not None]
    totals = [tb.grand_total() for tb in with_total]
    if not totals:
        return None
    if len(totals) == 1:
        return totals[0]
    biggest = max(totals)
    rest = list(totals)
    rest.remove(biggest)
    if all(t == biggest for t in totals):
        # the same table twice (a summary repeated), or annexes that happen to allot the
        # same sum to different rows (two đề án of 50.000 triệu đồng each)
        labels = [_row_labels(tb) for tb in with_total]
        if any(len(a & b) * 2 > len(a | b) for i, a in enumerate(labels) for b in labels[i + 1:]):
            return biggest
        return sum(totals)
    if biggest == sum(rest):
        return biggest  # a summary table over detail tables
    return sum(totals)


def _table_sources(tables: list[_TableBudget]) -> list[dict]:
    """Sources from the totals row of the (main) table: one per source column."""
    for tb in sorted(tables, key=lambda t: t.grand_total() or 0, reverse=True):
        if not tb.overall_sources:
            continue
        out = []
        for c in tb.overall_sources:
            value = (tb.totals_row() or {}).get(c.name)
            if value is None:
                value = _sum_known([_effective(r, c.name) for r in tb.rows if r.item["parent"] is None])
            out.append({"name": c.name, "amount_vnd": value})
        return out
    return []


def with_text_tables(doc: Document, ruled: list[LogicalTable]) -> list[LogicalTable]:
    """The ruled tables and those rebuilt from OCR'd text lines, in document order."""
    v = _vocab()
    words = MoneyWords(column_start=v["column_start"], total_column=v["total_col"], budget=v["budget"])
    return sorted(ruled + recover_text_tables(doc, ruled, words), key=lambda lt: lt.start)


def all_tables(doc: Document) -> list[LogicalTable]:
    """Every logical table of a document: the tables and budget stages' work, on their own."""
    return with_text_tables(doc, logical_tables(doc))


def budget_tables(doc: Document, sections: list[Section],
                  tables: list[LogicalTable]) -> list[tuple[LogicalTable, list[Column], Unit | None]]:
    out = []
    for lt in tables:
        unit = _table_unit(doc, lt)
        cols = _columns(lt, unit)
        if _is_budget_table(lt, cols, sections):
            out.append((lt, cols, unit))
    return out


def _name_sources_from_prose(cols: list[Column], sources: list[dict]) -> None:
    """OCR garbles a multi-line header ("Ngân | sách | tỉnh" read across columns): when
    the amount columns after the total are as many as the sources the text names, they
    are those sources, in the same order."""
    rest = [c for c in _amount_columns(cols) if c.role != "total"]
    if not sources or len(rest) != len(sources) or not any(c.role == "total" for c in cols):
        return
    if [fold(c.name) for c in rest] == [fold(s["name"]) for s in sources]:
        return
    for c, src in zip(rest, sources):
        c.name, c.role = src["name"], "source"


def extract(doc: Document, ctx: Context) -> dict:
    tables = with_text_tables(doc, ctx["logical_tables"])
    return {"budget": extract_budget(doc, ctx["sections"], tables), "all_tables": tables}


def extract_budget(doc: Document, sections: list[Section], logical: list[LogicalTable] | None = None) -> dict | None:
    """The record's `budget` (None when the document states no amount); `logical`: every
    logical table (default: found here, see all_tables)."""
    if logical is None:
        logical = all_tables(doc)
    prose = _prose_budget(doc, sections)
    stated = prose.total.vnd if prose.total else None
    tables: list[_TableBudget] = []
    for n, (lt, cols, unit) in enumerate(budget_tables(doc, sections, logical), start=1):
        if lt.kind == "recovered":
            _name_sources_from_prose(cols, prose.sources)
        if unit is None:
            tb = _table_items(doc, lt, cols, None, f"b{n}.")
            unit = _guess_unit(tb, stated)
            for c in cols:
                c.unit = c.unit or unit
        tb = _table_items(doc, lt, cols, unit, f"b{n}.")
        if any(v is not None for r in tb.rows for v in r.values.values()) or tb.totals:
            tables.append(tb)
    if stated is None and not tables and not prose.sources:
        return None
    total = stated if stated is not None else _combine_totals(tables)
    if total is None and prose.sources and all(x["amount_vnd"] is not None for x in prose.sources):
        total = sum(x["amount_vnd"] for x in prose.sources)  # sources stated, total left implicit
    sources = prose.sources or _table_sources(tables)
    checks: list[dict] = []
    for tb in tables:
        if tb.nesting_known:
            checks.append(_check_parents(tb))
        else:
            why = ("rows recovered from OCR text lines" if tb.lt.kind == "recovered"
                   else f"numbering of {tb.garbled} rows lost or misread by OCR")
            checks.append({"rule": "table_structure", "ok": False,
                           "detail": f"{tb.lt.id}: {why}; nesting and sums of rows not checked"})
        checks.extend(filter(None, [_check_row_sources(tb)]))
        if len(tables) == 1:
            checks.extend(_check_grand_total(tb, stated, prose.total.unit if prose.total else None))
            checks.extend(filter(None, [_check_sources(tb, prose.sources)]))
    if len(tables) > 1 and stated is not None:
        combined = _combine_totals(tables)
        ok = combined == stated
        checks.append({"rule": "grand_total_equals_stated_total", "ok": ok,
                       "detail": f"tables {_fmt(combined, None)} đồng, text {_fmt(stated, None)} đồng"})
    if prose.sources and total is not None:
        s = sum(x["amount_vnd"] or 0 for x in prose.sources)
        s_max = sum(x.get("amount_max_vnd") or x["amount_vnd"] or 0 for x in prose.sources)
        unit = prose.total.unit if prose.total else None
        stated = _fmt(s, unit) if s == s_max else f"{_fmt(s, unit)} - {_fmt(s_max, unit)}"  # sources given as ranges
        checks.append({"rule": "stated_sources_sum_to_total", "ok": s <= total <= s_max,
                       "detail": f"sources {stated}, total {_fmt(total, unit)} {unit.text if unit else 'đồng'}"})
    unit_text = prose.total.unit.text if prose.total else (tables[0].unit.text if tables and tables[0].unit else None)
    result = {
        "total_vnd": total,
        "unit_text": unit_text,
        "sources": sources,
        "items": [r.item for tb in tables for r in tb.rows],
        "checks": checks,
    }
    allocations = _allocations(doc, total)
    if allocations:
        result["allocations"] = allocations
    if prose.total:
        result["span"] = doc.span(prose.line_start + prose.total.start, prose.line_start + prose.total.end)
    result["tables"] = [tb.lt.id for tb in tables]
    return result
