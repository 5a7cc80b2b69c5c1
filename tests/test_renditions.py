"""The committed corpus renditions (scripts/make_renditions.py): present, faithful, realistic."""
from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path

import docx
import pdfplumber
import pytest
from docx.oxml.ns import qn
from lxml import html as lxml_html

from pipeline.extract.text import blocks_from_text
from pipeline.normalize.text import DEBRIS_LINE

ROOT = Path(__file__).resolve().parents[1]
CORPUS = [ROOT / "corpus" / "plans", ROOT / "corpus" / "extra"]
TXTS = sorted(p for d in CORPUS for p in d.glob("*.txt"))
SCANS = sorted((ROOT / "corpus" / "plans" / "scans").glob("*.pdf"))
KHANHHOA = ROOT / "corpus" / "plans" / "khanhhoa_ocop_2020_kh3680"
ITALIC = re.compile(r"(?<![\w*])\*(?=[^\s*])(.+?)(?<=[^\s*])\*(?![\w*])")

_spec = importlib.util.spec_from_file_location("make_renditions", ROOT / "scripts" / "make_renditions.py")
mr = importlib.util.module_from_spec(_spec)
sys.modules["make_renditions"] = mr  # dataclasses look their module up there
_spec.loader.exec_module(mr)


def squash(text: str) -> str:
    return "".join(text.split())


def txt_paragraph_lines(txt: Path) -> list[str]:
    """The txt's paragraph lines as the txt reader sees them, Markdown markers removed."""
    text = unicodedata.normalize("NFC", txt.read_text(encoding="utf-8"))
    out = []
    for block in blocks_from_text(text):
        if block.kind != "paragraph":
            continue
        for line in block.text.split("\n"):
            line = ITALIC.sub(r"\1", line.replace("<i>", "").replace("</i>", "")).strip()
            if line and not DEBRIS_LINE.match(line):
                out.append(line)
    return out


def in_header(line: str, header_text: str) -> bool:
    """The line (or each of its column parts) is in the header table's text."""
    parts = [p for p in re.split(r"\t|\s{5,}", line) if p.strip()]
    return squash(line) in header_text or all(squash(p) in header_text for p in parts)


def body_tables(document) -> list:
    return [t for t in document.tables if not _borderless(t)]


def _borderless(table) -> bool:
    borders = table._tbl.tblPr.find(qn("w:tblBorders"))
    return borders is not None and all(b.get(qn("w:val")) == "nil" for b in borders)


# --------------------------------------------------------------------------- presence

@pytest.mark.parametrize("txt", TXTS, ids=lambda p: p.stem)
def test_every_txt_has_docx_and_pdf(txt: Path) -> None:
    for suffix in (".docx", ".pdf"):
        out = txt.with_suffix(suffix)
        assert out.exists() and out.stat().st_size > 5000, f"{out.name} missing or empty"


def test_doc_html_and_scans_exist() -> None:
    plans = ROOT / "corpus" / "plans"
    assert (plans / "laichau_ocop_2020_qd.doc").read_bytes()[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    assert (plans / "trunguong_ocop_2018_qd01_tinbai.html").exists()
    assert {p.stem for p in SCANS} >= {"laichau_ocop_2020_qd", "khanhhoa_ocop_2020_kh3680"}


# --------------------------------------------------------------------------- DOCX content

@pytest.mark.parametrize("txt", TXTS, ids=lambda p: p.stem)
def test_docx_paragraphs_are_the_txt_paragraphs(txt: Path) -> None:
    """Each Word paragraph is a run of consecutive txt lines joined by one space (or a line
    break), in order, none lost; lines moved into the borderless header table excepted."""
    document = docx.Document(txt.with_suffix(".docx"))
    header = [t for t in document.tables if _borderless(t)]
    header_text = squash(" ".join(c.text for t in header for r in t.rows for c in r.cells))
    lines = txt_paragraph_lines(txt)
    paras = [p.text for p in document.paragraphs if p.text.strip()]
    i = 0
    for para in paras:
        want = para.replace("\n", " ")
        # skip lines that went into the header table (only near the top)
        while i < len(lines) and i < 20 and in_header(lines[i], header_text) and not want.startswith(lines[i]):
            i += 1
        got = []
        while i < len(lines) and len(" ".join(got)) < len(want):
            got.append(lines[i])
            i += 1
        assert " ".join(got) == want, f"paragraph differs from txt lines: {want[:80]!r} vs {' '.join(got)[:80]!r}"
    assert i == len(lines), f"txt lines missing from the DOCX: {lines[i][:80]!r}"


def test_docx_paragraph_text_is_nfc_without_markdown() -> None:
    for txt in TXTS:
        document = docx.Document(txt.with_suffix(".docx"))
        for p in document.paragraphs:
            assert unicodedata.is_normalized("NFC", p.text)
            assert "**" not in p.text and not p.text.startswith("#"), p.text[:60]


def test_khanhhoa_budget_table_has_merged_header_cells() -> None:
    document = docx.Document(KHANHHOA.with_suffix(".docx"))
    budget = next(t for t in body_tables(document) if "Năm 2020" in t.rows[0]._tr.xml)
    first, second = budget.rows[0]._tr, budget.rows[1]._tr
    cells = first.findall(qn("w:tc"))
    spans = [tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}") for tc in cells]
    year = next(n for n, tc in enumerate(cells) if "Năm 2020" in "".join(t.text for t in tc.iter(qn("w:t"))))
    assert spans[year] is not None and spans[year].get(qn("w:val")) == "3"
    vmerge = cells[0].find(f"{qn('w:tcPr')}/{qn('w:vMerge')}")
    assert vmerge is not None and vmerge.get(qn("w:val")) == "restart"  # STT over two header rows
    assert [c.text for c in budget.rows[1].cells][2:] == ["Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]
    for tr in (first, second):  # repeated on every page, as in the source
        assert tr.find(f"{qn('w:trPr')}/{qn('w:tblHeader')}") is not None
    texts = [[c.text for c in r.cells] for r in budget.rows]
    assert sum(1 for r in texts if r[1] == "Đơn vị thực hiện") == 2  # vMerge repeats it; no repeats below
    assert first.xml.count("Đơn vị thực hiện") == 1
    assert texts[-1][0] == "Tổng cộng" and texts[-1][2:] == ["17.770", "6.520", "11.250"]


def test_krongno_logic_frame_header_spans() -> None:
    document = docx.Document(ROOT / "corpus" / "plans" / "krongno_ocop_2021_kh83.docx")
    table = body_tables(document)[0]
    spans = {"".join(t.text for t in tc.iter(qn("w:t"))): tc.find(f"{qn('w:tcPr')}/{qn('w:gridSpan')}")
             for tc in table.rows[0]._tr.findall(qn("w:tc"))}
    assert spans["Thời gian thực hiện"].get(qn("w:val")) == "2"
    assert spans["Trách nhiệm"].get(qn("w:val")) == "2"


def test_document_header_is_a_borderless_two_column_table() -> None:
    document = docx.Document(ROOT / "corpus" / "plans" / "cantho_ocop_2024_kh109.docx")
    header = document.tables[0]
    assert _borderless(header) and len(header.columns) == 2
    assert header.cell(0, 0).text.startswith("ỦY BAN NHÂN DÂN")
    assert "CỘNG HÒA XÃ HỘI" in header.cell(0, 1).text
    assert header.cell(1, 0).text == "Số: 109/KH-UBND"


def test_roman_and_appendix_lines_are_heading_1() -> None:
    document = docx.Document(KHANHHOA.with_suffix(".docx"))
    h1 = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert h1[0] == "I. MỤC TIÊU" and any(t.startswith("PHỤ LỤC 01") for t in h1)
    h2 = [p.text for p in document.paragraphs if p.style.name == "Heading 2"]
    assert "1. Phạm vi và thời gian thực hiện" in h2


# --------------------------------------------------------------------------- PDF and scans

def test_pdf_text_is_vietnamese_and_tables_come_back() -> None:
    with pdfplumber.open(KHANHHOA.with_suffix(".pdf")) as pdf:
        text = "\n".join(p.extract_text() or "" for p in pdf.pages[:2])
        last = pdf.pages[-1]
        tables = last.extract_tables()
    assert unicodedata.is_normalized("NFC", text)
    assert "KẾ HOẠCH" in text and "Khánh Hòa, ngày 16 tháng 4 năm 2020" in text
    assert any("17.770" in (cell or "") for t in tables for row in t for cell in row)


@pytest.mark.parametrize("scan", SCANS, ids=lambda p: p.stem)
def test_scans_are_image_only(scan: Path) -> None:
    assert scan.stat().st_size < 5 * 2**20
    with pdfplumber.open(scan) as pdf:
        assert len(pdf.pages) >= 2
        for page in pdf.pages:
            assert not (page.extract_text() or "").strip()
            assert len(page.images) == 1


# --------------------------------------------------------------------------- HTML

def test_news_page_article_is_the_seed_text() -> None:
    seed = ROOT / "corpus" / "plans" / "trunguong_ocop_2018_qd01_tinbai.txt"
    blocks = [b.strip() for b in re.split(r"\n\s*\n", unicodedata.normalize("NFC", seed.read_text(encoding="utf-8")))]
    blocks = [" ".join(s.strip() for s in b.split("\n")) for b in blocks if b]
    page = lxml_html.fromstring(seed.with_suffix(".html").read_bytes())
    article = page.find(".//article")
    assert article.findtext(".//h1") == blocks[0]
    assert article.findtext(".//time") == blocks[1]
    assert [p.text_content() for p in article.findall(".//div[@class='body']/p")] == blocks[2:-1]
    links = page.findall(".//ul[@class='related-links']/li/a")
    assert len(links) == len(blocks[-1].split("  ")) - 1 or len(links) >= 9
    assert all(a.get("href").startswith("/van-ban/") for a in links)
    assert page.find(".//header//nav") is not None and page.find(".//footer") is not None


# --------------------------------------------------------------------------- the script's rules

def test_header_rows_and_merges_from_empty_cells() -> None:
    rows = [["STT", "Đơn vị thực hiện", "Năm 2020", "", ""],
            ["", "", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"],
            ["I", "Sở Nông nghiệp và Phát triển nông thôn", "540", "540", "0"]]
    table = mr.build_table(rows)
    assert table.header_rows == 2
    assert sorted(mr.header_merges(table)) == [(0, 0, 1, 0), (0, 1, 1, 1), (0, 2, 0, 4)]
    single = mr.build_table([["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"],
                             ["", "Tổ chức kiểm tra", "Vũ Việt Linh", ""]])
    assert single.header_rows == 1 and mr.header_merges(single) == []


def test_repeated_header_rows_join_the_split_table() -> None:
    head = [["STT", "Huyện", "Số lượng"]]
    merged = mr.merge_table_blocks([head + [["1", "Huyện Vạn Ninh", "11"]], head + [["2", "Thị xã Ninh Hòa", "5"]]])
    assert merged == head + [["1", "Huyện Vạn Ninh", "11"], ["2", "Thị xã Ninh Hòa", "5"]]


def test_inline_markers() -> None:
    plain, styles = mr.parse_inline("**Điều 1.** Ban hành (*chi tiết theo phụ lục 01*).")
    assert plain == "Điều 1. Ban hành (chi tiết theo phụ lục 01)."
    assert styles[0] == (True, False) and styles[plain.index("chi")] == (False, True)
    assert mr.parse_inline("(*) Nếu có sự thay đổi")[0] == "(*) Nếu có sự thay đổi"
    assert mr.parse_inline("* Thời gian thực hiện: Thực hiện thường xuyên.")[0].startswith("* Thời gian")


@pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=1)
@pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=1)
def test_header_line_split_on_column_gap_and_national_name() -> None:
    assert mr.split_header_line("   SỞ CÔNG THƯƠNG                 CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") == [
        "SỞ CÔNG THƯƠNG", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert mr.split_header_line("# CHÍNH PHỦ CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  ") == [
        "CHÍNH PHỦ", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"]
    assert mr.classify_header_part("Lào Cai, ngày 10 tháng 3 năm 2026", None) == "date"
    assert mr.classify_header_part("KẾ HOẠCH", "date") is None
