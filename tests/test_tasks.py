"""Tasks: numbered items of the tasks sections and rows of task tables (logic frames)."""
from __future__ import annotations

import pytest

from pipeline.build import load_document
from pipeline.parse.responsibilities import extract_assignments
from pipeline.parse.sections import parse_sections
from pipeline.parse.tasks import table_layout

from conftest import EXTRA, PLANS
from doc_factory import doc_of

LOGIC_FRAME = [
    ["STT", "Nội dung", "Sản phẩm/Kết quả", "Thời gian thực hiện", "", "Trách nhiệm", "", "Ghi chú"],
    ["", "", "", "Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp", ""],
    ["1", "Lập kế hoạch chung", "Kế hoạch chung được ban hành", "01/4", "07/4", "Phòng Nông nghiệp",
     "Các đơn vị, UBND các xã, thị trấn", ""],
    ["7", "Tổ chức đánh giá đợt 1", "Hoàn thành các hồ sơ đánh giá gửi tỉnh", "15/5", "15/6", "Phòng Nông nghiệp",
     "Hội đồng đánh giá OCOP huyện", ""],
]


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=194)
def test_logic_frame_layout():
    doc = doc_of("KHUNG LOGIC", LOGIC_FRAME)
    layout = table_layout(doc.tables[0])
    assert (layout.task, layout.lead, layout.coordinate, layout.deliverable, layout.time) == (1, [5], [6], 2, [3, 4])
    assert layout.first_data_row == 2


def test_table_without_assignments_is_no_task_table():
    doc = doc_of("PHỤ LỤC 02", [["STT", "Huyện, thị xã, thành phố", "Số lượng sản phẩm", "Danh mục sản phẩm"],
                                ["1", "Huyện Vạn Ninh", "11", "Tỏi"]])
    assert table_layout(doc.tables[0]) is None


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=200)
def test_logic_frame_rows_become_tasks():
    doc = doc_of("I. MỤC TIÊU", "Phấn đấu có 4 sản phẩm.", "KHUNG LOGIC KẾ HOẠCH", LOGIC_FRAME)
    tasks, rows = extract_assignments(doc, parse_sections(doc), {"level": "district"})
    t = [t for t in tasks if t["title"] == "Tổ chức đánh giá đợt 1"][0]
    assert t["numbering"] == "7"
    assert t["lead"] == ["Phòng Nông nghiệp"]
    assert t["coordinators"] == ["Hội đồng đánh giá OCOP huyện"]
    assert t["deliverable"] == "Hoàn thành các hồ sơ đánh giá gửi tỉnh"
    assert t["timeline"] is None
    assert doc.text[t["span"]["start"]:t["span"]["end"]].startswith("7\tTổ chức đánh giá đợt 1")
    assert {r["task"] for r in rows if r["agency"] == "Hội đồng đánh giá OCOP huyện"} == {t["id"]}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=193)
def test_numbered_items_of_tasks_sections_become_tasks():
    doc = doc_of("II. NỘI DUNG THỰC HIỆN",
                 "1. Công tác tuyên truyền về Chương trình OCOP",
                 "- Đơn vị thực hiện: Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Thông tin và Truyền thông.",
                 "2. Xúc tiến thương mại",
                 "- Đơn vị thực hiện: Sở Công Thương chủ trì, Sở Nông nghiệp và PTNT phối hợp.",
                 "IV. TỔ CHỨC THỰC HIỆN",
                 "1. Sở Tài chính",
                 "Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư thẩm định kinh phí.")
    tasks, rows = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    assert [(t["id"], t["numbering"], t["title"]) for t in tasks] == [
        ("k1", "1", "Công tác tuyên truyền về Chương trình OCOP"), ("k2", "2", "Xúc tiến thương mại")]
    assert tasks[0]["lead"] == ["Sở Nông nghiệp và Phát triển nông thôn"]
    assert tasks[0]["coordinators"] == ["Sở Thông tin và Truyền thông"]
    assert tasks[1]["lead"] == ["Sở Công Thương"]
    finance = [r for r in rows if r["agency"] == "Sở Tài chính"]
    assert finance and all(r["task"] is None for r in finance)  # organisation duties are no tasks


def test_corpus_task_tables():
    doc = load_document(PLANS / "krongno_ocop_2021_kh83.txt")
    tasks, _ = extract_assignments(doc, parse_sections(doc), {"level": "district"})
    table_tasks = [t for t in tasks if t["deliverable"]]
    assert len(table_tasks) == 8
    assert table_tasks[1]["lead"] == ["Các phòng, ban, ngành"]
    doc = load_document(EXTRA / "03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt")
    tasks, _ = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    mine = [t for t in tasks if t["lead"] == ["Sở Công Thương", "Sở Xây dựng"]]
    assert len(mine) == 1 and mine[0]["coordinators"] == ["Các sở, ban, ngành"]
