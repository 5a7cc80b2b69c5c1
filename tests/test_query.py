"""Analyst queries: who does what, full-text search, raw SQL, DataFrames, the CLI."""
from __future__ import annotations

import csv
import io
import json
import sqlite3

import pytest
import typer
from typer.testing import CliRunner

import vnplan
from plan_factory import khanh_hoa, krong_no
from vnplan import query, store
from vnplan.commands_analyst import register
from vnplan.search_key import fts_query, search_key


def test_fold_drops_tone_marks_and_d_stroke():
    assert search_key("Sở Nông nghiệp và Phát triển nông thôn") == "so nong nghiep va phat trien nong thon"
    assert search_key("ĐÀO TẠO, tập huấn") == "dao tao, tap huan"
    assert fts_query('Sở NN&PTNT') == '"so" "nn" "ptnt"'
    assert fts_query('Sở "NN&PTNT"') == '"so" "nn ptnt"'  # a quoted phrase stays a phrase


@pytest.mark.parametrize("typed", ["Sở Công Thương", "so cong thuong", "SỞ CÔNG THƯƠNG", "Sở Công thương"])
def test_who_tolerates_case_and_missing_diacritics(db, typed):
    rows = query.who(db, typed)
    assert [(r["agency"], r["role"], r["locality"]) for r in rows] == [("Sở Công Thương", "lead", "Khánh Hòa")]
    assert rows[0]["duty"].startswith("Chủ trì, phối hợp với các Sở, ngành có liên quan")


def test_who_expands_abbreviations(db):
    pytest.importorskip("pipeline.normalize.agencies")
    rows = query.who(db, "So NN&PTNT")
    assert [(r["agency"], r["role"]) for r in rows] == [("Sở Nông nghiệp và Phát triển nông thôn", "coordinate")]
    assert [r["locality"] for r in query.who(db, "Phòng TC-KH")] == ["Krông Nô"]


def test_who_matches_the_name_as_written(db):
    # the abbreviation as the plan wrote it is found through agency_text
    rows = query.who(db, "Phòng Kinh tế & Hạ tầng")
    assert [r["agency"] for r in rows] == ["Phòng Kinh tế và Hạ tầng"]


def test_who_role_filter_and_order(db):
    assert query.who(db, "Sở Thông tin và Truyền thông", role="coordinate") == []
    rows = query.who(db, "Ủy ban nhân dân cấp xã")
    assert [(r["role"], r["province"]) for r in rows] == [("coordinate", "Đắk Nông")]


def test_who_shows_the_task_timeline(tmp_path):
    rec = krong_no()
    rec["responsibilities"][0]["task"] = "t2"
    path = tmp_path / "t.db"
    store.upsert_record(path, rec)
    [row] = query.who(path, "phong kinh te va ha tang")
    assert (row["timeline"], row["timeline_end"]) == ("trước ngày 30/11/2021", "2021-11-30")


def test_search_finds_duties_tasks_and_objectives_without_diacritics(db):
    hits = query.search(db, "tuyen truyen")
    assert {(h["kind"], h["locality"]) for h in hits} == {
        ("task", "Krông Nô"), ("responsibility", "Khánh Hòa"), ("responsibility", "Krông Nô")}
    assert [h["kind"] for h in query.search(db, "dao tao")] == ["task"]
    assert [h["kind"] for h in query.search(db, "muc tieu cu the")] == ["objective", "objective"]
    assert query.search(db, "hội chợ") == []
    assert query.search(db, "   ") == []


def test_run_sql_is_read_only(db):
    cols, rows = query.run_sql(db, "SELECT locality, n_tasks FROM plans ORDER BY locality")
    assert cols == ["locality", "n_tasks"] and rows == [("Khánh Hòa", 2), ("Krông Nô", 2)]
    with pytest.raises(sqlite3.OperationalError):
        query.run_sql(db, "DELETE FROM plans")
    assert query.run_sql(db, "SELECT count(*) FROM plans")[1] == [(2,)]


def test_passage_returns_the_span_text(db):
    rec = khanh_hoa()
    r = rec["responsibilities"][0]
    text = query.passage(db, rec["id"], r["span"]["start"], r["span"]["end"])
    assert text == f"Sở Công Thương: {r['duty']}"
    wider = query.passage(db, rec["id"], r["span"]["start"], r["span"]["end"], context=20)
    assert text in wider and len(wider) == len(text) + 40


def test_load_gives_dataframes(db):
    frames = vnplan.load(db)
    assert set(frames) >= {"plans", "responsibilities", "targets", "timeline", "budget_items", "tasks"}
    assert len(frames["plans"]) == 2 and "text" not in frames["plans"]
    assert len(frames["responsibilities"]) == 6
    assert sorted(frames["targets"]["value"]) == [2, 4, 39]
    assert frames["responsibilities"].groupby("province").size().to_dict() == {"Khánh Hòa": 3, "Đắk Nông": 3}


def _cli() -> typer.Typer:
    app = typer.Typer()

    @app.command()
    def run() -> None:  # the lead's app has its own commands; two make Typer keep subcommands
        pass

    register(app)
    return app


def test_cli_who_json_and_query_csv(db):
    runner = CliRunner()
    res = runner.invoke(_cli(), ["who", "so cong thuong", "--db", str(db), "--format", "json"])
    assert res.exit_code == 0, res.output
    assert [r["agency"] for r in json.loads(res.stdout)] == ["Sở Công Thương"]
    res = runner.invoke(_cli(), ["query", "SELECT province, budget_total_vnd FROM plans ORDER BY 1", "--sql",
                                 "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0, res.output
    assert list(csv.reader(io.StringIO(res.stdout))) == [["province", "budget_total_vnd"],
                                                          ["Khánh Hòa", "17770000000"], ["Đắk Nông", "1200000000"]]
    res = runner.invoke(_cli(), ["query", "xuc tien thuong mai", "--db", str(db)])
    assert res.exit_code == 0 and "Krông" in res.stdout
    res = runner.invoke(_cli(), ["who", "x", "--db", str(db.parent / "missing.db")])
    assert res.exit_code == 1


def test_datasette_metadata_names_real_columns_and_canned_queries_run(db):
    import re as _re

    from vnplan import serve
    from vnplan.datasette_plugins import vnplan_datasette as plugin

    meta = serve.metadata("vnplan")["databases"]["vnplan"]
    conn = sqlite3.connect(db)
    plugin.prepare_connection(conn)
    for table, conf in meta["tables"].items():
        cols = {r[1] for r in conn.execute(f"PRAGMA table_info({table})")}
        assert cols, table
        for facet in conf.get("facets", []):
            assert (facet["array"] if isinstance(facet, dict) else facet) in cols, (table, facet)
        if "fts_pk" in conf:
            assert conf["fts_pk"] in cols
    args = {"co_quan": "Sở NN&PTNT", "tu_ngay": "2020-01-01", "id": 2, "q": "tuyen truyen"}
    results = {}
    for name, q in meta["queries"].items():
        params = {p: args[p] for p in _re.findall(r":(\w+)", q["sql"])}
        results[name] = conn.execute(q["sql"], params).fetchall()
    assert results["ngan_sach_theo_tinh"][0][:4] == ("Khánh Hòa", "Khánh Hòa", 1, 17_770_000_000)
    assert [r[0] for r in results["moc_thoi_gian_sap_toi"]] == ["2020-06-30", "2020-12-31", "2021-11-30", "2021-12-31"]
    assert len(results["tim_kiem"]) == 3
    assert results["doan_van"][0][2] == "Sở Nông nghiệp và Phát triển nông thôn"
    if query.canonical_name("Sở NN&PTNT"):
        assert [r[2] for r in results["trach_nhiem_theo_co_quan"]] == ["Sở Nông nghiệp và Phát triển nông thôn"]


def test_cli_limit_totals_phrases_and_vietnamese_roles(db):
    runner = CliRunner()
    res = runner.invoke(_cli(), ["query", "SELECT id FROM responsibilities", "--sql", "--limit", "2",
                                 "--db", str(db), "--format", "csv"])
    assert res.exit_code == 0 and len(list(csv.reader(io.StringIO(res.stdout)))) == 3  # header + 2
    res = runner.invoke(_cli(), ["query", "SELECT id FROM responsibilities", "--sql", "--limit", "2",
                                 "--db", str(db), "--format", "json"])
    assert len(json.loads(res.stdout)) == 2
    hits, total = query.search_with_total(db, "so", limit=1)
    assert len(hits) == 1 and total > 1
    res = runner.invoke(_cli(), ["query", "so", "--limit", "1", "--db", str(db)])
    assert f"1 / {total} kết quả" in res.stdout
    # a quoted phrase is searched as a phrase: the words in that order, next to each other
    assert query.search(db, '"xúc tiến thương mại"') and not query.search(db, '"thương mại xúc tiến"')
    lead = query.who(db, "Phòng TC-KH", role="chủ trì")
    assert lead and {r["role"] for r in lead} == {"lead"} and lead == query.who(db, "Phòng TC-KH", role="lead")
    res = runner.invoke(_cli(), ["who", "so cong thuong", "--role", "không có", "--db", str(db)])
    assert res.exit_code == 2


def test_cli_refuses_a_store_written_by_an_older_vnplan(tmp_path, db):
    old = tmp_path / "old.db"
    with sqlite3.connect(db) as src, sqlite3.connect(old) as dst:
        src.backup(dst)
        dst.execute("PRAGMA user_version = 1")
    res = CliRunner().invoke(_cli(), ["who", "so cong thuong", "--db", str(old)])
    assert res.exit_code == 1 and "older vnplan" in res.output
    store.init_db(old)  # the next run upgrades it: emptied, to be rebuilt
    with sqlite3.connect(old) as conn:
        assert conn.execute("SELECT count(*) FROM plans").fetchone()[0] == 0
