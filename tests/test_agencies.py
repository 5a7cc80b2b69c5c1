"""Agency names: finding them in plan text and naming them canonically (real lines)."""
from __future__ import annotations

import pytest

from pipeline.normalize.agencies import canonical_agency, expand, find_agencies, is_vague


def names(text: str, level: str | None = None) -> list[str]:
    return [f[2] for f in find_agencies(text, level)]


@pytest.mark.parametrize("written, canonical", [
    ("Sở NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở Nông nghiệp và PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("So NN&PTNT", "Sở Nông nghiệp và Phát triển nông thôn"),
    ("Sở KH&ĐT", "Sở Kế hoạch và Đầu tư"),
    ("Phòng TC-KH", "Phòng Tài chính - Kế hoạch"),
    ("Phòng Tài chính KH", "Phòng Tài chính - Kế hoạch"),
    ("Phòng Tài chính và Kế hoạch", "Phòng Tài chính - Kế hoạch"),
    ("Phòng TN&MT", "Phòng Tài nguyên và Môi trường"),
    ("Sở VH-TT&DL", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở Văn hóa - Thể thao và Du lịch", "Sở Văn hóa, Thể thao và Du lịch"),
    ("Sở LĐ-TB&XH", "Sở Lao động - Thương binh và Xã hội"),
    ("Sở Lao động Thương binh và Xã hội", "Sở Lao động - Thương binh và Xã hội"),
    ("Phòng Lao động, Thương binh và Xã hội", "Phòng Lao động - Thương binh và Xã hội"),
    ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
    ("Sở Công Thương tỉnh Lào Cai", "Sở Công Thương"),
    ("Phòng Kinh tế & Hạt tiền", "Phòng Kinh tế và Hạ tầng"),
    ("Trung tâm Dịch vụ kỹ thụât nông nghiệp", "Trung tâm Dịch vụ kỹ thuật nông nghiệp"),
    ("Liên minh HTX Tỉnh", "Liên minh Hợp tác xã tỉnh"),
    ("Ủy ban MTTQ VN huyện", "Ủy ban Mặt trận Tổ quốc Việt Nam huyện"),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Lào Cai", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh"),
    ("Hội LHPN huyện", "Hội Liên hiệp Phụ nữ huyện"),
    ("Văn phòng điều phối NTM Trung ương", "Văn phòng Điều phối nông thôn mới Trung ương"),
    ("Văn phòng Điều phối Chương trình mục tiêu quốc gia xây dựng nông thôn mới thành phố",
     "Văn phòng Điều phối nông thôn mới thành phố"),
    ("BCĐ các Chương trình MTQG cấp huyện", "Ban Chỉ đạo các Chương trình mục tiêu quốc gia cấp huyện"),
    ("Đài PT&TH tỉnh", "Đài Phát thanh và Truyền hình tỉnh"),
    ("Thanh tra tỉnh Lào Cai", "Thanh tra tỉnh"),
    ("cơ quan Thuế", "Thuế tỉnh"),
    ("đơn vị Tư vấn", "Đơn vị tư vấn"),
])
def test_canonical_names(written, canonical):
    assert canonical_agency(written)[0] == canonical


@pytest.mark.parametrize("written, canonical, level", [
    ("UBND các huyện, thị xã, thành phố", "Ủy ban nhân dân cấp huyện", "district"),
    ("Ủy ban nhân dân các huyện, thành phố", "Ủy ban nhân dân cấp huyện", "district"),
    ("UBND quận huyện", "Ủy ban nhân dân cấp huyện", "district"),
    ("UBND các xã, phường, thị trấn", "Ủy ban nhân dân cấp xã", "commune"),
    ("UBND các xã, thị trấn Đăk Mâm", "Ủy ban nhân dân cấp xã", "commune"),
    ("các sở, ban, ngành liên quan", "Các sở, ban, ngành", "province"),
    ("các Sở, ngành có liên quan", "Các sở, ban, ngành", "province"),
    ("sở ban ngành thành phố có liên quan", "Các sở, ban, ngành", "province"),
    ("các phòng, ban, ngành", "Các phòng, ban, ngành", "district"),
    ("lực lượng Công an xã, phường", "Công an cấp xã", "commune"),
    ("các cấp công đoàn", "Công đoàn các cấp", "province"),
    ("các tổ chức chính trị xã hội tỉnh", "Các tổ chức chính trị - xã hội", "province"),
])
def test_collectives_named_by_level(written, canonical, level):
    assert canonical_agency(written) == (canonical, level)


def test_the_sectors_of_a_district_plan_are_its_offices():
    assert canonical_agency("Các ngành", "district")[0] == "Các phòng, ban, ngành"
    assert canonical_agency("Các ngành", "province")[0] == "Các sở, ban, ngành"


def test_levels():
    assert canonical_agency("Bộ Nông nghiệp và PTNT") == ("Bộ Nông nghiệp và Phát triển nông thôn", "national")
    assert canonical_agency("Phòng Nông nghiệp và PTNT")[1] == "district"
    assert canonical_agency("Huyện đoàn") == ("Huyện đoàn", "district")


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=101)
def test_list_of_agencies_in_a_sentence():
    line = ("Đơn vị thực hiện: Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Thông tin và Truyền thông, "
            "Đài Phát thanh và Truyền hình tỉnh, Báo Lai Châu, Cổng thông tin điện tử tỉnh, các sở, ngành liên quan.")
    assert names(line) == [
        "Sở Nông nghiệp và Phát triển nông thôn", "Sở Thông tin và Truyền thông",
        "Đài Phát thanh và Truyền hình tỉnh", "Báo Lai Châu", "Cổng thông tin điện tử tỉnh", "Các sở, ban, ngành"]


def test_spans_point_at_what_was_written():
    line = "Sở Công Thương chủ trì, Sở NN&PTNT phối hợp."
    found = find_agencies(line)
    assert [line[s:e] for s, e, *_ in found] == ["Sở Công Thương", "Sở NN&PTNT"]
    assert [f[4] for f in found] == ["Sở Công Thương", "Sở NN&PTNT"]


@pytest.mark.source("laichau_ocop_2020_qd.txt", line=200)
def test_names_stop_before_verbs_and_keep_commas_of_official_names():
    line = ("Sở Nông nghiệp và PTNT chủ trì, phối hợp với Sở Công Thương, Trung tâm Xúc tiến đầu tư, "
            "Thương mại và Du lịch thuộc Sở Kế hoạch và Đầu tư")
    assert names(line) == ["Sở Nông nghiệp và Phát triển nông thôn", "Sở Công Thương",
                           "Trung tâm Xúc tiến Đầu tư, Thương mại và Du lịch", "Sở Kế hoạch và Đầu tư"]


def test_unknown_body_kept_as_written_without_trailing_verb():
    line = "Phối hợp với Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ thử nghiệm"
    assert names(line) == ["Trung tâm Xúc tiến Đầu tư - Thương mại và Hội chợ triển lãm Cần Thơ"]


@pytest.mark.source("khanhhoa_ocop_2020_kh3680.txt", line=3)
@pytest.mark.source("trunguong_ocop_2018_qd01_tinbai.txt", line=107)
def test_common_words_are_no_agencies():
    assert names("Số: 3680/KH-UBND") == []
    assert names("Xây dựng Bộ Tiêu chí đánh giá, xếp hạng sản phẩm") == []
    assert names("Báo cáo kết quả về Sở Tài chính") == ["Sở Tài chính"]
    assert names("Bộ trưởng Nông nghiệp và Phát triển nông thôn thành lập Hội đồng tư vấn") == ["Hội đồng tư vấn"]


def test_vague_partners():
    assert is_vague("các đơn vị có liên quan")
    assert is_vague("các cơ quan, đơn vị, địa phương liên quan")
    assert not is_vague("Sở Tài chính")


def test_expansion_keeps_offsets():
    exp, starts, ends = expand("Sở NN&PTNT và UBND tỉnh")
    assert exp == "Sở Nông nghiệp và Phát triển nông thôn và Ủy ban nhân dân tỉnh"
    i = exp.index("Ủy")
    assert starts[i] == len("Sở NN&PTNT và ")


@pytest.mark.parametrize("written, canonical", [
    ("Chi cục Thủy lợi tỉnh Lào Cai", "Chi cục Thủy lợi"),
    ("Cục Địa chất và Khoáng sản Việt Nam", "Cục Địa chất và Khoáng sản Việt Nam"),
    ("Chi cục Kiểm lâm tổ chức tuần tra", "Chi cục Kiểm lâm"),
    ("UBND cac huyen, thi xa, thanh pho", "Ủy ban nhân dân cấp huyện"),
    ("VTV", "Đài Truyền hình Việt Nam"),
    ("Thanh tra Chính phủ", "Thanh tra Chính phủ"),
])
def test_bodies_not_in_the_samples(written, canonical):
    assert canonical_agency(written)[0] == canonical


def test_collective_stops_before_the_verb():
    line = "UBND các xã, phường tổ chức tuyên truyền"
    (s, e, name, level, written), = find_agencies(line)
    assert (written, name, level) == ("UBND các xã, phường", "Ủy ban nhân dân cấp xã", "commune")


def test_district_merged_office_of_council_and_committee_is_one_agency():
    # "Văn phòng HĐND và UBND huyện": one office serving both, not two agencies
    found = find_agencies("Văn phòng HĐND và UBND huyện chủ trì, phối hợp Phòng Tài chính - Kế hoạch thực hiện")
    assert [f[2] for f in found] == ["Văn phòng Hội đồng nhân dân và Ủy ban nhân dân huyện", "Phòng Tài chính - Kế hoạch"]


def test_bodies_of_the_2025_reorganisation():
    """Public names of the Government's departments, the regional courts and the mass
    organisations (Nghị định 25-48/2025/NĐ-CP; Luật Tổ chức Tòa án nhân dân 2025)."""
    assert [f[2] for f in find_agencies("Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh phối hợp")] == [
        "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh"]
    assert [f[2] for f in find_agencies("Tòa án nhân dân khu vực 2 phối hợp")] == ["Tòa án nhân dân khu vực 2"]
    assert [f[2] for f in find_agencies("Cục Thống kê chủ trì")] == ["Cục Thống kê"]
