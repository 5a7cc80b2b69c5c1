"""One document in, one plan record out: extract -> normalize -> parse -> link -> validate.

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
from pipeline.parse.budget import extract_budget
from pipeline.parse.metadata import parse_metadata
from pipeline.parse.objectives import extract_objectives
from pipeline.parse.plan_checks import plan_warnings
from pipeline.parse.responsibilities import extract_assignments
from pipeline.parse.sections import parse_sections
from pipeline.parse.tables import table_records
from pipeline.parse.timeline import extract_timeline


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


def _contains(outer: dict | None, inner: dict | None) -> bool:
    return bool(outer and inner) and outer["start"] <= inner["start"] and inner["end"] <= outer["end"]


def link_timeline(tasks: list[dict], timeline: list[dict]) -> None:
    """Each timeline entry points to the innermost task whose span holds it; each task
    gets the first entry inside it (unless its extractor already chose one)."""
    for entry in timeline:
        holders = [t for t in tasks if _contains(t.get("span"), entry.get("span"))]
        if holders and not entry.get("task"):
            inner = min(holders, key=lambda t: t["span"]["end"] - t["span"]["start"])
            entry["task"] = inner["id"]
    for task in tasks:
        if task.get("timeline"):
            continue
        for entry in timeline:
            if entry.get("task") == task["id"]:
                task["timeline"] = {k: v for k, v in entry.items()}
                break


def link_responsibilities(tasks: list[dict], responsibilities: list[dict]) -> None:
    for resp in responsibilities:
        if resp.get("task"):
            continue
        holders = [t for t in tasks if _contains(t.get("span"), resp.get("span"))]
        resp["task"] = min(holders, key=lambda t: t["span"]["end"] - t["span"]["start"])["id"] if holders else None


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
    check = deadline.check if deadline else (lambda stage: None)
    check("extraction")
    sections = parse_sections(doc)
    metadata = parse_metadata(doc, sections)
    check("metadata")
    timeline = extract_timeline(doc, sections, metadata)
    check("timeline")
    tasks, responsibilities = extract_assignments(doc, sections, metadata)
    check("responsibilities")
    objectives = extract_objectives(doc, sections, metadata)
    check("objectives")
    budget = extract_budget(doc, sections, metadata)
    check("budget")
    link_timeline(tasks, timeline)
    link_responsibilities(tasks, responsibilities)
    warnings = list(doc.warnings) + plan_warnings(doc, sections, metadata, responsibilities)
    for check in (budget or {}).get("checks", []):
        if not check.get("ok"):
            warnings.append({"code": "budget_check_failed", "message": f"{check['rule']}: {check.get('detail') or ''}"})
    return {
        "schema_version": "1",
        "id": doc.source["sha256"][:16],
        "source": dict(doc.source),
        "text": doc.text,
        "metadata": metadata,
        "sections": [s.to_record(doc) for s in sections],
        "objectives": objectives,
        "tasks": tasks,
        "responsibilities": responsibilities,
        "timeline": timeline,
        "budget": budget,
        "tables": table_records(doc, sections),
        "warnings": warnings,
    }


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
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(path)


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
