"""Scanned renditions against text renditions: the scored facts (mean F1 against the gold)
of each gold document read from a scan, beside the same document read from its text.

Scans: the corpus's own (corpus/plans/scans) and scans made here (bench/ocr_scans.py) of
every gold document that has a digital PDF, at the given dpi and look. Each rendition
is built by the pipeline (pipeline.build.build_record) and scored alone with the
project's scorer (vnplan.scoring, the same as `vnplan evaluate`). The gap is text F1
minus scan F1; the goal is a gap of at most 0.05 on every document.

    .venv/bin/python -m bench.ocr_records                        # 200 dpi, clean look
    .venv/bin/python -m bench.ocr_records --dpi 300 --look stamp
    .venv/bin/python -m bench.ocr_records --only krongno_ocop_2021_kh83 -v
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.ocr_cer import cpu_seconds, page_count  # noqa: E402
from bench.ocr_scans import LOOKS, make_scan_pdf  # noqa: E402

GOLD = ROOT / "corpus" / "gold"
DIRS = [ROOT / "corpus" / d for d in ("plans", "extra", "extra2")]


def gold_documents(only: list[str] | None) -> list[tuple[str, Path, Path]]:
    """(stem, txt, digital pdf) of every gold document that has both."""
    out = []
    for g in sorted(GOLD.glob("*.gold.json")):
        stem = Path(json.loads(g.read_text(encoding="utf-8"))["source"]).stem
        for d in DIRS:
            txt, pdf = d / f"{stem}.txt", d / f"{stem}.pdf"
            if txt.exists() and pdf.exists() and (not only or stem in only):
                out.append((stem, txt, pdf))
    return out


def score_one(record: dict, work: Path, verbose: bool) -> float:
    from vnplan.scoring import score

    d = Path(tempfile.mkdtemp(dir=work))
    (d / "r.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    res, log = score(GOLD, d, only_present=True)
    if verbose:
        print("\n".join(f"      {ln}" for ln in log if ln.startswith("  ")))
    return res["mean_f1"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dpi", type=int, default=200, help="resolution of the made scans (default 200)")
    ap.add_argument("--look", default="clean", choices=LOOKS, help="look of the made scans (default clean)")
    ap.add_argument("--only", nargs="*", help="document stems")
    ap.add_argument("--no-corpus-scans", action="store_true", help="skip corpus/plans/scans")
    ap.add_argument("-v", "--verbose", action="store_true", help="print each mismatch")
    ap.add_argument("--save", type=Path, help="keep the records here (<stem>.txt.json, <stem>.scan.json)")
    args = ap.parse_args(argv)

    from pipeline.build import build_record

    work = Path(tempfile.mkdtemp(prefix="vnplan_ocr_records_"))
    (work / "scans").mkdir()
    jobs: list[tuple[str, str, Path, Path]] = []  # (stem, label, txt, scan)
    if not args.no_corpus_scans:
        for scan in sorted((ROOT / "corpus" / "plans" / "scans").glob("*.pdf")):
            txt = ROOT / "corpus" / "plans" / f"{scan.stem}.txt"
            if (GOLD / f"{scan.stem}.gold.json").exists() and (not args.only or scan.stem in args.only):
                jobs.append((scan.stem, "corpus scan", txt, scan))
    for stem, txt, pdf in gold_documents(args.only):
        scan = work / "scans" / f"{stem}.pdf"
        make_scan_pdf([(pdf, i) for i in range(page_count(pdf))], args.dpi, args.look, scan)
        jobs.append((stem, f"{args.dpi} dpi {args.look}", txt, scan))

    gaps: list[float] = []
    pages, ocr_wall, ocr_cpu = 0, 0.0, 0.0
    print(f"{'document':<52} {'scan':<16} {'txt F1':>7} {'scan F1':>8} {'gap':>7}")
    for stem, label, txt, scan in jobs:
        txt_rec = build_record(txt)
        f_txt = score_one(txt_rec, work, args.verbose)
        t0, c0 = time.perf_counter(), cpu_seconds()
        rec = build_record(scan)
        ocr_wall += time.perf_counter() - t0
        ocr_cpu += cpu_seconds() - c0
        pages += rec["source"].get("pages") or 0
        f_scan = score_one(rec, work, args.verbose)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            tag = "corpus" if label == "corpus scan" else "made"
            (args.save / f"{stem}.txt.json").write_text(json.dumps(txt_rec, ensure_ascii=False, indent=1), encoding="utf-8")
            (args.save / f"{stem}.{tag}.scan.json").write_text(json.dumps(rec, ensure_ascii=False, indent=1), encoding="utf-8")
        gaps.append(f_txt - f_scan)
        low = [w["message"] for w in rec.get("warnings", []) if w["code"] == "ocr_low_confidence"]
        flag = "  > 0.05" if f_txt - f_scan > 0.05 else ""
        print(f"{stem[:52]:<52} {label:<16} {f_txt:7.3f} {f_scan:8.3f} {f_txt - f_scan:+7.3f}{flag}"
              + (f"  [{low[0]}]" if low else ""), flush=True)
    if gaps:
        print(f"\n{len(gaps)} scans: mean gap {sum(gaps) / len(gaps):+.3f}, largest {max(gaps):+.3f}, "
              f"{sum(g > 0.05 for g in gaps)} over 0.05")
        print(f"build of the scans: {pages} pages in {ocr_wall:.0f} s wall, {ocr_cpu:.0f} CPU-s = "
              f"{pages / ocr_cpu:.2f} pages/s per core (OCR and parsing)")
    for f in sorted(work.rglob("*"), reverse=True):
        f.unlink() if f.is_file() else f.rmdir()
    work.rmdir()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
