"""One document in, one plan record out: extract -> normalize -> parse stages -> validate.

`python -m pipeline.build FILE... --out DIR` writes records without Prefect (for quick
checks while developing rules); the product runs the same `build_record` inside the flows.
"""
from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
from collections.abc import Callable
from pathlib import Path

from pipeline import stoppable
from pipeline.extract import ExtractError, extract
from pipeline.extract.text import blocks_from_text
from pipeline.model import Document, Extracted
from pipeline.normalize.schema import validate_record
from pipeline.normalize.text import build_document
from pipeline.parse import stages


def file_sha256(path: Path | str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def load_document(path: Path | str) -> Document:
    """Read and normalize one file (raises ExtractError for bad input)."""
    sha = file_sha256(path)
    return build_document(extract(path), sha)


def record_from_document(doc: Document, after: Callable[[str], None] | None = None) -> dict:
    """The plan record of a normalized document: the parse stages in order (`after(stage)`
    is called after each)."""
    return stages.run(doc, after=after)["record"]


def build_record(path: Path | str, max_seconds: float | None = None) -> dict:
    """The validated plan record of one file. With `max_seconds`, the work runs in a worker
    process killed when the time is up, whatever it is doing: an ExtractError "timeout"
    says so and names the stage; a worker that dies (out of memory ...) is "worker_died"."""
    if max_seconds is None:
        return record_of_file(str(path))
    try:
        return stoppable.call("pipeline.build:record_of_file", (str(path),), seconds=max_seconds,
                              warm="pipeline.build:warm_up")
    except stoppable.Stopped as exc:
        raise ExtractError(str(path), "timeout", f"stopped after {max_seconds:g} s, at {_stage_after(exc.stage)} "
                           "(limit VNPLAN_MAX_SECONDS)") from None
    except stoppable.WorkerDied as exc:
        raise ExtractError(str(path), "worker_died", str(exc)) from None


def _stage_after(done: str | None) -> str:
    """The stage that was running when the last one reported was `done`."""
    names = ["extraction", *(stages.stage_name(s) for s in stages.STAGES), "validation"]
    return names[names.index(done) + 1] if done in names[:-1] else names[0]


def warm_up() -> None:
    """Load every reader's and parser's word lists and patterns (a worker does this once,
    before its first document's time starts), by reading a small plan."""
    text = ("ỦY BAN NHÂN DÂN TỈNH ĐẮK NÔNG\nSố: 12/KH-UBND\nĐắk Nông, ngày 05 tháng 3 năm 2025\nKẾ HOẠCH\n"
            "Triển khai chương trình OCOP năm 2025\nI. MỤC ĐÍCH, YÊU CẦU\n1. Mục tiêu: 10 sản phẩm đạt 3 sao.\n"
            "II. NHIỆM VỤ\n1. Sở Công Thương chủ trì, phối hợp với Sở Tài chính tổ chức hội chợ, quý II/2025.\n"
            "III. KINH PHÍ\nTổng kinh phí: 1.200 triệu đồng từ ngân sách tỉnh.\n"
            "STT\tNội dung\tCơ quan chủ trì\tThời gian\n1\tTập huấn\tSở Công Thương\tQuý III/2025\n")
    for module in ("docx", "html", "pdf"):  # the readers (their libraries load on import)
        importlib.import_module(f"pipeline.extract.{module}")
    ex = Extracted(path="warm-up.txt", format="txt", blocks=blocks_from_text(text))
    validate_record(record_from_document(build_document(ex, "0" * 64)))


def record_of_file(path: str) -> dict:
    """build_record's work, where it runs (in a worker, it reports each stage finished)."""
    doc = load_document(path)
    stoppable.report("extraction")
    record = record_from_document(doc, after=stoppable.report)
    validate_record(record)
    return record


def write_json_atomic(path: Path, data: dict) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written record."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)  # a full disk leaves no partial temporary file behind
        raise


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=Path("outputs/plans"))
    args = ap.parse_args(argv)
    status = 0
    for f in args.files:
        paths = sorted(p for p in f.rglob("*") if p.is_file()) if f.is_dir() else [f]
        for p in paths:
            try:
                rec = build_record(p)
            except Exception as exc:  # noqa: BLE001 - report and go on with the batch
                print(f"ERROR {p}: {exc}", file=sys.stderr)
                status = 1
                continue
            write_json_atomic(args.out / f"{rec['id']}.json", rec)
            print(f"{p} -> {rec['id']}.json")
    return status


if __name__ == "__main__":
    sys.exit(main())
