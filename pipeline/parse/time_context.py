"""The plan's time context: its period, issue date and default year, which every time
expression of the plan is read against ("Quý II" is Quý II of which year?).
"""
from __future__ import annotations

import re
from datetime import date

from pipeline.model import Document
from pipeline.normalize.timex import TimeContext, find_timexes, words
from pipeline.parse.context import Context

REQUIRES = ("metadata",)
PROVIDES = ("time",)

HEAD_LINES = 25  # the title block sits in the first lines; further down a "năm 2030" is a target's

# from the first digit of a run only: tried inside a long run of digits, the search was quadratic
_WORKING_DAYS = re.compile(r"(?<!\d)\d+\s+ngày\s+làm\s+việc", re.IGNORECASE)
_TITLE_PERIOD = re.compile(r"giai\s+đoạn\s+((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})", re.IGNORECASE)
_TITLE_YEAR = re.compile(r"(?<!\w)năm\s+((?:19|20)\d{2})(?!\d)", re.IGNORECASE)
_BODY_START = re.compile(r"^\W*(?:Căn cứ|CĂN CỨ|Thực hiện|Xét|Theo đề nghị|I\.|1\.)")
_HEADER_DATE = re.compile(r",\s*ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+((?:19|20)\d{2})", re.IGNORECASE)


_W = words()
# Lines that cite the plan's bases or list its recipients: their dates never schedule work ...
BASIS_LINE = re.compile(r"^\W*(?:" + "|".join(map(re.escape, _W["basis_line_starts"])) + r")(?!\w)", re.IGNORECASE)
# ... unless the line starts a duty from this plan: "Căn cứ Kế hoạch này, ... bố trí vốn ... trong năm 2014"
SELF_BASIS = re.compile(r"^\W*\w+(?:\s+\w+)?\s+(?:vào\s+)?(?:nội dung\s+)?(?:của\s+)?(?:"
                        + "|".join(map(re.escape, _W["cited_doc_words"])) + r")\s+này(?!\w)", re.IGNORECASE)
_PERIOD_FROM_NOW = re.compile(r"^\W*(?:\d+\.\s*)?thời gian(?: thực hiện)?\s*:\s*(?:" + "|".join(map(re.escape, _W["from_now"]))
                              + r")\s+(?:đến|tới)", re.IGNORECASE)
_STRIVE = re.compile(r"phấn\s+đấu\s+(?:đến|tới)\s+(?:hết\s+)?$", re.IGNORECASE)


def skipped_line(text: str) -> bool:
    """A basis, proposal or recipients line, whose dates never schedule work."""
    return bool(BASIS_LINE.match(text)) and not SELF_BASIS.match(text)


def body_period_end(doc: Document, start_year: int) -> tuple[bool, int | None]:
    """For a plan whose title states no period: how far its body reaches. Returns (found, end):
    (True, None) when the work goes on "trong năm 2014 và các năm tiếp theo"; (True, Y) for the year
    its milestones "Đến năm 2020, ..." / "hoàn thành ... đến hết năm 2019" mostly name; (False, None) when
    it says neither. Milestones of cited documents and horizons ("tầm nhìn đến năm 2045") do not count."""
    ctx = TimeContext(year=start_year, period=(start_year, None))
    ends: list[int] = []
    for line in doc.lines:
        if skipped_line(line.text):
            continue
        for t in find_timexes(line.text, ctx):
            if t.flags - {"horizon"} or t.atom not in ("yr", "yrr") or not t.start and not t.end:
                continue
            if "horizon" in t.flags and not _STRIVE.search(line.text[:t.span[0]]):
                continue
            if t.kind == "interval" and t.end is None and t.cue != "from" and t.start and t.start.year >= start_year:
                return True, None  # "năm 2025 và các năm tiếp theo" (a task "từ năm 2026" alone says nothing of the end)
            year = re.findall(r"(?:19|20)\d{2}", t.text)  # "trước năm 2030" names 2030, though it ends in 2029
            if t.kind == "deadline" and year and int(year[-1]) >= start_year:
                ends.append(int(year[-1]))
    if not ends:
        return False, None
    # the year most milestones name (the later on a tie): a lone "mục tiêu đến năm 2045" in a plan
    # whose targets are "đến năm 2030" is a long-range horizon, not the plan's end
    return True, max(set(ends), key=lambda y: (ends.count(y), y))


def extract(doc: Document, ctx: Context) -> dict:
    return {"time": plan_time_context(doc, ctx["metadata"])}


def _parse_iso(value) -> tuple[int | None, date | None]:
    """(year, full date) of a metadata date that may be 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD'."""
    if not value or not isinstance(value, str):
        return None, None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", value)
    if not m:
        return None, None
    y = int(m.group(1))
    if m.group(3):
        try:
            return y, date(y, int(m.group(2)), int(m.group(3)))
        except ValueError:
            return y, None
    return y, None


def plan_time_context(doc: Document, metadata: dict) -> TimeContext:
    """The plan's period, issue date and default year, from metadata (or the header/title
    when metadata leaves them out)."""
    issue_year, issue = _parse_iso((metadata or {}).get("issue_date"))
    head_lines = []
    for ln in doc.lines[:HEAD_LINES]:
        if _BODY_START.match(ln.text):
            break  # the title ends where the basis lines or the body begin
        head_lines.append(ln.text)
    head = "\n".join(head_lines)
    if issue_year is None:
        m = _HEADER_DATE.search(head)
        if m:
            issue_year = int(m.group(3))
            try:
                issue = date(issue_year, int(m.group(2)), int(m.group(1)))
            except ValueError:
                issue = None
    period = (metadata or {}).get("period")
    if isinstance(period, dict):
        period = (period.get("start_year"), period.get("end_year"))
    elif isinstance(period, (list, tuple)) and len(period) == 2:
        period = (period[0], period[1])
    else:
        period = None
    if not period or period[0] is None:
        title = (metadata or {}).get("title") or head
        m = _TITLE_PERIOD.search(title)
        if m:
            period = (int(m.group(1)), int(m.group(2)))
        elif (y := _TITLE_YEAR.search(title)):
            period = (int(y.group(1)), int(y.group(1)))
        elif issue_year:
            period = (issue_year, issue_year)
    year = None
    if period and period[0]:
        a, b = period
        year = a if (b is None or a == b or not issue_year or not a <= issue_year <= b) else issue_year
    elif issue_year:
        year = issue_year
    # "1. Thời gian: từ nay đến năm 2030": the period runs from the plan's own date
    from_now = issue if issue and any(_PERIOD_FROM_NOW.match(ln.text) for ln in doc.lines) else None
    return TimeContext(year=year, period=period, issue_date=issue,
                       working_days=bool(_WORKING_DAYS.search(doc.text)), period_start=from_now)
