"""Quantified targets in one objective: "Phấn đấu có từ 4-5 sản phẩm được đánh giá, xếp
hạng trong năm 2021" -> value 4, value_max 5, unit "sản phẩm", year 2021.

A target is a number (digits the Vietnamese way, or words: "hai", "mười") or a range
("4-5", "từ 2 đến 3") or a percentage ("100% cán bộ"), counting the noun phrase after it
(the unit, found with underthesea's POS tags). Numbers that are not quantities are skipped:
dates and years, document numbers ("57-NQ/TW"), labels ("Chỉ thị 11", "Điều 108"), list
numbering, parenthesised remarks ("(1-2 sao)") and durations ("trong 05 năm"). A star grade
right after a counted noun ("20 sản phẩm OCOP 03 sao") belongs to that unit.
Vocabulary in the lexicon (units.yaml).
"""
from __future__ import annotations

import functools
import re
import threading


from pipeline import lexicon
from pipeline.normalize import numbering
from pipeline.normalize.number_words import find_number_words
from pipeline.normalize.numbers import NUMBER, as_int_if_whole, parse_number
from pipeline.normalize.timex import TimeContext, _alt as alt, find_timexes



@functools.cache
def _vocab() -> dict:
    v = lexicon.load("units")
    v["re_qualifier"] = re.compile(r"(?<!\w)(?P<q>" + alt(v["qualifiers"]) + r")\s*$", re.IGNORECASE)
    v["re_label"] = re.compile(r"(?<!\w)(?:" + alt(v["label_words"]) + r")\s*:?\s*$")
    v["re_at_least_before"] = re.compile(r"(?<!\w)(?:" + alt(v["at_least_before"]) + r")\s*$", re.IGNORECASE)
    v["re_at_least"] = re.compile(r"^\s*(?:" + alt(v["at_least_after"]) + r")", re.IGNORECASE)
    v["re_grade"] = re.compile(r"^\s*(?P<n>\d{1,2})\s+(?P<w>" + alt(v["grade_words"]) + r")(?!\w)", re.IGNORECASE)
    verbs = alt(v["subject_verbs"])
    v["re_subject_lead"] = re.compile(
        rf"^\s*(?:[-+*•]\s*)?(?:đối với\s+(?P<a>[^,;]+?)(?=\s+(?:{verbs})(?!\w)|,)|(?P<b>mỗi\s+[^;]+?)(?=\s+(?:{verbs})(?!\w)))",
        re.IGNORECASE)
    v["re_measure_verb"] = re.compile(
        r"\s+(?:" + alt(v["measure_verbs"]) + r")(?:\s+(?:" + alt(v["qualifiers"]) + r"))?\s*$", re.IGNORECASE)
    v["re_status"] = re.compile(r"^[\W\d_]*(?:" + alt(v["status_words"]) + r")(?!\w)", re.IGNORECASE)
    v["re_series_lead"] = re.compile(
        r"\s*(?:(?:" + alt(v["measure_verbs"] + v["qualifiers"]) + r")\s*)*", re.IGNORECASE)
    v["re_percent_subject_end"] = re.compile(r"\s+(?:" + alt(v["percent_subject_end"]) + r")(?!\w)|[;.(]", re.IGNORECASE)
    v["stop"] = {s.lower() for s in v["unit_stop"]}
    v["time_units"] = {s.lower() for s in v["time_units"]}
    v["descriptive_units"] = {s.lower() for s in v["descriptive_units"]}
    v["plural_markers"] = {s.lower() for s in v["plural_markers"]}
    v["grade_words"] = {s.lower() for s in v["grade_words"]}
    goal = r"(?<!\w)(?:" + alt(v["goal_lead_words"]) + r")(?!\w)"
    means = r"(?<!\w)(?:" + alt(v["goal_means_words"]) + r")\s+(?:\S+\s+){0,3}?"
    # "Để đạt được các mục tiêu trên, cần thực hiện các nhiệm vụ sau:" introduces the means
    v["goal_lead"] = re.compile(rf"^(?!.*{means}(?:các\s+)?{goal}).*{goal}", re.IGNORECASE | re.DOTALL)
    return v


def goal_lead_re() -> re.Pattern:
    """Words of a lead-in that announces the plan's goals ("phấn đấu", "mục tiêu")."""
    return _vocab()["goal_lead"]


_LOAD_LOCK = threading.Lock()


@functools.cache
def _pos_tag():
    # underthesea loads its models lazily and not thread-safely (a second thread sees a
    # half-loaded model: "'NoneType' object has no attribute 'process'"): load them once
    # under a lock before any concurrent use (the flow runs documents in threads)
    with _LOAD_LOCK:
        from underthesea import pos_tag  # loaded once, on first use (about 0.4 s)

        pos_tag("Kế hoạch")
    return pos_tag


_RANGE_JOIN = re.compile(r"^\s*(?:-|–|—|÷|đến|tới)\s*$", re.IGNORECASE)
_RATE = re.compile(r"^\s*/\s*\w+")
_BASELINE = re.compile(r"so\s+với\s+(?:cùng\s+kỳ\s+)?(?:năm\s+)?(?:19|20)\d{2}", re.IGNORECASE)
_PERCENT = re.compile(r"^\s*(?:%|phần\s+trăm)", re.IGNORECASE)
_DOC_NUMBER_AFTER = re.compile(r"^(?:/|-\s?[A-ZĐa-zđ]|\.\d)")
_DOC_NUMBER_BEFORE = re.compile(r"(?:[/]|[A-ZĐa-zđ]-|\d[.,]|[A-ZĐ])$")  # "QH15": a code
_CODE_AFTER = re.compile(r"^[A-Z]{1,2}(?![^\W\d_])")
_LIST_NUMBER = re.compile(rf"^\s*{numbering.bullet('-+*•')}?\s*$")
_DISTRIBUTIVE = re.compile(r"(?<!\w)mỗi\s+\w+\s+$", re.IGNORECASE)
_PARENS = re.compile(r"\([^()]*\)")
_CLAUSE_END = re.compile(r";|\.(?:\s|$)|:\s")
_SEGMENT_SEP = re.compile(r",\s*|\s+và\s+|\s+hoặc\s+")
_UNIT_END = re.compile(r"[,;.:()\[\]“”\"!?]")


def _mentions(text: str) -> list[tuple[int, int, float]]:
    """(start, end, value) of every number in digits or words, in order."""
    out = [(m.start(), m.end(), v) for m in NUMBER.finditer(text) if (v := parse_number(m.group(0))) is not None]
    out += [(s, e, float(v)) for s, e, v in find_number_words(text)]
    out.sort()
    return out


def _excluded_spans(text: str, ctx: TimeContext) -> list[tuple[int, int]]:
    spans = [t.span for t in find_timexes(text, ctx)]
    spans += [m.span() for m in _PARENS.finditer(text)]
    return spans


def _unit(tail: str) -> tuple[str | None, int]:
    """The counted noun phrase at the start of `tail` and where it ends."""
    v = _vocab()
    cut = _UNIT_END.search(tail)
    phrase = tail[:cut.start()] if cut else tail
    if not phrase.strip():
        return None, 0
    tokens = _pos_tag()(phrase.strip()[:120])
    # "100% các cấp giáo dục": a plural marker before the counted noun is not part of it
    while len(tokens) > 1 and tokens[0][0].lower() in v["plural_markers"]:
        tokens = tokens[1:]
    words: list[str] = []
    for i, (tok, tag) in enumerate(tokens):
        low = tok.lower()
        if low in v["stop"] or not re.search(r"[^\W\d_]", tok):
            break  # a function word, or no letter at all ("%", "/", "-")
        if i > 0 and tag not in v["unit_pos"]:
            break
        words.append(tok)
        if len(words) >= v["unit_max_words"]:
            break
    if not words:
        return None, 0
    unit = " ".join(words)
    # end offset of the unit within tail (tokens keep the original spelling)
    m = re.search(r"\s*".join(re.escape(w) for w in unit.split()), tail)
    return unit, (m.end() if m else len(unit))


def _clauses(text: str) -> list[tuple[int, int]]:
    bounds, pos = [], 0
    for m in _CLAUSE_END.finditer(text):
        bounds.append((pos, m.start()))
        pos = m.end()
    bounds.append((pos, len(text)))
    return bounds


def find_targets(text: str, ctx: TimeContext, offset: int = 0) -> list[dict]:
    """The quantified targets in one objective's text; spans are offset by `offset`."""
    v = _vocab()
    excluded = _excluded_spans(text, ctx)
    mentions = _mentions(text)
    clauses = _clauses(text)
    found: list[dict] = []
    used: set[int] = set()
    for k, (s, e, value) in enumerate(mentions):
        if k in used or any(a <= s < b for a, b in excluded):
            continue
        before, after = text[:s], text[e:]
        if _DOC_NUMBER_AFTER.match(after) or _DOC_NUMBER_BEFORE.search(before):
            continue
        if v["re_label"].search(before[-20:]):
            continue
        if _DISTRIBUTIVE.search(before[-30:]) and not text[s:e][0].isdigit():
            continue  # "Mỗi xã một sản phẩm": a name, not a count
        if value == 1 and not text[s:e][0].isdigit() and not v["re_at_least_before"].search(before[-20:]):
            continue  # "xây dựng một Thành phố an toàn": an article; "ít nhất một cơ sở" counts
        if _LIST_NUMBER.match(before) and re.match(r"^\s*[.)]", after):
            continue  # "1." or "a)" list numbering
        if _CODE_AFTER.match(after):
            continue  # "5G", "3D": a name, not a count
        value_max, end = None, e
        if k + 1 < len(mentions) and _RANGE_JOIN.match(text[e:mentions[k + 1][0]]):
            value_max, end = mentions[k + 1][2], mentions[k + 1][1]
            used.add(k + 1)
            if value_max < value:
                value_max = None
        pct = _PERCENT.match(text[end:])
        percent = bool(pct) or bool(_PERCENT.match(text[e:]))
        if pct:
            end += pct.end()
            if rate := _RATE.match(text[end:]):
                end += rate.end()  # "7%/năm": a yearly rate, no counted noun
        unit, unit_len = _unit(text[end:])
        unit_end = end + unit_len
        if unit and not percent and unit.split()[0].lower() in v["time_units"] | v["descriptive_units"]:
            continue  # a duration ("trong 05 năm"), an age ("từ 15 tuổi"), levels ("chính quyền 02 cấp")
        if not unit and not percent:
            continue
        clause = _clause_of(clauses, s, len(text))
        if v["re_status"].match(text[clause[0]:]):
            continue  # "Hiện nay, tổng số trạm ... khoảng 180 trạm": where the plan starts from
        if percent and not unit:
            unit = _series_unit(text, s, clause, found, excluded)
        if unit and unit.split()[0].lower() in v["grade_words"] and found and found[-1]["_clause"] == clause:
            # "... 20 sản phẩm OCOP, 03 sao" after a counted noun in the same clause: a grade
            if not _SEGMENT_SEP.search(text[found[-1]["_end"]:s]):
                continue
        grade = v["re_grade"].match(text[unit_end:]) if unit else None
        if grade:
            unit = f"{unit} {grade.group('n')} {grade.group('w')}"
            unit_end += grade.end()
            for j in range(k + 1, len(mentions)):
                if mentions[j][0] < unit_end:
                    used.add(j)
        at_least = v["re_at_least"].match(text[unit_end:])
        if at_least:
            unit_end += at_least.end()
        qual = v["re_qualifier"].search(before[-25:])
        found.append({
            "_start": s - (len(before[-25:]) - qual.start() if qual else 0), "_num": s, "_end": unit_end,
            "_clause": clause,
            "value": as_int_if_whole(value), "value_max": as_int_if_whole(value_max) if value_max is not None else None,
            "unit": unit, "percent": percent,
            "qualifier": " ".join(qual.group("q").lower().split()) if qual else ("trở lên" if at_least else None),
        })
    return [_finish(text, t, found, ctx, offset) for t in found]


def _series_unit(text: str, s: int, clause: tuple[int, int], found: list[dict],
                 excluded: list[tuple[int, int]]) -> str | None:
    """A bare percentage that continues a series ("đạt 100% gia đình ... năm 2020, năm 2018
    đạt 99%, năm 2019 đạt 99,5%"): the unit of the percentage before it in the same clause,
    when only a time and a verb stand between the separator and the number."""
    if not found or found[-1]["_clause"] != clause or not found[-1]["percent"] or not found[-1]["unit"]:
        return None
    gap_start = found[-1]["_end"]
    seps = list(_SEGMENT_SEP.finditer(text[gap_start:s]))
    if not seps:
        return None
    lead_start = gap_start + seps[-1].end()
    lead = "".join(" " if any(a <= i < b for a, b in excluded) else ch
                   for i, ch in enumerate(text[lead_start:s], start=lead_start))
    return found[-1]["unit"] if _vocab()["re_series_lead"].fullmatch(lead) else None


def _clause_of(clauses: list[tuple[int, int]], pos: int, length: int) -> tuple[int, int]:
    return next((c for c in clauses if c[0] <= pos <= c[1]), (0, length))


def _finish(text: str, t: dict, found: list[dict], ctx: TimeContext, offset: int) -> dict:
    """Cut the target's own segment of its clause; add year and subject."""
    c_start, c_end = t["_clause"]
    same = [x for x in found if x["_clause"] == t["_clause"]]
    i = same.index(t)
    start = c_start
    if i > 0:
        gap = text[same[i - 1]["_end"]:t["_num"]]
        seps = list(_SEGMENT_SEP.finditer(gap))
        if seps:
            start = same[i - 1]["_end"] + seps[-1].end()
        else:
            start = t["_start"]
    end = c_end
    if i + 1 < len(same):
        nxt = same[i + 1]
        gap = text[t["_end"]:nxt["_num"]]
        seps = list(_SEGMENT_SEP.finditer(gap))
        end = t["_end"] + seps[-1].start() if seps else t["_end"]
    while start < end and text[start] in " -+*•\t":
        start += 1
    seg = text[start:end].rstrip(" ,;.")
    end = start + len(seg)
    # "so với năm 2020" is the baseline, not the year of the target
    years = [x.end.year for x in find_timexes(_BASELINE.sub("", seg), ctx) if x.year_explicit and x.end]
    subject = None
    if t["percent"] and not t["unit"]:
        # "Tỷ lệ hộ dân sử dụng nước sạch đạt 95%": what is measured comes before the number
        lead = text[start:t["_start"]].strip(" ,-+*•")
        subject = _vocab()["re_measure_verb"].sub("", lead).strip(" ,") or None
    elif t["percent"]:
        tail = text[t["_num"]:c_end]
        tail = tail[tail.find("%") + 1:] if "%" in tail else tail
        stop = _vocab()["re_percent_subject_end"].search(tail)
        subject = (tail[:stop.start()] if stop else tail).strip(" ,") or None
    else:
        lead = _vocab()["re_subject_lead"].match(text[c_start:t["_num"]])
        if lead:
            subject = (lead.group("a") or lead.group("b")).strip(" ,")
    return {
        "text": seg, "value": t["value"], "value_max": t["value_max"], "unit": t["unit"],
        "subject": subject, "percent": t["percent"], "year": years[0] if years else None,
        "qualifier": t["qualifier"], "span": {"start": offset + start, "end": offset + end},
    }


# ---------------------------------------------------------------- indicator tables

_CELL_VALUE = re.compile(
    r"(?P<q>≥|>=|≤|<=|>|<|ít nhất|tối thiểu|trên|dưới|tối đa)?\s*(?P<a>\d[\d.,]*)\s*(?P<pa>%)?"
    r"(?:\s*(?:-|–|—|đến)\s*(?P<b>\d[\d.,]*)\s*%?)?", re.IGNORECASE)
_YEAR_IN_HEAD = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_SYMBOL_WORDS = {">=": "≥", "<=": "≤"}
_INDICATOR_HEAD = re.compile(r"chỉ\s*tiêu", re.IGNORECASE)
_UNIT_HEAD = re.compile(r"đơn\s*vị\s*(?:tính)?$|^đvt$", re.IGNORECASE)
_VALUE_HEAD = re.compile(r"kết\s*quả|mục\s*tiêu|kế\s*hoạch|giá\s*trị|chỉ\s*tiêu\s*(?:năm|đến|giao)|năm\s*\d{4}", re.IGNORECASE)


def indicator_columns(table) -> tuple[int, int, int] | None:
    """(indicator, unit, value) columns of a "Chỉ tiêu | Đơn vị | Kết quả" table, or None."""
    head = [" ".join(c.replace("*", "").split()) for c in (table.rows[0] if table.rows else [])]
    if sum(1 for h in head if _YEAR_IN_HEAD.search(h)) >= 2:
        return None  # "Chỉ tiêu | ĐVT | Năm 2024 | Năm 2025 | ...": figures year by year, not goals
    ind = next((i for i, h in enumerate(head) if _INDICATOR_HEAD.fullmatch(h) or h.lower().startswith("chỉ tiêu")), None)
    unit = next((i for i, h in enumerate(head) if _UNIT_HEAD.search(h)), None)
    value = next((i for i, h in enumerate(head) if i not in (ind, unit) and _VALUE_HEAD.search(h)), None)
    return (ind, unit, value) if None not in (ind, unit, value) else None


def indicator_targets(indicator: str, unit: str | None, value: str, year: int | None,
                      span: tuple[int, int]) -> list[dict]:
    """Targets of one indicator row; "≤ 3 Đông Nam Á; ≤ 50 Thế giới" holds two."""
    parts = [p for p in re.split(r";", value or "") if p.strip()]
    return [t for p in parts if (t := indicator_target(indicator, unit, p.strip(), year, span))]


def indicator_target(indicator: str, unit: str | None, value: str, year: int | None, span: tuple[int, int]) -> dict | None:
    """One row of an indicator table ("Chỉ tiêu | Đơn vị | Kết quả"): "Tỉ lệ giao dịch không
    dùng tiền mặt | % | ≥ 80" -> value 80, percent, qualifier "≥"."""
    m = _CELL_VALUE.search(value or "")
    if not m:
        return None
    a = parse_number(m.group("a").rstrip(".,"))
    b = parse_number(m.group("b").rstrip(".,")) if m.group("b") else None
    if a is None:
        return None
    unit = " ".join((unit or "").split()) or None
    percent = bool(m.group("pa")) or (unit or "").startswith("%")
    q = m.group("q")
    return {
        "text": f"{indicator}: {value}".strip(), "value": as_int_if_whole(a),
        "value_max": as_int_if_whole(b) if b is not None and b >= a else None, "unit": unit,
        "subject": indicator or None, "percent": percent, "year": year,
        "qualifier": _SYMBOL_WORDS.get(q, q.lower()) if q else None,
        "span": {"start": span[0], "end": span[1]},
    }

