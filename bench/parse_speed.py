"""Parse-only speed (issue 13): CPU seconds of the parse stages, `record_from_document` on
documents already read and normalized, best of several runs. Prints figures, never asserts.

    .venv/bin/python -m bench.parse_speed                       # the 11 corpus PDFs
    .venv/bin/python -m bench.parse_speed --set unlabeled       # ../shared's unlabeled plans (text)
    .venv/bin/python -m bench.parse_speed --against /tmp/old    # this tree and another checkout

Each run is a fresh process (word lists loaded and a small plan parsed first, as a worker
does before its first document; no cache is warm for the documents measured): it reads the
documents (not timed), then parses each once and reports its CPU time (time.process_time)
per stage. With --against, runs of the two trees alternate, so both see the same load, and
the ratio of their best totals is printed. The code measured is the tree's own
(PYTHONPATH and the working directory point at it); only this driver is shared.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SETS = {"corpus": ("corpus/plans/*.pdf", "corpus/extra/*.pdf", "corpus/extra2/*.pdf"),
        "unlabeled": ("../shared/corpus/unlabeled/*.txt",)}


def child(files: list[str]) -> dict:
    """One run, inside the tree measured: parse CPU seconds in total and per stage."""
    from pipeline.build import load_document, record_from_document, warm_up

    docs = [load_document(f) for f in files]
    warm_up()
    stages: dict[str, float] = {}
    total = 0.0
    for doc in docs:
        last = [time.process_time()]

        def after(name: str, last: list[float] = last) -> None:
            now = time.process_time()
            stages[name] = stages.get(name, 0.0) + now - last[0]
            last[0] = now

        t = time.process_time()
        record_from_document(doc, after=after)
        total += time.process_time() - t
    return {"seconds": total, "stages": stages, "docs": len(docs), "chars": sum(len(d.text) for d in docs)}


def files_of(tree: Path, name: str) -> list[str]:
    return sorted(str(p) for pat in SETS[name] for p in tree.glob(pat))


def run_once(tree: Path, files: list[str]) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    proc = subprocess.run([sys.executable, __file__, "--child", json.dumps(files)], cwd=tree, env=env,
                          capture_output=True, text=True)
    lines = [ln for ln in proc.stdout.splitlines() if ln.startswith("RESULT ")]
    if proc.returncode != 0 or not lines:
        raise SystemExit(f"run in {tree} failed:\n{proc.stderr[-2000:]}")
    return json.loads(lines[-1][7:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--set", choices=sorted(SETS), default="corpus", help="the documents (default: corpus PDFs)")
    ap.add_argument("--runs", type=int, default=5, help="runs per tree; the best is kept")
    ap.add_argument("--against", type=Path, help="another checkout of the project, measured in turn")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        print("RESULT " + json.dumps(child(json.loads(args.child))), flush=True)
        return 0
    trees = {"this tree": ROOT}
    if args.against:
        trees["against"] = args.against.resolve()
    # the same files for both: ../shared is found beside this tree
    files = files_of(ROOT, args.set)
    if not files:
        print(f"no documents for --set {args.set}")
        return 1
    print(f"{len(files)} documents ({args.set}), {args.runs} runs per tree; load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
    best: dict[str, dict] = {}
    for i in range(args.runs):
        for label, tree in trees.items():
            r = run_once(tree, files)
            print(f"  run {i + 1} {label:10s} {r['seconds']:6.3f} s", flush=True)
            if label not in best or r["seconds"] < best[label]["seconds"]:
                best[label] = r
    names = list(next(iter(best.values()))["stages"])
    print(f"\nbest parse CPU seconds per stage ({best['this tree']['docs']} docs, "
          f"{best['this tree']['chars']:,} characters):")
    print(f"  {'stage':18s}" + "".join(f"{label:>12s}" for label in best))
    for n in names:
        print(f"  {n:18s}" + "".join(f"{b['stages'].get(n, 0.0):12.3f}" for b in best.values()))
    print(f"  {'total':18s}" + "".join(f"{b['seconds']:12.3f}" for b in best.values()))
    if "against" in best:
        print(f"\nparse time, against / this tree: {best['against']['seconds'] / best['this tree']['seconds']:.2f}x")
    return 0


if __name__ == "__main__":
    if "--child" in sys.argv and sys.path and Path(sys.path[0]).resolve() == Path(__file__).resolve().parent:
        sys.path.pop(0)  # bench/ itself: its modules must not shadow the tree's
    sys.exit(main())
