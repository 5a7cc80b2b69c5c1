"""Datasette plugin for the vnplan store (loaded with --plugins-dir by `vnplan serve`).

SQL functions for canned queries: vn_fold(text) (accent folding, đ → d), vn_match(text)
(an FTS5 query from free text) and vn_agency(text) (canonical agency name or NULL).
Cells: a duty links to the passage of the plan it was read from; a plan id in a view
links to its plan. The store is served read-only: a request that would write (any method
but GET/HEAD/OPTIONS, or Datasette's write-API paths) is answered 405, not 500.
"""
from __future__ import annotations

import json
import re

from datasette import hookimpl
from markupsafe import Markup, escape

from vnplan.search_key import fts_query, search_key


def _agency(text):
    if not text:
        return None
    from vnplan.query import canonical_name

    return canonical_name(text)


_READ_METHODS = {"GET", "HEAD", "OPTIONS"}
# Datasette's JSON write API (1.0); 0.65 has no view there and its 404 handler answers 500
_WRITE_PATH = re.compile(r"/-/(insert|upsert|update|delete|drop|create)/?$")


@hookimpl
def asgi_wrapper(datasette):
    """Refuse writes before Datasette sees them: 405 Method Not Allowed, Allow: GET, HEAD."""
    def wrap(app):
        async def read_only(scope, receive, send):
            if scope["type"] == "http" and (scope["method"] not in _READ_METHODS
                                            or _WRITE_PATH.search(scope.get("path", ""))):
                body = json.dumps({"ok": False, "error": "vnplan serve is read-only: nothing can be written",
                                   "status": 405}).encode()
                await send({"type": "http.response.start", "status": 405,
                            "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                        (b"allow", b"GET, HEAD, OPTIONS"),
                                        (b"content-length", str(len(body)).encode())]})
                await send({"type": "http.response.body", "body": body})
                return
            await app(scope, receive, send)
        return read_only
    return wrap


@hookimpl
def prepare_connection(conn):
    conn.create_function("vn_fold", 1, search_key, deterministic=True)
    conn.create_function("vn_match", 1, lambda t: fts_query(t or "") or '""', deterministic=True)
    conn.create_function("vn_agency", 1, _agency, deterministic=True)


def money(vnd: int | float) -> str:
    """Đồng as the plans write them: "17.770 triệu đồng", "1,2 tỷ đồng" from a billion up."""
    if abs(vnd) >= 1e12:
        return f"{vnd / 1e9:,.0f}".replace(",", ".") + " tỷ đồng"
    return f"{vnd / 1e6:,.0f}".replace(",", ".") + " triệu đồng"


def _get(row, key: str):
    try:
        return row[key]
    except (KeyError, IndexError):
        return None


def _highlight(text: str, agency: str | None) -> Markup:
    """The passage with the agency's name marked (case and accents as written)."""
    import re

    html = str(escape(text))
    if agency:
        html = re.sub(re.escape(str(escape(agency))), lambda m: f"<mark>{m.group(0)}</mark>", html, flags=re.IGNORECASE)
    return Markup(html)


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    if value is None:
        return None
    if (column.endswith("_vnd") or column == "tong_kinh_phi_vnd") and isinstance(value, (int, float)):
        return Markup(f'<span class="vnplan-money" title="{value} đồng">{escape(money(value))}</span>')
    if column in ("passage", "context") and table is None:
        return _highlight(value, _get(row, "agency_text") or _get(row, "agency"))
    if table == "plans" and column == "title":  # the plan's page: its tasks, lead, coordinators, timeline
        tasks = datasette.urls.table(database, "plan_tasks") + f"?plan_id={escape(row['id'])}"
        return Markup(f'{escape(value)} <a class="vnplan-tasks" href="{tasks}">[nhiệm vụ]</a>')
    if table == "responsibilities" and column == "duty":
        url = datasette.urls.database(database) + f"/doan_van?id={row['id']}"
        return Markup(f'{escape(value)} <a class="vnplan-passage" href="{url}">[đoạn văn]</a>')
    if table in {"responsibility_passages", "timeline_by_plan", "targets_by_plan", "plan_summary",
                 "budget_by_source"} and column == "plan_id":
        url = datasette.urls.table(database, "plans") + f"/{escape(value)}"
        return Markup(f'<a href="{url}">{escape(value)}</a>')
    return None
