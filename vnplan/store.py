"""The SQLite store: plan records as plain tables any SQL tool can read.

One row per plan in `plans`, its parts in child tables (foreign key `plan_id`, ON DELETE
CASCADE), FTS5 indexes over duties, tasks and objectives (original text plus an
accent-folded copy, so "so cong thuong" finds "Sở Công Thương"), and views for the
common questions. A record is loaded in one transaction (WAL journal): a crash leaves
either the old version of the plan or the new one, never a mix.
"""
from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from vnplan.search_key import search_key

SCHEMA_VERSION = 1

# Child tables in load order; every one carries plan_id with ON DELETE CASCADE.
_TABLES = """
CREATE TABLE IF NOT EXISTS plans (
    id TEXT PRIMARY KEY,
    source_path TEXT NOT NULL,
    source_sha256 TEXT,
    format TEXT,
    pages INTEGER,
    ocr INTEGER,
    doc_type TEXT,
    attached_doc_types TEXT,          -- JSON array
    number TEXT,
    issue_date TEXT,
    issue_year INTEGER,
    issue_place TEXT,
    issuer TEXT,
    level TEXT,
    province TEXT,
    district TEXT,
    province_2025 TEXT,
    locality TEXT,                    -- district, province or "Trung ương": for labels
    title TEXT,
    programs TEXT,                    -- JSON array of short codes (facet as array)
    period_start INTEGER,
    period_end INTEGER,
    signer_name TEXT,
    signer_position TEXT,
    signer_authority TEXT,
    budget_total_vnd INTEGER,
    budget_unit_text TEXT,
    n_sections INTEGER,
    n_objectives INTEGER,
    n_targets INTEGER,
    n_tasks INTEGER,
    n_responsibilities INTEGER,
    n_timeline INTEGER,
    n_budget_items INTEGER,
    n_legal_bases INTEGER,
    n_references INTEGER,
    n_tables INTEGER,
    n_warnings INTEGER,
    schema_version TEXT,
    loaded_at TEXT NOT NULL,
    text TEXT                         -- the normalized full text every span points into
);
CREATE INDEX IF NOT EXISTS plans_source_path ON plans(source_path);
CREATE INDEX IF NOT EXISTS plans_province ON plans(province);

CREATE TABLE IF NOT EXISTS plan_programs (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    program TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sections (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    section_id TEXT,
    parent_id TEXT,
    numbering TEXT,
    heading TEXT,
    kind TEXT,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS objectives (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    objective_id TEXT,
    section_id TEXT,
    kind TEXT,
    text TEXT,
    n_targets INTEGER,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS targets (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    objective_id TEXT,
    text TEXT,
    value REAL,
    value_max REAL,
    unit TEXT,
    subject TEXT,
    percent INTEGER,
    year INTEGER,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    task_id TEXT,
    section_id TEXT,
    numbering TEXT,
    title TEXT,
    text TEXT,
    lead TEXT,                        -- canonical agencies joined by "; "
    coordinators TEXT,                -- idem
    deliverable TEXT,
    timeline_text TEXT,
    timeline_start TEXT,
    timeline_end TEXT,
    timeline_kind TEXT,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE INDEX IF NOT EXISTS tasks_plan ON tasks(plan_id);
CREATE TABLE IF NOT EXISTS responsibilities (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    agency TEXT,
    agency_text TEXT,
    agency_level TEXT,
    role TEXT,
    duty TEXT,
    task_id TEXT,
    section_id TEXT,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE INDEX IF NOT EXISTS responsibilities_plan ON responsibilities(plan_id);
CREATE INDEX IF NOT EXISTS responsibilities_agency ON responsibilities(agency);
CREATE TABLE IF NOT EXISTS timeline (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    text TEXT,
    start_date TEXT,
    end_date TEXT,
    kind TEXT,
    rule TEXT,
    task_id TEXT,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER
);
CREATE TABLE IF NOT EXISTS budget_items (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    item_id TEXT,
    parent_id TEXT,
    numbering TEXT,
    label TEXT,
    total_vnd INTEGER,                -- the row's total column (or its only amount)
    amounts_json TEXT                 -- every amount column: {header: đồng}
);
CREATE TABLE IF NOT EXISTS budget_amounts (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    item_id TEXT,
    column_name TEXT,
    amount_vnd INTEGER
);
CREATE TABLE IF NOT EXISTS budget_sources (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    name TEXT,
    amount_vnd INTEGER
);
CREATE TABLE IF NOT EXISTS budget_checks (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    rule TEXT,
    ok INTEGER,
    detail TEXT
);
CREATE TABLE IF NOT EXISTS plan_references (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    is_legal_basis INTEGER NOT NULL,
    doc_type TEXT,
    number TEXT,
    issue_date TEXT,
    issuer TEXT,
    text TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE INDEX IF NOT EXISTS plan_references_number ON plan_references(number);
CREATE TABLE IF NOT EXISTS plan_recipients (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    recipient TEXT
);
CREATE TABLE IF NOT EXISTS plan_tables (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    table_id TEXT,
    section_id TEXT,
    caption TEXT,
    page INTEGER,
    n_rows INTEGER,
    n_columns INTEGER,
    rows_json TEXT
);
CREATE TABLE IF NOT EXISTS plan_warnings (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    code TEXT,
    message TEXT,
    span_start INTEGER,
    span_end INTEGER
);
CREATE TABLE IF NOT EXISTS store_info (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""

# FTS5 over the searchable text: the original columns (the tokenizer drops tone marks)
# plus a folded copy of each (`<column>_folded`, which also has đ → d). rowid = the base
# table's id.
_FTS = {
    "responsibilities_fts": ("responsibilities", ["agency", "agency_text", "duty"]),
    "tasks_fts": ("tasks", ["title", "text", "lead", "coordinators"]),
    "objectives_fts": ("objectives", ["text"]),
}


def _fts_ddl() -> str:
    parts = []
    for fts, (base, cols) in _FTS.items():
        columns = ", ".join(cols + [f"{c}_folded" for c in cols])
        parts.append(f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5("
                     f"{columns}, tokenize = 'unicode61 remove_diacritics 2');")
        # plain SQL triggers keep the index consistent however rows go (cascade included)
        parts.append(f"CREATE TRIGGER IF NOT EXISTS {base}_fts_delete AFTER DELETE ON {base} "
                     f"BEGIN DELETE FROM {fts} WHERE rowid = old.id; END;")
    return "\n".join(parts)


_VIEWS = """
CREATE VIEW IF NOT EXISTS responsibility_passages AS
SELECT r.id AS responsibility_id, r.plan_id, p.locality, p.province, p.province_2025,
       p.level, p.doc_type, p.number, p.issue_year, p.title AS plan_title,
       r.agency, r.agency_text, r.role, r.duty, r.task_id,
       t.timeline_text, t.timeline_start, t.timeline_end, r.page, r.span_start, r.span_end,
       substr(p.text, r.span_start + 1, r.span_end - r.span_start) AS passage,
       substr(p.text, max(r.span_start - 200, 0) + 1,
              min(r.span_start, 200) + (r.span_end - r.span_start) + 200) AS context
FROM responsibilities r
JOIN plans p ON p.id = r.plan_id
LEFT JOIN tasks t ON t.plan_id = r.plan_id AND t.task_id = r.task_id;

CREATE VIEW IF NOT EXISTS plan_summary AS
SELECT id AS plan_id, locality, province, district, province_2025, level, doc_type, number,
       issue_date, period_start, period_end, title, programs, n_tasks, n_responsibilities,
       n_targets, n_timeline, budget_total_vnd, source_path
FROM plans;

CREATE VIEW IF NOT EXISTS budget_by_province AS
SELECT coalesce(province, 'Trung ương') AS province, province_2025, count(*) AS plans,
       sum(budget_total_vnd) AS budget_total_vnd
FROM plans GROUP BY coalesce(province, 'Trung ương'), province_2025;

CREATE VIEW IF NOT EXISTS budget_by_source AS
SELECT p.id AS plan_id, p.locality, p.province, p.province_2025, s.name AS source,
       s.amount_vnd
FROM budget_sources s JOIN plans p ON p.id = s.plan_id;

CREATE VIEW IF NOT EXISTS agency_roles AS
SELECT r.agency, r.role, count(*) AS duties, count(DISTINCT r.plan_id) AS plans,
       group_concat(DISTINCT p.locality) AS localities
FROM responsibilities r JOIN plans p ON p.id = r.plan_id
GROUP BY r.agency, r.role;

CREATE VIEW IF NOT EXISTS timeline_by_plan AS
SELECT tl.id AS timeline_id, tl.plan_id, p.locality, p.province, p.number, p.title AS plan_title,
       tl.kind, tl.start_date, tl.end_date, tl.text, tl.task_id, tk.title AS task_title,
       tl.page
FROM timeline tl JOIN plans p ON p.id = tl.plan_id
LEFT JOIN tasks tk ON tk.plan_id = tl.plan_id AND tk.task_id = tl.task_id;

CREATE VIEW IF NOT EXISTS targets_by_plan AS
SELECT t.id AS target_id, t.plan_id, p.locality, p.province, p.number, t.text, t.value,
       t.value_max, t.unit, t.percent, t.year
FROM targets t JOIN plans p ON p.id = t.plan_id;
"""


def require(db_path: Path | str) -> Path:
    """The store's path; FileNotFoundError when there is no store there yet."""
    path = Path(db_path)
    if not path.exists():
        raise FileNotFoundError(f"no store at {path} (run `vnplan run` first)")
    return path


def connect(db_path: Path | str, readonly: bool = False) -> sqlite3.Connection:
    """A connection with foreign keys on (cascades) and a generous busy timeout."""
    if readonly:
        conn = sqlite3.connect(f"file:{Path(db_path)}?mode=ro", uri=True, timeout=30)
    else:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(db_path, timeout=60, isolation_level=None)
    conn.row_factory = sqlite3.Row
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def init_db(db_path: Path | str) -> None:
    """Create (or bring up to date) the schema; safe to call any number of times."""
    with closing(connect(db_path)) as conn:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(f"{db_path}: store schema {version} is newer than this vnplan ({SCHEMA_VERSION})")
        if version == SCHEMA_VERSION:
            return
        # statements one by one inside one transaction (executescript would commit midway)
        with _transaction(conn):
            for stmt in _statements(_TABLES + _fts_ddl() + _VIEWS):
                conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO store_info(key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One IMMEDIATE transaction, committed at the end, rolled back whole on any error."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:  # SQLite already rolled back after "database or disk is full":
            conn.execute("ROLLBACK")  # a second ROLLBACK would hide that cause
        raise


def _statements(script: str) -> Iterable[str]:
    """Split a DDL script into complete statements (triggers hold inner semicolons)."""
    buf = ""
    for line in script.splitlines(keepends=True):
        if line.strip().startswith("--") and not buf:
            continue
        buf += line
        if sqlite3.complete_statement(buf):
            if buf.strip():
                yield buf.strip()
            buf = ""
    if buf.strip():
        yield buf.strip()


# --------------------------------------------------------------------------- loading

def _span(obj: dict | None) -> tuple[int | None, int | None, int | None]:
    span = (obj or {}).get("span") or {}
    return span.get("start"), span.get("end"), span.get("page")


def _year(date: str | None) -> int | None:
    return int(date[:4]) if date and date[:4].isdigit() else None


def _join(names: list[str] | None) -> str:
    return "; ".join(n for n in (names or []) if n)


def _item_total(amounts: dict[str, Any]) -> int | None:
    """The row's total: a column headed like "Tổng", else the only non-empty amount."""
    values = {k: v for k, v in (amounts or {}).items() if v is not None}
    for header, value in values.items():
        if search_key(header).startswith(("tong", "cong", "total")):
            return value
    if len(values) == 1:
        return next(iter(values.values()))
    return sum(values.values()) if values else None


def _plan_row(record: dict) -> dict:
    md = record.get("metadata") or {}
    src = record.get("source") or {}
    period = md.get("period") or {}
    signer = md.get("signer") or {}
    budget = record.get("budget") or {}
    objectives = record.get("objectives") or []
    return {
        "id": record["id"], "source_path": src.get("path") or "", "source_sha256": src.get("sha256"),
        "format": src.get("format"), "pages": src.get("pages"), "ocr": int(bool(src.get("ocr"))),
        "doc_type": md.get("doc_type"), "attached_doc_types": json.dumps(md.get("attached_doc_types") or [], ensure_ascii=False),
        "number": md.get("number"), "issue_date": md.get("issue_date"), "issue_year": _year(md.get("issue_date")),
        "issue_place": md.get("issue_place"), "issuer": md.get("issuer"), "level": md.get("level"),
        "province": md.get("province"), "district": md.get("district"), "province_2025": md.get("province_2025"),
        "locality": md.get("district") or md.get("province") or ("Trung ương" if md.get("level") == "national" else None),
        "title": md.get("title"), "programs": json.dumps(md.get("programs") or [], ensure_ascii=False),
        "period_start": period.get("start_year"), "period_end": period.get("end_year"),
        "signer_name": signer.get("name"), "signer_position": signer.get("position"),
        "signer_authority": signer.get("authority"),
        "budget_total_vnd": budget.get("total_vnd"), "budget_unit_text": budget.get("unit_text"),
        "n_sections": len(record.get("sections") or []), "n_objectives": len(objectives),
        "n_targets": sum(len(o.get("targets") or []) for o in objectives),
        "n_tasks": len(record.get("tasks") or []), "n_responsibilities": len(record.get("responsibilities") or []),
        "n_timeline": len(record.get("timeline") or []), "n_budget_items": len(budget.get("items") or []),
        "n_legal_bases": len(md.get("legal_bases") or []), "n_references": len(md.get("references") or []),
        "n_tables": len(record.get("tables") or []), "n_warnings": len(record.get("warnings") or []),
        "schema_version": record.get("schema_version"),
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "text": record.get("text") or "",
    }


def _insert(conn: sqlite3.Connection, table: str, row: dict) -> int:
    cols = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    return conn.execute(f"INSERT INTO {table} ({cols}) VALUES ({marks})", list(row.values())).lastrowid


def _index(conn: sqlite3.Connection, fts: str, rowid: int, row: dict) -> None:
    cols = _FTS[fts][1]
    values = [row.get(c) or "" for c in cols]
    names = cols + [f"{c}_folded" for c in cols]
    conn.execute(f"INSERT INTO {fts} (rowid, {', '.join(names)}) VALUES (?{', ?' * len(names)})",
                 [rowid, *values, *(search_key(v) for v in values)])


def _load(conn: sqlite3.Connection, record: dict) -> None:
    """Insert one record's rows into every table (the caller has removed its old rows)."""
    pid = record["id"]
    _insert(conn, "plans", _plan_row(record))
    for program in (record.get("metadata") or {}).get("programs") or []:
        _insert(conn, "plan_programs", {"plan_id": pid, "program": program})
    for load in (_load_structure, _load_work, _load_budget, _load_references_and_rest):
        load(conn, pid, record)


def _load_structure(conn: sqlite3.Connection, pid: str, record: dict) -> None:
    """Sections, objectives and their targets."""
    for s in record.get("sections") or []:
        start, end, page = _span(s)
        _insert(conn, "sections", {"plan_id": pid, "section_id": s.get("id"), "parent_id": s.get("parent"),
                                   "numbering": s.get("numbering"), "heading": s.get("heading"), "kind": s.get("kind"),
                                   "span_start": start, "span_end": end, "page": page})
    for o in record.get("objectives") or []:
        start, end, page = _span(o)
        row = {"plan_id": pid, "objective_id": o.get("id"), "section_id": o.get("section"), "kind": o.get("kind"),
               "text": o.get("text"), "n_targets": len(o.get("targets") or []),
               "span_start": start, "span_end": end, "page": page}
        _index(conn, "objectives_fts", _insert(conn, "objectives", row), row)
        for t in o.get("targets") or []:
            ts, te, tp = _span(t)
            _insert(conn, "targets", {"plan_id": pid, "objective_id": o.get("id"), "text": t.get("text"),
                                      "value": t.get("value"), "value_max": t.get("value_max"), "unit": t.get("unit"),
                                      "subject": t.get("subject"), "percent": int(bool(t.get("percent"))),
                                      "year": t.get("year"), "span_start": ts, "span_end": te, "page": tp})


def _load_work(conn: sqlite3.Connection, pid: str, record: dict) -> None:
    """Tasks, responsibilities and the timeline."""
    for t in record.get("tasks") or []:
        start, end, page = _span(t)
        tl = t.get("timeline") or {}
        row = {"plan_id": pid, "task_id": t.get("id"), "section_id": t.get("section"), "numbering": t.get("numbering"),
               "title": t.get("title"), "text": t.get("text"), "lead": _join(t.get("lead")),
               "coordinators": _join(t.get("coordinators")), "deliverable": t.get("deliverable"),
               "timeline_text": tl.get("text"), "timeline_start": tl.get("start"), "timeline_end": tl.get("end"),
               "timeline_kind": tl.get("kind"), "span_start": start, "span_end": end, "page": page}
        _index(conn, "tasks_fts", _insert(conn, "tasks", row), row)
    for r in record.get("responsibilities") or []:
        start, end, page = _span(r)
        row = {"plan_id": pid, "agency": r.get("agency"), "agency_text": r.get("agency_text"),
               "agency_level": r.get("level"), "role": r.get("role"), "duty": r.get("duty"), "task_id": r.get("task"),
               "section_id": r.get("section"), "span_start": start, "span_end": end, "page": page}
        _index(conn, "responsibilities_fts", _insert(conn, "responsibilities", row), row)
    for e in record.get("timeline") or []:
        start, end, page = _span(e)
        _insert(conn, "timeline", {"plan_id": pid, "text": e.get("text"), "start_date": e.get("start"),
                                   "end_date": e.get("end"), "kind": e.get("kind"), "rule": e.get("rule"),
                                   "task_id": e.get("task"), "span_start": start, "span_end": end, "page": page})


def _load_budget(conn: sqlite3.Connection, pid: str, record: dict) -> None:
    """Budget items with their amounts per column, sources and checks."""
    budget = record.get("budget") or {}
    for item in budget.get("items") or []:
        amounts = item.get("amounts_vnd") or {}
        _insert(conn, "budget_items", {"plan_id": pid, "item_id": item.get("id"), "parent_id": item.get("parent"),
                                       "numbering": item.get("numbering"), "label": item.get("label"),
                                       "total_vnd": _item_total(amounts),
                                       "amounts_json": json.dumps(amounts, ensure_ascii=False)})
        for column, amount in amounts.items():
            _insert(conn, "budget_amounts", {"plan_id": pid, "item_id": item.get("id"), "column_name": column,
                                             "amount_vnd": amount})
    for s in budget.get("sources") or []:
        _insert(conn, "budget_sources", {"plan_id": pid, "name": s.get("name"), "amount_vnd": s.get("amount_vnd")})
    for c in budget.get("checks") or []:
        _insert(conn, "budget_checks", {"plan_id": pid, "rule": c.get("rule"), "ok": int(bool(c.get("ok"))),
                                        "detail": c.get("detail")})


def _load_references_and_rest(conn: sqlite3.Connection, pid: str, record: dict) -> None:
    """Cited documents, recipients, tables and warnings."""
    md = record.get("metadata") or {}
    for legal, refs in ((1, md.get("legal_bases")), (0, md.get("references"))):
        for ref in refs or []:
            start, end, _ = _span(ref)
            _insert(conn, "plan_references", {"plan_id": pid, "is_legal_basis": legal, "doc_type": ref.get("doc_type"),
                                              "number": ref.get("number"), "issue_date": ref.get("issue_date"),
                                              "issuer": ref.get("issuer"), "text": ref.get("text"),
                                              "span_start": start, "span_end": end})
    for rec in md.get("recipients") or []:
        _insert(conn, "plan_recipients", {"plan_id": pid, "recipient": rec})
    for t in record.get("tables") or []:
        rows = t.get("rows") or []
        _insert(conn, "plan_tables", {"plan_id": pid, "table_id": t.get("id"), "section_id": t.get("section"),
                                      "caption": t.get("caption"), "page": t.get("page"), "n_rows": len(rows),
                                      "n_columns": max((len(r) for r in rows), default=0),
                                      "rows_json": json.dumps(rows, ensure_ascii=False)})
    for w in record.get("warnings") or []:
        start, end, _ = _span(w)
        _insert(conn, "plan_warnings", {"plan_id": pid, "code": w.get("code"), "message": w.get("message"),
                                        "span_start": start, "span_end": end})


def _delete(conn: sqlite3.Connection, plan_id: str | None, source_path: str | None) -> int:
    ids = [row[0] for row in conn.execute(
        "SELECT id FROM plans WHERE id = ? OR source_path = ?", (plan_id, source_path))]
    for pid in ids:
        conn.execute("DELETE FROM plans WHERE id = ?", (pid,))  # children go by cascade, FTS by trigger
    return len(ids)


def _write(db_path: Path | str, work) -> Any:
    """Run `work(conn)` in one IMMEDIATE transaction (rolled back whole on any error)."""
    init_db(db_path)
    with closing(connect(db_path)) as conn, _transaction(conn):
        return work(conn)


def upsert_record(db_path: Path, record: dict) -> None:
    """Load one plan record, replacing any earlier version of the same plan (same id, or
    the same source path under a new id: the file was replaced) in one transaction."""
    path = (record.get("source") or {}).get("path")
    _write(db_path, lambda conn: (_delete(conn, record["id"], path), _load(conn, record)))


def remove_plan(db_path: Path, plan_id: str | None = None, source_path: str | None = None) -> int:
    """Remove a plan (by id and/or source path) with all its rows; returns plans removed."""
    if plan_id is None and source_path is None:
        raise ValueError("remove_plan needs plan_id or source_path")
    return _write(db_path, lambda conn: _delete(conn, plan_id, source_path))


def snapshot(db_path: Path | str, target: Path | str) -> Path:
    """A consistent copy of the store (SQLite backup API, safe while flows write), in
    rollback-journal mode so it can be opened immutable."""
    target = Path(target)
    target.unlink(missing_ok=True)
    with closing(connect(db_path, readonly=True)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    return target
