"""PDF reader on a real LibreOffice PDF: paragraphs, tables in place, bold, pages; bad PDFs."""
from __future__ import annotations

import pytest

from extract_fixtures import ENCRYPT_FILTER, LibreOffice, have_soffice, make_plan_docx
from pipeline.extract import ExtractError, extract
from pipeline.extract.layout import TextLine, glue, join_words
from pipeline.extract.pdf import is_row_continuation
from pipeline.normalize.text import build_document

pytestmark = pytest.mark.skipif(not have_soffice(), reason="LibreOffice is needed to make the PDFs")


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory):
    work = tmp_path_factory.mktemp("pdf")
    lo = LibreOffice(work)
    src = make_plan_docx(work / "Kế hoạch 3680.docx")
    plain = lo.convert(src, "pdf", work / "plain")
    enc = lo.convert(src, ENCRYPT_FILTER, work / "enc")
    return {"plain": plain, "encrypted": enc, "work": work}


def test_reads_paragraphs_tables_and_pages(pdfs):
    ex = extract(pdfs["plain"])
    assert ex.format == "pdf" and ex.pages == 1 and not ex.ocr
    paras = [b.text for b in ex.blocks if b.kind == "paragraph"]
    assert "I. MỤC TIÊU" in paras and "a) Tạo ra 39 sản phẩm hàng hóa chất lượng cao;" in paras
    (table,) = [b for b in ex.blocks if b.kind == "table"]
    rows = [[" ".join(c.split()) for c in r] for r in table.rows]  # cell lines as normalize joins them
    assert rows[2] == ["1", "UBND thành phố Nha Trang", "650", "500"]
    assert rows[3][1:] == ["Tổng cộng", "1.150", "900"]
    assert all(b.page == 1 for b in ex.blocks)
    # the table sits between its heading and the closing sentence, its words not repeated as text
    i = ex.blocks.index(table)
    assert ex.blocks[i - 1].text == "II. KINH PHÍ" and ex.blocks[i + 1].text.startswith("UBND tỉnh yêu cầu")
    assert not any("Nha Trang" in p for p in paras)


def test_bold_and_header_columns(pdfs):
    ex = extract(pdfs["plain"])
    styles = {b.text: b.style for b in ex.blocks if b.kind == "paragraph"}
    assert styles["II. KINH PHÍ"] == "bold"
    assert styles["a) Tạo ra 39 sản phẩm hàng hóa chất lượng cao;"] is None
    doc = build_document(ex, "0" * 64)
    # the two header columns are read one after the other, not line by line across
    lines = [ln.text for ln in doc.lines]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in lines
    assert "Khánh Hòa, ngày 16 tháng 4 năm 2020" in lines
    assert lines.index("Số: 3680/KH-UBND") < lines.index("Khánh Hòa, ngày 16 tháng 4 năm 2020")
    assert doc.source["pages"] == 1 and doc.lines[0].page == 1


def test_encrypted_pdf_is_refused(pdfs):
    with pytest.raises(ExtractError) as err:
        extract(pdfs["encrypted"])
    assert err.value.reason == "encrypted" and err.value.path.endswith(".pdf")


def test_truncated_pdf_is_refused(pdfs, tmp_path):
    data = pdfs["plain"].read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractError) as err:
        extract(cut)
    assert err.value.reason == "truncated_pdf" and "cut.pdf" in str(err.value)


def test_garbage_pdf_is_refused(tmp_path):
    bad = tmp_path / "hỏng.pdf"
    bad.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> garbage\n%%EOF\n")
    with pytest.raises(ExtractError) as err:
        extract(bad)
    assert err.value.reason == "corrupt_pdf"


def test_too_many_pages(pdfs, monkeypatch):
    from pipeline import settings as settings_mod
    from pipeline.extract import pdf as pdf_mod

    monkeypatch.setattr(pdf_mod, "get_settings", lambda: settings_mod.Settings(max_pages=0))
    with pytest.raises(ExtractError) as err:
        extract(pdfs["plain"])
    assert err.value.reason == "too_many_pages"


def _word(text, x0, x1, size=13.0):
    return {"text": text, "x0": x0, "x1": x1, "top": 100.0, "bottom": 100.0 + size, "chars": []}


def test_wide_gap_is_a_tab():
    words = [_word("Số:", 80, 100), _word("12/KH-UBND", 103, 170), _word("Khánh", 330, 370), _word("Hòa", 373, 400)]
    assert join_words(words) == "Số: 12/KH-UBND\tKhánh Hòa"


@pytest.mark.source("cantho_ocop_2024_kh109.txt", line=343)
def test_glue_keeps_number_ranges():
    assert glue("giai đoạn 2021-", "2025 trên địa bàn") == "giai đoạn 2021-2025 trên địa bàn"
    assert glue("các sản phẩm", "OCOP đạt 3 sao") == "các sản phẩm OCOP đạt 3 sao"


def test_row_continuation_across_pages():
    assert is_row_continuation(["", "phê duyệt danh mục sản phẩm", "", "", "Các đơn vị"])
    assert not is_row_continuation(["4", "Tổ chức đánh giá sản phẩm", "30"])
    assert not is_row_continuation(["", "Tổng cộng", "1.150"])


def test_line_is_bold_when_most_characters_are():
    chars = [{"text": c, "fontname": "ABC+TimesNewRoman-Bold", "size": 13} for c in "MỤC TIÊU"]
    chars[1]["fontname"] = "DEF+DejaVuSerif"  # a fallback font for one accented letter
    w = _word("MỤC TIÊU", 80, 150)
    w["chars"] = chars
    assert TextLine.from_words([w]).bold


def test_page_break_mending():
    """A table over three pages: repeated two-row header dropped, a cut row put back together."""
    from pipeline.extract.pdf import PageResult, join_pages
    from pipeline.model import Block

    head = [["STT", "Đơn vị thực hiện", "Năm 2020", ""], ["", "", "Tổng", "Ngân sách tỉnh"]]
    p1 = PageResult([Block("table", rows=head + [["1", "Tuyên truyền tới các cộng đồng", "20", "20"],
                                                 ["2", "Tổ chức đăng ký ý tưởng sản phẩm và", "80", "80"]], page=1)])
    p2 = PageResult([Block("table", rows=head + [["", "hỗ trợ tập huấn", "", ""], ["3", "Hỗ trợ phát triển", "500", "250"]], page=2)])
    p3 = PageResult([Block("table", rows=head + [["VI", "UBND thị xã Ninh Hòa", "2.550", "1.350"]], page=3)])
    blocks = join_pages([p1, p2, p3])
    rows = [r for b in blocks for r in b.rows]
    assert [r[0] for r in rows] == ["STT", "", "1", "2", "3", "VI"]
    assert rows[3][1] == "Tổ chức đăng ký ý tưởng sản phẩm và\nhỗ trợ tập huấn"


def test_text_layer_of_a_legacy_font_is_garbled():
    from pipeline.extract.pdf import garbled
    from pipeline.model import Block

    tcvn3 = "Uû ban nh©n d©n tØnh Kh¸nh Hßa. Céng hßa x· héi chñ nghÜa ViÖt Nam, §éc lËp - Tù do - H¹nh phóc. " * 3
    good = "Ủy ban nhân dân tỉnh Khánh Hòa ban hành Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm. " * 3
    assert garbled([Block("paragraph", text=tcvn3)])
    assert not garbled([Block("paragraph", text=good)])


def test_blank_in_a_draft_is_not_a_column():
    words = [_word("Số:", 80, 100), _word("/KH-UBND", 160, 230), _word("ngày", 300, 330), _word("tháng", 400, 440)]
    assert join_words(words) == "Số: /KH-UBND\tngày tháng"


def _line(top, *words):
    return TextLine.from_words([dict(_word(t, x0, x1, 10.0), top=top, bottom=top + 10.0) for t, x0, x1 in words])


@pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=127)
def test_a_gap_that_running_text_crosses_with_a_word_space_is_no_column():
    """A converter's flattened table row (the 06 PDF and its scan): "La (Sơn 3 ... 27/3/2025",
    then "02 ngày", then a line of running text whose word space falls where the gap was.
    One run of text, not two columns: the duration stays next to its date."""
    from pipeline.extract.layout import column_segments

    lines = [_line(121, ("La", 86, 100), ("(Sơn", 103, 128), ("3", 132, 138), ("27/3/2025", 482, 530)),
             _line(138, ("02", 86, 98), ("ngày", 102, 125)),
             _line(160, ("Hiệp", 114, 140), ("Phú", 145, 165), ("La),", 198, 218), ("Than", 222, 248), ("Uyên,", 253, 284), ("Tân", 288, 306), ("Uyên", 312, 338))]
    (segment,) = column_segments(lines)
    assert [ln.text for ln in segment] == ["La (Sơn 3\t27/3/2025", "02 ngày", "Hiệp Phú\tLa), Than Uyên, Tân Uyên"]
