"""The cue-coverage diagnostic (pipeline/diagnose.py, `vnplan diagnose`): every role cue, money
amount and time expression of a record is covered, explained for a named reason, or listed."""
from __future__ import annotations

import json

import pytest
from doc_factory import doc_of
from typer.testing import CliRunner

from pipeline.build import record_from_document
from pipeline.diagnose import counts, diagnose, diagnose_record, format_table, notes
from vnplan.cli import app

HEADER = ("ỦY BAN NHÂN DÂN TỈNH BẮC NINH", "Bắc Ninh, ngày 20 tháng 11 năm 2025",
          "KẾ HOẠCH", "Nâng cao năng lực cán bộ giai đoạn 2026-2030")


def record(*paragraphs: str) -> dict:
    return record_from_document(doc_of(*HEADER, *paragraphs))


def classes(rec: dict, kind: str, cue: str) -> list[tuple[str, str]]:
    """(status, reason) of each `kind` cue of the record written as `cue` (case ignored)."""
    return [(c.status, c.reason) for c in diagnose_record(rec) if c.kind == kind and c.text.lower() == cue]


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=63)
def test_lead_and_partner_rows_cover_their_cues():
    rec = record("I. TỔ CHỨC THỰC HIỆN",
                 "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Lao động – Thương binh và Xã hội "
                 "và Uỷ ban nhân dân các huyện, thành phố.")
    assert classes(rec, "role", "chủ trì") == [("covered", "row")]
    assert classes(rec, "role", "phối hợp") == [("covered", "row")]


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=63)
def test_a_record_without_the_rows_lists_the_cues():
    rec = record("I. TỔ CHỨC THỰC HIỆN",
                 "- Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với Sở Lao động – Thương binh và Xã hội "
                 "và Uỷ ban nhân dân các huyện, thành phố.")
    rec["responsibilities"] = []
    assert classes(rec, "role", "chủ trì") == [("unexplained", "agency_named_no_row")]
    assert classes(rec, "role", "phối hợp") == [("unexplained", "agency_named_no_row")]


@pytest.mark.source("117_nghean_kh982_2025_dot_thi_dua_dai_hoi_xiv.txt", line=277)
def test_vague_partners_explain_a_coordinate_cue():
    rec = record("II. TỔ CHỨC THỰC HIỆN",
                 "- Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua; phối hợp với các cơ quan, đơn vị liên quan "
                 "triển khai, đôn đốc.")
    rec["responsibilities"] = []
    assert classes(rec, "role", "phối hợp") == [("explained", "vague_partner")]


@pytest.mark.source("115_nghean_kh980_2025_thi_hanh_nd200_phong_thu_dan_su.txt", line=99)
def test_a_noun_use_is_no_duty():
    rec = record("I. MỤC ĐÍCH, YÊU CẦU",
                 "- Bảo đảm sự lãnh đạo của Ủy ban nhân dân tỉnh; sự phối hợp chặt chẽ giữa các sở, ban, ngành, "
                 "tổ chức chính trị - xã hội.")
    assert classes(rec, "role", "phối hợp") == [("explained", "noun_use")]


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1427)
def test_the_leads_own_coordination_names_no_partner():
    rec = record("III. TỔ CHỨC THỰC HIỆN", "4. Sở Y tế",
                 "- Chủ trì, phối hợp triển khai các nhiệm vụ chuyển đổi số, phát triển kinh tế số và xã hội số "
                 "trong lĩnh vực y tế của Kế hoạch.")
    rec["responsibilities"] = [r for r in rec["responsibilities"] if r["role"] != "coordinate"]
    assert classes(rec, "role", "phối hợp") == [("explained", "lead_own_coordination")]


@pytest.mark.source("113_bacninh_kh144_2025_kinh_te_so_xa_hoi_so.txt", line=1243)
def test_a_partner_cut_off_by_a_lost_line_join_is_listed_as_such():
    rec = record("III. TỔ CHỨC THỰC HIỆN", "Chủ trì, phối hợp chặt chẽ với", "các sở, ngành tổ chức thực hiện.")
    rec["responsibilities"] = []
    assert classes(rec, "role", "phối hợp") == [("unexplained", "wrapped_line")]


@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=59)
def test_a_rate_is_no_sum():
    rec = record("II. NHIỆM VỤ", "- GRDP bình quân đầu người ước đạt 80 triệu đồng/người/năm.")
    assert classes(rec, "money", "80 triệu đồng") == [("explained", "rate")]


def test_money_of_past_results_is_explained_and_a_task_amount_is_not():
    rec = record("I. KẾT QUẢ THỰC HIỆN NĂM 2024", "Năm 2024 đã giải ngân 300 triệu đồng cho các xã.",
                 "II. NHIỆM VỤ", "1. Tập huấn cán bộ, kinh phí 120 triệu đồng.")
    rec["budget"] = None
    assert classes(rec, "money", "300 triệu đồng") == [("explained", "past_result")]
    assert classes(rec, "money", "120 triệu đồng") == [("unexplained", "amount_not_in_record")]


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=372)
def test_a_schedule_the_timeline_dropped_is_listed():
    rec = record("III. TỔ CHỨC THỰC HIỆN",
                 "1. Các cơ quan, đơn vị, địa phương xây dựng Kế hoạch triển khai thực hiện phù hợp với chức năng, "
                 "nhiệm vụ, điều kiện thực tế của từng cơ quan, đơn vị, địa phương xong trong tháng 12/2025.")
    rec["timeline"] = []
    assert classes(rec, "time", "tháng 12/2025") == [("unexplained", "not_in_timeline_interval")]


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=304)
def test_a_labelled_time_is_a_schedule_even_when_it_looks_like_a_horizon():
    rec = record("II. NHIỆM VỤ", "1. Đẩy mạnh chuyển đổi số trong công tác xây dựng pháp luật",
                 "Thời gian thực hiện: Tháng 12/2025.")
    rec["timeline"] = []
    assert classes(rec, "time", "tháng 12/2025") == [("unexplained", "labelled_schedule")]


def test_dates_of_the_legal_bases_are_explained():
    rec = record("Căn cứ Quyết định số 490/QĐ-TTg ngày 07/5/2018 của Thủ tướng Chính phủ;",
                 "I. MỤC ĐÍCH, YÊU CẦU", "- Tổ chức hội nghị trong tháng 3 năm 2026.")
    got = classes(rec, "time", "07/5/2018")
    assert got and all(st == "explained" and why in ("legal_basis", "cited_document") for st, why in got)


def test_coverage_counts_covered_and_explained():
    rec = record("II. TỔ CHỨC THỰC HIỆN",
                 "- Sở Nội vụ chủ trì, phối hợp với các cơ quan, đơn vị liên quan triển khai.",
                 "- Sự phối hợp giữa các ngành.")
    got = counts(diagnose_record(rec))["role"]
    assert got["all"] == got["covered"] + got["explained"] + got["unexplained"] == 3
    assert got["coverage"] == 1.0


def test_a_document_on_one_line_is_noted():
    assert notes({"text": "Căn cứ " * 2000}) and not notes({"text": "a\nb"})


def test_diagnose_command_prints_coverage_and_unexplained_cues(tmp_path):
    good = record("II. TỔ CHỨC THỰC HIỆN", "- Sở Nội vụ chủ trì, phối hợp với Sở Tài chính triển khai.")
    bare = record("II. TỔ CHỨC THỰC HIỆN", "- Sở Y tế chủ trì tổ chức tập huấn.")
    bare["responsibilities"] = []
    for name, rec in (("a.json", good), ("b.json", bare)):
        rec["source"]["path"] = f"corpus/mine/{name[0]}.txt"
        (tmp_path / name).write_text(json.dumps(rec, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner()
    out = runner.invoke(app, ["diagnose", str(tmp_path), "--format", "json"])
    assert out.exit_code == 0, out.output
    report = json.loads(out.output)
    assert report["corpora"]["mine"]["documents"] == 2
    assert report["corpora"]["mine"]["counts"]["role"]["unexplained"] == 1
    (bad,) = [d for d in report["documents"] if d["unexplained"]]
    assert bad["path"].endswith("b.txt") and bad["unexplained"][0]["text"] == "chủ trì"
    table = runner.invoke(app, ["diagnose", str(tmp_path), "--show", "5"])
    assert table.exit_code == 0 and "b.txt:" in table.output and "ALL mine" in table.output
    assert format_table(diagnose([good]), 0).startswith("== mine")


def test_a_year_ending_a_flattened_table_row_is_its_own_class():
    rec = record("III. NHIỆM VỤ", "Các sở, ban, ngành; UBND các phường, xã 2026 - 2030")
    rec["timeline"] = []
    assert classes(rec, "time", "2026 - 2030") == [("unexplained", "year_ending_row")]


@pytest.mark.source("103_ttg_qd2623_2025_kh_thi_hanh_luat_bao_ve_du_lieu_ca_nhan.txt", line=119)
def test_the_role_of_a_body_is_a_noun_use():
    rec = record("I. MỤC ĐÍCH, YÊU CẦU",
                 "- Nội dung công việc phải gắn với trách nhiệm, vai trò chủ trì của Bộ Công an trong việc phối "
                 "hợp với các bộ, cơ quan ngang bộ.")
    assert classes(rec, "role", "chủ trì") == [("explained", "noun_use")]


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=636)
def test_a_vague_subject_before_the_cue_explains_it_whatever_follows():
    rec = record("IV. TỔ CHỨC THỰC HIỆN",
                 "Hàng năm, trước ngày 25 tháng 12, các cơ quan, đơn vị chủ trì thực hiện các nhiệm vụ được giao "
                 "gửi Bộ Nông nghiệp và Môi trường báo cáo tình hình thực hiện.")
    assert classes(rec, "role", "chủ trì") == [("explained", "vague_collective")]


@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=280)
def test_money_of_a_forecast_is_explained_and_of_its_solutions_is_not():
    rec = record("II. DỰ BÁO CÁC CHỈ TIÊU KINH TẾ - XÃ HỘI 03 NĂM 2026 - 2028",
                 "1. Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026",
                 "- Tổng vốn đầu tư xã hội đạt khoảng 270.000 tỷ đồng.",
                 "III. DỰ BÁO NHỮNG TÁC ĐỘNG ĐẾN CÂN ĐỐI NSĐP VÀ CÁC GIẢI PHÁP TỔ CHỨC THỰC HIỆN",
                 "1. Dự báo những tác động đến thu, chi ngân sách",
                 "- Thu tiền sử dụng đất dự kiến 560 tỷ đồng.",
                 "2. Các giải pháp tổ chức thực hiện kế hoạch",
                 "- Bố trí 120 tỷ đồng cho chi đầu tư phát triển.")
    rec["budget"] = None
    assert classes(rec, "money", "270.000 tỷ đồng") == [("explained", "forecast")]
    assert classes(rec, "money", "560 tỷ đồng") == [("explained", "forecast")]
    assert classes(rec, "money", "120 tỷ đồng") == [("unexplained", "amount_not_in_record")]


@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=212)
@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=3639)
def test_a_footnote_on_a_past_figure_is_explained_by_its_mark():
    rec = record("I. TÌNH HÌNH THỰC HIỆN DỰ TOÁN NGÂN SÁCH NĂM 2025",
                 "- Thực hiện một số chính sách hỗ trợ người nộp thuế ảnh hưởng giảm thu ngân sách* [2]*.",
                 "II. NHIỆM VỤ",
                 "1. Tập huấn cán bộ thuế.",
                 "[2] Cụ thể: giảm tiền thuê đất của năm 2024 khoảng 21 tỷ đồng.",
                 "[3]", "Bao gồm chi tạo nguồn cải cách tiền lương 145,141 tỷ đồng.")
    rec["budget"] = None
    assert classes(rec, "money", "21 tỷ đồng") == [("explained", "footnote_past_result")]
    # "[3]" is marked nowhere in the text: a numbered list, not a footnote
    assert classes(rec, "money", "145,141 tỷ đồng") == [("unexplained", "amount_not_in_record")]


@pytest.mark.source("137_binhdinh_qd518_2023_phan_bo_ke_hoach_von_giao_duc_y_te.txt", line=35)
@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=332)
def test_allocations_and_the_bounds_of_a_source_cover_their_amounts():
    rec = record("III. KINH PHÍ THỰC HIỆN", "Tổng kinh phí thực hiện: 8.000 triệu đồng, trong đó:",
                 "- Đề án đảm bảo cơ sở vật chất cho chương trình giáo dục mầm non: 5.000 triệu đồng.",
                 "- Đề án nâng cao năng lực hoạt động hệ thống y tế cơ sở của tỉnh Bình Định giai đoạn "
                 "2022-2025: 3.000 triệu đồng (Chi tiết tại Phụ lục 02 kèm theo Quyết định này).")
    assert [a["amount_vnd"] for a in rec["budget"]["allocations"]] == [5_000_000_000, 3_000_000_000]
    for cue in ("5.000 triệu đồng", "3.000 triệu đồng"):
        assert classes(rec, "money", cue) == [("covered", "budget_or_target")]
    rec["budget"]["allocations"] = []
    assert classes(rec, "money", "3.000 triệu đồng") == [("unexplained", "budget_section_not_read")]
    rec = record("III. KINH PHÍ THỰC HIỆN", "Tổng kinh phí thực hiện: 8.000 tỷ đồng, trong đó:",
                 "- Ngân sách nhà nước: khoảng 1.000 tỷ đồng.",
                 "- Vốn ngoài ngân sách và các nguồn vốn hợp pháp khác dự kiến 10%-15% (khoảng "
                 "6.000 tỷ đồng - 9.000 tỷ đồng).")
    for cue in ("6.000 tỷ đồng", "9.000 tỷ đồng"):
        assert classes(rec, "money", cue) == [("covered", "budget_value")]


def test_a_year_in_a_column_title_is_no_schedule():
    # the column titles of 130_camau's budget tables, a crawled page's cells
    rec = record("II. DỰ TOÁN",
                 [["STT", "Nội dung", "Đơn vị tính", "Năm hiện hành 2025", "Năm 2026", "Năm 2027"],
                  ["1", "Tổng thu ngân sách", "triệu đồng", "10.367.700", "11.580.000", "11.405.000"]])
    rec["timeline"] = []
    assert ("explained", "column_header") in classes(rec, "time", "2025")


@pytest.mark.source("109_hcm_kh172_2025_trien_khai_luat_viec_lam.txt", line=59)
def test_coordination_between_bodies_is_no_partner_role():
    rec = record("I. MỤC ĐÍCH, YÊU CẦU",
                 "a) Bảo đảm sự chỉ đạo thống nhất phối hợp chặt chẽ, thường xuyên, hiệu quả giữa các sở, ban, "
                 "ngành, Ủy ban nhân dân xã, phường, đặc khu và các cơ quan, tổ chức liên quan.")
    assert classes(rec, "role", "phối hợp") == [("explained", "mutual")]


@pytest.mark.source("104_ttg_qd2597_2025_de_an_cds_hoat_dong_xay_dung.txt", line=330)
def test_the_way_of_coordinating_is_a_noun_use():
    rec = record("II. NHIỆM VỤ",
                 "- Ban hành cơ chế phối hợp liên ngành (quy trình, cách thức phối hợp...) trên nền tảng số "
                 "tuân thủ khung kiến trúc dữ liệu của Bộ Xây dựng.")
    assert classes(rec, "role", "phối hợp") == [("explained", "noun_use"), ("explained", "noun_use")]


@pytest.mark.source("119_dongthap_kh597_2025_cds_ha_tang_giao_thong.txt", line=464)
def test_a_duty_under_a_heading_naming_a_vague_collective_is_explained():
    rec = record("IV. TỔ CHỨC THỰC HIỆN",
                 "7. Các doanh nghiệp hoạt động trong lĩnh vực xây dựng, giao thông, vận tải, logistics và công "
                 "nghệ thông tin trên địa bàn Tỉnh",
                 "- Chủ động phối hợp triển khai các giải pháp, nền tảng số phục vụ quản lý, giám sát, vận hành hạ "
                 "tầng giao thông.")
    assert classes(rec, "role", "phối hợp") == [("explained", "vague_collective")]


def test_a_time_word_naming_a_figure_is_no_schedule():
    # 130_camau's debt table: "Tổng dư nợ đầu năm" / "Tổng dư nợ cuối năm" name a row of figures
    rec = record("III. KẾ HOẠCH VAY, TRẢ NỢ",
                 [["STT", "Nội dung", "Năm 2025", "Năm 2026", "Năm 2027"],
                  ["I", "Tổng dư nợ đầu năm", "311.113", "292.434", "239.934"],
                  ["IV", "Tổng dư nợ cuối năm", "305.063", "292.434", "239.934"]])
    rec["timeline"] = []
    assert classes(rec, "time", "đầu năm") == [("explained", "figure_label")]
