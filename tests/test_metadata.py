"""Header metadata: one test per rule with real lines, then the corpus documents."""
from __future__ import annotations

import pytest

from pipeline.normalize.places import district_name, province_2025, province_name
from pipeline.parse.metadata import issuer_name, parse_date, parse_metadata, period_from
from pipeline.parse.sections import parse_sections
from conftest import gold_cases
from doc_factory import corpus_doc, doc_of_text


def meta(text: str) -> dict:
    d = doc_of_text(text)
    return parse_metadata(d, parse_sections(d))


@pytest.mark.parametrize("text,iso", [
    pytest.param("Khánh Hòa, ngày 16 tháng 4 năm 2020", "2020-04-16",
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=5)),
    pytest.param("Lai Châu, ngày tháng 5 năm 2020", "2020-05",
                 marks=pytest.mark.source("laichau_ocop_2020_qd.txt", line=5)),
    pytest.param("Lào Cai, ngày tháng năm 2026", "2026",
                 marks=pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=2)),
    pytest.param("(Kèm theo Kế hoạch số /KH-SCT ngày /4/2026 của Sở Công Thương)", "2026-04",
                 marks=pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=63)),
    pytest.param("Kế hoạch số 83/KH-UBND ngày 05/4/2021 của UBND huyện Krông Nô", "2021-04-05",
                 marks=pytest.mark.source("krongno_ocop_2021_kh83.txt", line=190)),
    pytest.param("Kế hoạch số 1105 /KH-ĐKT ngày10 /3/2026", "2026-03-10",
                 marks=pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=106)),
    # the draft's blank day as its 200-dpi scan reads it, and blanks drawn with dots
    # (OCR of corpus/extra/14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft line 3, not its text)
    ("Độc lập - Tự do - Hạnh phúc Lào Cai, ngày — tháng 4 năm 2026", "2026-04"),
    ("Hà Nội, ngày ..... tháng ..... năm 2024", "2024"),
    ("ngày …/5/2021", "2021-05"),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


@pytest.mark.parametrize("title,period", [
    pytest.param("Kế hoạch thực hiện Chương trình mỗi xã một sản phẩm trên địa bàn tỉnh Khánh Hòa năm 2020", (2020, 2020),
                 marks=pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=8)),
    pytest.param("Ban hành Kế hoạch triển khai Chương trình Mỗi xã một sản phẩm giai đoạn 2018 - 2020", (2018, 2020),
                 marks=pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=1)),
    ("Kế hoạch thực hiện Đề án OCOP giai đoạn 2018-2020, định hướng đến năm 2030", (2018, 2020)),
    # the dates of a cited document are no period
    pytest.param("Kế hoạch triển khai thực hiện Chỉ thị số 11-CT/TU ngày 04/01/2026 của Ban Thường vụ Tỉnh ủy", None,
                 marks=pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=6)),
    pytest.param("KẾ HOẠCH SỐ 119-KH/TU NGÀY 18 THÁNG 12 NĂM 2019 CỦA BAN THƯỜNG VỤ TỈNH ỦY", None,
                 marks=pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=4)),
])
def test_period_from_title(title, period):
    assert period_from(title) == period


def test_places_official_spelling_and_2025_merger():
    assert province_name("TỈNH ĐĂK NÔNG") == "Đắk Nông"
    assert province_name("thành phố Cần Thơ") == "Cần Thơ"
    assert district_name("huyện Krông Nô") == ("Krông Nô", "Đắk Nông")
    assert province_2025("Kon Tum") == "Quảng Ngãi"
    assert province_2025("Đắk Nông") == "Lâm Đồng"


def test_canonical_issuer_from_upper_case_header():
    assert issuer_name("UBND TỈNH KHÁNH HÒA") == "Ủy ban nhân dân tỉnh Khánh Hòa"
    assert issuer_name("SỞ CÔNG THƯƠNG") == "Sở Công Thương"


@pytest.mark.source("14_laocai_sct_kh2242_2026_kiem_tra_gcn_vlncn_draft.txt", line=1)
def test_header_in_table_cells_with_blank_number_and_day():
    m = meta("UBND TỈNH LÀO CAI\t\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nSỞ CÔNG THƯƠNG\t\tĐộc lập - Tự do - Hạnh phúc\n"
             "Số:           /KH-SCT\t\tLào Cai,  ngày       tháng 4 năm 2026\n\nKẾ HOẠCH\nKiểm tra, cấp Giấy chứng nhận\n\n"
             "I. MỤC ĐÍCH, YÊU CẦU\n")
    assert (m["doc_type"], m["number"], m["issue_date"], m["issue_place"]) == ("ke_hoach", None, "2026-04", "Lào Cai")
    assert (m["issuer"], m["level"], m["province"]) == ("Sở Công Thương tỉnh Lào Cai", "province", "Lào Cai")


def test_run_on_pdf_header():
    m = meta("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ CẦN THƠ\n-------\n|\nCỘNG HÒA XÃ HỘI\nCHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n|\n"
             "Số: 109/KH-UBND\n|\nCần Thơ, ngày 24\ntháng 5 năm 2024\n|\nKẾ HOẠCH\nTHỰC HIỆN ĐỀ ÁN “MỖI XÃ MỘT SẢN PHẨM” NĂM 2024\n\nI. MỤC TIÊU\n")
    assert (m["number"], m["issue_date"], m["level"], m["province"]) == ("109/KH-UBND", "2024-05-24", "province", "Cần Thơ")
    assert m["period"] == {"start_year": 2024, "end_year": 2024} and m["programs"] == ["OCOP"]


def test_signer_with_garbled_authority():
    m = meta("KẾ HOẠCH\n\nI. MỤC TIÊU\n\nNơi nhận:\n- Bộ NN&PTNT;\n- Lưu: VP, HB, Tle.\n\nKí. CHỦ TỊCH\nPHÓ CHỦ TỊCH\n\nLê Hữu Hoàng\n")
    assert m["signer"] == {"name": "Lê Hữu Hoàng", "position": "Phó Chủ tịch", "authority": "KT. Chủ tịch"}
    assert m["recipients"] == ["Bộ NN&PTNT"]


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=170)
def test_misspelled_noi_nhan_and_inline_recipients():
    m = meta("KẾ HOẠCH\n\nI. MỤC TIÊU\n\nNoi nhận:\n- Sở Nông nghiệp và PTNT (b/c);\n- TT Huyện ủy (b/c);\n\n**KT. CHỦ TỊCH\nPHÓ CHỦ TỊCH**\n\nTrần Đăng Ánh\n")
    assert m["signer"]["name"] == "Trần Đăng Ánh"
    assert m["recipients"] == ["Sở Nông nghiệp và PTNT (b/c)", "TT Huyện ủy (b/c)"]


@pytest.mark.parametrize("path, gold", list(gold_cases()))
def test_corpus_metadata_matches_gold(path, gold):
    # the sample plans only (as the other per-sample gold tests); extra2 is scored as a whole
    d = corpus_doc(path.name)
    m = parse_metadata(d, parse_sections(d))
    g = gold["metadata"]
    got = {"doc_type": m["doc_type"], "number": m["number"], "issue_date": m["issue_date"], "level": m["level"],
           "province": m["province"], "district": m["district"], "signer": (m["signer"] or {}).get("name"),
           "period": [m["period"]["start_year"], m["period"]["end_year"]] if m["period"] else None}
    assert got == {k: g[k] for k in got}
    assert {r["number"] for r in m["legal_bases"]} == set(gold["legal_bases"])
    assert {r["number"] for r in m["references"]} == set(gold["references"])


def test_decision_issuing_plan():
    d = corpus_doc("laichau_ocop_2020_qd.txt")
    m = parse_metadata(d, parse_sections(d))
    assert m["attached_doc_types"] == ["ke_hoach"]
    assert m["issuer"] == "Chủ tịch Ủy ban nhân dân tỉnh Lai Châu"
    assert m["title"].startswith("Quyết định về việc ban hành Kế hoạch")


def test_number_and_issuer_from_appendix_caption():
    d = corpus_doc("krongno_ocop_2021_kh83.txt")
    m = parse_metadata(d, parse_sections(d))
    assert (m["number"], m["issuer"], m["province_2025"]) == ("83/KH-UBND", "Ủy ban nhân dân huyện Krông Nô", "Lâm Đồng")


def test_plan_year_right_after_the_type_word_wins():
    assert period_from("Kế hoạch năm 2022 thực hiện Chương trình OCOP giai đoạn 2021-2025") == (2022, 2022)


def test_commune_issuer_and_district_from_parent():
    m = meta("ỦY BAN NHÂN DÂN HUYỆN KRÔNG NÔ\nỦY BAN NHÂN DÂN XÃ ĐẮK DRÔ\n\nSố: 12/KH-UBND\n\nĐắk Drô, ngày 3 tháng 4 năm 2024\n\n"
             "KẾ HOẠCH\nXây dựng nông thôn mới năm 2024\n\nI. MỤC TIÊU\n")
    assert (m["issuer"], m["level"], m["district"], m["province"]) == ("Ủy ban nhân dân xã Đắk Drô", "commune", "Krông Nô", "Đắk Nông")
    assert m["programs"] == ["NTM"]


def test_news_article_describes_the_reported_plan():
    m = meta("Ban hành Kế hoạch triển khai Chương trình Mỗi xã một sản phẩm giai đoạn 2018 - 2020\n04/09/2019 04:00:37 PM\n\n"
             "Thường trực Ban Chỉ đạo Trung ương đã ký Quyết định số 01/QĐ-BCĐTW ngày 22/8/2018 về việc ban hành Kế hoạch. Theo đó:\n\n"
             "1. Triển khai thực hiện Chu trình OCOP theo Quyết định số 490/QĐ-TTg ngày 07/5/2018 của Thủ tướng Chính phủ.\n\n"
             "Quyết định phê duyệt đề án Chương trình mỗi xã một sản phẩm (OCOP) giai đoạn 2021-2025\n\n"
             "THỦ TƯỚNG CHÍNH PHỦ BAN HÀNH QUYẾT ĐỊNH SỐ 07/2022/QĐ-TTg NGÀY 25/3/2022\n")
    assert (m["doc_type"], m["number"], m["issue_date"], m["level"]) == ("tin_bai", "01/QĐ-BCĐTW", "2018-08-22", "national")
    assert m["period"] == {"start_year": 2018, "end_year": 2020} and m["signer"] is None
    assert [r["number"] for r in m["references"]] == ["490/QĐ-TTg"]


def test_closing_in_a_two_column_table():
    m = meta("KẾ HOẠCH\n\nI. MỤC TIÊU\n\nNội dung.\n\n"
             "Nơi nhận: - Bộ Nông nghiệp và PTNT; - Lưu: VT.\tTM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH PHÓ CHỦ TỊCH Hà Trọng Hải\n"
             "\tĐã ký\n")
    assert m["signer"]["name"] == "Hà Trọng Hải"
    assert m["recipients"] == ["Bộ Nông nghiệp và PTNT"]


def test_letter_without_title_is_a_cong_van():
    m = meta("UBND TỈNH LÀO CAI\nSỞ CÔNG THƯƠNG\n\nSố: 512/SCT-QLCN\nV/v triển khai kiểm tra vật liệu nổ công nghiệp\n\n"
             "Lào Cai, ngày 12 tháng 3 năm 2026\n\nKính gửi: Các đơn vị.\n")
    assert (m["doc_type"], m["number"], m["issue_date"]) == ("cong_van", "512/SCT-QLCN", "2026-03-12")


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=3)
def test_district_town_header_run_on_with_place_and_date():
    # a PDF header read as two lines: the place before ", ngày" stops at the upper-case issuer
    m = meta("ỦY BAN NHÂN DÂN CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n"
             "THỊ XÃ BỈM SƠN Độc lập - Tự do - Hạnh phúc Số: 3070. /KH-UBND Bỉm Sơn, ngày 09 tháng 9 năm 2024 (\n"
             "KẾ HOẠCH\nKhắc phục những tồn tại, hạn chế năm 2024\n\nI. MỤC ĐÍCH, YÊU CẦU\n")
    assert (m["number"], m["issue_date"], m["issue_place"]) == ("3070/KH-UBND", "2024-09-09", "Bỉm Sơn")
    assert (m["issuer"], m["level"], m["province"], m["district"]) == (
        "Ủy ban nhân dân thị xã Bỉm Sơn", "district", "Thanh Hóa", "Bỉm Sơn")


@pytest.mark.source("41_hcm_qd3210_2014_kh_ho_tro_nha_o_nguoi_co_cong.txt", line=7)
def test_header_broken_by_stray_spaces_in_a_crawled_page():
    m = meta("| ỦY B AN NHÂN D Â N T HÀNH P HỐ HỒ C H Í M I NH ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM Độc lập - Tự do - Hạnh phúc --------------- |\n"
             "|---|---|\n| Số: 3210/QĐ - U B ND | T hành phố Hồ Chí M inh, ngày 28 tháng 6 năm 2014 |\n\n"
             "QUYẾT ĐỊNH\n\nVỀ BAN HÀNH KẾ HOẠCH\n\nĐiều 1. Ban hành kèm theo Quyết định này Kế hoạch.\n")
    assert m["number"] == "3210/QĐ-UBND"
    assert (m["issuer"], m["level"], m["province"]) == ("Ủy ban nhân dân thành phố Hồ Chí Minh", "province", "Hồ Chí Minh")


@pytest.mark.source("41_hcm_qd3210_2014_kh_ho_tro_nha_o_nguoi_co_cong.txt", line=33)
def test_signer_surname_broken_by_stray_spaces():
    m = meta("QUYẾT ĐỊNH\n\nĐiều 1. Ban hành.\n\n"
             "| Nơi nhận: - Như Điều 3; - Hội Cự u C h i ế n b i nh T h à nh p h ố ; - L ư u : V T , ( Đ T M T /C h g ) H. "
             "| KT. CHỦ TỊ CH P HÓ CHỦ T Ị CH Ngu y ễn Hữu Tín |\n")
    assert m["signer"]["name"] == "Nguyễn Hữu Tín"


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=7)
def test_national_steering_committee_is_national():
    m = meta("| BAN CHỈ ĐẠO QUỐC GIA VỀ TÌM KIẾM, QUY TẬP HÀI CỐT LIỆT SĨ ------- | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM |\n"
             "|---|---|\n| Số: 252/KH-BCĐQG1237 | Hà Nội, ngày 11 tháng 11 năm 2013 |\n\nKẾ HOẠCH\n\nTRIỂN KHAI\n\nA. MỤC ĐÍCH, YÊU CẦU\n")
    assert (m["number"], m["level"], m["province"]) == ("252/KH-BCĐQG1237", "national", None)


@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=14)
def test_number_wrapped_under_so_is_no_part_of_the_issuer():
    m = meta("|\n**ỦY BAN NHÂN\nDÂN **\nTHÀNH PHỐ HỒ CHÍ MINH\n--------\n|\n**CỘNG HÒA XÃ\nHỘI CHỦ NGHĨA VIỆT NAM**\n"
             "Độc lập - Tự do - Hạnh phúc\n---------------\n|\n|\nSố:\n2820/QĐ-UBND\n|\n*Thành phố Hồ\nChí Minh, ngày 19 tháng 11 năm 2025*\n"
             "|\n\n\n**QUYẾT ĐỊNH**\n\nBAN HÀNH KẾ HOẠCH\n\n**ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH**\n\n")
    assert (m["number"], m["issuer"]) == ("2820/QĐ-UBND", "Ủy ban nhân dân thành phố Hồ Chí Minh")


@pytest.mark.source("100_ddqh_kh3260_2025_trien_khai_nq57_khcn_cds.txt", line=4)
def test_party_caucus_under_the_central_committee():
    m = meta("      ## ĐẢNG CỘNG SẢN VIỆT NAM\n\n**BAN CHẤP HÀNH TRUNG ƯƠNG**\n**ĐẢNG ĐOÀN QUỐC HỘI**\n\n"
             "Số 3260-KH/ĐĐQH15\n\nHà Nội, ngày 10 tháng 01 năm 2025\n\n**KẾ HOẠCH**\n\n**khai thực hiện Nghị quyết**\n\n---\n")
    assert (m["number"], m["issuer"], m["level"]) == ("3260-KH/ĐĐQH15", "Đảng đoàn Quốc hội", "national")
