"""Objectives (the items of the Mục tiêu sections) and their quantified targets.

Each paragraph or bullet inside an objectives section is one objective; where the plan
has no objectives section, its purpose (Mục đích) section holds the goals, as in a QĐ
whose attached plan states its numbers under "Mục đích". Requirements (Yêu cầu) never do.
Kind: "general" under a "Mục tiêu chung" heading, "specific" under "Mục tiêu cụ thể" (or
any other objectives heading), "purpose" for goals taken from a purpose section.
"""
from __future__ import annotations

import re

from pipeline.model import Document, Section, Table
from pipeline.normalize import numbering
from pipeline.parse.sections import section_at
from pipeline.parse.targets import find_targets, indicator_columns, indicator_targets
from pipeline.normalize.timex import TimeContext
from pipeline.parse.context import Context
from pipeline.parse.time_context import plan_time_context

REQUIRES = ("sections", "time")
PROVIDES = ("objectives",)

_GROUP_YEAR = re.compile(r"(?:đến|tới|năm)\s*(?:năm\s*)?((?:19|20)\d{2})", re.IGNORECASE)
_ITEM_NUMBER = re.compile(rf"^\s*(?:{numbering.LETTER}|{numbering.arabic()}|{numbering.roman('IVX')})\s*[.)]\s*")


def _goal_kinds(sections: list[Section]) -> set[str]:
    """Objectives sections hold the goals; purpose sections only where there is none."""
    return {"objectives"} if any(s.kind == "objectives" for s in sections) else {"purpose"}


def _objective_kind(section: Section, by_id: dict[str, Section]) -> str:
    if section.kind == "purpose":
        return "purpose"
    s: Section | None = section
    while s is not None and s.kind == "objectives":
        heading = s.heading.lower()
        if "chung" in heading:
            return "general"
        if "cụ thể" in heading:
            return "specific"
        s = by_id.get(s.parent) if s.parent else None
    return "specific"


def extract(doc: Document, ctx: Context) -> dict:
    return {"objectives": objectives(doc, ctx["sections"], ctx["time"])}


def extract_objectives(doc: Document, sections: list[Section], metadata: dict) -> list[dict]:
    """The objectives of a document whose sections and metadata are known."""
    return objectives(doc, sections, plan_time_context(doc, metadata))


def objectives(doc: Document, sections: list[Section], ctx: TimeContext) -> list[dict]:
    """Every objective item with its quantified targets."""
    if not sections:
        return []
    kinds = _goal_kinds(sections)
    by_id = {s.id: s for s in sections}
    out: list[dict] = []
    for line in doc.lines:
        if line.table is not None:
            continue
        inner = section_at(sections, line.start)
        sec = inner
        while sec is not None and sec.kind == "other" and sec.parent:
            sec = by_id.get(sec.parent)  # a list item "a) ..." takes its kind from above
        if sec is None or sec.kind not in kinds:
            continue
        start = line.start
        if inner.start == line.start and inner.kind != "other":
            # a heading line: only what follows a colon ("1. Mục tiêu chung: ...") is content
            if not line.start < inner.heading_end < line.end:
                continue
            start = inner.heading_end
        elif inner.start == line.start:
            item = _ITEM_NUMBER.match(line.text)
            start = line.start + (item.end() if item else 0)
        text = doc.text[start:line.end].strip()
        if len(text) < 3:
            continue
        start = doc.text.index(text, start)
        targets = find_targets(text, ctx, offset=start)
        for t in targets:
            t["span"] = doc.span(t["span"]["start"], t["span"]["end"])
        out.append({
            "id": f"o{len(out) + 1}", "section": sec.id, "kind": _objective_kind(sec, by_id),
            "text": text, "span": doc.span(start, start + len(text)), "targets": targets,
        })
    for table in doc.tables:
        out.extend(_indicator_objectives(doc, table, sections, len(out)))
    return out


def _indicator_objectives(doc: Document, table: Table, sections: list[Section], first: int) -> list[dict]:
    """Each row of an indicator table is a specific objective with its targets; a group row
    ("Đến năm 2030") gives the year of the rows under it."""
    cols = indicator_columns(table)
    if cols is None:
        return []
    ind, unit, value = cols
    out, year = [], None
    lines = {ln.row: ln for ln in doc.lines if ln.table is not None and doc.tables[ln.table] is table}
    for r, row in enumerate(table.rows[1:], start=1):
        line = lines.get(r)
        cells = [" ".join(c.replace("*", "").split()) for c in row] + [""] * 8
        if line is None or not cells[ind]:
            continue
        if not cells[value] and not cells[unit]:
            g = _GROUP_YEAR.search(cells[ind])
            year = int(g.group(1)) if g else year
            continue
        targets = indicator_targets(cells[ind], cells[unit], cells[value], year, (line.start, line.end))
        for t in targets:
            t["span"] = doc.span(line.start, line.end)
        sec = section_at(sections, line.start)
        out.append({"id": f"o{first + len(out) + 1}", "section": sec.id if sec else None, "kind": "specific",
                    "text": cells[ind], "span": doc.span(line.start, line.end), "targets": targets})
    return out
