"""Timeline: the time expressions that schedule the plan's work.

Every line (and every table cell) is run through `pipeline.normalize.timex`; an expression
is kept when it schedules work: a task period, a deadline, an evaluation round, "thường
xuyên"/"liên tục" or a recurring duty (both = the plan's period). Left out: the issue date,
dates of cited documents, programme periods ("giai đoạn 2021-2025"), target horizons
("lũy kế đến cuối năm 2021", "tầm nhìn đến năm 2050"), a bare "năm 2019" naming a product
cycle or a programme, and report deadlines that belong to a recurring rule.
"""
from __future__ import annotations

import re

from pipeline.model import Document, Line, Section, Table
from pipeline.normalize import numbering
from pipeline.normalize.timex import TimeContext, Timex, find_timexes, words
from pipeline.parse.context import Context
from pipeline.parse.targets import indicator_columns
from pipeline.parse.tasks import line_cells
from pipeline.parse.time_context import plan_time_context, skipped_line

REQUIRES = ("sections", "time")
PROVIDES = ("timeline",)

# cues that make a bare year ("năm 2020", "2030") a schedule
_YEAR_CUES = {"year_cue", "label", "cell", "list", "from", "from_now", "deadline", "range", "lead"}
_DROP_FLAGS = {"cited", "issue_line", "blank_day", "recurring_detail", "timestamp"}


def _nospace_alt(items) -> re.Pattern:
    return re.compile("|".join(re.escape("".join(x.split())) for x in items), re.IGNORECASE)


_W = words()
# header words are matched with spaces removed: PDF text may come letter-spaced ("B ắ t đ ầ u")
_HEADER_START = _nospace_alt(_W["table_headers"]["start"])
_HEADER_END = _nospace_alt(_W["table_headers"]["end"])
_HEADER_TIME = _nospace_alt(_W["table_headers"]["time"])
_HEADER_DEADLINE = _nospace_alt(_W["table_headers"]["deadline"])
_SPACED_NUMBERS = re.compile(r"(?=.*\d\s+[\d/])[\d\s/.\-]+")  # "0 1/ 4": a letter-spaced date
_ROW_NUMBER = re.compile(rf"^\s*(?:{numbering.arabic()}|{numbering.roman()}|{numbering.LETTER})\s*[.)]?\s*$", re.IGNORECASE)


def extract(doc: Document, ctx: Context) -> dict:
    return {"timeline": timeline_entries(doc, ctx["sections"], ctx["time"])}


def extract_timeline(doc: Document, sections: list[Section], metadata: dict) -> list[dict]:
    """The timeline of a document whose sections and metadata are known (the time context
    and timeline stages on their own)."""
    return timeline_entries(doc, sections, plan_time_context(doc, metadata))


def timeline_entries(doc: Document, sections: list[Section], ctx: TimeContext) -> list[dict]:
    """Every time expression that schedules work, as record timeline entries (unlinked)."""
    objective_spans = [(s.start, s.end) for s in sections if s.kind in ("objectives", "purpose")]
    # indicator tables ("Chỉ tiêu | Đơn vị | Kết quả") are objectives too: "Đến năm 2030" heads targets
    objective_spans += [(t.start, t.end) for t in doc.tables if indicator_columns(t)]
    columns = [_columns(t) for t in doc.tables]
    found: list[Timex] = []
    for line in doc.lines:
        if line.table is not None:
            found.extend(_table_row_timexes(doc, line, ctx, columns[line.table]))
        elif not skipped_line(line.text):
            found.extend(find_timexes(line.text, ctx, offset=line.start,
                                      before=doc.text[max(0, line.start - 250):line.start],
                                      after=doc.text[line.end:line.end + 40]))
    entries = []
    for t in found:
        if not _schedules(t, ctx):
            continue
        # a deadline inside the objectives is the horizon of a target, not a work deadline
        if t.kind == "deadline" and any(a <= t.span[0] < b for a, b in objective_spans):
            continue
        entry = t.as_entry()
        entry["task"] = None
        entry["span"] = doc.span(*t.span)
        entries.append(entry)
    return entries


def _schedules(t: Timex, ctx: TimeContext) -> bool:
    """Whether a found expression schedules work (see the module docstring)."""
    if t.flags & _DROP_FLAGS:
        return False
    if t.start is None and t.end is None:
        return False
    if "horizon" in t.flags and t.cue not in ("cell", "label"):
        return False
    if t.atom in ("yr", "yrr") and t.cue not in _YEAR_CUES:
        return False
    if t.atom == "dmn" and t.cue is None:
        return False
    if t.kind == "point" and ctx.issue_date and t.start <= ctx.issue_date:
        return False  # the issue date, or a day before it: an event the plan recalls ("Biên bản ... ngày 07/6/2024")
    if t.atom == "part" and not t.year_explicit and t.cue not in _YEAR_CUES:
        return False  # "công tác cán bộ cuối năm": a yearly moment named in passing
    if (t.kind == "deadline" and t.atom == "yr" and t.end and ctx.period and ctx.period[1]
            and t.end.year > ctx.period[1]):
        return False  # "đảm bảo đến năm 2030 ..." in a plan for 2026: the horizon of a goal
    if t.end and ctx.period and ctx.period[0] and t.end.year < ctx.period[0] and not (
            ctx.issue_date and t.end >= ctx.issue_date and (t.cue in ("cell", "label") or t.atom not in ("yr", "yrr"))):
        # past years ("Trong năm 2019, toàn tỉnh đã ...") report results, not schedules; but a
        # month or a labelled time after the issue date is one ("xong trong tháng 12/2025",
        # "Thời gian thực hiện: Tháng 12/2025" in a plan for 2026-2030 issued in November 2025)
        return False
    return True


# ---------------------------------------------------------------- tables

def _header_rows(table: Table) -> int:
    """How many leading rows are header rows (no row number in the first cell)."""
    n = 0
    for row in table.rows[:3]:
        first = next((c for c in row if c.strip()), "")
        if n and _ROW_NUMBER.match(first):
            break
        if not n or not any(_ROW_NUMBER.match(c) for c in row[:1]):
            n += 1
        else:
            break
    return min(n, max(1, len(table.rows) - 1))


def _columns(table: Table) -> tuple[int | None, int | None, dict[int, bool], int]:
    """(start column, end column, {time column: is a deadline column}, header row count)."""
    n = _header_rows(table)
    width = max((len(r) for r in table.rows), default=0)
    heads = ["".join("".join(r[c].split()) for r in table.rows[:n] if c < len(r)) for c in range(width)]
    start = next((c for c, h in enumerate(heads) if _HEADER_START.search(h)), None)
    end = next((c for c, h in enumerate(heads) if _HEADER_END.search(h)), None)
    times = {c: bool(_HEADER_DEADLINE.search(h)) for c, h in enumerate(heads)
             if _HEADER_TIME.search(h) and c not in (start, end)}
    return start, end, times, n


def _table_row_timexes(doc: Document, line: Line, ctx: TimeContext,
                       columns: tuple[int | None, int | None, dict[int, bool], int]) -> list[Timex]:
    start_col, end_col, time_cols, n_head = columns
    if line.row is not None and line.row < n_head:
        return []
    cells = line_cells(line)
    out: list[Timex] = []
    pair: dict[str, Timex] = {}
    for c, (text, off) in enumerate(cells):
        if not text.strip():
            continue
        if c in (start_col, end_col) or c in time_cols:
            if _SPACED_NUMBERS.fullmatch(text.strip()):
                found = find_timexes("".join(text.split()), ctx, cell=True)
                for t in found:  # the compacted text has no offsets of its own: span the cell
                    t.span, t.text = (off, off + len(text)), text
            else:
                found = find_timexes(text, ctx, offset=off, cell=True, deadline_column=time_cols.get(c, False))
        if c in (start_col, end_col):
            found = [t for t in found if t.start or t.end]
            if found:
                pair["start" if c == start_col else "end"] = found[0]
            continue
        if c in time_cols:
            out.extend(found)
        else:
            out.extend(find_timexes(text, ctx, offset=off))
    if "start" in pair and "end" in pair:
        a, b = pair["start"], pair["end"]
        if a.start and b.end and b.end >= a.start:
            out.append(Timex(text=doc.text[a.span[0]:b.span[1]].replace("\t", " – "), start=a.start,
                             end=b.end, kind="interval", span=(a.span[0], b.span[1]), atom="range",
                             cue="cell", year_explicit=a.year_explicit or b.year_explicit))
    else:
        out.extend(pair.values())
    return out


# ---------------------------------------------------------------- plan context
