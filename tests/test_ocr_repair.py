"""Post-OCR repair: what Tesseract read wrongly in the benchmark's scans is mended, and the
corpus's own (correct) text goes through unchanged."""
from __future__ import annotations

import pytest

from pipeline.extract.ocr_repair import repair_block_text, repair_word

from conftest import CORPUS


@pytest.mark.parametrize("ocr, meant", [
    ("GĐÐN-SB", "GĐN-SB"),  # a thick stroke read twice, once as an eth
    ("27/ÐĐN-Cty", "27/ĐN-Cty"),
    ("Ðiều", "Điều"),
    ("nghiỆp", "nghiệp"),  # a capital with stacked marks inside a lower-case word
    ("vỆ", "vệ"),
    ("BỘ", "BỘ"),  # all capitals: a heading, left alone
    ("Điều", "Điều"),
])
def test_words(ocr, meant):
    assert repair_word(ocr) == meant


@pytest.mark.parametrize("ocr, meant", [
    ("Quyết định số 919/QĐ- -TTg ngày 01/8/2022", "Quyết định số 919/QĐ-TTg ngày 01/8/2022"),
    ("Quyết định số 1883/QĐ- UBND ngày", "Quyết định số 1883/QĐ-UBND ngày"),
    ("quán triệt Chỉ thị số 37- CT/TW ngày 03", "quán triệt Chỉ thị số 37-CT/TW ngày 03"),
    ("IL MỤC TIÊU", "II. MỤC TIÊU"),
    ("l. MỤC ĐÍCH, YÊU CẦU", "I. MỤC ĐÍCH, YÊU CẦU"),
    ("I.MỤC TIÊU", "I. MỤC TIÊU"),
    ("ˆ _ Phát triển _sản phẩm", "Phát triển sản phẩm"),
    ("Số: /QĐ-UBND\tLai Châu, ngày", "Số: /QĐ-UBND\tLai Châu, ngày"),  # the column tab stays
    ("hoàn thành trong quý 11/2020.", "hoàn thành trong quý II/2020."),
    ("giai đoạn 2018 - 2020; ĐỂ nâng cao", "giai đoạn 2018 - 2020; Để nâng cao"),
    ("phối hợp với UBND cấp huyện", "phối hợp với UBND cấp huyện"),
    ("Hoàn thành trong quý II1/2020.", "Hoàn thành trong quý III/2020."),
    ("năm 2020 hoàn thành trong quý II/\u20442020.", "năm 2020 hoàn thành trong quý II/2020."),
    # a bold 8 read as "§" (the 200-dpi scan of corpus/extra2/30_bimson, its first line)
    ("Thực hiện Công văn số 17§1-CV/TU ngày 27/8/2024", "Thực hiện Công văn số 1781-CV/TU ngày 27/8/2024"),
])
def test_block_text(ocr, meant):
    assert repair_block_text(" ".join(repair_word(w) for w in ocr.split(" "))) == meant


@pytest.mark.parametrize("text", [
    "giai đoạn 2021 - 2025",  # a range, not a number code
    "XIII CỦA ĐẢNG TRÊN ĐỊA BÀN TỈNH",  # a wrapped title line
    "I, II, IV",  # a list of numerals
    "1 UBND TỈNH",  # a numbered row
    "1. Mục tiêu chung",
    "trong quý 1/2020",  # a quarter in digits
])
def test_correct_text_is_left_alone(text):
    assert repair_block_text(" ".join(repair_word(w) for w in text.split(" "))) == text


def test_corpus_text_goes_through_unchanged():
    """Every line of the corpus's text renditions (correct text), word by word and as a
    block: changed only where the source itself splits a number code ("119- KH/TU")."""
    changed = []
    for path in sorted(CORPUS.glob("*/*.txt")):
        for line in path.read_text(encoding="utf-8").split("\n"):
            if "|" in line or "```" in line or "_" in line:  # Markdown tables and rules
                continue
            fixed = repair_block_text(" ".join(repair_word(w) for w in line.split(" ")))
            if " ".join(fixed.split()) != " ".join(line.split()) and "- " not in line:
                changed.append((path.name, line, fixed))
    assert not changed, changed[:5]
