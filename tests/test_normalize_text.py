"""Text integrity rules, each with a real line from the sample plans."""
from __future__ import annotations

import unicodedata

import pytest

from pipeline.model import Block
from pipeline.normalize.text import clean_inline, fix_tone_marks, rejoin_wrapped

from doc_factory import doc_of


def test_tone_marks_old_style_in_open_syllables():
    assert fix_tone_marks("Khánh Hoà") == "Khánh Hòa"
    assert fix_tone_marks("thuỷ sản, sức khoẻ") == "thủy sản, sức khỏe"


def test_tone_marks_left_alone_before_final_consonant_and_after_qu():
    assert fix_tone_marks("Hoàng Văn Thuân") == "Hoàng Văn Thuân"
    assert fix_tone_marks("Quý II năm 2020, quỹ") == "Quý II năm 2020, quỹ"
    assert fix_tone_marks("khuyến khích, toán") == "khuyến khích, toán"


def test_nfc_from_decomposed_word_text():
    decomposed = unicodedata.normalize("NFD", "Ủy ban nhân dân tỉnh Lai Châu")
    assert clean_inline(decomposed) == "Ủy ban nhân dân tỉnh Lai Châu"


def test_whitespace_and_pdf_bullets():
    assert clean_inline("\uf0b7  Sở Tài chính\u00a0 chủ trì") == "- Sở Tài chính chủ trì"


@pytest.mark.source("cantho_ocop_2024_kh109.txt", line=18)
def test_rejoin_hard_wrapped_can_tho_lines():
    lines = [
        "Thực hiện Chương trình mỗi xã một sản phẩm giai đoạn",
        "2021 - 2025 được phê duyệt tại Quyết định số 919/QĐ-TTg ngày 01/8/2022 của Thủ",
        "tướng Chính phủ, nhằm tiếp tục triển khai Đề án.",
        "I. MỤC TIÊU",
        "1. Mục tiêu chung: Phát triển sản phẩm OCOP",
        "nhằm khơi dậy tiềm năng.",
        "2. Mục tiêu cụ thể",
        "a) Tiêu chuẩn hóa 148 sản phẩm dịch vụ hiện có;",
    ]
    out = rejoin_wrapped(lines)
    assert out[0].startswith("Thực hiện Chương trình") and out[0].endswith("triển khai Đề án.")
    assert "của Thủ tướng Chính phủ" in out[0]
    assert out[1:] == ["I. MỤC TIÊU", "1. Mục tiêu chung: Phát triển sản phẩm OCOP nhằm khơi dậy tiềm năng.",
                       "2. Mục tiêu cụ thể", "a) Tiêu chuẩn hóa 148 sản phẩm dịch vụ hiện có;"]


@pytest.mark.source("cantho_ocop_2024_kh109.txt", line=17)
def test_rejoin_keeps_upper_case_title_apart_from_body():
    out = rejoin_wrapped(["KẾ HOẠCH", "THỰC HIỆN ĐỀ ÁN “MỖI XÃ MỘT SẢN PHẨM” NĂM 2024",
                          "Thực hiện Chương trình mỗi xã một sản phẩm"])
    assert out == ["KẾ HOẠCH THỰC HIỆN ĐỀ ÁN “MỖI XÃ MỘT SẢN PHẨM” NĂM 2024", "Thực hiện Chương trình mỗi xã một sản phẩm"]


def test_number_alone_on_its_line_joins_its_heading():
    assert rejoin_wrapped(["2.", "Công tác tuyên truyền"]) == ["2. Công tác tuyên truyền"]


def test_header_debris_lines_dropped():
    d = doc_of(Block("paragraph", text="ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n-------\n|\nSố: 109/KH-UBND"))
    assert [ln.text for ln in d.lines] == ["ỦY BAN NHÂN DÂN THÀNH PHỐ CẦN THƠ", "Số: 109/KH-UBND"]


def test_spans_point_into_text_and_pages_kept():
    d = doc_of(Block("paragraph", text="I. MỤC TIÊU", page=1),
               Block("table", rows=[["STT", "Nội dung"], ["1", "Tuyên truyền"]], page=2))
    for ln in d.lines:
        assert d.text[ln.start:ln.end] == ln.text
    assert d.tables[0].rows == [["STT", "Nội dung"], ["1", "Tuyên truyền"]]
    assert d.span(d.tables[0].start, d.tables[0].end)["page"] == 2
    assert d.text[slice(*d.tables[0].row_spans[1])] == "1\tTuyên truyền"


def test_table_split_over_pages_merged_with_its_caption():
    d = doc_of(Block("paragraph", text="PHỤ LỤC 3\nĐVT: Triệu đồng", page=3),
               Block("table", rows=[["STT", "Đơn vị", "Tổng"], ["I", "Sở NN", "540"]], page=3),
               Block("table", rows=[["STT", "Đơn vị", "Tổng"], ["II", "Sở CT", "25"]], page=4))
    assert len(d.tables) == 1
    assert d.tables[0].pages == [3, 4] and len(d.tables[0].rows) == 4
    assert d.tables[0].caption == "PHỤ LỤC 3 ĐVT: Triệu đồng"


def test_tone_marks_left_alone_on_vowels_with_hat_or_breve():
    # NFD puts the dot below before the circumflex/breve: "ậ" is a + dot + hat
    assert fix_tone_marks("Luật, hoặc, thuận, khoảng") == "Luật, hoặc, thuận, khoảng"


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=393)
def test_rejoin_name_cut_after_its_head():
    """A line ending in an agency head that needs its name ("Bộ Tư lệnh") goes on below."""
    out = rejoin_wrapped(["3. Bộ Tư lệnh",
                          "Thành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, các sở, ban,"])
    assert out == ["3. Bộ Tư lệnh Thành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, các sở, ban,"]


@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=348)
def test_rejoin_name_cut_after_comma():
    assert rejoin_wrapped(["**1. Viện Văn hóa, Nghệ thuật,", "Thể thao và Du lịch Việt Nam**"]) == [
        "**1. Viện Văn hóa, Nghệ thuật, Thể thao và Du lịch Việt Nam**"]


@pytest.mark.source("104_ttg_qd2597_2025_de_an_cds_hoat_dong_xay_dung.txt", line=460)
def test_rejoin_partner_cut_after_với_bộ():
    out = rejoin_wrapped(["Căn cứ chức năng nhiệm vụ được giao, phối hợp với Bộ",
                          "Xây dựng để thực hiện việc chia sẻ dữ liệu, triển khai các nhiệm vụ tích hợp hệ"])
    assert len(out) == 1 and "phối hợp với Bộ Xây dựng" in out[0]


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=61)
def test_rejoin_keeps_a_heading_ending_in_a_full_name():
    """"Tôn giáo" is not "giao": a heading ending in a full name stays apart from its duty."""
    out = rejoin_wrapped(["3.6. Sở Nông nghiệp và Môi trường, Sở Dân tộc và Tôn giáo",
                          "Phối hợp, lồng ghép vào các chương trình, dự án để tăng cường công tác tập huấn"])
    assert len(out) == 2


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=621)
@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=622)
def test_a_line_cut_inside_a_gazetteer_name_goes_on():
    """A short line whose last word and the next line's first are one official name."""
    lines = ["n) Đề nghị Ủy ban Trung ương Mặt trận Tổ quốc Việt",
             "Nam và các tổ chức chính trị - xã hội thành viên chủ trì, phối hợp với Bộ Nông"]
    assert rejoin_wrapped(lines) == [" ".join(lines)]
    assert rejoin_wrapped(["Kế hoạch của Sở Công Thương", "Năm 2025 tổ chức thực hiện."]) == [
        "Kế hoạch của Sở Công Thương", "Năm 2025 tổ chức thực hiện."]


@pytest.mark.source("110_hcm_kh174_2025_binh_dang_gioi_cuoi_nam.txt", line=418)
def test_a_bold_heading_split_by_a_blank_line_inside_a_name():
    from pipeline.extract.text import blocks_from_text
    from pipeline.model import Extracted
    from pipeline.normalize.text import build_document
    text = ("**3. Đề nghị Ủy ban Mặt trận\nTổ quốc Việt Nam Thành phố, Hội Liên hiệp**\n\n"
            "**Phụ nữ Thành phố và các tổ\nchức thành viên của Mặt trận**\n\n"
            "- Trong phạm vi chức năng,\nnhiệm vụ của mình, tham gia phối hợp triển khai thực hiện Kế hoạch này.\n")
    doc = build_document(Extracted(path="x.txt", format="txt", blocks=blocks_from_text(text)), "0")
    assert doc.lines[0].text == ("3. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam Thành phố, Hội Liên hiệp Phụ nữ "
                                 "Thành phố và các tổ chức thành viên của Mặt trận")
    assert doc.lines[1].text.startswith("- Trong phạm vi")
