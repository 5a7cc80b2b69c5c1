"""The analyst's commands: who, query, compare, serve (registered on the main Typer app)."""
from __future__ import annotations

import csv
import io
import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from vnplan.labels import ROLE_LABELS

DEFAULT_DB = Path("outputs/vnplan.db")

WIDE_COLUMNS = {"duty", "text", "plan_title", "task"}
SHORT_COLUMNS = {"role_vi", "page", "kind_vi"}
KIND_LABELS = {"responsibility": "trách nhiệm", "task": "nhiệm vụ", "objective": "mục tiêu"}

DbOption = Annotated[Path, typer.Option("--db", help="The SQLite store.")]


class Format(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


def _emit(rows: list[dict], columns: list[str], fmt: Format, title: str, headers: dict[str, str] | None = None) -> None:
    """Print rows as a Rich table, CSV or JSON (CSV and JSON carry every column)."""
    if fmt is Format.json:
        sys.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1) + "\n")
        return
    if fmt is Format.csv:
        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]) if rows else columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
        sys.stdout.write(buf.getvalue())
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title, show_lines=True, expand=True)
    for col in columns:
        wide = col in WIDE_COLUMNS
        short = col in SHORT_COLUMNS
        table.add_column((headers or {}).get(col, col), overflow="fold", no_wrap=short,
                         ratio=None if short else 5 if wide else 2, min_width=None if short else 10)
    for row in rows:
        table.add_row(*("" if row.get(c) is None else str(row.get(c)) for c in columns))
    Console().print(table)


def _fail(message: str) -> None:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _current_store(db: Path) -> None:
    """Stop with a clear message when the store is missing or was written by an older vnplan."""
    from vnplan.store import outdated

    if not db.exists():
        _fail(f"no store at {db} (run `vnplan run` first)")
    if outdated(db):
        _fail(f"{db} was written by an older vnplan: run `vnplan run` to rebuild it")


def who(agency: Annotated[str, typer.Argument(help="Agency, e.g. 'Sở Công Thương', 'so cong thuong', 'Sở NN&PTNT'.")],
        db: DbOption = DEFAULT_DB,
        role: Annotated[Optional[str], typer.Option(help="Only this role: chủ trì, phối hợp, tham mưu, hướng dẫn, "
                                                         "thực hiện, báo cáo (or lead, coordinate, ...).")] = None,
        format: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """Every duty of an agency across plans (each plan once, whatever files it came in):
    plan, role, task, the sentence that assigns it, timeline, source file and page."""
    from vnplan.query import canonical_name, who as find

    _current_store(db)
    try:
        rows = find(db, agency, role)
    except FileNotFoundError as exc:
        _fail(str(exc))
    except ValueError as exc:
        typer.secho(str(exc), fg=typer.colors.RED, err=True)
        raise typer.Exit(2)
    for r in rows:
        r["plan"] = r["plan_label"] or f"{r['locality'] or ''} {r['number'] or ''}".strip()
        if r["locality"] != r["province"] and r["province"]:
            r["plan"] += f" ({r['province']})"
        # where the plan assigns work on a line of its own, the task says what the work is
        r["task"] = r["task_title"] or r["duty"]
        r["assigned_by"] = r["passage"] if r["task_title"] else ""
        r["source"] = f"{Path(r['source_path'] or '').name}" + (f", tr. {r['page']}" if r["page"] else "")
    canonical = canonical_name(agency)
    title = f"{agency}" + (f" → {canonical}" if canonical and canonical != agency else "") + f": {len(rows)} nhiệm vụ"
    columns = ["plan", "agency", "role_vi", "task", "assigned_by", "timeline", "source"]
    for optional in ("timeline", "assigned_by"):
        if not any(r[optional] for r in rows):
            columns.remove(optional)
    _emit(rows, columns, format, title,
          {"plan": "Kế hoạch", "agency": "Cơ quan", "role_vi": "Vai trò", "task": "Nhiệm vụ",
           "assigned_by": "Câu giao việc", "timeline": "Thời gian", "source": "Nguồn"})
    if not rows and format is Format.table:
        typer.echo("Không tìm thấy. Thử tên đầy đủ hoặc một phần tên (có dấu hoặc không dấu).", err=True)


def query(text: Annotated[str, typer.Argument(help="Words to find (diacritics optional), or SQL with --sql.")],
          db: DbOption = DEFAULT_DB,
          sql: Annotated[bool, typer.Option("--sql", help="TEXT is a read-only SQL query.")] = False,
          limit: Annotated[int, typer.Option(help="Most results to show.")] = 50,
          format: Annotated[Format, typer.Option("--format", "-f")] = Format.table) -> None:
    """Full-text search over duties, tasks and objectives (or raw SQL with --sql)."""
    import sqlite3

    from vnplan.query import run_sql, search_with_total

    _current_store(db)
    try:
        if sql:
            columns, values = run_sql(db, text)
            rows = [dict(zip(columns, v)) for v in values]
            _emit(rows[:limit], columns, format, f"{min(len(rows), limit)} / {len(rows)} dòng")
            return
        rows, total = search_with_total(db, text, limit=limit)
    except FileNotFoundError as exc:
        _fail(str(exc))
    except sqlite3.Error as exc:
        _fail(f"SQL: {exc}")
    for r in rows:
        r["kind_vi"] = KIND_LABELS.get(r["kind"], r["kind"])
        r["plan"] = f"{r['locality'] or ''} {r['number'] or ''}".strip()
        r["detail"] = ROLE_LABELS.get(r["detail"], r["detail"])
    _emit(rows, ["kind_vi", "plan", "text", "detail", "page"], format, f"“{text}”: {len(rows)} / {total} kết quả",
          {"kind_vi": "Loại", "plan": "Kế hoạch", "text": "Nội dung", "detail": "Vai trò / chủ trì", "page": "Tr."})


def compare(db: DbOption = DEFAULT_DB,
            out: Annotated[Path, typer.Option("--out", help="Folder for comparison.html/.xlsx/.json.")] = Path("outputs")) -> None:
    """Write the comparison report: offline HTML with charts, an Excel workbook and JSON."""
    from vnplan.report import write_comparison

    _current_store(db)
    for path in write_comparison(db, out):
        typer.echo(str(path))


def _port_in_use(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on, or None when it can (checked before the URL
    is printed: Datasette would otherwise fail after it)."""
    import socket

    with socket.socket() as s:
        try:
            s.bind((host, port))
        except OSError as exc:
            return exc.strerror or str(exc)
    return None


def serve(db: DbOption = DEFAULT_DB,
          port: Annotated[int, typer.Option(help="Port to listen on.")] = 8001,
          host: Annotated[str, typer.Option(help="Address to bind (localhost by default).")] = "127.0.0.1",
          live: Annotated[bool, typer.Option("--live", help="Serve the live store (read-only) instead of an "
                                                            "immutable snapshot, so new plans appear.")] = False) -> None:
    """Browse the store with Datasette: facets, search, canned queries (read-only)."""
    from vnplan.serve import serve as run

    _current_store(db)
    busy = _port_in_use(host, port)
    if busy:
        _fail(f"cannot listen on {host}:{port}: {busy} (choose another with --port)")
    typer.echo(f"Datasette on http://{host}:{port}/{db.stem} (Ctrl-C to stop)", err=True)
    raise typer.Exit(run(db, host=host, port=port, live=live))


def register(app: typer.Typer) -> None:
    """Add who, query, compare and serve to the main `vnplan` app."""
    app.command("who")(who)
    app.command("query")(query)
    app.command("compare")(compare)
    app.command("serve")(serve)
