"""Tasks of a plan: the numbered items of its tasks, solutions and appendix sections, and
the rows of its task tables (logic frames: Nội dung / Chủ trì / Phối hợp / Sản phẩm /
Thời gian).

A task is {id, section, numbering, title, text, lead, coordinators, timeline, deliverable,
span}; `lead` and `coordinators` come from the responsibility rows linked to it, and
`timeline` from the timeline entries inside it (pipeline.parse.link).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline import lexicon
from pipeline.model import Document, Line, Section, Table
from pipeline.normalize import numbering
from pipeline.normalize.fold import fold
from pipeline.parse.context import Context
from pipeline.parse.sections import section_id_at

REQUIRES = ("sections",)
PROVIDES = ("tasks", "row_tasks", "task_layouts")

TASK_KINDS = ("tasks", "solutions", "appendix")
NOT_TASK_KINDS = ("budget", "organization", "reporting", "objectives", "purpose", "requirements",
                  "scope", "closing", "preamble")
NUMBERING = re.compile(rf"^\W*(?:{numbering.arabic(2, 2)}|{numbering.roman(most=6)}|{numbering.LETTER})\W*$", re.IGNORECASE)


@dataclass
class Layout:
    """Which column of a task table holds what."""

    task: int | None = None
    lead: list[int] = field(default_factory=list)
    coordinate: list[int] = field(default_factory=list)
    implement: list[int] = field(default_factory=list)  # "Đơn vị thực hiện": responsible, no role word
    deliverable: int | None = None
    time: list[int] = field(default_factory=list)
    first_data_row: int = 1


@lru_cache(maxsize=1)
def _header_words() -> dict[str, list[str]]:
    """The table header words of the role lexicon, folded (the role parser reads the same file)."""
    return {k: [fold(w) for w in v] for k, v in lexicon.load("roles")["table_columns"].items()}


def _column_role(header: str) -> str | None:
    h = " ".join(fold(header).replace("/", " / ").split())
    if not h:
        return None
    cols = _header_words()
    if any(w in h for w in cols["coordinate"]):
        return "coordinate"
    if any(h.startswith(w) for w in cols["time"]):
        return "time"
    if any(w in h for w in cols["lead_anywhere"]):
        return "lead"
    if any(h == w or h.startswith(w + " ") for w in cols["lead"]):
        return "implement"
    if any(h.startswith(w) for w in cols["deliverable"]):
        return "deliverable"
    if any(h.startswith(w) or h == w for w in cols["task"]):
        return "task"
    if any(h.startswith(w) for w in cols.get("indicator", [])):
        return "indicator"
    return None


def table_layout(table: Table) -> Layout | None:
    """The columns of a task table, or None when the table assigns no tasks."""
    rows = table.rows
    if not rows:
        return None
    header_rows = 0
    for r in rows[:3]:
        first = (r[0] if r else "").strip("* ")
        if first and NUMBERING.match(first) and not re.fullmatch(r"\(\d+\)", first):
            break
        header_rows += 1
    header_rows = max(header_rows, 1)
    width = max(len(r) for r in rows)
    layout = Layout(first_data_row=header_rows)
    indicator = None
    for c in range(width):
        texts = [rows[i][c] for i in range(header_rows) if c < len(rows[i]) and rows[i][c].strip()]
        # the deepest header names the column ("Trách nhiệm" above "Chủ trì" | "Phối hợp")
        role = None
        for t in reversed(texts):
            role = _column_role(t)
            if role:
                break
        if role == "indicator":
            indicator = c if indicator is None else indicator
        elif role in ("task", "deliverable"):  # one column each: the first one found
            if getattr(layout, role) is None:
                setattr(layout, role, c)
        elif role:  # lead, coordinate, implement, time: every such column
            getattr(layout, role).append(c)
    if layout.task is None and indicator is not None and (layout.lead or layout.coordinate):
        layout.task = indicator  # "TT | Chỉ tiêu | Chủ trì": who answers for each indicator
    if layout.task is None or not (layout.lead or layout.coordinate or layout.implement or layout.time):
        return None
    return layout


def row_cells(row_lines: dict[tuple[int, int], Line], ti: int, ri: int) -> list[tuple[str, int]] | None:
    """Cells of row `ri` of table `ti` with their start offsets in doc.text (`row_lines`:
    Context.row_lines)."""
    line = row_lines.get((ti, ri))
    return None if line is None else line_cells(line)


def line_cells(line: Line) -> list[tuple[str, int]]:
    """The tab-separated cells of a table row line with their start offsets in doc.text."""
    out, pos = [], line.start
    for cell in line.text.split("\t"):
        out.append((cell, pos))
        pos += len(cell) + 1
    return out


def _table_tasks(doc: Document, sections: list[Section], layouts: list[Layout | None],
                 row_lines: dict[tuple[int, int], Line]) -> list[tuple[tuple[int, int], dict]]:
    out = []
    for ti, table in enumerate(doc.tables):
        layout = layouts[ti]
        if layout is None:
            continue
        for ri in range(layout.first_data_row, len(table.rows)):
            cells = row_cells(row_lines, ti, ri)
            if cells is None or layout.task >= len(cells):
                continue
            title, tstart = cells[layout.task]
            role_cells = [cells[c][0] for c in layout.lead + layout.coordinate + layout.implement + layout.time
                          if c < len(cells)]
            if not title.strip() or not any(x.strip() for x in role_cells):
                continue  # a group heading row
            deliverable = cells[layout.deliverable][0].strip() if layout.deliverable is not None and layout.deliverable < len(cells) else ""
            row_line = row_lines[(ti, ri)]
            out.append(((ti, ri), {
                "section": section_id_at(sections, row_line.start),
                "numbering": cells[0][0].strip("* .") or None if cells else None,
                "title": _clean_title(title),
                "text": title.strip(),
                "lead": [],  # filled by link() from the row's responsibilities
                "coordinators": [],
                "timeline": None,
                "deliverable": deliverable or None,
                "span": doc.span(row_line.start, row_line.end),
            }))
    return out


def _clean_title(text: str) -> str:
    t = re.sub(r"\s+", " ", text.replace("*", "")).strip(" :.;")
    return t[:300]


def _section_tasks(doc: Document, sections: list[Section]) -> list[dict]:
    """Every numbered item under a tasks, solutions or appendix section."""
    by_id = {s.id: s for s in sections}
    out = []
    for s in sections:
        if s.kind in NOT_TASK_KINDS or not s.numbering:
            continue
        ancestors = []
        p = by_id.get(s.parent) if s.parent else None
        while p is not None:
            ancestors.append(p)
            p = by_id.get(p.parent) if p.parent else None
        kinds = [a.kind for a in ancestors]
        if not any(k in TASK_KINDS for k in kinds) or any(k in NOT_TASK_KINDS for k in kinds):
            continue
        body = doc.text[s.heading_end:s.end].strip() if s.heading_end else ""
        out.append({
            "section": s.id,
            "numbering": s.numbering,
            "title": _clean_title(s.heading),
            "text": body or s.heading.strip(),
            "lead": [],
            "coordinators": [],
            "timeline": None,
            "deliverable": None,
            "span": doc.span(s.start, s.end),
        })
    return out


def extract(doc: Document, ctx: Context) -> dict:
    """tasks: in document order with ids k1..; row_tasks: the table-row tasks keyed by
    (table, row); task_layouts: per table, its columns (None for a table assigning no task)."""
    layouts = [table_layout(t) for t in doc.tables]
    tasks, row_tasks = extract_tasks(doc, ctx["sections"], layouts, ctx.row_lines)
    return {"tasks": tasks, "row_tasks": row_tasks, "task_layouts": layouts}


def extract_tasks(doc: Document, sections: list[Section], layouts: list[Layout | None],
                  row_lines: dict[tuple[int, int], Line]) -> tuple[list[dict], dict[tuple[int, int], dict]]:
    """(tasks in document order with ids k1.., the table-row tasks keyed by (table, row))."""
    table = _table_tasks(doc, sections, layouts, row_lines)
    tasks = _section_tasks(doc, sections) + [t for _, t in table]
    tasks.sort(key=lambda t: (t["span"]["start"], -t["span"]["end"]))
    for i, t in enumerate(tasks, 1):
        t["id"] = f"k{i}"
    ordered = [{"id": t["id"], **{k: v for k, v in t.items() if k != "id"}} for t in tasks]
    ids = {id(t): o for t, o in zip(tasks, ordered)}
    return ordered, {key: ids[id(t)] for key, t in table}

