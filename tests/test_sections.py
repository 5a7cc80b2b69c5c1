"""Heading tree: one test per rule with real lines, plus the corpus documents."""
from __future__ import annotations

import pytest

from pipeline.parse.sections import heading_kind, kind_at, parse_sections, section_at

from doc_factory import CORPUS, corpus_doc, doc_of_text


def heads(text: str):
    return [(s.numbering, s.kind, s.level) for s in parse_sections(doc_of_text(text))]


@pytest.mark.parametrize("heading,kind", [
    ("MỤC ĐÍCH, YÊU CẦU", "purpose"),
    ("Yêu cầu", "requirements"),
    ("Mục tiêu cụ thể", "objectives"),
    pytest.param("PHẠM VI, ĐỐI TƯỢNG, NGUYÊN TẮC THỰC HIỆN", "scope",
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=33)),
    pytest.param("NỘI DUNG, NHIỆM VỤ TRỌNG TÂM", "tasks",
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=64)),
    ("NHIỆM VỤ, GIẢI PHÁP", "tasks"),
    ("GIẢI PHÁP THỰC HIỆN", "solutions"),
    pytest.param("KINH PHÍ VÀ NGUỒN KINH PHÍ", "budget",
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=204)),
    ("Nguồn vốn thực hiện", "budget"),
    ("TỔ CHỨC THỰC HIỆN", "organization"),
    pytest.param("Trách nhiệm của địa phương", "organization",
                 marks=pytest.mark.source("cantho_ocop_2024_kh109.txt", line=482)),
    ("CHẾ ĐỘ BÁO CÁO", "reporting"),
    ("Quy định báo cáo", "reporting"),
    pytest.param("KHUNG LOGIC KẾ HOẠCH TRIỂN KHAI ĐỀ ÁN", "appendix",
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=188)),
    # a task that merely starts with the organization phrase
    pytest.param("Tổ chức thực hiện các hoạt động tuyên truyền về Chương trình OCOP", "other",
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=97)),
    ("Sở Nông nghiệp và Phát triển nông thôn", "other"),
])
def test_heading_kind(heading, kind):
    assert heading_kind(heading) == kind


def test_roman_arabic_letter_nesting():
    text = "KẾ HOẠCH\n\nI. MỤC TIÊU\n\n1. Mục tiêu chung: Phát triển sản phẩm OCOP\n\n2. Mục tiêu cụ thể\n\na) Tiêu chuẩn hóa 148 sản phẩm;\n\nb) Triển khai nội dung cho 100% cán bộ\n\nII. NỘI DUNG\n\n1. Công tác chỉ đạo\n"
    assert heads(text) == [(None, "preamble", 0), ("I", "objectives", 0), ("1", "objectives", 1),
                           ("2", "objectives", 1), ("a", "other", 2), ("b", "other", 2),
                           ("II", "tasks", 0), ("1", "other", 1)]


def test_colon_heading_keeps_content_after_heading_end():
    d = doc_of_text("I. MỤC TIÊU\n\n1. Mục tiêu chung: Phát triển sản phẩm OCOP nhằm khơi dậy tiềm năng\n")
    s = parse_sections(d)[1]
    assert s.heading == "Mục tiêu chung"
    assert d.text[s.heading_end:].strip().startswith("Phát triển")


def test_repeated_roman_number_is_a_new_sibling():
    text = "I. MỤC ĐÍCH, YÊU CẦU\n\nII. MỤC TIÊU\n\n1. Mục tiêu chung\n\nII. NỘI DUNG THỰC HIỆN\n\n1. Công tác tuyên truyền\n"
    got = heads(text)
    assert [g for g in got if g[2] == 0] == [("I", "purpose", 0), ("II", "objectives", 0), ("II", "tasks", 0)]


def test_roman_with_dash_and_upper_letters_under_roman():
    text = "III- NỘI DUNG KẾ HOẠCH\n\nA. SƠ ĐỒ CHU TRÌNH OCOP\n\nB. NỘI DUNG THỰC HIỆN CHƯƠNG TRÌNH OCOP\n\n1. Tuyên truyền\n"
    assert heads(text) == [("III", "tasks", 0), ("A", "other", 1), ("B", "tasks", 1), ("1", "other", 2)]


def test_bullets_and_table_rows_are_not_headings():
    text = "I. NỘI DUNG\n\n- Tổ chức tuyên truyền\n+ Cấp xã: Nhận hồ sơ\n\nSTT\tNội dung\tChủ trì\n1\tLập kế hoạch chung\tPhòng Nông nghiệp\n2\tLập kế hoạch chi tiết\tCác ngành\n"
    assert heads(text) == [("I", "tasks", 0)]


def test_numbering_alone_takes_next_line_as_heading():
    d = doc_of_text("II. NỘI DUNG HOẠT ĐỘNG\n\n2.6.\nCăn cứ vào điều kiện thực tế của địa phương, hình thành các cơ chế tham vấn.\n")
    s = parse_sections(d)[1]
    assert s.numbering == "2.6" and s.heading.startswith("Căn cứ vào điều kiện")


def test_sub_number_run_into_heading_is_split():
    # '... tiến bộ 1.1.' : the first sub-item's number stuck to its parent's heading
    text = "II. NỘI DUNG HOẠT ĐỘNG\n\n1. Tăng cường sự lãnh đạo của cấp ủy, thúc đẩy xây dựng lao động hài hòa, ổn định và tiến bộ 1.1.\nTổ chức nghiên cứu, tuyên truyền, phổ biến Chỉ thị số 37-CT/TW.\n\n1.2. Nâng cao vai trò của các cấp ủy.\n\nIII. TỔ CHỨC THỰC HIỆN 1.\nCác sở, ban, ngành chủ động xây dựng Kế hoạch.\n"
    got = [(s.numbering, s.level) for s in parse_sections(doc_of_text(text))]
    assert got == [("II", 0), ("1", 1), ("1.1", 2), ("1.2", 2), ("III", 0), ("1", 1)]


def test_decision_with_attached_plan():
    secs = parse_sections(corpus_doc("laichau_ocop_2020_qd.txt"))
    kinds = [s.kind for s in secs if s.level == 0]
    assert kinds[:6] == ["preamble", "decision_articles", "decision_articles", "decision_articles", "closing", "other"]
    plan = [s for s in secs if s.level == 0][5]
    assert plan.heading == "KẾ HOẠCH"
    children = [s for s in secs if s.parent == plan.id]
    assert [c.kind for c in children] == ["purpose", "tasks", "budget", "organization"]


def test_closing_and_appendix_parts():
    secs = parse_sections(corpus_doc("krongno_ocop_2021_kh83.txt"))
    assert [s.kind for s in secs if s.level == 0][-2:] == ["closing", "appendix"]
    assert secs[-1].heading.startswith("KHUNG LOGIC")


def test_signature_run_into_attached_program_heading():
    secs = parse_sections(corpus_doc("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt"))
    top = [s for s in secs if s.level == 0]
    assert [s.kind for s in top] == ["preamble", "decision_articles", "decision_articles", "closing", "other"]
    assert top[-1].heading.startswith("CHƯƠNG TRÌNH HÀNH ĐỘNG")


def test_kind_at_and_section_at():
    d = corpus_doc("cantho_ocop_2024_kh109.txt")
    secs = parse_sections(d)
    at = d.text.index("Phối hợp thực hiện công tác hướng dẫn, kiểm tra")
    inner = section_at(secs, at)
    assert inner.heading == "Sở Nông nghiệp và Phát triển nông thôn" and inner.kind == "other"
    assert kind_at(secs, at) == "organization"


# the sample plans (corpus/plans, corpus/extra); extra2 and the unlabeled plans are measured by the scorer
@pytest.mark.parametrize("name", [p.name for d in ("plans", "extra") for p in sorted((CORPUS / d).glob("*.txt"))])
def test_corpus_sections_are_well_formed(name):
    d = corpus_doc(name)
    secs = parse_sections(d)
    ids = {s.id for s in secs}
    assert [s.id for s in secs] == [f"s{i + 1}" for i in range(len(secs))]
    for s in secs:
        assert 0 <= s.start <= s.heading_end <= s.end <= len(d.text)
        assert s.parent is None or s.parent in ids
        if s.kind != "preamble":
            assert d.lines[d.line_index_at(s.start)].table is None
    if "tinbai" not in name:
        assert any(s.kind == "organization" for s in secs)


def test_slash_numbering_and_dates_at_line_start():
    text = "II/ NỘI DUNG\n\n1/ Công tác tuyên truyền\n\na/ Tổ chức hội nghị\n\n15/5/2021: hoàn thành đánh giá đợt 1\n"
    assert heads(text) == [("II", "tasks", 0), ("1", "other", 1), ("a", "other", 2)]


def test_ocr_heading_words_without_tone_marks():
    # OCR drops tone marks or doubles a letter: the kind still comes through
    assert heading_kind("Mục dích") == "purpose"
    assert heading_kind("TỔ CHỨC THỤỰC HIỆN") == "organization"
    assert heading_kind("KINH PHI THUC HIEN") == "budget"
    assert heading_kind("Tổ chức đánh giá sản phẩm") == "other"


@pytest.mark.source("128_daklak_kh0129_2025_ho_tro_nhu_yeu_pham_mua_lu.txt", line=21)
def test_ve_viec_subject_line_is_no_roman_part():
    doc = doc_of_text("KẾ HOẠCH\n\nV/V HỖ TRỢ NHU YẾU PHẨM KHẨN CẤP CHO NHÂN DÂN BỊ ẢNH HƯỞNG\nMƯA LŨ\n\n"
                      "Căn cứ Nghị định số 200/2023/NĐ-CP;\n\nI. ĐÁNH GIÁ TÌNH HÌNH THIỆT HẠI\n\nNội dung.\n")
    secs = parse_sections(doc)
    assert [(s.kind, s.heading) for s in secs if s.level == 0][:2] == [("preamble", "KẾ HOẠCH"),
                                                                       ("other", "ĐÁNH GIÁ TÌNH HÌNH THIỆT HẠI")]
