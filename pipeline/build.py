"""One document in, one plan record out: extract -> normalize -> parse stages -> validate.

`python -m pipeline.build FILE... --out DIR` writes records without Prefect (for quick
checks while developing rules); the product runs the same `build_record` inside the flows.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from pathlib import Path

from pipeline.extract import ExtractError, extract
from pipeline.model import Document
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


class Deadline:
    """A per-document time limit, checked between stages: cooperative, so it holds in any
    worker (thread, process or Dask) without interrupting code mid-way."""

    def __init__(self, path: str, seconds: float | None) -> None:
        self.path, self.seconds = path, seconds
        self.until = time.monotonic() + seconds if seconds else None

    def check(self, stage: str) -> None:
        if self.until is not None and time.monotonic() > self.until:
            raise ExtractError(self.path, "timeout",
                               f"stopped after {self.seconds:g} s, at {stage} (limit VNPLAN_MAX_SECONDS)")


def record_from_document(doc: Document, deadline: Deadline | None = None) -> dict:
    """The plan record of a normalized document: the parse stages in order, the time
    limit checked after each."""
    check = deadline.check if deadline else None
    if check:
        check("extraction")
    return stages.run(doc, after=check)["record"]


def build_record(path: Path | str, max_seconds: float | None = None) -> dict:
    """The validated plan record of one file; past `max_seconds`, an ExtractError "timeout"."""
    deadline = Deadline(str(path), max_seconds)
    record = record_from_document(load_document(path), deadline)
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
