"""Fuzz run of issue 15 over large and pathological inputs: each kind of input is built at
growing sizes and read by `build_record` with a time budget per document. Prints seconds per
size and the growth ratio when the size doubles (about 2 for linear cost, 4 for quadratic);
never asserts. A document over the budget is reported as stopped (reason `timeout`).

    .venv/bin/python -m bench.fuzz                       # every kind, 4 doublings (a few minutes)
    .venv/bin/python -m bench.fuzz --kinds digits,items --sizes 5000,10000,20000,40000 --budget 20
    .venv/bin/python -m bench.fuzz --overhead 20     # the worker's cost per document, then the fuzz

Kinds (size = characters, items, rows or depth as named): digits (one run of digits), items
(numbered list "1. ..", up to N), long_line (one line of words), deep (numbering 1.1.1... of
depth N, one heading per depth), table (tab-separated rows of 6 cells), pipe_table (the same
as "| a | b |" text), sections (N roman sections with a few duties each), days (N "5 ngày"
spread over one line), dates (N dates "ngày 1/2/2025" in one paragraph).
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "plans" / "krongno_ocop_2021_kh83.txt"
HEAD = "ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG\nSố: 12/KH-UBND\nKẾ HOẠCH\nTriển khai chương trình OCOP năm 2025\n"
ROMAN = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]


def digits(n: int) -> str:
    return HEAD + "Mã hồ sơ: " + "7" * n + "\n"


def items(n: int) -> str:
    return HEAD + "".join(f"{i}. Sở Công Thương chủ trì tổ chức hội chợ lần {i} trong năm 2025\n" for i in range(1, n + 1))


def long_line(n: int) -> str:
    words = "Sở Công Thương chủ trì phối hợp với các sở ngành triển khai kế hoạch năm 2025 kinh phí 12 triệu đồng ".split()
    line, i = [], 0
    while sum(map(len, line)) + len(line) < n:
        line.append(words[i % len(words)])
        i += 1
    return HEAD + " ".join(line) + "\n"


def deep(n: int) -> str:
    return HEAD + "".join(".".join(["1"] * d) + f". Nhiệm vụ cấp {d}\n" for d in range(1, n + 1))


def table(n: int, pipe: bool = False) -> str:
    rows = ["STT\tNội dung\tCơ quan chủ trì\tPhối hợp\tThời gian\tKinh phí (triệu đồng)"]
    rows += [f"{i}\tTổ chức tập huấn lần {i}\tSở Công Thương\tUBND các huyện\tQuý {i % 4 + 1}/2025\t{i * 7}"
             for i in range(1, n + 1)]
    if pipe:
        rows = ["| " + " | ".join(r.split("\t")) + " |" for r in rows]
    return HEAD + "\n".join(rows) + "\n"


def pipe_table(n: int) -> str:
    return table(n, pipe=True)


def sections(n: int) -> str:
    out = [HEAD]
    for i in range(n):
        out.append(f"{ROMAN[i % 10]}. NHIỆM VỤ NHÓM {i + 1}\n")
        out += [f"{j}. Sở Tài chính chủ trì, phối hợp với Sở Công Thương bố trí kinh phí {j * 5} triệu đồng, "
                f"hoàn thành trước ngày 30/6/2025.\n" for j in range(1, 4)]
    return "".join(out)


def days(n: int) -> str:
    return HEAD + "Thời hạn: " + " ".join("5 ngày" if i % 2 else "12" for i in range(n)) + " làm việc.\n"


def dates(n: int) -> str:
    return HEAD + "Các mốc: " + ", ".join(f"ngày {i % 28 + 1}/{i % 12 + 1}/2025" for i in range(n)) + ".\n"


KINDS: dict[str, tuple[Callable[[int], str], list[int]]] = {
    "digits": (digits, [10_000, 20_000, 40_000, 80_000]),
    "items": (items, [2_000, 4_000, 8_000, 16_000]),
    "long_line": (long_line, [20_000, 40_000, 80_000, 160_000]),
    "deep": (deep, [50, 100, 200, 400]),
    "table": (table, [1_000, 2_000, 4_000, 8_000]),
    "pipe_table": (pipe_table, [1_000, 2_000, 4_000, 8_000]),
    "sections": (sections, [100, 200, 400, 800]),
    "days": (days, [2_000, 4_000, 8_000, 16_000]),
    "dates": (dates, [500, 1_000, 2_000, 4_000]),
}


def run_one(path: Path, budget: float) -> tuple[float, str]:
    """(seconds, outcome) of one document read with the time budget."""
    from pipeline.build import build_record
    from pipeline.extract import ExtractError

    t = time.perf_counter()
    try:
        build_record(path, max_seconds=budget)
        outcome = "ok"
    except ExtractError as exc:
        outcome = f"{exc.reason}: {exc.detail}"
    except Exception as exc:  # noqa: BLE001 - a crash is a finding: print it and go on
        outcome = f"CRASH {type(exc).__name__}: {str(exc)[:120]}"
    return time.perf_counter() - t, outcome


def overhead(n: int, budget: float) -> None:
    """Seconds per read of the short sample plan: in this process, and in the worker (a message
    there and a record back), interleaved so both see the same machine load."""
    from pipeline.build import build_record

    build_record(SAMPLE)
    inline = worker = 0.0
    for _ in range(n):
        t = time.perf_counter()
        build_record(SAMPLE)
        inline += time.perf_counter() - t
        t = time.perf_counter()
        build_record(SAMPLE, max_seconds=budget)
        worker += time.perf_counter() - t
    print(f"short plan ({SAMPLE.stat().st_size / 1024:.0f} KB) x {n}: in process {inline / n * 1000:.0f} ms, "
          f"in the worker {worker / n * 1000:.0f} ms per document ({worker / inline:.2f}x)", flush=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--kinds", default=",".join(KINDS), help="comma-separated kinds")
    ap.add_argument("--sizes", default="", help="comma-separated sizes (default: each kind's own)")
    ap.add_argument("--budget", type=float, default=60.0, help="seconds per document (VNPLAN_MAX_SECONDS)")
    ap.add_argument("--overhead", type=int, default=0, help="first time N reads of a short plan in process and in the worker")
    args = ap.parse_args(argv)
    from pipeline.build import build_record

    t = time.perf_counter()
    build_record(SAMPLE, max_seconds=args.budget)  # word lists, models and the worker: not a document's time
    print(f"warm-up {time.perf_counter() - t:.2f} s; budget {args.budget:g} s per document", flush=True)
    if args.overhead:
        overhead(args.overhead, args.budget)
    print(f"{'kind':<11} {'size':>8} {'KB':>7} {'seconds':>8} {'x prev':>7}  outcome")
    with tempfile.TemporaryDirectory(prefix="vnplan-fuzz-") as tmp:
        for kind in args.kinds.split(","):
            make, default_sizes = KINDS[kind]
            sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else default_sizes
            prev = None
            for n in sizes:
                path = Path(tmp) / f"{kind}-{n}.txt"
                path.write_text(make(n), encoding="utf-8")
                seconds, outcome = run_one(path, args.budget)
                ratio = f"{seconds / prev:.1f}" if prev else ""
                print(f"{kind:<11} {n:>8} {path.stat().st_size / 1024:>7.0f} {seconds:>8.2f} {ratio:>7}  {outcome[:90]}",
                      flush=True)
                prev = seconds
    return 0


if __name__ == "__main__":
    sys.exit(main())
