"""Legacy Vietnamese encodings (TCVN3, VNI): converted before normalization, by the font a DOCX
run or PDF character names, else by the text's statistics; the record says so (issue 15)."""
from __future__ import annotations

import pytest

from extract_fixtures import LibreOffice, have_soffice
from legacy_fixtures import legacy_pdf, legacy_txt, mixed_docx, plan_lines, tcvn3_docx, to_tcvn3, to_vni
from pipeline.build import build_record
from pipeline.extract import extract
from pipeline.extract.legacy_encoding import convert, convert_by_font, font_encoding, restore_case

EXPECTED = {"number": "1275/KH-UBND", "issue_date": "2009-05-12", "province": "Quảng Nam"}
TITLE_START = "Kế hoạch phát triển ngành nghề nông thôn và thương mại dịch vụ"


def assert_plan(record: dict, message: str) -> None:
    """Number, date, province and title read right, and the conversion said in the warnings."""
    meta = record["metadata"]
    assert {k: meta[k] for k in EXPECTED} == EXPECTED
    assert meta["title"].startswith(TITLE_START), meta["title"]
    notes = [w["message"] for w in record["warnings"] if w["code"] == "legacy_encoding"]
    assert notes and message in notes[0], record["warnings"]
    assert not any(w["code"] in ("text_integrity", "not_a_plan") for w in record["warnings"])
    assert "thương mại" in record["text"]  # TCVN3's "ư" (0xAD) survives as a letter, not a soft hyphen


def test_tables_and_fonts():
    assert convert("Uû ban nh©n d©n tØnh Kh¸nh Hßa", "tcvn3") == "Uỷ ban nhân dân tỉnh Khánh Hòa"
    assert convert("th\u00ad¬ng m¹i", "tcvn3") == "thương mại"
    assert convert("kÕ ho¹ch", "tcvn3", upper=True) == "KẾ HOẠCH"
    assert convert("Ñoäc laäp - Töï do - Haïnh phuùc", "vni") == "Độc lập - Tự do - Hạnh phúc"
    assert convert("TRÖÔØNG ÑAÏI HOÏC", "vni") == "TRƯỜNG ĐẠI HỌC"
    assert font_encoding(".VnTime") == ("tcvn3", False)
    assert font_encoding("ABCDEF+.VnTimeH,Bold") == ("tcvn3", True)
    assert font_encoding("VnArial NarrowH") == ("tcvn3", True)
    assert font_encoding("VNI-Times") == ("vni", False)
    assert font_encoding("Times New Roman") is None and font_encoding(None) is None
    # a run whose font says .VnTime but whose text is Unicode stays as it is
    assert convert_by_font("Kế hoạch", ".VnTime") == "Kế hoạch"
    # without the font, an upper-case line is recognised from its ASCII letters
    for line in ("KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "Số: 1275/KH-UBND", "Thừa Thiên Huế"):
        src = to_tcvn3(line)  # upper-case ASCII, lower-case bytes for the toned letters
        assert restore_case(src, convert(src, "tcvn3")) == line


def test_docx_with_vntime_header_and_unicode_body(tmp_path):
    """Before: the header block came out as "ñy ban nh©n d©n" and number, date, province
    and title were lost without a word."""
    record = build_record(mixed_docx(tmp_path / "ke hoach.docx"))
    assert_plan(record, "converted from TCVN3 (fonts .VnTime, .VnTimeH)")
    # the Unicode body is left as it was
    assert "Sở Công Thương phối hợp với Ủy ban nhân dân các huyện" in record["text"]


def test_docx_all_in_tcvn3_fonts(tmp_path):
    ex = extract(tcvn3_docx(tmp_path / "cu.docx"))
    texts = [b.text for b in ex.blocks]
    assert texts[:3] == ["ỦY BAN NHÂN DÂN", "TỈNH QUẢNG NAM", "Số: 1275/KH-UBND"]
    assert not any(w["code"] == "text_integrity" for w in ex.warnings)


@pytest.mark.parametrize("encoding,label", [("tcvn3", "TCVN3"), ("vni", "VNI")])
def test_legacy_text_file(tmp_path, encoding, label):
    """Before: "not_utf8" error, no record."""
    record = build_record(legacy_txt(tmp_path / f"{encoding}.txt", encoding))
    assert_plan(record, f"converted from {label} (the file is not UTF-8")


def test_tcvn3_pasted_into_utf8_text(tmp_path):
    """Before: a mojibake record with a text_integrity warning."""
    path = tmp_path / "dan.txt"
    path.write_text("\n\n".join(to_tcvn3(s) for s in plan_lines()), encoding="utf-8")
    assert_plan(build_record(path), "converted from TCVN3 (no font named it")


def test_vni_in_html(tmp_path):
    body = "".join(f"<p>{to_vni(s)}</p>" for s in plan_lines())
    path = tmp_path / "trang.html"
    path.write_text(f'<html><head><meta charset="windows-1252"></head><body>{body}</body></html>', encoding="cp1252")
    assert_plan(build_record(path), "converted from VNI (")


@pytest.mark.parametrize("encoding,message", [("tcvn3", "converted from TCVN3 (fonts .VnTime, .VnTimeH)"),
                                              ("vni", "converted from VNI (font VNI-Times)")])
def test_pdf_in_legacy_fonts(tmp_path, encoding, message):
    """Before: the page was sent to OCR as garbled and the record held nothing."""
    assert_plan(build_record(legacy_pdf(tmp_path / "cu.pdf", encoding)), message)


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice makes the .doc")
def test_doc_in_tcvn3_fonts(tmp_path):
    """A .doc is read through LibreOffice's .docx, which keeps the fonts' names."""
    doc = LibreOffice(tmp_path).convert(tcvn3_docx(tmp_path / "cu.docx"), "doc", tmp_path / "doc")
    assert_plan(build_record(doc), "converted from TCVN3")


def test_unicode_plan_is_left_alone(tmp_path):
    path = tmp_path / "unicode.txt"
    path.write_text("\n\n".join(plan_lines()), encoding="utf-8")
    record = build_record(path)
    assert not any(w["code"] == "legacy_encoding" for w in record["warnings"])
    assert record["metadata"]["number"] == "1275/KH-UBND"


def test_tcvn3_html_without_charset(tmp_path):
    """Bytes that are not UTF-8 and name no charset: TCVN3 is recognised before the Windows-1258
    fallback (which would turn its bytes into combining marks)."""
    body = "".join(f"<p>{to_tcvn3(s)}</p>" for s in plan_lines())
    path = tmp_path / "cu.html"
    path.write_bytes(f"<html><body>{body}</body></html>".encode("cp1252"))
    assert_plan(build_record(path), "converted from TCVN3 (the file is not UTF-8")
