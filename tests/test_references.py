"""Cited documents, legal bases and references: real lines from the samples."""
from __future__ import annotations

import pytest

from pipeline.parse.references import clean_number, find_citations, number_key
from doc_factory import corpus_doc
from pipeline.parse.metadata import parse_metadata
from pipeline.parse.sections import parse_sections


def numbers(text: str) -> list[str]:
    return [c.number for c in find_citations(text)]


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=7)
def test_full_citation_with_date_and_issuer():
    c = find_citations("Căn cứ Quyết định số 490/QĐ-TTg, ngày 07/5/2018 của Thủ tướng Chính phủ về phê duyệt Chương trình")[0]
    assert (c.doc_type, c.number, c.issue_date, c.issuer) == ("quyet_dinh", "490/QĐ-TTg", "2018-05-07", "Thủ tướng Chính phủ")


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=8)
def test_date_written_in_words():
    c = find_citations("Thực hiện Kế hoạch số 119-KH/TU ngày 18 tháng 12 năm 2019 của Ban Thường vụ Tỉnh ủy về thực hiện")[0]
    assert (c.number, c.issue_date, c.issuer) == ("119-KH/TU", "2019-12-18", "Ban Thường vụ Tỉnh ủy")


@pytest.mark.parametrize("line,expected", [
    pytest.param("theo Nghị định số 52/2018/NĐ-CP), phát triển liên kết", ["52/2018/NĐ-CP"],
                 marks=pytest.mark.source("cantho_ocop_2024_kh109.txt", line=208)),
    pytest.param("theo chỉ đạo của Bộ tại Công văn số 911/BNN-VPĐP ngày 10/02/2020", ["911/BNN-VPĐP"],
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=13)),
    pytest.param("Căn cứ Quyết định 2053/QĐ-UBND ngày 12/12/2018 của Ủy ban nhân dân tỉnh", ["2053/QĐ-UBND"],
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=9)),
    pytest.param("Chương trình hành động thực hiện Kế hoạch số 119- KH/TU ngày 18 tháng 12 năm 2019", ["119-KH/TU"],
                 marks=pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=11)),
    pytest.param("quán triệt Chỉ thị số 37- CT/TW ngày 03 tháng 9 năm 2019; Quyết định số 416/QĐ- TTg; Kế hoạch", ["37-CT/TW", "416/QĐ-TTg"],
                 marks=pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=33)),
    pytest.param("theo Nghị định số 217/2025/NĐ- CP ngày 05/8/2025 của Chính phủ", ["217/2025/NĐ-CP"],
                 marks=pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=25)),
    pytest.param("Quyết định số 461/QĐ-TTg 2018 ngày 27/4/2018 của Thủ tướng", ["461/QĐ-TTg"],
                 marks=pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=89)),
    pytest.param("Công ty cổ phần Miền Tây tại Văn bản số 01-GCN-MT ngày 21/4/2026", ["01-GCN-MT"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)),
    pytest.param("Công ty Liên danh CanxiCacbonat YBB tại Văn bản số YBB-SA032/26-LR ngày 21/4/2026", ["YBB-SA032/26-LR"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)),
    pytest.param("Công ty cổ phần Kim Thành tại văn bản số 21.4/GĐN ngày 21/4/2026", ["21.4/GĐN"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)),
    pytest.param("Công ty TNHH Đại Lục tại Văn bản số 02 ngày 21/4/2026", ["02"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)),
    pytest.param("Công ty cổ phần Khoáng sản VPG tại Văn bản số 11/2026CV-YVG ngày 18/4/2026", ["11/2026CV-YVG"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=13)),
    pytest.param("Chương trình số 51-CTr/TU ngày 09 tháng 02 năm 2018 về thực hiện Nghị quyết số 18-NQ/TW, ngày 25", ["51-CTr/TU", "18-NQ/TW"],
                 marks=pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=107)),
    # not document numbers: a bare number without "số", a month/year deadline cell, an article
    ("như 'Chỉ thị 11' của Ban Thường vụ Tỉnh ủy", []),
    ("Bộ Nội vụ\tCác bộ, ngành, địa phương\tĐề án\t6/2025", []),
    pytest.param("quy định tại Điều 9 Nghị định số 181/2024/NĐ-CP ngày 31/12/2024", ["181/2024/NĐ-CP"],
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=26)),
    pytest.param("Phụ lục số 01, Quyết định số 490/QĐ-TTg", ["490/QĐ-TTg"],
                 marks=pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=9)),
])
def test_numbers(line, expected):
    assert numbers(line) == expected


def test_clean_number_and_key():
    assert clean_number("1105 /KH-ĐKT") == "1105/KH-ĐKT"
    assert number_key("490/QĐ-TTg") == number_key("490/qđ-ttg")


def refs_of(name: str) -> tuple[list[str], list[str]]:
    d = corpus_doc(name)
    m = parse_metadata(d, parse_sections(d))
    return [r["number"] for r in m["legal_bases"]], [r["number"] for r in m["references"]]


def test_can_cu_lines_are_legal_bases_the_rest_references():
    legal, refs = refs_of("khanhhoa_ocop_2020_kh3680.txt")
    assert legal == ["3253/QĐ-UBND"]
    # the garbled self-citation of the Phụ lục 3 caption (368/VKH-UBND) is not a reference
    assert refs == ["911/BNN-VPĐP", "1048/QĐ-TTg", "682/QĐ-UBND", "920/QĐ-BCT"]


def test_thuc_hien_line_is_the_basis_without_can_cu():
    legal, refs = refs_of("cantho_ocop_2024_kh109.txt")
    assert legal == ["919/QĐ-TTg"]
    assert refs == ["148/QĐ-TTg", "52/2018/NĐ-CP", "98/2018/NĐ-CP", "3075/QĐ-BNN-QLCL"]


def test_own_number_and_web_debris_are_not_references():
    legal, refs = refs_of("trunguong_ocop_2018_qd01_tinbai.txt")
    assert legal == []
    assert "01/QĐ-BCĐTW" not in refs and "07/2022/QĐ-TTg" not in refs
    assert set(refs) == {"490/QĐ-TTg", "52/2018/NĐ-CP", "55/2015/NĐ-CP", "57/2018/NĐ-CP", "58/NĐ-CP", "461/QĐ-TTg"}


def test_decision_with_thuc_hien_and_to_trinh_as_references():
    legal, refs = refs_of("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt")
    assert legal == ["37-CT/TW", "416/QĐ-TTg"]
    assert refs[:3] == ["119-KH/TU", "33/TTr-SLĐTBXH", "42/TTr-SLĐTBXH"]
    assert "435/QĐ-UBND" not in refs and len(refs) == 10


def test_bases_listed_in_a_section_of_their_own():
    from doc_factory import doc_of_text
    d = doc_of_text("KẾ HOẠCH\nThực hiện Chương trình OCOP năm 2022\n\nI. CĂN CỨ XÂY DỰNG KẾ HOẠCH\n\n"
               "- Quyết định số 919/QĐ-TTg ngày 01/8/2022 của Thủ tướng Chính phủ;\n\n"
               "II. NỘI DUNG\n\n1. Hỗ trợ theo Nghị định số 52/2018/NĐ-CP ngày 12/4/2018 của Chính phủ.\n")
    m = parse_metadata(d, parse_sections(d))
    assert [r["number"] for r in m["legal_bases"]] == ["919/QĐ-TTg"]
    assert [r["number"] for r in m["references"]] == ["52/2018/NĐ-CP"]


@pytest.mark.source("40_ttg_qd773_2018_kh_chi_thi14_nguoi_co_cong.txt", line=17)
def test_ordinances_named_before_their_numbers_in_one_basis_line():
    line = ("Căn cứ Pháp lệnh Ưu đãi người có công với cách mạng số 26/2005/PL-UBTVQH11 ngày 29 tháng 6 năm 2005 của "
            "Ủy ban Thường vụ Quốc hội và Pháp lệnh sửa đổi, bổ sung một số điều của Pháp lệnh Ưu đãi người có công "
            "với cách mạng số 04/2012/PL-UBTVQH13 ngày 16 tháng 7 năm 2012 của Ủy ban Thường vụ Quốc hội;")
    cites = find_citations(line)
    assert [(c.doc_type, c.number, c.issue_date) for c in cites] == [
        ("phap_lenh", "26/2005/PL-UBTVQH11", "2005-06-29"), ("phap_lenh", "04/2012/PL-UBTVQH13", "2012-07-16")]


@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=46)
def test_laws_named_before_their_numbers():
    assert numbers("Luật sửa đổi, bổ sung một số điều của Luật Đất đai số 31/2024/QH15, Luật Nhà ở\n"
                   "số 27/2023/QH15, Luật Kinh doanh bất động sản số 29/2023/QH15 và Luật Các tổ chức") == [
        "31/2024/QH15", "27/2023/QH15", "29/2023/QH15"]
    # "một số điều", a count or a date after "số" is no number
    assert numbers("Luật sửa đổi, bổ sung một số điều của Luật Đất đai; số lượng 12/2025") == []


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=91)
def test_number_on_the_next_line_after_so():
    assert numbers("theo đúng mẫu Thông tư số\t\n24/2020/TT-BCA ngày 10/3/2020 của Bộ Công an") == ["24/2020/TT-BCA"]


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=3)
def test_full_stop_typed_before_the_code():
    header = "Số: 3070. /KH-UBND                     Bỉm Sơn, ngày 09 tháng 9 năm 2024"
    assert clean_number(header[4:18]) == "3070/KH-UBND"
    assert clean_number("1.234/QĐ-UBND") == "1.234/QĐ-UBND"


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=126)
def test_reference_repeated_with_a_miswritten_issuer_code_counted_once():
    from doc_factory import doc_of
    doc = doc_of("KẾ HOẠCH", "I. NỘI DUNG",
                 "theo Nghị định số 26/2020/NĐ-CP ngày 28/02/2020 của Chính phủ về Quy định chi tiết.",
                 "đúng quy định của Luật Bảo vệ BMNN, Nghị định số 26/2020/NĐ-TTg ngày 28/02/2020 của Chính phủ về Quy định chi tiết một số",
                 "Nghị định số 26/2021/NĐ-CP ngày 28/02/2021 của Chính phủ.")
    m = parse_metadata(doc, parse_sections(doc))
    assert [r["number"] for r in m["references"]] == ["26/2020/NĐ-CP", "26/2021/NĐ-CP"]


@pytest.mark.source("128_daklak_kh0129_2025_ho_tro_nhu_yeu_pham_mua_lu.txt", line=31)
def test_phuong_an_is_a_cited_document():
    c = find_citations("Căn cứ Phương án\n02600/PA-UBND ngày 18/8/2025 của UBND tỉnh Đắk Lắk về ứng phó thiên tai năm")[0]
    assert (c.doc_type, c.number, c.issue_date) == ("phuong_an", "02600/PA-UBND", "2025-08-18")
