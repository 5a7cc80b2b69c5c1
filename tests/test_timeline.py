"""Which time expressions schedule work (pipeline/parse/timeline.py)."""
from __future__ import annotations

import hashlib

import pytest

from pipeline.extract import extract
from pipeline.normalize.text import build_document
from pipeline.parse.sections import parse_sections
from pipeline.parse.timeline import extract_timeline

from conftest import gold_cases
from doc_factory import doc_of

META_2020 = {"issue_date": "2020-04-16", "period": {"start_year": 2020, "end_year": 2020}}
META_2021 = {"issue_date": "2021-04-05", "period": {"start_year": 2021, "end_year": 2021}}


def pairs(doc, meta) -> set[tuple]:
    return {(t["start"], t["end"]) for t in extract_timeline(doc, parse_sections(doc), meta)}


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=80)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=180)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=202)
def test_task_periods_are_kept():
    doc = doc_of("- Thời gian thực hiện: Quý II năm 2020.", "- Thời gian thực hiện: Quý III – Quý IV năm 2020.",
                 "- Thời gian thực hiện: Năm 2020.")
    assert pairs(doc, META_2020) == {("2020-04-01", "2020-06-30"), ("2020-07-01", "2020-12-31"),
                                     ("2020-01-01", "2020-12-31")}


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=5)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=11)
def test_cited_documents_and_issue_date_are_left_out():
    doc = doc_of("Khánh Hòa, ngày 16 tháng 4 năm 2020",
                 "Căn cứ Quyết định số 3253/QĐ-UBND ngày 26/10/2018 của UBND tỉnh Khánh Hòa về việc ban hành "
                 "Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm giai đoạn 2018 – 2020;",
                 "- Các sản phẩm được đánh giá theo Quyết định số 1048/QĐ-TTg ngày 21/8/2019 của Thủ tướng Chính phủ.")
    assert pairs(doc, META_2020) == set()


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=318)
@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=56)
def test_product_cycle_year_is_left_out_but_scheduled_year_kept():
    doc = doc_of("- Tổ chức Hội nghị đánh giá kết quả thực hiện Chương trình OCOP năm 2019.",
                 "- Thuê đơn vị tư vấn hỗ trợ các chủ thể ... làm sản phẩm tiếp nối để đánh giá vào năm 2022.")
    assert pairs(doc, META_2021) == {("2022-01-01", "2022-12-31")}


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=326)
def test_recurring_report_deadlines_map_to_the_plans_period():
    doc = doc_of("- Thường xuyên tổ chức kiểm tra, giám sát; thực hiện nghiêm túc chế độ báo cáo định kỳ hàng quý "
                 "(trước ngày 25 của quý) và đột xuất về Sở Nông nghiệp và Phát triển nông thôn.",
                 "Các sở, ngành định kỳ tổng hợp báo cáo tình hình triển khai thực hiện Kế hoạch theo quý (trước ngày "
                 "10/3), 06 (trước ngày 10/6), báo cáo năm (trước ngày 10/12).")
    assert pairs(doc, META_2020) == {("2020-01-01", "2020-12-31")}


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=44)
def test_open_ended_plan_keeps_the_open_end():
    meta = {"issue_date": "2026", "period": {"start_year": 2026, "end_year": None}}
    doc = doc_of("- Thời gian thực hiện: Thực hiện thường xuyên hằng năm.")
    assert pairs(doc, meta) == {("2026-01-01", None)}


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=37)
@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=72)
def test_target_horizon_in_objectives_is_not_a_deadline():
    doc = doc_of("II. MỤC TIÊU", "- Phấn đấu có từ 4-5 sản phẩm được đánh giá, xếp hạng trong năm 2021, "
                 "lũy kế đến cuối năm 2021 đạt 10 sản phẩm;", "III. TỔ CHỨC THỰC HIỆN",
                 "- Đánh giá đợt 1: Trước ngày 15/5/2021;")
    assert pairs(doc, META_2021) == {("2021-01-01", "2021-12-31"), (None, "2021-05-15")}


def test_start_and_end_columns_of_a_logic_frame():
    rows = [["STT", "Nội dung", "Thời gian thực hiện", "", "Chủ trì"],
            ["", "", "Bắt đầu", "Kết thúc", ""],
            ["1", "Lập kế hoạch chung", "01/4", "07/4", "Phòng Nông nghiệp"],
            ["2", "Tổ chức đánh giá đợt 2", "15/9", "15/10", "Phòng Nông nghiệp"]]
    doc = doc_of("KHUNG LOGIC KẾ HOẠCH", rows)
    entries = extract_timeline(doc, parse_sections(doc), META_2021)
    assert {(t["start"], t["end"]) for t in entries} == {("2021-04-01", "2021-04-07"), ("2021-09-15", "2021-10-15")}
    first = next(t for t in entries if t["start"] == "2021-04-01")
    assert doc.text[first["span"]["start"]:first["span"]["end"]] == "01/4\t07/4"
    assert first["task"] is None and first["kind"] == "interval"


def test_time_column_reads_bare_years_and_words():
    rows = [["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời gian hoàn thành"],
            ["1", "Xây dựng Đề án", "Bộ Khoa học và Công nghệ", "2025"],
            ["2", "Rà soát quy định", "Bộ Tư pháp", "Hằng năm"]]
    meta = {"issue_date": "2025-01-09", "period": {"start_year": 2025, "end_year": 2030}}
    doc = doc_of("Phụ lục", rows)
    assert pairs(doc, meta) == {("2025-01-01", "2025-12-31"), ("2025-01-01", "2030-12-31")}


def test_deadline_column_makes_a_bare_year_a_deadline():
    rows = [["TT", "Nhiệm vụ", "Thời hạn"], ["1", "Hoàn thành số hóa dữ liệu", "2030"]]
    doc = doc_of("Phụ lục", rows)
    assert pairs(doc, {"issue_date": "2025-01-09", "period": {"start_year": 2025, "end_year": 2030}}) == {(None, "2030-12-31")}


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=80)
def test_spans_point_at_the_expression():
    doc = doc_of("I. NỘI DUNG", "- Thời gian thực hiện: Quý II năm 2020.")
    entry = extract_timeline(doc, parse_sections(doc), META_2020)[0]
    assert doc.text[entry["span"]["start"]:entry["span"]["end"]] == "Quý II năm 2020"


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=5)
def test_period_falls_back_to_the_title_when_metadata_has_none():
    doc = doc_of("KẾ HOẠCH", "Triển khai Đề án Chương trình mỗi xã một sản phẩm (OCOP) huyện Krông Nô năm 2021",
                 "Căn cứ Quyết định số 490/QĐ-TTg ngày 07/5/2018 về Chương trình giai đoạn 2018-2020;",
                 "- Thường xuyên kiểm tra, giám sát")
    assert pairs(doc, {}) == {("2021-01-01", "2021-12-31")}


# ---------------------------------------------------------------- the sample plans



@pytest.mark.parametrize("path, gold", list(gold_cases()))
def test_sample_plan_timeline_matches_gold(path, gold):
    """With the gold metadata standing in for the metadata parser: the set of (start, end)
    pairs the scorer compares."""
    doc = build_document(extract(path), hashlib.sha256(path.read_bytes()).hexdigest())
    m = gold["metadata"]
    meta = {"issue_date": m["issue_date"], "period": {"start_year": m["period"][0], "end_year": m["period"][1]}}
    assert pairs(doc, meta) == {tuple(x) for x in gold["timeline"]}


def test_letter_spaced_pdf_table_cells():
    rows = [["S T T", "Nội dung", "Thời gian thực hiện", "", "Chủ trì"],
            ["", "", "B ắ t đ ầ u", "K ế t t h ú c", ""],
            ["1", "Lập kế hoạch chung", "0 1/ 4", "0 7/ 4", "Phòng Nông nghiệp"]]
    doc = doc_of("KHUNG LOGIC KẾ HOẠCH", rows)
    assert pairs(doc, META_2021) == {("2021-04-01", "2021-04-07")}


def test_past_years_report_results_not_schedules():
    doc = doc_of("- Trong năm 2019, toàn tỉnh đã có 12 sản phẩm được công nhận.",
                 "- Thời gian thực hiện: Trong năm 2020.")
    assert pairs(doc, META_2020) == {("2020-01-01", "2020-12-31")}


@pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=346)
def test_indicator_table_horizons_are_not_deadlines():
    rows = [["TT", "Chỉ tiêu", "Đơn vị", "Kết quả"], ["I", "Đến năm 2030", "", ""],
            ["1", "Tỉ lệ giao dịch không dùng tiền mặt", "%", "≥ 80"]]
    doc = doc_of("PHỤ LỤC I DANH MỤC CÁC CHỈ TIÊU CỤ THỂ", rows)
    assert pairs(doc, {"issue_date": "2025-01-09", "period": {"start_year": 2025, "end_year": 2030}}) == set()


# ---------------------------------------------------------------- issue 12: plans never seen

META_2024 = {"issue_date": "2024-09-09", "period": {"start_year": 2024, "end_year": 2024}}
META_2026 = {"issue_date": "2026-03", "period": {"start_year": 2026, "end_year": 2026}}


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=19)
def test_a_day_before_the_plan_is_an_event_recalled():
    doc = doc_of("vệ BMNN đối với UBND thị xã Bỉm Sơn ngày 07/6/2024 của Đoàn Kiểm tra 3530 Bộ Công an.")
    assert pairs(doc, META_2024) == set()


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=40)
def test_a_milestone_after_the_plans_period_is_a_horizon():
    doc = doc_of("- Triển khai các giải pháp đồng bộ chuyển hóa địa bàn, phấn đấu xây dựng được ít nhất 40% xã, "
                 "phường, đặc khu không ma túy trong năm 2026 và xây dựng lộ trình thực hiện hàng năm, đảm bảo đến "
                 "năm 2030 toàn tỉnh đạt tiêu chí tỉnh không ma túy.")
    assert pairs(doc, META_2026) == {("2026-01-01", "2026-12-31")}


def test_a_yearless_part_of_the_year_needs_a_cue():
    doc = doc_of("là tiêu chí quan trọng trong đánh giá công tác thi đua, công tác cán bộ cuối năm của tập thể, cá nhân.",
                 "- Tổ chức sơ kết vào cuối năm.")
    assert pairs(doc, META_2026) == {("2026-10-01", "2026-12-31")}


@pytest.mark.source("41_hcm_qd3210_2014_kh_ho_tro_nha_o_nguoi_co_cong.txt", line=228)
def test_a_duty_starting_from_this_plan_is_not_a_basis_line():
    meta = {"issue_date": "2014-06-28", "period": {"start_year": 2014, "end_year": None}}
    doc = doc_of("Căn cứ Kế hoạch này để tổng hợp, bố trí vốn có mục tiêu cho Ủy ban nhân dân quận, huyện trong kế "
                 "hoạch và dự toán ngân sách của Thành phố trong năm 2014 và các năm tiếp theo, báo cáo Ủy ban",
                 "Căn cứ Quyết định số 22/2013/QĐ-TTg ngày 26 tháng 4 năm 2013 của Thủ tướng Chính phủ;")
    assert pairs(doc, meta) == {("2014-01-01", None)}


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=197)
def test_recurring_duties_span_a_period_stated_from_now():
    meta = {"issue_date": "2025-11-21", "period": {"start_year": 2025, "end_year": 2030}}
    doc = doc_of("1. Thời gian: từ nay đến năm 2030.", "- Tổng hợp, báo cáo kết quả thực hiện hàng năm.")
    assert pairs(doc, meta) == {("2025-11-21", "2030-12-31")}


META_NOV_2025 = {"issue_date": "2025-11-20", "period": {"start_year": 2026, "end_year": 2030}}


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=303)
@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=227)
def test_a_label_behind_emphasis_marks_schedules_even_before_the_period():
    doc = doc_of("II. NHIỆM VỤ",
                 "- Ra mắt AI pháp luật hỗ trợ cho cán bộ, công chức, viên chức trên địa bàn tỉnh.",
                 "*Thời gian thực hiện: *Tháng 12/2025.",
                 "- Nghiên cứu tham mưu UBND tỉnh ban hành cơ chế, chính sách.",
                 "*Thời gian thực hiện: *Giai đoạn 2026-2030 và những năm tiếp theo.",
                 "- Trong năm 2019, toàn tỉnh đã tổ chức 12 lớp bồi dưỡng.")
    assert pairs(doc, META_NOV_2025) == {("2025-12-01", "2025-12-31"), ("2026-01-01", None)}


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=372)
def test_a_month_between_the_issue_date_and_the_period_is_a_deadline():
    doc = doc_of("V. TỔ CHỨC THỰC HIỆN",
                 "1. Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch triển khai thực hiện phù hợp với chức năng, "
                 "nhiệm vụ, điều kiện thực tế của từng cơ quan, đơn vị, địa phương xong trong tháng 12/2025.",
                 "2. Năm 2025, toàn tỉnh đã tổ chức 12 lớp bồi dưỡng.")
    assert pairs(doc, META_NOV_2025) == {("2025-12-01", "2025-12-31")}
