"""pdfium's characters cut into words and tables as pdfplumber cuts them, on corpus PDFs
(LibreOffice renditions whose accented letters often come from a fallback font)."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pypdfium2 as pdfium
import pytest

from pipeline.extract.pdf import needs_ocr, page_tables
from pipeline.extract.pdfium_page import TablePage, cluster_by_top, extract_words, read_page

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def content_of(path: Path, pno: int):
    pdf = pdfium.PdfDocument(str(path))
    try:
        page = pdf[pno]
        try:
            return read_page(page)
        finally:
            page.close()
    finally:
        pdf.close()


def plumber_words(path: Path, pno: int) -> list[str]:
    with pdfplumber.open(str(path)) as pdf:
        return [w["text"] for w in pdf.pages[pno].extract_words()]


@pytest.mark.parametrize("name, pno, word", [
    # pdfium made up the space between "Cơ" (ơ drawn later, from a fallback font) and "quan"
    ("extra/09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.pdf", 19, "Cơ"),
    # pdfium dropped the PDF's space after a fallback-font "ở": the gap still breaks the word
    ("plans/krongno_ocop_2021_kh83.pdf", 1, "ở"),
    # a made-up space between "(" and italic "yêu" over a 1.3 pt gap: one word, as pdfplumber has it
    ("plans/laichau_ocop_2020_qd.pdf", 2, "(yêu"),
    # "S" ":" drawn first, "ố" later in the gap: "Số:" stays one word
    ("plans/khanhhoa_ocop_2020_kh3680.pdf", 0, "Số:"),
])
def test_words_as_pdfplumber_cuts_them(name, pno, word):
    path = CORPUS / name
    ours = [w["text"] for w in extract_words(content_of(path, pno))]
    assert ours == plumber_words(path, pno)
    assert word in ours


def test_table_page_as_pdfplumber_reads_it():
    path = CORPUS / "plans/khanhhoa_ocop_2020_kh3680.pdf"
    with pdfplumber.open(str(path)) as pdf:
        for pno, page in enumerate(pdf.pages):
            theirs = page_tables(page)
            if theirs:
                break
    content = content_of(path, pno)
    ours = page_tables(TablePage(content, extract_words(content)))
    assert [rows for _, rows in ours] == [rows for _, rows in theirs]
    assert [tuple(round(v, 1) for v in bbox) for bbox, _ in ours] == [tuple(round(v, 1) for v in bbox) for bbox, _ in theirs]


def test_a_scan_needs_ocr_and_a_digital_page_does_not():
    scan = content_of(CORPUS / "plans/scans/laichau_ocop_2020_qd.pdf", 0)
    assert scan.text_chars == 0 and scan.image_area > 0 and needs_ocr(scan)
    digital = content_of(CORPUS / "plans/laichau_ocop_2020_qd.pdf", 0)
    assert digital.text_chars > 500 and digital.unmapped == 0 and not needs_ocr(digital)


def test_lines_cluster_by_top_within_tolerance():
    objs = [{"top": t, "n": i} for i, t in enumerate([10.0, 50.0, 12.5, 14.9, 30.0, 51.0])]
    # 10 -> 12.5 -> 14.9 chain within 3 pt; 30 alone; 50 and 51 together; order kept inside
    assert [[o["n"] for o in g] for g in cluster_by_top(objs, 3)] == [[0, 2, 3], [4], [1, 5]]


@pytest.mark.skipif(not __import__("shutil").which("soffice"), reason="LibreOffice is needed to make the PDF")
def test_hyphen_at_a_line_end_is_kept(tmp_path):
    """pdfium marks a hyphen where the line wraps U+FFFE; it is the PDF's "-" and stays,
    so "27/CT-" / "TTg" is glued back to "27/CT-TTg" (as from pdfplumber)."""
    from docx import Document as Docx

    from extract_fixtures import LibreOffice
    from pipeline.extract import extract

    doc = Docx()
    n = 60
    doc.add_paragraph(" ".join(f"số {i}/CT-TTg" for i in range(n)))
    src = tmp_path / "gạch nối.docx"
    doc.save(str(src))
    pdf = LibreOffice(tmp_path).convert(src, "pdf", tmp_path / "pdf")
    content = content_of(pdf, 0)
    assert any(c["text"] == "-" for c in content.chars)
    text = " ".join(b.text for b in extract(pdf).blocks if b.kind == "paragraph")
    assert "CT TTg" not in text and text.count("/CT-TTg") == n
