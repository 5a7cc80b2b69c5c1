"""Bad input: every reader refuses it with an ExtractError naming the file and the reason."""
from __future__ import annotations

import zipfile

import pytest

from extract_fixtures import make_plan_docx, rewrite_zip_member
from pipeline.extract import ExtractError, extract

ENTITY_BOMB = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
               b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>\n'
               b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
               b"<w:body><w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>")


@pytest.fixture(scope="module")
def good_docx(tmp_path_factory):
    return make_plan_docx(tmp_path_factory.mktemp("bad") / "plan.docx")


def refused(path, reason: str) -> ExtractError:
    with pytest.raises(ExtractError) as err:
        extract(path)
    assert err.value.reason == reason, err.value
    assert str(path) in str(err.value) and err.value.to_dict()["file"] == str(path)
    return err.value


def test_zero_byte_file(tmp_path):
    for name in ("rỗng.docx", "rỗng.pdf", "rỗng.txt", "rỗng.html"):
        p = tmp_path / name
        p.write_bytes(b"")
        refused(p, "empty")


def test_docx_that_is_not_a_zip(tmp_path):
    p = tmp_path / "kế hoạch.docx"
    p.write_text("Kế hoạch số 12/KH-UBND: đây không phải tệp Word", encoding="utf-8")
    refused(p, "format_mismatch")


def test_zip_that_is_not_word(tmp_path):
    p = tmp_path / "bảng tính.docx"
    with zipfile.ZipFile(p, "w") as zf:
        zf.writestr("xl/workbook.xml", "<workbook/>")
    refused(p, "not_docx")


def test_zip_bomb_docx(good_docx, tmp_path):
    bomb = rewrite_zip_member(good_docx, tmp_path / "bom.docx", "word/document.xml", b"<" + b" " * (40 * 1024 * 1024) + b"/>")
    err = refused(bomb, "zip_bomb")
    assert "word/document.xml" in err.detail


def test_entity_bomb_docx(good_docx, tmp_path):
    bomb = rewrite_zip_member(good_docx, tmp_path / "entity.docx", "word/document.xml", ENTITY_BOMB)
    err = refused(bomb, "xml_dtd")
    assert "word/document.xml" in err.detail


def test_damaged_zip_member(good_docx, tmp_path):
    data = bytearray(good_docx.read_bytes())
    start = data.find(b"word/document.xml") + 40  # inside the compressed body of that member
    data[start:start + 200] = b"\x00" * 200
    p = tmp_path / "hỏng.docx"
    p.write_bytes(bytes(data))
    with pytest.raises(ExtractError) as err:
        extract(p)
    assert err.value.reason in ("corrupt_docx", "not_zip")


def test_pdf_named_docx_is_read_as_pdf(tmp_path):
    """Built with pypdfium2 (an image-free one-page PDF with no text): read as PDF, noted."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument.new()
    pdf.new_page(595, 842)
    p = tmp_path / "thực ra là pdf.docx"
    pdf.save(str(p))
    ex = extract(p)
    assert ex.format == "pdf" and ex.pages == 1
    assert ex.warnings[0]["code"] == "format_mismatch" and "PDF" in ex.warnings[0]["message"]


def test_unsupported_extension(tmp_path):
    p = tmp_path / "kế hoạch.xlsx"
    p.write_bytes(b"PK\x03\x04")
    refused(p, "unsupported_format")


def test_missing_file(tmp_path):
    refused(tmp_path / "không có.pdf", "not_found")


def test_legacy_font_encoding_is_converted_or_flagged(tmp_path):
    """Text typed in a TCVN3 font whose name the file lost is recognised by its statistics and
    converted (issue 15); text that no table mends still gets the text_integrity warning."""
    import docx

    from pipeline.extract.integrity import syllable_share

    d = docx.Document()
    for _ in range(4):
        d.add_paragraph("Uû ban nh©n d©n tØnh Kh¸nh Hßa. Céng hßa x· héi chñ nghÜa ViÖt Nam, §éc lËp - Tù do - H¹nh phóc")
    p = tmp_path / "tcvn3.docx"
    d.save(p)
    ex = extract(p)
    assert [w["code"] for w in ex.warnings] == ["legacy_encoding"]
    assert ex.blocks[0].text.startswith("Uỷ ban nhân dân tỉnh Khánh Hòa. Cộng hòa xã hội chủ nghĩa Việt Nam")
    d = docx.Document()
    for _ in range(4):
        d.add_paragraph("Uûq bzn nh©xn dx©n tØnhk Khx¸nh Hßqa Céngx hßza xx· héyi chñy nghÜxa ViÖxt Nqam")
    d.save(p)
    assert any(w["code"] == "text_integrity" for w in extract(p).warnings)
    share, words = syllable_share("Ủy ban nhân dân tỉnh Khánh Hòa ban hành Kế hoạch thực hiện Chương trình OCOP năm 2020")
    assert share == 1.0 and words == 17
