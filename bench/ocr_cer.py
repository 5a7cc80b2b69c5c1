"""OCR quality benchmark: character and word error rates of the pipeline's OCR, by class
(letters, tone and vowel marks alone, digits), per page and overall, with pages/s.

Pages read: the scanned renditions of the corpus (corpus/plans/scans/*.pdf, against the
text layer of the digital PDF they were made from), and scans made here from the digital
PDFs of the corpus at 150, 200 and 300 dpi in five looks (bench/ocr_scans.py: clean,
skew, noise, stamp + signature, photocopy). Each scan is an image-only PDF read by the
pipeline's own OCR (pipeline.extract.ocr: render at the configured dpi, preprocess,
Tesseract, layout); its text is compared with the PDF's own text layer (pypdfium2) after
the same normalization (bench/ocr_metrics.py).

    .venv/bin/python -m bench.ocr_cer                 # a sample: 2 pages per dpi and look, 4 corpus scan pages
    .venv/bin/python -m bench.ocr_cer --pages 6       # more pages per dpi and look
    .venv/bin/python -m bench.ocr_cer --all           # every page of every PDF, every dpi and look (hours)
    .venv/bin/python -m bench.ocr_cer --dpi 200 --look clean stamp --lang vie --workers 1

Speed: pages/s is wall-clock with the given workers; pages per CPU-second counts the CPU
time of this process and of its Tesseract children, i.e. pages/s per core whatever else
the machine runs.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ocr_metrics import Counts, compare  # noqa: E402
from bench.ocr_scans import LOOKS, make_scan_pdf  # noqa: E402

DPIS = (150, 200, 300)
SOURCES = [*sorted((ROOT / "corpus" / "plans").glob("*.pdf")), *sorted((ROOT / "corpus" / "extra").glob("*.pdf")),
]
# not corpus/extra2/30_bimson: its text layer repeats the text of cells spanning pages of a
# frame table, so it is no reference for what the page shows
SCANS = sorted((ROOT / "corpus" / "plans" / "scans").glob("*.pdf"))


@dataclass
class PageRow:
    group: str  # "corpus scan" or "<dpi> dpi <look>"
    source: str
    page: int  # 1-based
    counts: Counts
    conf: float | None = None


def reference_text(pdf_path: Path, index: int) -> str:
    """The page's own text layer in the pipeline's reading order: pdfplumber words and
    ruled tables laid out by pipeline.extract.layout, as for any digital PDF (pdfium's
    raw text puts the accented letters of fallback fonts at the end of each line)."""
    import pdfplumber
    from pdfplumber.utils import cluster_objects

    from pipeline.extract.layout import TextLine, inside, layout_blocks

    with pdfplumber.open(str(pdf_path)) as pdf:
        page = pdf.pages[index].dedupe_chars()  # text drawn twice (fake bold) counts once
        tables = [(t.bbox, [[c or "" for c in r] for r in t.extract()]) for t in page.find_tables()] \
            if page.rects or page.lines else []
        words = [w for w in page.extract_words(return_chars=True) if not any(inside(w, b) for b, _ in tables)]
        lines = sorted((TextLine.from_words(c) for c in cluster_objects(words, lambda w: w["top"], 3)),
                       key=lambda ln: (ln.top, ln.x0)) if words else []
        return blocks_text(layout_blocks(lines, [(b[1], rows) for b, rows in tables], index + 1))


def page_count(pdf_path: Path) -> int:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(pdf_path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def blocks_text(blocks) -> str:
    """Paragraphs and table cells in reading order, as the parsers get them."""
    parts = []
    for b in blocks:
        if b.kind == "table":
            parts.extend(c for row in b.rows or [] for c in row if c)
        else:
            parts.append(b.text)
    return "\n".join(parts)


def ocr_pages(path: Path, pages: list[int], settings) -> dict[int, tuple[str, float | None]]:
    """Text (and mean word confidence, where the OCR module reports it) of 1-based pages."""
    from pipeline.extract import ocr

    if hasattr(ocr, "ocr_pdf"):
        res = ocr.ocr_pdf(path, pages, settings)
        return {p: (blocks_text(r.blocks), r.confidence) for p, r in res.pages.items()}
    return {p: (blocks_text(b), None) for p, b in ocr.ocr_pdf_pages(path, pages, settings).items()}


def sample(n_per_group: int, all_pages: bool) -> list[tuple[Path, int]]:
    """(pdf, 0-based page) in a fixed order that walks through the documents in turn, so a
    short sample covers several documents, first pages (headers) and later ones (tables)."""
    per_doc = {p: list(range(page_count(p))) for p in SOURCES}
    order: list[tuple[Path, int]] = []
    k = 0
    while any(per_doc.values()):
        for p, idx in per_doc.items():
            if idx:
                # alternate first pages and pages from the middle
                order.append((p, idx.pop(0 if k % 2 == 0 else len(idx) // 2)))
        k += 1
    return order if all_pages else order


def cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


DUMP: Path | None = None


def run_group(name: str, scan: Path, refs: list[tuple[Path, int]], settings, rows: list[PageRow]) -> tuple[int, float, float]:
    t0, c0 = time.perf_counter(), cpu_seconds()
    got = ocr_pages(scan, list(range(1, len(refs) + 1)), settings)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    for i, (src, index) in enumerate(refs, 1):
        text, conf = got.get(i, ("", None))
        ref = reference_text(src, index)
        row = PageRow(name, src.stem, index + 1, compare(ref, text), conf)
        if DUMP:
            stem = f"{name.replace(' ', '_')}__{src.stem[:40]}__p{index + 1}"
            (DUMP / f"{stem}.ref.txt").write_text(ref, encoding="utf-8")
            (DUMP / f"{stem}.ocr.txt").write_text(text, encoding="utf-8")
        rows.append(row)
        print_row(row)
    return len(refs), wall, cpu


def pct(x: float) -> str:
    return f"{100 * x:6.2f}%"


def print_row(r: PageRow) -> None:
    c = r.counts
    conf = f"{r.conf:5.1f}" if r.conf is not None else "    -"
    print(f"  {r.group:<20} {r.source[:44]:<44} p{r.page:<3} chars {c.n_chars:5d}  CER {pct(c.rate('chars'))}"
          f"  letters {pct(c.rate('letters'))}  marks {pct(c.rate('marks'))}  digits {pct(c.rate('digits'))}"
          f"  WER {pct(c.rate('words'))}  conf {conf}", flush=True)


def summary(title: str, rows: list[PageRow]) -> None:
    if not rows:
        return
    total = Counts()
    for r in rows:
        total = total + r.counts
    print(f"{title:<28} pages {len(rows):4d}  CER {pct(total.rate('chars'))}  letters {pct(total.rate('letters'))}"
          f"  marks {pct(total.rate('marks'))}  digits {pct(total.rate('digits'))}  WER {pct(total.rate('words'))}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pages", type=int, default=2, help="pages per dpi and look (default 2)")
    ap.add_argument("--all", action="store_true", help="every page of every PDF at every dpi and look")
    ap.add_argument("--dpi", type=int, nargs="*", default=list(DPIS), help="scan resolutions (default 150 200 300)")
    ap.add_argument("--look", nargs="*", default=list(LOOKS), choices=LOOKS, help="scan looks (default all)")
    ap.add_argument("--corpus-scans", type=int, default=2, help="pages per corpus scan (default 2; 0: none)")
    ap.add_argument("--lang", default=None, help="Tesseract language (default: the pipeline's setting)")
    ap.add_argument("--ocr-dpi", type=int, default=None, help="render dpi for OCR (default: the pipeline's setting)")
    ap.add_argument("--workers", type=int, default=None, help="pages OCR'd in parallel (default: the pipeline's setting)")
    ap.add_argument("--set", nargs="*", default=[], metavar="NAME=VALUE",
                    help="OCR options to try (pipeline.extract.ocr.OcrOptions), e.g. psm=6 deskew=0 "
                         "tesseract_config=thresholding_method=2")
    ap.add_argument("--keep", type=Path, default=None, help="keep the scans made in this folder")
    ap.add_argument("--dump", type=Path, default=None, help="write each page's reference and OCR text here")
    args = ap.parse_args(argv)

    from pipeline.settings import Settings

    settings = Settings()
    for key, val in (("ocr_lang", args.lang), ("ocr_dpi", args.ocr_dpi), ("workers", args.workers)):
        if val is not None:
            settings = replace(settings, **{key: val})
    if args.set:
        from pipeline.extract import ocr

        ocr.OPTIONS = replace(ocr.OPTIONS, **dict(_option(kv) for kv in args.set))
        print(f"options: {ocr.OPTIONS}")
    print(f"OCR: lang {settings.ocr_lang}, render {settings.ocr_dpi} dpi, {settings.workers} workers, "
          f"{os.cpu_count()} cores; tessdata {os.environ.get('TESSDATA_PREFIX', 'default')}")
    global DUMP
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
        DUMP = args.dump
    order = sample(args.pages, args.all)
    rows: list[PageRow] = []
    pages = 0
    wall = cpu = 0.0
    work = args.keep or Path(tempfile.mkdtemp(prefix="vnplan_ocr_cer_"))
    work.mkdir(parents=True, exist_ok=True)
    pos = 0
    try:
        for scan in SCANS if args.corpus_scans else []:
            src = ROOT / "corpus" / "plans" / scan.name
            n = page_count(scan)
            picks = list(range(n)) if args.all else sorted({0, n // 2, n - 1})[: args.corpus_scans]
            # the corpus scan's own pages: copy the picked pages into a PDF of their own
            sub = work / f"corpus_{scan.stem}.pdf"
            _subset(scan, picks, sub)
            k, w, c = run_group("corpus scan", sub, [(src, i) for i in picks], settings, rows)
            pages, wall, cpu = pages + k, wall + w, cpu + c
        for dpi in args.dpi:
            for look in args.look:
                refs = order if args.all else [order[(pos + i) % len(order)] for i in range(args.pages)]
                pos += 0 if args.all else args.pages
                scan = make_scan_pdf(refs, dpi, look, work / f"scan_{dpi}_{look}.pdf")
                k, w, c = run_group(f"{dpi} dpi {look}", scan, refs, settings, rows)
                pages, wall, cpu = pages + k, wall + w, cpu + c
    finally:
        if args.keep is None:
            for f in work.glob("*.pdf"):
                f.unlink()
            work.rmdir()
    print()
    summary("corpus scans", [r for r in rows if r.group == "corpus scan"])
    for dpi in args.dpi:
        summary(f"{dpi} dpi, all looks", [r for r in rows if r.group.startswith(f"{dpi} dpi")])
    for look in args.look:
        summary(f"look {look}, all dpi", [r for r in rows if r.group.endswith(f" {look}")])
    summary("200+300 dpi made scans", [r for r in rows if r.group.startswith(("200 dpi", "300 dpi"))])
    summary("overall", rows)
    confs = [r.conf for r in rows if r.conf is not None]
    if confs:
        print(f"mean word confidence {sum(confs) / len(confs):.1f}")
    print(f"speed: {pages} pages in {wall:.1f} s wall = {pages / wall:.2f} pages/s with {settings.workers} workers; "
          f"{cpu:.1f} CPU-s = {pages / cpu:.2f} pages/s per core")
    return 0


def _option(kv: str) -> tuple[str, object]:
    name, _, value = kv.partition("=")
    if name == "tesseract_config":
        return name, tuple(v for v in value.split(",") if v)
    if name == "psm":
        return name, value
    return name, value.lower() not in ("0", "false", "no", "")


def _subset(src: Path, indexes: list[int], out: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(src))
    new = pdfium.PdfDocument.new()
    try:
        new.import_pages(pdf, indexes)
        new.save(str(out))
    finally:
        new.close()
        pdf.close()


if __name__ == "__main__":
    raise SystemExit(main())
