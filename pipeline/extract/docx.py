"""Reader for Word .docx: paragraphs and tables in body order, list numbers rebuilt.

python-docx gives the parts; the body XML is walked directly because python-docx
drops automatic list numbers ("I.", "1.", "a)") that plans use for their headings,
cannot interleave paragraphs and tables, and skips text boxes.
The package is inspected before python-docx parses it: not a zip, a zip bomb or an
XML part with a DTD (entity bomb) is refused with an ExtractError.
"""
from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract.errors import ExtractError
from pipeline.extract.legacy_encoding import FontConverter
from pipeline.extract.sniff import OLE_MAGIC, is_encrypted_ooxml
from pipeline.model import Block, Extracted

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def q(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, TBL, TR, TC, R, T, SDT, SDT_CONTENT, CUSTOM_XML = (q(t) for t in ("p", "tbl", "tr", "tc", "r", "t", "sdt", "sdtContent", "customXml"))
TXBX = q("txbxContent")
FALLBACK = f"{{{MC}}}Fallback"
VAL = q("val")
# Subtrees that hold no visible text of the paragraph (deleted/moved text, properties, text boxes).
SKIP_IN_RUNS = {q("del"), q("moveFrom"), q("pPr"), q("rPr"), TXBX, FALLBACK, q("instrText"), q("delText")}

# Package limits: far above any real plan, far below what hurts the machine.
MAX_MEMBERS = 5000
MAX_UNZIPPED_BYTES = 300 * 1024 * 1024
MAX_RATIO = 100  # uncompressed / compressed, for members above RATIO_MIN_BYTES
RATIO_MIN_BYTES = 5 * 1024 * 1024
DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY", "<!DOCTYPE".encode("utf-16-le"), "<!DOCTYPE".encode("utf-16-be"))

HEADING_STYLE = re.compile(r"^(heading|tiêu đề|title)\s*\d*$", re.IGNORECASE)
FALSE_VALUES = {"0", "false", "off", "none"}


# --------------------------------------------------------------------------- package checks

def check_package(path: Path) -> None:
    """Refuse what is not a sane OOXML package before any XML parser sees it.
    (`extract` sends a legacy .doc named .docx to the .doc reader, never here.)"""
    with open(path, "rb") as f:
        head = f.read(8)
    if head.startswith(OLE_MAGIC):
        if is_encrypted_ooxml(path):
            raise ExtractError(str(path), "encrypted", "the Word file is password-protected (encrypted OOXML)")
        raise ExtractError(str(path), "format_mismatch", "a legacy .doc (OLE file), not a .docx package: read it as .doc")
    if not zipfile.is_zipfile(path):
        raise ExtractError(str(path), "not_zip", "a .docx must be a zip package; this file is not one")
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise ExtractError(str(path), "zip_bomb", f"the package has {len(infos)} parts (limit {MAX_MEMBERS})")
            total = sum(i.file_size for i in infos)
            if total > MAX_UNZIPPED_BYTES:
                raise ExtractError(str(path), "zip_bomb", f"the package unpacks to {total / 2**20:.0f} MB (limit {MAX_UNZIPPED_BYTES // 2**20} MB)")
            for info in infos:
                if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise ExtractError(str(path), "zip_bomb", f"part {info.filename} expands {info.file_size // max(info.compress_size, 1)}x (limit {MAX_RATIO}x)")
            names = {i.filename for i in infos}
            if "word/document.xml" not in names:
                raise ExtractError(str(path), "not_docx", "the zip package has no word/document.xml (not a Word document)")
            for info in infos:
                if info.filename.endswith((".xml", ".rels")):
                    data = zf.read(info)
                    if any(m in data for m in DTD_MARKERS):
                        raise ExtractError(str(path), "xml_dtd", f"part {info.filename} declares a DTD or entities (refused: entity expansion attack)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError) as exc:
        raise ExtractError(str(path), "corrupt_docx", f"the zip package is damaged: {exc}") from exc


# --------------------------------------------------------------------------- styles and numbering

def _on(el) -> bool | None:
    """A w:b / w:vanish style toggle: None when absent."""
    if el is None:
        return None
    return el.get(VAL, "true").lower() not in FALSE_VALUES


@dataclass
class StyleInfo:
    name: str = ""
    based_on: str | None = None
    bold: bool | None = None
    outline: int | None = None
    num_id: str | None = None
    ilvl: int | None = None
    has_borders: bool = False
    font: str | None = None  # of its runs (rFonts), which may name a legacy encoding (.VnTime)


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""
    is_lgl: bool = False
    restart: int | None = None
    pstyle: str | None = None


@dataclass
class Numbering:
    abstract_of: dict[str, str] = field(default_factory=dict)  # numId -> abstractNumId
    levels: dict[str, dict[int, Level]] = field(default_factory=dict)  # abstractNumId -> levels
    overrides: dict[str, dict[int, int]] = field(default_factory=dict)  # numId -> ilvl -> start
    style_link: dict[str, str] = field(default_factory=dict)  # abstractNumId -> numStyleLink style id


def _int(v: str | None, default: int | None = None) -> int | None:
    try:
        return int(v) if v is not None else default
    except ValueError:
        return default


def _hex(v: str | None) -> int | None:
    try:
        return int(v, 16) if v else None
    except ValueError:
        return None


def _border_visible(borders) -> bool:
    if borders is None:
        return False
    return any(b.get(VAL, "nil") not in ("nil", "none") for b in borders)


def _font(rpr) -> str | None:
    """The font of a run's properties for the text plans hold (Latin letters, and the 8-bit
    characters of a legacy font: Word draws those with the hAnsi font)."""
    fonts = rpr.find(q("rFonts")) if rpr is not None else None
    if fonts is None:
        return None
    return fonts.get(q("hAnsi")) or fonts.get(q("ascii"))


def read_styles(doc) -> tuple[dict[str, StyleInfo], bool | None]:
    """Style id -> the properties this reader needs; plus the document default bold
    (the default font is the style "" in the map)."""
    styles: dict[str, StyleInfo] = {}
    try:
        root = doc.styles.element
    except Exception:  # noqa: BLE001 - a package without styles is still readable
        return styles, None
    default_bold = _on(root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}/{q('b')}"))
    styles[""] = StyleInfo(font=_font(root.find(f"{q('docDefaults')}/{q('rPrDefault')}/{q('rPr')}")))
    for st in root.iter(q("style")):
        sid = st.get(q("styleId"))
        if not sid:
            continue
        info = StyleInfo()
        name = st.find(q("name"))
        info.name = name.get(VAL, "") if name is not None else ""
        based = st.find(q("basedOn"))
        info.based_on = based.get(VAL) if based is not None else None
        info.bold = _on(st.find(f"{q('rPr')}/{q('b')}"))
        info.font = _font(st.find(q("rPr")))
        ppr = st.find(q("pPr"))
        if ppr is not None:
            ol = ppr.find(q("outlineLvl"))
            info.outline = _int(ol.get(VAL)) if ol is not None else None
            num = ppr.find(q("numPr"))
            if num is not None:
                nid = num.find(q("numId"))
                lvl = num.find(q("ilvl"))
                info.num_id = nid.get(VAL) if nid is not None else None
                info.ilvl = _int(lvl.get(VAL)) if lvl is not None else None
        info.has_borders = _border_visible(st.find(f"{q('tblPr')}/{q('tblBorders')}"))
        styles[sid] = info
    return styles, default_bold


def style_chain(styles: dict[str, StyleInfo], sid: str | None):
    seen = set()
    while sid and sid in styles and sid not in seen:
        seen.add(sid)
        yield sid, styles[sid]
        sid = styles[sid].based_on


def read_numbering(doc) -> Numbering:
    num = Numbering()
    try:
        part = doc.part.numbering_part
    except (NotImplementedError, KeyError, AttributeError):
        return num
    root = part.element
    for an in root.iter(q("abstractNum")):
        aid = an.get(q("abstractNumId"))
        levels: dict[int, Level] = {}
        for lvl in an.iter(q("lvl")):
            levels[_int(lvl.get(q("ilvl")), 0)] = _read_level(lvl)
        num.levels[aid] = levels
        link = an.find(q("numStyleLink"))
        if link is not None:
            num.style_link[aid] = link.get(VAL)
    for n in root.iter(q("num")):
        nid = n.get(q("numId"))
        a = n.find(q("abstractNumId"))
        if nid is None or a is None:
            continue
        num.abstract_of[nid] = a.get(VAL)
        for ov in n.iter(q("lvlOverride")):
            ilvl = _int(ov.get(q("ilvl")), 0)
            so = ov.find(q("startOverride"))
            if so is not None:
                num.overrides.setdefault(nid, {})[ilvl] = _int(so.get(VAL), 1)
            lvl = ov.find(q("lvl"))
            if lvl is not None:  # a whole level redefined for this list instance
                aid = f"{a.get(VAL)}@{nid}"
                if aid not in num.levels:
                    num.levels[aid] = dict(num.levels.get(a.get(VAL), {}))
                num.levels[aid][ilvl] = _read_level(lvl)
                num.abstract_of[nid] = aid
    return num


def _read_level(lvl) -> Level:
    def val(tag: str) -> str | None:
        el = lvl.find(q(tag))
        return el.get(VAL) if el is not None else None

    return Level(start=_int(val("start"), 1), fmt=val("numFmt") or "decimal", text=val("lvlText") or "",
                 is_lgl=lvl.find(q("isLgl")) is not None, restart=_int(val("lvlRestart")), pstyle=val("pStyle"))


ROMAN = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]


def _roman(n: int) -> str:
    out = ""
    for v, s in ROMAN:
        while n >= v:
            out += s
            n -= v
    return out


def _letters(n: int) -> str:
    """Word's letter numbering: a..z, then aa..zz (the letter repeated)."""
    if n < 1:
        return ""
    return chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def format_number(n: int, fmt: str) -> str:
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("upperRoman", "lowerRoman"):
        r = _roman(n)
        return r.upper() if fmt == "upperRoman" else r
    if fmt in ("upperLetter", "lowerLetter"):
        s = _letters(n)
        return s.upper() if fmt == "upperLetter" else s
    if fmt == "none":
        return ""
    return str(n)


def bullet_text(text: str) -> str:
    """A bullet glyph as text: plain dashes and pluses stay; symbol-font glyphs (Symbol
    U+F0B7, Wingdings "l" for a dot, "Ø" for an arrow...) become "-"."""
    t = text.strip()
    if not t:
        return ""
    return t if t in ("+", "-", "–", "—", "*", "•") else "-"


class ListCounter:
    """Word's list counters: per abstract list, continued across list instances."""

    def __init__(self, numbering: Numbering, styles: dict[str, StyleInfo]) -> None:
        self.num = numbering
        self.styles = styles
        self.counters: dict[str, list[int | None]] = {}
        self.applied_overrides: set[tuple[str, int]] = set()

    def _resolve_abstract(self, num_id: str) -> str | None:
        aid = self.num.abstract_of.get(num_id)
        # numStyleLink: the list's levels live with the list the linked style points to
        for _ in range(3):
            if aid is None or aid not in self.num.style_link:
                break
            linked = self.styles.get(self.num.style_link[aid])
            target = self.num.abstract_of.get(linked.num_id) if linked and linked.num_id else None
            if target is None or target == aid:
                break
            aid = target
        return aid

    def label(self, num_id: str, ilvl: int) -> str:
        aid = self._resolve_abstract(num_id)
        levels = self.num.levels.get(aid or "")
        if not levels or ilvl not in levels:
            return ""
        lvl = levels[ilvl]
        counters = self.counters.setdefault(aid, [None] * 10)
        override = self.num.overrides.get(num_id, {}).get(ilvl)
        if override is not None and (num_id, ilvl) not in self.applied_overrides:
            self.applied_overrides.add((num_id, ilvl))
            counters[ilvl] = None
            start = override
        else:
            start = lvl.start
        counters[ilvl] = start if counters[ilvl] is None else counters[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            d = levels.get(deeper)
            if d is None or d.restart != 0:
                counters[deeper] = None
        if lvl.fmt == "bullet":
            return bullet_text(lvl.text)

        def sub(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counters[k] if counters[k] is not None else levels[k].start
            fmt = "decimal" if lvl.is_lgl and k != ilvl else levels[k].fmt
            if fmt == "bullet":
                return ""
            return format_number(value, fmt)

        return re.sub(r"%(\d)", sub, lvl.text).strip()


# --------------------------------------------------------------------------- body walk

class DocxWalker:
    def __init__(self, doc) -> None:
        self.styles, self.default_bold = read_styles(doc)
        self.counter = ListCounter(read_numbering(doc), self.styles)
        self.blocks: list[Block] = []
        self.legacy = FontConverter()  # runs in a TCVN3/VNI font, converted to Unicode

    # ---- paragraphs
    def _style_of(self, p) -> str | None:
        ps = p.find(f"{q('pPr')}/{q('pStyle')}")
        return ps.get(VAL) if ps is not None else None

    def _num_of(self, p, sid: str | None) -> tuple[str, int] | None:
        npr = p.find(f"{q('pPr')}/{q('numPr')}")
        if npr is not None:
            nid = npr.find(q("numId"))
            lvl = npr.find(q("ilvl"))
            if nid is not None:
                num_id = nid.get(VAL)
                return None if num_id in (None, "0") else (num_id, _int(lvl.get(VAL), 0) if lvl is not None else 0)
        for style_id, info in style_chain(self.styles, sid):
            if info.num_id:
                if info.num_id == "0":
                    return None
                ilvl = info.ilvl
                if ilvl is None:  # the list level that names this style, else level 0
                    aid = self.counter._resolve_abstract(info.num_id)
                    ilvl = next((i for i, lv in self.counter.num.levels.get(aid or "", {}).items() if lv.pstyle == style_id), 0)
                return info.num_id, ilvl
        return None

    def _run_bold(self, r, para_bold: bool | None) -> bool:
        rpr = r.find(q("rPr"))
        if rpr is not None:
            b = _on(rpr.find(q("b")))
            if b is not None:
                return b
            rs = rpr.find(q("rStyle"))
            if rs is not None:
                for _, info in style_chain(self.styles, rs.get(VAL)):
                    if info.bold is not None:
                        return info.bold
        if para_bold is not None:
            return para_bold
        return bool(self.default_bold)

    def _run_font(self, r, sid: str | None) -> str | None:
        """A run's font: its own, its character style's, its paragraph style's, the default."""
        rpr = r.find(q("rPr"))
        font = _font(rpr)
        if font:
            return font
        rs = rpr.find(q("rStyle")) if rpr is not None else None
        for chain in ((rs.get(VAL) if rs is not None else None), sid or "Normal", ""):
            font = next((i.font for _, i in style_chain(self.styles, chain) if i.font), None)
            if font:
                return font
        return None

    def paragraph_text(self, p, sid: str | None) -> tuple[str, bool, list]:
        """Text of a paragraph's runs, whether every visible run is bold, and its text boxes."""
        para_bold = next((i.bold for _, i in style_chain(self.styles, sid) if i.bold is not None), None)
        parts: list[str] = []
        bold_all = True
        any_text = False
        boxes: list = []

        def walk(el) -> None:
            nonlocal bold_all, any_text
            for child in el:
                tag = child.tag
                if tag == TXBX:
                    boxes.append(child)
                    continue
                if tag in SKIP_IN_RUNS or not isinstance(tag, str):
                    continue
                if tag == R:
                    rpr = child.find(q("rPr"))
                    if rpr is not None and _on(rpr.find(q("vanish"))):
                        continue
                    text = self.legacy(self._run_text(child, boxes), self._run_font(child, sid))
                    if text.strip():
                        any_text = True
                        if not self._run_bold(child, para_bold):
                            bold_all = False
                    parts.append(text)
                else:
                    walk(child)

        walk(p)
        return "".join(parts), bold_all and any_text, boxes

    def _run_text(self, r, boxes: list) -> str:
        out: list[str] = []
        for child in r:
            tag = child.tag
            if tag == T:
                out.append(child.text or "")
            elif tag == q("tab") or tag == q("ptab"):
                out.append("\t")
            elif tag in (q("br"), q("cr")):
                out.append("\n")
            elif tag == q("noBreakHyphen"):
                out.append("-")
            elif tag == q("softHyphen"):
                out.append("\u00ad")  # TCVN3's "ư" where Word took it for an optional hyphen
            elif tag == q("sym"):
                code = _hex(child.get(q("char")))
                if code:
                    out.append(bullet_text(chr(code)) if 0xF000 <= code <= 0xF0FF else chr(code))
            elif isinstance(tag, str) and tag not in SKIP_IN_RUNS:
                # drawings and alternate content may hold text boxes
                for box in child.iter(TXBX):
                    if not any(a.tag == FALLBACK for a in box.iterancestors()):
                        boxes.append(box)
        return "".join(out)

    def paragraph_block(self, p) -> tuple[Block | None, list]:
        sid = self._style_of(p)
        text, bold, boxes = self.paragraph_text(p, sid)
        num = self._num_of(p, sid)
        label = self.counter.label(*num) if num else ""
        if not text.strip():
            return None, boxes  # an empty numbered paragraph shows its number alone: skip it
        if label:
            text = f"{label} {text.lstrip()}"
        style = None
        name = self.styles[sid].name if sid in self.styles else ""
        if name.lower() == "title":
            style = "title"
        elif HEADING_STYLE.match(name) or self._outline(p, sid) is not None:
            style = "heading"
        elif bold:
            style = "bold"
        return Block("paragraph", text=text, style=style), boxes

    def _outline(self, p, sid: str | None) -> int | None:
        ol = p.find(f"{q('pPr')}/{q('outlineLvl')}")
        if ol is not None:
            v = _int(ol.get(VAL))
        else:
            v = next((i.outline for _, i in style_chain(self.styles, sid) if i.outline is not None), None)
        return v if v is not None and v < 9 else None

    # ---- tables
    def _has_borders(self, tbl) -> bool:
        tpr = tbl.find(q("tblPr"))
        if tpr is not None:
            direct = tpr.find(q("tblBorders"))
            if direct is not None:
                return _border_visible(direct)
            ts = tpr.find(q("tblStyle"))
            if ts is not None and any(i.has_borders for _, i in style_chain(self.styles, ts.get(VAL))):
                return True
        return any(_border_visible(b) for b in tbl.iter(q("tcBorders")))

    def table_rows(self, tbl) -> list[list[str]]:
        rows: list[list[str]] = []
        for tr in _children(tbl, TR):
            row: list[str] = []
            trpr = tr.find(q("trPr"))
            before = after = 0
            if trpr is not None:
                gb, ga = trpr.find(q("gridBefore")), trpr.find(q("gridAfter"))
                before = _int(gb.get(VAL), 0) if gb is not None else 0
                after = _int(ga.get(VAL), 0) if ga is not None else 0
            row.extend([""] * before)
            for tc in _children(tr, TC):
                tcpr = tc.find(q("tcPr"))
                span = 1
                cont = False
                if tcpr is not None:
                    gs = tcpr.find(q("gridSpan"))
                    span = max(1, _int(gs.get(VAL), 1)) if gs is not None else 1
                    vm = tcpr.find(q("vMerge"))
                    cont = vm is not None and vm.get(VAL, "continue") != "restart"
                    hm = tcpr.find(q("hMerge"))
                    cont = cont or (hm is not None and hm.get(VAL, "continue") != "restart")
                text = "" if cont else self.cell_text(tc)
                row.append(text)
                row.extend([""] * (span - 1))
            row.extend([""] * after)
            rows.append(row)
        width = max((len(r) for r in rows), default=0)
        return [r + [""] * (width - len(r)) for r in rows]

    def cell_text(self, tc) -> str:
        """A cell's paragraphs one per line; a nested table's rows as lines of space-joined cells."""
        lines: list[str] = []
        for el in _block_children(tc):
            if el.tag == P:
                block, boxes = self.paragraph_block(el)
                if block:
                    lines.append(block.text)
                for box in boxes:
                    lines.append(self.cell_text(box))
            elif el.tag == TBL:
                for r in self.table_rows(el):
                    line = " ".join(c for c in r if c.strip())
                    if line:
                        lines.append(line)
        return "\n".join(s for s in lines if s.strip())

    def table(self, tbl) -> None:
        rows = self.table_rows(tbl)
        if not rows or not any(any(c.strip() for c in r) for r in rows):
            return
        width = len(rows[0])
        # a frame around content (one cell), or a layout table (issuer | national motto,
        # signature blocks): its cells are body text, left to right
        frame = width == 1 and (len(rows) == 1 or not self._has_borders(tbl))
        if frame or (width <= 2 and len(rows) <= 4 and not self._has_borders(tbl)):
            for tr in _children(tbl, TR):
                for tc in _children(tr, TC):
                    self.walk(tc)
            return
        self.blocks.append(Block("table", rows=rows))

    # ---- body
    def walk(self, container) -> None:
        for el in _block_children(container):
            if el.tag == P:
                block, boxes = self.paragraph_block(el)
                if block:
                    self.blocks.append(block)
                for box in boxes:
                    self.walk(box)
            elif el.tag == TBL:
                self.table(el)


def _children(el, tag: str):
    """Direct children with `tag`, looking through content controls and custom XML wrappers."""
    for child in el:
        if child.tag == tag:
            yield child
        elif child.tag in (SDT, CUSTOM_XML):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                yield from _children(inner, tag)


def _block_children(el):
    for child in el:
        if child.tag in (P, TBL):
            yield child
        elif child.tag in (SDT, CUSTOM_XML, q("ins"), q("moveTo")):
            inner = child.find(SDT_CONTENT) if child.tag == SDT else child
            if inner is not None:
                yield from _block_children(inner)


def read_docx(path: Path | str, fmt: str = "docx") -> Extracted:
    path = Path(path)
    check_package(path)
    import docx  # python-docx; imported late so the checks run before any XML parsing

    try:
        doc = docx.Document(str(path))
        walker = DocxWalker(doc)
        walker.walk(doc.element.body)
    except ExtractError:
        raise
    except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on damaged files
        raise ExtractError(str(path), "corrupt_docx", f"python-docx could not read the document: {type(exc).__name__}: {exc}") from exc
    warnings = walker.legacy.warnings()
    if not walker.blocks:
        warnings.append({"code": "no_text", "message": "the Word document holds no text"})
    return Extracted(path=str(path), format=fmt, blocks=walker.blocks, pages=None, ocr=False, warnings=warnings)
