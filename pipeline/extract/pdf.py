"""Reader for PDF: text lines grouped into paragraph blocks, ruled tables, OCR for scans.

pdfium (pipeline.extract.pdfium_page) gives each page's characters with font and
position, cut into words as pdfplumber's `extract_words` does; lines are clustered from
them. Ruled tables are looked for only on pages that draw lines or rectangles, by
pdfplumber's table finder reading pdfium's edges and characters (pdfminer's own parsing
costs about twenty times pdfium's; it is opened only for a page that draws a form
XObject); table words are kept out of the paragraphs. Lines become paragraphs in pipeline.extract.layout, shared with OCR; pages
without a text layer are OCR'd (pipeline.extract.ocr).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from pdfplumber.table import TableFinder, TableSettings

from pipeline.extract import ocr
from pipeline.extract.errors import ExtractError
from pipeline.extract.pdf_security import unlocked_bytes
from pipeline.extract.pdf_stamps import stamped_words
from pipeline.extract.integrity import garbled
from pipeline.extract.legacy_encoding import FontConverter, convert_blocks, convert_chars
from pipeline.extract.layout import ITEM_START, Geometry, TextLine, glue, inside, is_page_number, layout_blocks
from pipeline.extract.pdfium_page import PageContent, TablePage, cluster_by_top, extract_words, read_page
from pipeline.model import Block, Extracted
from pipeline.settings import get_settings

MIN_OCR_CHARS = 10  # fewer text characters than this on an image page: OCR it


def lines_from_words(words: list[dict], y_tolerance: float = 3) -> list[TextLine]:
    """Cluster words into lines by their top, as pdfplumber's text extraction does."""
    if not words:
        return []
    clusters = cluster_by_top(words, y_tolerance)
    return sorted((TextLine.from_words(c) for c in clusters), key=lambda ln: (ln.top, ln.x0))


def page_tables(page) -> list:
    """Ruled tables (bbox, rows) with two columns or more of a page that draws lines: a
    pdfplumber page, or pdfium's through TablePage."""
    if not page.edges:
        return []
    out = []
    for t in TableFinder(page, TableSettings.resolve(None)).tables:
        if isinstance(page, TablePage):
            t.page = page.within(t.bbox)  # cells look among the table's characters only
        rows = t.extract()
        rows = [[(c or "") for c in r] for r in rows]
        # one row is enough: a long row can fill a whole page of a table split across pages
        if rows and max(len(r) for r in rows) >= 2 and any(c.strip() for r in rows for c in r):
            out.append((t.bbox, rows))
    return out


@dataclass
class PageResult:
    blocks: list[Block]
    first: TextLine | None = None  # the page's first text line, when it comes before any table
    last: TextLine | None = None  # the page's last text line, when it comes after every table
    geo: Geometry | None = None


def page_blocks(content: PageContent, words: list[dict], pno: int, tables: list) -> PageResult:
    """The blocks of one page with a text layer, tables (bbox, rows) at their vertical place."""
    if tables:
        words = [w for w in words if not any(inside(w, bbox) for bbox, _ in tables)]
    lines = [ln for ln in lines_from_words(words) if not is_page_number(ln, content.height)]
    geo = Geometry.of(lines) if lines else None
    tops = [bbox[1] for bbox, _ in tables]
    # a table at the same height as a line comes first (as in layout_blocks)
    first = lines[0] if lines and all(lines[0].top < t for t in tops) else None
    last = lines[-1] if lines and all(lines[-1].top >= t for t in tops) else None
    blocks = layout_blocks(lines, [(bbox[1], rows) for bbox, rows in tables], pno, geo)
    return PageResult(blocks=blocks, first=first, last=last, geo=geo)


def join_pages(pages: list[PageResult]) -> list[Block]:
    """Blocks of all pages, mending what a page break cut: a paragraph that runs on to the
    next page, a table row split across the break, a table header repeated on each page."""
    out: list[Block] = []
    prev: PageResult | None = None
    for res in pages:
        blocks = list(res.blocks)
        if prev is not None and out and blocks:
            a, b = out[-1], blocks[0]
            if (a.kind == b.kind == "paragraph" and prev.last is not None and res.first is not None
                    and prev.geo is not None and res.geo is not None and prev.geo.full(prev.last)
                    and res.first.bold == prev.last.bold and "\t" not in res.first.text
                    and res.first.x0 <= res.geo.left + 0.5 * res.first.size and not ITEM_START.match(res.first.text)):
                first, _, rest = b.text.partition("\n")
                head, sep, tail = a.text.rpartition("\n")
                a.text = f"{head}{sep}{glue(tail, first)}" + (f"\n{rest}" if rest else "")
                blocks.pop(0)
            elif a.kind == b.kind == "table" and a.rows and b.rows and len(a.rows[0]) == len(b.rows[0]):
                rows = list(b.rows)
                head = _chain_head(out)
                k = 0
                while k < min(3, len(head)) and len(rows) > 1 and rows[0] == head[k]:
                    rows.pop(0)  # the header rows repeated on the new page
                    k += 1
                if rows and is_row_continuation(rows[0]):
                    a.rows[-1] = [f"{x}\n{y}" if x and y else x or y for x, y in zip(a.rows[-1], rows[0])]
                    rows.pop(0)
                b.rows = rows
                if not rows:
                    blocks.pop(0)
        out.extend(blocks)
        prev = res
    return out


def _chain_head(out: list[Block]) -> list[list[str]]:
    """The rows of the first block of the table that the trailing table blocks (one per
    page) continue: its header is what later pages repeat."""
    i = len(out) - 1
    width = len(out[i].rows[0])
    while i > 0 and out[i - 1].kind == "table" and out[i - 1].rows and len(out[i - 1].rows[0]) == width:
        i -= 1
    return out[i].rows


def is_row_continuation(row: list[str]) -> bool:
    """The rest of a row the page break cut: no number in the first cell, and text
    that goes on mid-sentence (starts in lower case)."""
    if not row or row[0].strip():
        return False
    cells = [c.strip() for c in row[1:] if c.strip()]
    return bool(cells) and any(c[:1].islower() for c in cells)


def needs_ocr(content: PageContent) -> bool:
    """No usable text layer: (almost) no characters, and an image or a drawing or nothing
    at all; or glyphs without a Unicode mapping (pdfminer's "(cid:N)")."""
    chars = content.text_chars
    if chars >= MIN_OCR_CHARS:
        return content.unmapped > 0.3 * chars
    if chars == 0:
        return content.image_area > 0 or content.paths > 0
    return content.image_area > 0.5 * ((content.width * content.height) or 1.0)


def ocr_binary(settings) -> str | None:
    """The Tesseract binary with the configured language data, or None."""
    try:
        return ocr.check_ocr_available(Path("-"), settings.ocr_lang)
    except ExtractError:
        return None


def ocr_possible(settings) -> bool:
    return ocr_binary(settings) is not None


def check_tail(path: Path) -> None:
    """A PDF ends with %%EOF (a little trailing junk allowed): else it was cut short."""
    size = path.stat().st_size
    with open(path, "rb") as f:
        head = f.read(1024)
        f.seek(max(0, size - 4096))
        tail = f.read()
    if b"%PDF-" not in head:
        raise ExtractError(str(path), "not_pdf", "the file does not start like a PDF (%PDF- header missing)")
    if b"%%EOF" not in tail:
        raise ExtractError(str(path), "truncated_pdf", "the PDF has no end-of-file marker: it is truncated or damaged")


def _open_error(path: Path, exc: Exception) -> ExtractError:
    inner = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
    name = type(inner).__name__
    if name in ("PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning") or "password" in str(inner).lower():
        return ExtractError(str(path), "encrypted", "the PDF is encrypted and needs a password to open")
    return ExtractError(str(path), "corrupt_pdf", f"the PDF could not be parsed: {name}: {inner}")


class TablePages:
    """pdfplumber's view of the PDF, opened on the first page that draws a form XObject
    (which may hold a ruled table drawn inside it)."""

    def __init__(self, path: Path):
        self.path = path
        self.pdf = None

    def tables(self, pno: int) -> list:
        import pdfplumber

        if self.pdf is None:
            try:
                self.pdf = pdfplumber.open(str(self.path))
            except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds on damaged files
                unlocked = unlocked_bytes(self.path)  # an owner password only (/P 0 trips pdfminer)
                if unlocked is None:
                    raise _open_error(self.path, exc) from exc
                self.pdf = pdfplumber.open(io.BytesIO(unlocked))
        page = self.pdf.pages[pno - 1]
        try:
            return page_tables(page)
        finally:
            page.close()  # drop the page's parsed layout: keeps long PDFs in bounded memory

    def close(self) -> None:
        if self.pdf is not None:
            self.pdf.close()


def _restricted(pdf) -> bool:
    """An encrypted PDF that opened without a password: an owner password only."""
    import pypdfium2.raw as pdfium_c

    return pdfium_c.FPDF_GetSecurityHandlerRevision(pdf.raw) >= 0


def read_pdf(path: Path | str) -> Extracted:
    import pypdfium2 as pdfium

    path = Path(path)
    settings = get_settings()
    check_tail(path)
    warnings: list[dict] = []
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfium raises PdfiumError with the reason
        raise _open_error(path, exc) from exc
    if _restricted(pdf):
        warnings.append({"code": "pdf_restricted", "message": "the PDF has an owner password (no user password): read as any viewer shows it"})
    per_page: list[PageResult] = []
    ocr_needed: list[int] = []
    legacy, legacy_stats = FontConverter(), None  # TCVN3/VNI text converted: by font, by statistics
    plumber = TablePages(path)
    try:
        n = len(pdf)
        if n == 0:
            raise ExtractError(str(path), "corrupt_pdf", "the PDF has no pages")
        if n > settings.max_pages:
            raise ExtractError(str(path), "too_many_pages", f"the PDF has {n} pages (limit {settings.max_pages})")
        for pno in range(1, n + 1):
            try:
                page = pdf[pno - 1]
                try:
                    content = read_page(page)
                finally:
                    page.close()
                convert_chars(content.chars, legacy)  # a legacy font's bytes read as their letters
                result = None
                if not needs_ocr(content):
                    # no font in the words: splitting words where the font changes would cut
                    # Vietnamese words whose accented letters come from a fallback font
                    words = extract_words(content)
                    if content.widgets and (binary := ocr_binary(settings)):  # a signing tool's stamps
                        words += stamped_words(path, pno, content.widgets, words, binary, settings.ocr_lang)
                    if content.forms:  # a form XObject may draw a table pdfium's paths miss
                        tables = plumber.tables(pno)
                    else:
                        tables = page_tables(TablePage(content, words)) if content.edges else []
                    result = page_blocks(content, words, pno, tables)
                legacy_stats = (convert_blocks(result.blocks) if result else None) or legacy_stats
                if result is not None and garbled(result.blocks) and ocr_possible(settings):
                    result = None  # a legacy font encoding (TCVN3, VNI): the page image reads better
                if result is None:
                    ocr_needed.append(pno)
                    result = PageResult(blocks=[])
                per_page.append(result)
            except ExtractError:
                raise
            except Exception as exc:  # noqa: BLE001
                raise ExtractError(str(path), "corrupt_pdf", f"page {pno} could not be read: {type(exc).__name__}: {exc}") from exc
    finally:
        plumber.close()
        pdf.close()
    if ocr_needed:
        read = ocr.ocr_pdf(path, ocr_needed, settings)
        for pno, page_ocr in read.pages.items():
            per_page[pno - 1] = PageResult(page_ocr.blocks, page_ocr.first, page_ocr.last, page_ocr.geo)
        warnings.append({"code": "ocr", "message": f"text of {len(ocr_needed)} of {n} pages comes from OCR"})
        warnings.extend(read.warnings)
    blocks = join_pages(per_page)
    warnings += legacy.warnings() + ([legacy_stats] if legacy_stats else [])
    if not blocks:
        warnings.append({"code": "no_text", "message": "no text found in the PDF"})
    return Extracted(path=str(path), format="pdf", blocks=blocks, pages=n, ocr=bool(ocr_needed), warnings=warnings)
