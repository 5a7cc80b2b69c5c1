"""A name OCR read twice with different marks takes its sure reading (pipeline.extract.ocr_names).
The lines are the words and confidences Tesseract gave for the 200-dpi scan of
corpus/extra/06_laocai_sct_kh1105_2026_kiem_tra_vlncn (rendered at 300 dpi): the name in
the text, and the bold signature over the seal."""
from __future__ import annotations

import pytest

from pipeline.extract.ocr_names import apply_fixes, bare, name_fixes, names_in_line
from pipeline.model import Block

TEXT_LINE = [("4.1.", 93.0), ("Ông.", 91.0), ("Hoàng", 96.9), ("Văn", 93.3), ("Thuân", 93.1), ("-", 95.0),
             ("Trưởng", 96.0), ("đoàn:", 96.0)]
SIGNATURE = [("Hoàng", 96.8), ("Văn", 96.6), ("Thuần", 72.3)]


def test_bare_letters():
    assert bare("Thuần") == bare("Thuân") == "thuan"
    assert bare("Đặng") == "dang"


def test_names_are_family_name_runs():
    assert [[w for w, _ in run] for run in names_in_line(TEXT_LINE)] == [["Hoàng", "Văn", "Thuân"]]
    assert names_in_line([("Sở", 95.0), ("Công", 95.0), ("Thương", 95.0)]) == []


@pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=101)
def test_unsure_signature_takes_the_sure_reading_of_the_text():
    fixes = name_fixes([TEXT_LINE, SIGNATURE])
    assert fixes == {"Hoàng Văn Thuần": "Hoàng Văn Thuân"}
    blocks = [Block("paragraph", text="T/M. ĐOÀN KIỂM TRA\nHoàng Văn Thuần"), Block("table", rows=[["1", "Hoàng Văn Thuần"]])]
    apply_fixes(blocks, fixes)
    assert blocks[0].text.endswith("\nHoàng Văn Thuân") and blocks[1].rows == [["1", "Hoàng Văn Thuân"]]


def test_two_sure_readings_are_left_alone():
    """Two people, or one name written two ways: both read surely, nothing changes."""
    sure_signature = [(w, 95.0) for w, _ in SIGNATURE]
    assert name_fixes([TEXT_LINE, sure_signature]) == {}


def test_an_unsure_reading_alone_is_left_alone():
    assert name_fixes([SIGNATURE]) == {}
    # the other reading is not sure either
    assert name_fixes([SIGNATURE, [("Hoàng", 85.0), ("Văn", 88.0), ("Thuân", 86.0)]]) == {}
