"""Budget: totals, sources and items from tables and prose, every amount checked."""
import json
from collections import Counter
from pathlib import Path

import pytest

from conftest import khanh_hoa_appendix_3
from pipeline.build import load_document
from pipeline.model import Section
from pipeline.parse.budget import extract_budget

from doc_factory import doc_of, para, table

ROOT = Path(__file__).resolve().parents[1]
KHANH_HOA = ROOT / "corpus" / "plans" / "khanhhoa_ocop_2020_kh3680.txt"
MILLION = 1_000_000
TOTAL_NAMES = ("Tổng", "Tổng cộng", "Tổng số", "Thành tiền", "Kinh phí")


def item_totals(budget: dict) -> list[int]:
    """Each item's "Tổng" amount, picked as the scorer picks it."""
    out = []
    for it in budget["items"]:
        amounts = it["amounts_vnd"]
        total = next((v for k, v in amounts.items() if k in TOTAL_NAMES), None)
        if total is None and amounts:
            total = next(iter(amounts.values()))
        if total is not None:
            out.append(total)
    return out


def failed(budget: dict) -> list[dict]:
    return [c for c in budget["checks"] if not c["ok"]]


# ------------------------------------------------------------------ Khánh Hòa


@pytest.fixture(scope="module")
def khanh_hoa():
    return extract_budget(load_document(KHANH_HOA), [])


def test_khanh_hoa_total_and_sources_from_prose(khanh_hoa):
    assert khanh_hoa["total_vnd"] == 17_770 * MILLION
    assert {s["name"]: s["amount_vnd"] for s in khanh_hoa["sources"]} == {
        "Ngân sách tỉnh": 6_520 * MILLION, "Vốn đối ứng": 11_250 * MILLION}


def test_khanh_hoa_items_match_the_gold_multiset(khanh_hoa):
    gold = json.loads((ROOT / "corpus" / "gold" / "khanhhoa_ocop_2020_kh3680.gold.json").read_text())
    assert Counter(item_totals(khanh_hoa)) == Counter(gold["budget"]["item_totals_vnd"])


def test_khanh_hoa_items_nest_and_keep_notes(khanh_hoa):
    items = {it["id"]: it for it in khanh_hoa["items"]}
    first = khanh_hoa["items"][0]
    assert first["numbering"] == "I" and first["parent"] is None
    assert first["amounts_vnd"] == {"Tổng": 540 * MILLION, "Ngân sách tỉnh": 540 * MILLION, "Vốn đối ứng": 0}
    child = khanh_hoa["items"][1]
    assert child["parent"] == first["id"] and child["amounts_vnd"]["Vốn đối ứng"] is None
    noted = [it for it in khanh_hoa["items"] if it.get("notes")]
    assert len(noted) == 1 and noted[0]["notes"]["Tổng"].startswith("Từ nguồn kinh phí")
    assert noted[0]["amounts_vnd"]["Tổng"] is None  # text, not zero
    dash = [it for it in khanh_hoa["items"] if it["numbering"] == "-"]
    assert len(dash) == 2 and all(items[d["parent"]]["numbering"] == "5" for d in dash)
    assert not any(it["label"].startswith("Tổng cộng") for it in khanh_hoa["items"])


def test_khanh_hoa_checks_all_pass(khanh_hoa):
    rules = {c["rule"] for c in khanh_hoa["checks"]}
    assert {"parent_equals_sum_of_children", "row_total_equals_sum_of_sources",
            "grand_total_equals_stated_total", "totals_row_equals_sum_of_items"} <= rules
    assert failed(khanh_hoa) == []


# ------------------------------------------------------------------ prose


def test_prose_total_in_ty_dong_with_inline_sources():
    doc = doc_of(para("III. KINH PHÍ THỰC HIỆN"),
                 para("Tổng kinh phí dự kiến: 1,5 tỷ đồng, trong đó: ngân sách tỉnh 1 tỷ đồng; "
                      "vốn xã hội hóa 500 triệu đồng."), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 1_500_000_000 and b["items"] == []
    assert [(s["name"], s["amount_vnd"]) for s in b["sources"]] == [
        ("Ngân sách tỉnh", 1_000_000_000), ("Vốn xã hội hóa", 500 * MILLION)]


@pytest.mark.parametrize("text", [
    "Kinh phí thực hiện Kế hoạch được bố trí từ nguồn kinh phí Chương trình MTQG xây dựng nông thôn mới.",
    pytest.param("Kinh phí cho hoạt động kiểm tra: Được thực hiện theo quy định của pháp luật hiện hành.",
                 marks=pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=76)),
    "Hỗ trợ tối đa 50 triệu đồng/sản phẩm đạt 4 sao.",
])
def test_no_amount_stated_gives_no_budget(text):
    assert extract_budget(doc_of(para("IV. KINH PHÍ"), para(text), fmt="pdf"), []) is None


def test_plan_with_funding_sources_but_no_amount_has_no_budget():
    doc = load_document(ROOT / "corpus" / "plans" / "cantho_ocop_2024_kh109.txt")
    assert extract_budget(doc, []) is None


# ------------------------------------------------------------------ tables

HEADER = [["STT", "Nội dung", "Kinh phí", "Nguồn vốn", ""], ["", "", "", "Ngân sách tỉnh", "Xã hội hóa"]]


def test_totals_row_at_the_top_and_amount_in_ty_dong():
    doc = doc_of(
        para("PHỤ LỤC\nDỰ TOÁN KINH PHÍ THỰC HIỆN\nĐVT: tỷ đồng"),
        table(HEADER + [["", "TỔNG CỘNG", "4,5", "3", "1,5"],
                        ["1", "Hỗ trợ phát triển sản phẩm", "3", "2", "1"],
                        ["2", "Xúc tiến thương mại", "1,5", "1", "0,5"]]), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 4_500_000_000
    assert item_totals(b) == [3_000_000_000, 1_500_000_000]
    assert b["items"][0]["amounts_vnd"] == {"Kinh phí": 3_000_000_000, "Ngân sách tỉnh": 2_000_000_000,
                                            "Xã hội hóa": 1_000_000_000}
    assert {s["name"]: s["amount_vnd"] for s in b["sources"]} == {"Ngân sách tỉnh": 3_000_000_000,
                                                                  "Xã hội hóa": 1_500_000_000}
    assert failed(b) == []


def test_mismatching_rows_fail_and_are_named():
    doc = doc_of(
        para("Biểu: KINH PHÍ THỰC HIỆN NĂM 2021 (ĐVT: triệu đồng)"),
        table(HEADER + [["I", "Sở Công Thương", "500", "300", "200"],
                        ["1", "Hội chợ OCOP", "200", "100", "100"],
                        ["2", "Tập huấn", "250", "200", "40"],
                        ["Tổng cộng", "", "500", "300", "200"]]), fmt="pdf")
    b = extract_budget(doc, [])
    bad = {c["rule"]: c["detail"] for c in failed(b)}
    assert "I Sở Công Thương: Kinh phí 500 ≠ 450" in bad["parent_equals_sum_of_children"]
    assert "2 Tập huấn: Kinh phí 250 ≠ 240" in bad["row_total_equals_sum_of_sources"]
    assert "Hội chợ" not in bad["row_total_equals_sum_of_sources"]


def test_several_budget_tables_and_multi_year_columns():
    years = [["STT", "Nội dung", "Tổng cộng", "Năm 2021", "Năm 2022"]]
    doc = doc_of(
        para("2. Kinh phí thực hiện: 900 triệu đồng."),
        para("PHỤ LỤC 1\nKINH PHÍ HỖ TRỢ SẢN PHẨM\nĐVT: triệu đồng"),
        table(years + [["1", "Hỗ trợ bao bì", "400", "200", "200"], ["2", "Hỗ trợ mã vạch", "200", "100", "100"]]),
        para("PHỤ LỤC 2\nKINH PHÍ XÚC TIẾN THƯƠNG MẠI\nĐVT: triệu đồng"),
        table(years + [["1", "Hội chợ", "300", "100", "200"]]),
        fmt="pdf",
    )
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 900 * MILLION
    assert item_totals(b) == [400 * MILLION, 200 * MILLION, 300 * MILLION]
    assert b["items"][2]["amounts_vnd"] == {"Tổng cộng": 300 * MILLION, "Năm 2021": 100 * MILLION,
                                            "Năm 2022": 200 * MILLION}
    assert len(b["tables"]) == 2 and failed(b) == []


def test_budget_table_over_three_pages():
    header = [["STT", "Nội dung", "Thành tiền"]]
    doc = doc_of(
        para("PHỤ LỤC\nDỰ TOÁN CHI TIẾT\nĐơn vị tính: đồng", page=3),
        table(header + [["1", "Tập huấn cán bộ", "15.000.000"]], page=3),
        table(header + [["2", "In tài liệu", "2.500.000"]], page=4),
        para("- 5 -", page=5),
        table([["3", "Hội nghị tổng kết", "7.500.000"], ["", "Tổng cộng", "25.000.000"]], page=5),
        fmt="pdf",
    )
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 25_000_000
    assert item_totals(b) == [15_000_000, 2_500_000, 7_500_000]
    assert failed(b) == []


def test_counts_table_is_not_a_budget():
    doc = doc_of(para("PHỤ LỤC 02\nDANH MỤC SẢN PHẨM THAM GIA CHƯƠNG TRÌNH"),
                 table([["STT", "Huyện, thị xã, thành phố", "Số lượng sản phẩm"], ["1", "Huyện Vạn Ninh", "11"],
                        ["2", "Thị xã Ninh Hòa", "5"], ["Tổng cộng", "", "16"]]), fmt="pdf")
    assert extract_budget(doc, []) is None


def test_table_with_money_column_in_a_task_section_is_not_the_budget():
    doc = doc_of(para("II. NHIỆM VỤ"),
                 table([["STT", "Nhiệm vụ", "Kinh phí (triệu đồng)"], ["1", "Tuyên truyền", "20"],
                        ["2", "Tập huấn", "30"]]),
                 para("III. TỔ CHỨC THỰC HIỆN"), fmt="pdf")
    tasks = Section(id="s2", parent=None, numbering="II", heading="NHIỆM VỤ", kind="tasks",
                    start=0, end=doc.lines[-1].start - 1, level=0)
    assert extract_budget(doc, [tasks]) is None
    appendix = Section(id="s2", parent=None, numbering=None, heading="PHỤ LỤC", kind="appendix",
                       start=0, end=len(doc.text), level=0)
    assert item_totals(extract_budget(doc, [appendix])) == [20 * MILLION, 30 * MILLION]


def test_recovered_ocr_table_gives_items():
    cells = ["IV. KINH PHÍ THỰC HIỆN", "Kinh phí thực hiện: 600 triệu đồng.", "PHỤ LỤC 3",
             "KINH PHÍ CHI TIẾT", "ĐVT: Triệu đồng", "STT", "Đơn vị thực hiện", "Tổng", "Ngân sách tỉnh",
             "Vốn đối ứng", "Báo Khánh Hòa", "100", "100", "0", "Tuyên truyền tới các\ncộng đồng", "100", "100",
             "UBND huyện Vạn Ninh", "500", "300", "200", "Hỗ trợ phát triển", "500", "300", "200",
             "Tống cộng", "600", "400", "200"]
    b = extract_budget(doc_of(*[para(c, page=9) for c in cells], ocr=True, fmt="pdf"), [])
    assert b["total_vnd"] == 600 * MILLION
    assert sorted(item_totals(b)) == [100 * MILLION, 100 * MILLION, 500 * MILLION, 500 * MILLION]


@pytest.mark.parametrize("ext", ["docx", pytest.param("pdf", marks=pytest.mark.slow)])
def test_khanh_hoa_renditions(ext):
    doc, pl3 = khanh_hoa_appendix_3(ext)
    assert len(pl3) == 1 and pl3[0].rows[-1][0] == "Tổng cộng"
    b = extract_budget(doc, [])
    gold = json.loads((ROOT / "corpus" / "gold" / "khanhhoa_ocop_2020_kh3680.gold.json").read_text())
    assert b["total_vnd"] == gold["budget"]["total_vnd"]
    assert Counter(item_totals(b)) == Counter(gold["budget"]["item_totals_vnd"])
    assert failed(b) == []


def test_per_task_amounts_outside_the_budget_section_are_not_the_total():
    doc = doc_of(para("II. NHIỆM VỤ"), para("1. Tuyên truyền"), para("Kinh phí: 50 triệu đồng."),
                 para("2. Tập huấn"), para("Kinh phí: 80 triệu đồng."), fmt="pdf")
    assert extract_budget(doc, []) is None


def test_sources_without_a_total_sum_to_the_total():
    doc = doc_of(para("IV. KINH PHÍ THỰC HIỆN"), para("- Ngân sách huyện: 200 triệu đồng;"),
                 para("- Vốn lồng ghép: 300 triệu đồng."), fmt="pdf")
    budget_section = Section(id="s4", parent=None, numbering="IV", heading="KINH PHÍ THỰC HIỆN", kind="budget",
                             start=0, end=len(doc.text), level=0)
    b = extract_budget(doc, [budget_section])
    assert b["total_vnd"] == 500 * MILLION
    assert [s["name"] for s in b["sources"]] == ["Ngân sách huyện", "Vốn lồng ghép"]


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=442)
def test_ocr_rows_glued_into_one_paragraph():
    # Tesseract's reading of a scanned budget table (garbled "X" and "|" rules included);
    # normalize glues the row lines into one paragraph
    rows = ("STT Đơn vị thực hiện Năm 2020\nTổng | Ngân | Vốn\nsách | đối\ntỉnh | ứng\n"
            "I Sở Nông nghiệp và Phát triển nông thôn 540 540 |0\n"
            "1 Học tập trao đối kinh nghiệm trong nước 60 60\n"
            "2 Tư vấn đăng ký ý tưởng sản phẩm và hỗ trợ tập huấn 480 480 0\n"
            "x UBND thành phố Cam Ranh 2530 | 430 2.100\n"
            "5 Xây dựng và triển khai các dự án thành phần 1500 |0 1.500\n"
            "- Làng văn hóa du lịch Bình Lập tại thôn Bình Lập, xãCam | 1.500 |0 1.500\n"
            "Lập, thành phố Cam Ranh, tỉnh Khánh Hòa.\n"
            "6 Hội nghị tổng kết, rút kinh nghiệm cấp huyện 20 20 0\n"
            "Tổng 3.070 |970 | 2.100\ncộng")
    doc = doc_of(para("IV. KINH PHÍ THỰC HIỆN"), para("2. Kinh phí thực hiện: 3.070 triệu đồng."),
                 para("PHỤ LỤC 3", page=16), para("KINH PHÍ CHI TIẾT THỰC HIỆN CHƯƠNG TRÌNH", page=16),
                 para("ĐVT: Triệu đồng", page=16), para(rows, page=16), ocr=True, fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 3_070 * MILLION
    assert item_totals(b) == [v * MILLION for v in (540, 60, 480, 2530, 1500, 1500, 20)]


def test_estimate_with_unit_price_and_subtotals():
    doc = doc_of(
        para("PHỤ LỤC\nDỰ TOÁN KINH PHÍ TỔ CHỨC HỘI CHỢ\nĐVT: đồng"),
        table([["STT", "Nội dung chi", "Đơn vị tính", "Số lượng", "Đơn giá", "Thành tiền"],
               ["A", "Chi thuê gian hàng", "", "", "", ""],
               ["1", "Gian hàng tiêu chuẩn", "Gian", "10", "12.000.000", "120.000.000"],
               ["2", "Gian hàng mở rộng", "Gian", "2", "20.000.000", "40.000.000"],
               ["", "Cộng A", "", "", "", "160.000.000"],
               ["B", "Chi tuyên truyền", "", "", "", "40.000.000"],
               ["", "Tổng cộng (A+B)", "", "", "", "200.000.000"]]), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 200_000_000
    assert item_totals(b) == [120_000_000, 40_000_000, 40_000_000]
    first = b["items"][1]
    assert first["amounts_vnd"] == {"Đơn giá": 12_000_000, "Thành tiền": 120_000_000}  # Số lượng is no money
    assert failed(b) == []


# lines of the OCR'd scan of Khánh Hòa's Phụ lục 3, as the OCR reader lays them out
SCAN_LINES = """PHỤ LỤC 3\t:
KINH PHÍ CHI TIET THỰC HIỆN CHƯƠNG TRÌNH
(Kèm theo Kế hoạch số 368/VKH-UBND ngày 16/4/2020 của UBND tỉnh Khánh Hòa)
ĐVT: Triệu đồng
STT\tĐơn vị thực hiện\tNăm 2020
Tổng | Ngân | Vốn đổi
sách\tứng tỉnh
|\tSở Nông nghiệp và Phát triển nông thôn\t540\t540\t0
1\tHọc tập trao đổi kinh nghiệm trong nước\t60\t60
4\tChương trình Xúc tiến thương mại, kết nối cung cầu | 140\t140\t0 sản phẩm OCOP
6\tHội nghị tổng kết, rút kinh nghiệm cấp tỉnh\t40\t40\t0
H\tSở Công Thương
1\tChương trình Xúc tiến thương mại, kết nối cung cầu | Từ nguồn kinh phí được cấp
Khuyến công địa phương và Xúc tiến thương mại
IH\tBáo Khánh Hòa\tZ5\t25\t0
1\tTuyên truyền tới các cộng đồng về Chương trình\t25\t25\t0
OCOP
5\tXây dựng và triển khai các dự án thành phần\t5.000\t0\t5.000
:\tLàng văn hóa du lịch thác Tà Gụ tại thôn Tà Gụ, xã\t5.000\t0\t5.000
Sơn Hiệp, huyện Khánh Sơn, tỉnh Khánh Hòa
Tổng\t10790\t|700 | 10.090"""


def test_scanned_budget_table_lines():
    doc = doc_of(para("2. Kinh phí thực hiện: 10.790 triệu đồng, trong đó: Ngân sách tỉnh: 700 triệu đồng; "
                      "Vốn đối ứng: 10.090 triệu đồng."),
                 *[para(line, page=16) for line in SCAN_LINES.split("\n")], ocr=True, fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 10_790 * MILLION
    assert item_totals(b) == [v * MILLION for v in (540, 60, 140, 40, 25, 25, 5000, 5000)]
    first = b["items"][0]
    # the garbled header ("Ngân | sách | tỉnh" across lines) is named after the sources in the text
    assert first["amounts_vnd"] == {"Tổng": 540 * MILLION, "Ngân sách tỉnh": 540 * MILLION, "Vốn đối ứng": 0}
    bao = next(it for it in b["items"] if "Báo Khánh Hòa" in it["label"])
    assert bao["amounts_vnd"]["Ngân sách tỉnh"] == 25 * MILLION  # read "Z5"
    assert not [c for c in failed(b) if c["rule"] == "row_total_equals_sum_of_sources"]


def test_spaced_thousands_unit_below_and_breakdown_group():
    doc = doc_of(
        para("PHỤ LỤC II"), para("NHU CẦU KINH PHÍ THỰC HIỆN GIAI ĐOẠN 2021-2025"),
        table([["TT", "Nội dung", "Tổng số", "Trong đó", ""], ["", "", "", "NSTW", "NSĐP"],
               ["1", "Hỗ trợ phát triển sản phẩm", "17 770", "10 000", "7 770"],
               ["2", "Xúc tiến thương mại", "1.230", "1.000", "230"],
               ["", "Tổng cộng", "19.000", "11.000", "8.000"]]),
        para("(Đơn vị tính: triệu đồng)"), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 19_000 * MILLION
    assert b["items"][0]["amounts_vnd"] == {"Tổng số": 17_770 * MILLION, "NSTW": 10_000 * MILLION,
                                            "NSĐP": 7_770 * MILLION}
    assert {s["name"]: s["amount_vnd"] for s in b["sources"]} == {"NSTW": 11_000 * MILLION, "NSĐP": 8_000 * MILLION}
    assert failed(b) == []


def test_years_with_their_own_total_and_sources():
    doc = doc_of(
        para("PHỤ LỤC\nKINH PHÍ THỰC HIỆN GIAI ĐOẠN 2021-2022\nĐVT: triệu đồng"),
        table([["TT", "Nội dung", "Tổng cộng", "Năm 2021", "", "Năm 2022", ""],
               ["", "", "", "Tổng", "NSTW", "Tổng", "NSTW"],
               ["1", "Hỗ trợ sản phẩm", "300", "100", "100", "200", "150"]]), fmt="pdf")
    b = extract_budget(doc, [])
    assert item_totals(b) == [300 * MILLION]
    assert list(b["items"][0]["amounts_vnd"]) == ["Tổng cộng", "Năm 2021 - Tổng", "Năm 2021 - NSTW",
                                                  "Năm 2022 - Tổng", "Năm 2022 - NSTW"]
    bad = [c["detail"] for c in failed(b)]
    assert len(bad) == 1 and "Năm 2022 - Tổng 200 ≠ 150 (Năm 2022 - NSTW)" in bad[0]


def test_ocr_table_with_misread_numbering_and_digits():
    header = [["STT", "Đơn vị thực hiện", "Năm 2020", "", ""], ["", "", "Tổng", "Ngân sách tỉnh", "Vốn đối ứng"]]
    doc = doc_of(
        para("PHỤ LỤC 3\nKINH PHÍ CHI TIẾT\nĐVT: Triệu đồng", page=16),
        table(header + [["", "Sở Nông nghiệp và Phát triển nông thôn", "100", "100", "0"],
                        ["1", "Học tập trao đổi kinh nghiệm", "100", "100", ""],
                        ["IH", "Báo Khánh Hòa", "25", "Z5", "0"],
                        ["1", "Tuyên truyền", "25", "25", "0"],
                        ["Tổng", "", "125", "125", "0"]], page=16), ocr=True, fmt="pdf")
    b = extract_budget(doc, [])
    assert item_totals(b) == [100 * MILLION, 100 * MILLION, 25 * MILLION, 25 * MILLION]
    bao = next(it for it in b["items"] if it["label"] == "Báo Khánh Hòa")  # "IH" is not part of the name
    assert bao["amounts_vnd"]["Ngân sách tỉnh"] == 25 * MILLION
    assert [c["rule"] for c in failed(b)] == ["table_structure"]  # honest: nesting not checked


# ------------------------------------------------------------------ issue 12: plans never seen

def test_prose_sources_listed_at_two_levels_keep_the_level_that_adds_up():
    """The issue's example: a total, numbered sources, and a breakdown of the first source."""
    lines = ["Tổng vốn: 2.450 tỷ đồng, trong đó:", "1. Vốn ngân sách nhà nước: 650 tỷ đồng, bao gồm:",
             "+ Ngân sách trung ương: 120 tỷ đồng;", "+ Ngân sách tỉnh: 530 tỷ đồng.",
             "2. Vốn huy động doanh nghiệp: 1.800 tỷ đồng."]
    expected = [("Vốn ngân sách nhà nước", 650_000 * MILLION), ("Vốn huy động doanh nghiệp", 1_800_000 * MILLION)]
    for body in (lines, [" ".join(lines)]):
        b = extract_budget(doc_of(para("IV. KINH PHÍ THỰC HIỆN"), *[para(x) for x in body], fmt="pdf"), [])
        assert b["total_vnd"] == 2_450_000 * MILLION
        assert [(s["name"], s["amount_vnd"]) for s in b["sources"]] == expected
        assert failed(b) == []


def test_sources_as_list_items_under_a_heading_of_their_own():
    doc = doc_of(para("IV. KINH PHÍ THỰC HIỆN"), para("Tổng kinh phí thực hiện: 2.450 tỷ đồng."),
                 para("Nguồn kinh phí:"), para("- Ngân sách nhà nước: 650 tỷ đồng;"),
                 para("- Vốn xã hội hóa: 1.800 tỷ đồng."), fmt="pdf")
    b = extract_budget(doc, [])
    assert [(s["name"], s["amount_vnd"]) for s in b["sources"]] == [
        ("Ngân sách nhà nước", 650_000 * MILLION), ("Vốn xã hội hóa", 1_800_000 * MILLION)]


@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=323)
@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=332)
def test_sources_described_in_list_items_and_given_as_ranges():
    doc = doc_of(para("4. Nguồn lực và việc sử dụng nguồn lực để thực hiện quy hoạch"),
                 para("Nhu cầu vốn đầu tư mạng lưới cơ sở văn hóa và thể thao quốc gia dự kiến khoảng 121.732 tỷ đồng."),
                 para("Trong đó, tỷ lệ vốn ngân sách nhà nước dự kiến: 85%-90% tổng vốn đầu tư. Cụ thể:"),
                 para("- Ngân sách trung ương: để thực hiện các dự án thuộc Trung ương quản lý, chiếm khoảng "
                      "75%-80% tống vốn đầu tư (khoảng 91.299 tỷ đồng - 97.386 tỷ đồng)."),
                 para("- Ngân sách địa phương: để thực hiện các dự án do địa phương quản lý, chiếm khoảng 10% "
                      "tổng vốn đầu tư (khoảng 12.173 tỷ đồng)."),
                 para("- Vốn ngoài ngân sách và các nguồn vốn hợp pháp khác dự kiến 10%-15% (khoảng 12.173 tỷ "
                      "đồng - 18.260 tỷ đồng)."), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 121_732_000 * MILLION
    assert [(s["name"], s["amount_vnd"], s.get("amount_max_vnd")) for s in b["sources"]] == [
        ("Ngân sách trung ương", 91_299_000 * MILLION, 97_386_000 * MILLION),
        ("Ngân sách địa phương", 12_173_000 * MILLION, None),
        ("Vốn ngoài ngân sách và các nguồn vốn hợp pháp khác", 12_173_000 * MILLION, 18_260_000 * MILLION)]
    # the total lies between the sums of the bounds: 115.645 and 127.819 tỷ đồng
    assert failed(b) == []


def test_a_list_item_whose_head_is_no_source_gives_none():
    doc = doc_of(para("IV. KINH PHÍ THỰC HIỆN"), para("Tổng kinh phí thực hiện: 500 triệu đồng, trong đó:"),
                 para("- Tổ chức hội nghị tập huấn: cho cán bộ các xã, thị trấn trên địa bàn huyện, khoảng 200 "
                      "triệu đồng."), fmt="pdf")
    assert extract_budget(doc, [])["sources"] == []


@pytest.mark.source("137_binhdinh_qd518_2023_phan_bo_ke_hoach_von_giao_duc_y_te.txt", line=33)
@pytest.mark.source("137_binhdinh_qd518_2023_phan_bo_ke_hoach_von_giao_duc_y_te.txt", line=35)
def test_allocations_per_scheme_that_add_up_to_the_total():
    head = ["STT", "Danh mục dự án/ Cơ quan, đơn vị, địa phương thực hiện", "Kế hoạch vốn năm 2023", "Ghi chú"]
    scheme_a = ("Đề án đảm bảo cơ sở vật chất cho chương trình giáo dục mầm non và giáo dục phổ thông trên địa bàn "
                "tỉnh Bình Định giai đoạn 2022-2025")
    scheme_b = "Đề án nâng cao năng lực hoạt động hệ thống y tế cơ sở của tỉnh Bình Định giai đoạn 2022-2025"

    def doc(second: str):
        return doc_of(
            para("Điều 1. Phân bổ chi tiết danh mục, kế hoạch vốn năm 2023 để thực hiện 02 Đề án sau:"),
            para(f"- {scheme_a}: 5.000 triệu đồng (Chi tiết tại Phụ lục 01 kèm theo Quyết định này)."),
            para(f"- {scheme_b}: {second} triệu đồng (Chi tiết tại Phụ lục 02 kèm theo Quyết định này)."),
            para("Điều 2. Các cơ quan, đơn vị tổ chức thực hiện."),
            para("PHỤ LỤC 01:\nKẾ HOẠCH VỐN NĂM 2023 THỰC HIỆN ĐỀ ÁN GIÁO DỤC\nĐVT: triệu đồng"),
            table([head, ["", "TỔNG SỐ", "5.000", ""], ["1", "Trường THPT số 3 An Nhơn", "5.000", ""]]),
            para("PHỤ LỤC 02:\nKẾ HOẠCH VỐN NĂM 2023 THỰC HIỆN ĐỀ ÁN Y TẾ\nĐVT: triệu đồng"),
            table([head, ["", "TỔNG SỐ", "3.000", ""], ["1", "Trung tâm Y tế thành phố Quy Nhơn", "3.000", ""]]),
            fmt="pdf")

    b = extract_budget(doc("3.000"), [])
    assert b["total_vnd"] == 8_000 * MILLION
    assert [(a["label"], a["amount_vnd"]) for a in b["allocations"]] == [(scheme_a, 5_000 * MILLION),
                                                                         (scheme_b, 3_000 * MILLION)]
    assert b["sources"] == []
    # parts that do not add up to the total are no split of it
    assert "allocations" not in extract_budget(doc("2.000"), [])


@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=279)
def test_a_forecast_result_is_not_the_budget():
    doc = doc_of(para("1. Dự báo các chỉ tiêu kinh tế - xã hội đến năm 2026"),
                 para("- Tổng vốn đầu tư xã hội đạt khoảng 270.000 tỷ đồng."), fmt="pdf")
    assert extract_budget(doc, []) is None


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=2664)
def test_total_opening_a_sentence_mid_paragraph():
    doc = doc_of(para("[2] Nguồn lực dự kiến bao gồm: các quỹ trong nước và các nguồn vốn cộng đồng và xã hội hợp "
                      "pháp khác. Tổng nguồn lực của các dự án ưu tiên và toàn bộ Kế hoạch hành động này ước tính "
                      "khoảng 140.000 tỷ đồng (Một trăm bốn mươi nghìn tỷ đồng)."), fmt="pdf")
    assert extract_budget(doc, [])["total_vnd"] == 140_000 * 1000 * MILLION


@pytest.mark.source("137_binhdinh_qd518_2023_phan_bo_ke_hoach_von_giao_duc_y_te.txt", line=50)
def test_two_annexes_with_the_same_sum_add_up_and_a_lone_column_is_the_total():
    head = ["STT", "Danh mục dự án/ Cơ quan, đơn vị, địa phương thực hiện", "Kế hoạch vốn năm 2023", "Ghi chú"]
    doc = doc_of(
        para("PHỤ LỤC 01:\nDANH MỤC DỰ ÁN VÀ KẾ HOẠCH VỐN NĂM 2023 THỰC HIỆN ĐỀ ÁN GIÁO DỤC\nĐVT: triệu đồng"),
        table([head, ["", "TỔNG SỐ", "5.000", ""], ["I", "SỞ GIÁO DỤC VÀ ĐÀO TẠO", "5.000", ""],
               ["1", "Trường THPT số 3 An Nhơn", "3.000", ""], ["2", "Trường THPT số 2 An Nhơn", "2.000", ""]]),
        para("PHỤ LỤC 02:\nDANH MỤC DỰ ÁN VÀ KẾ HOẠCH VỐN NĂM 2023 THỰC HIỆN ĐỀ ÁN Y TẾ\nĐVT: triệu đồng"),
        table([head, ["", "TỔNG SỐ", "5.000", ""], ["I", "SỞ Y TẾ", "5.000", ""],
               ["1", "Trung tâm Y tế thành phố Quy Nhơn", "5.000", ""]]), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 10_000 * MILLION
    assert b["sources"] == []  # the only amount column is each row's total, not a source
    repeated = doc_of(para("PHỤ LỤC 01:\nKẾ HOẠCH VỐN NĂM 2023\nĐVT: triệu đồng"),
                      table([head, ["", "TỔNG SỐ", "5.000", ""], ["1", "Trường THPT số 3 An Nhơn", "5.000", ""]]),
                      para("PHỤ LỤC 02:\nKẾ HOẠCH VỐN NĂM 2023\nĐVT: triệu đồng"),
                      table([head, ["", "TỔNG SỐ", "5.000", ""], ["1", "Trường THPT số 3 An Nhơn", "5.000", ""]]),
                      fmt="pdf")
    assert extract_budget(repeated, [])["total_vnd"] == 5_000 * MILLION


@pytest.mark.parametrize("years, period_first", [
    (["Giai đoạn 2026-2030", "Năm 2026", "Năm 2027"], True),
    (["Năm 2026", "Năm 2027", "Tổng giai đoạn 2026-2030"], False),
])
def test_period_column_is_the_row_total_beside_year_columns(years, period_first):
    def row(n, label, period, y1, y2):
        return [n, label] + ([period, y1, y2] if period_first else [y1, y2, period])
    doc = doc_of(para("PHỤ LỤC\nKINH PHÍ THỰC HIỆN KẾ HOẠCH\nĐVT: triệu đồng"),
                 table([["TT", "Nội dung"] + years, row("I", "Tuyên truyền", "", "", ""),
                        row("1", "Hội nghị", "500", "100", "100"), row("2", "Tập huấn", "300", "60", "60"),
                        row("II", "Xúc tiến thương mại", "1.000", "200", "200"),
                        row("", "Tổng cộng", "1.800", "360", "360")]), fmt="pdf")
    b = extract_budget(doc, [])
    assert b["total_vnd"] == 1_800 * MILLION
    # each item's first amount is its period total (the group row has none of its own)
    assert [next(iter(i["amounts_vnd"].values())) for i in b["items"]] == [
        None, 500 * MILLION, 300 * MILLION, 1_000 * MILLION]
    assert [i["parent"] for i in b["items"]] == [None, "b1.1", "b1.1", None]
    assert failed(b) == []
