"""The plan's period when its title states none (pipeline/parse/time_context.body_period_end, used by
metadata.period): the milestones its body sets, or an open end when the work goes on."""
from __future__ import annotations

import pytest

from pipeline.parse.time_context import body_period_end

from doc_factory import doc_of


# ---------------------------------------------------------------- issue 12: the period from the body

@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=74)
@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=70)
def test_period_without_a_title_period_ends_at_the_last_milestone():
    doc = doc_of("d) Hoàn thành việc hỗ trợ nhà ở cho các hộ gia đình người có công với cách mạng đến hết năm 2019.",
                 "e) Đến năm 2020, phấn đấu đạt 100% gia đình người có công với cách mạng có mức sống bằng",
                 "Căn cứ Quyết định số 1237/QĐ-TTg về việc phê duyệt Đề án tìm kiếm, quy tập đến năm 2025;",
                 "- Chiến lược phát triển đến năm 2030, tầm nhìn đến năm 2045")
    assert body_period_end(doc, 2018) == (True, 2020)


@pytest.mark.source("41_hcm_qd3210_2014_kh_ho_tro_nha_o_nguoi_co_cong.txt", line=228)
def test_period_without_a_title_period_stays_open_when_the_work_goes_on():
    doc = doc_of("Căn cứ Kế hoạch này để tổng hợp, bố trí vốn có mục tiêu cho Ủy ban nhân dân quận, huyện trong kế "
                 "hoạch và dự toán ngân sách của Thành phố trong năm 2014 và các năm tiếp theo, báo cáo Ủy ban")
    assert body_period_end(doc, 2014) == (True, None)
    assert body_period_end(doc_of("- Thời gian: Quý II/2014."), 2014) == (False, None)


def test_a_lone_long_range_horizon_does_not_end_the_period():
    doc = doc_of("- Đến năm 2030, 100% phương tiện giao thông công cộng sử dụng năng lượng xanh.",
                 "- Nồng độ bụi giảm trung bình 5 μg/m3 theo mỗi kỳ kế hoạch 5 năm, mục tiêu đến năm 2045, nồng độ bụi",
                 "- Đến năm 2030, hoàn thành di dời các cơ sở.")
    assert body_period_end(doc, 2025) == (True, 2030)
