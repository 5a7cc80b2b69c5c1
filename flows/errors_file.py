"""errors.json: every file that could not be processed, with the reason.

A `run` and a `watch` may share an output folder (issue 15): each run replaces what an
earlier run said about its own files and keeps the rest, reading, merging and renaming
under a file lock, so neither loses the other's errors.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

from filelock import FileLock


def write_errors(out_dir: Path, errors: list[dict], owned: list[Path] | None = None) -> Path:
    """Write errors.json: `errors` replace what an earlier run said about the files under
    `owned` (this run's inputs); what other runs (a watcher and a `run` sharing the output
    folder) said about their own files is kept. Read, merge and rename under a file lock."""
    target = out_dir / "errors.json"
    out_dir.mkdir(parents=True, exist_ok=True)
    roots = [os.path.abspath(p) for p in owned or []]
    ours = {e["file"] for e in errors}
    with FileLock(out_dir / ".vnplan-errors.lock", timeout=60):
        kept = [e for e in _read_errors(target) if e.get("file") not in ours and not _under(e.get("file"), roots)]
        merged = sorted(kept + errors, key=lambda e: str(e.get("file")))
        tmp = target.with_name(".errors.json.tmp")
        try:
            tmp.write_text(json.dumps(merged, ensure_ascii=False, indent=1), encoding="utf-8")
            tmp.replace(target)
        except BaseException:
            tmp.unlink(missing_ok=True)  # never a half-written errors.json left behind
            raise
    return target


def _read_errors(target: Path) -> list[dict]:
    try:
        data = json.loads(target.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    return [e for e in data if isinstance(e, dict)] if isinstance(data, list) else []


def _under(file: str | None, roots: list[str]) -> bool:
    if not file:
        return False
    f = os.path.abspath(file)
    return any(f == r or f.startswith(r.rstrip(os.sep) + os.sep) for r in roots)
