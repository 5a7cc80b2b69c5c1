"""Vietnamese time expressions -> dates (pipeline/normalize/timex.py), one rule per test,
with lines from the sample plans."""
from __future__ import annotations

import calendar
from datetime import date, timedelta

import pytest
from hypothesis import given, strategies as st

from pipeline.normalize.timex import (
    TimeContext, add_working_days, find_timexes, month_end, quarter_bounds,
)

CTX_2020 = TimeContext(year=2020, period=(2020, 2020), issue_date=date(2020, 4, 16))
CTX_2021 = TimeContext(year=2021, period=(2021, 2021), issue_date=date(2021, 4, 5))
CTX_2026_OPEN = TimeContext(year=2026, period=(2026, None), issue_date=None)


def one(text: str, ctx: TimeContext = CTX_2020):
    found = find_timexes(text, ctx)
    assert len(found) == 1, found
    t = found[0]
    return (t.start.isoformat() if t.start else None, t.end.isoformat() if t.end else None, t.kind)


# ---------------------------------------------------------------- date arithmetic

@given(st.integers(1900, 2100), st.integers(1, 12))
def test_month_end_is_last_day(year, month):
    end = month_end(year, month)
    assert end.month == month and (end + timedelta(days=1)).day == 1


@given(st.integers(1900, 2100), st.integers(1, 4))
def test_quarters_tile_the_year(year, q):
    start, end = quarter_bounds(year, q)
    assert start.day == 1 and start.month == 3 * q - 2
    assert (end + timedelta(days=1)) == (quarter_bounds(year, q + 1)[0] if q < 4 else date(year + 1, 1, 1))


@given(st.integers(1900, 2100))
def test_february_follows_leap_years(year):
    assert month_end(year, 2).day == (29 if calendar.isleap(year) else 28)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2040, 12, 31)), st.integers(1, 30))
def test_working_days_skip_weekends(start, n):
    end = add_working_days(start, n)
    days = [start + timedelta(days=i) for i in range((end - start).days + 1)]
    assert sum(d.weekday() < 5 for d in days) == n and end.weekday() < 5


@given(st.integers(2000, 2040), st.integers(1, 4))
def test_quarter_expression_matches_arithmetic(year, q):
    roman = ["I", "II", "III", "IV"][q - 1]
    start, end = quarter_bounds(year, q)
    assert one(f"Quý {roman} năm {year}") == (start.isoformat(), end.isoformat(), "interval")
    assert one(f"quý {q}/{year}") == (start.isoformat(), end.isoformat(), "interval")


# ---------------------------------------------------------------- expressions

@pytest.mark.parametrize("text, expected", [
    ("ngày 16 tháng 4 năm 2020", ("2020-04-16", "2020-04-16", "point")),
    ("16/4/2020", ("2020-04-16", "2020-04-16", "point")),
    ("16-4-2020", ("2020-04-16", "2020-04-16", "point")),
    ("Quý II năm 2020", ("2020-04-01", "2020-06-30", "interval")),
    ("quý 2/2020", ("2020-04-01", "2020-06-30", "interval")),
    pytest.param("- Thời gian thực hiện: Quý II, III năm 2020.", ("2020-04-01", "2020-09-30", "interval"),
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=125)),
    pytest.param("- Thời gian thực hiện: Quý III – Quý IV năm 2020.", ("2020-07-01", "2020-12-31", "interval"),
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=180)),
    pytest.param("+ Thời gian thực hiện: Hoàn thiện trong tháng 5 năm 2020.", ("2020-05-01", "2020-05-31", "interval"),
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=81)),
    pytest.param("- Đánh giá cấp tỉnh vào tháng IV năm 2020", ("2020-04-01", "2020-04-30", "interval"),
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=166)),
    ("Xong trong tháng 5/2026", ("2026-05-01", "2026-05-31", "interval")),
    ("Xong trong Quý II/2026", ("2026-04-01", "2026-06-30", "interval")),
    ("12/2026", ("2026-12-01", "2026-12-31", "interval")),
    ("6 tháng đầu năm 2021", ("2021-01-01", "2021-06-30", "interval")),
    pytest.param("- Đánh giá đợt 1: Trước ngày 15/5/2021;", (None, "2021-05-15", "deadline"),
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=72)),
    ("Hoàn thành chậm nhất ngày 30/6/2021", (None, "2021-06-30", "deadline")),
    pytest.param("Hoàn thành đầu tư, lắp đặt và vận hành xong trước ngày 01/01/2030", (None, "2030-01-01", "deadline"),
                 marks=pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=144)),
    ("từ ngày 01/4/2021 đến ngày 07/4/2021", ("2021-04-01", "2021-04-07", "interval")),
    pytest.param("- Thời gian: Triển khai thực hiện trong năm 2020.", ("2020-01-01", "2020-12-31", "interval"),
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=39)),
    ("Trong năm 2026", ("2026-01-01", "2026-12-31", "interval")),
])
def test_expression(text, expected):
    assert one(text) == expected


def test_year_left_out_comes_from_the_plan():
    assert one("- Thời gian: Quý II", CTX_2021) == ("2021-04-01", "2021-06-30", "interval")
    assert one("Thời gian: 01/4", CTX_2021) == ("2021-04-01", "2021-04-01", "point")
    assert one("6 tháng đầu năm", CTX_2021) == ("2021-01-01", "2021-06-30", "interval")


def test_range_of_day_months():
    assert one("01/4 – 07/4", CTX_2021) == ("2021-04-01", "2021-04-07", "interval")


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=103)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=72)
def test_continuous_is_the_plans_period():
    assert one("- Thời gian: Thường xuyên, liên tục trong năm.") == ("2020-01-01", "2020-12-31", "continuous")
    assert one("Thường xuyên", CTX_2026_OPEN) == ("2026-01-01", None, "continuous")
    assert one("- Thời gian thực hiện: Liên tục trong năm 2020.") == ("2020-01-01", "2020-12-31", "continuous")


def test_continuity_as_a_noun_is_not_a_schedule():
    assert find_timexes("đảm bảo tính liên tục và khả thi", CTX_2020) == []


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=326)
@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=98)
def test_recurring_keeps_its_report_deadline_in_the_rule():
    found = find_timexes("thực hiện nghiêm túc chế độ báo cáo định kỳ hàng quý (trước ngày 25 của quý)", CTX_2020)
    assert [(t.kind, t.rule) for t in found] == [("recurring", "quarterly")]
    found = find_timexes("tổng hợp báo cáo ... trước ngày 30 tháng 11 hằng năm.", CTX_2020)
    rec = [t for t in found if t.kind == "recurring"][0]
    assert "trước ngày 30 tháng 11" in rec.rule
    assert all("recurring_detail" in t.flags for t in found if t.kind == "deadline")


@pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=5)
def test_from_now_starts_on_the_plans_date():
    ctx = TimeContext(year=2018, period=(2018, 2020), issue_date=date(2018, 8, 22))
    found = find_timexes("có 11 nhiệm vụ trọng tâm cần triển khai từ nay đến 2020, bao gồm:", ctx)
    assert [(t.start, t.end) for t in found] == [(date(2018, 8, 22), date(2020, 12, 31))]


@pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=13)
def test_from_a_year_leaves_the_end_open():
    ctx = TimeContext(year=2018, period=(2018, 2020))
    found = find_timexes("các tỉnh, thành phố có thể tổ chức ngay từ năm 2018, đối với cấp quốc gia, sẽ thực hiện từ năm 2019", ctx)
    assert [(t.start, t.end, t.cue) for t in found] == [
        (date(2018, 1, 1), None, "from"), (date(2019, 1, 1), None, "from")]


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=7)
@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=5)
@pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=89)
@pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)
def test_dates_of_cited_documents_are_flagged():
    for line in ["Căn cứ Quyết định số 490/QĐ-TTg, ngày 07/5/2018 của Thủ tướng Chính phủ",
                 "Căn cứ Luật tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
                 "Quyết định số 461/QĐ-TTg 2018 ngày 27/4/2018 của Thủ tướng Chính phủ",
                 "Công ty cổ phần Xây dựng và năng lượng Đông Dương tại Văn bản số 02/GĐN-ĐD tháng 4 năm 2026"]:
        dated = [t for t in find_timexes(line, CTX_2020) if t.atom != "yr"]
        assert dated and all("cited" in t.flags for t in dated), line


def test_deadline_in_a_cited_title_is_flagged():
    line = ("Quyết định số 461/QĐ-TTg ngày 27/4/2018 của Thủ tướng Chính phủ về phê duyệt Đề án phát triển "
            "15.000 HTX, liên hiệp HTX nông nghiệp hoạt động có hiệu quả đến năm 2020; Chương trình")
    assert all("cited" in t.flags for t in find_timexes(line, CTX_2020))


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=5)
@pytest.mark.source("laichau_ocop_2020_qd.txt", line=5)
def test_issue_date_line_is_flagged():
    assert "issue_line" in find_timexes("Khánh Hòa, ngày 16 tháng 4 năm 2020", CTX_2020)[0].flags
    assert find_timexes("Lai Châu, ngày tháng 5 năm 2020", CTX_2020)[0].flags >= {"blank_day"}


def test_blank_day_read_as_a_dash_by_ocr_is_flagged():
    """The 200-dpi scan of corpus/extra/14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft
    (its line 3): the blank day read "—", motto and date on one line."""
    (t,) = find_timexes("Độc lập - Tự do - Hạnh phúc Lào Cai, ngày — tháng 4 năm 2026", CTX_2020)
    assert t.flags >= {"blank_day", "issue_line"}


@pytest.mark.parametrize("line", [
    pytest.param("tích hợp vào điều chỉnh Quy hoạch tỉnh Lào Cai thời kỳ 2021–2030, tầm nhìn đến năm 2050",
                 marks=pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=63)),
    pytest.param("lũy kế đến cuối năm 2021 đạt 10 sản phẩm",
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=37)),
    pytest.param("Chương trình OCOP huyện giai đoạn 2021-2025 làm cơ sở",
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=54)),
    pytest.param("Chiến lược quốc gia về thu hút, trọng dụng nhân tài đến năm 2030, tầm nhìn đến năm 2050",
                 marks=pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=472)),
])
def test_programme_periods_and_horizons_are_flagged(line):
    found = find_timexes(line, CTX_2021)
    assert found and all("horizon" in t.flags for t in found)


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=19)
@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=48)
def test_bare_year_without_cue_has_no_cue():
    # "năm 2019" names the product cycle; only a cue ("trong", "vào", a time label) schedules a year
    found = find_timexes("các sản phẩm đăng ký tham gia năm 2019 không được đánh giá cao", CTX_2020)
    assert [t.cue for t in found] == [None]
    found = find_timexes("Riêng năm 2020 hoàn thành trong quý II/2020.", CTX_2020)
    assert [t.cue for t in found] == [None, "year_cue"]


def test_listed_years_share_the_cue():
    found = find_timexes("lập và hoàn thiện hồ sơ để đánh giá trong năm 2021 và năm 2022...", CTX_2021)
    assert [(t.start.year, t.cue) for t in found] == [(2021, "year_cue"), (2022, "list")]


def test_date_with_duration_in_working_days():
    ctx = TimeContext(year=2026, period=(2026, 2026), issue_date=date(2026, 3, 10), working_days=True)
    found = find_timexes("Công ty TNHH Hiệp Phú ... Lào Cai 3 27/3/2026 02 ngày", ctx)
    assert [(t.start, t.end) for t in found] == [(date(2026, 3, 27), date(2026, 3, 30))]  # Friday + Monday


def test_last_years_date_in_a_new_plan_is_corrected():
    ctx = TimeContext(year=2026, period=(2026, 2026), issue_date=date(2026, 3, 10), working_days=True)
    t = find_timexes("Tổng công ty xây dựng Trường Sơn 2 25/3/2025 02 ngày", ctx)[0]
    assert (t.start, t.end) == (date(2026, 3, 25), date(2026, 3, 26)) and "year_corrected" in t.flags
    # a date that would land months after the plan is left alone
    t = find_timexes("ngày 05/8/2025", ctx)[0]
    assert t.start == date(2025, 8, 5) and "year_corrected" not in t.flags


def test_web_time_stamp_is_flagged():
    assert "timestamp" in find_timexes("04/09/2019 04:00:37 PM", CTX_2020)[0].flags


def test_document_numbers_are_not_dates():
    assert find_timexes("Văn bản số 05/2026/VLN/CV-LV", CTX_2020) == []


def test_ocr_text_without_tone_marks():
    assert one("Thoi gian: Quy II nam 2020") == ("2020-04-01", "2020-06-30", "interval")
    assert one("hoàn thành trong thang 5 nam 2020") == ("2020-05-01", "2020-05-31", "interval")
    assert find_timexes("theo quy định của pháp luật", CTX_2020) == []


@pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=470)
def test_year_and_the_years_after_leaves_the_end_open():
    found = find_timexes("2025 và những năm tiếp theo", TimeContext(year=2025, period=(2025, 2030)))
    assert [(t.start, t.end) for t in found] == [(date(2025, 1, 1), None)]


@pytest.mark.parametrize("ocr, expected", [
    ("- Thời gian thực hiện: Quý II, II năm 2020.", ("2020-04-01", "2020-09-30", "interval")),
    ("- Thời gian thực hiện: Quý II, IV năm 2020.", ("2020-07-01", "2020-12-31", "interval")),
    pytest.param("- Thời gian thực hiện: Quý II, III năm 2020.", ("2020-04-01", "2020-09-30", "interval"),
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=125)),
    ("Quý I – Quý III năm 2020", ("2020-01-01", "2020-09-30", "interval")),
])
def test_ocr_roman_quarters_in_lists_are_repaired(ocr, expected):
    assert one(ocr) == expected


def test_from_opens_a_range_closed_inside_the_expression():
    assert one("- Thời gian thực hiện: Từ tháng 6 đến tháng 12 năm 2020.") == ("2020-06-01", "2020-12-31", "interval")
    assert one("từ năm 2021 đến năm 2025") == ("2021-01-01", "2025-12-31", "interval")


# ---------------------------------------------------------------- issue 12: plans never seen

CTX_2024 = TimeContext(year=2024, period=(2024, 2024), issue_date=date(2024, 9, 9))
CTX_2013 = TimeContext(year=2013, period=(2013, 2020), issue_date=date(2013, 11, 11))
CTX_2018 = TimeContext(year=2018, period=(2018, 2020), issue_date=date(2018, 6, 26))


def test_numeric_month_range():
    assert one("- Thời gian thực hiện: 9-10/2024.", CTX_2024) == ("2024-09-01", "2024-10-31", "interval")
    assert one("Thời gian: tháng 10-12/2027", CTX_2024) == ("2027-10-01", "2027-12-31", "interval")


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=98)
def test_work_finished_from_a_month_is_that_month():
    assert one("- Thời gian thực hiện: Đã khắc phục xong từ tháng 6/2024; giao Văn", CTX_2024) == (
        "2024-06-01", "2024-06-30", "interval")


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=177)
def test_continuous_from_a_month_runs_to_the_end_of_the_period():
    assert one("- Thời gian thực hiện: Thực hiện thường xuyên từ tháng 8/2024.", CTX_2024) == (
        "2024-08-01", "2024-12-31", "continuous")


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=301)
def test_adjacent_quarters_of_a_list_are_one_period():
    found = find_timexes("liệt sĩ (Quý IV/2013, Quý I/2014 và thường xuyên).", CTX_2013)
    assert [(t.start, t.end) for t in found][0] == (date(2013, 10, 1), date(2014, 3, 31))
    assert one("Thời gian thực hiện: Quý IV/2026, 2027", CTX_2026_OPEN) == ("2026-10-01", "2027-12-31", "interval")
    # a gap keeps the items apart
    assert len(find_timexes("trong tháng 5/2020 và tháng 7/2020", CTX_2020)) == 2


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=337)
def test_from_year_to_year_is_a_range():
    found = find_timexes("- Tập trung triển khai có hiệu quả các nội dung, nhiệm vụ từ năm 2013 đến năm 2015.", CTX_2013)
    assert [(t.start, t.end, t.cue) for t in found] == [(date(2013, 1, 1), date(2015, 12, 31), "range")]


@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=86)
@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=126)
def test_year_heading_its_item():
    for text in ("- Năm 2018: Rà soát, tổng kết hệ thống văn bản chính sách, pháp luật về người có công",
                 "- Năm 2018, hoàn thành việc hỗ trợ nhà ở đối với người có công với cách mạng trên toàn quốc."):
        assert [(t.start, t.end, t.cue) for t in find_timexes(text, CTX_2018)] == [
            (date(2018, 1, 1), date(2018, 12, 31), "lead")]


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=13)
@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=134)
@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=3)
def test_horizon_ending_a_programmes_name_is_cited():
    for text in ("3. Thực hiện công tác xây dựng địa bàn cấp xã không ma túy gắn với Chương trình mục tiêu quốc gia "
                 "phòng, chống ma túy đến năm 2030",
                 "QUẢN LÝ RỦI RO THIÊN TAI DỰA VÀO CỘNG ĐỒNG, ĐẾN NĂM 2030” TRÊN ĐỊA BÀN THÀNH PHỐ",
                 "# Về việc phê duyệt Đề án tìm kiếm, quy tập hài cốt liệt sĩ từ nay đến năm 2020 và những năm tiếp theo"):
        assert all("cited" in t.flags for t in find_timexes(text, CTX_2013)), text


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=296)
@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=385)
@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=62)
@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=60)
def test_often_and_continuing_education_are_not_schedules():
    for text in ("khu vực thường xuyên xảy ra thiên tai; thiết lập, cập nhật định kỳ bản đồ rủi",
                 "giáo dục thường xuyên, chương trình giảng dạy cấp tiểu học, trung học cơ sở,",
                 "đưa hoạt động đền ơn đáp nghĩa trở thành việc làm thường xuyên của toàn xã hội",
                 "ít nhất 1 buổi vào tuần đầu của tháng đầu năm học"):
        assert find_timexes(text, CTX_2020) == [], text
    assert one("- Thời gian thực hiện: Thường xuyên.") == ("2020-01-01", "2020-12-31", "continuous")


@pytest.mark.source("41_hcm_qd3210_2014_kh_ho_tro_nha_o_nguoi_co_cong.txt", line=112)
def test_a_year_and_the_years_after_leave_the_end_open():
    ctx = TimeContext(year=2014, period=(2014, None), issue_date=date(2014, 6, 28))
    found = find_timexes("về nhà ở thực hiện trong năm 2014 và số lượng sẽ thực hiện năm tiếp theo (nếu có)", ctx)
    assert [(t.start, t.end) for t in found] == [(date(2014, 1, 1), None)]


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=337)
def test_period_stated_from_now_starts_on_the_plans_date():
    ctx = TimeContext(year=2025, period=(2025, 2030), issue_date=date(2025, 11, 21), period_start=date(2025, 11, 21))
    assert one("phố hàng năm;", ctx) == ("2025-11-21", "2030-12-31", "recurring")


@pytest.mark.source("131_thanhhoa_kh235_2025_quan_trac_moi_truong_ntts.txt", line=673)
def test_an_expression_lies_within_one_cell():
    ctx = TimeContext(year=2025, period=(2025, 2025), issue_date=date(2025, 3, 1))
    found = find_timexes("1\tNguồn nước cấp nuôi tôm nước lợ\t02 lần/tháng\t08 tháng (từ tháng 3 đến tháng 10)", ctx)
    assert all("\t" not in t.text for t in found)
    assert [t.text for t in found][-1:] == ["từ tháng 3 đến tháng 10"]
