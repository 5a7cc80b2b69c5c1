"""Cited documents: "Quyết định số 490/QĐ-TTg ngày 07/5/2018 của Thủ tướng Chính phủ".

A citation is a document-type word (the lexicon, doc_types.yaml) followed, with or without "số",
by a document number: digits and symbols joined by "/" and "-" ("52/2018/NĐ-CP",
"119- KH/TU", "01-GCN-MT"), or a bare number after "số" ("Văn bản số 02"). Spaces next to a
separator are hard-wrap or typing debris and are dropped from the number. Legal bases are
the citations in the preamble's "Căn cứ" lines, or, for a document without them, in the
preamble sentence naming what it carries out ("Thực hiện ..."); references are all other
citations, each number once, never the document's own number.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache


from pipeline import lexicon
from pipeline.model import Document, Section
from pipeline.normalize.quick_regex import quick


# A token after a separator: with no space, any run of letters/digits ("TTg", "Cty");
# after a space, only an upper-case code ("CP", "TTg", "KH"), never a word ("Công").
_TOKEN = r"[A-Za-zĐđ0-9][A-Za-zĐđ0-9&.]*"
_CODE = r"[A-ZĐ0-9][A-ZĐ0-9&]*(?:[a-z]{1,2})?(?![a-zà-ỹ])"
_SEP = rf"(?:[/-]{_TOKEN}|\s[/-]\s?{_CODE}|[/-]\s{_CODE})"
NUMBER = rf"(?:[0-9][0-9.]*[0-9]|[0-9]|[A-ZĐ][A-ZĐ0-9]*(?=[/-]))(?:{_SEP})*"
DATE_AFTER = re.compile(
    r"^\s*,?\s*(?:ban hành\s+)?(?:ngày\s*)?(?:"
    r"(?P<d>\d{1,2})\s*[/.-]\s*(?P<m>\d{1,2})\s*[/.-]\s*(?P<y>\d{4})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
ISSUER_AFTER = re.compile(r"^[ ,]*của\s+(?P<who>[^,;:“\"()\n\t]{3,90}?)(?=\s+(?:về|v/v|quy định|ban hành|phê duyệt|thực hiện|tại|theo)\b|\.\s|\.?$|[,;:“\"()\n\t])", re.IGNORECASE)
CHAIN = re.compile(rf"^\s*(?:,|;|và)\s*(?:số\s*)?(?P<num>{NUMBER})", re.IGNORECASE)
MONTH_YEAR = re.compile(r"^\d{1,2}/(?:19|20)\d{2}$")  # "6/2025" in a deadline column
SELF_CAPTION = re.compile(r"(?:ban hành\s+)?kèm\s+theo\s*$", re.IGNORECASE)


@dataclass
class Citation:
    doc_type: str
    number: str
    start: int
    end: int
    issue_date: str | None
    issuer: str | None
    text: str

    def to_record(self, doc: Document) -> dict:
        return {"doc_type": self.doc_type, "number": self.number, "issue_date": self.issue_date,
                "issuer": self.issuer, "text": self.text, "span": doc.span(self.start, self.end)}


@lru_cache(maxsize=1)
def _vocab() -> dict:
    data = lexicon.load("doc_types")
    types = data["reference_types"]
    words = sorted(types, key=len, reverse=True)
    rx = quick(  # a lookahead of the type words' first letters: the document is scanned whole
        r"(?<![\wÀ-ỹ])(?P<type>" + "|".join(re.escape(w) for w in words) + r")"
        r"(?:[ \u00a0]+liên[ \u00a0]+tịch)?[ \u00a0]*(?P<so>số[ \u00a0]*:?[ \u00a0]*)?"
        # a line may break right before the number (with the tab of a justified PDF line)
        r"(?:[ \u00a0\t]*\n[ \u00a0]*)?(?P<num>" + NUMBER + r")",
        re.IGNORECASE,
    )
    return {
        "types": {w.casefold(): t for w, t in types.items()},
        "rx": rx,
        "type_word": quick(r"(?<![\wÀ-ỹ])(?P<type>" + "|".join(re.escape(w) for w in words) + r")(?![\wÀ-ỹ])"),
        "named_no": quick(r"(?<![\wÀ-ỹ])số[ \u00a0]*:?[ \u00a0]*(?P<num>" + NUMBER + r")", re.IGNORECASE),
        "basis": re.compile(data["legal_basis_lines"], re.IGNORECASE),
        "implementing": re.compile(data["implementing_lines"], re.IGNORECASE),
    }


def clean_number(raw: str) -> str:
    """The number as written, spaces removed, no trailing dot: "119- KH/TU" -> "119-KH/TU",
    "3070. /KH-UBND" -> "3070/KH-UBND"."""
    # a full stop typed after the number, before its code, is no part of it: "3070. /KH-UBND"
    return re.sub(r"(?<=\d)\.(?=[/-])", "", re.sub(r"\s+", "", raw)).rstrip(".-/")


def number_key(number: str | None) -> str:
    """Comparison key of a document number (case folded, no spaces)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", number or "")).casefold()


def _iso(y: str, m: str, d: str) -> str | None:
    yi, mi, di = int(y), int(m), int(d)
    if not (1 <= mi <= 12 and 1 <= di <= 31 and 1900 < yi < 2100):
        return None
    return f"{yi:04d}-{mi:02d}-{di:02d}"


def _valid(number: str, had_so: bool, dated: bool) -> bool:
    if not any(c.isdigit() for c in number) or MONTH_YEAR.match(number):
        return False
    if "/" in number or "-" in number:
        return True
    # a bare number ("Văn bản số 02 ngày 21/4/2026") only after "số" and before a date
    return had_so and dated and len(number) <= 5


def find_citations(text: str, base: int = 0) -> list[Citation]:
    """Every cited document in `text` (offsets shifted by `base`)."""
    v = _vocab()
    out: list[Citation] = []
    for m in v["rx"].finditer(text):
        number = clean_number(m.group("num"))
        if not _valid(number, bool(m.group("so")), bool(DATE_AFTER.match(text[m.end("num"):m.end("num") + 40]))):
            continue
        doc_type = v["types"].get(m.group("type").casefold(), "other")
        end = m.end("num")
        # trim a trailing sentence dot or separator left in the match
        while end > m.start("num") and text[end - 1] in ".-/ ":
            end -= 1
        cites = [(number, m.start(), end)]
        rest = text[end:]
        ch = CHAIN.match(rest)
        while ch and "/" in ch.group("num"):
            s, e = end + ch.start("num"), end + ch.end("num")
            cites.append((clean_number(ch.group("num")), s, e))
            end = e
            rest = text[end:]
            ch = CHAIN.match(rest)
        date, issuer = _date_and_issuer_after(text[end:end + 200])
        for num, s, e in cites:
            out.append(Citation(doc_type, num, base + s, base + e, date, issuer, text[m.start(): e].strip()))
    out += _named_citations(text, base, out, v)
    return sorted(out, key=lambda c: c.start)


def _date_and_issuer_after(after: str) -> tuple[str | None, str | None]:
    """The date ("ngày 12/5/2020") and issuer ("của Thủ tướng Chính phủ") written after a
    cited number."""
    date = None
    dm = DATE_AFTER.match(after)
    if dm:
        date = _iso(dm.group("y") or dm.group("y2"), dm.group("m") or dm.group("m2"), dm.group("d") or dm.group("d2"))
        after = after[dm.end():]
    im = ISSUER_AFTER.match(after)
    return date, im.group("who").strip() if im else None


NAMED_WINDOW = 250  # how far back a "số ..." may be from the type word of the name it ends


def _named_citations(text: str, base: int, found: list[Citation], v: dict) -> list[Citation]:
    """Documents cited by name before their number: "Pháp lệnh Ưu đãi người có công với cách
    mạng số 26/2005/PL-UBTVQH11", "Luật Đầu tư công số 58/2024/QH15". The number carries a code
    ("/QH15"); the type is the last type word of the same clause before it."""
    taken = [(c.start - base, c.end - base) for c in found]
    out: list[Citation] = []
    for m in v["named_no"].finditer(text):
        number = clean_number(m.group("num"))
        if any(s <= m.start("num") < e for s, e in taken) or not re.search(r"\d.*/.*[A-Za-zĐđ]", number):
            continue
        if MONTH_YEAR.match(number):
            continue
        window = text[max(0, m.start() - NAMED_WINDOW): m.start()]
        window = re.split(r";|\.\s|:\s*\n", window)[-1]
        types = list(v["type_word"].finditer(window))
        if not types:
            continue
        t = types[-1]
        end = m.end("num")
        while end > m.start("num") and text[end - 1] in ".-/ ":
            end -= 1
        date, issuer = _date_and_issuer_after(text[end:end + 200])
        start = m.start() - len(window) + t.start()
        out.append(Citation(v["types"].get(t.group("type").casefold(), "other"), number, base + m.start("num"), base + end,
                            date, issuer, text[start:end].strip()))
    return out


def _is_self_caption(doc: Document, c: Citation) -> bool:
    """The citation is the caption of an appendix or attached part naming this document:
    "(Kèm theo Kế hoạch số 368/VKH-UBND ...)", "(Ban hành kèm theo Quyết định số /QĐ-UBND ...)"."""
    before = doc.text[max(0, c.start - 40): c.start]
    return bool(SELF_CAPTION.search(before))


def _preamble_lines(doc: Document, sections: list[Section]) -> list:
    body = next((s for s in sections if s.kind != "preamble"), None)
    pre = next((s for s in sections if s.kind == "preamble"), None)
    end = pre.end if pre is not None else (body.start if body is not None else len(doc.text))
    return [ln for ln in doc.lines if ln.start < end and ln.table is None]


BASIS_HEADING = re.compile(r"(?i)^(?:các\s+)?(?:căn cứ|cơ sở pháp lý|cơ sở xây dựng)")
CLAUSE_END = re.compile(r"[;.:]['\"”’)]*\s*$")
NEXT_CLAUSE = re.compile(r"(?i)^\W*(?:căn cứ|xét|thực hiện|theo|để|nhằm|quyết định|quyết nghị)\b")


def _clause_spans(lines: list, opener: re.Pattern) -> list[tuple[int, int]]:
    """Spans of the preamble clauses that `opener` starts ("Căn cứ ..."), each running on over
    hard-wrapped lines until a line closes it with ";", "." or ":"."""
    spans: list[tuple[int, int]] = []
    for i, ln in enumerate(lines):
        text = ln.text.lstrip("*_ ")
        if not opener.match(text) or re.match(r"(?i)căn cứ (vào )?(chức năng|tình hình|điều kiện|nội dung|kết quả)", text):
            continue
        end = ln.end
        j = i
        while not CLAUSE_END.search(lines[j].text) and j + 1 < len(lines) and not NEXT_CLAUSE.match(lines[j + 1].text) \
                and not lines[j + 1].text.isupper():
            j += 1
            end = lines[j].end
        spans.append((ln.start, end))
    return spans


def legal_bases_and_references(doc: Document, sections: list[Section], own_number: str | None,
                               body_end: int | None = None) -> tuple[list[dict], list[dict]]:
    """(legal_bases, references) as record dicts, each number once.

    `body_end`: where the document's own text ends (web debris after it is ignored).
    """
    v = _vocab()
    limit = len(doc.text) if body_end is None else body_end
    pre = _preamble_lines(doc, sections)
    basis_spans = _clause_spans(pre, v["basis"])
    if not basis_spans:
        basis_spans = _clause_spans(pre, v["implementing"])
    # a plan that lists its bases in a section of their own ("I. CĂN CỨ XÂY DỰNG KẾ HOẠCH")
    basis_spans += [(s.start, s.end) for s in sections if BASIS_HEADING.match(s.heading)]
    own = number_key(own_number) if own_number else None

    legal: list[dict] = []
    refs: list[dict] = []
    seen: set[str] = set()
    if own:
        seen.add(own)
    citations = find_citations(doc.text[:limit])
    for c in citations:
        if any(s <= c.start < e for s, e in basis_spans):
            key = number_key(c.number)
            if key not in seen:
                seen.add(key)
                legal.append(c.to_record(doc))
    for c in citations:
        key = number_key(c.number)
        if key in seen or _is_self_caption(doc, c):
            continue
        if c.issue_date and _dated_key(c) in seen:
            continue  # a reference already taken, its issuer code miswritten (a legal basis is kept as written)
        seen.add(key)
        seen.add(_dated_key(c))
        refs.append(c.to_record(doc))
    return legal, refs


def _dated_key(c: Citation) -> str:
    """A citation's type, number without its issuer code, and date: "Nghị định số
    26/2020/NĐ-TTg ngày 28/02/2020" is "Nghị định số 26/2020/NĐ-CP ngày 28/02/2020" miswritten."""
    stem = number_key(c.number).rsplit("-", 1)[0] if "/" in c.number else number_key(c.number)
    return f"{c.doc_type}|{stem}|{c.issue_date}"
