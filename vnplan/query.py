"""Questions an analyst asks of the store: who does what, full-text search, raw SQL.

Matching tolerates missing diacritics and abbreviations: an agency is first resolved with
`pipeline.normalize.agencies.canonical_agency` ("Sở NN&PTNT" → "Sở Nông nghiệp và Phát
triển nông thôn"), then matched on the accent-folded name and the FTS index.
"""
from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from vnplan.labels import role_code
from vnplan.search_key import fts_query, search_key
from vnplan.store import connect, require

_WHO_COLUMNS = """r.id AS responsibility_id, r.plan_id, r.plan_label, p.locality, p.province, p.province_2025,
    p.level, p.number, p.issue_date, p.title AS plan_title, r.agency, r.agency_text, r.role, r.role_vi,
    r.task_title, r.duty, r.passage, coalesce(r.timeline_text, '') AS timeline, r.timeline_start,
    r.timeline_end, r.source_path, p.n_source_files, r.page, r.span_start, r.span_end"""

_WHO_FROM = "FROM responsibilities r JOIN plans p ON p.id = r.plan_id"

_ROLE_ORDER = "CASE r.role WHEN 'lead' THEN 0 WHEN 'coordinate' THEN 1 ELSE 2 END"


def canonical_name(text: str) -> str | None:
    """The canonical agency name for what the user typed, when the agency list knows it."""
    try:
        from pipeline.normalize.agencies import canonical_agency
    except ImportError:  # the agency list is optional for the store's tools
        return None
    try:
        found = canonical_agency(text)
    except Exception:  # noqa: BLE001 - a lookup failure must not stop a query
        return None
    return found[0] if found else None


# mode=ro stops writes to the store itself, but not ATTACH (which VACUUM INTO does first,
# creating a file anywhere), nor writes to the temporary database: the authorizer denies those
# and any pragma that sets something
_DENIED = {sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH, sqlite3.SQLITE_CREATE_VTABLE, sqlite3.SQLITE_DROP_VTABLE,
           sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_INDEX, sqlite3.SQLITE_CREATE_TEMP_TRIGGER,
           sqlite3.SQLITE_CREATE_TEMP_VIEW, sqlite3.SQLITE_DROP_TEMP_TABLE, sqlite3.SQLITE_DROP_TEMP_INDEX,
           sqlite3.SQLITE_DROP_TEMP_TRIGGER, sqlite3.SQLITE_DROP_TEMP_VIEW}
_WRITES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE}
_PRAGMAS_WITH_ARGUMENT = {"table_info", "table_xinfo", "index_list", "index_info", "index_xinfo",
                          "foreign_key_list", "table_list"}


def _read_only(action: int, arg1: str | None, arg2: str | None, db: str | None, _trigger: str | None) -> int:
    if action in _DENIED or (action in _WRITES and db == "temp"):
        return sqlite3.SQLITE_DENY
    if action == sqlite3.SQLITE_PRAGMA and arg2 is not None and (arg1 or "").lower() not in _PRAGMAS_WITH_ARGUMENT:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


def _open(db_path: Path | str) -> sqlite3.Connection:
    """The store, read-only twice over: opened with mode=ro, and an authorizer that lets a
    statement only read (mode=ro alone still lets ATTACH and VACUUM INTO create files)."""
    conn = connect(require(db_path), readonly=True)
    conn.create_function("vn_fold", 1, search_key, deterministic=True)
    conn.setlimit(sqlite3.SQLITE_LIMIT_ATTACHED, 0)
    conn.set_authorizer(_read_only)
    return conn


def who(db_path: Path | str, agency: str, role: str | None = None) -> list[dict]:
    """Every duty of an agency across plans, lead duties first.

    Matching, widest net that still means the agency: the canonical name equal (case and
    accents aside), the folded name containing the folded query, or every word of the
    query in the FTS index of agency names.
    """
    canonical = canonical_name(agency)
    keys = {search_key(agency)} | ({search_key(canonical)} if canonical else set())
    where = " OR ".join(["vn_fold(r.agency) LIKE ?"] * len(keys) + ["vn_fold(r.agency_text) LIKE ?"] * len(keys))
    params: list = [f"%{k}%" for k in keys] * 2
    match = fts_query(canonical or agency)
    if match:
        where += (" OR r.id IN (SELECT rowid FROM responsibilities_fts WHERE responsibilities_fts "
                  "MATCH ?)")
        params.append("{agency agency_text agency_folded agency_text_folded}: " + _fts_group(match))
    sql = f"SELECT {_WHO_COLUMNS} {_WHO_FROM} WHERE ({where})"
    if role:
        code = role_code(role)
        if code is None:
            raise ValueError(f"unknown role {role!r}: use chủ trì, phối hợp, tham mưu, hướng dẫn, thực hiện, "
                             "báo cáo (or lead, coordinate, advise, guide, implement, report)")
        sql += " AND r.role = ?"
        params.append(code)
    sql += f" ORDER BY {_ROLE_ORDER}, p.province, p.issue_date, r.span_start"
    with closing(_open(db_path)) as conn:
        return [dict(r) for r in conn.execute(sql, params)]


def _fts_group(match: str) -> str:
    return f"({match})" if " " in match else match


_SEARCH = {
    "responsibility": ("responsibilities_fts", "responsibilities",
                       "x.agency || ' — ' || coalesce(x.duty, '')", "x.role"),
    "task": ("tasks_fts", "tasks", "coalesce(x.title, '') || CASE WHEN x.text != x.title THEN ' — ' || x.text ELSE '' END",
             "x.lead"),
    "objective": ("objectives_fts", "objectives", "x.text", "x.kind"),
}


def search(db_path: Path | str, text: str, limit: int = 50, kinds: tuple[str, ...] | None = None) -> list[dict]:
    """Full-text search over duties, tasks and objectives (diacritics optional), best first."""
    return search_with_total(db_path, text, limit, kinds)[0]


def search_with_total(db_path: Path | str, text: str, limit: int = 50,
                      kinds: tuple[str, ...] | None = None) -> tuple[list[dict], int]:
    """The best `limit` hits of a full-text search, and how many there are in all."""
    match = fts_query(text)
    if not match:
        return [], 0
    parts, params = [], []
    for kind, (fts, base, shown, extra) in _SEARCH.items():
        if kinds and kind not in kinds:
            continue
        parts.append(f"""SELECT '{kind}' AS kind, x.plan_id, p.locality, p.number, {shown} AS text,
            {extra} AS detail, x.page, x.span_start, x.span_end, bm25({fts}) AS score
            FROM {fts} JOIN {base} x ON x.id = {fts}.rowid JOIN plans p ON p.id = x.plan_id
            WHERE {fts} MATCH ?""")
        params.append(match)
    union = " UNION ALL ".join(parts)
    with closing(_open(db_path)) as conn:
        total = conn.execute(f"SELECT count(*) FROM ({union})", params).fetchone()[0]
        return [dict(r) for r in conn.execute(union + " ORDER BY score LIMIT ?", [*params, limit])], total


def run_sql(db_path: Path | str, sql: str, params: dict | tuple = ()) -> tuple[list[str], list[tuple]]:
    """Run any read-only SQL (the store is opened read-only, so nothing can be changed)."""
    with closing(_open(db_path)) as conn:
        cur = conn.execute(sql, params)
        columns = [d[0] for d in cur.description or []]
        return columns, [tuple(r) for r in cur.fetchall()]


def passage(db_path: Path | str, plan_id: str, start: int, end: int, context: int = 0) -> str:
    """The plan text a span points to (with `context` characters either side)."""
    with closing(_open(db_path)) as conn:
        row = conn.execute("SELECT substr(text, ?, ?) FROM plans WHERE id = ?",
                           (max(start - context, 0) + 1, end - max(start - context, 0) + context, plan_id)).fetchone()
    return row[0] if row else ""
