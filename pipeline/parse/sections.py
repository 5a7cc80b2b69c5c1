"""The heading tree of a Vietnamese plan: PHẦN, Chương, Mục, Điều, I., A., 1., 1.1., a).

Headings are found line by line (table rows never are), each gets a numbering family
(roman, arabic depth 1-3, letters, ...) and families nest by a fixed rank, so a section
ends before the next heading of the same or a higher rank. Repeated or skipped numbers
do not matter: nesting follows the family, the kind follows the heading's words
(the lexicon, headings.yaml). Three kinds of unnumbered top-level parts are added around the
numbered body: the preamble (header, title, Căn cứ lines), the closing (Nơi nhận and
signature) and parts carried after it: appendices (PHỤ LỤC, KHUNG LOGIC) and documents
issued by this one (the KẾ HOẠCH attached to a QĐ), whose own headings nest under them.

`heading_end` is the end of the heading proper: after "1. Mục tiêu chung:" when the
heading line goes on with content after a colon, else the end of the heading line(s).
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache


from rapidfuzz import fuzz

from pipeline import lexicon
from pipeline.model import Document, Line, Section
from pipeline.normalize import numbering
from pipeline.normalize.fold import fold
from pipeline.normalize.text import is_upper
from pipeline.parse.context import Context


ROMAN = re.compile(rf"^(?P<num>{numbering.roman('IVXL', 6)})\s*(?:[.:)]|/\.?|\s?[-–])\s*(?P<rest>.*)$")
VE_VIEC = re.compile(r"^V/v\b", re.IGNORECASE)
UPPER = re.compile(r"^(?P<num>[A-ZĐ])\s*[.)]\s+(?P<rest>\S.*)$")
ARABIC = re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2}){0,3})(?P<p>[.)]|/\.?|)\s*(?P<rest>.*)$")
LOWER = re.compile(r"^(?P<num>[a-zđ])\s*(?:\)|/\.?)\s*(?P<rest>\S.*)$|^(?P<num2>[a-zđ])\.\s+(?P<rest2>\S.*)$")
PART = re.compile(r"^(?:PHẦN|Phần)\s+(?P<num>[IVXLC]+|\d+|thứ\s+\w+|THỨ\s+\w+)\b\s*[.:\-–]?\s*(?P<rest>.*)$")
CHAPTER = re.compile(r"^(?:CHƯƠNG|Chương)\s+(?P<num>[IVXLC]+|\d+)\b\s*[.:\-–]?\s*(?P<rest>.*)$")
MUC = re.compile(r"^(?:MỤC|Mục)\s+(?P<num>[IVXLC]+|\d+)\b\s*[.:\-–]?\s*(?P<rest>.*)$")
ARTICLE = re.compile(r"^(?:ĐIỀU|Điều)\s+(?P<num>\d+)\s*[.:]\s*(?P<rest>.*)$")
LEAD_JUNK = re.compile(r"^[\s*#_>]+")
TRAIL_JUNK = re.compile(r"[\s*_]+$")
TERMINAL = re.compile(r"[.;,]$")  # a sentence, not an unnumbered heading
# "Về kinh phí", "Công tác tổ chức thực hiện": the lead words name no kind of their own
KIND_LEAD = re.compile(r"^(?:về|công tác)\s+(?=kinh phí|nguồn|chế độ|tổ chức)")

# Nesting rank of each numbering family: a heading closes every open heading of equal or
# deeper rank. "styled" is an unnumbered bold/upper-case heading that names a kind.
# A heading phrase a letter or two off ("Mục tiêu cụ thẻ", OCR damage) still names its kind;
# shorter phrases are matched exactly, where one letter changes the word.
HEADING_SIMILARITY = 88
MIN_FUZZY_PHRASE = 8

RANK = {
    "part": 0, "chapter": 1, "muc": 2, "article": 3, "roman": 4, "styled_upper": 4,
    "upper": 5, "arabic1": 6, "arabic2": 7, "arabic3": 8, "arabic4": 8, "lower": 9,
    "styled": 10,
}


@dataclass
class _Head:
    family: str  # a RANK key, or "preamble", "closing", "appendix", "attached"
    numbering: str | None
    heading: str
    start: int
    heading_end: int
    kind: str | None = None  # set for the unnumbered top-level parts and Điều

    @property
    def top(self) -> bool:
        return self.family in ("preamble", "closing", "appendix", "attached")

    @property
    def container(self) -> bool:
        """Top-level parts whose own numbered headings nest under them."""
        return self.family in ("appendix", "attached")


@lru_cache(maxsize=1)
def _vocab() -> dict:
    data = lexicon.load("headings")
    kinds = [(kind, re.compile("^(?:" + "|".join(pats) + ")", re.IGNORECASE)) for kind, pats in data["kinds"].items()]
    bare_kinds = [(kind, re.compile("^(?:" + "|".join(fold(p) for p in pats) + ")")) for kind, pats in data["kinds"].items()]
    # the literal phrases of the patterns, for near matches
    phrases = []
    for kind, pats in data["kinds"].items():
        for p in pats:
            literal = re.sub(r"\\W\*|\$|\(.*?\)\??|\\s\*", "", p).strip()
            if "(" not in p and re.fullmatch(r"[\w ]{8,}", literal):
                phrases.append((kind, fold(literal)))
    titles = sorted(data["document_titles"], key=len, reverse=True)
    appx = sorted(data["appendix_titles"] + data["captioned_appendix_titles"], key=len, reverse=True)
    return {
        "kinds": kinds,
        "bare_kinds": bare_kinds,
        "phrases": phrases,
        "doc_title": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(map(re.escape, titles)) + r")(?![a-zà-ỹđ])"),
        "appendix": re.compile(r"(?<![\wÀ-ỹ])(?:" + "|".join(map(re.escape, appx)) + r")(?![a-zà-ỹđ])"),
        "captioned_only": set(data["captioned_appendix_titles"]),
        "caption": re.compile(data["attached_caption"], re.IGNORECASE),
        "closing": re.compile(r"^(?:" + "|".join(data["closing_starts"]) + r")\b", re.IGNORECASE),
        "signature": re.compile(r"^" + data["signature_authority"]),
    }




def heading_kind(heading: str) -> str:
    """The kind a heading's words name ("MỤC ĐÍCH, YÊU CẦU" -> purpose), else "other".

    Exact words first; then the same patterns without tone marks, and for a short heading
    a near match ("TỔ CHỨC THỤỰC HIỆN"), for OCR text."""
    text = LEAD_JUNK.sub("", heading).strip().casefold()
    text = KIND_LEAD.sub("", text)
    for kind, pattern in _vocab()["kinds"]:
        if pattern.match(text):
            return kind
    bare = fold(text)
    for kind, pattern in _vocab()["bare_kinds"]:
        if pattern.match(bare):
            return kind
    words = bare.split()
    if len(words) <= 6:
        for kind, phrase in _vocab()["phrases"]:
            head = " ".join(words[: len(phrase.split())])
            if len(phrase) >= MIN_FUZZY_PHRASE and fuzz.ratio(head, phrase) >= HEADING_SIMILARITY:
                return kind
    return "other"


def _roman_ok(num: str) -> bool:
    return numbering.is_roman(num)


def _clean(text: str) -> tuple[str, int]:
    """Line text without markdown emphasis at the ends, and the offset of what is kept."""
    m = LEAD_JUNK.match(text)
    lead = m.end() if m else 0
    return TRAIL_JUNK.sub("", text[lead:]), lead


def _numbered(text: str, prev_upper: str | None) -> tuple[str, str, int] | None:
    """(family, numbering, offset of the heading text) for a numbered heading line."""
    for family, rx in (("part", PART), ("chapter", CHAPTER), ("muc", MUC), ("article", ARTICLE)):
        m = rx.match(text)
        if m:
            return family, m.group("num"), m.start("rest")
    m = ROMAN.match(text)
    # "V/V HỖ TRỢ ..." (về việc, the subject line under the title) is no part V
    if m and _roman_ok(m.group("num")) and not VE_VIEC.match(text):
        num, rest = m.group("num"), m.group("rest")
        letter_run = prev_upper is not None and len(num) == 1 and ord(num) == ord(prev_upper) + 1
        first = next((c for c in rest if c.isalpha()), "")
        if not letter_run and (not rest or (first and first.isupper())) and not rest[:1].isdigit():
            return "roman", num, m.start("rest")
    m = UPPER.match(text)
    if m:
        first = next((c for c in m.group("rest") if c.isalpha()), "")
        if first.isupper():
            return "upper", m.group("num"), m.start("rest")
    m = ARABIC.match(text)
    if m:
        num, rest = m.group("num"), m.group("rest")
        depth = num.count(".") + 1
        # "1." needs its dot ("2" alone is a page number); "1.2" may go without
        if (depth > 1 or m.group("p")) and (not rest or rest[0].isalpha() or rest[0] in "“\"'(‘"):
            return f"arabic{min(depth, 4)}", num, m.start("rest")
    m = LOWER.match(text)
    if m:
        if m.group("num"):
            return "lower", m.group("num"), m.start("rest")
        return "lower", m.group("num2"), m.start("rest2")
    return None


def _split_colon(text: str, base: int) -> tuple[str, int]:
    """"Mục tiêu chung: Phát triển ..." -> ("Mục tiêu chung", end after the colon)."""
    i = text.find(":")
    if 0 < i <= 120 and text[i + 1:].strip():
        return text[:i].strip(), base + i + 1
    return text.strip(), base + len(text)


_LAST_WORD = re.compile(r"\s(\S+?)\s*$")  # the last word of a line, after a space
# a word ending in "." followed by spaces (group 2) and a capital letter
_DOTTED_WORD_BEFORE_CAPITAL = re.compile(r"\s(\S+?\.)(?=(\s+)[A-ZĐÀ-Ỹ])")


def _first_child_number(family: str, numbering: str) -> str:
    return f"{numbering}.1" if family.startswith("arabic") else "1"


class _Scanner:
    """Walks the lines once and collects the headings in document order."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.v = _vocab()
        self.heads: list[_Head] = []
        self.body_started = False
        self.after_closing = False
        self.closing_open = False
        self.prev_upper: str | None = None
        self.skip: set[int] = set()

    def next_text_line(self, i: int) -> tuple[int, Line] | None:
        for j in range(i + 1, min(i + 3, len(self.doc.lines))):
            ln = self.doc.lines[j]
            if ln.table is None and ln.text.strip():
                return j, ln
        return None

    def following(self, i: int, n: int) -> list[Line]:
        """The next `n` paragraph lines after line i."""
        out = []
        for ln in self.doc.lines[i + 1:]:
            if len(out) == n:
                break
            if ln.table is None and ln.text.strip():
                out.append(ln)
        return out

    def add(self, head: _Head) -> None:
        self.heads.append(head)
        if head.family == "closing":
            self.closing_open = True
            self.after_closing = True
        elif not head.top:
            self.body_started = True
            self.closing_open = False
        else:
            self.closing_open = False
        if head.family == "upper":
            self.prev_upper = head.numbering
        elif head.family in ("roman", "part", "chapter") or head.top:
            self.prev_upper = None

    def scan(self) -> list[_Head]:
        for i, ln in enumerate(self.doc.lines):
            if i in self.skip:
                continue
            if ln.table is not None:
                # a Word file keeps "Nơi nhận" and the signature in a borderless table
                text, lead = _clean(ln.text)
                if self.v["closing"].match(text) and not self.closing_open:
                    self.add(_Head("closing", None, "Nơi nhận", ln.start + lead, ln.end, "closing"))
                continue
            text, lead = _clean(ln.text)
            if text:
                self.line(i, ln, text, ln.start + lead)
        return self.heads

    def line(self, i: int, ln: Line, text: str, start: int) -> None:
        v = self.v
        if v["closing"].match(text):
            self.add(_Head("closing", None, "Nơi nhận", start, start + len(text), "closing"))
            return
        if v["signature"].match(text) and not self.closing_open and (self.body_started or self.heads):
            self.add(_Head("closing", None, text, start, start + len(text), "closing"))
            return
        if self.top_part(i, ln, text, start):
            return
        found = _numbered(text, self.prev_upper)
        if found and not (found[0] == "article" and self.after_closing and not self.in_container()):
            self.numbered(i, ln, text, start, *found)
            return
        if self.body_started and not self.closing_open and len(text) <= 150 and not TERMINAL.search(text):
            upper = is_upper(text, 2)
            styled = ln.style in ("heading", "bold")
            if (upper or styled) and heading_kind(text) != "other":
                self.add(_Head("styled_upper" if upper else "styled", None, text.rstrip(":"), start, start + len(text)))

    def in_container(self) -> bool:
        """The latest top-level part is an appendix or an attached document."""
        last_top = next((h for h in reversed(self.heads) if h.top), None)
        return bool(last_top and last_top.container)

    def top_part(self, i: int, ln: Line, text: str, start: int) -> bool:
        """An appendix or an attached document: only once the body or the closing began."""
        if not (self.body_started or self.after_closing):
            return False
        v = self.v
        captioned = bool(v["caption"].search(text))
        mixed = 0
        for below in self.following(i, 6):  # the caption under a title that may wrap over lines
            if v["caption"].match(below.text.strip("*( ")):
                captioned = True
                break
            if not is_upper(below.text, 2):
                mixed += 1
                if mixed > 1 or len(below.text) > 250:
                    break
        m = v["appendix"].match(text)
        if m and (is_upper(text[: m.end() + 30], 2) or text.startswith("Phụ lục")) and (len(text) < 200 or captioned):
            if m.group(0) in v["captioned_only"] and not captioned:
                return False
            self.add_part("appendix", i, text, start)
            return True
        if self.after_closing or self.closing_open:
            m = v["doc_title"].match(text)
            if m and captioned and is_upper(text[: m.end() + 20], 2):
                self.add_part("attached", i, text, start)
                return True
            if self.closing_open:
                # a signature block run together with what follows it
                for rx, family in ((v["appendix"], "appendix"), (v["doc_title"], "attached")):
                    for m in rx.finditer(text):
                        if m.start() > 0 and is_upper(text[m.start(): m.start() + 40], 2) and (captioned or family == "appendix"):
                            self.add_part(family, i, text[m.start():], start + m.start())
                            return True
        return False

    def add_part(self, family: str, i: int, text: str, start: int) -> None:
        heading, end = text, start + len(text)
        cap = self.v["caption"].search(text)
        if cap and cap.start() > 0:
            heading = text[: cap.start()].rstrip(" (")
            end = start + len(heading)
        nxt = self.next_text_line(i)
        if nxt and is_upper(heading, 2) and len(heading) < 40 and is_upper(nxt[1].text, 2) and not self.v["caption"].match(nxt[1].text.strip("*( ")):
            heading = f"{heading} {nxt[1].text.strip()}"
            end = nxt[1].end
            self.skip.add(nxt[0])
        kind = "appendix" if family == "appendix" else "other"
        self.add(_Head(family, None, heading.strip(" *"), start, end, kind))

    def numbered(self, i: int, ln: Line, text: str, start: int, family: str, num: str, rest_at: int) -> None:
        rest = text[rest_at:]
        base = start + rest_at
        if not rest.strip():
            # "2.6." or "Điều 1." alone: the heading is the next line
            nxt = self.next_text_line(i)
            if nxt:
                heading, end = _split_colon(nxt[1].text, nxt[1].start)
                self.skip.add(nxt[0])
            else:
                heading, end = "", start + len(text)
            self.add(_Head(family, num, heading, start, end))
            return
        child = self.embedded_child(family, num, rest)
        if child is not None:
            cut, child_num, child_rest = child
            head_text = rest[:cut].rstrip()
            heading, end = _split_colon(head_text, base)
            self.add(_Head(family, num, heading, start, end))
            cstart = base + cut + (len(rest[cut:]) - len(rest[cut:].lstrip()))
            if child_rest.strip():
                off = rest.index(child_rest, cut)
                ch, cend = _split_colon(child_rest, base + off)
            else:
                nxt = self.next_text_line(i)
                ch, cend = (_split_colon(nxt[1].text, nxt[1].start) if nxt else ("", base + len(rest)))
                if nxt:
                    self.skip.add(nxt[0])
            cfam = _numbered(f"{child_num} x", None)
            self.add(_Head(cfam[0] if cfam else family, child_num.rstrip("."), ch, cstart, cend))
            return
        heading, end = _split_colon(rest, base)
        if family in ("roman", "upper", "part", "chapter", "muc") and is_upper(heading, 2):
            nxt = self.next_text_line(i)
            if nxt and is_upper(nxt[1].text, 2) and len(nxt[1].text) < 150 and _numbered(nxt[1].text, None) is None \
                    and not self.v["closing"].match(nxt[1].text) and not self.v["doc_title"].match(nxt[1].text) \
                    and nxt[1].start == ln.end + 1:
                heading = f"{heading} {nxt[1].text.strip()}"
                end = nxt[1].end
                self.skip.add(nxt[0])
        self.add(_Head(family, num, heading, start, end))

    @staticmethod
    def embedded_child(family: str, num: str, rest: str) -> tuple[int, str, str] | None:
        """A first sub-item number run into its parent's heading: '... tiến bộ 1.1.',
        'III. TỔ CHỨC THỰC HIỆN 1.', '3. Giải quyết ... đình công 3.1. Rà soát ...'."""
        if family not in ("roman", "upper", "arabic1", "arabic2", "arabic3"):
            return None
        child = _first_child_number(family, num)
        # the number is a whole word: found among the words, not with a pattern made per number
        m = _LAST_WORD.search(rest)
        if m and m.group(1) in (child, child + ".") and (family.startswith("arabic") or is_upper(rest[: m.start()], 2)):
            return m.start(1), m.group(1), ""
        m = next((m for m in _DOTTED_WORD_BEFORE_CAPITAL.finditer(rest) if m.group(1) == child + "."), None)
        if m and (family.startswith("arabic") or is_upper(rest[: m.start()], 2)):
            return m.start(1), m.group(1), rest[m.end(2):]
        return None



def _preamble(doc: Document, first_start: int) -> _Head | None:
    """Everything before the first heading: header, title, Căn cứ lines."""
    lines = [ln for ln in doc.lines if ln.end <= first_start and ln.text.strip()]
    if not lines:
        return None
    title = ""
    for ln in lines:
        text = ln.text.strip(" *")
        if _vocab()["doc_title"].match(text) and is_upper(text[:12], 2):
            title = text
            break
    return _Head("preamble", None, title or lines[0].text.strip(), 0, lines[-1].end, "preamble")


def _nest(heads: list[_Head]) -> list[tuple[_Head, int | None, int]]:
    """(head, parent index, level) by the rank of each family."""
    out: list[tuple[_Head, int | None, int]] = []
    stack: list[int] = []
    for k, h in enumerate(heads):
        if h.top:
            stack = [k]
            out.append((h, None, 0))
            continue
        while stack:
            top = heads[stack[-1]]
            if top.top:
                if not top.container:
                    stack.pop()
                break
            if RANK[top.family] >= RANK[h.family]:
                stack.pop()
            else:
                break
        parent = stack[-1] if stack else None
        level = out[parent][2] + 1 if parent is not None else 0
        out.append((h, parent, level))
        stack.append(k)
    return out


def _trim_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


REQUIRES: tuple[str, ...] = ()
PROVIDES = ("sections",)


def extract(doc: Document, ctx: Context) -> dict:
    return {"sections": parse_sections(doc)}


def parse_sections(doc: Document) -> list[Section]:
    """The heading tree, ids "s1", "s2", ... in document order."""
    heads = _Scanner(doc).scan()
    first = heads[0].start if heads else len(doc.text)
    pre = _preamble(doc, first)
    if pre is not None:
        heads.insert(0, pre)
    nested = _nest(heads)
    sections = SectionList()
    n = len(nested)
    for k, (h, parent, level) in enumerate(nested):
        end = len(doc.text)
        for j in range(k + 1, n):
            if nested[j][2] <= level or nested[j][0].top:
                end = nested[j][0].start
                break
        end = max(_trim_end(doc.text, h.start, end), min(h.heading_end, len(doc.text)))
        kind = h.kind
        if kind is None:
            kind = "decision_articles" if h.family == "article" and not _inside_container(nested, k) else heading_kind(h.heading)
        sections.append(Section(
            id=f"s{k + 1}", parent=f"s{parent + 1}" if parent is not None else None,
            numbering=(h.numbering or "").rstrip(".") or None, heading=h.heading.strip().rstrip(":").strip(), kind=kind,
            start=h.start, end=end, level=level, heading_end=min(h.heading_end, end),
        ))
    return sections


def _inside_container(nested: list[tuple[_Head, int | None, int]], k: int) -> bool:
    parent = nested[k][1]
    while parent is not None:
        if nested[parent][0].container:
            return True
        parent = nested[parent][1]
    return False


class SectionList(list):
    """The sections of one document in document order, with the index that `section_at`
    needs built once (parsers ask for the section of every line)."""

    _built_for = -1

    def _index(self) -> None:
        if self._built_for != len(self):
            self._starts = [s.start for s in self]
            self._by_id = {s.id: s for s in self}
            self._built_for = len(self)

    def parent_of(self, section: Section) -> Section | None:
        self._index()
        return self._by_id.get(section.parent) if section.parent else None

    def last_starting_at_or_before(self, offset: int) -> Section | None:
        self._index()
        i = bisect.bisect_right(self._starts, offset)
        return self[i - 1] if i else None


def _as_list(sections: list[Section]) -> SectionList:
    return sections if isinstance(sections, SectionList) else SectionList(sections)


def _holds(s: Section, offset: int) -> bool:
    return s.start <= offset < max(s.end, s.start + 1)


def section_at(sections: list[Section], offset: int) -> Section | None:
    """The innermost section holding `offset`: the last section starting at or before it,
    or the nearest of its ancestors that reaches that far (sections nest as a tree)."""
    index = _as_list(sections)
    s = index.last_starting_at_or_before(offset)
    while s is not None and not _holds(s, offset):
        s = index.parent_of(s)
    return s


def section_id_at(sections: list[Section], offset: int) -> str | None:
    s = section_at(sections, offset)
    return s.id if s else None


def kind_at(sections: list[Section], offset: int) -> str | None:
    """The kind of the nearest enclosing section that has one (not "other")."""
    index = _as_list(sections)
    s = section_at(index, offset)
    while s is not None:
        if s.kind != "other":
            return s.kind
        s = index.parent_of(s)
    return None


def enclosing(sections: list[Section], section: Section) -> list[Section]:
    """`section` and its ancestors, innermost first."""
    index = _as_list(sections)
    out = []
    s: Section | None = section
    while s is not None:
        out.append(s)
        s = index.parent_of(s)
    return out
