"""Logical tables: page-broken pieces merged, repeated headers dropped, headers flattened."""
from pathlib import Path

import pytest

from conftest import khanh_hoa_appendix_3
from pipeline.build import load_document
from pipeline.parse.budget import all_tables
from pipeline.parse.tables import column_names, header_depth, logical_tables, table_records

from doc_factory import doc_of, para, table

PLANS = Path(__file__).resolve().parents[1] / "corpus" / "plans"
KHANH_HOA = PLANS / "khanhhoa_ocop_2020_kh3680.txt"
PL3_HEADER = [["STT", "Đơn vị thực hiện", "Năm 2020", "", ""], ["", "", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]]


def test_multi_row_header_gives_one_name_per_column():
    names, groups = column_names(PL3_HEADER, 5)
    assert names == ["STT", "Đơn vị thực hiện", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]
    assert groups == ["", "", "Năm 2020", "Năm 2020", "Năm 2020"]


def test_merged_cells_written_out_twice_docx_style():
    rows = [["STT", "Nội dung", "Thời gian thực hiện", "Thời gian thực hiện", "Ghi chú"],
            ["STT", "Nội dung", "Bắt đầu", "Kết thúc", "Ghi chú"],
            ["1", "Lập kế hoạch chung", "01/4", "07/4", ""]]
    assert header_depth(rows) == 2
    names, groups = column_names(rows[:2], 5)
    assert names == ["STT", "Nội dung", "Bắt đầu", "Kết thúc", "Ghi chú"]
    assert groups[2] == groups[3] == "Thời gian thực hiện"


def test_repeated_leaf_names_are_qualified_by_their_group():
    rows = [["TT", "Nội dung", "Năm 2021", "", "Năm 2022", ""],
            ["", "", "Tổng", "NSTW", "Tổng", "NSTW"]]
    names, _ = column_names(rows, 6)
    assert names[2:] == ["Năm 2021 - Tổng", "Năm 2021 - NSTW", "Năm 2022 - Tổng", "Năm 2022 - NSTW"]


@pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=67)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=452)
def test_data_rows_are_not_header_rows():
    rows = [["TT", "Nhiệm vụ thực hiện", "Người thực hiện", "Ghi chú"],
            ["", "Rà soát việc đáp ứng các điều kiện", "Đỗ Mạnh Cường", ""]]
    assert header_depth(rows) == 1
    assert header_depth([["I", "Sở Nông nghiệp và Phát triển nông thôn", "540", "540", "0"],
                         ["1", "Học tập trao đổi kinh nghiệm trong nước", "60", "60", ""]]) == 0


def test_khanh_hoa_appendix_3_repeated_header_dropped():
    doc = load_document(KHANH_HOA)
    pl3 = [t for t in logical_tables(doc) if "PHỤ LỤC 3" in (t.caption or "")]
    assert len(pl3) == 1
    t = pl3[0]
    assert t.header == ["STT", "Đơn vị thực hiện", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]
    assert "ĐVT: Triệu đồng" in t.caption
    assert not any(r[0] == "STT" or r[2] == "Tổng" for r in t.rows)
    assert t.rows[0][:3] == ["I", "Sở Nông nghiệp và Phát triển nông thôn", "540"]
    assert t.rows[-1][0] == "Tổng cộng"
    # the II.1 note cell lost its <i> markup
    assert any(r[2].startswith("Từ nguồn kinh phí") for r in t.rows)


def test_table_over_three_pages_with_and_without_repeated_header():
    doc = doc_of(
        para("PHỤ LỤC\nDỰ TOÁN KINH PHÍ\nĐVT: triệu đồng", page=5),
        table(PL3_HEADER + [["I", "Sở Tài chính", "100", "100", "0"], ["1", "Tập huấn", "100", "100", "0"]], page=5),
        para("6", page=6),  # the page number left between the pieces
        table(PL3_HEADER + [["II", "UBND huyện", "300", "200", "100"]], page=6),
        table([["1", "Hỗ trợ sản phẩm", "300", "200", "100"], ["Tổng cộng", "", "400", "300", "100"]], page=7),
        fmt="pdf",
    )
    tables = logical_tables(doc)
    assert len(tables) == 1
    t = tables[0]
    assert t.pages == [5, 6, 7] and t.page == 5
    assert [r[0] for r in t.rows] == ["I", "1", "II", "1", "Tổng cộng"]
    assert "DỰ TOÁN KINH PHÍ" in t.caption


def test_page_piece_with_a_split_cell_is_realigned():
    doc = doc_of(
        table([["STT", "Nội dung", "Kinh phí", "Ghi chú"], ["1", "Tuyên truyền", "20", ""]], page=2),
        table([["2", "Tổ chức đánh giá", "sản phẩm cấp huyện", "30", ""]], page=3),
        fmt="pdf",
    )
    t = logical_tables(doc)[0]
    assert t.rows[1] == ["2", "Tổ chức đánh giá sản phẩm cấp huyện", "30", ""]


def test_text_between_pieces_keeps_tables_apart():
    doc = doc_of(
        table([["STT", "Nội dung", "Kinh phí"], ["1", "Tuyên truyền", "20"]], page=2),
        para("Trong quá trình thực hiện nếu có khó khăn, vướng mắc, các đơn vị báo cáo về Sở.", page=2),
        table([["1", "Tổ chức đánh giá", "30"]], page=3),
        fmt="pdf",
    )
    assert len(logical_tables(doc)) == 2


@pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=1)
def test_document_header_and_signature_are_not_data():
    doc = doc_of(
        table([["ỦY BAN NHÂN DÂN TỈNH LÀO CAI", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
               ["Số: /KH-UBND", "Lào Cai, ngày tháng năm 2026"]], page=1),
        para("KẾ HOẠCH", page=1),
        table([["Nơi nhận:\n- Như trên;\n- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH\nPHÓ CHỦ TỊCH"]], page=4),
        fmt="pdf",
    )
    assert [t.kind for t in logical_tables(doc)] == ["document_header", "signature"]


def test_column_number_row_is_dropped():
    doc = doc_of(table([["TT", "Tên nhiệm vụ", "Chủ trì", "Phối hợp"], ["", "(1)", "(2)", "(3)"],
                        ["1", "Tổ chức quán triệt", "Các Sở, ban, ngành", "UBND các xã"]]), fmt="pdf")
    t = logical_tables(doc)[0]
    assert t.header == ["TT", "Tên nhiệm vụ", "Chủ trì", "Phối hợp"]
    assert [r[0] for r in t.rows] == ["1"]


def test_table_records_carry_header_kind_span_and_section():
    doc = load_document(KHANH_HOA)
    recs = table_records(doc, [], all_tables(doc))
    assert [r["id"] for r in recs] == ["t1", "t2", "t3"]
    r = recs[2]
    assert r["header"][2] == "Tổng" and r["kind"] == "data" and r["section"] is None
    assert doc.text[r["span"]["start"]:r["span"]["start"] + 3] == "STT"
    assert all(len(row) == 5 for row in r["rows"])


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=442)
def test_ocr_text_without_table_structure_is_recovered():
    # what OCR gives for a ruled table: one paragraph per cell, small cells ("I", "0") lost
    cells = ["PHỤ LỤC 3", "KINH PHÍ CHI TIẾT THỰC HIỆN", "ĐVT: Triệu đồng", "STT", "Đơn vị thực hiện",
             "Năm 2020", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng", "Sở Nông nghiệp và Phát\ntriển nông thôn",
             "540", "540", "0", "Học tập trao\nđổi kinh nghiệm", "60", "60", "STT", "Đơn vị thực hiện",
             "Tư vấn đăng ký ý tưởng", "480", "480", "Tổng cộng", "17.770", "6.520", "11.250"]
    doc = doc_of(*[para(c, page=16) for c in cells], ocr=True, fmt="pdf")
    assert all_tables(doc_of(*[para(c, page=16) for c in cells], fmt="pdf")) == []  # a text layer: no guessing
    tables = all_tables(doc)
    assert len(tables) == 1
    t = tables[0]
    assert t.kind == "recovered"
    assert t.header[2:] == ["Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]
    assert [r[1] for r in t.rows] == ["Sở Nông nghiệp và Phát triển nông thôn", "Học tập trao đổi kinh nghiệm",
                                      "Tư vấn đăng ký ý tưởng", "Tổng cộng"]
    assert t.rows[0][2:] == ["540", "540", "0"] and t.rows[1][2:] == ["60", "60", ""]


@pytest.mark.parametrize("ext", ["docx"])  # the PDF is checked in test_budget (slow)
def test_khanh_hoa_renditions_give_the_same_appendix_3(ext):
    _, pl3 = khanh_hoa_appendix_3(ext)
    assert len(pl3) == 1
    assert sum(1 for r in pl3[0].rows if r[0] in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")) == 12


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=470)
def test_row_cut_by_a_page_break_is_joined():
    doc = doc_of(
        table([["STT", "Nội dung", "Kinh phí"], ["1", "Hỗ trợ phát triển một số sản phẩm:", "2.000"]], page=4),
        table([["", "Thực hiện hỗ trợ tiêu chuẩn hóa các sản phẩm", ""], ["2", "Tổ chức đánh giá", "30"]], page=5),
        fmt="pdf",
    )
    t = logical_tables(doc)[0]
    assert t.rows == [["1", "Hỗ trợ phát triển một số sản phẩm: Thực hiện hỗ trợ tiêu chuẩn hóa các sản phẩm", "2.000"],
                      ["2", "Tổ chức đánh giá", "30"]]


def test_lao_cai_header_table_and_task_appendix():
    doc = load_document(PLANS.parent / "extra" / "03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt")
    header, tasks = logical_tables(doc)
    assert header.kind == "document_header"
    assert tasks.kind == "data" and tasks.header[:3] == ["TT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu"]
    assert tasks.rows[0][0] == "1" and len(tasks.rows) == 14  # the "(1) (2) (3)" row is not data
    assert tasks.caption.startswith("Phụ lục")


def test_logic_frame_two_level_header():
    doc = load_document(PLANS / "krongno_ocop_2021_kh83.txt")
    t = logical_tables(doc)[0]
    assert t.header == ["STT", "Nội dung", "Sản phẩm/Kết quả", "Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp", "Ghi chú"]
    assert t.groups[3:7] == ["Thời gian thực hiện"] * 2 + ["Trách nhiệm"] * 2
