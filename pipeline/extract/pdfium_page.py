"""One PDF page through pdfium: its characters with boxes and fonts, and what it draws.

pdfium parses a page about twenty times faster than pdfminer (under pdfplumber), so
text, word boxes and the OCR decision come from here; pdfplumber is opened only for
the pages that draw lines or rectangles, to find ruled tables there.

Characters come out as pdfplumber-style dicts (x0, x1, top, bottom from the top of the
page, size, fontname) and are cut into words as pdfplumber's `extract_words` does
(lines clustered by top, characters sorted by x, a break at a blank or a gap wider than
3 pt). pdfium sometimes replaces a space of the PDF by a space of its own ("generated");
such a space breaks a word only where the line shows a gap: a fallback-font letter
drawn later ("S" ":" then "ố") leaves no gap, and no break. pdfium also drops some spaces
of the PDF; letters drawn apart with a gap between them are then two words.
"""
from __future__ import annotations

import bisect
import ctypes
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw

X_TOLERANCE = 3.0  # pdfplumber's default gap between words
Y_TOLERANCE = 3.0  # pdfplumber's default gap between line tops
# A gap wider than this (in font sizes) breaks a word where pdfium put a space of its own,
# or between letters drawn apart (a fallback-font letter, a font change): a narrower gap
# there is a letter of another font ("(" then italic "yêu"), as pdfplumber reads it.
SPLIT_GAP_EM = 0.18
_SKIP = frozenset("\x00\ufffe\uffff\r\n")  # nothing, line ends
MAP_SAMPLE = 4  # the Unicode mapping is checked on every 4th character
MAX_FIELD_SHARE = 0.1  # a form field over more of the page is a form to fill in, not a stamp


@dataclass
class PageContent:
    """What one page holds: its characters, and the kinds of objects it draws."""

    width: float
    height: float
    chars: list[dict] = field(default_factory=list)
    spaces: list[tuple[int, float]] = field(default_factory=list)  # (index of the char before, x) of generated spaces
    unmapped: int = 0  # characters whose glyph has no Unicode mapping (estimated from a sample)
    paths: int = 0  # path objects: lines, rectangles, curves
    forms: int = 0  # form XObjects: may draw anything
    image_area: float = 0.0
    edges: list[dict] = field(default_factory=list)  # straight sides of the paths, as pdfplumber's page.edges
    widgets: list[tuple[float, float, float, float]] = field(default_factory=list)  # form fields drawing an appearance

    @property
    def text_chars(self) -> int:
        return sum(1 for c in self.chars if not c["text"].isspace())


def read_page(page: pdfium.PdfPage) -> PageContent:
    """The characters and drawn objects of a page (pdfium, no pdfminer)."""
    width, height = page.get_size()
    out = PageContent(width=width, height=height)
    _objects(page, out)
    out.widgets = widget_boxes(page, height)
    textpage = page.get_textpage()
    try:
        _chars(textpage, height, out)
    finally:
        textpage.close()
    return out


def widget_boxes(page: pdfium.PdfPage, height: float) -> list[tuple[float, float, float, float]]:
    """(x0, top, x1, bottom) in points from the page top of the widgets that draw an appearance."""
    width = page.get_width()
    out = []
    rect = raw.FS_RECTF()
    for i in range(raw.FPDFPage_GetAnnotCount(page)):
        annot = raw.FPDFPage_GetAnnot(page, i)
        try:
            if (raw.FPDFAnnot_GetSubtype(annot) != raw.FPDF_ANNOT_WIDGET or not raw.FPDFAnnot_HasKey(annot, b"AP")
                    or not raw.FPDFAnnot_GetRect(annot, ctypes.byref(rect))):
                continue
            x0, x1 = sorted((rect.left, rect.right))
            y0, y1 = sorted((rect.bottom, rect.top))
            if 0 < (x1 - x0) * (y1 - y0) <= MAX_FIELD_SHARE * width * height:
                out.append((x0, height - y1, x1, height - y0))
        finally:
            raw.FPDFPage_CloseAnnot(annot)
    return out


def _objects(page: pdfium.PdfPage, out: PageContent) -> None:
    left, bottom, right, top = ctypes.c_float(), ctypes.c_float(), ctypes.c_float(), ctypes.c_float()
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_PATH:
            out.paths += 1
            out.edges.extend(_path_edges(obj, out.height))
        elif kind == raw.FPDF_PAGEOBJ_FORM:
            out.forms += 1
        elif kind == raw.FPDF_PAGEOBJ_IMAGE and raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            out.image_area += abs((right.value - left.value) * (top.value - bottom.value))


def _path_edges(obj, height: float) -> list[dict]:
    """The horizontal and vertical sides of a path (a rectangle's four, a line's one), in
    page coordinates from the top: what pdfplumber's table finder calls edges."""
    matrix = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, matrix):
        return []
    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float, int, bool]] = []
    for k in range(raw.FPDFPath_CountSegments(obj)):
        seg = raw.FPDFPath_GetPathSegment(obj, k)
        if not raw.FPDFPathSegment_GetPoint(seg, x, y):
            continue
        px = matrix.a * x.value + matrix.c * y.value + matrix.e
        py = height - (matrix.b * x.value + matrix.d * y.value + matrix.f)
        points.append((px, py, raw.FPDFPathSegment_GetType(seg), bool(raw.FPDFPathSegment_GetClose(seg))))
    edges: list[dict] = []
    start = prev = None
    for px, py, kind, close in points:
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = prev = (px, py)
            continue
        if prev is not None and kind == raw.FPDF_SEGMENT_LINETO:
            _add_edge(edges, prev, (px, py))
        prev = (px, py)
        if close and start is not None:
            _add_edge(edges, prev, start)
            prev = start
    return edges


def _add_edge(edges: list[dict], a: tuple[float, float], b: tuple[float, float]) -> None:
    (x0, y0), (x1, y1) = a, b
    if abs(x0 - x1) < 0.01:
        orientation = "v"
    elif abs(y0 - y1) < 0.01:
        orientation = "h"
    else:
        return  # a slanted side never bounds a table cell
    left, right, top, bottom = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    edges.append({"object_type": "rect_edge", "x0": left, "x1": right, "top": top, "bottom": bottom,
                  "doctop": top, "width": right - left, "height": bottom - top, "orientation": orientation})


def _chars(textpage: pdfium.PdfTextPage, height: float, out: PageContent) -> None:
    """The page's characters, one pdfium call per attribute (about half a microsecond each):
    the text comes in one call, only spaces are asked whether pdfium made them up, and the
    Unicode mapping is checked on every MAP_SAMPLE-th character."""
    tp = textpage.raw
    n = textpage.count_chars()
    text = textpage.get_text_range(0, n) if n else ""
    if len(text) != n:  # a character outside the BMP: one UTF-16 unit is no longer one char
        text = "".join(chr(raw.FPDFText_GetUnicode(tp, k)) for k in range(n))
    rect = raw.FS_RECTF()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    buf = ctypes.create_string_buffer(256)
    flags = ctypes.c_int()
    fonts: dict[bytes, str] = {}
    chars = out.chars
    size = 10.0
    checked = unmapped = 0
    # the pdfium functions as locals: this loop runs once per character of the document
    generated, map_error, loose_box = raw.FPDFText_IsGenerated, raw.FPDFText_HasUnicodeMapError, raw.FPDFText_GetLooseCharBox
    origin, font_size, font_info = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetFontSize, raw.FPDFText_GetFontInfo
    for k, ch in enumerate(text):
        if ch in _SKIP:
            if ch != "\ufffe" or not raw.FPDFText_IsHyphen(tp, k):
                continue
            ch = "-"  # the PDF's hyphen at a line end, which pdfium marks U+FFFE: "QĐ-" / "TTg"
        if ch == " " and generated(tp, k):
            if chars:
                origin(tp, k, ox, oy)
                out.spaces.append((len(chars) - 1, ox.value))
            continue
        if k % MAP_SAMPLE == 0:
            checked += 1
            unmapped += map_error(tp, k) == 1
        loose_box(tp, k, rect)
        origin(tp, k, ox, oy)
        size = font_size(tp, k) or size
        font_info(tp, k, buf, 256, flags)
        name = buf.value
        font = fonts.get(name)
        if font is None:
            font = fonts[name] = name.decode("utf-8", "replace")
        bottom = height - oy.value  # the baseline
        x0 = ox.value
        right = rect.right
        chars.append({"text": ch, "x0": x0, "x1": right if right > x0 else x0, "top": bottom - size,
                      "bottom": bottom, "size": size, "fontname": font})
    out.unmapped = round(unmapped * len(chars) / checked) if checked else 0


def cluster_by_top(objs: list[dict], tolerance: float) -> list[list[dict]]:
    """Objects grouped by their top, as pdfplumber's cluster_objects: sorted distinct tops
    each within `tolerance` of the one before form a cluster; objects keep their order."""
    ids: dict[float, int] = {}
    last = None
    n = -1
    for v in sorted({o["top"] for o in objs}):
        if last is None or v > last + tolerance:
            n += 1
        ids[v] = n
        last = v
    groups: list[list[dict]] = [[] for _ in range(n + 1)]
    for o in objs:
        groups[ids[o["top"]]].append(o)
    return groups


def extract_words(content: PageContent) -> list[dict]:
    """Words with their boxes and characters, as pdfplumber's extract_words(return_chars=True)."""
    chars = content.chars
    if not chars:
        return []
    for i, c in enumerate(chars):
        c["i"] = i
    after: dict[int, list[float]] = {}
    for i, x in content.spaces:
        after.setdefault(i, []).append(x)
    words: list[dict] = []
    for line in cluster_by_top(chars, Y_TOLERANCE):
        line.sort(key=lambda c: c["x0"])
        breaks = _generated_breaks(line, after)
        word: list[dict] = []
        for j, c in enumerate(line):
            if c["text"].isspace():
                _flush(word, words)
                continue
            if word:
                prev = word[-1]
                gap = c["x0"] - prev["x1"]
                apart = c["i"] != prev["i"] + 1 and gap > SPLIT_GAP_EM * c["size"]
                if (apart or j in breaks or c["x0"] < prev["x0"] or gap > X_TOLERANCE
                        or abs(c["top"] - prev["top"]) > Y_TOLERANCE):
                    _flush(word, words)
            word.append(c)
        _flush(word, words)
    return words


def _generated_breaks(line: list[dict], after: dict[int, list[float]]) -> set[int]:
    """Positions j in the sorted line where a generated space breaks the word before line[j]."""
    xs = [x for c in line for x in after.get(c["i"], ())]
    if not xs:
        return set()
    starts = [c["x0"] for c in line]
    out = set()
    for x in xs:
        j = bisect.bisect_left(starts, x - 0.5)
        # measured from the space, which pdfium puts where the letter before it ends (a
        # fallback font's loose box can reach past that)
        if 0 < j < len(line) and line[j]["x0"] - max(x, line[j - 1]["x0"]) > SPLIT_GAP_EM * line[j]["size"]:
            out.add(j)
    return out


def _flush(word: list[dict], words: list[dict]) -> None:
    if not word:
        return
    # the characters are sorted by x0: the first starts the word
    words.append({"text": "".join([c["text"] for c in word]), "x0": word[0]["x0"],
                  "x1": max([c["x1"] for c in word]), "top": min([c["top"] for c in word]),
                  "bottom": max([c["bottom"] for c in word]), "chars": list(word)})
    word.clear()


class TablePage:
    """The page as pdfplumber's table finder reads it (edges, chars, bbox), from pdfium:
    its ruled tables are found and their cells read without pdfminer. The characters
    carry a blank between the words of `words` (pdfium drops some of the PDF's spaces)."""

    def __init__(self, content: PageContent, words: list[dict]):
        self.bbox = (0, 0, content.width, content.height)
        self.edges = content.edges
        self.chars = _chars_with_blanks(words)

    def within(self, bbox: tuple) -> "TablePage":
        """The same page with only the characters whose centre lies in `bbox`."""
        x0, top, x1, bottom = bbox
        sub = object.__new__(TablePage)
        sub.bbox, sub.edges = self.bbox, self.edges
        sub.chars = [c for c in self.chars
                     if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom]
        return sub

    def extract_words(self, **_: object) -> list[dict]:  # only the "text" strategy asks (not used)
        raise NotImplementedError("the text table strategy reads words from pdfplumber's page")


def _chars_with_blanks(words: list[dict]) -> list[dict]:
    out: list[dict] = []
    prev = None
    for w in words:
        if prev is not None and abs(w["top"] - prev["top"]) <= Y_TOLERANCE and w["x0"] > prev["x1"]:
            c = prev["chars"][-1]
            out.append({**c, "text": " ", "x0": prev["x1"], "x1": w["x0"]})
        for c in w["chars"]:
            c.setdefault("upright", True)
            c.setdefault("doctop", c["top"])
            c.setdefault("width", c["x1"] - c["x0"])
            c.setdefault("height", c["bottom"] - c["top"])
            out.append(c)
        prev = w
    return out
