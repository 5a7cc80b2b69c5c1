"""OCR for PDF pages without a text layer: pypdfium2 renders, Tesseract reads.

Each page is rendered by pdfium straight into memory at the configured dpi (lowered for
a huge page, so no page takes more than MAX_PAGE_PIXELS), cleaned
(pipeline.extract.ocr_preprocess: coloured ink dropped, skew undone; erasing the
ruling is an option, off: it hurt on the corpus's scanned tables) and piped to Tesseract (TSV output: words with boxes and
confidences). pdfium is not thread-safe, so pages are rendered one after another and
cleaned and read in a pool of threads (VNPLAN_OCR_THREADS, by default VNPLAN_WORKERS; 1 in
a Dask worker, where documents run in parallel instead), one Tesseract process each with
OpenMP off (OMP_THREAD_LIMIT=1), which beats one multi-threaded Tesseract on these machines. A page read with low
confidence is checked for a page turned sideways or upside down (Tesseract's OSD).
Ink no read word covers (a signer's name under a seal) is read again
(pipeline.extract.ocr_uncovered). A name read twice with different marks takes its sure
reading (pipeline.extract.ocr_names). Words are repaired (pipeline.extract.ocr_repair) and laid out into lines and paragraphs
by the same geometry as text PDFs (pipeline.extract.layout), tables from the image's
ruling (pipeline.extract.ocr_tables).
"""
from __future__ import annotations

import csv
import functools
import io
import math
import os
import re
import shutil
import subprocess
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from pipeline.extract import ocr_preprocess as prep
from pipeline.extract.errors import ExtractError
from pipeline.extract.layout import Geometry, TextLine, inside, is_page_number, layout_blocks
from pipeline.extract.ocr_repair import repair_block_text, repair_word
from pipeline.extract.ocr_names import apply_fixes, name_fixes
from pipeline.extract.ocr_tones import tone_fixes
from pipeline.extract.ocr_uncovered import reread_uncovered
from pipeline.extract.ocr_tables import Grid, Rule, find_grids, find_rules, grid_rows, grids_from_rules  # noqa: F401 - re-exported
from pipeline.model import Block
from pipeline.settings import Settings

PAGE_TIMEOUT_S = 180
MIN_CONF = 0.0  # words Tesseract itself rejects (conf -1 are layout rows, not words)
MAX_PAGE_PIXELS = 60_000_000  # an A4 page at 300 dpi is 8.7 million; A0 is read at about 200 dpi
MIN_DPI = 70  # a page that would need less to fit MAX_PAGE_PIXELS is refused: its text is not legible
LOW_CONFIDENCE = 75.0  # a page read with less (0-100) is named in the record's warnings
ORIENTATION_CHECK_BELOW = 60.0  # a page read with less may be turned: ask Tesseract's OSD


@dataclass(frozen=True)
class OcrOptions:
    """How pages are read (the defaults were chosen with bench/ocr_cer.py)."""

    psm: str = "4"  # a single column of text of variable sizes: keeps each table row on one line
    drop_colour: bool = True
    deskew: bool = True
    remove_rules: bool = False  # measured: erasing a scanned table's rules leaves grey fringes read as junk (STT "1.1" -> "l s")
    orientation: bool = True
    repair: bool = True
    tones: bool = True  # unsure tone marks repaired from the dictionary (Viet74K's two-syllable words)
    reread_uncovered: bool = True  # ink no word covers (a name under a seal in a grey scan) read again
    tesseract_config: tuple[str, ...] = ()  # extra "-c name=value" settings


OPTIONS = OcrOptions()


@dataclass
class PageOcr:
    """One page read by OCR."""

    blocks: list[Block]
    confidence: float | None  # mean word confidence (0-100) weighted by length; None: no words
    words: int = 0
    dpi: float = 0.0
    skew: float = 0.0  # degrees the page image was turned to level its lines
    rotation: int = 0  # degrees a sideways or upside-down page was turned
    first: TextLine | None = None  # see PageLayout
    last: TextLine | None = None
    geo: Geometry | None = None
    lines: list[list[tuple[str, float]]] = field(default_factory=list)  # (word, confidence) per OCR line


@dataclass
class OcrResult:
    pages: dict[int, PageOcr] = field(default_factory=dict)
    warnings: list[dict] = field(default_factory=list)


@functools.lru_cache(maxsize=4)
def tesseract_langs(binary: str) -> frozenset[str]:
    try:
        out = subprocess.run([binary, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(s.strip() for s in out.stdout.splitlines()[1:] if s.strip())


def check_ocr_available(path: Path, lang: str) -> str:
    """The tesseract binary, or ExtractError("ocr_unavailable") naming the file."""
    binary = shutil.which(os.environ.get("VNPLAN_TESSERACT", "tesseract"))
    if binary is None:
        raise ExtractError(str(path), "ocr_unavailable", "the PDF has pages without text and Tesseract is not installed")
    missing = [lg for lg in lang.split("+") if lg not in tesseract_langs(binary)]
    if missing:
        raise ExtractError(str(path), "ocr_unavailable", f"the PDF has pages without text and Tesseract lacks language data {'+'.join(missing)!r}")
    return binary


def _tesseract(binary: str, args: list[str], image_pgm: bytes) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([binary, "stdin", "stdout", *args], input=image_pgm, capture_output=True,
                          timeout=PAGE_TIMEOUT_S, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[-300:])
    return proc.stdout.decode("utf-8", "replace")


def run_tesseract(binary: str, image_pgm: bytes, lang: str, dpi: int, options: OcrOptions = OPTIONS) -> str:
    config = [a for kv in options.tesseract_config for a in ("-c", kv)]
    return _tesseract(binary, ["-l", lang, "--psm", options.psm, "--dpi", str(int(dpi)), *config, "tsv"], image_pgm)


def osd_rotation(binary: str, image_pgm: bytes, dpi: float) -> int:
    """Degrees (0, 90, 180, 270) Tesseract's orientation detection says the page must be
    turned clockwise to stand upright; 0 when it is unsure or has no OSD data."""
    if "osd" not in tesseract_langs(binary):
        return 0
    try:
        out = _tesseract(binary, ["--psm", "0", "--dpi", str(int(dpi)), "-l", "osd"], image_pgm)
    except (RuntimeError, OSError, subprocess.SubprocessError):
        return 0  # too little text to tell
    rotate = re.search(r"Rotate:\s*(\d+)", out)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if not rotate or not conf or float(conf.group(1)) < 2.0:
        return 0
    return int(rotate.group(1)) % 360


def tsv_words(tsv: str, scale: float) -> list[dict]:
    """Tesseract TSV rows of words as pdfplumber-like word dicts in PDF points (with "conf")."""
    words = []
    reader = csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    for row in reader:
        # "|" is a table rule read as a letter; plans do not write it
        text = (row.get("text") or "").strip().strip("|¦").strip()
        if not text or row.get("level") != "5":
            continue
        try:
            conf = float(row["conf"])
            left, top, width, height = (float(row[k]) / scale for k in ("left", "top", "width", "height"))
        except (KeyError, TypeError, ValueError):
            continue
        if conf < MIN_CONF:
            continue
        words.append({"text": text, "x0": left, "x1": left + width, "top": top, "bottom": top + height,
                      "line_key": (row["block_num"], row["par_num"], row["line_num"]), "chars": [], "conf": conf})
    return words


def mean_confidence(words: list[dict]) -> float | None:
    """Word confidences weighted by word length: a long word misread counts more than "-"."""
    total = sum(len(w["text"]) for w in words if "conf" in w)
    if not total:
        return None
    return sum(w["conf"] * len(w["text"]) for w in words if "conf" in w) / total


@dataclass
class PageLayout:
    """A page's blocks, and what pdf.join_pages needs to mend a paragraph cut by the page
    break: the first and last text lines (when no table comes before or after them) and
    the page's margins."""

    blocks: list[Block]
    first: TextLine | None = None
    last: TextLine | None = None
    geo: Geometry | None = None


def page_layout(words: list[dict], page: int, grids: list[Grid] | None = None, height: float | None = None,
                repair: bool = False) -> PageLayout:
    """OCR words -> lines (Tesseract's own line grouping) and ruled tables -> blocks in
    reading order, as for a PDF with a text layer: page numbers in the margins dropped,
    paragraphs judged against the page's margins."""
    if repair:
        words = [dict(w, text=repair_word(w["text"])) for w in words]
    tables: list[tuple[float, list[list[str]]]] = []
    for g in grids or []:
        in_grid = [w for w in words if inside(w, g.bbox)]
        rows = grid_rows(g, in_grid)
        if rows:
            tables.append((g.bbox[1], rows))
            taken = {id(w) for w in in_grid}
            words = [w for w in words if id(w) not in taken]
    by_line: dict[tuple, list[dict]] = {}
    for w in words:
        by_line.setdefault(w["line_key"], []).append(w)
    lines = []
    for ws in by_line.values():
        ln = TextLine.from_words(ws)
        ln.size = max(6.0, (ln.bottom - ln.top) * 0.9)  # a font size estimate from the word boxes
        if height is None or not is_page_number(ln, height):
            lines.append(ln)
    lines.sort(key=lambda ln: (ln.top, ln.x0))
    geo = Geometry.of(lines) if lines else None
    tops = [t for t, _ in tables]
    first = lines[0] if lines and all(lines[0].top < t for t in tops) else None
    last = lines[-1] if lines and all(lines[-1].top >= t for t in tops) else None
    blocks = layout_blocks(lines, tables, page, geo)
    if repair:
        for b in blocks:
            if b.kind == "table":
                b.rows = [[repair_block_text(c) for c in row] for row in b.rows or []]
            else:
                b.text = repair_block_text(b.text)
    return PageLayout(blocks, first, last, geo)


def words_to_blocks(words: list[dict], page: int, grids: list[Grid] | None = None, repair: bool = False) -> list[Block]:
    """The blocks of page_layout."""
    return page_layout(words, page, grids, repair=repair).blocks


def pgm(gray) -> bytes:
    """A grey image as the PGM bytes Tesseract reads from stdin."""
    from PIL import Image

    buf = io.BytesIO()
    Image.fromarray(gray, "L").save(buf, format="PPM")
    return buf.getvalue()


def read_page_image(binary: str, image, dpi: float, page: int, lang: str, options: OcrOptions = OPTIONS) -> PageOcr:
    """One rendered page (RGB or grey array) cleaned, read and laid out."""
    import numpy as np

    gray = prep.ink_gray(image) if options.drop_colour else (image if image.ndim == 2 else image.mean(axis=2).astype(np.uint8))
    skew = 0.0
    if options.deskew:
        gray, skew = prep.deskew(gray, dpi)
    result = _read(binary, gray, dpi, page, lang, options)
    result.skew = skew
    if options.orientation and (result.confidence is None or result.confidence < ORIENTATION_CHECK_BELOW):
        rotation = osd_rotation(binary, pgm(gray), dpi)
        if rotation:
            # OSD's "Rotate: N" is clockwise; PIL turns counter-clockwise
            turned = np.ascontiguousarray(np.rot90(gray, k=-rotation // 90 % 4))
            if options.deskew:
                turned, skew = prep.deskew(turned, dpi)
            other = _read(binary, turned, dpi, page, lang, options)
            if (other.confidence or 0) > (result.confidence or 0):
                other.rotation, other.skew = rotation, skew
                result = other
    return result


def _read(binary: str, gray, dpi: float, page: int, lang: str, options: OcrOptions) -> PageOcr:
    import numpy as np

    scale = dpi / 72.0
    mask = np.zeros(gray.shape, dtype=bool) if options.remove_rules else None
    grids = grids_from_rules(*find_rules(gray, scale, mask))
    if mask is not None:
        gray = prep.erase(gray, mask)
    words = tsv_words(run_tesseract(binary, pgm(gray), lang, dpi, options), scale)
    if options.reread_uncovered:
        config = [a for kv in options.tesseract_config for a in ("-c", kv)]
        words += reread_uncovered(gray, dpi, words, scale, lambda crop: _tesseract(
            binary, ["-l", lang, "--psm", "6", "--dpi", str(int(dpi)), *config, "tsv"], pgm(crop)))
    lay = page_layout(words, page, grids, gray.shape[0] / scale, repair=options.repair)
    lines: dict[tuple, list[tuple[str, float]]] = {}
    for w in words:
        lines.setdefault(w["line_key"], []).append((repair_word(w["text"]) if options.repair else w["text"], w["conf"]))
    return PageOcr(blocks=lay.blocks, confidence=mean_confidence(words), words=len(words), dpi=dpi,
                   first=lay.first, last=lay.last, geo=lay.geo, lines=list(lines.values()))


def page_dpi(width_pt: float, height_pt: float, dpi: float, path: Path, pno: int) -> float:
    """The dpi to render a page at: the configured one, lowered so the page stays under
    MAX_PAGE_PIXELS; ExtractError("page_too_large") when even MIN_DPI would not fit."""
    inches = max(width_pt, 1.0) / 72.0 * max(height_pt, 1.0) / 72.0
    if inches * dpi * dpi <= MAX_PAGE_PIXELS:
        return float(dpi)
    fit = math.sqrt(MAX_PAGE_PIXELS / inches)
    if fit < MIN_DPI:
        raise ExtractError(str(path), "page_too_large",
                           f"page {pno} is {width_pt / 72:.0f} x {height_pt / 72:.0f} inches: OCR at {MIN_DPI} dpi would "
                           f"take {inches * MIN_DPI * MIN_DPI / 1e6:.0f} million pixels (limit {MAX_PAGE_PIXELS / 1e6:.0f} million)")
    return math.floor(fit)


def draw_forms(pdf) -> None:
    """Have pdfium draw the form layer, as a viewer and a printer do: a signing tool stamps
    the number and date into a signature field's appearance ("Số: 3070/KH-UBND", "ngày 09
    tháng 9"), which a page rendered without its forms lacks."""
    try:
        pdf.init_forms()
    except Exception:  # noqa: BLE001 - a broken form layer: the page is read without it
        pass


def _render(pdf, path: Path, pno: int, dpi: int):
    """Page `pno` (1-based) as an RGB array at its capped dpi."""
    import numpy as np

    page = pdf[pno - 1]
    try:
        width, height = page.get_size()
        use = page_dpi(width, height, dpi, path, pno)
        try:
            bitmap = page.render(scale=use / 72.0, rev_byteorder=True)  # RGB, no alpha
            return np.array(bitmap.to_numpy()[..., :3]), use
        except MemoryError as exc:
            raise ExtractError(str(path), "out_of_memory",
                               f"page {pno} ({width / 72:.0f} x {height / 72:.0f} inches at {use:.0f} dpi) does not fit in memory for OCR") from exc
    finally:
        page.close()


def ocr_pdf(path: Path, pages: list[int], settings: Settings, options: OcrOptions | None = None) -> OcrResult:
    """Each 1-based page number in `pages` read by OCR, with the document's OCR warnings."""
    import pypdfium2 as pdfium

    options = options or OPTIONS
    binary = check_ocr_available(path, settings.ocr_lang)
    workers = max(1, min(settings.ocr_page_threads(), os.cpu_count() or 1, len(pages)))
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ExtractError(str(path), "corrupt_pdf", f"the PDF could not be rendered for OCR: {exc}") from exc
    draw_forms(pdf)
    result = OcrResult()
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending: dict[int, Future] = {}
            for pno in pages:
                image, dpi = _render(pdf, path, pno, settings.ocr_dpi)
                pending[pno] = pool.submit(read_page_image, binary, image, dpi, pno, settings.ocr_lang, options)
                del image
                # at most 2 rendered pages per worker wait in memory
                while sum(not f.done() for f in pending.values()) >= 2 * workers:
                    next(f for f in pending.values() if not f.done()).exception()
            for pno, fut in pending.items():
                try:
                    result.pages[pno] = fut.result()
                except MemoryError as exc:
                    raise ExtractError(str(path), "out_of_memory", f"page {pno} does not fit in memory for OCR") from exc
                except ExtractError:
                    raise
                except Exception as exc:  # noqa: BLE001
                    raise ExtractError(str(path), "ocr_failed", f"Tesseract failed on page {pno}: {exc}") from exc
    finally:
        pdf.close()
    if options.repair:
        lines = [ln for r in result.pages.values() for ln in r.lines]
        fixes = {**tone_fixes(lines), **name_fixes(lines)} if options.tones else name_fixes(lines)
        for r in result.pages.values():
            apply_fixes(r.blocks, fixes)
    result.warnings = confidence_warnings(result.pages)
    return result


def confidence_warnings(pages: dict[int, PageOcr]) -> list[dict]:
    """The OCR confidence of each page, and the pages under LOW_CONFIDENCE named."""
    read = {p: r.confidence for p, r in sorted(pages.items())}
    if not read:
        return []
    per_page = ", ".join(f"p{p} {c:.0f}" if c is not None else f"p{p} no text" for p, c in read.items())
    out = [{"code": "ocr_confidence", "message": f"OCR confidence per page (0-100): {per_page}"}]
    low = [p for p, c in read.items() if c is not None and c < LOW_CONFIDENCE]
    if low:
        out.append({"code": "ocr_low_confidence",
                    "message": f"{len(low)} page(s) read by OCR with confidence under {LOW_CONFIDENCE:.0f}: "
                               + ", ".join(f"page {p} ({read[p]:.0f})" for p in low) + "; check their text"})
    return out


def ocr_pdf_pages(path: Path, pages: list[int], settings: Settings) -> dict[int, list[Block]]:
    """Blocks for each 1-based page number in `pages`, read by OCR (ocr_pdf without the warnings)."""
    return {p: r.blocks for p, r in ocr_pdf(path, pages, settings).pages.items()}
