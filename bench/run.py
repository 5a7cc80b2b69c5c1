"""Benchmark of issue 8: throughput, Prefect and Dask overhead, incremental runs, OCR speed,
memory on a long PDF, and the watcher's latency. Prints figures; never asserts timings.

Each measurement runs in its own Python process, so its peak memory is its own: `rss`
is the process's peak resident set (getrusage), `tree` the sampled peak of the process
and everything it started (Prefect's temporary server, Dask workers).

    .venv/bin/python -m bench.run            # everything (about 20-40 min on 2 cores)
    .venv/bin/python -m bench.run --quick    # a subset on small corpora (a few minutes)
    .venv/bin/python -m bench.run --only a,b,g --profile b

Measurements: a raw pdfplumber text, b build_record loop, c Prefect local (run_batch; c1 the
same with one worker thread),
d Prefect on Dask (2 workers), e second run over the unchanged corpus, f OCR pages/s,
g peak memory on a 500-page PDF, h watcher latency for a 20-page plan, t txt corpus.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
WORK = Path(os.environ.get("VNPLAN_BENCH_DIR", "/tmp/vnplan-bench"))


# -- inside a measurement process -----------------------------------------------------------

def _pages(paths: list[str]) -> int:
    from bench.synth import pdf_pages

    return sum(pdf_pages(Path(p)) for p in paths if p.endswith(".pdf"))


def _warm() -> float:
    """Load the parsers' word lists and models once (not counted as document time)."""
    from pipeline.build import build_record

    t = time.perf_counter()
    build_record(CORPUS / "plans" / "krongno_ocop_2021_kh83.txt")
    return time.perf_counter() - t


def m_raw(paths: list[str]) -> dict:
    import pdfplumber

    t = time.perf_counter()
    chars = pages = 0
    for p in paths:
        with pdfplumber.open(p) as pdf:
            for page in pdf.pages:
                chars += len(page.extract_text() or "")
                pages += 1
                page.close()
    return {"seconds": time.perf_counter() - t, "docs": len(paths), "pages": pages, "chars": chars}


def m_build(paths: list[str], profile: bool = False) -> dict:
    from pipeline.build import build_record

    warm = _warm()
    prof = None
    if profile:
        import cProfile

        prof = cProfile.Profile()
        prof.enable()
    t = time.perf_counter()
    errors = 0
    for p in paths:
        try:
            build_record(p)
        except Exception:  # noqa: BLE001 - counted, the benchmark goes on
            errors += 1
    seconds = time.perf_counter() - t
    out = {"seconds": seconds, "docs": len(paths), "pages": _pages(paths), "errors": errors, "warm_up": warm}
    if prof:
        prof.disable()
        out["profile"] = _hot_spots(prof)
    return out


def _hot_spots(prof, n: int = 25) -> list[str]:
    import io
    import pstats

    buf = io.StringIO()
    stats = pstats.Stats(prof, stream=buf)
    stats.sort_stats("tottime").print_stats(n)
    lines = [ln for ln in buf.getvalue().splitlines() if ln.strip() and ("/" in ln or "{" in ln)]
    return [ln.replace(str(ROOT) + "/", "") for ln in lines[:n]]


def _folder_of(paths: list[str], name: str) -> Path:
    """A folder holding exactly these files (the flows take folders): hard links, or copies
    across file systems. Not symbolic links: the flow refuses a link pointing outside its
    input folder (link_outside_input)."""
    folder = WORK / "inputs" / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for p in paths:
        target = folder / Path(p).name
        try:
            os.link(Path(p).resolve(), target)
        except OSError:
            shutil.copyfile(p, target)
    return folder


def tree_cpu() -> float:
    """CPU seconds used so far by this process, the children it has waited for, and every
    descendant still running (with the children each of them has waited for): Dask workers,
    their Tesseract calls, Prefect's server. The difference over a run is the run's CPU."""
    import psutil

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime
    for p in psutil.Process().children(recursive=True):
        try:
            t = p.cpu_times()
            total += t.user + t.system + t.children_user + t.children_system
        except psutil.Error:
            pass  # ended between the listing and the reading
    return total


def m_prefect(paths: list[str], runner: str, tag: str, workers: int = 2) -> dict:
    """(c)/(d) one flow run over the documents after a warm-up run; then (e) a second run."""
    os.environ["VNPLAN_TASK_RUNNER"] = "local"
    os.environ["VNPLAN_WORKERS"] = str(workers)
    os.environ["VNPLAN_THREADS"] = str(workers)  # the local runner's threads (default 1, as c1)
    from flows.process import run_batch
    from vnplan.sink import StoreSink

    warm_dir = _folder_of([str(CORPUS / "plans" / "krongno_ocop_2021_kh83.txt")], f"{tag}-warm")
    t = time.perf_counter()
    run_batch([warm_dir], WORK / "out" / f"{tag}-warm", report=False, force=True, sink=StoreSink())
    startup = time.perf_counter() - t
    folder = _folder_of(paths, tag)
    out = WORK / "out" / tag
    shutil.rmtree(out, ignore_errors=True)
    os.environ["VNPLAN_TASK_RUNNER"] = runner
    cpu = tree_cpu()
    t = time.perf_counter()
    first = run_batch([folder], out, report=False, sink=StoreSink())
    seconds = time.perf_counter() - t
    cpu = tree_cpu() - cpu
    t = time.perf_counter()
    second = run_batch([folder], out, report=False, sink=StoreSink())
    again = time.perf_counter() - t
    return {"seconds": seconds, "cpu_seconds": cpu, "docs": len(paths), "pages": _pages(paths), "startup": startup,
            "processed": first["processed"], "errors": first["errors"], "flow_seconds": first["seconds"],
            "second_seconds": again, "second_skipped": second["skipped"], "second_processed": second["processed"]}


def m_ocr(paths: list[str]) -> dict:
    from pipeline.extract import extract

    t = time.perf_counter()
    pages = ocr_pages = 0
    for p in paths:
        ex = extract(p)
        pages += ex.pages or 0
        ocr_pages += (ex.pages or 0) if ex.ocr else 0
    return {"seconds": time.perf_counter() - t, "docs": len(paths), "pages": pages, "ocr_pages": ocr_pages}


def m_long(path: str) -> dict:
    # peak memory from getrusage only: tracemalloc would slow pdfminer's many small objects 3-5x
    from pipeline.build import build_record

    _warm()
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    t = time.perf_counter()
    rec = build_record(path)
    seconds = time.perf_counter() - t
    return {"seconds": seconds, "docs": 1, "pages": rec["source"]["pages"], "chars": len(rec["text"]),
            "rss_before_mb": base / 1024}


def m_long_raw(path: str) -> dict:
    return m_raw([path])


def m_watch(path: str) -> dict:
    """(h) drop a plan into a warm watched inbox; seconds until its record file exists."""
    from flows.watch import watch
    from pipeline.build import file_sha256
    from vnplan.sink import StoreSink

    inbox, out = WORK / "watch" / "inbox", WORK / "watch" / "out"
    shutil.rmtree(WORK / "watch", ignore_errors=True)
    inbox.mkdir(parents=True)
    shutil.copy(CORPUS / "plans" / "krongno_ocop_2021_kh83.txt", inbox / "warm.txt")
    stop, batches = threading.Event(), []
    th = threading.Thread(target=watch, args=(inbox, out),
                          kwargs={"stop": stop, "on_batch": batches.append, "sink": StoreSink()},
                          daemon=True)  # the CLI's default settle time (0.5 s)
    th.start()
    deadline = time.monotonic() + 300
    while not batches and time.monotonic() < deadline:
        time.sleep(0.05)
    target = out / "plans" / f"{file_sha256(path)[:16]}.json"
    dropped = time.monotonic()
    tmp = inbox / ".plan.part"
    shutil.copy(path, tmp)  # written under a hidden name, then renamed into place, as copy tools do
    tmp.rename(inbox / Path(path).name)
    while not target.exists() and time.monotonic() - dropped < 300:
        time.sleep(0.02)
    results = [time.monotonic() - dropped]
    stop.set()
    th.join(timeout=60)
    return {"seconds": results[0], "latencies": results, "docs": 1, "pages": _pages([path])}


def m_raw_pdfium(paths: list[str]) -> dict:
    """Plain text of every page by pypdfium2 (its text page), as m_raw does with pdfplumber."""
    import pypdfium2 as pdfium

    t = time.perf_counter()
    chars = pages = 0
    for p in paths:
        pdf = pdfium.PdfDocument(p)
        for i in range(len(pdf)):
            page = pdf[i]
            textpage = page.get_textpage()
            chars += len(textpage.get_text_range())
            pages += 1
            textpage.close()
            page.close()
        pdf.close()
    return {"seconds": time.perf_counter() - t, "docs": len(paths), "pages": pages, "chars": chars}


def m_ocr_cpu(paths: list[str]) -> dict:
    """m_ocr, with the CPU seconds it took in this process and in Tesseract's (children)."""
    def cpu() -> float:
        own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

    before = cpu()
    out = m_ocr(paths)
    out["cpu_seconds"] = cpu() - before
    return out


MEASURES = {"raw": m_raw, "build": m_build, "prefect": m_prefect, "ocr": m_ocr, "long": m_long,
            "long_raw": m_long_raw, "watch": m_watch, "raw_pdfium": m_raw_pdfium, "ocr_cpu": m_ocr_cpu}


def child_main(name: str, params: dict) -> None:
    sys.path.insert(0, str(ROOT))
    result = MEASURES[name](**params)
    result["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("RESULT " + json.dumps(result), flush=True)


# -- the orchestrating process --------------------------------------------------------------

def measure(name: str, **params) -> dict:
    """Run one measurement in a fresh process; sample the memory of its process tree."""
    import psutil

    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(WORK / "prefect-home"),
           "PREFECT_LOGGING_LEVEL": "ERROR"}
    proc = subprocess.Popen([sys.executable, "-m", "bench.run", "--child", name, json.dumps(params)], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak, stop = [0], threading.Event()

    def sample() -> None:
        try:
            ps = psutil.Process(proc.pid)
            while not stop.is_set():
                try:
                    total = sum(p.memory_info().rss for p in [ps, *ps.children(recursive=True)])
                    peak[0] = max(peak[0], total)
                except psutil.Error:
                    pass
                stop.wait(0.2)
        except psutil.Error:
            pass

    th = threading.Thread(target=sample, daemon=True)
    th.start()
    out, err = proc.communicate()
    stop.set()
    th.join()
    lines = [ln for ln in out.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        return {"error": (err or out).strip().splitlines()[-3:] if (err or out).strip() else f"exit {proc.returncode}"}
    result = json.loads(lines[-1][7:])
    result["tree_mb"] = peak[0] / 2**20
    return result


def corpora(quick: bool, n_txt: int, n_pdf: int) -> dict[str, list[str]]:
    from bench.synth import make_corpus, pdf_pages, unite_pdfs

    real_pdf = sorted(str(p) for d in ("plans", "extra") for p in (CORPUS / d).glob("*.pdf"))
    scans = sorted(str(p) for d in ("plans", "extra") for p in (CORPUS / d / "scans").glob("*.pdf"))
    made = make_corpus(WORK / "synth", n_txt=n_txt, n_pdf=n_pdf, seed=0, long_plan=True)
    synth_pdf = [str(p) for p in made["pdf"]]
    long_pdf = WORK / "synth" / "long" / "plan_500p.pdf"
    if not long_pdf.exists() or pdf_pages(long_pdf) < 500:
        unite_pdfs([Path(p) for p in synth_pdf] or [Path(p) for p in real_pdf], long_pdf, 500)
    return {"real_pdf": real_pdf, "scans": scans[:1] if quick else scans, "synth_pdf": synth_pdf,
            "synth_txt": [str(p) for p in made["txt"]], "long_500": [str(long_pdf)],
            "plan_20p": [str(p) for p in made["long"]]}


def rate(r: dict, key: str = "docs") -> str:
    if "error" in r:
        return f"ERROR {r['error']}"
    s = r["seconds"] or 1e-9
    parts = [f"{r['docs']} docs in {s:.2f} s = {r['docs'] / s:.2f} docs/s"]
    if r.get("pages"):
        parts.append(f"{r['pages'] / s:.2f} pages/s")
    parts.append(f"rss {r['rss_mb']:.0f} MB, tree {r['tree_mb']:.0f} MB")
    return ", ".join(parts)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small corpora: 10 PDFs, 50 txt, one scan")
    ap.add_argument("--only", default="a,b,c,c1,d,e,f,g,h,t", help="comma-separated measurements")
    ap.add_argument("--txt", type=int, default=None, help="synthetic txt plans (default 1000, quick 50)")
    ap.add_argument("--pdf", type=int, default=None, help="synthetic PDF plans (default 100, quick 10)")
    ap.add_argument("--profile", default="", help="measurements to profile with cProfile (b, t)")
    ap.add_argument("--json", type=Path, help="also write the figures here (after each measurement)")
    ap.add_argument("--resume", action="store_true", help="keep the figures already in --json; measure the rest")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child_main(args.child[0], json.loads(args.child[1]))
        return 0
    only = set(args.only.split(","))
    n_txt = args.txt if args.txt is not None else (50 if args.quick else 1000)
    n_pdf = args.pdf if args.pdf is not None else (10 if args.quick else 100)
    t0 = time.perf_counter()
    c = corpora(args.quick, n_txt, n_pdf)
    print(f"corpora ready in {time.perf_counter() - t0:.0f} s under {WORK}: real PDFs {len(c['real_pdf'])}, "
          f"scans {len(c['scans'])}, synthetic PDFs {len(c['synth_pdf'])}, synthetic txt {len(c['synth_txt'])}; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    res: dict[str, dict] = {}
    if args.resume and args.json and args.json.exists():
        res = {k: v for k, v in json.loads(args.json.read_text(encoding="utf-8")).items() if "error" not in v}

    def run(key: str, label: str, what: str, **params) -> None:
        if key not in res:
            res[key] = measure(what, **params)
            if args.json:  # after each measurement: --resume goes on from here
                args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
        print(f"({key}) {label}: {rate(res[key])}", flush=True)
        for ln in res[key].get("profile", []):
            print("      " + ln)

    for corpus in ("real_pdf", "synth_pdf"):
        if not c[corpus]:
            continue
        if "a" in only:
            run(f"a_{corpus}", f"raw pdfplumber text, {corpus}", "raw", paths=c[corpus])
        if "b" in only:
            run(f"b_{corpus}", f"build_record loop, {corpus}", "build", paths=c[corpus], profile="b" in args.profile)
    if "c" in only or "e" in only:
        run("c", "Prefect local (run_batch), 2 threads, synth_pdf", "prefect", paths=c["synth_pdf"], runner="local", tag="local")
        r = res["c"]
        if "error" not in r:
            print(f"    warm-up flow run (temporary server start, models) {r['startup']:.1f} s; "
                  f"processed {r['processed']}, errors {r['errors']}")
            res["e"] = {"seconds": r["second_seconds"], "docs": r["docs"], "pages": r["pages"],
                        "rss_mb": r["rss_mb"], "tree_mb": r["tree_mb"]}
            print(f"(e) second run, unchanged corpus: {r['second_seconds']:.2f} s, skipped {r['second_skipped']}, "
                  f"processed {r['second_processed']}", flush=True)
    if "c1" in only:  # the thread pool with one worker: Prefect's own cost, without thread contention
        run("c1", "Prefect local, 1 thread (the default), synth_pdf", "prefect", paths=c["synth_pdf"], runner="local",
            tag="local1", workers=1)
    if "d" in only:
        run("d", "Prefect on Dask, 2 workers, synth_pdf", "prefect", paths=c["synth_pdf"], runner="dask", tag="dask")
    if "f" in only and c["scans"]:
        run("f", "OCR of scanned PDFs (extract)", "ocr", paths=c["scans"])
    if "g" in only:
        run("g_raw", "500-page PDF, raw pdfplumber", "long_raw", path=c["long_500"][0])
        run("g", "500-page PDF, build_record", "long", path=c["long_500"][0])
        if "error" not in res["g"]:
            print(f"    text {res['g']['chars']} chars; peak RSS before the document {res['g']['rss_before_mb']:.0f} MB")
    if "h" in only:
        run("h", "watcher: a long (about 20-page) plan dropped into a warm inbox", "watch", path=c["plan_20p"][0])
        if "error" not in res["h"]:
            print(f"    latencies {', '.join(f'{x:.2f} s' for x in res['h']['latencies'])}")
    if "t" in only and c["synth_txt"]:
        run("t", "build_record loop, synthetic txt", "build", paths=c["synth_txt"], profile="t" in args.profile)

    print("\nGoals of issue 8:")
    ok = lambda k: k in res and "error" not in res[k]  # noqa: E731

    def goal(text: str, value: float | None, target: str, met: bool | None) -> None:
        shown = "n/a" if value is None else f"{value:.2f}"
        print(f"  {text:58s} {shown:>8s}  goal {target:8s} {'' if met is None else ('met' if met else 'MISSED')}")

    for corpus in ("real_pdf", "synth_pdf"):
        a, b = f"a_{corpus}", f"b_{corpus}"
        v = res[b]["seconds"] / res[a]["seconds"] if ok(a) and ok(b) else None
        goal(f"full pipeline / raw pdfplumber ({corpus})", v, "<= 2", None if v is None else v <= 2)
    if ok("c") and ok("b_synth_pdf"):
        v = res["c"]["seconds"] / res["b_synth_pdf"]["seconds"] - 1
        goal(f"Prefect local overhead on {res['c']['docs']} docs (c/b - 1)", v, "< 0.20", v < 0.2)
    if ok("c1") and ok("b_synth_pdf"):
        v = res["c1"]["seconds"] / res["b_synth_pdf"]["seconds"] - 1
        goal("Prefect local overhead, 1 worker thread (c1/b - 1)", v, "< 0.20", v < 0.2)
    if ok("d") and ok("b_synth_pdf"):
        v = res["d"]["seconds"] / res["b_synth_pdf"]["seconds"] - 1
        goal("Prefect on Dask overhead (d/b - 1), cluster start included", v, "(info)", None)
    if ok("c") and ok("e"):
        v = res["c"]["seconds"] / max(res["e"]["seconds"], 1e-9)
        goal("second run speed-up (c/e)", v, ">= 20", v >= 20)
    if ok("g") and ok("g_raw"):
        v = res["g"]["seconds"] / res["g_raw"]["seconds"]
        goal(f"full pipeline / raw pdfplumber ({res['g']['pages']}-page PDF)", v, "<= 2", v <= 2)
    if ok("g"):
        v = max(res["g"]["rss_mb"], res["g"]["tree_mb"]) / 1024
        goal(f"peak memory on a {res['g']['pages']}-page PDF (GB)", v, "< 1", v < 1)
    if ok("h"):
        v = res["h"]["seconds"]
        goal(f"new {res['h']['pages']}-page plan's record after drop (s)", v, "<= 5", v <= 5)
    if ok("f"):
        goal("OCR pages/s", res["f"]["pages"] / res["f"]["seconds"], "(info)", None)
    print(f"total {time.perf_counter() - t0:.0f} s")
    if args.json:
        args.json.write_text(json.dumps(res, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
