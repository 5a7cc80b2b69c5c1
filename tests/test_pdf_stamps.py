"""The number and day a signing tool stamps into signature fields (the signed PDF of 30_bimson)."""
from __future__ import annotations

import pytest

from conftest import EXTRA2
from pipeline.extract import extract
from pipeline.extract.ocr import check_ocr_available
from pipeline.extract.pdfium_page import read_page
from pipeline.extract.pdf_stamps import _on_its_line

SIGNED = EXTRA2 / "30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.pdf"


def _tesseract() -> bool:
    try:
        check_ocr_available(SIGNED, "vie")
    except Exception:  # noqa: BLE001
        return False
    return True


def test_the_signature_fields_of_the_first_page_are_found():
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(str(SIGNED))
    try:
        page = pdf[0]
        boxes = read_page(page).widgets
        page.close()
    finally:
        pdf.close()
    # two fields on the header's line: after "Số:" and in "ngày ... tháng ..."
    assert len(boxes) == 2 and all(90 < top < 100 for _, top, _, _ in boxes)


@pytest.mark.skipif(not _tesseract(), reason="Tesseract with Vietnamese data is needed")
def test_stamped_number_and_day_join_the_header_lines():
    lines = [b.text for b in extract(SIGNED).blocks[:8] if b.kind == "paragraph"]
    assert "Số: 3070. /KH-UBND" in lines
    assert "Bỉm Sơn, ngày 09 tháng 9 năm 2024" in lines


def test_a_stamp_drawn_above_its_line_takes_the_lines_place():
    words = [{"text": "Số:", "x0": 92, "x1": 109, "top": 99.0, "bottom": 112.0}]
    stamp = {"text": "3070.", "x0": 112, "x1": 139, "top": 96.5, "bottom": 109.0}
    assert _on_its_line(stamp, words)["top"] == 99.0
