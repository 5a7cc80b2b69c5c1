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
import zlib
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any, Iterable, Iterator

from vnplan import plan_identity
from vnplan.duties import responsibility_rows
from vnplan.search_key import search_key

SCHEMA_VERSION = 3  # 2: one row per plan, its files in plan_files (issue 14); 3: source ranges, allocations

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
    source_files TEXT,                -- JSON array: every file of this plan, with its status
    n_source_files INTEGER,
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
    role_vi TEXT,                     -- the role in Vietnamese (chủ trì, phối hợp ...)
    duty TEXT,
    task_id TEXT,
    task_title TEXT,                  -- the task the duty belongs to, and its timeline
    timeline_text TEXT,
    timeline_start TEXT,
    timeline_end TEXT,
    passage TEXT,                     -- the sentence or list item that assigns the duty
    context TEXT,                     -- the text around it, cut at word boundaries
    section_id TEXT,
    span_start INTEGER,
    span_end INTEGER,
    page INTEGER,
    plan_label TEXT,                  -- the plan's columns, so the table facets on its own
    province TEXT,
    province_2025 TEXT,
    level TEXT,
    issue_year INTEGER,
    programs TEXT,                    -- JSON array
    source_path TEXT
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
    amount_vnd INTEGER,               -- the amount, or the lower bound of a range
    amount_max_vnd INTEGER            -- the upper bound of a range ("91.299 - 97.386 tỷ đồng"), else NULL
);
CREATE TABLE IF NOT EXISTS budget_allocations (
    id INTEGER PRIMARY KEY,
    plan_id TEXT NOT NULL REFERENCES plans(id) ON DELETE CASCADE,
    label TEXT,                       -- the scheme or project the total is split to
    amount_vnd INTEGER,
    span_start INTEGER,
    span_end INTEGER
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
CREATE TABLE IF NOT EXISTS plan_files (
    record_id TEXT PRIMARY KEY,       -- the record's id (the file's bytes)
    source_path TEXT NOT NULL,
    plan_id TEXT,                     -- plans.id of the plan it is a file of
    status TEXT,                      -- current, rendition or superseded
    format TEXT,
    ocr INTEGER,
    number TEXT,
    number_key TEXT,
    issue_date TEXT,
    issuer_key TEXT,
    is_draft INTEGER,
    n_warnings INTEGER,
    minhash BLOB,                     -- the text's MinHash signature (vnplan.plan_identity)
    record_json BLOB,                 -- the whole record, zlib-compressed: any file can speak for the plan
    loaded_at TEXT
);
CREATE INDEX IF NOT EXISTS plan_files_plan ON plan_files(plan_id);
CREATE INDEX IF NOT EXISTS plan_files_path ON plan_files(source_path);
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
SELECT r.id AS responsibility_id, r.plan_id, r.plan_label, p.locality, p.province, p.province_2025,
       p.level, p.doc_type, p.number, p.issue_year, p.title AS plan_title,
       r.agency, r.agency_text, r.role, r.role_vi, r.task_title, r.duty, r.task_id,
       r.timeline_text, r.timeline_start, r.timeline_end, r.source_path, r.page, r.span_start, r.span_end,
       r.passage, r.context
FROM responsibilities r
JOIN plans p ON p.id = r.plan_id;

CREATE VIEW IF NOT EXISTS plan_tasks AS
SELECT t.id AS task_row, t.plan_id, t.numbering, t.title, t.lead, t.coordinators, t.timeline_text,
       t.timeline_start, t.timeline_end, t.page
FROM tasks t;

CREATE VIEW IF NOT EXISTS plan_summary AS
SELECT id AS plan_id, locality, province, district, province_2025, level, doc_type, number,
       issue_date, period_start, period_end, title, programs, n_tasks, n_responsibilities,
       n_targets, n_timeline, budget_total_vnd, source_path, n_source_files, source_files
FROM plans;

CREATE VIEW IF NOT EXISTS budget_by_province AS
SELECT coalesce(province, 'Trung ương') AS province, province_2025, count(*) AS plans,
       sum(budget_total_vnd) AS budget_total_vnd
FROM plans GROUP BY coalesce(province, 'Trung ương'), province_2025;

CREATE VIEW IF NOT EXISTS budget_by_source AS
SELECT p.id AS plan_id, p.locality, p.province, p.province_2025, s.name AS source,
       s.amount_vnd, s.amount_max_vnd
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


def outdated(db_path: Path | str) -> bool:
    """The store was written by an older vnplan (its next `vnplan run` rebuilds it)."""
    with closing(connect(require(db_path), readonly=True)) as conn:
        return 0 < conn.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION


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
            if version:
                _drop_old_schema(conn)
            for stmt in _statements(_TABLES + _fts_ddl() + _VIEWS):
                conn.execute(stmt)
            conn.execute("INSERT OR REPLACE INTO store_info(key, value) VALUES ('schema_version', ?)",
                         (str(SCHEMA_VERSION),))
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _drop_old_schema(conn: sqlite3.Connection) -> None:
    """An older schema's tables go (before schema 2 the store held one plan per file; before 3
    it had no source ranges or allocations), and the processing ledger kept in the same
    database is cleared, so the next run rebuilds every record into the new store."""
    for kind, name in conn.execute("SELECT type, name FROM sqlite_master WHERE type IN ('view', 'table') "
                                   "AND name NOT IN ('ledger', 'store_info') AND name NOT LIKE 'sqlite_%' "
                                   "AND name NOT LIKE '%_fts_%'").fetchall():
        conn.execute(f"DROP {kind.upper()} IF EXISTS \"{name}\"")
    if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'ledger'").fetchone():
        conn.execute("DELETE FROM ledger")


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


def _plan_row(record: dict, sources: list[dict]) -> dict:
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
        "n_tasks": len(record.get("tasks") or []), "n_responsibilities": len(responsibility_rows(record)),
        "n_timeline": len(record.get("timeline") or []), "n_budget_items": len(budget.get("items") or []),
        "n_legal_bases": len(md.get("legal_bases") or []), "n_references": len(md.get("references") or []),
        "n_tables": len(record.get("tables") or []), "n_warnings": len(record.get("warnings") or []),
        "schema_version": record.get("schema_version"),
        "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "source_files": json.dumps(sources, ensure_ascii=False), "n_source_files": len(sources),
        "text": record.get("text") or "",
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


def _load(conn: sqlite3.Connection, record: dict, sources: list[dict]) -> None:
    """Insert one record's rows into every table (the caller has removed its old rows)."""
    pid = record["id"]
    _insert(conn, "plans", _plan_row(record, sources))
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
    for row in responsibility_rows(record):
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
        _insert(conn, "budget_sources", {"plan_id": pid, "name": s.get("name"), "amount_vnd": s.get("amount_vnd"),
                                         "amount_max_vnd": s.get("amount_max_vnd")})
    for a in budget.get("allocations") or []:
        span = a.get("span") or {}
        _insert(conn, "budget_allocations", {"plan_id": pid, "label": a.get("label"), "amount_vnd": a.get("amount_vnd"),
                                             "span_start": span.get("start"), "span_end": span.get("end")})
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


def _write(db_path: Path | str, work) -> Any:
    """Run `work(conn)` in one IMMEDIATE transaction (rolled back whole on any error)."""
    init_db(db_path)
    with closing(connect(db_path)) as conn, _transaction(conn):
        return work(conn)


# --------------------------------------------------------------------------- plan identity
# Every file's record is kept in plan_files; the files of one plan (vnplan.plan_identity)
# share one row in `plans` and one set of child rows, those of the file that speaks for it.

def _file_row(record: dict, path: str) -> dict:
    fp = plan_identity.fingerprint(record)
    return {"record_id": record["id"], "source_path": path, "plan_id": None, "status": None,
            "format": fp.format, "ocr": int(fp.ocr), "number": (record.get("metadata") or {}).get("number"),
            "number_key": fp.number_key, "issue_date": fp.issue_date, "issuer_key": fp.issuer_key,
            "is_draft": int(fp.is_draft), "n_warnings": fp.n_warnings, "minhash": fp.minhash,
            "record_json": zlib.compress(json.dumps(record, ensure_ascii=False).encode("utf-8"), 6),
            "loaded_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}


def _fingerprint(row: sqlite3.Row | dict) -> plan_identity.Fingerprint:
    return plan_identity.Fingerprint(number_key=row["number_key"] or "", issue_date=row["issue_date"] or "",
                                     issuer_key=row["issuer_key"] or "", is_draft=bool(row["is_draft"]),
                                     format=row["format"] or "", ocr=bool(row["ocr"]),
                                     n_warnings=row["n_warnings"] or 0, minhash=row["minhash"])


_FILE_COLS = "record_id, source_path, plan_id, format, ocr, number, number_key, issue_date, issuer_key, " \
             "is_draft, n_warnings, minhash"


def _drop_files(conn: sqlite3.Connection, record_id: str | None, source_path: str | None) -> set[str]:
    """Forget the files with this record id or path (a replaced file leaves no phantom
    plan); returns the plans they belonged to."""
    rows = conn.execute("SELECT record_id, plan_id FROM plan_files WHERE record_id = ? OR source_path = ?",
                        (record_id, source_path)).fetchall()
    for row in rows:
        conn.execute("DELETE FROM plan_files WHERE record_id = ?", (row["record_id"],))
    # a plan loaded before its file was tracked (or by an older vnplan) goes too
    plans = {row["plan_id"] for row in rows if row["plan_id"]}
    plans |= {r[0] for r in conn.execute("SELECT id FROM plans WHERE id = ? OR source_path = ?",
                                         (record_id, source_path))}
    return plans


def _regroup(conn: sqlite3.Connection, record_ids: set[str], old_plans: set[str], fresh: str | None = None) -> None:
    """Make these files one plan: elect the file that speaks for it and (re)load its rows;
    the plans they were part of are replaced. `fresh` is a record just (re)loaded: when
    another file still speaks for the plan, only the plan's list of files changes."""
    if not record_ids:
        for pid in old_plans:
            conn.execute("DELETE FROM plans WHERE id = ?", (pid,))  # children by cascade, FTS by trigger
        return
    marks = ",".join("?" * len(record_ids))
    rows = {r["record_id"]: r for r in conn.execute(
        f"SELECT {_FILE_COLS} FROM plan_files WHERE record_id IN ({marks})", list(record_ids))}
    current, status = plan_identity.elect({rid: _fingerprint(r) for rid, r in rows.items()})
    order = {"current": 0, "rendition": 1, "superseded": 2}
    sources = sorted(({"path": r["source_path"], "format": r["format"], "status": status[rid], "record_id": rid,
                       "number": r["number"], "issue_date": r["issue_date"] or None} for rid, r in rows.items()),
                     key=lambda f: (order[f["status"]], f["path"]))
    for rid in rows:
        conn.execute("UPDATE plan_files SET plan_id = ?, status = ? WHERE record_id = ?", (current, status[rid], rid))
    loaded = conn.execute("SELECT source_path FROM plans WHERE id = ?", (current,)).fetchone()
    if current != fresh and old_plans <= {current} and loaded and loaded[0] == rows[current]["source_path"]:
        conn.execute("UPDATE plans SET source_files = ?, n_source_files = ? WHERE id = ?",
                     (json.dumps(sources, ensure_ascii=False), len(sources), current))
        return
    for pid in old_plans | {current}:
        conn.execute("DELETE FROM plans WHERE id = ?", (pid,))  # children by cascade, FTS by trigger
    blob = conn.execute("SELECT record_json FROM plan_files WHERE record_id = ?", (current,)).fetchone()[0]
    record = json.loads(zlib.decompress(blob))
    record.setdefault("source", {})["path"] = rows[current]["source_path"]
    _load(conn, record, sources)


def _upsert(conn: sqlite3.Connection, record: dict) -> None:
    path = (record.get("source") or {}).get("path") or ""
    touched = _drop_files(conn, record["id"], path)
    row = _file_row(record, path)
    _insert(conn, "plan_files", row)
    fp = _fingerprint(row)
    others = conn.execute(f"SELECT {_FILE_COLS} FROM plan_files WHERE record_id != ?", (record["id"],)).fetchall()
    joined = {r["plan_id"] for r in others if plan_identity.same_plan(fp, _fingerprint(r))}
    members = {r["record_id"] for r in others if r["plan_id"] in joined} | {record["id"]}
    _regroup(conn, members, joined | touched, fresh=record["id"])
    for pid in touched - joined:  # what is left of the plans the replaced file was part of
        _regroup(conn, {r["record_id"] for r in others if r["plan_id"] == pid}, set())


def upsert_record(db_path: Path, record: dict) -> None:
    """Load one file's record in one transaction: it joins the plan it is a file of (same
    number and date, or near-duplicate text), replacing any earlier load of the same
    record or the same path (the file was replaced)."""
    _write(db_path, lambda conn: _upsert(conn, record))


def _remove(conn: sqlite3.Connection, plan_id: str | None, source_path: str | None) -> int:
    touched = _drop_files(conn, plan_id, source_path)
    for pid in touched:
        rest = {r[0] for r in conn.execute("SELECT record_id FROM plan_files WHERE plan_id = ?", (pid,))}
        _regroup(conn, rest, {pid})
    return len(touched)


def remove_plan(db_path: Path, plan_id: str | None = None, source_path: str | None = None) -> int:
    """Remove a file's record (by record id and/or source path); its plan goes with it unless
    another file of the plan is left to speak for it. Returns the plans touched."""
    if plan_id is None and source_path is None:
        raise ValueError("remove_plan needs plan_id or source_path")
    return _write(db_path, lambda conn: _remove(conn, plan_id, source_path))


def snapshot(db_path: Path | str, target: Path | str) -> Path:
    """A consistent copy of the store (SQLite backup API, safe while flows write), in
    rollback-journal mode so it can be opened immutable."""
    target = Path(target)
    target.unlink(missing_ok=True)
    with closing(connect(db_path, readonly=True)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    return target
