"""The plain-text reader: paragraphs, tab tables with continuation rows, pipe tables."""
from __future__ import annotations

import pytest

from pipeline.extract import ExtractError, extract
from pipeline.extract.text import blocks_from_text


def test_khanh_hoa_budget_header_rows_with_empty_cells_stay_in_one_table():
    text = ("PHỤ LỤC 3\n\nSTT\tĐơn vị thực hiện\tNăm 2020\t\t\n\t\tTổng\tNgân sách tỉnh\tVốn đối ứng\n"
            "I\tSở Nông nghiệp và PTNT\t540\t540\t\n1\tTuyên truyền\t60\t60\t0\n")
    blocks = blocks_from_text(text)
    assert [b.kind for b in blocks] == ["paragraph", "table"]
    assert blocks[1].rows[1] == ["", "", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]
    assert len(blocks[1].rows) == 4


@pytest.mark.source("09_chinhphu_nq03_2025_ctr_hanh_dong_nq57_khcn_cds.txt", line=539)
def test_markdown_pipe_table_of_the_government_program():
    text = ("| STT | Nhiệm vụ | Cơ quan chủ trì |\n|---|---|---|\n"
            "| 138. | Lập các cơ sở nghiên cứu | Tập đoàn, doanh nghiệp công nghệ số |\n")
    (table,) = blocks_from_text(text)
    assert table.rows == [["STT", "Nhiệm vụ", "Cơ quan chủ trì"],
                          ["138.", "Lập các cơ sở nghiên cứu", "Tập đoàn, doanh nghiệp công nghệ số"]]


def test_lone_tab_line_is_a_paragraph_not_a_table():
    (block,) = blocks_from_text("Nơi nhận: - Ban Giám đốc Sở;\t\tKT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân\n")
    assert block.kind == "paragraph"
    assert block.text == "Nơi nhận: - Ban Giám đốc Sở;\tKT. GIÁM ĐỐC PHÓ GIÁM ĐỐC Hoàng Văn Thuân"


def test_markdown_markers_become_styles():
    blocks = blocks_from_text("# NGHỊ QUYẾT\n\n**KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH**\n")
    assert blocks[0].style == "heading" and blocks[0].text == "NGHỊ QUYẾT"
    assert blocks[1].style == "bold" and blocks[1].text == "KẾ HOẠCH\nTHỰC HIỆN CHƯƠNG TRÌNH"


def test_empty_and_unsupported_files_name_the_reason(tmp_path):
    empty = tmp_path / "kế hoạch trống.txt"
    empty.write_bytes(b"")
    with pytest.raises(ExtractError) as e:
        extract(empty)
    assert e.value.reason == "empty" and "kế hoạch trống.txt" in str(e.value)
    odd = tmp_path / "bang.xyz"
    odd.write_text("x")
    with pytest.raises(ExtractError) as e:
        extract(odd)
    assert e.value.reason == "unsupported_format"


def test_latin1_text_is_refused_with_reason(tmp_path):
    p = tmp_path / "cu.txt"
    p.write_bytes("Kế hoạch".encode("utf-8")[:2] + b"\xff\xfe\xfa")
    with pytest.raises(ExtractError) as e:
        extract(p)
    assert e.value.reason == "not_utf8"
