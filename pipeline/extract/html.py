"""Reader for HTML pages: the article body only, as paragraph and table blocks.

trafilatura finds the main content (navigation, menus, sidebars, footers and link
lists dropped) and returns it as XML with headings, paragraphs, lists and tables.
When it finds nothing (a bare document with no page furniture), the whole <body> is
read, minus nav/header/footer/aside/script/style.
"""
from __future__ import annotations

import re
from pathlib import Path

from pipeline.extract.charset import bom_encoding
from pipeline.extract.errors import ExtractError
from pipeline.extract.legacy_encoding import detect, stats_warning, tables
from pipeline.model import Block, Extracted

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
TAG = re.compile(r"(<[^>]*>)")
MAX_HTML_BYTES = 50 * 1024 * 1024
BLOCK_TAGS = {"p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "dt", "dd", "section", "article"}
DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe", "svg", "template")


def decode_html(data: bytes, path: str) -> str:
    return decode_html_noted(data, path)[0]


def decode_html_noted(data: bytes, path: str) -> tuple[str, list[dict]]:
    """Decode by BOM (UTF-32 told from UTF-16), then the document's own <meta charset>, then
    UTF-8, then TCVN3/VNI recognised by their statistics, then cp1258; with the warning of a
    conversion (made here: trafilatura drops TCVN3's "ư", a soft hyphen)."""
    bom = bom_encoding(data)
    if bom:
        return data[bom[1]:].decode(bom[0], "replace"), []
    m = META_CHARSET.search(data[:4096])
    if m:
        name = m.group(1).decode("ascii", "ignore").lower()
        try:
            return _legacy_text(data.decode(name))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return _legacy_text(data.decode("utf-8"))
    except UnicodeDecodeError:
        # Windows-1258 would turn TCVN3's bytes into combining marks: try the legacy fonts first
        text, warnings = _legacy_text(data.decode("cp1252", "replace"), "the file is not UTF-8; ")
        if warnings:
            return text, warnings
        # Windows-1258 is the legacy Vietnamese code page; it decodes any byte sequence
        return data.decode("cp1258", "replace"), []


def _legacy_text(html: str, why: str = "") -> tuple[str, list[dict]]:
    """A page whose text is TCVN3/VNI read as Windows-1252 (a <font face=".VnTime"> page),
    converted whole before trafilatura sees it (markup is ASCII, which the tables leave alone)."""
    found = detect(TAG.sub(" ", html))
    if found is None:
        return html, []
    table = tables()[found[0]]
    parts = TAG.split(html)  # text between tags by itself: "<p>KÕ HO¹CH</p>" is an upper-case line
    return "".join(p if p.startswith("<") else table.convert_lines(p) for p in parts), [stats_warning(*found, why)]


def _text(el) -> str:
    """An element's text with <lb/> / <br> as line breaks, whitespace collapsed per line."""
    parts: list[str] = []

    def walk(e) -> None:
        if e.text:
            parts.append(e.text)
        for child in e:
            if child.tag in ("lb", "br"):
                parts.append("\n")
            else:
                walk(child)
            if child.tail:
                parts.append(child.tail)

    walk(el)
    lines = [" ".join(s.split()) for s in "".join(parts).split("\n")]
    return "\n".join(s for s in lines if s)


def _table_rows(table) -> list[list[str]]:
    """Rows of an HTML or trafilatura table; colspan cells padded with "" (rowspan not expanded
    beyond what the markup gives)."""
    rows: list[list[str]] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for tr in table.iter("row", "tr"):
        if tr.getparent() is not None and tr.getparent().tag in ("cell", "td", "th"):
            continue  # a nested table's row: its text is in the outer cell
        row: list[str] = []
        col = 0
        for cell in tr:
            if cell.tag not in ("cell", "td", "th"):
                continue
            while pending.get(col, 0) > 0:
                row.append("")
                pending[col] -= 1
                col += 1
            row.append(_text(cell).replace("\n", " "))
            span = _int(cell.get("colspan"), 1)
            rspan = _int(cell.get("rowspan"), 1)
            for k in range(span):
                if rspan > 1:
                    pending[col + k] = rspan - 1
            row.extend([""] * (span - 1))
            col += span
        while pending.get(col, 0) > 0:
            row.append("")
            pending[col] -= 1
            col += 1
        if any(c.strip() for c in row):
            rows.append(row)
    width = max((len(r) for r in rows), default=0)
    return [r + [""] * (width - len(r)) for r in rows]


def _int(v, default: int) -> int:
    try:
        return max(1, int(v))
    except (TypeError, ValueError):
        return default


def blocks_from_trafilatura(xml_text: str) -> list[Block]:
    from lxml import etree

    root = etree.fromstring(xml_text.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True, recover=True))
    main = root.find("main")
    if main is None:
        main = root
    blocks: list[Block] = []

    def walk(el) -> None:
        for child in el:
            tag = child.tag
            if tag == "table":
                rows = _table_rows(child)
                if rows:
                    blocks.append(Block("table", rows=rows))
            elif tag == "head":
                text = _text(child)
                if text:
                    blocks.append(Block("paragraph", text=text, style="heading"))
            elif tag == "list":
                for item in child.iter("item"):
                    text = _text(item)
                    if text:
                        blocks.append(Block("paragraph", text=text))
            elif tag in ("p", "quote", "code"):
                text = _text(child)
                if text:
                    bold = len(child) == 1 and child[0].tag == "hi" and "#b" in (child[0].get("rend") or "") and not (child.text or "").strip()
                    blocks.append(Block("paragraph", text=text, style="bold" if bold else None))
            elif tag in ("div", "main", "doc"):
                walk(child)

    walk(main)
    return blocks


def blocks_from_body(html: str) -> list[Block]:
    """Fallback: every block element of <body> that holds text, page furniture removed."""
    import lxml.html

    doc = lxml.html.document_fromstring(html)
    for bad in doc.xpath("|".join(f"//{t}" for t in DROP_TAGS)):
        bad.drop_tree()
    blocks: list[Block] = []

    def walk(el) -> None:
        for child in el:
            if not isinstance(child.tag, str):
                continue
            tag = child.tag.lower()
            if tag == "table":
                rows = _table_rows(child)
                if rows:
                    blocks.append(Block("table", rows=rows))
            elif tag in BLOCK_TAGS and not any(isinstance(c.tag, str) and c.tag.lower() in BLOCK_TAGS | {"table", "ul", "ol"} for c in child):
                text = _text(child)
                if text:
                    style = "heading" if re.fullmatch(r"h[1-6]", tag) else None
                    blocks.append(Block("paragraph", text=text, style=style))
            else:
                walk(child)

    body = doc.find("body")
    walk(body if body is not None else doc)
    return blocks


def read_html(path: Path | str) -> Extracted:
    import trafilatura

    path = Path(path)
    data = path.read_bytes()
    if len(data) > MAX_HTML_BYTES:
        raise ExtractError(str(path), "too_large", f"the HTML file is {len(data) // 2**20} MB (limit {MAX_HTML_BYTES // 2**20} MB)")
    html, warnings = decode_html_noted(data, str(path))
    if not html.strip():
        raise ExtractError(str(path), "empty", "the HTML file holds no text")
    try:
        xml = trafilatura.extract(html, output_format="xml", include_tables=True, include_comments=False,
                                  include_links=False, include_images=False, include_formatting=True,
                                  favor_precision=True, deduplicate=False)
    except Exception as exc:  # noqa: BLE001 - a failure of the article finder is not fatal
        warnings.append({"code": "html_main_content", "message": f"trafilatura failed ({type(exc).__name__}); read the whole page"})
        xml = None
    blocks = blocks_from_trafilatura(xml) if xml else []
    if sum(len(b.text or "") + sum(len(c) for r in b.rows or [] for c in r) for b in blocks) < 200:
        try:
            blocks = blocks_from_body(html)
        except Exception as exc:  # noqa: BLE001
            raise ExtractError(str(path), "corrupt_html", f"the HTML could not be parsed: {exc}") from exc
    if not blocks:
        raise ExtractError(str(path), "empty", "no text found in the HTML page")
    return Extracted(path=str(path), format="html", blocks=blocks, pages=None, ocr=False, warnings=warnings)
