"""The comparison report: every plan in JSON, Excel and offline HTML; themes; alignment."""
from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from plan_factory import khanh_hoa, krong_no, make_record
from vnplan.duties import responsibility_rows
from vnplan import store
from vnplan.report import align_tasks, write_comparison
from vnplan.themes import classify, themes


def can_tho() -> dict:
    return make_record(
        "inbox/cantho_kh109.txt", province="Cần Thơ", level="province", number="109/KH-UBND",
        issue_date="2024-05-10", period=(2024, 2025),
        title="Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm thành phố Cần Thơ năm 2024",
        duties=[("Sở Công Thương", "Sở Công Thương", "lead",
                 "Chủ trì tổ chức hội chợ, triển lãm, kết nối cung cầu sản phẩm OCOP")],
        tasks=[("Tổ chức đào tạo, tập huấn cho các chủ thể sản xuất tham gia Chương trình OCOP năm 2024",
                ["Sở Nông nghiệp và Phát triển nông thôn"], [], ("2024-07-01", "2024-09-30", "interval", "Quý III"))],
        targets=[("Phấn đấu có ít nhất 30 sản phẩm OCOP được công nhận", 30, None, "sản phẩm")],
    )


@pytest.mark.parametrize("line, theme", [
    ("Tổ chức tập huấn, đào tạo cho các chủ thể sản xuất tham gia Chương trình OCOP", "dao_tao"),
    ("Đưa các sản phẩm OCOP lên sàn giao dịch thương mại điện tử của Bưu điện Việt Nam", "chuyen_doi_so"),
    ("Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện tổ chức đánh giá, phân hạng sản phẩm", "danh_gia_phan_hang"),
    ("Triển khai các hoạt động thông tin, tuyên truyền về Chương trình OCOP", "tuyen_truyen"),
    ("Cân đối vốn từ nguồn Chương trình mục tiêu quốc gia xây dựng nông thôn mới", "co_che_nguon_von"),
    ("Triển khai xây dựng điểm giới thiệu và bán sản phẩm OCOP", "xuc_tien_thuong_mai"),
])
def test_task_themes(line, theme):
    assert theme in classify(line)


def test_theme_words_need_word_boundaries():
    # "giám sát" must not fire on "khảo sát"; every theme has a label
    assert "quan_ly_giam_sat" not in classify("Khảo sát nhu cầu của chủ thể")
    assert all(t.label for t in themes())


def test_similar_tasks_are_aligned_across_plans():
    items = pd.DataFrame([
        {"plan_id": "a", "source": "task", "agency": "", "text": "Tổ chức tập huấn, đào tạo cho các chủ thể sản xuất tham gia Chương trình OCOP"},
        {"plan_id": "b", "source": "task", "agency": "", "text": "Tổ chức đào tạo, tập huấn cho các chủ thể sản xuất tham gia Chương trình OCOP năm 2024"},
        {"plan_id": "b", "source": "task", "agency": "", "text": "Kiểm tra việc sử dụng vật liệu nổ công nghiệp tại các mỏ khoáng sản"},
        {"plan_id": "a", "source": "duty", "agency": "", "text": "Bố trí kinh phí thực hiện chương trình theo quy định"},
    ])
    groups = align_tasks(items)
    assert len(groups) == 1
    assert sorted(it["plan_id"] for it in groups[0]["items"]) == ["a", "b"]
    assert "dao_tao" in groups[0]["themes"]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> tuple[list[Path], list[dict]]:
    tmp_path = tmp_path_factory.mktemp("report")
    db = tmp_path / "vnplan.db"
    records = [khanh_hoa(), krong_no(), can_tho()]
    for rec in records:
        store.upsert_record(db, rec)
    return write_comparison(db, tmp_path / "out"), records


def test_report_files_are_written_atomically(report):
    paths, _ = report
    out = paths[0].parent
    assert sorted(p.name for p in paths) == ["comparison.html", "comparison.json", "comparison.xlsx"]
    assert sorted(p.name for p in out.iterdir()) == ["comparison.html", "comparison.json", "comparison.xlsx"]


def test_json_has_every_plan_grouped_by_old_and_new_province(report):
    paths, records = report
    data = json.loads((paths[0].parent / "comparison.json").read_text(encoding="utf-8"))
    assert {p["id"] for p in data["plans"]} == {r["id"] for r in records}
    kn = next(p for p in data["plans"] if p["number"] == "83/KH-UBND")
    assert (kn["locality"], kn["level"], kn["tasks"], kn["responsibilities"], kn["targets"], kn["budget_total_vnd"]) == \
        ("Krông Nô", "district", 2, 3, 1, 1_200_000_000)
    assert (kn["period_start"], kn["period_end"]) == (2021, 2021)
    assert "tuyen_truyen" in kn["themes"] and "xuc_tien_thuong_mai" in kn["themes"]
    assert {g["province"] for g in data["by_province"]} == {"Khánh Hòa", "Đắk Nông", "Cần Thơ"}
    assert {g["province_2025"]: g["plans"] for g in data["by_province_2025"]}["Lâm Đồng"] == 1
    aligned = [g for g in data["aligned_tasks"] if "dao_tao" in g["themes"]]
    assert aligned and {it["plan_id"] for it in aligned[0]["items"]} == {khanh_hoa()["id"], can_tho()["id"]}


def test_html_is_offline_and_shows_every_plan(report):
    paths, records = report
    html = (paths[0].parent / "comparison.html").read_text(encoding="utf-8")
    for rec in records:
        assert f'data-plan-id="{rec["id"]}"' in html
        assert rec["metadata"]["number"] in html
    assert not re.search(r"<script[^>]*\bsrc=", html)  # plotly inlined: works offline
    assert "Plotly" in html
    assert html.count('class="plotly-graph-div"') >= 4
    assert "Sở Công Thương" in html and "C1" in html  # agency × plan matrix


def test_excel_has_one_sheet_per_table(report):
    paths, records = report
    wb = openpyxl.load_workbook(paths[0].parent / "comparison.xlsx", read_only=True)
    assert {"plans", "tasks", "responsibilities", "targets", "timeline", "budget_sources", "themes",
            "agency_matrix", "by_province", "by_province_2025"} <= set(wb.sheetnames)
    plans = list(wb["plans"].values)
    assert len(plans) == 1 + len(records)
    assert len(list(wb["responsibilities"].values)) == 1 + sum(len(r["responsibilities"]) for r in records)


def test_report_of_an_empty_store(tmp_path):
    db = tmp_path / "empty.db"
    store.init_db(db)
    paths = write_comparison(db, tmp_path / "out")
    assert json.loads(paths[0].read_text(encoding="utf-8"))["plans"] == []
    assert "So sánh kế hoạch" in (tmp_path / "out" / "comparison.html").read_text(encoding="utf-8")


CORPUS = sorted((Path(__file__).parents[1] / "corpus" / "plans").glob("*.txt"))


@pytest.mark.skipif(not CORPUS, reason="corpus not present")
def test_report_over_corpus_records_has_every_plan(tmp_path, corpus_records):
    db = tmp_path / "corpus.db"
    records = [corpus_records[p.resolve()] for p in CORPUS]
    for rec in records:
        store.upsert_record(db, rec)
    paths = write_comparison(db, tmp_path / "out")
    data = json.loads(paths[0].read_text(encoding="utf-8"))
    assert sorted(p["id"] for p in data["plans"]) == sorted(r["id"] for r in records)
    html = paths[2].read_text(encoding="utf-8")
    assert all(f'data-plan-id="{r["id"]}"' in html for r in records)
    for plan, rec in zip(sorted(data["plans"], key=lambda p: p["id"]), sorted(records, key=lambda r: r["id"])):
        assert plan["responsibilities"] == len(responsibility_rows(rec))
        assert plan["tasks"] == len(rec["tasks"])
    wb = openpyxl.load_workbook(paths[1], read_only=True)
    assert len(list(wb["plans"].values)) == 1 + len(records)
