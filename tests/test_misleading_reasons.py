"""Hostile or careless input that used to get a wrong reason (issue 15): an owner-password PDF
called corrupt, an encrypted OOXML file named .doc called corrupt, zero-width spaces taken for
a legacy encoding, Chinese text with no "not Vietnamese" warning, UTF-32 read as UTF-16.
Each file is built here."""
from __future__ import annotations

import json

import pytest

from legacy_fixtures import legacy_pdf, mixed_docx, plan_lines
from pipeline.build import build_record
from pipeline.extract import ExtractError, extract
from pipeline.extract.charset import zero_pattern_encoding

PLAN_TEXT = "\n\n".join(plan_lines())
CHINESE = ("广西壮族自治区人民政府办公厅关于印发广西农村电子商务发展实施方案的通知。各市、县人民政府，自治区人民政府各组成部门："
           "经自治区人民政府同意，现将本方案印发给你们，请认真贯彻执行。一、总体要求。加快发展农村电子商务，到2025年，"
           "全区农村网络零售额达到500亿元。二、主要任务。（一）完善农村电子商务基础设施。（二）培育市场主体。三、保障措施。") * 3


def owner_password_pdf(path, algorithm: str = "RC4-128"):
    """A PDF anyone can open but whose owner password allows nothing (/P 0)."""
    pypdf = pytest.importorskip("pypdf")
    src = legacy_pdf(path.with_name("open.pdf"))
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(src))
    writer.encrypt(user_password="", owner_password="chu so huu", permissions_flag=0, algorithm=algorithm)
    writer.write(path)
    assert pypdf.PdfReader(path).trailer["/Encrypt"]["/P"] == 0
    return path


def encrypted_ooxml(path, tmp_path):
    """A .docx encrypted with a password (a CFB container holding EncryptedPackage)."""
    ooxml = pytest.importorskip("msoffcrypto.format.ooxml")
    src = mixed_docx(tmp_path / "src.docx")
    with open(src, "rb") as f, open(path, "wb") as out:
        ooxml.OOXMLFile(f).encrypt("matkhau", out)
    return path


@pytest.mark.parametrize("algorithm", ["RC4-40", "RC4-128", "AES-128"])
def test_owner_password_pdf_is_read(tmp_path, algorithm):
    """Before: corrupt_pdf "'L' format requires 0 <= number <= 4294967295" (pdfminer)."""
    record = build_record(owner_password_pdf(tmp_path / "han che.pdf", algorithm))
    assert record["metadata"]["number"] == "1275/KH-UBND"
    assert any(w["code"] == "pdf_restricted" for w in record["warnings"])


@pytest.mark.parametrize("name", ["bi mat.doc", "bi mat.docx"])
def test_encrypted_ooxml_is_encrypted_not_corrupt(tmp_path, name):
    """Before (.doc): corrupt_doc "LibreOffice could not convert the .doc: source file could not be loaded"."""
    path = encrypted_ooxml(tmp_path / name, tmp_path)
    with pytest.raises(ExtractError) as err:
        extract(path)
    assert err.value.reason == "encrypted"
    assert "encrypted (password-protected) Office file" in err.value.detail and err.value.path == str(path)


@pytest.mark.parametrize("sep", ["\u200b ", "\u200b", "\ufeff "])
def test_zero_width_characters_are_no_legacy_encoding(tmp_path, sep):
    """Before: "only 7% of 235 words are Vietnamese syllables: the file may use a legacy font encoding"."""
    path = tmp_path / "zw.txt"
    text = PLAN_TEXT.replace(" ", sep) if sep.endswith(" ") else sep.join(PLAN_TEXT[i:i + 3] for i in range(0, len(PLAN_TEXT), 3))
    path.write_text(text, encoding="utf-8")
    record = build_record(path)
    assert not [w for w in record["warnings"] if w["code"] in ("text_integrity", "legacy_encoding")]
    assert record["metadata"]["number"] == "1275/KH-UBND"
    assert "\u200b" not in record["text"] and "Kế hoạch phát triển" in record["metadata"]["title"]


def test_chinese_text_is_not_vietnamese(tmp_path):
    """Before: only "not_a_plan" (Chinese has no spaces, so the word count said nothing)."""
    path = tmp_path / "zh.txt"
    path.write_text(CHINESE, encoding="utf-8")
    warnings = build_record(path)["warnings"]
    (w,) = [w for w in warnings if w["code"] == "not_vietnamese"]
    assert "Chinese (Han)" in w["message"]
    assert not any(w["code"] == "text_integrity" for w in warnings)


def test_english_text_is_not_blamed_on_a_legacy_encoding(tmp_path):
    path = tmp_path / "en.txt"
    path.write_text(("The provincial committee issues this plan to develop rural trades in the period 2009 to 2015. "
                     "The department of agriculture leads and reports every year. ") * 8, encoding="utf-8")
    codes = [w["code"] for w in build_record(path)["warnings"]]
    assert "not_vietnamese" in codes and "text_integrity" not in codes


@pytest.mark.parametrize("encoding,bom", [("utf-32-le", b"\xff\xfe\x00\x00"), ("utf-32-be", b"\x00\x00\xfe\xff"),
                                          ("utf-32-le", b""), ("utf-16-le", b""), ("utf-16-be", b""),
                                          ("utf-16-le", b"\xff\xfe")])
def test_utf16_and_utf32_with_and_without_bom(tmp_path, encoding, bom):
    """Before: UTF-32-LE with its BOM read as UTF-16 (0% Vietnamese syllables, empty record);
    without a BOM, "not_utf8"."""
    path = tmp_path / "u.txt"
    data = PLAN_TEXT.encode(encoding)
    path.write_bytes(bom + data)
    if not bom:
        assert zero_pattern_encoding(data) == encoding
    record = build_record(path)
    assert record["metadata"]["number"] == "1275/KH-UBND" and record["warnings"] == []


def test_text_in_no_known_encoding_is_still_refused(tmp_path):
    path = tmp_path / "rac.txt"
    path.write_bytes(bytes(range(0x80, 0x100)) * 20)
    with pytest.raises(ExtractError) as err:
        extract(path)
    assert err.value.reason == "not_utf8"


@pytest.mark.e2e
def test_the_batch_gives_the_right_reasons(tmp_path):
    """Through the real flow: errors.json names the encrypted file and why; the rest is read."""
    from flows.process import run_batch
    from vnplan.sink import StoreSink

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    encrypted_ooxml(inbox / "bi mat.doc", tmp_path)
    owner_password_pdf(inbox / "han che.pdf")
    mixed_docx(inbox / "tcvn3.docx")
    (inbox / "zh.txt").write_text(CHINESE, encoding="utf-8")
    out = tmp_path / "out"
    summary = run_batch([inbox], out, sink=StoreSink())
    errors = json.loads((out / "errors.json").read_text(encoding="utf-8"))
    assert [(e["file"], e["reason"]) for e in errors] == [(str(inbox / "bi mat.doc"), "encrypted")]
    files = {f["file"]: f for f in summary["files"]}
    assert files[str(inbox / "tcvn3.docx")]["note"] == "converted from TCVN3 (fonts .VnTime, .VnTimeH)"
    assert files[str(inbox / "han che.pdf")]["outcome"] == "ok"
