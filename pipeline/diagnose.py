"""Cue coverage: does every cue of a plan reach its record, or is there a reason it should not?

A check of the rules where no gold exists (issue 12). In each plan record's `text` it finds
- role cues: the role words of the scored roles (roles.yaml: "chủ trì", "phối hợp", "cơ quan
  thường trực", "là đầu mối" ...), matched on the folded text with the patterns the
  responsibilities stage compiles;
- money amounts (pipeline.normalize.money.find_amounts);
- time expressions (pipeline.normalize.timex.find_timexes, read against the plan's time context),
and classifies each one:
- covered: the record holds it (a responsibility row of the cue's role in its sentence, a
  budget total, source, item or target holding the amount, a timeline entry over the expression);
- explained: the record rightly leaves it out, for a named reason (legal_basis, closing,
  recipients, cited_document, noun_use, mutual, agency_name, vague_collective, lead_own_coordination,
  objective, past_result, forecast, footnote_past_result, rate, issue_date, recurring_detail, ...);
- unexplained: neither — the work list for the rules, with a class saying what is missing.
Coverage = (covered + explained) / all, per cue kind. It works on records only (no store, no
source file); the vocabulary it adds is in the lexicon (cues.yaml).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import asdict, dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path

from pipeline import lexicon
from pipeline.model import Document, Line
from pipeline.normalize.agencies import find_agencies, vague_spans
from pipeline.normalize.fold import fold
from pipeline.normalize.money import find_amounts
from pipeline.normalize.timex import TimeContext, find_timexes
from pipeline.parse.responsibilities import fold_pattern, roles
from pipeline.parse.time_context import plan_time_context

KINDS = ("role", "money", "time")
MAX_ZONE_SHARE = 0.4  # of the text: a larger preamble or closing is a parse failure, not a zone
LONG_LINE = 5000  # characters: a line this long is a document whose lines were lost
# sentences as the responsibilities stage cuts them: at a full stop before a capital, at
# ";" before a dash item (a ";" inside a list of partners does not end the duty)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ])|(?<=;)\s+(?=[-–+])")
# a footnote: a line opening with its mark "[2]" (emphasis stars around it kept by some pages),
# whose mark stands earlier in the text after some words ("... giảm thu ngân sách* [2]*.")
_FOOTNOTE_LINE = re.compile(r"^[\s*_]*\[(\d{1,3})\][\s*_]*")
_WORK_KINDS_AFTER_FORECAST = {"other", None}


@dataclass
class Cue:
    kind: str  # role | money | time
    text: str  # the cue as written
    start: int  # offsets into the record's text
    end: int
    line: int  # 1-based line of the record's text
    line_text: str
    status: str  # covered | explained | unexplained
    reason: str  # the explanation, or the class of what is missing
    detail: str = ""  # role of a role cue, kind of a time expression ...


@dataclass
class _Cues:
    role_res: list[tuple[str, re.Pattern]]
    title_opener: re.Pattern
    title_reach: int
    assessment: list[str]
    forecast: list[str]
    objective_kinds: set[str]
    recipients: re.Pattern
    basis_line: re.Pattern
    schedule_label: re.Pattern
    name_word: re.Pattern
    name_reach: int
    mutual: re.Pattern


@lru_cache(maxsize=1)
def _cues() -> _Cues:
    d = lexicon.load("cues")
    wanted = set(d["role_cue_roles"])
    basis = lexicon.load("time_words")["basis_line_starts"]
    return _Cues(
        role_res=[(role, pat) for role, pat in roles().role_res if role in wanted],
        title_opener=re.compile(r"(?<!\w)" + fold_pattern(d["title_openers"]) + r"(?!\w)"),
        title_reach=d["title_reach"],
        assessment=[fold(w) for w in d["assessment_headings"]],
        forecast=[fold(w) for w in d["forecast_headings"]],
        objective_kinds=set(d["objective_kinds"]),
        recipients=re.compile(fold_pattern(d["recipients_line"])),
        basis_line=re.compile(r"^\W*(?:" + "|".join(re.escape(fold(w)) for w in basis) + r")(?!\w)"),
        schedule_label=re.compile(r"(?<!\w)" + fold_pattern(d["schedule_label"])),
        name_word=re.compile(r"(?<!\w)" + fold_pattern(d["name_words"]) + r"(?!\w)[^;:.]*$"),
        name_reach=d["name_reach"],
        mutual=re.compile(fold_pattern(d["mutual_after_cue"])),
    )


# ---------------------------------------------------------------- the record, read back

class _Plan:
    """A record with what the checks look up: lines, folded text, sections, zones, spans."""

    def __init__(self, record: dict) -> None:
        self.record = record
        self.text = text = record.get("text") or ""
        self.ftext = fold(text)
        self.lines: list[Line] = []
        pos = 0
        for raw in text.split("\n"):
            self.lines.append(Line(raw, pos, pos + len(raw)))
            pos += len(raw) + 1
        self.doc = Document(text, self.lines, [], record.get("source") or {})
        meta = record.get("metadata") or {}
        self.level = meta.get("level")  # collectives such as "các bộ, ngành" are vague below it
        self.sections = [(s["span"]["start"], s["span"]["end"], s.get("kind"), fold(s.get("heading") or ""))
                         for s in record.get("sections") or [] if s.get("span")]
        self.references = sorted((r["span"]["start"], r["span"]["end"])
                                 for r in (meta.get("legal_bases") or []) + (meta.get("references") or [])
                                 if r.get("span"))
        self.zones = self._zones()
        self.rows = [(r["span"]["start"], r["span"]["end"], r.get("role"))
                     for r in record.get("responsibilities") or [] if r.get("span")]
        self.timeline = [(t["span"]["start"], t["span"]["end"]) for t in record.get("timeline") or [] if t.get("span")]
        self.tables = [(t["span"]["start"], t["span"]["end"]) for t in record.get("tables") or [] if t.get("span")]
        self.money_spans, self.money_values = self._money()
        self.footnotes = self._footnotes()
        self._time_ctx: TimeContext | None = None

    def _zones(self) -> list[tuple[int, int, str]]:
        c = _cues()
        # a preamble or closing "section" holding most of the text is a document whose
        # structure was not found (its text on one line, say), not a preamble
        zones = [(a, b, "legal_basis" if kind == "preamble" else "closing")
                 for a, b, kind, _ in self.sections
                 if kind in ("preamble", "closing") and b - a <= MAX_ZONE_SHARE * len(self.text)]
        for i, ln in enumerate(self.lines):
            if c.recipients.match(self.ftext[ln.start:ln.end]):
                j = i + 1  # the list: the lines after it that open with a dash
                while j < len(self.lines) and re.match(r"^\s*[-–+•*]", self.lines[j].text):
                    j += 1
                zones.append((ln.start, self.lines[j - 1].end, "recipients"))
        # "Căn cứ ..." lines: those citing a document (in the body, "Căn cứ vào kết quả ..." is no basis)
        for ln in self.lines:
            if c.basis_line.match(self.ftext[ln.start:ln.end]) and _overlaps(self.references, ln.start, ln.end):
                zones.append((ln.start, ln.end, "legal_basis"))
        return zones

    def _money(self) -> tuple[list[tuple[int, int]], set[int]]:
        spans: list[tuple[int, int]] = []
        values: set[int] = set()
        b = self.record.get("budget") or {}
        if b.get("span"):
            spans.append((b["span"]["start"], b["span"]["end"]))
        if b.get("total_vnd"):
            values.add(b["total_vnd"])
        values |= {s[k] for s in b.get("sources") or [] for k in ("amount_vnd", "amount_max_vnd") if s.get(k)}
        for al in b.get("allocations") or []:
            spans.append((al["span"]["start"], al["span"]["end"]))
            values.add(al["amount_vnd"])
        for it in b.get("items") or []:
            if it.get("span"):
                spans.append((it["span"]["start"], it["span"]["end"]))
            values |= {v for v in (it.get("amounts_vnd") or {}).values() if v}
        for o in self.record.get("objectives") or []:
            for t in o.get("targets") or []:
                if t.get("span"):
                    spans.append((t["span"]["start"], t["span"]["end"]))
        return spans, values

    def _footnotes(self) -> list[tuple[int, int, int]]:
        """(start, end, anchor) of each footnote: its mark's line, and the next line when the
        mark stands alone ("[1]" / "Trong đó: ..."), or lines wrapped on after it (opening with
        a small letter); `anchor` is where the mark last stood in the text before."""
        out = []
        for i, ln in enumerate(self.lines):
            m = _FOOTNOTE_LINE.match(ln.text)
            if not m:
                continue
            anchor = None
            for a in re.compile(re.escape(f"[{m.group(1)}]")).finditer(self.text, 0, ln.start):
                if re.search(r"[^\W_]", self.text[self.lines[self.doc.line_index_at(a.start())].start:a.start()]):
                    anchor = a.start()
            if anchor is None:
                continue  # a list numbered "[1]", "[2]" (works cited), not a note on the text
            j = i
            if m.end() == len(ln.text.rstrip()) and i + 1 < len(self.lines):
                j = i + 1
            while j + 1 < len(self.lines) and self.lines[j + 1].text[:1].islower():
                j += 1
            out.append((ln.start, self.lines[j].end, anchor))
        return out

    def in_past_footnote(self, pos: int) -> bool:
        """`pos` is in a footnote whose mark stands in a past-results section."""
        anchor = next((anchor for a, b, anchor in self.footnotes if a <= pos <= b), None)
        return anchor is not None and self.in_assessment(anchor)

    @property
    def time_ctx(self) -> TimeContext:
        if self._time_ctx is None:
            self._time_ctx = plan_time_context(self.doc, self.record.get("metadata") or {})
        return self._time_ctx

    def zone_at(self, pos: int) -> str | None:
        return next((z for a, b, z in self.zones if a <= pos < b), None)

    def sections_at(self, pos: int) -> list[tuple[int, int, str, str]]:
        """The sections holding `pos`, outermost first."""
        return sorted((s for s in self.sections if s[0] <= pos < s[1]), key=lambda s: s[0])

    def vague_heading(self, pos: int) -> bool:
        """The innermost heading above `pos` names a vague collective as the subject of its items."""
        inner = [a for a, _, _, h in self.sections_at(pos) if h]
        if not inner:
            return False
        line = self.lines[self.doc.line_index_at(inner[-1])]
        head = re.sub(r"^[\W\d_]*(?:(?:[IVXLCivxlc]+|[a-zđ])[.)]\s*)?", "", line.text)
        return any(a == 0 for a, _ in vague_spans(head)) and not find_agencies(head, self.level)

    def in_objectives(self, pos: int) -> bool:
        return any(kind in _cues().objective_kinds for _, _, kind, _ in self.sections_at(pos))

    def in_assessment(self, pos: int) -> bool:
        return any(h.startswith(w) for _, _, _, h in self.sections_at(pos) for w in _cues().assessment)

    def in_forecast(self, pos: int) -> bool:
        """Whether `pos` is under a forecast heading ("Dự báo ...") with no section of work
        (tasks, solutions ...) inside it holding `pos`."""
        found = False
        for _, _, kind, h in self.sections_at(pos):
            if any(h.startswith(w) for w in _cues().forecast):
                found = True
            elif kind not in _WORK_KINDS_AFTER_FORECAST:
                found = False
        return found

    def sentence(self, line: Line, pos: int) -> tuple[int, int]:
        """The sentence (or ';'-clause) of `line` holding `pos`."""
        start = line.start
        for m in _SENTENCE_END.finditer(self.text, line.start, line.end):
            if m.start() >= pos:
                return start, m.start()
            start = m.end()
        return start, line.end

    def cited_title(self, s0: int, pos: int) -> bool:
        """Whether `pos` is in the title of a document cited earlier in its sentence."""
        c = _cues()
        for a, b in self.references:
            if not (s0 <= a and b <= pos) or pos - b > c.title_reach:
                continue
            between = self.ftext[b:pos]
            if ";" not in between and c.title_opener.search(between):
                return True
        return False


_WRAPPED = re.compile(r"(?:(?<!\w)(?:voi|cung|va|cac|cua|so|ban|bo|uy ban)|,)\s*$")


def _overlaps(spans, a: int, b: int) -> bool:
    return any(s < b and a < e for s, e, *_ in spans)


# ---------------------------------------------------------------- role cues

def _role_cues(plan: _Plan) -> list[Cue]:
    out: list[Cue] = []
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, int, str]] = []
    for role, pat in _cues().role_res:
        for m in pat.finditer(plan.ftext):
            if not _overlaps(taken, m.start(), m.end()):
                taken.append((m.start(), m.end()))
                found.append((m.start(), m.end(), role))
    found.sort()
    for i, (s, e, role) in enumerate(found):
        li = plan.doc.line_index_at(s)
        line = plan.lines[li]
        status, reason = _classify_role(plan, line, li, s, e, role, found[i - 1] if i else None)
        out.append(Cue("role", plan.text[s:e], s, e, li + 1, line.text, status, reason, role))
    return out


def _classify_role(plan: _Plan, line: Line, li: int, s: int, e: int, role: str,
                   prev: tuple[int, int, str] | None) -> tuple[str, str]:
    r = roles()
    s0, s1 = plan.sentence(line, s)
    if "\t" in line.text:  # a table row: its cell, or the rows under a header cell
        s0, s1 = line.start, line.end
    same_role = [(a, b) for a, b, rr in plan.rows if rr == role]
    if _overlaps(same_role, s0, s1):
        return "covered", "row"
    if "\t" in line.text and _overlaps(same_role, line.end, _table_end(plan, li)):
        return "covered", "table_column"
    if plan.ftext[s:s1].rstrip().endswith(":") or re.search(r":\s*$", plan.ftext[e:s1]):
        nxt = _next_lines_end(plan, li)
        if _overlaps(same_role, line.end, nxt):
            return "covered", "label"
    zone = plan.zone_at(s)
    if zone:
        return "explained", zone
    if r.noun_before.search(plan.ftext[max(s0, s - 40):s]):
        return "explained", "noun_use"
    if _cues().mutual.match(plan.ftext, e, s1):
        return "explained", "mutual"  # "phối hợp chặt chẽ ... giữa các sở, ban, ngành và ...": between bodies, no partner
    sent = plan.text[s0:s1]
    mentions = [(s0 + a, s0 + b) for a, b, *_ in find_agencies(sent, plan.level)]
    if any(a <= s and e <= b for a, b in mentions):
        return "explained", "agency_name"
    if plan.cited_title(s0, s):
        return "explained", "cited_document"
    # the words before the cue that make it a label ("Đơn vị phối hợp:", "cơ quan chủ trì")
    vague = [(s0 + a, s0 + b) for a, b in vague_spans(sent)]
    label_noun = [(a, b) for a, b in vague if not plan.ftext[b:s].strip() and not re.search(r"\w", plan.ftext[s0:a])]
    vague = [v for v in vague if v not in label_noun]
    if s1 == line.end and _WRAPPED.search(plan.ftext[line.start:line.end]):
        return "unexplained", "wrapped_line"  # "Phối hợp chặt chẽ với" / "Bộ ...": the text lost its line joins
    if role == "coordinate":
        partner = _partner_after(plan, e, s1, mentions, vague)
        if partner == "vague":
            return "explained", "vague_partner"
        if partner == "none" and prev is not None and prev[2] == "lead" and s0 <= prev[0] \
                and r.lead_then_coordinate.fullmatch(plan.ftext[prev[1]:s]):
            return "explained", "lead_own_coordination"  # "X chủ trì, phối hợp tổ chức ...": no partner named
        if partner == "unknown":
            return "unexplained", "partner_not_recognized"
    if not mentions and vague:
        return "explained", "vague_collective"
    if any(b <= s and not plan.ftext[b:s].strip(" ,") for _, b in vague) and not any(b <= s for _, b in mentions):
        return "explained", "vague_collective"  # "..., các cơ quan, đơn vị chủ trì thực hiện ... gửi Bộ X"
    if not mentions and plan.vague_heading(s):
        return "explained", "vague_collective"  # "7. Các doanh nghiệp hoạt động ... trên địa bàn Tỉnh" / "- Chủ động phối hợp ..."
    if label_noun and not mentions:
        return "unexplained", "label_without_agency"
    if _overlaps([(a, b) for a, b, _ in plan.rows], s0, s1):
        return "unexplained", "row_of_other_role"
    if role == "lead" and not any(b <= s for _, b in mentions):
        return "unexplained", "subject_not_in_sentence"  # "- Chủ trì ...": the agency is in a heading the rules missed
    if not mentions:
        return "unexplained", "no_agency_in_sentence"
    return "unexplained", "agency_named_no_row"


def _partner_after(plan: _Plan, e: int, s1: int, mentions: list[tuple[int, int]],
                   vague: list[tuple[int, int]]) -> str:
    """What follows a "phối hợp" at `e`: "agency", "vague" (các đơn vị liên quan), "unknown"
    (after "với"/"cùng", something no agency pattern knows) or "none" (a verb: no partner)."""
    r = roles()
    lead_in = r.partner_lead_in.match(plan.ftext, e, s1)
    p = lead_in.end() if lead_in else e
    title = r.person_title.match(plan.ftext, p, s1)
    if title and any(a == title.end() for a, _ in mentions):
        p = title.end()
    if any(a == p for a, _ in mentions):
        return "agency"
    if any(a == p for a, _ in vague):
        return "vague"
    if lead_in and re.search(r"(?<!\w)(?:voi|cung)\s*$", lead_in.group()):
        return "unknown"
    return "none"


def _table_end(plan: _Plan, li: int) -> int:
    j = li
    while j + 1 < len(plan.lines) and "\t" in plan.lines[j + 1].text:
        j += 1
    return plan.lines[j].end


def _next_lines_end(plan: _Plan, li: int, n: int = 12) -> int:
    """The end of the items under a label line: the next lines up to a blank line (at most n)."""
    j = li
    while j + 1 < len(plan.lines) and j - li < n and plan.lines[j + 1].text.strip():
        j += 1
    return plan.lines[j].end


# ---------------------------------------------------------------- money

def _money_cues(plan: _Plan) -> list[Cue]:
    out: list[Cue] = []
    for li, line in enumerate(plan.lines):
        if not line.text.strip() or not re.search(r"\d", line.text):
            continue
        for a in find_amounts(line.text):
            s, e = line.start + a.start, line.start + a.end
            status, reason = _classify_money(plan, line, s, e, a.vnd, a.per_unit)
            out.append(Cue("money", plan.text[s:e], s, e, li + 1, line.text, status, reason))
    return out


def _classify_money(plan: _Plan, line: Line, s: int, e: int, vnd: int, per_unit: bool) -> tuple[str, str]:
    if _overlaps(plan.money_spans, s, e) or ("\t" in line.text and _overlaps(plan.money_spans, line.start, line.end)):
        return "covered", "budget_or_target"
    if vnd in plan.money_values:
        return "covered", "budget_value"
    zone = plan.zone_at(s)
    if zone:
        return "explained", zone
    s0, _ = plan.sentence(line, s)
    if plan.cited_title(s0, s):
        return "explained", "cited_document"
    if per_unit:
        return "explained", "rate"
    if plan.in_assessment(s):
        return "explained", "past_result"
    if plan.in_forecast(s):
        return "explained", "forecast"
    if plan.in_past_footnote(s):
        return "explained", "footnote_past_result"  # "[2] Cụ thể: giảm thuế ... khoảng 110 tỷ đồng" on a past figure
    if plan.in_objectives(s):
        return "unexplained", "objective_not_target"
    if any(k == "budget" for _, _, k, _ in plan.sections_at(s)):
        return "unexplained", "budget_section_not_read"
    return "unexplained", "amount_not_in_record"


# ---------------------------------------------------------------- time

_TIME_FLAGS = {"cited": "cited_document", "issue_line": "issue_date", "recurring_detail": "recurring_detail",
               "blank_day": "blank_date", "timestamp": "web_timestamp"}


def _time_cues(plan: _Plan) -> list[Cue]:
    out: list[Cue] = []
    ctx = plan.time_ctx
    for li, line in enumerate(plan.lines):
        if not line.text.strip() or not re.search(r"\d|thuong xuyen|lien tuc|hang|dinh ky", plan.ftext[line.start:line.end]):
            continue
        before = plan.text[max(0, line.start - 250):line.start]
        after = plan.text[line.end:line.end + 40]
        for t in find_timexes(line.text, ctx, offset=line.start, before=before, after=after):
            s, e = t.span
            status, reason = _classify_time(plan, t, ctx)
            out.append(Cue("time", plan.text[s:e], s, e, li + 1, line.text, status, reason, t.kind))
    return out


def _classify_time(plan: _Plan, t, ctx: TimeContext) -> tuple[str, str]:
    s, e = t.span
    if _overlaps(plan.timeline, s, e):
        return "covered", "timeline"
    zone = plan.zone_at(s)
    if zone:
        return "explained", zone
    flag = next((_TIME_FLAGS[f] for f in sorted(t.flags) if f in _TIME_FLAGS), None)
    if flag:
        return "explained", flag
    line = plan.lines[plan.doc.line_index_at(s)]
    s0, _ = plan.sentence(line, s)
    if plan.cited_title(s0, s):
        return "explained", "cited_document"
    if t.kind == "point" and ctx.issue_date and t.start == ctx.issue_date:
        return "explained", "issue_date"
    if t.start is None and t.end is None:
        return "unexplained", "unresolved"
    c = _cues()
    if c.schedule_label.search(plan.ftext[line.start:s]):
        return "unexplained", "labelled_schedule"  # "Thời gian thực hiện: Tháng 12/2025"
    if "horizon" in t.flags or plan.in_objectives(s):
        return "explained", "objective"
    if plan.in_past_footnote(s):
        return "explained", "footnote_past_result"
    if plan.in_assessment(s) or (t.end and t.end < (ctx.issue_date or date(ctx.period[0] if ctx.period and ctx.period[0] else 1, 1, 1))):
        return "explained", "past_result"
    bare_year = t.atom in ("yr", "yrr") and t.cue is None
    if bare_year:
        before = plan.ftext[max(line.start, s - c.name_reach):s]
        if c.name_word.search(before):
            return "explained", "year_in_name"  # "Kế hoạch năm 2025", "giai đoạn 2021-2025": a name or a period
        letters = [ch for ch in line.text if ch.isalpha()]
        if letters and sum(ch.isupper() for ch in letters) > 0.8 * len(letters):
            return "explained", "heading"
    if _column_header(plan, line, s, e):
        return "explained", "column_header"  # "STT | Nội dung | Năm 2025 | Dự kiến năm 2027": a column's title
    if _figure_label(line, s, e):
        return "explained", "figure_label"  # "IV | Tổng dư nợ cuối năm | 305.063 | 292.434": the figure's name
    if not bare_year:
        return "unexplained", f"not_in_timeline_{t.kind}"
    if re.fullmatch(r"[\s\d.]*", plan.text[e:line.end]) and not re.search(r"[.:]\s", plan.text[line.start:s]) \
            and len(line.text) < 300:
        return "unexplained", "year_ending_row"  # "Các sở, ban, ngành; UBND các xã 2026 - 2030": a flattened task-table row
    return "unexplained", "bare_year"


HEADER_ROWS = 4  # a table's column titles take at most this many rows
_COLUMN_NUMBER = re.compile(r"[A-Z]|\d{1,2}(?:\s*=\s*[\d\s/+\-*x()]+)?|[IVX]+")  # "A", "4=3/2"
_AMOUNT = re.compile(r"\d[\d.,]{2,}")


def _column_header(plan: _Plan, line: Line, s: int, e: int) -> bool:
    """The time is in one of the first rows of a table whose cells are all titles or column
    numbers: no amount in any cell but the years of the titles."""
    if "\t" not in line.text:
        return False
    table = next(((a, b) for a, b in plan.tables if a <= s < b), None)
    if table is None or plan.text.count("\n", table[0], line.start) >= HEADER_ROWS:
        return False
    cells = [c.strip() for c in (plan.text[line.start:s] + plan.text[e:line.end]).split("\t")]
    return not any(_AMOUNT.search(re.sub(r"(?<!\d)(?:19|20)\d\d(?!\d)", "", c))
                   for c in cells if c and not _COLUMN_NUMBER.fullmatch(c))


_FIGURE = re.compile(r"[-+]?[\d.,]+%?")


def _figure_label(line: Line, s: int, e: int) -> bool:
    """The time is in the label cell of a table row whose cells after it are all figures."""
    if "\t" not in line.text:
        return False
    after = [c.strip() for c in line.text[e - line.start:].split("\t")[1:]]
    figures = [c for c in after if c]
    return len(figures) >= 2 and all(_FIGURE.fullmatch(c) for c in figures)


# ---------------------------------------------------------------- reports

def diagnose_record(record: dict) -> list[Cue]:
    """Every cue of one plan record, classified."""
    plan = _Plan(record)
    return _role_cues(plan) + _money_cues(plan) + _time_cues(plan)


def corpus_of(record: dict) -> str:
    """The corpus a record belongs to: the folder of its source file ("unlabeled", "plans" ...)."""
    path = (record.get("source") or {}).get("path") or ""
    parts = Path(path).parts
    return parts[-2] if len(parts) >= 2 else "."


def counts(cues: list[Cue]) -> dict:
    """Per kind: all, covered, explained, unexplained, coverage."""
    out = {}
    for kind in KINDS:
        ks = [c for c in cues if c.kind == kind]
        n = Counter(c.status for c in ks)
        out[kind] = {"all": len(ks), "covered": n["covered"], "explained": n["explained"],
                     "unexplained": n["unexplained"],
                     "coverage": round((n["covered"] + n["explained"]) / len(ks), 3) if ks else None}
    return out


def notes(record: dict) -> list[str]:
    """What is wrong with the record as a whole, seen from its text."""
    longest = max((len(ln) for ln in (record.get("text") or "").split("\n")), default=0)
    return [f"a line of {longest} characters: the document's lines were lost"] if longest > LONG_LINE else []


def load_records(paths: list[Path]) -> list[dict]:
    """The plan records in `paths` (files, or folders searched recursively for *.json)."""
    files: list[Path] = []
    for p in paths:
        files += sorted(p.rglob("*.json")) if p.is_dir() else [p]
    out = []
    for f in files:
        try:
            rec = json.loads(f.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(rec, dict) and isinstance(rec.get("text"), str) and "responsibilities" in rec:
            rec["_file"] = str(f)
            out.append(rec)
    return out


def diagnose(records: list[dict]) -> dict:
    """The report: per document and per corpus, counts per kind, reasons and the unexplained cues."""
    docs, by_corpus = [], {}
    for rec in records:
        cues = diagnose_record(rec)
        path = (rec.get("source") or {}).get("path") or rec.get("_file") or rec.get("id")
        docs.append({"path": path, "corpus": corpus_of(rec), "id": rec.get("id"), "counts": counts(cues),
                     "notes": notes(rec),
                     "unexplained": [asdict(c) for c in cues if c.status == "unexplained"],
                     "_cues": cues})
        by_corpus.setdefault(corpus_of(rec), []).extend(cues)
    corpora = {}
    for name, cues in sorted(by_corpus.items()):
        reasons = {kind: {st: dict(Counter(c.reason for c in cues if c.kind == kind and c.status == st).most_common())
                          for st in ("covered", "explained", "unexplained")} for kind in KINDS}
        corpora[name] = {"documents": sum(d["corpus"] == name for d in docs), "counts": counts(cues),
                         "reasons": reasons}
    for d in docs:
        del d["_cues"]
    return {"corpora": corpora, "documents": docs}


def format_table(report: dict, show: int = 20) -> str:
    """The report as text: coverage per document and per corpus, reasons, the first `show`
    unexplained cues of each corpus."""
    out: list[str] = []

    def cov(c: dict) -> str:
        return "   -  " if c["coverage"] is None else f"{c['coverage']:.3f}"

    def row(label: str, cs: dict) -> str:
        return f"{label[:60]:60} " + "  ".join(f"{cov(cs[k])} ({cs[k]['unexplained']:>3}/{cs[k]['all']:>4})" for k in KINDS)

    head = f"{'document':60} " + "  ".join(f"{k + ' (unexpl./all)':17}" for k in KINDS)
    for name, corpus in report["corpora"].items():
        out += [f"== {name}: {corpus['documents']} documents", head]
        for d in report["documents"]:
            if d["corpus"] == name:
                out.append(row(Path(d["path"]).name, d["counts"]))
                out += [f"    note: {n}" for n in d["notes"]]
        out.append(row("ALL " + name, corpus["counts"]))
        for kind in KINDS:
            rs = corpus["reasons"][kind]
            for st in ("explained", "unexplained"):
                if rs[st]:
                    out.append(f"  {kind} {st}: " + ", ".join(f"{r} {n}" for r, n in rs[st].items()))
        shown = 0
        for d in report["documents"]:
            if d["corpus"] != name:
                continue
            for c in d["unexplained"]:
                if shown >= show:
                    break
                out.append(f"  {Path(d['path']).name}:{c['line']}: [{c['kind']} {c['reason']}] "
                           f"«{c['text']}» {c['line_text'].strip()[:160]}")
                shown += 1
        total = sum(len(d["unexplained"]) for d in report["documents"] if d["corpus"] == name)
        if total > shown:
            out.append(f"  ... {total - shown} more unexplained (--show N, or --format json)")
        out.append("")
    return "\n".join(out)
