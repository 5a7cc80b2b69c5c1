"""Quantified targets (pipeline/parse/targets.py) and Vietnamese number words
(pipeline/normalize/number_words.py), with lines from the sample plans."""
from __future__ import annotations

import pytest

from pipeline.normalize.number_words import find_number_words, parse_any_number, parse_number_words
from pipeline.normalize.timex import TimeContext
from pipeline.parse.targets import find_targets

CTX = TimeContext(year=2021, period=(2021, 2021))


def brief(line: str) -> list[tuple]:
    return [(t["value"], t["value_max"], t["unit"], t["percent"]) for t in find_targets(line, CTX)]


@pytest.mark.parametrize("words, value", [
    ("một", 1), ("hai", 2), ("mười", 10), ("mười hai", 12), ("hai mươi", 20), ("hai mươi lăm", 25),
    ("hai mươi mốt", 21), ("một trăm", 100), ("một trăm linh năm", 105), ("ba nghìn", 3000),
    ("một nghìn năm trăm", 1500), ("năm", None), ("hai ba", None), ("tỷ", None), ("trăm", None),
])
def test_number_words(words, value):
    assert parse_number_words(words) == value


def test_number_words_in_text_skip_some_and_years():
    found = find_number_words("xây dựng một số sản phẩm, có hai sản phẩm đạt ba sao, trong hai năm")
    assert [v for _, _, v in found] == [2, 3, 2]


def test_any_number_reads_digits_and_words():
    assert parse_any_number("1.500") == 1500 and parse_any_number("1,5") == 1.5
    assert parse_any_number("02") == 2 and parse_any_number("mười") == 10


@pytest.mark.parametrize("line, expected", [
    pytest.param("- Tạo ra 39 sản phẩm hàng hóa chất lượng cao, mang tính đặc trưng", [(39, None, "sản phẩm hàng hóa", False)],
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=21)),
    pytest.param("- Triển khai xây dựng 2 - 3 điểm giới thiệu, bán sản phẩm OCOP.", [(2, 3, "điểm", False)],
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=23)),
    pytest.param("- Thành lập mới từ 2-3 Hợp tác xã; kiện toàn và phát triển", [(2, 3, "Hợp tác xã", False)],
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=38)),
    pytest.param("- Tham gia từ 3-4 Hội chợ thương mại, Hội nghị, Hội thảo", [(3, 4, "Hội chợ thương mại", False)],
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=39)),
    pytest.param("- Có 01 sản phẩm OCOP của huyện được bày bán tại các siêu thị", [(1, None, "sản phẩm OCOP", False)],
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=40)),
    ("Hỗ trợ 1.500 hộ gia đình", [(1500, None, "hộ gia đình", False)]),
    ("Tỷ lệ hộ nghèo giảm 1,5 điểm phần trăm", [(1.5, None, "điểm", False)]),
    ("phấn đấu có hai sản phẩm đạt chuẩn", [(2, None, "sản phẩm", False)]),
    ("thu hút từ 2 đến 3 doanh nghiệp", [(2, 3, "doanh nghiệp", False)]),
])
def test_count_range_and_unit(line, expected):
    assert brief(line) == expected


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=31)
def test_percent_target():
    t = find_targets("100% lãnh đạo doanh nghiệp, hợp tác xã, chủ hộ sản xuất có đăng ký kinh doanh tham gia "
                     "Chương trình OCOP.", CTX)[0]
    assert (t["value"], t["percent"], t["unit"]) == (100, True, "lãnh đạo doanh nghiệp")
    assert t["subject"] == "lãnh đạo doanh nghiệp, hợp tác xã, chủ hộ sản xuất"


def test_star_grade_stays_in_the_unit():
    line = "Phát triển thêm 20 sản phẩm OCOP 03 sao, 10 sản phẩm 04 sao và phấn đấu có 02 sản phẩm 05 sao."
    assert brief(line) == [(20, None, "sản phẩm OCOP 03 sao", False), (10, None, "sản phẩm 04 sao", False),
                           (2, None, "sản phẩm 05 sao", False)]
    assert [t["text"] for t in find_targets(line, CTX)] == [
        "Phát triển thêm 20 sản phẩm OCOP 03 sao", "10 sản phẩm 04 sao", "phấn đấu có 02 sản phẩm 05 sao"]


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=55)
def test_star_goal_of_its_own():
    line = ("- Đối với cấp tỉnh lựa chọn ít nhất 02 sản phẩm có lợi thế nhất để tập trung ưu tiên phát triển, "
            "phấn đấu đạt từ 4-5 sao.")
    found = find_targets(line, CTX)
    assert [(t["value"], t["value_max"], t["unit"], t["qualifier"]) for t in found] == [
        (2, None, "sản phẩm", "ít nhất"), (4, 5, "sao", "từ")]
    assert found[0]["subject"] == "cấp tỉnh"
    assert found[1]["text"] == "phấn đấu đạt từ 4-5 sao"


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=37)
def test_year_of_each_target():
    line = ("- Phấn đấu có từ 4-5 sản phẩm được đánh giá, xếp hạng trong năm 2021, lũy kế đến cuối năm 2021 đạt "
            "10 sản phẩm; có từ 4-5 sản phẩm tiềm năng để đánh giá, xếp hạng vào năm 2022;")
    found = find_targets(line, CTX)
    assert [(t["value"], t["value_max"], t["year"]) for t in found] == [(4, 5, 2021), (10, None, 2021), (4, 5, 2022)]
    assert found[1]["text"] == "lũy kế đến cuối năm 2021 đạt 10 sản phẩm"


@pytest.mark.parametrize("line", [
    pytest.param("- Tiếp tục hỗ trợ các sản phẩm đăng ký tham gia năm 2019 không được đánh giá cao (1-2 sao) và các "
                 "sản phẩm đạt (3-4 sao) dự thi đánh giá nâng hạng sản phẩm năm 2020.",
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=19)),
    "Tổ chức thực hiện đầy đủ các nhiệm vụ đã đề ra trong Nghị quyết số 57-NQ/TW ngày 22 tháng 12 năm 2024 "
    "của Bộ Chính trị (sau đây gọi tắt là Nghị quyết số 57-NQ/TW).",
    pytest.param("- Hoàn thiện hệ thống quản lý, điều hành Chương trình Mỗi xã một sản phẩm (Chương trình OCOP)",
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=54)),
    pytest.param("Hoàn thành các nhiệm vụ trọng tâm được giao trong Chỉ thị 11 của Ban Thường vụ Tỉnh ủy.",
                 marks=pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=19)),
    pytest.param("xây dựng một số sản phẩm đạt tiêu chuẩn thương hiệu quốc gia",
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=31)),
    "hoàn thành trong 05 năm",
])
def test_numbers_that_are_not_targets(line):
    assert find_targets(line, CTX) == []


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=23)
def test_span_is_the_targets_segment():
    line = "- Triển khai xây dựng 2 - 3 điểm giới thiệu, bán sản phẩm OCOP."
    t = find_targets(line, CTX, offset=100)[0]
    assert line[t["span"]["start"] - 100:t["span"]["end"] - 100] == t["text"]


def test_percent_of_a_measure_named_before_it():
    t = find_targets("- Tỷ lệ hộ gia đình sử dụng nước sạch đạt trên 95%.", CTX)[0]
    assert (t["value"], t["percent"], t["unit"], t["qualifier"]) == (95, True, None, "trên")
    assert t["subject"] == "Tỷ lệ hộ gia đình sử dụng nước sạch"


def test_rates_and_baselines():
    t = find_targets("- Tốc độ tăng trưởng bình quân đạt 7%/năm.", CTX)[0]
    assert (t["value"], t["percent"], t["unit"], t["subject"]) == (7, True, None, "Tốc độ tăng trưởng bình quân")
    t = find_targets("- Thu nhập bình quân đầu người tăng 10% so với năm 2020.", CTX)[0]
    assert (t["value"], t["percent"], t["unit"], t["year"]) == (10, True, None, None)


# ---------------------------------------------------------------- issue 12: units and non-targets

@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=181)
def test_percent_takes_the_noun_after_a_plural_marker():
    t = find_targets("- 100% các cấp giáo dục thường xuyên, tiểu học, trung học cơ sở, trung học phổ thông", CTX)[0]
    assert (t["value"], t["percent"], t["unit"]) == (100, True, "cấp giáo dục")


@pytest.mark.source("110_hcm_kh174_2025_binh_dang_gioi_cuoi_nam.txt", line=130)
def test_a_year_after_a_percentage_is_not_its_unit():
    t = find_targets("Tăng tỷ lệ lao động nữ làm công hưởng lương đạt 50% vào năm 2025.", CTX)[0]
    assert (t["value"], t["unit"], t["year"]) == (50, None, 2025)


@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=74)
def test_bare_percentages_in_a_series_take_the_first_ones_unit():
    line = ("e) Đến năm 2020, phấn đấu đạt 100% gia đình người có công với cách mạng có mức sống bằng hoặc cao hơn "
            "mức trung bình của cộng đồng dân cư nơi cư trú, năm 2018 đạt 99%, năm 2019 đạt 99,5%; 98% xã phường "
            "làm tốt công tác thương binh, liệt sĩ và người có công với cách mạng.")
    found = find_targets(line, CTX)
    assert [t["value"] for t in found] == [100, 99, 99.5, 98]
    assert all(t["unit"].startswith("gia đình") for t in found[:3])
    assert [t["year"] for t in found[:3]] == [2020, 2018, 2019]
    assert found[3]["unit"].startswith("xã")
    # a percentage after another indicator keeps no unit of the one before
    t = find_targets("- 100% hộ gia đình có nước sạch, tỷ lệ che phủ rừng đạt 62%.", CTX)[1]
    assert (t["value"], t["unit"]) == (62, None)


@pytest.mark.parametrize("line", [
    pytest.param("quyền của chính quyền địa phương 02 cấp trong lĩnh vực quản lý nhà nước",
                 marks=pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=60)),
    pytest.param("(1) Tỷ lệ dân số từ 15 tuổi trở lên có điện thoại",
                 marks=pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=153)),
    pytest.param("5G, IoT cho quản lý nhà máy thông minh cho các khu công nghiệp",
                 marks=pytest.mark.source("111_hanoi_kh310_2025_ha_tang_5g_iot_khu_cong_nghiep.txt", line=128)),
    pytest.param("163/2024/QH15 đảm bảo thiết thực, hiệu quả, phù hợp vào đặc điểm công tác",
                 marks=pytest.mark.source("121_cantho_kh153_2025_ctmtqg_phong_chong_ma_tuy.txt", line=54)),
    pytest.param("nguy cơ khi tiếp cận các nền tảng trực tuyến hướng đến xây dựng một Thành phố an toàn, thân thiện.",
                 marks=pytest.mark.source("110_hcm_kh174_2025_binh_dang_gioi_cuoi_nam.txt", line=91)),
])
def test_ages_levels_codes_and_articles_are_not_targets(line):
    assert find_targets(line, CTX) == []


@pytest.mark.source("110_hcm_kh174_2025_binh_dang_gioi_cuoi_nam.txt", line=185)
def test_one_in_words_counts_after_at_least():
    t = find_targets("- Chỉ tiêu 4: Có ít nhất một cơ sở y tế cung cấp thí điểm dịch vụ", CTX)[0]
    assert (t["value"], t["unit"]) == (1, "cơ sở y tế")
    assert [t["unit"] for t in find_targets("cụm công nghiệp có tối thiểu 1 trạm phát sóng 5G.", CTX)] == ["trạm"]


@pytest.mark.source("111_hanoi_kh310_2025_ha_tang_5g_iot_khu_cong_nghiep.txt", line=108)
def test_the_current_state_is_not_a_target():
    line = ("Hiện nay, tổng số trạm thu phát sóng thông tin di động động tại các khu công nghệ cao, khu công "
            "nghiệp khoảng 180 trạm, trong đó có 22 trạm 5G. Đến năm 2026, 100% cụm công nghiệp có tối thiểu 1 trạm.")
    assert [(t["value"], t["unit"]) for t in find_targets(line, CTX)] == [(100, "cụm công nghiệp"), (1, "trạm")]
