"""Web-page furniture of crawled legal portals is not document text (issue 12, class 8)."""
from __future__ import annotations

import pytest

from pipeline.extract.text import page_text

# the head and tail of a crawled thuvienphapluat.vn page, as in the unlabeled plan 101
BANNER = (
    "|\n|\nBản dịch này thuộc quyền sở hữu của **\nTHƯ VIỆN PHÁP LUẬT**. Mọi hành vi sao chép, đăng tải lại mà "
    "không có sự đồng ý của **\nTHƯ VIỆN PHÁP LUẬT** là vi phạm pháp luật về Sở hữu trí tuệ.\n"
    "Đang tải văn bản...\n#\n**Số hiệu:**\n|\n2629/QĐ-TTg\n|\n|\n**Người ký:**\n|\nNguyễn Chí Dũng\n|\n"
    "**Tình trạng:**\n|\nĐã biết\n|\n|\n"
)
HEADER = ("**THỦ TƯỚNG CHÍNH\nPHỦ**\n-------\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n"
          "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố: 2629/QĐ-TTg\n")
BODY = "**QUYẾT ĐỊNH**\n*Căn cứ Luật Dữ liệu ngày 30 tháng 11 năm 2024;*\n**KT. THỦ TƯỚNG**\n**Nguyễn Chí Dũng**\n|\nNăm 2025-2030\n|\n"
FOOTER = ("Quyết định 2629/QĐ-TTg năm 2025 phê duyệt Chương trình phát triển Chính phủ số do Thủ tướng Chính phủ ban hành\n"
          "Văn bản này chưa cập nhật nội dung Tiếng Anh\n"
          "Quyết định 2629/QĐ-TTg ngày 01/12/2025 phê duyệt Chương trình phát triển Chính phủ số do Thủ tướng Chính phủ ban hành\n"
          "## Văn bản liên quan\nBan hành:\n19/11/2025\n")


@pytest.mark.source("101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt", line=3)
def test_banner_and_info_panel_dropped_document_starts_at_its_header():
    text = page_text(BANNER + HEADER + BODY)
    assert text.startswith("**THỦ TƯỚNG CHÍNH\nPHỦ**")
    assert "Bản dịch này thuộc quyền sở hữu" not in text and "Số hiệu" not in text
    assert "Số: 2629/QĐ-TTg" in text


@pytest.mark.source("101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt", line=2368)
def test_related_documents_and_repeated_page_title_dropped():
    text = page_text(HEADER + BODY + FOOTER)
    assert text.rstrip("|\n").endswith("Năm 2025-2030")
    assert "Văn bản liên quan" not in text and "do Thủ tướng Chính phủ ban hành" not in text


@pytest.mark.source("101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt", line=24)
def test_a_document_without_furniture_is_unchanged():
    plain = HEADER + BODY
    assert page_text(plain) == plain
    # a "Số:" line of the header is no info-panel label ("**Số hiệu:**" is)
    assert page_text("**Số hiệu:**\n|\n2629/QĐ-TTg\n|\n" + HEADER).startswith("**THỦ TƯỚNG")


@pytest.mark.parametrize("name", ["101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt",
                                  "102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt",
                                  "115_nghean_kh980_2025_thi_hanh_nd200_phong_thu_dan_su.txt"])
def test_the_three_portal_pages_of_the_unlabeled_plans(name):
    from conftest import CORPUS
    raw = (CORPUS / "unlabeled" / name).read_text(encoding="utf-8")
    text = page_text(raw)
    assert text.lstrip("*").startswith(("THỦ", "ỦY BAN"))  # the issuer of the header
    for debris in ("THƯ VIỆN PHÁP LUẬT", "Văn bản liên quan", "Đăng nhập", "Mã số thuế"):
        assert debris not in text
    assert "Căn cứ" in text and "Nơi nhận" in text
