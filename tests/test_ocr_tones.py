"""Unsure tone marks repaired from Viet74K's two-syllable words (pipeline.extract.ocr_tones).
The lines and confidences are what Tesseract read in the 200-dpi scan of
corpus/extra2/30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn (rendered at 300 dpi)."""
from __future__ import annotations

import pytest

from pipeline.extract.ocr_tones import letters, repair_tones, tone_fixes

pytestmark = pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt")


def test_letters_keep_the_horn_and_the_stroke():
    assert letters("tồn") == letters("tôn") == "ton"
    assert letters("chế") == "che" and letters("đủ") == "đu" and letters("dư") == "dư"


@pytest.mark.parametrize("line, meant", [
    ([("hiện", 96.0), ("những", 96.5), ("tôn", 90.1), ("tại,", 95.0), ("hạn", 96.0)], "hiện những tồn tại, hạn"),
    ([("tác", 96.0), ("phô", 71.9), ("biến,", 95.8), ("tuyên", 96.0)], "tác phổ biến, tuyên"),
    ([("II.", 96.0), ("TÔ", 77.0), ("CHỨC", 96.0), ("THỰC", 96.0), ("HIỆN", 96.0)], "II. TỔ CHỨC THỰC HIỆN"),
    ([("+", 90.0), ("Chân", 87.0), ("chỉnh", 96.0), ("ý", 96.0)], "+ Chấn chỉnh ý"),
])
def test_unsure_marks_take_the_word_they_make_with_a_neighbour(line, meant):
    assert " ".join(repair_tones(line)) == meant


@pytest.mark.parametrize("line", [
    [("những", 96.5), ("tôn", 96.0), ("tại,", 95.0)],  # read surely: left as read
    [("nhằm", 96.0), ("để", 80.0), ("điều", 90.0), ("chỉnh", 90.0)],  # "đê điều" would take "điều" from "điều chỉnh"
    [("thị", 96.0), ("xã", 96.0), ("Bim", 80.0), ("Sơn", 96.0)],  # a proper name
])
def test_sure_words_names_and_taken_neighbours_are_left_alone(line):
    assert repair_tones(line) == [t for t, _ in line]


def test_a_syllable_read_surely_elsewhere_in_the_document_is_a_word():
    """"cấp tỉnh" is no Viet74K word ("cấp tính" is): the plan reads "tỉnh" surely elsewhere."""
    unsure = [("cấp", 96.0), ("tỉnh,", 88.0), ("cấp", 96.0), ("huyện", 96.0)]
    assert tone_fixes([unsure]) == {"cấp tỉnh, cấp": "cấp tính, cấp"}  # alone, the dictionary would change it
    assert tone_fixes([unsure, [("Ủy", 96.0), ("ban", 96.0), ("nhân", 96.0), ("dân", 96.0), ("tỉnh", 96.5)]]) == {}


def test_fixes_are_phrases_of_the_line():
    lines = [[("hiện", 96.0), ("những", 96.5), ("tôn", 90.1), ("tại,", 95.0), ("hạn", 96.0)],
             [("mưu,", 96.0), ("bồ", 80.0), ("trí", 96.0), ("kinh", 96.0)]]
    assert tone_fixes(lines) == {"những tôn tại,": "những tồn tại,", "mưu, bồ trí": "mưu, bố trí"}
