"""Benchmark of issue 13: digital PDFs through `vnplan run` against raw pdfplumber and
pypdfium2 text, OCR pages/s per core, and Dask with 2 workers against 1 on an OCR batch.
All figures come from one run of this command; each measurement runs in its own process
(bench.run.measure). It prints figures and never asserts them.

    .venv/bin/python -m bench.speed                 # about 5-10 min on 2 cores
    .venv/bin/python -m bench.speed --no-render     # only the corpus's own PDF renditions
    .venv/bin/python -m bench.speed --ocr-copies 2  # a smaller OCR batch for Dask
    .venv/bin/python -m bench.speed --only dask --dask-runs 3   # the Dask comparison alone, 3 times

The digital PDFs are the corpus's renditions (corpus/plans, extra, extra2) plus, unless
--no-render, LibreOffice renditions of the unlabeled plans (made once, kept under
$VNPLAN_BENCH_DIR, default /tmp/vnplan-bench). `vnplan run` is timed as `run_batch` (the
flow the command calls) with the local runner and one thread, after a warm-up flow run
(Prefect's temporary server and the word lists are loaded once per command, not per
file). The OCR batch is one scanned rendition in --ocr-copies copies, each with a
different trailing comment (the same bytes twice would be processed once).
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from pathlib import Path

from bench.run import CORPUS, WORK, measure

SCAN = CORPUS / "plans" / "scans" / "laichau_ocop_2020_qd.pdf"


def digital_pdfs(render: bool) -> list[str]:
    out = sorted(str(p) for d in ("plans", "extra", "extra2") for p in (CORPUS / d).glob("*.pdf"))
    if render:
        out += [str(p) for p in rendered_unlabeled()]
    return out


def rendered_unlabeled() -> list[Path]:
    """PDFs of the unlabeled plans' texts (python-docx, then one LibreOffice call), cached."""
    from bench.synth import docx_to_pdf, write_docx

    src = sorted((CORPUS / "unlabeled").glob("*.txt"))
    folder = WORK / "renditions"
    pdfs = [folder / f"{p.stem}.pdf" for p in src]
    todo = [p for p, pdf in zip(src, pdfs) if not pdf.exists()]
    if todo:
        docx = [write_docx(p.read_text(encoding="utf-8"), folder / "docx" / f"{p.stem}.docx") for p in todo]
        docx_to_pdf(docx, folder)
    return [p for p in pdfs if p.exists()]


def ocr_batch(copies: int) -> list[str]:
    folder = WORK / "ocr-batch"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    data = SCAN.read_bytes()
    out = []
    for i in range(copies):
        p = folder / f"{SCAN.stem}_{i}.pdf"
        p.write_bytes(data + f"\n% copy {i}\n".encode())
        out.append(str(p))
    return out


def per_s(r: dict, what: str = "pages") -> float | None:
    return r[what] / r["seconds"] if "error" not in r and r.get("seconds") else None


def show(label: str, r: dict) -> None:
    if "error" in r:
        print(f"{label:46s} ERROR {r['error']}", flush=True)
        return
    print(f"{label:46s} {r['docs']:3d} docs {r['pages']:5d} pages in {r['seconds']:7.2f} s = "
          f"{r['pages'] / r['seconds']:7.1f} pages/s", flush=True)
    if r.get("errors"):  # a flow run: its figures mean nothing if files failed
        print(f"{'':46s} {r['errors']} of {r['docs']} files FAILED (see the run's errors.json)", flush=True)


def faster(best: dict, r: dict) -> dict:
    """The run with the shorter time (a failed run never counts)."""
    if "error" in r or r.get("errors"):
        return best
    return r if "error" in best or r["seconds"] < best["seconds"] else best


def show_cpu(r: dict) -> None:
    """CPU seconds of the run's whole process tree, and how many cores it kept busy on average."""
    if "error" not in r and r.get("cpu_seconds") is not None and r["seconds"]:
        print(f"{'':46s} CPU {r['cpu_seconds']:7.1f} s = {r['cpu_seconds'] / r['seconds']:.2f} CPU-s per wall-s; "
              f"{r['pages'] / r['cpu_seconds']:.2f} pages per CPU-s", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-render", action="store_true", help="only the corpus's own PDF renditions")
    ap.add_argument("--ocr-copies", type=int, default=4, help="copies of a 7-page scan in the Dask OCR batch")
    ap.add_argument("--only", default="digital,ocr,dask", help="comma-separated parts: digital, ocr, dask")
    ap.add_argument("--dask-runs", type=int, default=1, help="Dask runs with 1 and 2 workers, in turn; the best kept")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    only = set(args.only.split(","))
    pdfs = digital_pdfs(not args.no_render) if "digital" in only else []
    scans = sorted(str(p) for p in (CORPUS / "plans" / "scans").glob("*.pdf"))
    batch = ocr_batch(args.ocr_copies)
    print(f"{len(pdfs)} digital PDFs, {len(scans)} scans, OCR batch {len(batch)} files; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)

    skipped = {"error": "not measured (--only)"}
    raw = pdfium = run = ocr = dask1 = dask2 = skipped
    if "digital" in only:
        raw = measure("raw", paths=pdfs)
        show("raw pdfplumber extract_text", raw)
        pdfium = measure("raw_pdfium", paths=pdfs)
        show("raw pypdfium2 text", pdfium)
        run = measure("prefect", paths=pdfs, runner="local", tag="speed-run", workers=1)
        show("vnplan run (run_batch, local runner, 1 thread)", run)
    if "ocr" in only:
        ocr = measure("ocr_cpu", paths=scans)
        show("OCR of scanned renditions (extract)", ocr)
    if "dask" in only:
        for i in range(args.dask_runs):  # 1 and 2 workers in turn: both see the machine's load alike
            d1 = measure("prefect", paths=batch, runner="dask", tag="speed-dask1", workers=1)
            show("OCR batch, vnplan run on Dask, 1 worker", d1)
            show_cpu(d1)
            d2 = measure("prefect", paths=batch, runner="dask", tag="speed-dask2", workers=2)
            show("OCR batch, vnplan run on Dask, 2 workers", d2)
            show_cpu(d2)
            dask1, dask2 = faster(dask1, d1), faster(dask2, d2)
        if args.dask_runs > 1:
            print(f"  best of {args.dask_runs}: 1 worker {dask1.get('seconds', 0):.1f} s, "
                  f"2 workers {dask2.get('seconds', 0):.1f} s", flush=True)

    print("\nGoals of issue 13 (one run):")

    def goal(text: str, value: float | None, target: str, met: bool | None) -> None:
        shown = "n/a" if value is None else f"{value:.2f}"
        print(f"  {text:58s} {shown:>8s}  goal {target:8s} {'' if met is None else ('met' if met else 'MISSED')}")

    if "digital" in only:
        v = per_s(run)
        goal("vnplan run, digital pages/s (1 thread)", v, ">= 40", None if v is None else v >= 40)
        ratio = run["seconds"] / raw["seconds"] if v and per_s(raw) else None
        goal("vnplan run time / raw pdfplumber extract_text time", ratio, "<= 1.0", None if ratio is None else ratio <= 1.0)
        ratio = run["seconds"] / pdfium["seconds"] if v and per_s(pdfium) else None
        goal("vnplan run time / raw pypdfium2 text time", ratio, "(info)", None)
        ratio = raw["seconds"] / pdfium["seconds"] if per_s(raw) and per_s(pdfium) else None
        goal("raw pdfplumber time / raw pypdfium2 time", ratio, "(info)", None)
    if "error" not in ocr and ocr["seconds"]:
        goal("OCR pages/s (wall)", ocr["pages"] / ocr["seconds"], "(info)", None)
        per_core = ocr["pages"] / max(ocr["cpu_seconds"], 1e-9)
        goal("OCR pages per CPU-second (per core)", per_core, ">= 0.4", per_core >= 0.4)
    if "error" not in dask1 and "error" not in dask2:
        v = dask1["seconds"] / dask2["seconds"]
        goal("Dask OCR batch: 2 workers vs 1 (cluster start included)", v, ">= 1.6", v >= 1.6)
        if dask1.get("cpu_seconds") and dask2.get("cpu_seconds"):
            goal("Dask OCR batch: CPU seconds, 2 workers / 1 worker", dask2["cpu_seconds"] / dask1["cpu_seconds"],
                 "(info)", None)
    print(f"total {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
