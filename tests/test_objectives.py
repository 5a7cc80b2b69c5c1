"""Objectives and their targets (pipeline/parse/objectives.py)."""
from __future__ import annotations

import hashlib
import unicodedata

import pytest

from pipeline.extract import extract
from pipeline.normalize.text import build_document
from pipeline.parse.objectives import extract_objectives
from pipeline.parse.sections import parse_sections

from conftest import gold_cases
from doc_factory import doc_of


def objectives(doc, meta=None):
    return extract_objectives(doc, parse_sections(doc), meta or {})


def test_general_and_specific_objectives():
    doc = doc_of("KẾ HOẠCH", "Triển khai Chương trình OCOP huyện Krông Nô năm 2021", "II. MỤC TIÊU", "1. Mục tiêu chung",
                 "Tập trung nâng cao chất lượng và sản lượng sản phẩm OCOP, xây dựng một số sản phẩm đạt tiêu chuẩn.",
                 "2. Mục tiêu cụ thể", "- Thành lập mới từ 2-3 Hợp tác xã; kiện toàn các Hợp tác xã.",
                 "III. NỘI DUNG THỰC HIỆN", "- Đưa 01-02 sản phẩm OCOP bày bán tại siêu thị.")
    objs = objectives(doc)
    assert [(o["kind"], len(o["targets"])) for o in objs] == [("general", 0), ("specific", 1)]
    assert [o["id"] for o in objs] == ["o1", "o2"]
    o = objs[1]
    assert doc.text[o["span"]["start"]:o["span"]["end"]] == o["text"]
    t = o["targets"][0]
    assert (t["value"], t["value_max"], t["unit"]) == (2, 3, "Hợp tác xã")
    assert doc.text[t["span"]["start"]:t["span"]["end"]] == t["text"]


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=57)
def test_purpose_section_counts_only_without_objectives_section():
    doc = doc_of("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
                 "- Mỗi huyện, thành phố có ít nhất 01 tổ chức kinh tế (doanh nghiệp, HTX) tham gia.",
                 "2. Yêu cầu", "- Mỗi xã cử 01 cán bộ theo dõi.", "II. NỘI DUNG", "- Tập huấn 05 lớp.")
    objs = objectives(doc)
    assert [(o["kind"], [t["unit"] for t in o["targets"]]) for o in objs] == [("purpose", ["tổ chức kinh tế"])]
    with_goals = doc_of("KẾ HOẠCH", "I. MỤC ĐÍCH", "- Hỗ trợ 10 hộ gia đình.", "II. MỤC TIÊU", "- Có 02 sản phẩm OCOP.")
    assert [o["kind"] for o in objectives(with_goals)] == ["specific"]


def test_lettered_items_under_specific_objectives():
    doc = doc_of("KẾ HOẠCH", "I. MỤC TIÊU", "1. Mục tiêu chung: Phát triển sản phẩm OCOP bền vững.",
                 "2. Mục tiêu cụ thể", "a) Tiêu chuẩn hóa 148 sản phẩm dịch vụ hiện có.",
                 "b) Đào tạo 100% cán bộ quản lý nhà nước tham gia Chương trình OCOP.", "II. NỘI DUNG", "1. Tuyên truyền")
    objs = objectives(doc)
    assert [o["kind"] for o in objs] == ["general", "specific", "specific"]
    assert objs[0]["text"] == "Phát triển sản phẩm OCOP bền vững."
    assert [(t["value"], t["percent"]) for o in objs for t in o["targets"]] == [(148, False), (100, True)]


# ---------------------------------------------------------------- the sample plans

def _key(s):
    s = unicodedata.normalize("NFC", s or "").casefold()
    return " ".join("".join(ch if ch.isalnum() or ch.isspace() else " " for ch in s).split())


def _matches(g, p):
    """The scorer's target match: value and value_max equal, gold unit words in unit or text."""
    if p.get("value") is None or float(p["value"]) != float(g["value"]):
        return False
    if (g.get("value_max") is None) != (p.get("value_max") is None):
        return False
    if g.get("value_max") is not None and float(g["value_max"]) != float(p["value_max"]):
        return False
    hay = _key((p.get("unit") or "") + " " + (p.get("text") or "")).split()
    return all(w in hay for w in _key(g.get("unit")).split())




@pytest.mark.parametrize("path, gold", list(gold_cases()))
def test_sample_plan_targets_match_gold(path, gold):
    doc = build_document(extract(path), hashlib.sha256(path.read_bytes()).hexdigest())
    pred = [t for o in objectives(doc) for t in o["targets"]]
    unmatched = list(pred)
    for g in gold["targets"]:
        hit = next((p for p in unmatched if _matches(g, p)), None)
        assert hit is not None, f"gold target not found: {g}"
        unmatched.remove(hit)
    assert unmatched == [], f"extra targets: {[(p['value'], p['unit'], p['text']) for p in unmatched]}"


@pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=315)
def test_indicator_table_rows_are_targets():
    rows = [["TT", "Chỉ tiêu", "Đơn vị", "Kết quả", "Cơ quan chủ trì theo dõi, đánh giá"],
            ["**I**", "**Đến năm 2030**", "", "", ""],
            ["7", "Số doanh nghiệp công nghệ số ngang tầm các nước tiên tiến", "Doanh nghiệp", "≥ 5", "Bộ Thông tin và Truyền thông"],
            ["4", "Xếp hạng năng lực cạnh tranh số", "Thứ bậc", "≤ 3 Đông Nam Á; ≤ 50 Thế giới", "Bộ Thông tin và Truyền thông"],
            ["19", "Tổ chức khoa học và công nghệ được xếp hạng khu vực và thế giới", "Tổ chức", "40 - 50", "Bộ Khoa học và Công nghệ"],
            ["12", "Tỉ lệ giao dịch không dùng tiền mặt", "%", "≥ 80", "Ngân hàng Nhà nước"],
            ["1", "Tiềm lực khoa học, công nghệ", "Thứ bậc", "Đạt mức tiên tiến", "Bộ Khoa học và Công nghệ"]]
    doc = doc_of("PHỤ LỤC I DANH MỤC CÁC CHỈ TIÊU CỤ THỂ", rows)
    objs = objectives(doc)
    got = [(t["value"], t["value_max"], t["unit"], t["percent"], t["year"], t["qualifier"])
           for o in objs for t in o["targets"]]
    assert got == [(5, None, "Doanh nghiệp", False, 2030, "≥"), (3, None, "Thứ bậc", False, 2030, "≤"),
                   (50, None, "Thứ bậc", False, 2030, "≤"), (40, 50, "Tổ chức", False, 2030, None),
                   (80, None, "%", True, 2030, "≥")]
    assert len(objs) == 5 and all(o["kind"] == "specific" for o in objs)


# ---------------------------------------------------------------- issue 12: where goals are stated

@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=11)
def test_purpose_goal_beside_an_objectives_section():
    doc = doc_of("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU",
                 "1. Nắm chắc tình hình tội phạm, tệ nạn ma túy từ sớm, từ xa. Bảo đảm đạt ít nhất 40% địa bàn cấp xã "
                 "không ma túy trong năm 2026, phấn đấu đến năm 2030 đạt tiêu chí tỉnh “không ma túy”.",
                 "II. CHỈ TIÊU XÂY DỰNG XÃ, PHƯỜNG, ĐẶC KHU KHÔNG MA TÚY NĂM 2026",
                 "- Xây dựng mới 35 địa bàn cấp xã không ma túy.",
                 "III. GIẢI PHÁP THỰC HIỆN", "- Giao ban ít nhất 01 lần/tháng.")
    objs = objectives(doc)
    got = [(o["kind"], t["value"], t["unit"]) for o in objs for t in o["targets"]]
    assert got == [("purpose", 40, "địa bàn cấp xã"), ("specific", 35, "địa bàn cấp xã")]
    assert [o["id"] for o in objs] == ["o1", "o2"]


@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=62)
def test_goals_under_a_lead_in_when_objectives_state_no_number():
    doc = doc_of("KẾ HOẠCH", "I. MỤC ĐÍCH, YÊU CẦU", "1. Mục đích",
                 "a) Quán triệt, triển khai và tổ chức thực hiện nghiêm túc Chỉ thị số 14-CT/TW.",
                 "2. Yêu cầu", "b) Huy động sự tham gia của cả hệ thống chính trị nhằm hoàn thành cơ bản các chỉ tiêu:",
                 "- 100% xã tổ chức tuyên truyền.",
                 "II. NHIỆM VỤ VÀ GIẢI PHÁP", "1. Nhiệm vụ",
                 "Nhà nước giữ vai trò chủ đạo cùng với việc huy động các nguồn lực xã hội đối với công tác chăm sóc "
                 "gia đình thương binh, liệt sĩ và người có công với cách mạng, tập trung phấn đấu cụ thể hóa một số "
                 "nội dung cơ bản sau đây:",
                 "a) Rà soát, hoàn thiện hệ thống chính sách, pháp luật về ưu đãi người có công với cách mạng.",
                 "g) Đến năm 2020, 100% người có công với cách mạng được lập hồ sơ theo dõi sức khỏe; 90% con, cháu "
                 "người bị ảnh hưởng bởi chất độc hóa học được phát hiện sớm.",
                 "2. Giải pháp", "- Tập huấn 05 lớp cho cán bộ.")
    objs = objectives(doc)
    got = [(t["value"], t["unit"]) for o in objs for t in o["targets"]]
    assert got == [(100, "người"), (90, "con")]
    assert all(o["kind"] == "specific" for o in objs if o["targets"])


def test_no_lead_in_goals_beside_stated_objectives():
    doc = doc_of("KẾ HOẠCH", "I. MỤC TIÊU", "- Có 02 sản phẩm OCOP.", "II. NHIỆM VỤ",
                 "Tập trung phấn đấu các nội dung sau:", "- Tập huấn 05 lớp cho cán bộ.")
    assert [(t["value"], t["unit"]) for o in objectives(doc) for t in o["targets"]] == [(2, "sản phẩm OCOP")]


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=53)
def test_general_objectives_under_tong_quat():
    doc = doc_of("KẾ HOẠCH", "I. MỤC TIÊU TỔNG QUÁT", "1. Cụ thể hóa việc triển khai thực hiện hiệu quả, đúng mục tiêu.",
                 "II. MỤC TIÊU CỤ THỂ", "- 100% xã có điểm phục vụ.")
    assert [o["kind"] for o in objectives(doc)] == ["general", "specific"]


def test_year_by_year_figures_are_not_an_indicator_table():
    rows = [["TT", "Chỉ tiêu", "Đơn vị", "Thực hiện năm 2024", "Ước thực hiện năm 2025", "Kế hoạch năm 2026"],
            ["1", "Tổng sản phẩm trong tỉnh (GRDP)", "Tỷ đồng", "172.033", "190.000", "209.000"],
            ["2", "Số doanh nghiệp", "Doanh nghiệp", "10.100", "10.800", "11.400"]]
    doc = doc_of("PHỤ LỤC", "MỘT SỐ CHỈ TIÊU KINH TẾ - XÃ HỘI", rows)
    assert [t for o in objectives(doc) for t in o["targets"]] == []


def test_a_lead_in_to_the_means_is_not_a_goal_list():
    doc = doc_of("KẾ HOẠCH", "I. MỤC ĐÍCH", "- Nâng cao nhận thức của cán bộ.", "II. NHIỆM VỤ",
                 "Để đạt được các mục tiêu trên, cần tập trung thực hiện các nhiệm vụ sau:",
                 "- Tổ chức 05 lớp tập huấn cho cán bộ.")
    assert [t for o in objectives(doc) for t in o["targets"]] == []
