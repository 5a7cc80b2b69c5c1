"""Money amounts the Vietnamese way: thousands dot, decimal comma, unit words, ĐVT."""
import pytest

from pipeline.normalize.money import currency_unit, declared_unit, find_amounts, fold, parse_amount

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
