"""Ink no OCR word covers, read again (pipeline.extract.ocr_uncovered): which areas are
read, and which of their lines are kept. The TSV rows are what Tesseract read in the seal
area of the 200-dpi grey rendering of corpus/extra2/30_bimson's signature page."""
from __future__ import annotations

import numpy as np

from pipeline.extract.ocr_uncovered import text_lines, uncovered_areas

HEAD = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"


def tsv(rows: list[tuple[str, float, int, int]]) -> str:
    """(text, conf, line, left) rows as Tesseract's TSV words, 40 px high, 80 px wide."""
    return "\n".join([HEAD] + [f"5\t1\t1\t1\t{ln}\t{i}\t{left}\t{ln * 50}\t80\t40\t{conf}\t{text}"
                               for i, (text, conf, ln, left) in enumerate(rows)])


SEAL_AREA = tsv([("CHỦ", 96.7, 1, 300), ("TỊCH", 96.2, 1, 390),
                 ("Ạ", 54.0, 2, 10), ("3w", 65.6, 2, 100), ("`", 76.7, 2, 200),
                 ("4", 85.4, 9, 10), ("n", 83.9, 9, 100), ("L7", 23.2, 9, 200), ("Q", 75.7, 9, 300),
                 ("~", 33.9, 10, 10), ("Trịnh", 96.4, 10, 300), ("Tuấn", 95.9, 10, 390), ("Thành", 96.8, 10, 480)])


# the position line above the seal, read on the page
ALREADY = [{"text": "CHỦ", "x0": 1020, "x1": 1100, "top": 1000, "bottom": 1040},
           {"text": "TỊCH", "x0": 1110, "x1": 1190, "top": 1000, "bottom": 1040}]


def test_the_name_is_kept_and_the_seal_marks_are_not():
    words = text_lines(SEAL_AREA, (720, 950, 1400, 1360), 1.0, 0, ALREADY)
    assert [w["text"] for w in words] == ["Trịnh", "Tuấn", "Thành"]
    assert words[0]["x0"] == 720 + 300 and words[0]["top"] == 950 + 500  # in page coordinates
    assert {w["line_key"] for w in words} == {("u0", "1", "1", "10")}


def test_a_line_already_read_is_not_added_twice():
    assert "CHỦ" not in [w["text"] for w in text_lines(SEAL_AREA, (720, 950, 1400, 1360), 1.0, 0, ALREADY)]
    assert "CHỦ" in [w["text"] for w in text_lines(SEAL_AREA, (720, 950, 1400, 1360), 1.0, 0, [])]


def test_only_ink_outside_the_words_and_wider_than_a_rule_makes_an_area():
    dpi = 200
    page = np.full((2000, 1600), 255, np.uint8)
    page[100:140, 100:700] = 0  # a line of text, covered by its word
    page[300:304, 100:1500] = 0  # a rule: too thin
    page[800:1000, 900:1100] = 0  # a seal
    words = [{"x0": 100, "x1": 700, "top": 100, "bottom": 140}]
    (area,) = uncovered_areas(page, dpi, words, 1.0)
    x0, y0, x1, y1 = area
    assert x0 <= 900 and y0 <= 800 and x1 >= 1100 and y1 >= 1000 and y0 > 304


def test_grain_and_specks_make_no_area():
    """A noisy scan: paper with grain (7% of pixels darker than the ink level) and specks."""
    rng = np.random.default_rng(3)
    page = np.clip(rng.normal(172, 22, (2000, 1600)), 0, 255).astype(np.uint8)
    page[rng.integers(0, 2000, 5000), rng.integers(0, 1600, 5000)] = 20
    assert uncovered_areas(page, 200, [], 1.0) == []
