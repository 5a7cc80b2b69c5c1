"""Money amounts the Vietnamese way: thousands dot, decimal comma, unit words, ĐVT."""
import pytest

from pipeline.normalize.money import currency_unit, declared_unit, find_amounts, fold, parse_amount, with_ranges

MILLION = 1_000_000


@pytest.mark.parametrize("text, vnd", [
    ("17.770 triệu đồng", 17_770 * MILLION),
    ("1,5 tỷ đồng", 1_500_000_000),
    ("2 tỷ 500 triệu đồng", 2_500_000_000),
    ("17.770.000.000 đồng", 17_770_000_000),
    ("300 nghìn đồng", 300_000),
    ("250 ngàn đồng", 250_000),
    ("45 trđ", 45 * MILLION),
    ("1.200 triệu VNĐ", 1_200 * MILLION),
])
def test_amount_with_its_own_unit(text, vnd):
    assert parse_amount(text) == vnd


def test_cell_takes_the_declared_unit():
    unit = declared_unit("ĐVT: Triệu đồng")
    assert unit.multiplier == MILLION and unit.text == "Triệu đồng"
    assert parse_amount("2.150", unit) == 2_150 * MILLION
    assert parse_amount("540", unit) == 540 * MILLION
    assert parse_amount("0", unit) == 0
    assert parse_amount("12,5", unit) == 12_500_000


def test_written_unit_wins_over_declared():
    assert parse_amount("1,5 tỷ đồng", declared_unit("ĐVT: triệu đồng")) == 1_500_000_000


@pytest.mark.parametrize("text", ["", "-", pytest.param("Từ nguồn kinh phí được cấp năm 2020",
                                                        marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=459)), "x"])
def test_no_amount(text):
    assert parse_amount(text, declared_unit("ĐVT: triệu đồng")) is None


def test_declarations():
    assert declared_unit("Đơn vị tính: tỷ đồng").multiplier == 1_000_000_000
    assert declared_unit("(ĐVT: 1.000 đồng)").multiplier == 1_000
    assert declared_unit("PHỤ LỤC 3 KINH PHÍ CHI TIẾT ... ĐVT: Triệu đồng").multiplier == MILLION
    assert declared_unit("Đơn vị thực hiện") is None
    assert currency_unit("Kinh phí (triệu đồng)").multiplier == MILLION
    assert currency_unit("Tổng") is None


def test_ocr_tone_marks_are_ignored():
    assert parse_amount("6.520 triệu đông") == 6_520 * MILLION
    assert declared_unit("DVT: Trieu dong").multiplier == MILLION
    assert len(fold("Kinh phí thực hiện")) == len("Kinh phí thực hiện")


def test_comma_thousands_only_when_asked():
    unit = declared_unit("ĐVT: triệu đồng")
    assert parse_amount("2,150", unit) == 2_150_000
    assert parse_amount("2,150", unit, comma_thousands=True) == 2_150 * MILLION


def test_find_amounts_in_a_budget_sentence():
    text = ("2. Kinh phí thực hiện: 17.770 triệu đồng, trong đó: Ngân sách tỉnh: 6.520 triệu đồng; "
            "hỗ trợ 50 triệu đồng/sản phẩm; khoảng 1,5 tỷ cho 3 triệu người")
    found = find_amounts(text)
    assert [a.vnd for a in found] == [17_770 * MILLION, 6_520 * MILLION, 50 * MILLION]
    assert [a.per_unit for a in found] == [False, False, True]
    assert text[found[0].start:found[0].end] == "17.770 triệu đồng"
    bare = find_amounts(text, bare_units=True)
    assert 1_500_000_000 in [a.vnd for a in bare]


@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=675)
@pytest.mark.source("100_ddqh_kh3260_2025_trien_khai_nq57_khcn_cds.txt", line=60)
def test_dong_as_the_first_syllable_of_a_word_is_no_currency():
    """"2050 đồng bộ", a table cell's "4" before "Đồng bộ hoá": the dictionary knows "đồng bộ"."""
    assert find_amounts("4\tĐồng bộ hoá cơ sở dữ liệu") == []
    assert find_amounts("khoa học và công nghệ thời kỳ 2021-2030, tầm nhìn đến năm 2050 đồng bộ với "
                        "các quy hoạch chuyên ngành liên quan.") == []
    assert [a.vnd for a in find_amounts("khoảng 1,5 tỷ đồng thời gian thực hiện 2026")] == [1_500_000_000]


@pytest.mark.parametrize("text, bounds", [
    pytest.param("chiếm khoảng 75%-80% tống vốn đầu tư (khoảng 91.299 tỷ đồng - 97.386 tỷ đồng).",
                 [(91_299_000_000_000, 97_386_000_000_000, "91.299 tỷ đồng - 97.386 tỷ đồng")],
                 marks=pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=325)),
    ("khoảng 12.173 - 18.260 tỷ đồng", [(12_173_000_000_000, 18_260_000_000_000, "12.173 - 18.260 tỷ đồng")]),
    ("hỗ trợ từ 50 đến 70 triệu đồng", [(50_000_000, 70_000_000, "50 đến 70 triệu đồng")]),
    # a year before a dash is no lower bound, nor is a bigger amount before a smaller one
    ("Năm 2024 - 2.500 triệu đồng", [(None, 2_500_000_000, "2.500 triệu đồng")]),
    ("Tổng: 300 triệu đồng - Tập huấn: 100 triệu đồng",
     [(None, 300_000_000, "300 triệu đồng"), (None, 100_000_000, "100 triệu đồng")]),
])
def test_ranges_of_amounts_become_one_amount_with_its_bounds(text, bounds):
    got = with_ranges(text, find_amounts(text))
    assert [(a.low_vnd, a.vnd, text[a.start:a.end]) for a in got] == bounds
