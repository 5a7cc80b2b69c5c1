"""OCR for PDF pages without a text layer: pypdfium2 renders, Tesseract reads.

Tesseract runs as a subprocess per page (TSV output: words with boxes), one thread per
core with OpenMP off, which beats one multi-threaded Tesseract on these machines.
The words are laid out into lines and paragraphs by the same geometry as text PDFs
(pipeline.extract.layout), so a wide gap (header columns, table cells) comes out as a tab.
"""
from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pipeline.extract.errors import ExtractError
from pipeline.extract.layout import TextLine, inside, layout_blocks
from pipeline.model import Block
from pipeline.settings import Settings

PSM = "4"  # a single column of text of variable sizes: keeps each table row on one line
PAGE_TIMEOUT_S = 180
MIN_CONF = 0.0  # words Tesseract itself rejects (conf -1 are layout rows, not words)


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


def run_tesseract(binary: str, image_pgm: bytes, lang: str, dpi: int) -> str:
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    proc = subprocess.run([binary, "stdin", "stdout", "-l", lang, "--psm", PSM, "--dpi", str(dpi), "tsv"],
                          input=image_pgm, capture_output=True, timeout=PAGE_TIMEOUT_S, env=env)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr.decode("utf-8", "replace").strip()[-300:])
    return proc.stdout.decode("utf-8", "replace")


def tsv_words(tsv: str, scale: float) -> list[dict]:
    """Tesseract TSV rows of words as pdfplumber-like word dicts in PDF points."""
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
                      "line_key": (row["block_num"], row["par_num"], row["line_num"]), "chars": []})
    return words


def words_to_blocks(words: list[dict], page: int, grids: list[Grid] | None = None) -> list[Block]:
    """OCR words -> lines (Tesseract's own line grouping) and ruled tables -> blocks in
    reading order, as for a PDF with a text layer."""
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
        lines.append(ln)
    # no page geometry: each column segment measures its own margins
    return layout_blocks(lines, tables, page)


@dataclass
class Rule:
    """A ruling line found in the page image, in PDF points."""

    pos: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


@dataclass
class Grid:
    """A ruled table: its horizontal and vertical rules."""

    h: list[Rule]
    v: list[Rule]

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        return (min(r.pos for r in self.v), min(r.pos for r in self.h), max(r.pos for r in self.v), max(r.pos for r in self.h))


def _rules(dark, axis: int, min_len: int, scale: float) -> list[Rule]:
    """Straight dark runs at least `min_len` pixels long along `axis` (1: horizontal)."""
    import numpy as np

    d = dark if axis == 1 else dark.T
    c = np.zeros((d.shape[0], d.shape[1] + 1), dtype=np.int32)
    np.cumsum(d, axis=1, out=c[:, 1:])
    full = (c[:, min_len:] - c[:, :-min_len]) >= int(0.95 * min_len)
    rows = np.flatnonzero(full.any(axis=1))
    rules: list[Rule] = []
    group: list[int] = []

    def flush() -> None:
        if group:
            xs = np.flatnonzero(full[group].any(axis=0))
            rules.append(Rule(pos=float(np.mean(group)) / scale, start=float(xs.min()) / scale,
                              end=float(xs.max() + min_len) / scale))
            group.clear()

    for r in rows:
        if group and r - group[-1] > 2:
            flush()
        group.append(int(r))
    flush()
    return rules


def find_grids(gray, scale: float) -> list[Grid]:
    """Ruled tables in a page image: horizontal rules whose spans overlap, with at least
    two vertical rules between them. Coordinates in PDF points."""
    import numpy as np

    dark = np.asarray(gray) < 140
    h_rules = _rules(dark, 1, max(30, dark.shape[1] // 25), scale)
    v_rules = _rules(dark, 0, max(30, dark.shape[0] // 60), scale)
    grids: list[Grid] = []
    for r in sorted(h_rules, key=lambda r: r.pos):
        for g in grids:
            last = g.h[-1]
            if min(r.end, last.end) - max(r.start, last.start) > 0.5 * min(r.end - r.start, last.end - last.start) \
                    and any(v.start - 3 <= last.pos and v.end + 3 >= r.pos for v in v_rules if r.start - 3 <= v.pos <= r.end + 3):
                g.h.append(r)
                break
        else:
            grids.append(Grid(h=[r], v=[]))
    out = []
    for g in grids:
        if len(g.h) < 2:
            continue
        top, bottom = g.h[0].pos, g.h[-1].pos
        left, right = min(r.start for r in g.h), max(r.end for r in g.h)
        g.v = _merge_close([v for v in v_rules if left - 5 <= v.pos <= right + 5 and v.end > top + 2 and v.start < bottom - 2])
        g.h = _merge_close(g.h)
        if len(g.v) >= 3:  # at least two columns
            out.append(g)
    return out


def _merge_close(rules: list[Rule], tol: float = 3.0) -> list[Rule]:
    out: list[Rule] = []
    for r in sorted(rules, key=lambda r: r.pos):
        if out and r.pos - out[-1].pos <= tol:
            out[-1] = Rule(out[-1].pos, min(out[-1].start, r.start), max(out[-1].end, r.end))
        else:
            out.append(r)
    return out


def grid_rows(grid: Grid, words: list[dict]) -> list[list[str]]:
    """The words inside a grid as rows of cells; a merged cell's text goes to its first
    grid cell (the rule that would split it is missing there), the rest stay ""."""
    hs, vs = grid.h, grid.v
    cells: dict[tuple[int, int], list[dict]] = {}
    for w in words:
        cx, cy = (w["x0"] + w["x1"]) / 2, (w["top"] + w["bottom"]) / 2
        col = _band(vs, cx, lambda r: r.start - 3 <= cy <= r.end + 3)
        row = _band(hs, cy, lambda r: r.start - 3 <= cx <= r.end + 3)
        if col is not None and row is not None:
            cells.setdefault((row, col), []).append(w)
    rows = [["" for _ in range(len(vs) - 1)] for _ in range(len(hs) - 1)]
    for (r, c), ws in cells.items():
        rows[r][c] = _cell_text(ws)
    return [row for row in rows if any(row)]


def _band(rules: list[Rule], at: float, crosses) -> int | None:
    """Index of the band (between consecutive rules) holding `at`, moved to the first band
    of a merged span: rules that do not cross the word's position do not split."""
    if not (rules[0].pos <= at <= rules[-1].pos):
        return None
    i = max(k for k, r in enumerate(rules[:-1]) if r.pos <= at)
    while i > 0 and not crosses(rules[i]):
        i -= 1
    return i


def _cell_text(words: list[dict]) -> str:
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: w["top"]):
        if lines and w["top"] < lines[-1][0]["top"] + 0.5 * (lines[-1][0]["bottom"] - lines[-1][0]["top"]):
            lines[-1].append(w)
        else:
            lines.append([w])
    return "\n".join(" ".join(x["text"] for x in sorted(ln, key=lambda w: w["x0"])) for ln in lines)


def ocr_pdf_pages(path: Path, pages: list[int], settings: Settings) -> dict[int, list[Block]]:
    """Blocks for each 1-based page number in `pages`, read by OCR."""
    import pypdfium2 as pdfium

    binary = check_ocr_available(path, settings.ocr_lang)
    scale = settings.ocr_dpi / 72.0
    results: dict[int, list[Block]] = {}
    workers = max(1, min(settings.workers, os.cpu_count() or 1, len(pages)))
    try:
        pdf = pdfium.PdfDocument(str(path))
    except Exception as exc:  # noqa: BLE001
        raise ExtractError(str(path), "corrupt_pdf", f"the PDF could not be rendered for OCR: {exc}") from exc
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            pending = {}
            grids: dict[int, list[Grid]] = {}
            for pno in pages:
                # pdfium is not thread-safe: render here, OCR in the pool; at most
                # 2 images per worker wait in memory
                image = pdf[pno - 1].render(scale=scale, grayscale=True).to_pil()
                buf = io.BytesIO()
                image.save(buf, format="PPM")
                grids[pno] = find_grids(image, scale)
                pending[pno] = pool.submit(run_tesseract, binary, buf.getvalue(), settings.ocr_lang, settings.ocr_dpi)
                if len([f for f in pending.values() if not f.done()]) >= 2 * workers:
                    next(f for f in pending.values() if not f.done()).result()
            for pno, fut in pending.items():
                try:
                    tsv = fut.result()
                except Exception as exc:  # noqa: BLE001
                    raise ExtractError(str(path), "ocr_failed", f"Tesseract failed on page {pno}: {exc}") from exc
                results[pno] = words_to_blocks(tsv_words(tsv, scale), pno, grids.get(pno))
    finally:
        pdf.close()
    return results
