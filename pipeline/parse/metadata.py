"""Header metadata of a plan: type, number, date, place, issuer, level, locality, title,
programs, period, signer, recipients, legal bases and references.

The header is two columns (issuer on the left, quốc hiệu on the right) that reach us as
table cells, tab-separated cells, stacked lines or one run-on line; everything is read
from the preamble section by patterns that do not care which. Facts the header lacks
are taken from the caption of an appendix that names this document ("Ban hành kèm theo
Kế hoạch số 83/KH-UBND ngày 05/4/2021 của UBND huyện Krông Nô"). A news article about a
plan (`tin_bai`) is described by the plan it reports.
"""
from __future__ import annotations

import re
from functools import lru_cache


from pipeline import lexicon
from pipeline.model import Document, Section
from pipeline.normalize.places import district_name, place_key, province_2025, province_name, recase_places
from pipeline.parse.context import Context
from pipeline.parse.references import NUMBER, clean_number, legal_bases_and_references
from pipeline.parse.sections import kind_at
from pipeline.parse.time_context import body_period_end
from pipeline.parse.signature import find_recipients, find_signer
from pipeline.normalize.text import is_upper


# Provinces named in the first pages tell where a plan without a locality in its header is
# from; further on, annexes list every province of a national programme.
PROVINCE_SCAN_CHARS = 20000
# the number's code may be broken by stray spaces in a crawled page: "Số: 3210/QĐ - U B ND"
NUMBER_LINE = re.compile(r"(?<![\wÀ-ỹ])Số\s*[:.]?\s*(?P<num>[^\s,;]*(?:\s?[/-]\s?[^\s,;]+)*"
                         r"(?:(?<=[/ -][A-ZĐ])(?: [A-ZĐ]{1,3}(?![\wÀ-ỹ]))+)?)")
# a date left blank to be filled in by hand: spaces, dots, dashes or underscores ("ngày ....
# tháng 4", "ngày __ tháng"; OCR reads a drawn blank as "—")
_B = r"[\s.…_\-–—]*"
DATE_TEXT = re.compile(
    rf"ngày{_B}(?P<d>\d{{1,2}})?{_B}(?:tháng{_B}(?P<m>\d{{1,2}})?{_B}năm\s*(?P<y>\d{{4}})"
    r"|/\s*(?P<m2>\d{1,2})\s*/\s*(?P<y2>\d{4}))"
    r"|ngày\s*(?P<d3>\d{1,2})\s*/\s*(?P<m3>\d{1,2})\s*/\s*(?P<y3>\d{4})"
    rf"|ngày{_B}/\s*(?P<m4>\d{{1,2}})\s*/\s*(?P<y4>\d{{4}})",
    re.IGNORECASE,
)
PLACE_DATE = re.compile(r",\s*(?=ngày\b)", re.IGNORECASE)
DASHES = re.compile(r"[-–—_=|*]{3,}|\|")
PERIOD_RANGE = re.compile(r"(?:giai đoạn|thời kỳ|từ năm|năm)?\s*(?P<a>(?:19|20)\d{2})\s*(?:-|–|—|đến(?: năm)?)\s*(?P<b>(?:19|20)\d{2})", re.IGNORECASE)
PERIOD_YEAR = re.compile(r"(?P<kw>năm|từ năm|đến năm|trong năm)\s+(?P<y>(?:19|20)\d{2})", re.IGNORECASE)
DATE_ANY = re.compile(
    rf"ngày{_B}\d{{0,2}}{_B}(?:tháng{_B}\d{{0,2}}{_B}năm\s*\d{{4}}|/\s*\d{{1,2}}\s*/\s*\d{{4}})|\d{{1,2}}\s*/\s*\d{{1,2}}\s*/\s*\d{{4}}"
    r"|tháng\s*\d{1,2}\s*năm\s*\d{4}|(?:tầm nhìn|định hướng)[^,;)]*?đến năm\s*\d{4}", re.IGNORECASE)
STANDING = re.compile(r"(?<![\wÀ-ỹ])(?:chỉ thị|nghị quyết|kết luận|kế hoạch số|chương trình số|chương trình hành động)", re.IGNORECASE)
REPORTED = re.compile(
    r"(?P<who>[^.;:\n]{3,120}?)\s+(?:(?:đã|vừa|mới)\s+)*(?:ký(?:\s+ban hành)?|ban hành|phê duyệt)\s+"
    r"(?P<type>Quyết định|Kế hoạch|Chương trình|Đề án|Nghị quyết|Chỉ thị)\s+(?:số\s*)?(?P<num>" + NUMBER + r")", re.IGNORECASE)
CAPTION = re.compile(
    r"kèm\s+theo\s+(?P<type>Kế hoạch|Quyết định|Chương trình|Đề án|Nghị quyết|Báo cáo|Thông báo)\s*"
    r"(?:số\s*:?\s*)?(?P<num>" + NUMBER + r")?\s*,?\s*(?P<date>ngày[^()\n]*?)(?:\s+của\s+(?P<who>[^()\n]{3,100}?))?\s*\)",
    re.IGNORECASE)
ISSUES = re.compile(r"(?:ban hành kèm theo (?:Quyết định|Nghị quyết) này|phê duyệt)\s+(?P<t>Kế hoạch|Chương trình|Đề án)",
                    re.IGNORECASE)
# "..., Ủy ban nhân dân huyện Krông Nô ban hành Kế hoạch ..." in the preamble
PROMULGATION = re.compile(
    r"(?:^|[,.;:]\s*)(?P<who>(?:Ủy ban nhân dân|UBND|Sở|Ban|Bộ|Chủ tịch)\s[^,.;:\n]{2,80}?)\s+"
    r"(?:xây dựng và\s+)?ban hành\s+(?:Kế hoạch|Chương trình|Đề án)", re.MULTILINE)
VV = re.compile(r"\bV/v\b\.?", re.IGNORECASE)


@lru_cache(maxsize=1)
def _vocab() -> dict:
    d = lexicon.load("doc_types")
    progs = lexicon.load("programs")
    titles = sorted(d["titles"], key=len, reverse=True)
    heads = sorted(d["issuer_heads"], key=len, reverse=True)
    return {
        "titles": d["titles"],
        "title_rx": re.compile(r"(?<![\wÀ-ỹ])(?P<t>" + "|".join(map(re.escape, titles)) + r")(?![A-Za-zÀ-ỹđĐ])"),
        "codes": d["number_codes"],
        "motto": re.compile("|".join(map(re.escape, sorted(d["national_motto"], key=len, reverse=True))), re.IGNORECASE),
        "heads": re.compile(r"^(?:" + "|".join(map(re.escape, heads)) + r")\b"),
        "abbr": d["abbreviations"],
        "capitals": d["official_capitals"],
        "national": d["national_words"],
        "programs": {code: re.compile("|".join(map(re.escape, pats)), re.IGNORECASE) for code, pats in progs.items()},
        "acronyms": {p for pats in progs.values() for p in pats if p.isupper()},
    }


# ---------------------------------------------------------------- small helpers



def partial_date(y: str | None, m: str | None = None, d: str | None = None) -> str | None:
    """ISO date known to the day, month or year ("2020-05" when the day is left blank)."""
    if not y:
        return None
    yi = int(y)
    if not 1900 < yi < 2100:
        return None
    if not m:
        return f"{yi:04d}"
    mi = int(m)
    if not 1 <= mi <= 12:
        return f"{yi:04d}"
    if not d:
        return f"{yi:04d}-{mi:02d}"
    di = int(d)
    return f"{yi:04d}-{mi:02d}-{di:02d}" if 1 <= di <= 31 else f"{yi:04d}-{mi:02d}"


def parse_date(text: str) -> str | None:
    """The first date in `text`: "ngày 16 tháng 4 năm 2020", "ngày 05/4/2021", "ngày tháng 5 năm 2020"."""
    m = DATE_TEXT.search(text)
    if not m:
        return None
    g = m.groupdict()
    if g["y"]:
        return partial_date(g["y"], g["m"], g["d"])
    if g["y2"]:
        return partial_date(g["y2"], g["m2"], g["d"])
    if g["y3"]:
        return partial_date(g["y3"], g["m3"], g["d3"])
    return partial_date(g["y4"], g["m4"])


def issuer_name(text: str) -> str:
    """A header body as an official name: "UBND TỈNH KHÁNH HÒA" -> "Ủy ban nhân dân tỉnh Khánh Hòa"
    (abbreviations expanded, case restored, numbers as written); the gazetteer match of a body
    named in the text is pipeline.normalize.agencies.canonical_agency."""
    v = _vocab()
    words = []
    for w in re.sub(r"\s+", " ", text.strip(" .,:;-")).split(" "):
        if w in v["abbr"]:
            words.append(v["abbr"][w])
        elif w.upper() in v["abbr"] and w.isupper():
            words.append(v["abbr"][w.upper()])
        elif any(c.isdigit() for c in w) or "/" in w or w in v["acronyms"]:
            words.append(w)
        else:
            words.append(w.lower())
    out = " ".join(words)
    for cap in v["capitals"]:
        out = re.sub(re.escape(cap), cap, out, flags=re.IGNORECASE)
    # the place that ends an agency name is a proper name: "xã tân phú" -> "xã Tân Phú"
    out = re.sub(r"\b(tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)((?:\s+[^\s\d/]+){1,4})$",
                 lambda m: m.group(1) + " ".join(w[:1].upper() + w[1:] for w in m.group(2).split(" ")), out)
    out = recase_places(out)
    return out[:1].upper() + out[1:] if out else out


def sentence_case(text: str) -> str:
    """An upper-case title in sentence case, place names and acronyms kept."""
    if not is_upper(text, 2):
        return text
    v = _vocab()
    words = [w if (any(c.isdigit() for c in w) or "/" in w or w.strip("“”\"(),.") in v["acronyms"]) else w.lower()
             for w in text.split()]
    out = recase_places(" ".join(words))
    return out[:1].upper() + out[1:]


# ---------------------------------------------------------------- the header

def _preamble(doc: Document, sections: list[Section]) -> tuple[int, int]:
    pre = next((s for s in sections if s.kind == "preamble"), None)
    if pre is not None:
        return pre.start, pre.end
    first = sections[0].start if sections else len(doc.text)
    return 0, first


def _header_cells(doc: Document, end: int) -> list[str]:
    """Cells of the lines before the title (table cells and tab-separated cells split)."""
    cells: list[str] = []
    for ln in doc.lines:
        if ln.start >= end:
            break
        for cell in ln.text[: end - ln.start].split("\t"):
            cell = cell.strip(" *_")
            if cell:
                cells.append(cell)
    return cells


# The quốc hiệu, also in pieces when the two header columns interleave line by line
# ("ỦY BAN NHÂN DÂN TỈNH KON CỘNG HÒA XÃ HỘI CHỦ NGHĨA" / "TUM ------- VIỆT NAM Độc lập ...").
MOTTO_PIECES = re.compile(
    r"CỘNG\s+H(?:ÒA|OÀ)(?:\s+XÃ\s+HỘI)?(?:\s+CHỦ\s+NGHĨA)?(?:\s+VIỆT\s+NAM)?|XÃ\s+HỘI\s+CHỦ\s+NGHĨA(?:\s+VIỆT\s+NAM)?"
    r"|CHỦ\s+NGHĨA\s+VIỆT\s+NAM|^\s*VIỆT\s+NAM\b")


def _strip_motto(text: str) -> str:
    text = _vocab()["motto"].sub(" ", MOTTO_PIECES.sub(" ", DASHES.sub(" ", text)))
    return MOTTO_PIECES.sub(" ", text.strip())


INNER_BODY = re.compile(r"(?<=\S)(?<!VĂN)(?<!PHÒNG)(?<!TỊCH)(?<!ĐẢNG)\s+(?=(?:SỞ|PHÒNG|ĐẢNG ĐOÀN|ĐOÀN|CHI CỤC|VĂN PHÒNG|TRUNG TÂM|ỦY BAN NHÂN DÂN|UBND)\s)")


def _issuer_bodies(cells: list[str]) -> list[str]:
    """Upper-case bodies of the header's left column, outermost first."""
    v = _vocab()
    bodies: list[str] = []
    for cell in cells:
        text = _strip_motto(cell)
        t = _title_at(text)
        if t is not None:
            text = text[:t]
        text = NUMBER_LINE.sub(" ", text)
        text = re.sub(r"(?<!\S)[^\s\d]*/[^\s\d]*(?!\S)", " ", text)  # "/KH-SCT" of a blank number cell
        text = re.sub(r"^\s*\d[\d.]*[/-]\S*\s*$", " ", text)  # a number wrapped under its "Số:"
        pd = PLACE_DATE.search(text)
        if pd:
            text = text[: max(0, _place_start(text, pd.start()))]
        t = _title_at(text)
        if t is not None:
            text = text[:t]
            if not text.strip():
                break
        text = re.sub(r"\s+", " ", text).strip(" .,:;-")
        if not text:
            continue
        if not is_upper(text, 2):
            if bodies:
                break
            continue
        # a Word cell holds parent and issuer on one line: "UBND TỈNH LÀO CAI SỞ CÔNG THƯƠNG"
        for part in INNER_BODY.split(text):
            if v["heads"].match(part) or not bodies:
                bodies.append(part)
            else:
                bodies[-1] = f"{bodies[-1]} {part}"
        if t is not None:
            break
    return bodies


def _title_at(text: str) -> int | None:
    """Offset of a document title word (KẾ HOẠCH, QUYẾT ĐỊNH, ...) that opens the title:
    at the start of the text or right after the date line run into it, and not a
    citation ("THEO QUYẾT ĐỊNH SỐ 1050/QĐ-SCT")."""
    for t in _vocab()["title_rx"].finditer(text):
        if re.match(r"\s*(?:SỐ|số)\b", text[t.end():]):
            continue
        if t.start() == 0 or re.search(r"\d{4}\s*$", text[: t.start()]):
            return t.start()
    return None


_WORD = re.compile(r"\S+")


def _words_before(text: str, comma: int, reach: int = 200) -> list[re.Match]:
    """The words of the line before `comma`; read within `reach` characters when there
    are enough (a line may hold thousands of dates: reading it whole each time is quadratic)."""
    lo = max(0, comma - reach)
    line_start = max(text.rfind("\n", lo, comma), text.rfind("\t", lo, comma)) + 1
    if line_start or lo == 0:
        return list(_WORD.finditer(text, line_start, comma))
    words = list(_WORD.finditer(text, lo, comma))[1:]  # the first may be cut by the window
    if len(words) >= 5:  # _place_start reads at most four
        return words
    line_start = max(text.rfind("\n", 0, comma), text.rfind("\t", 0, comma)) + 1
    return list(_WORD.finditer(text, line_start, comma))


def _place_start(text: str, comma: int) -> int:
    """Start of the place name written before ", ngày": capitalised words, not a number."""
    words = _words_before(text, comma)
    start = comma
    titled = False  # a word in title case taken: the place does not go on into upper-case words
    for w in reversed(words[-4:]):
        tok = w.group(0)
        upper = is_upper(tok, 2) and tok != "TP."
        if any(c.isdigit() for c in tok) or not tok[0].isupper() or (upper and (len(tok) > 3 or titled)):
            break
        titled = titled or not upper
        start = w.start()
    return start


def _place_and_date(text: str) -> tuple[str | None, str | None]:
    for m in PLACE_DATE.finditer(text):
        place = text[_place_start(text, m.start()): m.start()].strip()
        date = parse_date(text[m.end(): m.end() + 60])
        if place and date:
            return place, date
    return None, None


def _number(pre_text: str) -> tuple[bool, str | None]:
    """(a "Số:" line was found, the number or None when left blank)."""
    for m in NUMBER_LINE.finditer(pre_text):
        raw = m.group("num")
        if not raw or raw[0] in "/-":
            return True, None
        num = clean_number(raw)
        if any(c.isdigit() for c in num) and ("/" in num or "-" in num):
            return True, num
    return False, None


def _doc_title(doc: Document, start: int, end: int) -> tuple[str | None, str, int]:
    """(title word, title text, offset of the title) of the document, from the preamble."""
    v = _vocab()
    lines = [ln for ln in doc.lines if start <= ln.start < end and ln.table is None]
    for i, ln in enumerate(lines):
        text = ln.text.strip(" *_")
        at = _title_at(text)
        if at is not None:
            word = v["title_rx"].match(text, at).group("t")
            title = text[at:]
            title = title.split("\t")[0]
            for nxt in lines[i + 1: i + 7]:
                nt = nxt.text.strip(" *_")
                authority = is_upper(nt, 2) and len(nt) < 100 and v["heads"].match(nt) and not nt.startswith("BAN HÀNH")
                # the subtitle right under a bare "KẾ HOẠCH" may start "Thực hiện ..."; a
                # preamble sentence ends with ":" or says what it issues ("... ban hành Kế hoạch")
                subtitle = title == word and not re.search(r":\s*$|ban hành\s+(?:kế hoạch|chương trình)", nt, re.IGNORECASE)
                if (re.match(r"(?i)(căn cứ|thực hiện|xét|theo|để|nhằm)\b", nt) and not (subtitle and not nt.lower().startswith("căn cứ"))) \
                        or v["title_rx"].match(nt) or (is_upper(nt, 2) and not is_upper(title, 2)) or authority or len(nt) > 400:
                    break
                title = f"{title} {nt}"
            return word, title, ln.start + ln.text.index(text) + at
    return None, "", end


def _format_title(word: str | None, title: str, issuer_upper: list[str]) -> str:
    if not title:
        return ""
    title = re.sub(r"[*_]+", "", title)
    for body in issuer_upper:  # an authority line run into the title
        if title.endswith(body):
            title = title[: -len(body)].rstrip()
    if word and title.startswith(word):
        rest = title[len(word):].strip()
        head = word[:1] + word[1:].lower()
        if not rest:
            return head
        rest = VV.sub("về việc", sentence_case(VV.sub("VỀ VIỆC", rest)))
        return f"{head} {rest[:1].lower()}{rest[1:]}" if not rest[:2].isupper() else f"{head} {rest}"
    return VV.sub("về việc", sentence_case(title))


# ---------------------------------------------------------------- level and locality

LOCALITY = re.compile(r"\b(?P<kind>tỉnh|thành phố|tp\.|huyện|quận|thị xã|xã|phường|thị trấn)\s+(?P<name>[^\s,;()]+(?:\s+[^\s,;()]+){0,3})", re.IGNORECASE)


def _scan_places(text: str | None, place: str | None, mentioned: list[str]) -> tuple[str | None, str | None, str | None]:
    """(level, province, district) named by "tỉnh X", "huyện Y", "xã Z" in `text`."""
    level = province = district = None
    for m in LOCALITY.finditer(text or ""):
        kind, words = m.group("kind").lower(), m.group("name").split()
        for n in range(len(words), 0, -1):
            cand = " ".join(words[:n])
            if kind in ("tỉnh", "thành phố", "tp.") and province_name(cand):
                province, level = province_name(cand), level or "province"
                break
            if kind in ("huyện", "quận", "thị xã", "thành phố", "tp."):
                hints = [province] if province else [province_name(place)] + mentioned
                found = next((f for f in (district_name(cand, h) for h in hints if h) if f), None) or district_name(cand)
                if found:
                    district, province = found
                    level = "district" if level != "commune" else level
                    break
            if kind in ("xã", "phường", "thị trấn") and n == 1:
                level = "commune"
    return level, province, district


def _agency_level(issuer: str) -> str | None:
    """The level an agency type implies when its name carries no locality."""
    low = issuer.lower()
    if any(w in low for w in _vocab()["national"]) or re.match(r"bộ\s", low):
        return "national"
    if re.match(r"(sở|ban|đoàn|thanh tra|công an|văn phòng ủy ban nhân dân tỉnh)", low):
        return "province"
    if re.match(r"phòng\s", low):
        return "district"
    return None


def _locality(issuer: str | None, parent: str | None, place: str | None,
              mentioned: list[str]) -> tuple[str | None, str | None, str | None]:
    """(level, province, district): the level from the issuer's own name (its locality, else
    its agency type), the province and district from the issuer, its parent body, the
    place line, or the provinces the document mentions."""
    level, province, district = _scan_places(issuer, place, mentioned)
    p_level, p_province, p_district = _scan_places(parent, place, mentioned)
    if level is None and issuer:
        level = _agency_level(issuer) or p_level
    province = province or p_province
    district = district or p_district
    if province is None and level != "national":
        province = province_name(place)
        if province is None and level in ("district", "commune"):
            province = mentioned[0] if mentioned else None
        if province and level is None:
            level = "province"
    return level, province, district


def _mentioned_provinces(text: str) -> list[str]:
    """Provinces named as "tỉnh X" / "thành phố X" in the text, most frequent first."""
    counts: dict[str, int] = {}
    for m in re.finditer(r"\b(?:tỉnh|thành phố)\s+((?:[A-ZĐÀ-Ỹ][^\s,;.()]*\s?){1,3})", text):
        words = m.group(1).split()
        for n in range(len(words), 0, -1):
            name = province_name(" ".join(words[:n]))
            if name:
                counts[name] = counts.get(name, 0) + 1
                break
    return sorted(counts, key=lambda k: -counts[k])


# ---------------------------------------------------------------- period

def period_from(text: str) -> tuple[int | None, int | None] | None:
    """The plan period a title or a 'Thời gian' line states, the last one written:
    "giai đoạn 2021-2025" -> (2021, 2025), "năm 2020" -> (2020, 2020), "từ năm 2018" -> (2018, None)."""
    text = DATE_ANY.sub(" ", text)
    found: list[tuple[int, tuple[int | None, int | None]]] = []
    for m in PERIOD_RANGE.finditer(text):
        a, b = int(m.group("a")), int(m.group("b"))
        if a <= b:
            found.append((m.start(), (a, b)))
    taken = [(m.start(), m.end()) for m in PERIOD_RANGE.finditer(text)]
    for m in PERIOD_YEAR.finditer(text):
        if any(s <= m.start("y") < e for s, e in taken):
            continue
        y = int(m.group("y"))
        kw = m.group("kw").lower()
        found.append((m.start(), (y, None) if kw == "từ năm" else (None, y) if kw == "đến năm" else (y, y)))
    if not found:
        return None
    # "Kế hoạch năm 2022 thực hiện Chương trình ... giai đoạn 2021-2025": the year right
    # after the type word is the plan's own; otherwise the last one written
    early = [f for f in found if f[0] <= 30]
    return min(early)[1] if early else max(found)[1]


# ---------------------------------------------------------------- news articles

def _web_body_end(doc: Document) -> int:
    """End of an article's own text: the trailing run of link titles (lines with no
    closing punctuation) after it is page debris."""
    end = len(doc.text)
    run = 0
    for ln in reversed(doc.lines):
        if ln.table is None and not re.search(r"[.;:!?…)\"”’]\s*$", ln.text):
            run += 1
            end = ln.start
            continue
        break
    return end if run >= 2 else len(doc.text)


def _reported(doc: Document, start: int, end: int) -> re.Match | None:
    return REPORTED.search(doc.text[start:min(end, start + 3000)])


# ---------------------------------------------------------------- the record

REQUIRES = ("sections",)
PROVIDES = ("metadata",)


def extract(doc: Document, ctx: Context) -> dict:
    return {"metadata": parse_metadata(doc, ctx["sections"])}


def parse_metadata(doc: Document, sections: list[Section]) -> dict:
    """The record's `metadata` object (PLAN_SCHEMA.md), with legal bases and references."""
    h = _header(doc, sections)
    if h["doc_type"] == "tin_bai":
        _describe_reported_plan(doc, h)
    issuer = _issuer(doc, h)
    parent = issuer_name(h["bodies"][0]) if len(h["bodies"]) > 1 else None
    level, province, district = _locality(issuer, parent, h["place"], _mentioned_provinces(doc.text[:PROVINCE_SCAN_CHARS]))
    if h["doc_type"] == "tin_bai" and level == "national":
        province = district = None
    attached = [s for s in sections if s.level == 0 and s.kind == "other" and s.numbering is None]
    period_texts = [h["title"]] + [doc.text[s.start: min(s.heading_end + 200, s.end)] for s in attached]
    period = _period(doc, sections, period_texts, h)
    legal, refs = legal_bases_and_references(doc, sections, h["number"], h["body_end"])
    return {
        "doc_type": h["doc_type"],
        "attached_doc_types": _attached_types(doc, sections, attached, h["p_end"]),
        "number": h["number"],
        "issue_date": h["issue_date"],
        "issue_place": h["place"],
        "issuer": issuer,
        "level": level,
        "province": province,
        "district": district if level in ("district", "commune") else None,
        "province_2025": province_2025(province),
        "title": h["title"],
        "programs": _programs(" ".join(period_texts)) or _programs(h["pre_text"]),
        "period": {"start_year": period[0], "end_year": period[1]} if period else None,
        "signer": find_signer(doc, sections) if h["doc_type"] != "tin_bai" else None,
        "legal_bases": legal,
        "references": refs,
        "recipients": find_recipients(doc, sections),
    }


def _header(doc: Document, sections: list[Section]) -> dict:
    """Facts of the header and preamble: type, number, place and date, issuer bodies, title;
    completed from this document's own caption where the header lacks them."""
    v = _vocab()
    p_start, p_end = _preamble(doc, sections)
    pre_text = doc.text[p_start:p_end]
    word, raw_title, header_end = _doc_title(doc, p_start, p_end)
    bodies = _issuer_bodies(_header_cells(doc, max(header_end, p_start + 1)))
    has_number, number = _number(doc.text[p_start:header_end]) if raw_title else (False, None)
    if not has_number:
        has_number, number = _number(pre_text)
    place, issue_date = _place_and_date(pre_text)
    motto = v["motto"].search(pre_text) is not None

    doc_type = v["titles"].get(word) if word else None
    reported = None
    if doc_type is None:
        reported = _reported(doc, p_start, len(doc.text)) if not (has_number or motto) else None
        if reported is not None:
            doc_type = "tin_bai"
        else:
            code = re.search(r"/([A-Za-zĐđ]+)", number or "")
            doc_type = v["codes"].get(code.group(1)) if code else None
            if doc_type is None:
                # a letter names its subject "V/v ..." and its number carries no type code
                doc_type = "cong_van" if re.search(r"\bV/v\b", pre_text, re.IGNORECASE) else "other"

    h = {"p_start": p_start, "p_end": p_end, "pre_text": pre_text, "doc_type": doc_type, "number": number,
         "issue_date": issue_date, "place": place, "bodies": bodies, "reported": reported,
         "title": _format_title(word, raw_title, bodies), "issuer_text": bodies[-1] if bodies else None,
         "body_end": len(doc.text)}
    if h["issuer_text"] is None:
        h["issuer_text"] = _authority_line(doc, p_start, p_end)
    cap = _self_caption(doc, doc_type)
    if cap is not None:
        if not has_number and cap.group("num"):
            h["number"] = clean_number(cap.group("num"))
        h["issue_date"] = h["issue_date"] or parse_date(cap.group("date"))
        h["issuer_text"] = h["issuer_text"] or cap.group("who")
    return h


def _describe_reported_plan(doc: Document, h: dict) -> None:
    """A news article: number, date and issuer of the plan it reports; its headline as title;
    the related links after its text are not part of it."""
    reported = h["reported"]
    h["number"] = clean_number(reported.group("num"))
    after = doc.text[h["p_start"] + reported.end(): h["p_start"] + reported.end() + 80]
    h["issue_date"] = parse_date(after) or h["issue_date"]
    h["issuer_text"] = re.sub(r"^.*?(?=(?:Thường trực|Ban|Bộ|Chính phủ|Thủ tướng|Ủy ban|UBND))", "",
                              reported.group("who").strip())
    headline = doc.lines[0].text.strip() if doc.lines else ""
    h["title"] = re.sub(r"\s*\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:AM|PM)?\s*$", "", headline)
    h["body_end"] = _web_body_end(doc)
    h["place"] = None


def _issuer(doc: Document, h: dict) -> str | None:
    """The canonical issuer: the header's last body (a Sở gets its parent's locality), else
    the authority line, this document's caption or the promulgation sentence."""
    text = h["issuer_text"]
    if text is None:
        prom = PROMULGATION.search(h["pre_text"])
        if prom:
            text = prom.group("who")
            # "UBND tỉnh ban hành Kế hoạch": the province is the place of issue
            if re.search(r"(?i)\b(?:tỉnh|thành phố)$", text) and province_name(h["place"]):
                text = f"{text} {province_name(h['place'])}"
    if text is None:
        return None
    issuer = _despaced_issuer(text) or issuer_name(text)
    bodies = h["bodies"]
    if len(bodies) > 1 and not LOCALITY.search(issuer):
        loc = LOCALITY.search(issuer_name(bodies[0]))
        if loc and re.match(r"(Sở|Ban|Phòng|Văn phòng|Thanh tra|Công an|Chi cục|Trung tâm)\b", issuer):
            issuer = f"{issuer} {loc.group(0)}"
    return issuer


def _period(doc: Document, sections: list[Section], texts: list[str], h: dict) -> tuple[int | None, int | None] | None:
    """The title's period (or an attached plan's title, or a "Thời gian" line); else the
    issue year, left open for a plan that carries out a standing directive."""
    period = next((p for p in (period_from(t) for t in texts if t) if p), None) or _period_line(doc, sections)
    year = int(h["issue_date"][:4]) if h["issue_date"] else None
    if period is None and year:
        found, end = body_period_end(doc, year)  # "Đến năm 2020, ...", "... và các năm tiếp theo"
        if found:
            return (year, end)
        standing = STANDING.search(DATE_ANY.sub(" ", h["title"]))
        return (year, None) if standing else (year, year)
    if period is not None and period[0] is None and year:
        return (year, period[1])
    return period


UNITS = ("tỉnh", "thành phố", "huyện", "quận", "thị xã")
DESPACED_UBND = re.compile(r"^(?:uybannhandan|ubnd)(?P<unit>" + "|".join(place_key(u) for u in UNITS) + r")(?P<name>[a-z]+)$")


def _despaced_issuer(text: str) -> str | None:
    """A People's Committee named in a header whose words a crawl broke with stray spaces
    ("ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH"): read with the spaces taken out,
    the place looked up in the gazetteer. None for a header without such breaks."""
    if len(re.findall(r"(?<!\S)[^\W\d](?!\S)", text)) < 3:
        return None
    m = DESPACED_UBND.match(place_key(text))
    if not m:
        return None
    unit = next(u for u in UNITS if place_key(u) == m.group("unit"))
    name = province_name(m.group("name")) if unit in ("tỉnh", "thành phố") else None
    if name is None and unit != "tỉnh":
        found = district_name(m.group("name"))
        name = found[0] if found else None
    return f"Ủy ban nhân dân {unit} {name}" if name else None


def _attached_types(doc: Document, sections: list[Section], attached: list[Section], p_end: int) -> list[str]:
    """Types of the documents this one carries or issues (the KẾ HOẠCH after a QĐ)."""
    v = _vocab()
    out: list[str] = []
    for s in attached:
        m = v["title_rx"].match(s.heading)
        t = v["titles"].get(m.group("t")) if m else None
        if t and t not in out and s.start > p_end:
            out.append(t)
    for s in sections:  # "Điều 1. Ban hành kèm theo Quyết định này Kế hoạch ..."
        if s.kind == "decision_articles":
            m = ISSUES.search(doc.text[s.start:s.end])
            t = v["titles"].get(m.group("t").upper()) if m else None
            if t and t not in out:
                out.append(t)
    return out


def _authority_line(doc: Document, start: int, end: int) -> str | None:
    """The issuing authority written above the Căn cứ lines of a decision
    ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LAI CHÂU")."""
    for ln in doc.lines:
        if ln.start >= end:
            break
        text = ln.text.strip(" *_")
        if ln.start >= start and is_upper(text, 2) and len(text) < 120 and _vocab()["heads"].match(text) \
                and not _vocab()["title_rx"].match(text):
            return text
    return None


def _self_caption(doc: Document, doc_type: str) -> re.Match | None:
    """The first "(Kèm theo <this document's type> số ...)" caption."""
    want = {k for k, t in _vocab()["titles"].items() if t == doc_type}
    for m in CAPTION.finditer(doc.text):
        if m.group("type").upper() in want:
            return m
    return None


def _period_line(doc: Document, sections: list[Section]) -> tuple[int | None, int | None] | None:
    """A "Thời gian thực hiện: ... năm 2020" line in the scope or objectives part."""
    for ln in doc.lines:
        m = re.match(r"\W*thời gian(?: thực hiện)?\s*:\s*(?P<rest>.+)", ln.text, re.IGNORECASE)
        if m and kind_at(sections, ln.start) in ("scope", "objectives", "purpose", None):
            p = period_from(m.group("rest"))
            if p:
                return p
    return None


def _programs(text: str) -> list[str]:
    return [code for code, rx in _vocab()["programs"].items() if rx.search(text)]
