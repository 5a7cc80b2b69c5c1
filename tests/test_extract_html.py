"""HTML reader: the article only (no menus, sidebars, footers, link lists), tables, encodings."""
from __future__ import annotations

import unicodedata

import pytest

from pipeline.extract import extract
from pipeline.extract.html import decode_html

PAGE = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="{charset}"><title>Kế hoạch 12/KH-UBND</title></head>
<body>
<header><nav><ul><li><a href="/">Trang chủ</a></li><li><a href="/tin">Tin tức</a></li><li><a href="/vb">Văn bản</a></li></ul></nav></header>
<div class="container">
<aside class="sidebar"><h3>Tin mới</h3><ul><li><a href="/a">Hội nghị tổng kết năm 2024</a></li>
<li><a href="/b">Thông báo lịch tiếp dân tháng 5</a></li></ul></aside>
<article>
<h1>Kế hoạch thực hiện Chương trình OCOP năm 2024</h1>
<p>Số: 12/KH-UBND</p>
<p>Thực hiện Quyết định số 919/QĐ-TTg ngày 01/8/2022 của Thủ tướng Chính phủ, Ủy ban nhân dân huyện ban hành
Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm năm 2024 như sau:</p>
<h2>I. MỤC TIÊU</h2>
<p>1. Phát triển thêm 20 sản phẩm OCOP đạt 3 sao trở lên; củng cố các tổ chức kinh tế tham gia Chương trình.</p>
<p><strong>II. KINH PHÍ</strong></p>
<table border="1"><tr><th>STT</th><th>Nội dung</th><th>Kinh phí (triệu đồng)</th></tr>
<tr><td>1</td><td>Tuyên truyền</td><td>20</td></tr>
<tr><td colspan="2">Tổng cộng</td><td>1.150</td></tr></table>
<p>Ủy ban nhân dân huyện yêu cầu các cơ quan, đơn vị triển khai thực hiện nghiêm túc Kế hoạch này.</p>
</article>
</div>
<footer><p>Bản quyền thuộc Cổng thông tin điện tử huyện. Địa chỉ: 01 Lê Lợi.</p><ul><li><a href="/lh">Liên hệ</a></li></ul></footer>
</body></html>
"""
TONES = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    """Windows-1258 as Vietnamese pages use it: precomposed base letters, combining tone marks."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out += (base + "".join(c for c in parts if c in TONES)).encode("cp1258")
    return bytes(out)


def test_article_only_with_table(tmp_path):
    p = tmp_path / "Kế hoạch số 12.html"
    p.write_text(PAGE.format(charset="utf-8"), encoding="utf-8")
    ex = extract(p)
    assert ex.format == "html"
    texts = [b.text for b in ex.blocks if b.kind == "paragraph"]
    assert texts[0] == "Kế hoạch thực hiện Chương trình OCOP năm 2024"
    assert "I. MỤC TIÊU" in texts and "II. KINH PHÍ" in texts
    joined = "\n".join(texts)
    for furniture in ("Trang chủ", "Tin mới", "Hội nghị tổng kết", "Bản quyền", "Liên hệ"):
        assert furniture not in joined
    (table,) = [b for b in ex.blocks if b.kind == "table"]
    assert table.rows[0] == ["STT", "Nội dung", "Kinh phí (triệu đồng)"]
    assert table.rows[2][0] == "Tổng cộng" and table.rows[2][-1] == "1.150"


def test_meta_charset_windows_1258(tmp_path):
    p = tmp_path / "kh.htm"
    p.write_bytes(cp1258(PAGE.format(charset="windows-1258")))
    ex = extract(p)
    text = unicodedata.normalize("NFC", "\n".join(b.text for b in ex.blocks if b.kind == "paragraph"))
    assert "Ủy ban nhân dân huyện yêu cầu các cơ quan" in text


@pytest.mark.parametrize("data,expected", [
    ("Kế hoạch".encode("utf-8"), "Kế hoạch"),
    (b"\xef\xbb\xbf" + "Kế hoạch".encode("utf-8"), "Kế hoạch"),
    ('<meta charset="utf-8">Ủy ban'.encode("utf-8"), '<meta charset="utf-8">Ủy ban'),
])
def test_decode_html(data, expected):
    assert decode_html(data, "x.html") == expected


def test_bare_page_without_furniture(tmp_path):
    """A page that is only the document (no article markup) is read whole."""
    p = tmp_path / "bare.html"
    p.write_text("<html><body><p>KẾ HOẠCH</p><p>Số: 5/KH-UBND</p></body></html>", encoding="utf-8")
    assert [b.text for b in extract(p).blocks] == ["KẾ HOẠCH", "Số: 5/KH-UBND"]


def test_corpus_news_page_drops_related_links():
    from conftest import PLANS

    src = PLANS / "trunguong_ocop_2018_qd01_tinbai.html"
    if not src.exists():
        pytest.skip("renditions not generated")
    ex = extract(src)
    text = "\n".join(b.text for b in ex.blocks if b.kind == "paragraph")
    assert "Hợp tác quốc tế" in text and "01/QĐ-BCĐTW" in text
    assert "Quyết định phê duyệt phát triển du lịch nông thôn" not in text  # the related-links list
