"""What has been processed: one row per input path, kept in the store's database.

The ledger makes runs incremental (same bytes, pipeline version and settings: skip) and
idempotent (the same bytes under a second name are not processed again).
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS ledger (
    path TEXT PRIMARY KEY,
    sha256 TEXT NOT NULL,
    plan_id TEXT,
    pipeline_version TEXT NOT NULL,
    settings TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    reason TEXT,
    message TEXT,
    seconds REAL,
    updated_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS ledger_sha ON ledger(sha256);
"""


@dataclass
class Entry:
    path: str
    sha256: str
    plan_id: str | None
    pipeline_version: str
    settings: str
    status: str
    reason: str | None
    message: str | None


_READY: set[Path] = set()  # databases whose ledger table exists (checked once per process)


def connect(db_path: Path) -> sqlite3.Connection:
    db_path = Path(db_path)
    if db_path not in _READY or not db_path.exists():
        db_path.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(db_path, timeout=60)) as conn:
            conn.execute("PRAGMA journal_mode=WAL")  # persistent: set once per database
            conn.executescript(SCHEMA)
        _READY.add(db_path)
    return sqlite3.connect(db_path, timeout=60)


def fingerprint(settings: dict) -> str:
    return json.dumps(settings, sort_keys=True)


def lookup(db_path: Path, path: str) -> Entry | None:
    with closing(connect(db_path)) as conn:
        row = conn.execute(
            "SELECT path, sha256, plan_id, pipeline_version, settings, status, reason, message FROM ledger WHERE path = ?",
            (path,)).fetchone()
    return Entry(*row) if row else None


def done_with_same_bytes(db_path: Path, sha256: str, version: str, settings: str) -> Entry | None:
    """A successful earlier run over the same bytes with the same pipeline and settings."""
    with closing(connect(db_path)) as conn:
        row = conn.execute(
            "SELECT path, sha256, plan_id, pipeline_version, settings, status, reason, message FROM ledger "
            "WHERE sha256 = ? AND pipeline_version = ? AND settings = ? AND status = 'ok' LIMIT 1",
            (sha256, version, settings)).fetchone()
    return Entry(*row) if row else None


def record(db_path: Path, entry: Entry, seconds: float | None = None) -> None:
    with closing(connect(db_path)) as conn, conn:
        conn.execute(
            "INSERT OR REPLACE INTO ledger VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (entry.path, entry.sha256, entry.plan_id, entry.pipeline_version, entry.settings,
             entry.status, entry.reason, entry.message, seconds, time.time()))


def errors_for(db_path: Path, paths: list[str]) -> list[dict]:
    """The current error of each of these paths, for errors.json."""
    if not paths:
        return []
    with closing(connect(db_path)) as conn:
        rows = conn.execute(
            f"SELECT path, reason, message FROM ledger WHERE status = 'error' AND path IN ({','.join('?' * len(paths))}) ORDER BY path",
            paths).fetchall()
    return [{"file": p, "reason": r, "message": m} for p, r, m in rows]


def other_path_with_plan(db_path: Path, plan_id: str, path: str) -> str | None:
    """Another input path whose bytes gave this plan, if one is still there."""
    with closing(connect(db_path)) as conn:
        rows = conn.execute("SELECT path FROM ledger WHERE plan_id = ? AND path != ? AND status = 'ok' ORDER BY path",
                            (plan_id, path)).fetchall()
    return next((p for (p,) in rows if Path(p).exists()), None)


def plan_ids(db_path: Path) -> set[str]:
    """Every plan some input path gave (the records the ledger accounts for)."""
    with closing(connect(db_path)) as conn:
        return {p for (p,) in conn.execute("SELECT DISTINCT plan_id FROM ledger WHERE plan_id IS NOT NULL")}
