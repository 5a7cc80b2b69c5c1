"""The readers that need outside programs: OCR of a scanned page (Tesseract) and .doc (LibreOffice)."""
from __future__ import annotations

import shutil
import subprocess

import pytest

from extract_fixtures import LibreOffice, have_soffice, make_plan_docx
from pipeline.extract import ExtractError, extract
from pipeline.extract.ocr import tsv_words, words_to_blocks

needs_tools = pytest.mark.skipif(not (have_soffice() and shutil.which("pdftoppm") and shutil.which("tesseract")),
                                 reason="LibreOffice, pdftoppm and Tesseract are needed")


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    work = tmp_path_factory.mktemp("ocrdoc")
    lo = LibreOffice(work)
    src = make_plan_docx(work / "Kế hoạch 3680.docx")
    return {"docx": src, "pdf": lo.convert(src, "pdf", work / "pdf"), "doc": lo.convert(src, "doc", work / "doc"), "work": work}


@needs_tools
def test_scanned_page_is_ocrd(made):
    """A real page rendered to an image-only PDF (as a scanner makes it) reads back by OCR."""
    from PIL import Image

    work = made["work"]
    subprocess.run(["pdftoppm", "-r", "150", "-gray", "-png", str(made["pdf"]), str(work / "page")], check=True)
    image = Image.open(next(work.glob("page*.png")))
    scan = work / "bản quét.pdf"
    image.save(scan, resolution=150)
    ex = extract(scan)
    assert ex.ocr and ex.pages == 1 and ex.format == "pdf"
    assert any(w["code"] == "ocr" for w in ex.warnings)
    text = "\n".join(b.text for b in ex.blocks if b.kind == "paragraph")
    for words in ("KẾ HOẠCH", "ỦY BAN NHÂN DÂN", "Khánh Hòa", "Mục tiêu chung"):
        assert words in text, (words, text)
    assert all(b.page == 1 for b in ex.blocks)


@needs_tools
def test_ocr_unavailable_is_named(made, monkeypatch, tmp_path):
    from PIL import Image

    scan = tmp_path / "quét.pdf"
    Image.new("L", (200, 280), 255).save(scan, resolution=30)
    monkeypatch.setenv("VNPLAN_TESSERACT", "no-such-tesseract")
    with pytest.raises(ExtractError) as err:
        extract(scan)
    assert err.value.reason == "ocr_unavailable" and "quét.pdf" in str(err.value)


def test_tsv_words_to_lines():
    """Tesseract TSV (300 dpi) -> words in points -> one paragraph per line group."""
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [header, "1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t"]
    x = 300
    for i, w in enumerate("Ủy ban nhân dân tỉnh".split()):
        rows.append(f"5\t1\t1\t1\t1\t{i + 1}\t{x}\t400\t{40 * len(w)}\t50\t95\t{w}")
        x += 40 * len(w) + 20
    words = tsv_words("\n".join(rows), 300 / 72)
    assert [w["text"] for w in words] == ["Ủy", "ban", "nhân", "dân", "tỉnh"]
    assert words[0]["x0"] == pytest.approx(72.0)
    (block,) = words_to_blocks(words, 3)
    assert block.text == "Ủy ban nhân dân tỉnh" and block.page == 3


@pytest.mark.skipif(not have_soffice(), reason="LibreOffice is needed")
def test_doc_reads_like_the_docx(made):
    ex = extract(made["doc"])
    assert ex.format == "doc" and ex.path == str(made["doc"])
    ref = extract(made["docx"])
    assert [b.text for b in ex.blocks if b.kind == "paragraph"] == [b.text for b in ref.blocks if b.kind == "paragraph"]
    assert [b.rows for b in ex.blocks if b.kind == "table"] == [b.rows for b in ref.blocks if b.kind == "table"]


def test_doc_without_libreoffice_is_named(tmp_path, monkeypatch):
    p = tmp_path / "cũ.doc"
    p.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    monkeypatch.setenv("VNPLAN_SOFFICE", "")
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(ExtractError) as err:
        extract(p)
    assert err.value.reason == "converter_unavailable" and "cũ.doc" in str(err.value)


def test_ruled_table_is_found_in_a_page_image():
    """Rules drawn like a scanned budget table: a merged header cell ("Năm 2020" over two
    columns, "STT" over two rows) keeps its text in the first grid cell."""
    from PIL import Image, ImageDraw

    from pipeline.extract.ocr import find_grids, grid_rows

    img = Image.new("L", (1000, 700), 255)
    d = ImageDraw.Draw(img)
    xs, ys = [100, 200, 500, 700, 900], [100, 160, 220, 300, 380]
    for y in ys:
        x0 = 500 if y == 160 else 100  # the rule under "Năm 2020" spans its two columns only
        d.line([(x0, y), (900, y)], fill=0, width=3)
    for x in xs:
        y0 = 160 if x == 700 else 100  # "Năm 2020" is one cell in the first header row
        d.line([(x, y0), (x, 380)], fill=0, width=3)
    (grid,) = find_grids(img, 1.0)

    def word(text, x, y):
        return {"text": text, "x0": x, "x1": x + 40, "top": y, "bottom": y + 20}

    words = [word("STT", 130, 150), word("Đơn", 300, 150), word("Năm", 650, 120), word("2020", 700, 120),
             word("Tổng", 580, 180), word("Vốn", 780, 180),
             word("1", 140, 250), word("Huyện", 250, 250), word("650", 580, 250), word("500", 780, 250),
             word("Tổng", 120, 330), word("cộng", 250, 330), word("1.150", 580, 330), word("900", 780, 330)]
    rows = grid_rows(grid, words)
    assert rows == [["STT", "Đơn", "Năm 2020", ""], ["", "", "Tổng", "Vốn"], ["1", "Huyện", "650", "500"],
                    ["Tổng", "cộng", "1.150", "900"]]
