"""DOCX reader: body order, merged cells, rebuilt list numbers, styles, layout tables."""
from __future__ import annotations

import pytest

from pipeline.extract import extract
from pipeline.extract.docx import format_number
from pipeline.normalize.text import build_document
from extract_fixtures import make_plan_docx


@pytest.fixture(scope="module")
def plan(tmp_path_factory):
    path = tmp_path_factory.mktemp("docx") / "Kế hoạch số 3680 năm 2020.docx"
    return extract(make_plan_docx(path))


def texts(ex):
    return [b.text for b in ex.blocks if b.kind == "paragraph"]


def test_list_numbers_are_rebuilt(plan):
    t = texts(plan)
    assert "I. MỤC TIÊU" in t
    assert "1. Mục tiêu chung" in t
    assert "2. Mục tiêu cụ thể" in t  # the plain paragraph between does not restart the list
    assert "a) Tạo ra 39 sản phẩm hàng hóa chất lượng cao;" in t
    assert "b) Triển khai xây dựng 2 - 3 điểm giới thiệu sản phẩm OCOP." in t
    assert "- Tỷ lệ sản phẩm đạt 3 sao trở lên" in t  # a Symbol-font bullet
    assert "II. KINH PHÍ" in t  # level 0 goes on after the deeper levels


def test_body_order_and_styles(plan):
    kinds = [(b.kind, b.text[:12] if b.text else None) for b in plan.blocks]
    table_at = next(i for i, (k, _) in enumerate(kinds) if k == "table")
    assert kinds[table_at - 1] == ("paragraph", "II. KINH PHÍ")
    assert kinds[table_at + 1][1].startswith("UBND tỉnh")
    styles = {b.text: b.style for b in plan.blocks if b.kind == "paragraph"}
    assert styles["KẾ HOẠCH"] == "bold"
    assert styles["Thực hiện Chương trình mỗi xã một sản phẩm năm 2020"] == "heading"
    assert styles["I. MỤC TIÊU"] == "bold"
    assert styles["1. Mục tiêu chung"] is None


def test_merged_cells_keep_the_grid(plan):
    (table,) = [b for b in plan.blocks if b.kind == "table"]
    assert table.rows == [
        ["STT", "Đơn vị thực hiện", "Năm 2020", ""],
        ["", "", "Ngân sách tỉnh", "Vốn đối ứng"],
        ["1", "UBND thành phố Nha Trang", "650", "500"],
        ["", "Tổng cộng", "1.150", "900"],
    ]


def test_borderless_header_table_is_text(plan):
    t = texts(plan)
    assert t[:5] == ["ỦY BAN NHÂN DÂN\nTỈNH KHÁNH HÒA", "Số: 3680/KH-UBND", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
                     "Khánh Hòa, ngày 16 tháng 4 năm 2020", "KẾ HOẠCH"]
    assert sum(1 for b in plan.blocks if b.kind == "table") == 1


def test_vietnamese_file_name_and_document(plan):
    assert plan.path.endswith("Kế hoạch số 3680 năm 2020.docx")
    assert plan.format == "docx" and plan.pages is None and not plan.ocr
    doc = build_document(plan, "0" * 64)
    assert "Ngân sách tỉnh\tVốn đối ứng" in doc.text
    assert doc.tables[0].rows[3] == ["", "Tổng cộng", "1.150", "900"]


@pytest.mark.parametrize("n,fmt,out", [(4, "upperRoman", "IV"), (14, "lowerRoman", "xiv"), (2, "lowerLetter", "b"),
                                       (27, "lowerLetter", "aa"), (3, "decimalZero", "03"), (12, "decimal", "12")])
def test_format_number(n, fmt, out):
    assert format_number(n, fmt) == out


def test_corpus_docx_matches_its_text(tmp_path):
    """A committed rendition reads back to the same paragraphs and table rows as its .txt."""
    import difflib

    from conftest import PLANS

    src = PLANS / "krongno_ocop_2021_kh83.docx"
    if not src.exists():
        pytest.skip("renditions not generated")
    a = build_document(extract(PLANS / "krongno_ocop_2021_kh83.txt"), "x")
    b = build_document(extract(src), "x")
    ratio = difflib.SequenceMatcher(None, [ln.text for ln in a.lines], [ln.text for ln in b.lines], autojunk=False).ratio()
    assert ratio > 0.95
    assert [t.rows for t in a.tables] == [t.rows for t in b.tables]


def test_frame_table_around_a_data_table(tmp_path):
    """A one-cell table used as a frame: its paragraphs are body text, the table inside stays a table."""
    import docx

    d = docx.Document()
    frame = d.add_table(rows=1, cols=1)
    cell = frame.cell(0, 0)
    cell.text = "PHỤ LỤC I"
    inner = cell.add_table(rows=2, cols=2)
    inner.style = "Table Grid"
    for (i, j), v in {(0, 0): "Nội dung", (0, 1): "Kinh phí", (1, 0): "Tuyên truyền", (1, 1): "20"}.items():
        inner.cell(i, j).text = v
    p = tmp_path / "khung.docx"
    d.save(p)
    ex = extract(p)
    assert ex.blocks[0].text == "PHỤ LỤC I"
    assert [b.rows for b in ex.blocks if b.kind == "table"] == [[["Nội dung", "Kinh phí"], ["Tuyên truyền", "20"]]]
