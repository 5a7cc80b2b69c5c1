"""Browse the store in a web browser: Datasette, read-only, on localhost by default.

By default Datasette serves a consistent snapshot of the store in immutable mode (the
flows may keep writing the live file); `live=True` serves the live file read-only
instead, so newly processed plans appear without a restart. The metadata adds facets
(province, level, agency, role, program, year), full-text search with or without
diacritics, canned queries and, through a small plugin, a link from every duty to the
passage of the plan it was read from.
"""
from __future__ import annotations

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from vnplan import store

PLUGINS_DIR = Path(__file__).parent / "datasette_plugins"

CANNED_QUERIES = {
    "trach_nhiem_theo_co_quan": {
        "title": "Trách nhiệm theo cơ quan",
        "description": "Mọi nhiệm vụ của một cơ quan trong các kế hoạch (gõ có dấu hoặc không dấu, "
                       "viết tắt như 'Sở NN&PTNT' cũng được).",
        "sql": """SELECT r.id AS responsibility_id, r.plan_label AS ke_hoach, r.agency AS co_quan, r.role_vi AS vai_tro,
       coalesce(r.task_title, nullif(r.passage, ''), r.duty) AS nhiem_vu,
       CASE WHEN r.task_title IS NOT NULL THEN r.passage END AS cau_giao_viec,
       coalesce(r.timeline_text, '') AS thoi_gian, r.source_path AS tep_nguon, r.page AS trang, r.plan_id
FROM responsibilities r JOIN plans p ON p.id = r.plan_id
WHERE vn_fold(r.agency) LIKE '%' || vn_fold(coalesce(vn_agency(:co_quan), :co_quan)) || '%'
   OR vn_fold(r.agency_text) LIKE '%' || vn_fold(:co_quan) || '%'
ORDER BY CASE r.role WHEN 'lead' THEN 0 WHEN 'coordinate' THEN 1 ELSE 2 END, p.province, p.issue_date""",
    },
    "ngan_sach_theo_tinh": {
        "title": "Ngân sách theo tỉnh",
        "description": "Tổng kinh phí các kế hoạch theo tỉnh (trước và sau sáp nhập 2025) và theo nguồn.",
        "sql": """SELECT coalesce(p.province, 'Trung ương') AS tinh, p.province_2025 AS tinh_2025,
       count(DISTINCT p.id) AS so_ke_hoach, sum(p.budget_total_vnd) AS tong_kinh_phi_vnd,
       (SELECT group_concat(src || ': ' || amt, '; ') FROM (
          SELECT s.name AS src, sum(s.amount_vnd) AS amt FROM budget_sources s JOIN plans q ON q.id = s.plan_id
          WHERE coalesce(q.province, 'Trung ương') = coalesce(p.province, 'Trung ương') GROUP BY s.name)) AS theo_nguon
FROM plans p GROUP BY coalesce(p.province, 'Trung ương'), p.province_2025
ORDER BY tong_kinh_phi_vnd DESC""",
        "description_html": "Mỗi kế hoạch tính một lần, dù có nhiều tệp (docx, pdf, bản quét).",
    },
    "moc_thoi_gian_sap_toi": {
        "title": "Mốc thời gian sắp tới",
        "description": "Các hạn và mốc kết thúc từ hôm nay (hoặc từ ngày :tu_ngay, dạng YYYY-MM-DD).",
        "sql": """SELECT tl.end_date AS han, tl.start_date AS bat_dau, tl.kind, tl.text, tk.title AS nhiem_vu,
       tk.lead AS chu_tri, p.locality, p.number, tl.plan_id
FROM timeline tl JOIN plans p ON p.id = tl.plan_id
LEFT JOIN tasks tk ON tk.plan_id = tl.plan_id AND tk.task_id = tl.task_id
WHERE tl.end_date >= coalesce(nullif(:tu_ngay, ''), date('now'))
ORDER BY tl.end_date LIMIT 200""",
    },
    "doan_van": {
        "title": "Đoạn văn nguồn của một trách nhiệm",
        "description": "Câu trong văn bản kế hoạch mà trách nhiệm được đọc ra (theo span), kèm ngữ cảnh.",
        "sql": """SELECT responsibility_id, plan_label, agency, role_vi, task_title, passage, context, timeline_text,
       source_path, page, agency_text, plan_id
FROM responsibility_passages WHERE responsibility_id = :id""",
    },
    "tim_kiem": {
        "title": "Tìm kiếm toàn văn",
        "description": "Tìm trong trách nhiệm, nhiệm vụ và mục tiêu, có dấu hoặc không dấu.",
        "sql": """SELECT 'trách nhiệm' AS loai, r.plan_id, r.agency AS co_quan, r.duty AS noi_dung, r.page
FROM responsibilities_fts f JOIN responsibilities r ON r.id = f.rowid
WHERE responsibilities_fts MATCH vn_match(:q)
UNION ALL
SELECT 'nhiệm vụ', t.plan_id, t.lead, t.title, t.page
FROM tasks_fts f JOIN tasks t ON t.id = f.rowid WHERE tasks_fts MATCH vn_match(:q)
UNION ALL
SELECT 'mục tiêu', o.plan_id, '', o.text, o.page
FROM objectives_fts f JOIN objectives o ON o.id = f.rowid WHERE objectives_fts MATCH vn_match(:q)
LIMIT 200""",
    },
}



def metadata(db_name: str) -> dict:
    """Datasette metadata: titles, facets, search and canned queries for the store."""
    hidden = {name: {"hidden": True} for name in store._FTS}
    fts = {"searchmode": "escaped"}
    tables = {
        **hidden,
        "plans": {"label_column": "title", "sort_desc": "issue_date",
                  "facets": ["province", "province_2025", "level", "doc_type", "issue_year", {"array": "programs"}],
                  "description": "Một dòng cho mỗi văn bản; cột text là toàn văn mà mọi span trỏ vào."},
        "responsibilities": {"facets": ["province", "province_2025", {"array": "programs"}, "issue_year", "level",
                                        "role_vi", "agency"],
                             "fts_table": "responsibilities_fts", "fts_pk": "id", **fts, "label_column": "duty",
                             
                             "description": "Một dòng cho mỗi (cơ quan, vai trò, nhiệm vụ), mỗi kế hoạch một lần dù có "
                                            "nhiều tệp. Bấm vào nhiệm vụ để xem đoạn văn nguồn."},
        "plan_tasks": {"facets": ["lead"],
                       "description": "Nhiệm vụ của mỗi kế hoạch: chủ trì, phối hợp, thời gian."},
        "plan_files": {"facets": ["status", "format"],
                       "description": "Mọi tệp của mỗi kế hoạch: bản đang dùng, bản khác (định dạng khác), bản cũ."},
        "responsibility_passages": {"facets": ["province", "level", "agency", "role", "issue_year"],
                                    "fts_table": "responsibilities_fts", "fts_pk": "responsibility_id", **fts,
                                    "description": "Trách nhiệm kèm kế hoạch và đoạn văn nguồn (passage, context)."},
        "tasks": {"facets": ["lead", "timeline_kind"], "fts_table": "tasks_fts", "fts_pk": "id", **fts},
        "objectives": {"facets": ["kind"], "fts_table": "objectives_fts", "fts_pk": "id", **fts},
        "timeline": {"facets": ["kind"], "sort": "end_date"},
        "targets": {"facets": ["unit", "year"]},
        "plan_programs": {"facets": ["program"]},
        "plan_references": {"facets": ["is_legal_basis", "doc_type"]},
    }
    return {
        "title": "vnplan — kế hoạch của cơ quan nhà nước",
        "description": "Kế hoạch, quyết định đã đọc thành dữ liệu: trách nhiệm, nhiệm vụ, chỉ tiêu, "
                       "mốc thời gian, kinh phí. Tìm kiếm có dấu hoặc không dấu.",
        "databases": {db_name: {"tables": tables, "queries": CANNED_QUERIES}},
    }


def prepare(db_path: Path | str, workdir: Path, live: bool = False) -> tuple[Path, Path]:
    """The database file to serve and the metadata file, written under `workdir`."""
    db_path = store.require(db_path)
    if store.outdated(db_path):  # upgrading would empty it until the next run: never from a viewer
        raise RuntimeError(f"{db_path} was written by an older vnplan: run `vnplan run` to rebuild it")
    store.init_db(db_path)  # an old or empty store gets the views the metadata names
    served = db_path if live else store.snapshot(db_path, workdir / db_path.name)
    meta = workdir / "metadata.json"
    meta.write_text(json.dumps(metadata(served.stem), ensure_ascii=False, indent=1), encoding="utf-8")
    return served, meta


def command(served: Path, meta: Path, host: str, port: int, live: bool) -> list[str]:
    mode = [str(served)] if live else ["-i", str(served)]
    return [sys.executable, "-m", "datasette", "serve", *mode, "--metadata", str(meta),
            "--plugins-dir", str(PLUGINS_DIR), "--host", host, "--port", str(port),
            "--setting", "sql_time_limit_ms", "5000", "--setting", "default_page_size", "50",
            "--setting", "allow_download", "off", "--setting", "truncate_cells_html", "300"]


def serve(db_path: Path | str, host: str = "127.0.0.1", port: int = 8001, live: bool = False) -> int:
    """Run Datasette until interrupted (Ctrl-C or SIGTERM); returns its exit code."""
    workdir = Path(tempfile.mkdtemp(prefix="vnplan-serve-"))
    proc = None
    previous = signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        served, meta = prepare(db_path, workdir, live)
        proc = subprocess.Popen(command(served, meta, host, port, live))
        return proc.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(workdir, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", type=Path, default=Path("outputs/vnplan.db"))
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8001)
    ap.add_argument("--live", action="store_true")
    args = ap.parse_args(argv)
    return serve(args.db, args.host, args.port, args.live)


if __name__ == "__main__":
    sys.exit(main())
