"""The SQLite store: loading, replacing, removing, crash safety, full-text index."""
from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import EXTRA, PLANS
from plan_factory import khanh_hoa, krong_no
from vnplan import store
from vnplan.duties import responsibility_rows

CHILD_TABLES = ["sections", "objectives", "targets", "tasks", "responsibilities", "timeline", "budget_items",
                "budget_sources", "budget_checks", "plan_references", "plan_recipients", "plan_tables",
                "plan_warnings", "plan_programs", "budget_amounts"]
FTS_TABLES = ["responsibilities_fts", "tasks_fts", "objectives_fts"]


def counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as conn:
        return {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in ["plans", *CHILD_TABLES, *FTS_TABLES]}


def fts_hits(db: Path, fts: str, words: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?", (words,)).fetchone()[0]


def test_init_db_is_idempotent_and_versioned(tmp_path):
    path = tmp_path / "s.db"
    store.init_db(path)
    store.init_db(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    assert {"plans", "responsibilities", "responsibility_passages", "budget_by_province", "responsibilities_fts"} <= names


def test_plan_row_holds_metadata_and_counts(db):
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        row = conn.execute("SELECT * FROM plans WHERE number = '83/KH-UBND'").fetchone()
    assert (row["province"], row["district"], row["province_2025"], row["level"]) == ("Đắk Nông", "Krông Nô", "Lâm Đồng", "district")
    assert row["locality"] == "Krông Nô" and row["issue_year"] == 2021
    assert (row["period_start"], row["period_end"]) == (2021, 2021)
    assert row["budget_total_vnd"] == 1_200_000_000
    assert (row["n_tasks"], row["n_responsibilities"], row["n_targets"], row["n_timeline"]) == (2, 3, 1, 2)
    assert json.loads(row["programs"]) == ["OCOP"]


def test_child_rows_match_the_record(db):
    rec = khanh_hoa()
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        resp = conn.execute("SELECT * FROM responsibilities WHERE plan_id = ? ORDER BY id", (rec["id"],)).fetchall()
        src = conn.execute("SELECT name, amount_vnd FROM budget_sources WHERE plan_id = ?", (rec["id"],)).fetchall()
        tasks = conn.execute("SELECT * FROM tasks WHERE plan_id = ? ORDER BY id", (rec["id"],)).fetchall()
        legal = conn.execute("SELECT number FROM plan_references WHERE plan_id = ? AND is_legal_basis = 1",
                             (rec["id"],)).fetchall()
    assert [(r["agency"], r["role"]) for r in resp] == [(r["agency"], r["role"]) for r in rec["responsibilities"]]
    assert resp[1]["agency_text"] == "Sở Nông nghiệp và PTNT"
    # every span points at its text in plans.text
    assert rec["text"][resp[0]["span_start"]:resp[0]["span_end"]].endswith(resp[0]["duty"])
    assert dict(map(tuple, src)) == {"Ngân sách tỉnh": 6_520_000_000, "Vốn đối ứng": 11_250_000_000}
    assert tasks[0]["lead"] == "Sở Nông nghiệp và Phát triển nông thôn"
    assert (tasks[0]["timeline_start"], tasks[0]["timeline_end"]) == ("2020-04-01", "2020-06-30")
    assert [r[0] for r in legal] == ["490/QĐ-TTg"]


def test_reprocessing_the_same_plan_adds_no_duplicates(db):
    before = counts(db)
    store.upsert_record(db, khanh_hoa())
    store.upsert_record(db, khanh_hoa())
    assert counts(db) == before


def test_new_version_of_a_file_replaces_the_old_plan(db):
    old, new = khanh_hoa(), khanh_hoa(version="v2")
    new["responsibilities"][0]["duty"] = "Chủ trì tổ chức hội chợ triển lãm sản phẩm OCOP"
    assert old["id"] != new["id"] and old["source"]["path"] == new["source"]["path"]
    before = counts(db)
    store.upsert_record(db, new)
    assert counts(db) == before
    with sqlite3.connect(db) as conn:
        ids = {r[0] for r in conn.execute("SELECT id FROM plans")}
    assert new["id"] in ids and old["id"] not in ids
    # the index follows: the old wording is gone, the new one found
    assert fts_hits(db, "responsibilities_fts", '"diem" "gioi" "thieu"') == 0
    assert fts_hits(db, "responsibilities_fts", '"hoi" "cho" "trien" "lam"') == 1


def test_remove_plan_by_id_and_by_path(db):
    assert store.remove_plan(db, plan_id=krong_no()["id"]) == 1
    assert store.remove_plan(db, plan_id="0" * 16) == 0
    left = counts(db)
    assert left["plans"] == 1 and left["responsibilities"] == 3 and left["responsibilities_fts"] == 3
    assert store.remove_plan(db, source_path=khanh_hoa()["source"]["path"]) == 1
    assert all(n == 0 for n in counts(db).values())


def test_a_failing_load_leaves_the_previous_version_whole(db):
    before = counts(db)
    bad = khanh_hoa(version="v2")
    bad["timeline"][1]["text"] = {"not": "a string"}  # fails to bind half-way through the load
    with pytest.raises(sqlite3.Error):
        store.upsert_record(db, bad)
    assert counts(db) == before
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM plans WHERE id = ?", (khanh_hoa()["id"],)).fetchone()[0] == 1


WRITER = """
import sys
sys.path.insert(0, sys.argv[2])
from plan_factory import khanh_hoa
from vnplan import store
rec = khanh_hoa()
# 1200 distinct duties (the store keeps one row per agency, role and duty)
rec["responsibilities"] = [dict(r, duty=f"{r['duty']} ({n})", span=None)
                           for n in range(400) for r in rec["responsibilities"]]
store.upsert_record(sys.argv[1], rec)  # imports and the first load done: later kills hit a load
print("ready", flush=True)
n = 0
while True:
    n += 1
    rec["id"] = f"{n:016x}"
    store.upsert_record(sys.argv[1], rec)
"""


def test_kill_9_during_loads_leaves_no_partial_plan(tmp_path):
    path = tmp_path / "crash.db"
    store.init_db(path)
    for attempt in range(3):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(Path(__file__).parent)],
                                stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parents[1])
        assert proc.stdout.readline().strip() == "ready"
        time.sleep(0.6 + 0.25 * attempt)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        with sqlite3.connect(path) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            plans = conn.execute("SELECT id, n_responsibilities FROM plans").fetchall()
            assert len(plans) == 1  # one path: each load replaced the previous one
            pid, n = plans[0]
            assert n == 1200
            assert conn.execute("SELECT count(*) FROM responsibilities").fetchone()[0] == 1200
            assert conn.execute("SELECT count(*) FROM responsibilities_fts").fetchone()[0] == 1200


def test_full_text_index_matches_without_diacritics(db):
    # tone marks folded by the tokenizer, đ by the folded copy
    assert fts_hits(db, "responsibilities_fts", '"so" "cong" "thuong"') == 1
    assert fts_hits(db, "tasks_fts", '"dao" "tao"') == 1
    assert fts_hits(db, "tasks_fts", '"đào" "tạo"') == 1
    assert fts_hits(db, "objectives_fts", '"muc" "tieu" "cu" "the"') == 2


def test_views_answer_with_plain_sqlite(db):
    with sqlite3.connect(db) as conn:  # no vnplan functions registered: any SQL tool can read it
        by_province = dict(conn.execute("SELECT province, budget_total_vnd FROM budget_by_province").fetchall())
        passage = conn.execute("SELECT passage, duty FROM responsibility_passages WHERE agency = 'Sở Công Thương'").fetchone()
        roles = conn.execute("SELECT duties FROM agency_roles WHERE agency = 'Phòng Kinh tế và Hạ tầng' AND role = 'lead'").fetchone()
        timeline = conn.execute("SELECT task_title FROM timeline_by_plan WHERE kind = 'deadline'").fetchall()
    assert by_province == {"Khánh Hòa": 17_770_000_000, "Đắk Nông": 1_200_000_000}
    assert passage[0] == f"Sở Công Thương: {passage[1]}"
    assert roles == (1,)
    assert timeline == [("Đưa 01-02 sản phẩm OCOP bày bán tại các hệ thống siêu thị",)]


CORPUS = sorted(PLANS.glob("*.txt")) + sorted(EXTRA.glob("*.txt"))  # the sample plans (corpus_records)


@pytest.mark.skipif(not CORPUS, reason="corpus not present")
def test_corpus_records_load_with_matching_row_counts(tmp_path, corpus_records):
    path = tmp_path / "corpus.db"
    records = [corpus_records[p.resolve()] for p in CORPUS]
    for rec in records:
        store.upsert_record(path, rec)
    for rec in records[:2]:  # a second run replaces, never duplicates
        store.upsert_record(path, rec)
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == len({r["id"] for r in records})
        for rec in records:
            n_resp = conn.execute("SELECT count(*) FROM responsibilities WHERE plan_id = ?", (rec["id"],)).fetchone()[0]
            n_tasks = conn.execute("SELECT count(*) FROM tasks WHERE plan_id = ?", (rec["id"],)).fetchone()[0]
            n_tables = conn.execute("SELECT count(*) FROM plan_tables WHERE plan_id = ?", (rec["id"],)).fetchone()[0]
            text = conn.execute("SELECT text FROM plans WHERE id = ?", (rec["id"],)).fetchone()[0]
            assert (n_resp, n_tasks, n_tables) == (len(responsibility_rows(rec)), len(rec["tasks"]), len(rec["tables"]))
            assert text == rec["text"]
        for view in ["responsibility_passages", "plan_summary", "budget_by_province", "agency_roles", "timeline_by_plan"]:
            conn.execute(f"SELECT * FROM {view}").fetchall()


def test_a_source_range_and_the_allocations_reach_the_store(tmp_path):
    rec = khanh_hoa()
    # as 107_bvhttdl writes one: "(khoảng 91.299 tỷ đồng - 97.386 tỷ đồng)"
    rec["budget"]["sources"] = [{"name": "Ngân sách trung ương", "amount_vnd": 91_299_000_000_000,
                                 "amount_max_vnd": 97_386_000_000_000}]
    rec["budget"]["allocations"] = [{"label": "Đề án 1", "amount_vnd": 50_000_000_000,
                                     "span": {"start": 0, "end": 10}}]
    db = tmp_path / "vnplan.db"
    store.upsert_record(db, rec)
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT source, amount_vnd, amount_max_vnd FROM budget_by_source").fetchall() == [
            ("Ngân sách trung ương", 91_299_000_000_000, 97_386_000_000_000)]
        assert conn.execute("SELECT label, amount_vnd FROM budget_allocations").fetchall() == [
            ("Đề án 1", 50_000_000_000)]
