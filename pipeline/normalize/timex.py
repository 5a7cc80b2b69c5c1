"""Vietnamese time expressions -> dates: "Quý II năm 2020" -> 2020-04-01..2020-06-30.

`find_timexes(text, ctx)` finds every time expression in one line (or table cell) and
normalizes it; it also says *how* the expression was introduced (a deadline cue, a range,
a time label, a table time column, "trong năm", ...) and flags readings that are not
schedules (dates of cited documents, the issue-date line, programme periods, target
horizons, report deadlines that belong to a recurring rule). Deciding which expressions
schedule work is left to `pipeline.parse.timeline`.

Vocabulary lives in the lexicon (time_words.yaml). Dates are `datetime.date`; years left out are
taken from `TimeContext.year` (the plan's year).
"""
from __future__ import annotations

import bisect
import calendar
import functools
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from pipeline import lexicon

_INNER_RANGE = re.compile(r"\s(?:đến|tới)\s|[-–—]", re.IGNORECASE)
_HYPHEN_BREAK = re.compile(r"-\s+(?=[A-ZĐ])")


@functools.cache
def words() -> dict:
    return lexicon.load("time_words")


# ---------------------------------------------------------------- date arithmetic

def month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    first = 3 * (quarter - 1) + 1
    return date(year, first, 1), month_end(year, first + 2)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def add_working_days(start: date, days: int) -> date:
    """The date of the `days`-th working day counting `start` as day 1 (Mon-Fri)."""
    d, left = start, days
    while d.weekday() >= 5:
        d += timedelta(days=1)
    left -= 1
    while left > 0:
        d += timedelta(days=1)
        if d.weekday() < 5:
            left -= 1
    return d


def safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


# ---------------------------------------------------------------- patterns

def _alt(items) -> str:
    """Regex alternation of literal phrases, longest first, spaces matching any whitespace."""
    return "|".join(re.escape(x).replace(r"\ ", r"\s+") for x in sorted(set(items), key=len, reverse=True))


def _roman(s: str) -> int | None:
    s = s.strip().upper()
    if s.isdigit():
        return int(s)
    return words()["roman"].get(s)


@functools.cache
def _patterns() -> dict[str, re.Pattern]:
    w = words()
    Q = r"(?:IV|III|II|I|[1-4])(?![\w])"
    M = r"(?:1[0-2]|0?[1-9]|XII|XI|IX|X|VIII|VII|VI|IV|V|III|II|I)(?![\w])"
    Y = r"(?:19|20)\d{2}"
    J = r"\s*(?:,|và|hoặc|-|–|—|đến|tới)\s*"
    # OCR drops tone marks ("thang 5 nam 2020"): the time words before a number accept both
    NGAY, THANG, NAM = r"ng[àa]y", r"th[áa]ng", r"n[ăa]m"
    QUY = r"(?:quý|quy(?=\s+(?:IV|III|II|I)\b))"
    YS = rf"\s*(?:,\s*)?(?:{NAM}\s+|/\s?)"
    atoms = [
        ("fdw", rf"{NGAY}\s+(?P<fdw_d>\d{{1,2}})\s+{THANG}\s+(?P<fdw_m>\d{{1,2}})\s+{NAM}\s+(?P<fdw_y>{Y})"),
        ("fdn", rf"(?<![\w/.,-])(?P<fdn_d>\d{{1,2}})\s?(?P<fdn_s>[/.-])\s?(?P<fdn_m>\d{{1,2}})\s?(?P=fdn_s)\s?(?P<fdn_y>{Y})(?![\w/-])"),
        ("dmw", rf"{NGAY}\s+(?P<dmw_d>\d{{1,2}})\s+{THANG}\s+(?P<dmw_m>{M})(?!\s*(?:,\s*)?(?:{NAM}\s+\d|/\s?\d))"),
        ("part", rf"(?<!\w)(?P<part_w>{_alt(w['year_parts'])})(?:\s+(?P<part_y>{Y}))?(?![\w/])"
                 rf"(?!\s+(?:{_alt(w['year_part_not_before'])})(?!\w))"),
        ("qtr", rf"(?<!\w){QUY}\s+(?P<qtr_l>{Q}(?:{J}(?:{QUY}\s+)?{Q})*)(?:{YS}(?P<qtr_y>{Y}))?(?![\w/])"),
        ("mon", rf"(?<!\w){THANG}\s+(?P<mon_l>{M}(?:{J}(?:{THANG}\s+)?{M})*)(?:{YS}(?P<mon_y>{Y}))?(?![\w/])"),
        # "9-10/2024": months 9 to 10 (a full date repeats its separator: "9-10-2024")
        ("mrn", rf"(?<![\w/.,-])(?P<mrn_a>1[0-2]|0?[1-9])\s?[-–]\s?(?P<mrn_b>1[0-2]|0?[1-9])\s?/\s?(?P<mrn_y>{Y})(?![\w/-])"),
        ("myn", rf"(?<![\w/.,-])(?P<myn_m>1[0-2]|0?[1-9])\s?/\s?(?P<myn_y>{Y})(?![\w/-])"),
        ("dmn", r"(?<![\w/.,-])(?P<dmn_d>3[01]|[12]\d|0?[1-9])\s?/\s?(?P<dmn_m>1[0-2]|0?[1-9])(?![\w/.-]|,\d)"),
        ("yrr", rf"(?<![\w/.,-])(?:{NAM}\s+)?(?P<yrr_a>{Y})\s*(?:-|–|—|đến|tới)\s*(?:{NAM}\s+)?(?P<yrr_b>{Y})(?![\w/-])"),
        ("yr", rf"(?:(?<!\w){NAM}\s+(?P<yr_a>{Y})|(?<![\w/.,-])(?P<yr_b>{Y}))(?![\w/-]|[.,]\d)"),
        ("rec", rf"(?<!\w)(?P<rec_w>{_alt(w['recurring'])})(?!\w)"),
        ("cont", rf"(?<!\w)(?P<cont_w>{_alt(w['continuous'])})(?!\w)(?!\s+\d)"),
    ]
    flags = re.IGNORECASE
    # Every atom starts with a digit or one of these two letters ("ng"ày, "th"áng, "nă"m, "qu"ý
    # and the listed words): the lookahead turns away the other positions at once instead of
    # trying each alternative there (about 4x faster over a plan).
    starts = {"ng", "th", "nă", "na", "qu", *(x[:2] for k in ("year_parts", "recurring", "continuous") for x in w[k])}
    starts = {x for x in starts if not x[:1].isdigit()}
    lookahead = r"(?=\d|" + "|".join(re.escape(x).replace(r"\ ", r"\s") for x in sorted(starts)) + ")"
    main = re.compile(lookahead + "(?:" + "|".join(f"(?P<{name}>{pat})" for name, pat in atoms) + ")", flags)
    return {
        "atom": main,
        "q_item": re.compile(Q, flags),
        "m_item": re.compile(M, flags),
        "range_join": re.compile(r"^\s*(?:" + _alt(w["range_joiners"]) + r")\s*(?:hết\s+)?(?:ngày\s+)?$", flags),
        "list_join": re.compile(r"^\s*(?:,|và|hoặc|,\s*và)\s*$", flags),
        "from_now": re.compile(r"(?:" + _alt(w["from_now"]) + r")\s+(?:đến|tới)\s+(?:hết\s+|cuối\s+)?$", flags),
        "deadline": re.compile(r"(?<!\w)(?P<cue>" + _alt(w["deadline_cues"]) + r")\s+(?:hết\s+)?(?:ngày\s+)?$", flags),
        "from": re.compile(r"(?<!\w)(?P<cue>" + _alt(w["from_cues"]) + r")\s+(?:ngày\s+)?$", flags),
        "year_cue": re.compile(r"(?<!\w)(?:" + _alt(w["year_cues"]) + r")\s+$", flags),
        "horizon": re.compile(r"(?<!\w)(?:" + _alt(w["horizon_cues"]) + r")\s*(?:(?:đến|tới)\s+)?(?:hết\s+|cuối\s+)?$", flags),
        "horizon_after": re.compile(r"^\s*,?\s*(?:" + _alt(w["horizon_after"]) + r")(?!\w)", flags),
        "label": re.compile(r"(?<!\w)(?:" + _alt(w["time_labels"]) + r")[^:\n]{0,25}:[\s*_]*(?:(?:" + _alt(w["label_fillers"]) + r")\s+)*$", flags),
        "ngay": re.compile(r"(?<!\w)ngày\s*$", flags),
        "blank_day": re.compile(r"(?<!\w)ngày[\s.…_\-–—]*$", flags),
        "issue_line": re.compile(r"(?:^|\s)[A-ZĐÀ-Ỹ][^\d,;:()]{1,40},\s*ngày[\s.…_\-–—]*$"),
        "cited_num": re.compile(r"(?:(?<!\w)số\s*:?\s*[\w.\-/]*|\d[\w.]*/[\w./\-]*[A-ZĐa-zđ][\w./\-]*)(?:\s+(?:19|20)\d{2})?\s*,?\s*(?:ngày|tháng|năm)?\s*[\s.…_/]*$", flags),
        "cited_word": re.compile(r"(?<!\w)(?:" + _alt(w["cited_doc_words"]) + r")(?!\w)[^;()\n“”\"]{0,90}?(?:,\s*)?(?:ngày|tháng|năm)\s*$"),
        "cont_not_after": re.compile(r"(?<!\w)(?:" + _alt(w["continuous_not_after"]) + r")\s+$", flags),
        "cont_not_before": re.compile(r"^\s+(?:" + _alt(w["continuous_not_before"]) + r")(?!\w)", flags),
        "cont_from": re.compile(r"^\s*(?:" + _alt(w["from_cues"]) + r")\s+(?:ngày\s+)?$", flags),
        "done": re.compile(r"(?<!\w)(?:" + _alt(w["done_before_from"]) + r")\s+$", flags),
        "programme": re.compile(r"(?<!\w)(?:" + _alt(w["programme_words"]) + r")\s+[^;:.()\n“”\"]{0,90}$"),
        "closing_quote": re.compile(r"^\s*[”\"»]"),
        "lead": re.compile(r"^[\s\-–+•*·]*$"),
        "lead_after": re.compile(r"^\s*[:,]"),
        "trong_nam": re.compile(r"^\s*(?:,\s*)?(?:trong\s+)?$", flags),
        "duration": re.compile(r"^\s*(?:,\s*)?(?:trong\s+)?(?:\(\s*)?(?P<n>\d{1,3})\s+ngày(?P<work>\s+làm\s+việc)?", flags),
        "cited_title": re.compile(r"(?:(?<!\w)số\s*\d[\w.\-/]*|\d[\w.]*/[\w./\-]*[A-ZĐ][\w./\-]*)[^;()]*?\s(?:về|phê duyệt)\s", flags),
        "open_end": re.compile(r"^\s*(?:,|và)\s*(?:(?:các|những)\s+năm\s+(?:tiếp\s+theo|sau)"
                              r"|[^,;.()\n]{0,40}?\snăm\s+tiếp\s+theo)(?!\w)", flags),
        "clock": re.compile(r"^\s*\d{1,2}:\d{2}"),
        "sentence": re.compile(r"(?<=[.;!?])\s+(?=\S)"),
    }


# ---------------------------------------------------------------- results

@dataclass
class TimeContext:
    """What the document says about its own time: fills years left out, resolves 'từ nay'."""

    year: int | None = None
    period: tuple[int | None, int | None] | None = None
    issue_date: date | None = None
    working_days: bool = False  # the plan counts durations in working days
    period_start: date | None = None  # "Thời gian: từ nay đến năm 2030": the period starts on the plan's date


@dataclass
class Timex:
    text: str
    start: date | None
    end: date | None
    kind: str  # deadline | interval | point | recurring | continuous
    span: tuple[int, int]
    atom: str  # which pattern: fdw fdn dmw part qtr mon mrn myn dmn yrr yr rec cont
    rule: str | None = None
    cue: str | None = None  # range, deadline, from, from_now, year_cue, label, cell, list, ngay
    year_explicit: bool = True
    flags: set[str] = field(default_factory=set)  # cited, issue_line, horizon, blank_day, recurring_detail

    def as_entry(self) -> dict:
        return {"text": self.text, "start": iso(self.start), "end": iso(self.end), "kind": self.kind,
                "rule": self.rule}


@dataclass
class _Atom:
    name: str
    s: int
    e: int
    start: date | None
    end: date | None
    year_explicit: bool
    rule: str | None = None


def _resolve(m: re.Match, ctx: TimeContext) -> _Atom | None:
    """Dates of one matched atom (None when it is not a valid date)."""
    name = m.lastgroup
    g = m.groupdict()
    year = ctx.year
    s, e = m.span(name)

    def y_or_ctx(v):
        return (int(v), True) if v else (year, False)

    if name in ("fdw", "fdn"):
        d = safe_date(int(g[f"{name}_y"]), int(g[f"{name}_m"]), int(g[f"{name}_d"]))
        return _Atom(name, s, e, d, d, True) if d else None
    if name in ("dmw", "dmn"):
        month = _roman(g[f"{name}_m"])
        if year is None or not month:
            return _Atom(name, s, e, None, None, False)
        d = safe_date(year, month, int(g[f"{name}_d"]))
        return _Atom(name, s, e, d, d, False) if d else None
    if name == "part":
        y, explicit = y_or_ctx(g["part_y"])
        key = " ".join(g["part_w"].lower().split())
        lo, hi = words()["year_parts"][key]
        if y is None:
            return _Atom(name, s, e, None, None, explicit)
        return _Atom(name, s, e, date(y, lo, 1), month_end(y, hi), explicit)
    if name == "qtr":
        y, explicit = y_or_ctx(g["qtr_y"])
        qs = [_roman(x) for x in _patterns()["q_item"].findall(g["qtr_l"])]
        qs = [q for q in qs if q and 1 <= q <= 4]
        if re.search(r",|\bvà\b|\bhoặc\b", g["qtr_l"]):
            qs = _repair_quarter_list(qs)
        if not qs or y is None:
            return _Atom(name, s, e, None, None, explicit) if qs else None
        return _Atom(name, s, e, quarter_bounds(y, min(qs))[0], quarter_bounds(y, max(qs))[1], explicit)
    if name == "mon":
        y, explicit = y_or_ctx(g["mon_y"])
        ms = [_roman(x) for x in _patterns()["m_item"].findall(g["mon_l"])]
        ms = [x for x in ms if x and 1 <= x <= 12]
        if not ms or y is None:
            return _Atom(name, s, e, None, None, explicit) if ms else None
        return _Atom(name, s, e, date(y, min(ms), 1), month_end(y, max(ms)), explicit)
    if name == "mrn":
        y, a, b = int(g["mrn_y"]), int(g["mrn_a"]), int(g["mrn_b"])
        return _Atom(name, s, e, date(y, a, 1), month_end(y, b), True) if a < b else None
    if name == "myn":
        y, mo = int(g["myn_y"]), int(g["myn_m"])
        return _Atom(name, s, e, date(y, mo, 1), month_end(y, mo), True)
    if name == "yrr":
        a, b = int(g["yrr_a"]), int(g["yrr_b"])
        if b < a:
            return None
        return _Atom(name, s, e, date(a, 1, 1), date(b, 12, 31), True)
    if name == "yr":
        y = int(g["yr_a"] or g["yr_b"])
        return _Atom(name, s, e, *year_bounds(y), True)
    if name == "rec":
        rule = words()["recurring"][" ".join(g["rec_w"].lower().split())]
        return _Atom(name, s, e, None, None, False, rule=rule)
    if name == "cont":
        return _Atom(name, s, e, None, None, False)
    return None


def _repair_quarter_list(qs: list[int]) -> list[int]:
    """OCR reads "III" as "II" (and "II" as "I"): a listed quarter that repeats the one before
    it ("Quý II, II") or leaves a gap that one more "I" would close ("Quý II, IV") is raised."""
    out = list(qs)
    for k in range(1, len(out)):
        if out[k] == out[k - 1] and out[k] < 4:
            out[k] += 1
    for k in range(len(out) - 1):
        if out[k + 1] - out[k] == 2 and out[k] in (1, 2):
            out[k] += 1
    return out


def _period_bounds(ctx: TimeContext) -> tuple[date | None, date | None]:
    if not ctx.period:
        return (date(ctx.year, 1, 1), date(ctx.year, 12, 31)) if ctx.year else (None, None)
    a, b = ctx.period
    start = ctx.period_start if ctx.period_start and a and ctx.period_start.year == a else (date(a, 1, 1) if a else None)
    return start, (date(b, 12, 31) if b else None)


_RANGEABLE = {"fdw", "fdn", "dmw", "dmn", "part", "qtr", "mon", "mrn", "myn", "yr", "yrr"}


@dataclass
class _Draft:
    """One expression being built from an atom (and maybe the atom after it)."""

    a: _Atom
    s: int
    e: int
    start: date | None
    end: date | None
    kind: str | None = None
    cue: str | None = None
    year_explicit: bool = True
    flags: set[str] = field(default_factory=set)


_DAY_ATOMS = ("fdw", "fdn", "dmw", "dmn")


@functools.lru_cache(maxsize=4096)
def _atom_matches(text: str) -> tuple[re.Match, ...]:
    """The atoms' matches in `text`, scanned once per text: the stages read the same line
    for the schedule, the period, the targets and the budget."""
    return tuple(_patterns()["atom"].finditer(text))


def find_timexes(text: str, ctx: TimeContext, offset: int = 0, cell: bool = False,
                 deadline_column: bool = False, before: str = "", after: str = "") -> list[Timex]:
    """Every time expression in `text` (one line or one table cell), normalized.

    `offset` is added to spans (the position of `text` in the document); `cell` says the
    text is a cell of a table's time column, where a bare "2030" or "01/4" is a time.
    `before`/`after`: the document text around `text`, for a citation wrapped onto the
    previous line ("... SỐ 119-KH/TU" / "NGÀY 18 THÁNG 12 NĂM 2019") and a duration on the next.
    """
    P = _patterns()
    # an expression lies within one cell: "02 lần/tháng | 08 tháng" holds no "tháng 08"
    atoms = [a for m in _atom_matches(text) if "\t" not in m.group() and (a := _resolve(m, ctx))]
    out: list[Timex] = []
    i, prev_end = 0, 0
    while i < len(atoms):
        a = atoms[i]
        b = atoms[i + 1] if i + 1 < len(atoms) else None
        left = text[max(prev_end, a.s - 120):a.s]  # cues: only since the previous expression
        d = _Draft(a, a.s, a.e, a.start, a.end, cue="cell" if cell else None, year_explicit=a.year_explicit)
        if _join_range(d, b, text, left):
            i += 1
        elif a.name in ("rec", "cont"):
            if a.name == "cont" and (P["cont_not_after"].search(left) or P["cont_not_before"].match(text[a.e:])):
                i, prev_end = i + 1, a.e  # "tính liên tục": a noun, not a schedule
                continue
            if _word_expression(d, b, text, ctx):
                i += 1
        else:
            _cued(d, text, left, ctx, out, prev_end, offset)
        _adjust(d, text, ctx, after)
        _citation_flags(d, text, left, before)
        if deadline_column and d.kind == "interval" and a.name in ("yr", "yrr") and d.cue == "cell":
            d.start, d.kind = None, "deadline"
        out.append(Timex(text=text[d.s:d.e], start=d.start, end=d.end, kind=d.kind, span=(offset + d.s, offset + d.e),
                         atom=a.name, rule=a.rule, cue=d.cue, year_explicit=d.year_explicit, flags=d.flags))
        prev_end = d.e
        i += 1
    out = _join_adjacent(text, out, offset)
    _attach_recurring_details(text, out, offset)
    return out


_PART_OF_YEAR = ("qtr", "mon", "mrn", "myn", "part")


def _join_adjacent(text: str, found: list[Timex], offset: int) -> list[Timex]:
    """A list whose items follow one another without a gap is one period: "Quý IV/2013, Quý I/2014"
    -> 2013-10-01..2014-03-31, "Quý IV/2026, 2027" -> 2026-10-01..2027-12-31 (as "Quý II, III năm
    2020" is one atom). Lists of whole years ("năm 2021 và năm 2022") stay apart."""
    out: list[Timex] = []
    for t in found:
        p = out[-1] if out else None
        if (p and p.atom in _PART_OF_YEAR and t.atom in _PART_OF_YEAR + ("yr",) and p.kind == t.kind == "interval"
                and not p.flags and not t.flags and p.end and t.start and p.end + timedelta(days=1) == t.start
                and _patterns()["list_join"].match(text[p.span[1] - offset:t.span[0] - offset])):
            out[-1] = Timex(text=text[p.span[0] - offset:t.span[1] - offset], start=p.start, end=t.end, kind="interval",
                            span=(p.span[0], t.span[1]), atom=p.atom, cue=p.cue, year_explicit=True)
            continue
        out.append(t)
    return out


def _join_range(d: _Draft, b: _Atom | None, text: str, left: str) -> bool:
    """"từ X đến Y", "01/4 – 07/4", "Quý III – Quý IV năm 2020": one interval from two atoms."""
    P, a = _patterns(), d.a
    if not (b and a.name in _RANGEABLE and b.name in _RANGEABLE and P["range_join"].match(text[a.e:b.s])
            and (a.name in _DAY_ATOMS) == (b.name in _DAY_ATOMS)):
        return False
    if not a.year_explicit and b.year_explicit and a.start and b.start and a.start.year != b.start.year:
        # "từ 01/4 đến 07/4/2021": the first end takes the second's year
        a.start = safe_date(b.start.year, a.start.month, a.start.day) or a.start
    if not (a.start and b.end and b.end >= a.start):
        return False
    d.start, d.end, d.kind, d.cue, d.e = a.start, b.end, "interval", "range", b.e
    d.year_explicit = a.year_explicit or b.year_explicit
    fm = P["from"].search(left)
    if fm:
        d.s = a.s - (len(left) - fm.start())
    return True


def _word_expression(d: _Draft, b: _Atom | None, text: str, ctx: TimeContext) -> bool:
    """Recurring and continuous words span the plan's period; "liên tục trong năm 2020" that
    year. Returns True when the next atom was taken in."""
    d.cue = d.cue or "word"
    if d.a.name == "rec":
        d.start, d.end = _period_bounds(ctx)
        d.kind = "recurring"
        return False
    d.kind = "continuous"
    if b and b.name == "yr" and _patterns()["trong_nam"].match(text[d.a.e:b.s]):
        d.start, d.end, d.e, d.year_explicit = b.start, b.end, b.e, True
        return True
    d.start, d.end = _period_bounds(ctx)
    if b and b.name in _RANGEABLE and b.start and _patterns()["cont_from"].match(text[d.a.e:b.s]):
        # "thường xuyên từ tháng 6/2024": from then to the end of the plan's period
        d.start, d.e, d.year_explicit = b.start, b.e, b.year_explicit
        if d.end is not None and d.end < b.end:
            d.end = b.end
        return True
    return False


def _cued(d: _Draft, text: str, left: str, ctx: TimeContext, out: list[Timex], prev_end: int, offset: int) -> None:
    """Kind and cue of a single atom from the words before it: a deadline ("trước ngày"),
    an open start ("từ năm"), "từ nay đến", a time label, "trong năm", a list."""
    P, a = _patterns(), d.a
    wide = text[max(0, a.s - 250):a.s]
    if P["horizon"].search(wide) or P["horizon_after"].match(text[a.e:]):
        d.flags.add("horizon")
    fn, dm, fm = P["from_now"].search(left), P["deadline"].search(left), P["from"].search(left)
    if fm and (a.name in ("yrr", "mrn") or (a.name in ("mon", "qtr") and _INNER_RANGE.search(text[a.s:a.e]))):
        # "từ tháng 6 đến tháng 12 năm 2022": "từ" opens a range the atom already closes
        d.s = a.s - (len(left) - fm.start())
        d.cue = d.cue or "range"
        fm = None
    if fm and P["done"].search(left[:fm.start()]):
        # "Đã khắc phục xong từ tháng 6/2024": finished then; the month itself
        d.cue = d.cue or "from"
        fm = None
    if fn:
        d.start, d.kind, d.cue = ctx.issue_date, "interval", "from_now"
        d.s = a.s - (len(left) - fn.start())
    elif dm and "horizon" not in d.flags:
        word = " ".join(dm.group("cue").lower().split())
        if word == "trước" and a.name not in _DAY_ATOMS and a.start:
            d.end = a.start - timedelta(days=1)  # "trước tháng 6": by the end of May
        d.start, d.kind, d.cue = None, "deadline", "deadline"
        d.s = a.s - (len(left) - dm.start())
    elif fm:
        d.end, d.kind, d.cue = None, "interval", "from"
        d.s = a.s - (len(left) - fm.start())
    else:
        d.kind = "point" if a.name in _DAY_ATOMS else "interval"
        if d.cue is None:
            if P["label"].search(left):
                d.cue = "label"
            elif P["year_cue"].search(left):
                d.cue = "year_cue"
            elif a.name == "dmn" and P["ngay"].search(left):
                d.cue = "ngay"
            elif (a.name in ("yr", "yrr") and P["lead"].match(text[:a.s]) and P["lead_after"].match(text[a.e:])
                  and re.match(r"\s*năm", text[a.s:a.e], re.IGNORECASE)):
                d.cue = "lead"  # "- Năm 2018: Rà soát ...", "Năm 2018, hoàn thành ...": the year heads its item
            elif (out and out[-1].cue and P["list_join"].match(text[prev_end:a.s])
                  and out[-1].span[1] - offset == prev_end):
                d.cue = "list"


def _adjust(d: _Draft, text: str, ctx: TimeContext, after: str) -> None:
    """Year slips, web time stamps, open ends ("và những năm tiếp theo") and durations
    after a date ("23/3/2026 02 ngày")."""
    P, a = _patterns(), d.a
    if a.name in ("fdn", "fdw") and d.kind == "point" and d.start and (moved := _year_slip(d.start, ctx)):
        d.start = d.end = moved
        d.flags.add("year_corrected")
    if a.name in ("fdn", "fdw") and P["clock"].match(text[a.e:]):
        d.flags.add("timestamp")  # "04/09/2019 04:00:37 PM": a web page's time stamp
    if a.name in ("yr", "yrr") and d.kind == "interval" and (oe := P["open_end"].match(text[a.e:])):
        d.end, d.e = None, a.e + oe.end()
    if a.name in _DAY_ATOMS and d.kind == "point" and d.start:
        dur = P["duration"].match(text[a.e:] + ("\n" + after if a.e >= len(text.rstrip()) else ""))
        if dur and 0 < int(dur.group("n")) <= 366:
            n = int(dur.group("n"))
            if dur.group("work") or ctx.working_days:
                d.end = add_working_days(d.start, n)
            else:
                d.end = d.start + timedelta(days=n - 1)
            d.kind, d.e = "interval", min(len(text), a.e + dur.end())


def _citation_flags(d: _Draft, text: str, left: str, before: str) -> None:
    """Dates of cited documents, titles of cited documents, the issue-date line, a blank day."""
    P, a = _patterns(), d.a
    # citations may hold other numbers ("461/QĐ-TTg 2018 ngày") and wrap ("QĐ-\nTTg")
    wide = _HYPHEN_BREAK.sub("-", (before + "\n" + text[:a.s])[-250:])
    clause = re.split(r"[;:\n]|\.\s", wide)[-1]
    if P["cited_title"].search(clause):
        d.flags.add("cited")  # inside a cited document's title: "... về phê duyệt Đề án ... đến năm 2020"
    if d.cue not in ("deadline", "from", "from_now", "range"):
        # "ngày" opens the fdw/dmw atoms themselves: test the citation context with it
        probe = wide + ("ngày " if a.name in ("fdw", "dmw") else "")
        if P["cited_num"].search(probe) or (a.name in ("fdw", "fdn", "dmw", "dmn", "mon", "mrn", "myn")
                                            and P["cited_word"].search(probe)):
            d.flags.add("cited")
        if P["issue_line"].search(probe[-60:]) and a.name in ("fdw", "fdn", "mon"):
            d.flags.add("issue_line")
    if a.name in ("mon", "mrn", "myn", "yr") and P["blank_day"].search(left):
        d.flags.add("blank_day")
    if a.name in ("yr", "yrr") and (P["closing_quote"].match(text[d.e:]) and not re.search(r"[“\"«]\s*$", text[:d.s])
                                     or d.cue in ("deadline", "from_now") and P["programme"].search(clause)):
        # "Đề án “... dựa vào cộng đồng, đến năm 2030”", "Chương trình mục tiêu quốc gia ... đến năm
        # 2030": the horizon that ends a programme's name, not a schedule of this plan
        d.flags.add("cited")


def _year_slip(d: date, ctx: TimeContext) -> date | None:
    """A scheduled date written with last year ("25/3/2025" in a plan of 10/3/2026 for 2026)
    is a typo when moving it into the plan's first year puts it after the plan's date:
    work cannot be scheduled before the plan exists. Returns the corrected date or None."""
    if not (ctx.issue_date and ctx.period and ctx.period[0]):
        return None
    if d.year != ctx.period[0] - 1 or d >= ctx.issue_date:
        return None
    moved = safe_date(ctx.period[0], d.month, d.day)
    # only a slip of the plan's own weeks: a date months after the plan is not corrected
    return moved if moved and ctx.issue_date <= moved <= ctx.issue_date + timedelta(days=92) else None


def _attach_recurring_details(text: str, found: list[Timex], offset: int) -> None:
    """Yearless dates in a sentence with a recurring word belong to the rule
    ("định kỳ hàng năm (trước ngày 15/11)", "trước ngày 30 tháng 11 hằng năm")."""
    bounds = [0] + [m.start() for m in _patterns()["sentence"].finditer(text)] + [len(text)]
    sentences: dict[int, list[Timex]] = {}  # found by sentence, in one pass (a long line has thousands)
    for t in found:
        sentences.setdefault(bisect.bisect_right(bounds, t.span[0] - offset) - 1, []).append(t)
    for inside in sentences.values():
        rec = [t for t in inside if t.kind == "recurring"]
        if not rec:
            continue
        for t in inside:
            if t.kind != "recurring" and not t.year_explicit and t.atom in ("fdw", "fdn", "dmw", "dmn", "qtr", "mon"):
                t.flags.add("recurring_detail")
                r = rec[0]
                r.rule = f"{r.rule}; {t.text}" if r.rule else t.text
