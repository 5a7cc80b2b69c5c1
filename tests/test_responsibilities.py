"""Who does what: each sentence pattern and table layout with a real line from the plans,
and every gold file of the corpus (txt) scored by the contract's scorer (its carried copy vnplan/score_gold.py)."""
from __future__ import annotations

import json

import pytest

from pipeline.build import load_document
from pipeline.parse.metadata import parse_metadata
from pipeline.parse.responsibilities import extract_assignments
from pipeline.parse.sections import parse_sections
from vnplan import score_gold

from conftest import EXTRA, GOLD, PLANS
from doc_factory import doc_of


def pairs(*items, level="province"):
    if isinstance(items[0], str) and not items[0][:1].isupper() or items[0][:1] in "-+":
        items = ("II. NỘI DUNG, NHIỆM VỤ",) + items  # a plan's body, not its preamble
    doc = doc_of(*items)
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": level})
    return {(r["agency"], r["role"]) for r in rows}


def scored(*items, level="province"):
    return {p for p in pairs(*items, level=level) if p[1] in ("lead", "coordinate")}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=101)
def test_lead_and_partners_in_one_sentence():
    got = scored("- Đơn vị thực hiện: Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Thông tin và Truyền thông, "
                 "Báo Lai Châu, các sở, ngành liên quan. UBND các huyện, thành phố chủ trì, triển khai thực hiện tại địa phương.")
    assert got == {("Sở Nông nghiệp và Phát triển nông thôn", "lead"), ("Sở Thông tin và Truyền thông", "coordinate"),
                   ("Báo Lai Châu", "coordinate"), ("Các sở, ban, ngành", "coordinate"),
                   ("Ủy ban nhân dân cấp huyện", "lead")}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=193)
def test_lead_then_coordinating_subject():
    got = scored("- Đơn vị thực hiện: Sở Công Thương chủ trì, Sở Nông nghiệp và PTNT phối hợp.")
    assert got == {("Sở Công Thương", "lead"), ("Sở Nông nghiệp và Phát triển nông thôn", "coordinate")}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=200)
def test_parent_body_after_thuoc_is_no_partner():
    got = scored("- Đơn vị thực hiện: Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Công Thương, Trung tâm Xúc tiến "
                 "đầu tư, Thương mại và Du lịch thuộc Sở Kế hoạch và Đầu tư, UBND các huyện, thành phố, doanh nghiệp, "
                 "HTX, chủ cơ sở sản xuất... tham gia thực hiện.")
    assert ("Sở Kế hoạch và Đầu tư", "coordinate") not in got
    assert {("Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "coordinate"),
            ("Ủy ban nhân dân cấp huyện", "coordinate")} <= got


def test_partner_list_with_semicolons_and_vague_items():
    got = scored("- Cơ quan thực hiện: Sở Lao động - Thương binh và xã hội chủ trì, phối hợp với Liên đoàn Lao động tỉnh; "
                 "các sở, ngành có liên quan; Ủy ban nhân dân các huyện, thành phố.")
    assert got == {("Sở Lao động - Thương binh và Xã hội", "lead"), ("Liên đoàn Lao động tỉnh", "coordinate"),
                   ("Các sở, ban, ngành", "coordinate"), ("Ủy ban nhân dân cấp huyện", "coordinate")}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=167)
def test_label_for_partners():
    got = scored("- Đơn vị phối hợp, hỗ trợ: Sở Nông nghiệp và PTNT; đơn vị tư vấn.")
    assert got == {("Sở Nông nghiệp và Phát triển nông thôn", "coordinate"), ("Đơn vị tư vấn", "coordinate")}


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=123)
def test_roleless_executor_line_gives_implement_only():
    got = pairs("- Đơn vị thực hiện: Sở Nông nghiệp và PTNT, UBND các huyện, thành phố.")
    assert got == {("Sở Nông nghiệp và Phát triển nông thôn", "implement"), ("Ủy ban nhân dân cấp huyện", "implement")}


def test_heading_agency_owns_its_duties():
    got = scored("IV. TỔ CHỨC THỰC HIỆN",
                 "3. Sở Công Thương",
                 "- Chủ trì thực hiện rà soát các mỏ khoáng sản trên địa bàn tỉnh.",
                 "- Phối hợp với cơ quan Thuế, Sở Nông nghiệp và Môi trường rà soát, đối chiếu sản lượng khai thác.")
    assert got == {("Sở Công Thương", "lead"), ("Sở Công Thương", "coordinate"),
                   ("Thuế tỉnh", "coordinate"), ("Sở Nông nghiệp và Môi trường", "coordinate")}


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=92)
@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=106)
def test_heading_with_two_agencies_and_a_garbled_one():
    got = scored("IV. TỔ CHỨC THỰC HIỆN",
                 "1. Phòng Nông nghiệp và Phát triển nông thôn, Văn phòng điều phối nông thôn mới huyện",
                 "- Chủ trì, phối hợp với UBND các xã, thị trấn Đăk Mâm rà soát tham mưu danh mục sản phẩm.",
                 "2. Phòng Kinh tế & Hạt tiền",
                 "- Chủ trì, phối hợp cùng Trung tâm dịch vụ kỹ thuật nông nghiệp nâng cao hiệu quả hoạt động; "
                 "phối hợp đầu tư và đưa vào sử dụng Trung tâm thông tin địa chất.", level="district")
    assert got == {("Phòng Nông nghiệp và Phát triển nông thôn", "lead"),
                   ("Văn phòng Điều phối nông thôn mới huyện", "lead"), ("Ủy ban nhân dân cấp xã", "coordinate"),
                   ("Phòng Kinh tế và Hạ tầng", "lead"), ("Phòng Kinh tế và Hạ tầng", "coordinate"),
                   ("Trung tâm Dịch vụ kỹ thuật nông nghiệp", "coordinate")}


def test_inline_heading_duty_after_colon():
    got = scored("IV. TỔ CHỨC THỰC HIỆN",
                 "1. Văn phòng Điều phối Chương trình mục tiêu quốc gia xây dựng nông thôn mới thành phố: chịu trách "
                 "nhiệm chính trong tham mưu chỉ đạo thực hiện Chương trình OCOP, cụ thể:",
                 "h) Sở Nội vụ: phối hợp với Văn phòng Điều phối nông thôn mới thành phố và Sở, ngành liên quan tham mưu.")
    assert got == {("Văn phòng Điều phối nông thôn mới thành phố", "lead"), ("Sở Nội vụ", "coordinate"),
                   ("Văn phòng Điều phối nông thôn mới thành phố", "coordinate"), ("Các sở, ban, ngành", "coordinate")}


def test_advice_and_guidance_are_not_lead():
    got = pairs("IV. TỔ CHỨC THỰC HIỆN",
                "b) Sở Kế hoạch và Đầu tư, Sở Tài chính: tham mưu Ủy ban nhân dân thành phố cân đối, bố trí nguồn vốn.")
    assert got == {("Sở Kế hoạch và Đầu tư", "advise"), ("Sở Tài chính", "advise")}


def test_standing_body_named_in_brackets():
    got = scored("- Chỉ đạo tổ chức thực hiện Chương trình OCOP trên địa bàn; giao nhiệm vụ cho Phòng Kinh tế (Phòng Nông "
                 "nghiệp và Phát triển nông thôn) là cơ quan thường trực tham mưu, giúp việc triển khai Chương trình.")
    assert got == {("Phòng Kinh tế", "lead"), ("Phòng Nông nghiệp và Phát triển nông thôn", "lead")}
    got = scored("+ Cơ quan thực hiện: UBND các huyện, thành phố (Giao cơ quan thường trực cấp huyện là Phòng Nông "
                 "nghiệp & PTNT họăc Phòng Kinh tế thành phố).")
    assert {("Phòng Nông nghiệp và Phát triển nông thôn", "lead"), ("Phòng Kinh tế", "lead")} <= got


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=103)
@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=154)
def test_subject_asked_to_coordinate():
    got = scored("III. TỔ CHỨC THỰC HIỆN",
                 "4. Đề nghị Ủy ban MTTQ Việt Nam và các tổ chức chính trị xã hội tỉnh: Căn cứ chức năng, nhiệm vụ "
                 "của tổ chức của mình phối hợp các đơn vị, địa phương tăng cường công tác tuyên truyền.")
    assert got == {("Ủy ban Mặt trận Tổ quốc Việt Nam", "coordinate"), ("Các tổ chức chính trị - xã hội", "coordinate")}
    got = scored("10. Các Tổ chức Đoàn thể cấp huyện",
                 "Đề nghị Ủy ban Mặt trận tổ quốc Việt Nam huyện, Hội Nông dân huyện, Huyện đoàn, Hội Liên hiệp Phụ nữ "
                 "huyện và các tổ chức thành viên phối hợp chặt chẽ với với các đơn vị có liên quan.", level="district")
    assert got == {("Ủy ban Mặt trận Tổ quốc Việt Nam huyện", "coordinate"), ("Hội Nông dân huyện", "coordinate"),
                   ("Huyện đoàn", "coordinate"), ("Hội Liên hiệp Phụ nữ huyện", "coordinate")}


@pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=55)
@pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=17)
def test_partners_without_subject_and_noun_use():
    got = scored("5.4. Tăng cường phối hợp với các tổ chức chính trị - xã hội, nhất là Hội Nông dân, Hội Phụ nữ, "
                 "Đoàn Thanh niên Cộng sản Hồ Chí Minh xây dựng và triển khai phong trào.")
    assert got == {("Các tổ chức chính trị - xã hội", "coordinate"), ("Hội Nông dân", "coordinate"),
                   ("Hội Liên hiệp Phụ nữ", "coordinate"), ("Đoàn Thanh niên Cộng sản Hồ Chí Minh", "coordinate")}
    assert scored("- Bảo đảm sự phối hợp chặt chẽ, thường xuyên, hiệu quả giữa các cơ quan, đơn vị.") == set()


@pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=66)
def test_duties_of_persons_give_no_pairs():
    assert scored("4. Phân công nhiệm vụ",
                  "4.2. Ông. Đỗ Mạnh Cường - Phó Trưởng đoàn: Chủ trì, phụ trách việc kiểm tra các nội dung liên quan.",
                  "4.3. Ông. Vũ Việt Linh - Thư ký đoàn: Chịu trách nhiệm chính kiểm tra việc chấp hành quy định.") == set()


@pytest.mark.source("06_laocai_sct_kh1105_2026_kiem_tra_vlncn.txt", line=96)
def test_recipients_are_no_responsibilities():
    assert scored("Nơi nhận:", "- Các đơn vị được kiểm tra (để phối hợp);", "- Sở Tài chính (phối hợp);", "- Lưu: VT.") == set()


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=194)
def test_logic_frame_table_columns():
    table = [["STT", "Nội dung", "Sản phẩm/Kết quả", "Thời gian thực hiện", "", "Trách nhiệm", "", "Ghi chú"],
             ["", "", "", "Bắt đầu", "Kết thúc", "Chủ trì", "Phối hợp", ""],
             ["1", "Lập kế hoạch chung", "Kế hoạch chung được ban hành", "01/4", "07/4", "Phòng Nông nghiệp",
              "Các đơn vị, UBND các xã, thị trấn", ""],
             ["4", "Lập dự toán, trình phê duyệt", "Quyết định phê duyệt và Hợp đồng thực hiện", "14/4", "04/5",
              "Phòng Nông nghiệp", "Phòng Tài chính KH; đơn vị Tư vấn", ""]]
    got = scored("KHUNG LOGIC KẾ HOẠCH", table, level="district")
    assert got == {("Phòng Nông nghiệp", "lead"), ("Ủy ban nhân dân cấp xã", "coordinate"),
                   ("Phòng Tài chính - Kế hoạch", "coordinate"), ("Đơn vị tư vấn", "coordinate")}


@pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=145)
@pytest.mark.source("03_laocai_kh_chithi11_2026_qlnn_khoang_san_draft.txt", line=151)
def test_task_table_with_named_columns():
    table = [["TT", "Tên nhiệm vụ", "Sở, ngành chủ trì tham mưu", "Đơn vị phối hợp thực hiện", "Thời gian thực hiện"],
             ["6", "Thực hiện rà soát việc lập, thẩm định, phê duyệt thiết kế mỏ theo quy định.", "Sở Công Thương; Sở Xây dựng",
              "Các Sở, ban, ngành và các địa phương liên quan", "Thường xuyên"],
             ["12", "Tăng cường công tác quản lý, bảo vệ khoáng sản chưa khai thác", "UBND các xã, phường",
              "Sở Nông nghiệp và Môi trường, các Sở, ban, ngành", "Thường xuyên"]]
    got = scored("Phụ lục", table)
    assert got == {("Sở Công Thương", "lead"), ("Sở Xây dựng", "lead"), ("Ủy ban nhân dân cấp xã", "lead"),
                   ("Các sở, ban, ngành", "coordinate"), ("Sở Nông nghiệp và Môi trường", "coordinate")}


@pytest.mark.source("134_dongnai_kh179_2025_kinh_te_so_xa_hoi_so.txt", line=2178)
def test_a_task_opening_with_the_lead_word_makes_the_performing_body_its_lead():
    table = [["STT", "Nhiệm vụ, giải pháp", "Đơn vị thực hiện", "Đơn vị phối hợp", "Thời gian thực hiện"],
             ["7.6", "Chủ trì tham mưu triển khai Nền tảng số trên 4 loại hình báo chí",
              "Báo và Phát thanh, Truyền hình Đồng Nai", "Các sở, ban, ngành; UBND các phường xã", "2026 - 2030"],
             ["7.7", "Phát triển hạ tầng số", "Sở Khoa học và Công nghệ", "Các sở, ban, ngành", "2026 - 2030"]]
    got = scored("Phụ lục", table)
    assert ("Báo và Phát thanh, Truyền hình Đồng Nai", "lead") in got
    assert ("Sở Khoa học và Công nghệ", "lead") not in got  # "Đơn vị thực hiện" alone names no role


def test_rows_carry_the_schema_fields():
    doc = doc_of("II. NỘI DUNG", "- Đơn vị thực hiện: Sở Công Thương chủ trì, Sở NN&PTNT phối hợp.")
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    r = next(r for r in rows if r["role"] == "coordinate")
    assert r["agency_text"] == "Sở NN&PTNT" and r["level"] == "province"
    assert doc.text[r["span"]["start"]:r["span"]["end"]] == "Sở NN&PTNT"
    assert set(r) == {"agency", "agency_text", "level", "role", "duty", "task", "section", "span"}


# ---------------------------------------------------------------- the corpus, as scored

GOLDS = sorted(g for g in GOLD.glob("*.gold.json")
               if any((d / f"{g.name[:-len('.gold.json')]}.txt").exists() for d in (PLANS, EXTRA)))


@pytest.mark.parametrize("gold_path", GOLDS, ids=[p.name.split(".")[0][:24] for p in GOLDS])
def test_corpus_responsibilities_match_gold(gold_path):
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    stem = gold_path.name[: -len(".gold.json")]
    src = next(p for p in (PLANS / f"{stem}.txt", EXTRA / f"{stem}.txt") if p.exists())
    doc = load_document(src)
    sections = parse_sections(doc)
    _, rows = extract_assignments(doc, sections, parse_metadata(doc, sections))
    tally = score_gold.Tally()
    score_gold.score_doc({"responsibilities": gold["responsibilities"]}, {"responsibilities": rows}, {"responsibilities": tally}, [])
    p, r, f = tally.prf()
    assert f >= 0.9, (p, r, f)


def test_ocr_damaged_role_words_and_heads():
    got = scored("- Đơn vị thực hiện: Sớ Tài chính chủ tri, phối họp với Sở Kế hoạch và Đầu tư.")
    assert got == {("Sở Tài chính", "lead"), ("Sở Kế hoạch và Đầu tư", "coordinate")}


@pytest.mark.source("krongno_ocop_2021_kh83.txt", line=92)
def test_one_name_per_body_in_a_document():
    got = scored("IV. TỔ CHỨC THỰC HIỆN",
                 "1. Phòng Nông nghiệp và Phát triển nông thôn, Văn phòng điều phối nông thôn mới huyện",
                 "- Chủ trì, phối hợp với Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện tổ chức đánh giá.",
                 "- Phối hợp với Văn phòng Điều phối nông thôn mới rà soát.",
                 "KHUNG LOGIC", [["STT", "Nội dung", "Chủ trì", "Phối hợp"],
                                 ["1", "Lập kế hoạch chung", "Phòng Nông nghiệp", "Hội đồng đánh giá OCOP huyện"]],
                 level="district")
    assert {a for a, _ in got} == {"Phòng Nông nghiệp và Phát triển nông thôn", "Văn phòng Điều phối nông thôn mới huyện",
                                   "Hội đồng đánh giá, phân hạng sản phẩm OCOP cấp huyện"}


def test_an_official_short_name_stays_its_own_body():
    got = scored("- Giao nhiệm vụ cho Phòng Kinh tế (Phòng Nông nghiệp và Phát triển nông thôn) là cơ quan thường trực.",
                 "- Phòng Kinh tế và Hạ tầng chủ trì, phối hợp với Phòng Tài chính - Kế hoạch.", level="district")
    assert ("Phòng Kinh tế", "lead") in got and ("Phòng Kinh tế và Hạ tầng", "lead") in got


def test_agency_with_colon_before_its_duty():
    got = scored("- Sở Tài chính: Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư tham mưu UBND tỉnh bố trí kinh phí.")
    assert got == {("Sở Tài chính", "lead"), ("Sở Kế hoạch và Đầu tư", "coordinate")}


def test_list_of_subjects_coordinating_after_other_words():
    got = scored("- Các sở, ban, ngành, UBND các huyện, thị xã, thành phố căn cứ chức năng, nhiệm vụ được giao, "
                 "chủ động phối hợp triển khai thực hiện.")
    assert got == {("Các sở, ban, ngành", "coordinate"), ("Ủy ban nhân dân cấp huyện", "coordinate")}


def test_heads_of_bodies_in_a_partner_list():
    got = scored("Điều 2. Giao Giám đốc Sở Nông nghiệp và Phát triển nông thôn chủ trì, phối hợp với Thủ trưởng các sở, "
                 "ngành tỉnh liên quan, Chủ tịch Ủy ban nhân dân các huyện, thị xã triển khai thực hiện Kế hoạch này.")
    assert got == {("Sở Nông nghiệp và Phát triển nông thôn", "lead"), ("Các sở, ban, ngành", "coordinate"),
                   ("Ủy ban nhân dân cấp huyện", "coordinate")}


def test_standing_body_label():
    got = pairs("- Cấp trung ương:", "+ Cơ quan thường trực: Bộ Nông nghiệp và Phát triển nông thôn.",
                "+ Cơ quan tham mưu, giúp việc chuyên trách: Văn phòng điều phối nông thôn mới trung ương.")
    assert got == {("Bộ Nông nghiệp và Phát triển nông thôn", "lead"),
                   ("Văn phòng Điều phối nông thôn mới Trung ương", "advise")}


@pytest.mark.source("02_kontum_qd435_2020_ctr_hanh_dong_quan_he_lao_dong.txt", line=43)
def test_same_level_partner_takes_the_leads_level():
    got = scored("- Cơ quan thực hiện: Ủy ban nhân dân các huyện, thành phố chủ trì phối hợp với Ban quản lý Khu kinh tế "
                 "tỉnh; Liên đoàn Lao động cùng cấp và các đơn vị có liên quan.")
    assert got == {("Ủy ban nhân dân cấp huyện", "lead"), ("Ban Quản lý Khu kinh tế tỉnh", "coordinate"),
                   ("Liên đoàn Lao động cấp huyện", "coordinate")}


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=250)
@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=238)
def test_heading_that_lost_its_numbering():
    got = scored("IV. TỔ CHỨC THỰC HIỆN", "Sở Tài chính",
                 "Chủ trì, phối hợp với Sở Kế hoạch và Đầu tư thẩm định, cân đối bố trí kinh phí.",
                 "Sở Y tế", "Phối hợp các Sở, ban ngành có liên quan hỗ trợ các địa phương.")
    assert got == {("Sở Tài chính", "lead"), ("Sở Kế hoạch và Đầu tư", "coordinate"), ("Sở Y tế", "coordinate"),
                   ("Các sở, ban, ngành", "coordinate")}


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=66)
def test_chuong_trinh_phoi_hop_is_a_noun_not_a_duty():
    """"chương trình phối hợp hành động với Bộ Công an" names a programme: no coordinate row."""
    got = scored("3.8. Đề nghị Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh, Liên đoàn Lao động tỉnh",
                 "Chỉ đạo thực hiện có hiệu quả các kế hoạch liên tịch, chương trình phối hợp hành động "
                 "với Bộ Công an, tuyên truyền nâng cao nhận thức cho đoàn viên, hội viên")
    assert got == set()


@pytest.mark.source("32_hcm_qd2853_2025_kh_quan_ly_rui_ro_thien_tai.txt", line=392)
def test_heading_name_wrapped_after_its_head_leads():
    doc = doc_of("V. TỔ CHỨC THỰC HIỆN",
                 "3. Bộ Tư lệnh\nThành phố chủ trì, phối hợp với Sở Nông nghiệp và Môi trường, các sở, ban,\n"
                 "ngành, đơn vị liên quan")
    _, rows = extract_assignments(doc, parse_sections(doc), {"level": "province"})
    got = {(r["agency"], r["role"]) for r in rows}
    assert ("Bộ Tư lệnh thành phố", "lead") in got
    assert ("Sở Nông nghiệp và Môi trường", "coordinate") in got


@pytest.mark.source("31_lamdong_kh_2026_xa_khong_ma_tuy_draft.txt", line=103)
def test_heading_body_directing_a_force_gives_the_force_the_duty():
    got = scored("5.2. Bộ Chỉ huy quân sự tỉnh chỉ đạo lực lượng Bộ đội Biên phòng",
                 "Chủ trì, phối hợp chặt chẽ với lực lượng chuyên trách phòng, chống tội phạm về ma túy của "
                 "lực lượng Công an, Hải quan triển khai các giải pháp")
    assert ("Bộ đội Biên phòng", "lead") in got


@pytest.mark.source("112_bacninh_kh141_2025_nang_luc_can_bo_xay_dung_chinh_sach.txt", line=101)
def test_label_don_vi_chu_tri_thuc_hien_gives_lead():
    got = scored("1. Tuyên truyền", "*Đơn vị chủ trì thực hiện: *Các Sở, ngành, đơn vị, UBND cấp xã.")
    assert got == {("Các sở, ban, ngành", "lead"), ("Ủy ban nhân dân cấp xã", "lead")}


# A subject found past what stands between it and its role word (issue 12, unlabeled plans).

@pytest.mark.source("106_chinhphu_nq394_2025_phong_trao_bao_ve_moi_truong.txt", line=516)
def test_the_subject_stands_before_the_objects_of_an_adverbial():
    got = scored(
        "IV. TỔ CHỨC THỰC HIỆN",
        "3. Bộ Tài chính, Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương trên cơ sở đề xuất kinh phí "
        "của các bộ, ngành, địa phương, chủ trì tổng hợp, trình cấp có thẩm quyền phê duyệt, bố trí kinh phí.", level="national")
    assert ("Bộ Tài chính", "lead") in got and ("Ủy ban nhân dân cấp tỉnh", "lead") in got


@pytest.mark.source("117_nghean_kh982_2025_dot_thi_dua_dai_hoi_xiv.txt", line=277)
def test_a_role_word_opening_the_part_after_a_semicolon_keeps_the_subject():
    got = scored(
        "IV. TỔ CHỨC THỰC HIỆN",
        "- Sở Nội vụ hướng dẫn khen thưởng Đợt thi đua; phối hợp với các cơ quan, đơn vị liên quan triển khai, "
        "đôn đốc, đánh giá việc tổ chức thực hiện Kế hoạch.", level="province")
    assert ("Sở Nội vụ", "coordinate") in got


@pytest.mark.source("106_chinhphu_nq394_2025_phong_trao_bao_ve_moi_truong.txt", line=281)
def test_a_dash_item_naming_a_body_heads_the_plus_items_below_it():
    got = scored(
        "IV. TỔ CHỨC THỰC HIỆN",
        "- Bộ Tài chính",
        "+ Chủ trì, phối hợp với Bộ Nông nghiệp và Môi trường để kịp thời tháo gỡ các khó khăn, vướng mắc.", level="national")
    assert ("Bộ Tài chính", "lead") in got


@pytest.mark.source("107_bvhttdl_qd4385_2025_kh_quy_hoach_co_so_van_hoa_the_thao.txt", line=386)
def test_a_heading_of_bodies_in_every_province():
    got = scored(
        "IV. TỔ CHỨC THỰC HIỆN",
        "3. Sở Văn hóa, Thể thao và Du lịch/Sở Văn hóa và Thể thao tỉnh, thành phố trực thuộc Trung ương",
        "Chủ trì, phối hợp với các cơ quan có liên quan tham mưu cho Ủy ban nhân dân các tỉnh.", level="national")
    assert ("Sở Văn hóa, Thể thao và Du lịch", "lead") in got


@pytest.mark.source("113_bacninh_kh144_2025_kinh_te_so_xa_hoi_so.txt", line=1396)
def test_an_indicator_table_with_a_lead_column_assigns_its_indicators():
    table = [["TT", "Chỉ tiêu", "Chủ trì"],
             ["2", "Phấn đấu mỗi năm phát triển từ 05 bộ dữ liệu mở chất lượng cao phục vụ phát triển kinh tế số "
              "và xã hội số", "Sở KH&CN chủ trì hướng dẫn, tổng hợp; các sở, ngành, UBND cấp xã thực hiện"]]
    assert ("Sở Khoa học và Công nghệ", "lead") in scored("Phụ lục", table)


def test_an_indicator_table_without_a_body_column_is_no_task_table():
    from pipeline.parse.tasks import table_layout
    from pipeline.model import Table
    rows = [["TT", "Chỉ tiêu", "Năm 2026", "Năm 2030"], ["1", "Tỷ lệ dân số trưởng thành có tài khoản", "60%", "80%"]]
    assert table_layout(Table(id="t1", rows=rows, start=0, end=0)) is None
