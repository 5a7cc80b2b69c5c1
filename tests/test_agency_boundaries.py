"""Agency names delimited by boundary rules, bodies beyond the samples, label blocks (issue 12)."""
from __future__ import annotations

import pytest

from doc_factory import doc_of
from pipeline.normalize.agencies import find_agencies, is_known
from pipeline.parse.responsibilities import extract_assignments
from pipeline.parse.sections import parse_sections


def names(text: str, level: str | None = None) -> list[str]:
    return [f[2] for f in find_agencies(text, level)]


def pairs(*items, level: str = "province") -> set[tuple[str, str]]:
    doc = doc_of(*items)
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": level})
    return {(r["agency"], r["role"]) for r in rows if r["role"] in ("lead", "coordinate")}


def test_name_runs_past_words_of_no_list_to_the_verb():
    assert names("Cục Quản lý chất lượng nông lâm sản chủ trì") == ["Cục Quản lý chất lượng nông lâm sản"]
    assert names("Trung tâm Dịch vụ việc làm thành phố phối hợp") == ["Trung tâm Dịch vụ việc làm thành phố"]


@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=564)
def test_a_word_that_ends_names_only_before_a_number():
    assert names("Trung tâm Chuyển đổi số Thành phố") == ["Trung tâm Chuyển đổi số thành phố"]
    assert not is_known("Trung tâm Chuyển đổi số thành phố")


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=89)
@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=105)
def test_courts_and_procuracies_at_each_level():
    assert names("4.5. Đề nghị Viện Kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh") == [
        "Viện kiểm sát nhân dân tỉnh", "Tòa án nhân dân tỉnh"]
    assert names("5.3. Đề nghị Viện Kiểm sát nhân dân tối cao, Tòa án nhân dân tối cao") == [
        "Viện kiểm sát nhân dân tối cao", "Tòa án nhân dân tối cao"]
    assert find_agencies("Tòa án nhân dân tối cao")[0][3] == "national"


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=107)
def test_a_body_named_after_its_kind_and_a_head_inside_it():
    # "Hải quan" is a head of its own, but after "Chi cục" it is the name; "quan" is no "quận"
    assert names("5.4. Đề nghị Chi cục Hải quan khu vực XIII") == ["Chi cục Hải quan khu vực XIII"]
    assert names("Văn phòng Ban Chỉ đạo quốc gia 1237") == ["Văn phòng Ban Chỉ đạo quốc gia"]


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=20)
def test_party_bodies_end_with_their_committee():
    assert names("- Ban Tuyên giáo Tỉnh ủy;") == ["Ban Tuyên giáo Tỉnh ủy"]
    assert names("Ủy ban Kiểm tra Tỉnh ủy, Đảng ủy Ủy ban nhân dân tỉnh phối hợp") == [
        "Ủy ban Kiểm tra Tỉnh ủy", "Đảng ủy Ủy ban nhân dân tỉnh"]


@pytest.mark.source("101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt", line=230)
@pytest.mark.source("118_dongthap_kh552_2025_lo_trinh_doi_moi_cong_nghe.txt", line=900)
def test_heads_that_are_common_words_need_a_capitalised_name():
    assert names("2028 theo đánh giá của Liên hợp quốc; thuộc nhóm 3 nước dẫn đầu Hiệp hội các quốc") == []
    assert names("Hiệp hội Doanh nghiệp") == ["Hiệp hội Doanh nghiệp"]
    assert names("Hội nghị tổng kết") == []
    assert names("II. NHIỆM VỤ TRỌNG TÂM") == []
    assert names("8. SỞ Văn hóa - Thể thao") == ["Sở Văn hóa và Thể thao"]
    assert names("Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ thử nghiệm") == [
        "Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ"]


def test_named_ward_kept_whole_and_place_after_a_known_name_dropped():
    assert names("UBND phường Hòa Bình tổ chức") == ["Ủy ban nhân dân phường Hòa Bình"]
    assert names("Sở Y tế Hà Nội chủ trì") == ["Sở Y tế"]
    assert names("Sở Khoa học và Công nghệ xây dựng kế hoạch") == ["Sở Khoa học và Công nghệ"]
    assert names("Ban Chỉ đạo quốc gia.") == ["Ban Chỉ đạo quốc gia"]
    assert names("Sở Văn hóa và Thể thao chủ trì") == ["Sở Văn hóa và Thể thao"]


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=437)
@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=393)
def test_bodies_of_a_city_after_the_2025_reorganisation():
    assert pairs("7. Ban Quản lý các Khu chế xuất và công nghiệp Thành phố chủ trì, phối hợp với các sở, ban, ngành.") >= {
        ("Ban Quản lý các Khu chế xuất và công nghiệp thành phố", "lead"), ("Các sở, ban, ngành", "coordinate")}
    assert ("Bộ Tư lệnh thành phố", "lead") in pairs(
        "3. Bộ Tư lệnh Thành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, các sở, ban,")


@pytest.mark.source("30_bimson_kh3070_2024_khac_phuc_bao_ve_bmnn.txt", line=151)
def test_subject_in_parentheses_before_the_role_word():
    got = pairs("II. NHIỆM VỤ", "- Giao phòng có cá nhân vi phạm (cụ thể phòng Nội vụ, Thanh tra thị xã) chủ trì, loại bỏ văn bản "
                "có tài liệu BMNN trên máy tính đồng thời phối hợp với Công an thị xã kiểm tra.", level="district")
    assert {("Phòng Nội vụ", "lead"), ("Thanh tra thị xã", "lead"), ("Công an thị xã", "coordinate")} <= got


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=43)
@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=45)
def test_label_line_heads_a_block_of_bulleted_bodies():
    got = pairs("I. NỘI DUNG", "2. Cơ quan chủ trì, phối hợp", "a) Cơ quan chủ trì", "- Ban Chỉ đạo quốc gia.",
                "- Ban Chỉ đạo các quân khu; Ban Chỉ đạo các tỉnh.", "b) Cơ quan phối hợp",
                "- Các đơn vị, địa phương; các tổ chức chính trị - xã hội.",
                "3. Thời gian thực hiện: Tháng 12/2013 và thường xuyên.", "- Bộ Tài chính.", level="national")
    assert got == {("Ban Chỉ đạo quốc gia", "lead"), ("Ban Chỉ đạo cấp quân khu", "lead"),
                   ("Ban Chỉ đạo cấp tỉnh", "lead"), ("Các tổ chức chính trị - xã hội", "coordinate")}


@pytest.mark.source("121_cantho_kh153_2025_ctmtqg_phong_chong_ma_tuy.txt", line=611)
def test_ban_chi_huy_bo_doi_bien_phong_is_one_name():
    """The city's border-guard command: "phòng" inside "Biên phòng" is not the head "Phòng"."""
    assert names("9. Ban Chỉ huy Bộ đội Biên phòng thành phố", "province") == [
        "Ban Chỉ huy Bộ đội Biên phòng thành phố"]


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=215)
def test_body_of_a_foreign_government_is_not_an_agency():
    assert names("b) Tiếp tục phối hợp với Ban Công tác đặc biệt Chính phủ Lào, Ủy ban Chuyên trách "
                 "Chính phủ Campuchia và các cấp chính quyền của Lào, Campuchia", "national") == []


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=111)
def test_cac_cap_after_a_list_is_said_of_every_organisation_in_it():
    assert names("- Mặt trận Tổ quốc Việt Nam, Hội Cựu chiến binh, Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp.",
                 "national") == ["Mặt trận Tổ quốc Việt Nam các cấp", "Hội Cựu chiến binh các cấp",
                                 "Đoàn Thanh niên Cộng sản Hồ Chí Minh các cấp"]


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=203)
def test_cac_cap_is_not_given_to_a_single_board():
    got = names("- Ban Công tác đặc biệt, Ban Chuyên trách các cấp.", "national")
    assert got[0] == "Ban Công tác đặc biệt"


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=62)
def test_cac_bo_nganh_is_vague_in_a_provincial_plan():
    line = "Chủ trì, phối hợp với các bộ, ngành liên quan và các địa phương xây dựng, triển khai có hiệu quả"
    assert names(line, "province") == []
    assert names(line, "national") == ["Các bộ, ngành"]


# ---------------------------------------------------------------- issue 12, second round

@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=381)
def test_a_verb_syllable_inside_a_public_name():
    """"phát triển" after a capitalised part is a verb unless a gazetteer name holds it."""
    assert names("ngành liên quan, Viện Nghiên cứu phát triển Thành phố") == ["Viện Nghiên cứu phát triển"]


def test_a_boundary_syllable_that_ends_a_dictionary_word_stays_in_the_name():
    """"trình" (submit) and "làm" (do) end a name, but not as the second syllable of
    "Chương trình" or "việc làm" (Viet74K); "dân chủ trì" still ends at "chủ trì"."""
    assert names("Văn phòng Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh chủ trì") == [
        "Văn phòng Ban Chỉ đạo các Chương trình mục tiêu quốc gia tỉnh"]
    assert names("Sở Tài chính trình Ủy ban nhân dân tỉnh") == ["Sở Tài chính", "Ủy ban nhân dân tỉnh"]
    assert names("Hội Nông dân chủ trì, phối hợp với Hội Liên hiệp Phụ nữ tỉnh") == [
        "Hội Nông dân", "Hội Liên hiệp Phụ nữ tỉnh"]


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=2315)
def test_the_regional_unit_after_2025_closes_the_name():
    assert names("Ngân hàng Nhà nước Việt nam Chi nhánh Khu vực II") == [
        "Ngân hàng Nhà nước Việt Nam Chi nhánh Khu vực II"]
    assert names("Kho bạc Nhà nước khu vực XVII chủ trì") == ["Kho bạc Nhà nước khu vực XVII"]


@pytest.mark.source("113_bacninh_kh144_2025_kinh_te_so_xa_hoi_so.txt", line=1347)
def test_merged_provincial_paper_and_broadcaster():
    assert names("- Báo và Phát thanh, Truyền hình tỉnh, các cơ quan báo chí đóng trên địa bàn")[0] == \
        "Báo và Phát thanh, Truyền hình tỉnh"


@pytest.mark.source("136_tuyenquang_qd986_2024_kh_thoi_gian_nam_hoc.txt", line=47)
@pytest.mark.source("136_tuyenquang_qd986_2024_kh_thoi_gian_nam_hoc.txt", line=51)
def test_an_article_that_gives_its_items_to_an_agency():
    got = pairs("Điều 2. Giao Giám đốc Sở Giáo dục và Đào tạo",
                "1. Tổ chức chỉ đạo thực hiện hoàn thành Kế hoạch thời gian năm học 2024-2025 đúng quy định.",
                "2. Chủ trì, phối hợp với Chủ tịch Ủy ban nhân dân huyện, thành phố; thủ trưởng các ngành có "
                "liên quan hướng dẫn và tổ chức thực hiện thống nhất, đúng kế hoạch thời gian năm học 2024-2025 "
                "quy định tại Điều 1 Quyết định này.",
                "Điều 3. Quyết định này có hiệu lực thi hành kể từ ngày ký.")
    assert ("Sở Giáo dục và Đào tạo", "lead") in got


@pytest.mark.source("110_hcm_kh174_2025_binh_dang_gioi_cuoi_nam.txt", line=390)
def test_a_heading_agency_with_its_role_in_parentheses():
    got = pairs("V. TỔ CHỨC THỰC HIỆN",
                "1. Sở Nội vụ (Cơ quan thường trực Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố):",
                "- Chủ trì, phối hợp với các sở, ban, ngành, đoàn thể Thành phố và đơn vị có liên quan rà soát "
                "nhân sự, tham mưu thành lập, kiện toàn Ban Vì sự tiến bộ phụ nữ và Bình đẳng giới Thành phố.")
    assert ("Sở Nội vụ", "lead") in got
    assert not any(a.startswith("Ban Vì sự") and r == "lead" for a, r in got)


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=592)
def test_agencies_that_introduce_the_items_under_them():
    got = pairs("III. TỔ CHỨC THỰC HIỆN",
                "- Ủy ban nhân dân thành phố Hà Nội và Ủy ban nhân dân Thành phố Hồ Chí Minh cần tập trung một "
                "số nhiệm vụ quan trọng như sau:",
                "+ Chủ trì, phối hợp với bộ, ngành liên quan khẩn trương xây dựng và tổ chức triển khai thí điểm "
                "các “Vùng phát thải thấp” (LEZ).",
                "- Bộ Y tế chủ trì theo dõi tác động của ô nhiễm không khí đến sức khỏe.")
    assert ("Ủy ban nhân dân thành phố", "lead") in got
    assert ("Bộ Y tế", "lead") in got


@pytest.mark.source("100_ddqh_kh3260_2025_trien_khai_nq57_khcn_cds.txt", line=54)
def test_a_party_cell_of_a_committee_heads_its_duties():
    got = pairs("2. Nhiệm vụ cụ thể", "a) Tổ đảng ở Thường trực Ủy ban KH,CN&MT",
                "* Chủ trì thẩm tra các dự án luật, pháp lệnh, dự thảo nghị quyết về chuyển đổi số.",
                level="national")
    assert ("Ủy ban Khoa học, Công nghệ và Môi trường", "lead") in got


@pytest.mark.source("108_hcm_qd2820_2025_kh_he_thong_csdl_quoc_gia_quy_hoach.txt", line=327)
def test_a_heading_agency_named_lead_in_parentheses():
    got = pairs("IV. TỔ CHỨC THỰC HIỆN", "1. Sở Tài chính (cơ quan chủ trì)",
                "- Chủ trì xây dựng, tổ chức thực hiện, theo dõi, đôn đốc thực hiện Kế hoạch.",
                level="province")
    assert ("Sở Tài chính", "lead") in got


@pytest.mark.source("133_quangngai_qd1627_2025_kh_kiem_ke_tai_san_cong.txt", line=200)
def test_a_dash_apposition_is_no_name_part():
    assert names("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo") == ["Sở Tài chính", "Ban Chỉ đạo"]
    assert names("Phòng Tài chính - Kế hoạch huyện") == ["Phòng Tài chính - Kế hoạch"]
    got = pairs("1. Nhiệm vụ cụ thể", "Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo",
                "- Tuyên truyền, phổ biến, quán triệt các cơ quan, tổ chức, đơn vị, doanh nghiệp.")
    assert ("Sở Tài chính", "lead") in got
    assert ("Ban Chỉ đạo", "lead") not in got


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=356)
def test_a_label_behind_a_dash_and_emphasis_marks():
    got = pairs("9. Tổ chức nghiên cứu, học tập kinh nghiệm công tác xây dựng chính sách, pháp luật",
                "Tham mưu, đề xuất tổ chức Đoàn của tỉnh nghiên cứu, học tập kinh nghiệm.",
                "*- Đơn vị chủ trì: *Sở Tư pháp.",
                "*- Đơn vị phối hợp: *Văn phòng UBND tỉnh; các cơ quan, đơn vị, địa phương liên quan.")
    assert ("Sở Tư pháp", "lead") in got
    assert ("Văn phòng Ủy ban nhân dân tỉnh", "coordinate") in got


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1477)
def test_a_collective_with_its_own_level_leads():
    got = pairs("VI. TỔ CHỨC THỰC HIỆN", "14. Các sở, ban ngành, cơ quan thuộc tỉnh chủ trì xây dựng các các "
                "nội dung phát triển kinh tế số theo ngành, lĩnh vực phụ trách phù hợp với địa phương.")
    assert ("Các sở, ban, ngành", "lead") in got


@pytest.mark.source("132_laichau_kh7360_2025_thi_hanh_luat_tieu_chuan_qckt.txt", line=234)
def test_a_lead_set_off_from_its_subject_by_an_adverbial():
    got = pairs("IV. TỔ CHỨC THỰC HIỆN", "3. Sở Tài chính, trên cơ sở đề xuất của các cơ quan, đơn vị, địa "
                "phương, chủ trì tổng hợp trình cấp có thẩm quyền bố trí kính phí để thực hiện Kế hoạch.")
    assert ("Sở Tài chính", "lead") in got


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1446)
def test_the_regional_branch_after_a_dash():
    assert names("8. Ngân hàng nhà nước Việt Nam - Chi nhánh Khu vực II: Chủ trì, phối hợp triển khai") == [
        "Ngân hàng Nhà nước Việt Nam Chi nhánh Khu vực II"]


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=263)
def test_and_before_a_vague_collective_ends_the_name():
    assert names("- Văn phòng Ban Chỉ đạo và cơ quan thường trực các cấp.") == ["Văn phòng Ban Chỉ đạo"]


@pytest.mark.source("131_thanhhoa_kh235_2025_quan_trac_moi_truong_ntts.txt", line=284)
def test_a_subject_intro_that_directs_another_body():
    got = pairs("IV. TỔ CHỨC THỰC HIỆN",
                "1. Sở Nông nghiệp và Môi trường chỉ đạo Chi cục Biển đảo và Thủy sản thực hiện các nội dung sau:",
                "- Phối hợp với UBND các xã, phường và các đơn vị liên quan triển khai tổ chức thực hiện Kế hoạch.")
    assert ("Chi cục Biển đảo và Thủy sản", "coordinate") in got


# Names end by boundary rules alone: no list of the words a name may hold (issue 12).

@pytest.mark.source("115_nghean_kh980_2025_thi_hanh_nd200_phong_thu_dan_su.txt", line=147)
def test_a_head_that_opens_a_dictionary_word_is_no_new_body():
    assert names("tỉnh qua Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh để tổng hợp, báo cáo.") == [
        "Văn phòng Ban Chỉ huy Phòng thủ dân sự tỉnh"]


@pytest.mark.source("124_cantho_kh160_2025_giam_sat_ctmtqg_giam_ngheo.txt", line=287)
def test_a_report_is_not_a_newspaper():
    assert names("- Báo cáo tình hình thực hiện") == []


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=2218)
def test_a_word_is_not_cut_after_its_first_syllable():
    assert names("Sở Tài Chính; Sở Sở Công thương") == ["Sở Tài chính", "Sở Công Thương"]


@pytest.mark.source("100_ddqh_kh3260_2025_trien_khai_nq57_khcn_cds.txt", line=120)
def test_a_party_committee_of_an_office():
    assert names("m) Đảng ủy cơ quan Văn phòng Quốc hội") == ["Đảng ủy cơ quan Văn phòng Quốc hội"]


@pytest.mark.source("42_bcdqg1237_kh252_2013_tim_kiem_quy_tap_hai_cot_liet_si.txt", line=127)
def test_a_lowercase_qualifier_up_to_a_delimiter():
    assert names("d) Thành lập Văn phòng Ban Chỉ đạo quốc gia 1237; kiện toàn cơ quan chuyên môn") == [
        "Văn phòng Ban Chỉ đạo quốc gia"]
    assert names("a) Thành lập Ban Chỉ đạo quốc gia về khắc phục ô") == ["Ban Chỉ đạo quốc gia"]


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=200)
def test_a_council_named_in_lowercase_words():
    assert names("7\tTổ chức đánh giá đợt 1\tHoàn thành các hồ sơ đánh giá gửi tỉnh\t15/5\t15/6\t"
                 "Phòng Nông nghiệp\tHội đồng đánh giá OCOP huyện\t", "district")[-1].startswith("Hội đồng đánh giá")


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=108)
def test_a_region_without_its_number_names_no_body():
    assert names("Chỉ đạo lực lượng Hải quan khu vực tỉnh Lâm Đồng phối hợp chặt chẽ với lực lượng") == []
    assert names("5.4. Đề nghị Chi cục Hải quan khu vực XIII") == ["Chi cục Hải quan khu vực XIII"]


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=67)
def test_a_peoples_committee_is_named_by_its_level_not_by_lowercase_words():
    assert names("3.9. Chủ tịch Ủy ban nhân dân địa bàn cấp xã chỉ đạo") == []


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=437)
def test_and_before_a_lowercase_word_stays_inside_a_known_name_only():
    got = pairs("IV. TỔ CHỨC THỰC HIỆN",
                "7. Ban Quản lý các Khu chế xuất và công nghiệp Thành phố chủ trì, phối hợp với các sở, ban, "
                "ngành, đơn vị Thành phố liên quan tổ chức tập huấn, bồi dưỡng.")
    assert ("Ban Quản lý các Khu chế xuất và công nghiệp thành phố", "lead") in got


@pytest.mark.source("102_ttg_qd2530_2025_kh_quoc_gia_o_nhiem_khong_khi.txt", line=490)
def test_a_sentence_without_a_subject_goes_on_with_the_lead_before_it():
    doc = doc_of("IV. TỔ CHỨC THỰC HIỆN",
                 "c) Bộ Công Thương chủ trì, phối hợp với các bộ, ngành liên quan và chính quyền địa phương đảm bảo "
                 "chất lượng nhiên liệu. Chủ trì, phối hợp với các bộ, ngành liên quan rà soát lộ trình áp dụng "
                 "nhiên liệu sinh học.")
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": "national"})
    leads = [r for r in rows if r["role"] == "lead" and r["agency"] == "Bộ Công Thương"]
    assert any("rà soát lộ trình" in r["duty"] for r in leads)


@pytest.mark.source("101_ttg_qd2629_2025_ctr_phat_trien_chinh_phu_so.txt", line=313)
def test_a_verb_of_the_sentence_ends_the_name():
    assert names("Trung tâm Dữ liệu quốc gia đáp ứng yêu cầu chỉ đạo điều hành trên môi trường điện") == [
        "Trung tâm Dữ liệu quốc gia"]


@pytest.mark.source("104_ttg_qd2597_2025_de_an_cds_hoat_dong_xay_dung.txt", line=269)
def test_syllables_pair_into_the_words_that_follow():
    # "điều hành | hạ tầng", not "điều | hành hạ | tầng"
    assert names("Twin), bản đồ GIS, dữ liệu BIM vào Trung tâm điều hành hạ tầng thông minh để đi") == [
        "Trung tâm điều hành hạ tầng thông minh"]


@pytest.mark.source("105_chinhphu_nq380_2025_khac_phuc_thien_tai_mien_trung.txt", line=55)
@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=82)
def test_a_title_or_a_state_body_after_a_comma_begins_no_part_of_the_name():
    assert names("tiếp là đồng chí Tổng Bí thư Tô Lâm, đồng chí Thường trực Ban Bí thư, Chính phủ,") == [
        "Ban Bí thư"]
    assert names("Văn phòng Bộ, Vụ trưởng Vụ Kế hoạch, Tài chính, Viện trưởng Viện Văn hóa, Nghệ")[0] == "Văn phòng Bộ"


@pytest.mark.source("125_cantho_kh165_2025_cong_tac_dan_so.txt", line=136)
def test_a_capitalised_word_after_and_goes_on_whatever_it_means():
    assert names("thành phố kịp thời kiện toàn Ban Chỉ đạo Dân số và Phát triển cấp thành phố,") == [
        "Ban Chỉ đạo Dân số và Phát triển cấp thành phố"]


@pytest.mark.source("127_daklak_kh0125_2025_thi_dua_bau_cu_quoc_hoi_hdnd.txt", line=295)
@pytest.mark.source("cantho_ocop_2024_kh109.txt", line=410)
def test_another_head_after_a_comma_is_another_body_unless_it_opens_a_word():
    assert "Ủy ban bầu cử, Ban bầu cử các cấp" not in names(
        "thực hiện công tác bầu cử hoặc được phân công giúp việc cho Ủy ban bầu cử, Ban bầu cử các cấp.")
    assert names("Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ thử nghiệm") == [
        "Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ"]


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=1446)
def test_a_line_cut_inside_a_proper_name_goes_on():
    from pipeline.normalize.agencies import open_ended
    assert open_ended("**8. Ngân hàng nhà nước Việt", "Nam - Chi nhánh Khu vực II:** Chủ trì, phối hợp triển khai")


@pytest.mark.source("130_camau_kh0204_2025_tai_chinh_ngan_sach_3_nam.txt", line=2233)
def test_a_tax_named_by_its_acronym_is_no_tax_office():
    assert names("1\tThuế GTGT thu từ hàng hóa SX-KD trong nước\t1.548.000") == []
    assert names("Hệ thống hóa đơn điện tử\tThuế Đồng Nai\tCác sở, ban, ngành") == ["Thuế Đồng Nai", "Các sở, ban, ngành"]
