"""Tables of crawled pages flattened to one cell per line between lines holding only "|"."""
from __future__ import annotations

import pytest

from pipeline.extract.text import blocks_from_text
from pipeline.parse.responsibilities import extract_assignments
from pipeline.parse.sections import parse_sections

from doc_factory import doc_of_text

FLAT = """Thực hiện Kế hoạch này.

|
**STT**
|
**Nhiệm vụ, giải
pháp**
|
**Đơn vị thực hiện**
|
**Đơn vị phối hợp**
|
**Thời gian thực
hiện**
|
|
1.1
|
Rà soát, xây dựng, sửa đổi, bổ sung các quy định pháp
luật cho phù hợp với sự phát triển kinh tế số
|
Sở Tư pháp
|
Các sở, ban, ngành; UBND các phường, xã
|
2026 - 2030
|

Nơi nhận:
"""


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1622)
def test_flat_table_rows_and_cells():
    tables = [b for b in blocks_from_text(FLAT) if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows[0] == ["STT", "Nhiệm vụ, giải pháp", "Đơn vị thực hiện", "Đơn vị phối hợp",
                                 "Thời gian thực hiện"]
    assert tables[0].rows[1][2:] == ["Sở Tư pháp", "Các sở, ban, ngành; UBND các phường, xã", "2026 - 2030"]


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1622)
def test_flat_table_gives_responsibility_rows():
    """"Đơn vị thực hiện" names who implements (no role word), "Đơn vị phối hợp" the partners."""
    doc = doc_of_text(FLAT)
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    got = {(r["agency"], r["role"]) for r in rows}
    assert ("Sở Tư pháp", "implement") in got
    assert ("Các sở, ban, ngành", "coordinate") in got


def test_two_column_header_block_stays_text():
    """The issuer / motto header of a crawled page (two cells) is not a table."""
    text = "|\n**ỦY BAN NHÂN DÂN**\nTHÀNH PHỐ HỒ CHÍ MINH\n|\n**CỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM**\n|\n|\nSố: 2853/QĐ-UBND\n|\nngày 21 tháng 11 năm 2025\n|\n\nQUYẾT ĐỊNH\n"
    assert not [b for b in blocks_from_text(text) if b.kind == "table"]


SIGNED_THEN_TABLE = """|
Nơi nhận:
- Chủ tịch UBND tỉnh;
- Lưu: VT, NC (TP, Dũng).
|
**TM. ỦY BAN NHÂN DÂN
DÂN **
KT. CHỦ TỊCH
|
**PHỤ LỤC**
DANH MỤC NHIỆM VỤ
|
**TT**
|
**Nội dung thực
hiện**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Thời gian hoàn
thành**
|
|
1
|
Triển khai thực hiện một số nội dung chi, mức chi đặc thù trong nội dung chi ngân sách cho hoạt động phòng thủ dân sự.
|
Sở Tài chính
|
Cơ quan, địa phương liên quan
|
Thường xuyên
|"""


@pytest.mark.source("115_nghean_kh980_2025_thi_hanh_nd200_phong_thu_dan_su.txt", line=157)
@pytest.mark.source("115_nghean_kh980_2025_thi_hanh_nd200_phong_thu_dan_su.txt", line=187)
def test_signature_cells_before_the_header_and_a_table_cut_at_the_page_end():
    """No blank line parts the signature block from the annex table, and the page's text
    ends inside the table (its site footer cut): the header still starts at "TT"."""
    tables = [b for b in blocks_from_text(SIGNED_THEN_TABLE) if b.kind == "table"]
    assert len(tables) == 1
    assert tables[0].rows[0][:3] == ["TT", "Nội dung thực hiện", "Cơ quan chủ trì"]
    assert tables[0].rows[1][2] == "Sở Tài chính"
    doc = doc_of_text(SIGNED_THEN_TABLE)
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    assert ("Sở Tài chính", "lead") in {(r["agency"], r["role"]) for r in rows}


TWO_ANNEXES = """|
**STT**
|
**Cơ quan chủ trì**
|
**Cơ quan phối hợp**
|
**Nội dung nhiệm vụ**
|
|
1
|
Bộ Nông nghiệp và Môi trường
|
Bộ Y tế
|
Hoàn thiện hệ thống chính sách pháp luật về kiểm soát chất lượng môi trường không khí
|
Giai đoạn 2026 - 2030
|
**PHỤ LỤC II**
DANH MỤC CÁC NHIỆM VỤ, DỰ ÁN ƯU TIÊN THỰC HIỆN KẾ HOẠCH
|
**STT**
|
**Tên dự án, nhiệm
vụ**
|
**Nội dung chính**
|
**Cơ quan chủ trì[1]**
|
|
1
|
Đầu tư lắp đặt các bảng thông tin chất lượng môi trường không khí
|
Lắp đặt bảng thông tin tại các khu vực công cộng
|
Bộ Xây dựng
|
"""


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=1864)
@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=1865)
def test_an_annex_title_and_header_inside_a_flat_run_open_a_new_table():
    blocks = blocks_from_text(TWO_ANNEXES)
    tables = [b for b in blocks if b.kind == "table"]
    assert [t.rows[0][0] for t in tables] == ["STT", "STT"]
    assert tables[0].rows[-1][-1] == "Giai đoạn 2026 - 2030"
    assert tables[1].rows[0][:2] == ["STT", "Tên dự án, nhiệm vụ"]
    assert any(b.kind == "paragraph" and b.text.startswith("PHỤ LỤC II") for b in blocks)


PAGE_BREAK = FLAT.replace("|\n\nNơi nhận:\n", "") + """|


|
**B**
|
**PHÁT TRIỂN KINH TẾ SỐ
VÀ XÃ HỘI SỐ NGÀNH, LĨNH VỰC**
|
|
**I**
|
**Phát triển kinh tế số,
xã hội số nông nghiệp và môi trường**
|
|
**Nội dung**
|
**Đơn vị thực hiện**
|
**Đơn vị phối hợp**
|
**Thời gian thực hiện**
|
|
1.1
|
Xây dựng và tổ chức triển khai Kế hoạch phát triển
kinh tế số và xã hội số trong lĩnh vực nông nghiệp, nông thôn
|
Sở Nông nghiệp và Môi trường
|
Các sở, ban, ngành; UBND các phường xã
|
2026 - 2030
|

Nơi nhận:
"""


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=2393)
@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=2394)
def test_a_flat_table_goes_on_after_a_page_break_under_group_headers():
    """The part after the break opens with a group row ("B"), not a header; its own column
    titles lost their empty numbering cell. It is the same table, its rows under one header."""
    tables = [b for b in blocks_from_text(PAGE_BREAK) if b.kind == "table"]
    assert len(tables) == 1
    rows = tables[0].rows
    assert rows[0][0] == "STT"
    assert not any(r[1] == "Nội dung" for r in rows)
    assert rows[-1][2] == "Sở Nông nghiệp và Môi trường"
    doc = doc_of_text(PAGE_BREAK)
    _, got = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    assert ("Sở Nông nghiệp và Môi trường", "implement") in {(r["agency"], r["role"]) for r in got}


NOTES_AFTER_TABLE = """|
**STT**
|
**Tên dự án, nhiệm
vụ**
|
**Cơ quan chủ trì[1]**
|
**Nguồn lực thực hiện[2]**
|
|
2
|
Đầu tư lắp đặt các bảng thông tin chất lượng môi
trường không khí tại các khu vực công cộng
|
UBND thành phố Hà Nội, Thành phố Hồ Chí Minh và
UBND các tỉnh, thành phố khác
|
I, II, III, IV
|
[1] Cơ
quan chủ trì thực hiện toàn bộ nhiệm vụ hoặc đảm nhiệm thực hiện theo từng nội
dung, hợp phần, lĩnh vực, khu vực...
[2] Nguồn
lực dự kiến bao gồm: (I) Nguồn ngân sách nhà nước. Tổng nguồn lực của các dự án ưu tiên và toàn bộ Kế hoạch hành động
này ước tính khoảng 140.000 tỷ đồng (Một trăm bốn mươi nghìn tỷ đồng).
|
|"""


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=1878)
@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=2665)
def test_the_footnotes_after_a_flat_table_are_text_not_its_last_cell():
    blocks = blocks_from_text(NOTES_AFTER_TABLE)
    tables = [b for b in blocks if b.kind == "table"]
    assert len(tables) == 1 and tables[0].rows[-1][-1] == "I, II, III, IV"
    text = "\n".join(b.text for b in blocks if b.kind == "paragraph")
    assert "[2] Nguồn" in text and "140.000 tỷ đồng" in text
    # a cell opening with "[1]" that no cell of the table marks is a cell
    unmarked = NOTES_AFTER_TABLE.replace("chủ trì[1]", "chủ trì").replace("thực hiện[2]", "thực hiện")
    assert "140.000 tỷ đồng" in [b for b in blocks_from_text(unmarked) if b.kind == "table"][0].rows[-1][-1]
