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
