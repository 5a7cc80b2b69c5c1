"""Objectives (the items of the Mục tiêu sections) and their quantified targets.

Each paragraph or bullet inside an objectives section is one objective. The purpose
(Mục đích) section holds goals too: all of them where the plan has no objectives section
(a QĐ whose attached plan states its numbers under "Mục đích"), and beside an objectives
section those of its items that state a goal with a qualifier ("Bảo đảm đạt ít nhất 40%
địa bàn cấp xã ...", a target the objectives do not repeat). Requirements (Yêu cầu) never do. A plan
whose objectives and purpose state no number may list its goals in the content, under a
lead-in that says so ("... tập trung phấn đấu cụ thể hóa một số nội dung cơ bản sau đây:",
"... với mục tiêu:"): the items under that lead-in are its objectives.
Kind: "general" under a "Mục tiêu chung"/"tổng quát" heading, "specific" under "Mục tiêu
cụ thể" (or any other objectives heading, or a goal lead-in), "purpose" for goals taken
from a purpose section.
"""
from __future__ import annotations

import re

from pipeline.model import Document, Section, Table
from pipeline.normalize import numbering
from pipeline.parse.sections import enclosing, section_at
from pipeline.parse.targets import find_targets, goal_lead_re, indicator_columns, indicator_targets
from pipeline.normalize.timex import TimeContext
from pipeline.parse.context import Context
from pipeline.parse.time_context import plan_time_context

REQUIRES = ("sections", "time")
PROVIDES = ("objectives",)

_GROUP_YEAR = re.compile(r"(?:đến|tới|năm)\s*(?:năm\s*)?((?:19|20)\d{2})", re.IGNORECASE)
_ITEM_NUMBER = re.compile(rf"^\s*(?:{numbering.LETTER}|{numbering.arabic()}|{numbering.roman('IVX')})\s*[.)]\s*")


# Parts of a plan where a lead-in never introduces the plan's own goals.
_NOT_GOAL_KINDS = {"preamble", "decision_articles", "closing", "organization", "reporting", "budget",
                   "appendix", "requirements"}


def _objective_kind(section: Section, by_id: dict[str, Section]) -> str:
    if section.kind == "purpose":
        return "purpose"
    s: Section | None = section
    while s is not None and s.kind == "objectives":
        heading = s.heading.lower()
        if "chung" in heading or "tổng quát" in heading:
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


def _goal_section(sections: list[Section], by_id: dict[str, Section], offset: int) -> tuple[Section, Section] | None:
    """(innermost section, the section whose kind counts) at `offset`: a list item "a) ..."
    takes its kind from above."""
    inner = section_at(sections, offset)
    sec = inner
    while sec is not None and sec.kind == "other" and sec.parent:
        sec = by_id.get(sec.parent)
    return (inner, sec) if inner is not None and sec is not None else None


def _line_objective(doc: Document, line, inner: Section, ctx: TimeContext) -> tuple[int, str, list[dict]] | None:
    """(start, text, targets) of one body line; a heading line gives only what follows its
    colon ("1. Mục tiêu chung: ..."), a list item's line its text after the numbering."""
    start = line.start
    if inner.start == line.start and inner.kind != "other":
        if not line.start < inner.heading_end < line.end:
            return None
        start = inner.heading_end
    elif inner.start == line.start:
        item = _ITEM_NUMBER.match(line.text)
        start = line.start + (item.end() if item else 0)
    text = doc.text[start:line.end].strip()
    if len(text) < 3:
        return None
    start = doc.text.index(text, start)
    targets = find_targets(text, ctx, offset=start)
    for t in targets:
        t["span"] = doc.span(t["span"]["start"], t["span"]["end"])
    return start, text, targets


def _section_objectives(doc: Document, sections: list[Section], ctx: TimeContext, kinds: set[str],
                        by_id: dict[str, Section]) -> list[dict]:
    """One objective per body line of the sections of `kinds`."""
    out: list[dict] = []
    for line in doc.lines:
        if line.table is not None:
            continue
        found = _goal_section(sections, by_id, line.start)
        if found is None or found[1].kind not in kinds:
            continue
        inner, sec = found
        got = _line_objective(doc, line, inner, ctx)
        if got is None:
            continue
        start, text, targets = got
        out.append({"id": "", "section": sec.id, "kind": _objective_kind(sec, by_id),
                    "text": text, "span": doc.span(start, start + len(text)), "targets": targets})
    return out


def _goal_lead_spans(doc: Document, sections: list[Section], by_id: dict[str, Section]) -> list[tuple[int, int]]:
    """Where a section's heading or lead-in paragraph announces goals and ends with a colon
    ("..., tập trung phấn đấu cụ thể hóa một số nội dung cơ bản sau đây:"): from there to
    the section's end."""
    lead = goal_lead_re()
    spans: list[tuple[int, int]] = []
    for s in sections:
        if any(x.kind in _NOT_GOAL_KINDS for x in enclosing(sections, s)):
            continue
        first_child = next((c.start for c in sections if c.parent == s.id), s.end)
        for ln in doc.lines_between(s.start, first_child):
            text = ln.text.strip()
            if ln.table is None and text.endswith(":") and lead.search(text):
                spans.append((ln.end, s.end))
                break
    return spans


def _lead_in_objectives(doc: Document, sections: list[Section], ctx: TimeContext,
                        by_id: dict[str, Section]) -> list[dict]:
    """The items under goal lead-ins, for a plan whose objectives and purpose state no number."""
    out: list[dict] = []
    spans = _goal_lead_spans(doc, sections, by_id)
    seen: set[int] = set()
    for a, b in spans:
        for line in doc.lines_between(a, b):
            if line.table is not None or line.start in seen:
                continue
            seen.add(line.start)
            inner = section_at(sections, line.start)
            got = _line_objective(doc, line, inner, ctx) if inner else None
            if got is None:
                continue
            start, text, targets = got
            out.append({"id": "", "section": inner.id, "kind": "specific",
                        "text": text, "span": doc.span(start, start + len(text)), "targets": targets})
    return out


def _target_key(t: dict) -> tuple:
    unit = (t.get("unit") or "").lower().split()
    return t["value"], t["value_max"], t["percent"], unit[0] if unit else None


def objectives(doc: Document, sections: list[Section], ctx: TimeContext) -> list[dict]:
    """Every objective item with its quantified targets."""
    if not sections:
        return []
    by_id = {s.id: s for s in sections}
    if any(s.kind == "objectives" for s in sections):
        out = _section_objectives(doc, sections, ctx, {"objectives"}, by_id)
        # a purpose item stating a goal ("đạt ít nhất 40% ...") the objectives do not repeat
        # is a goal too; a bare count there describes an activity ("Hỗ trợ 10 hộ gia đình")
        stated = {_target_key(t) for o in out for t in o["targets"]}
        for o in _section_objectives(doc, sections, ctx, {"purpose"}, by_id):
            o["targets"] = [t for t in o["targets"] if t["qualifier"] and _target_key(t) not in stated]
            if o["targets"]:
                out.append(o)
    else:
        out = _section_objectives(doc, sections, ctx, {"purpose"}, by_id)
    out.sort(key=lambda o: o["span"]["start"] if o.get("span") else 0)
    for table in doc.tables:
        out.extend(_indicator_objectives(doc, table, sections, 0))
    if not any(o["targets"] for o in out):
        out.extend(_lead_in_objectives(doc, sections, ctx, by_id))
    for i, o in enumerate(out, start=1):
        o["id"] = f"o{i}"
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
